/* tt_stage2.c: stage 2 of the timetable solver: a concrete room and teacher
 * for every new group of a plan. Cells are staffed most-constrained first,
 * each group taking the smallest room that holds its share and the least
 * qualified, least available teacher that fits; a few orders are tried.
 * Groups that still cannot be staffed are dropped together with the
 * learners that no longer fit (lowest wait weight first); then unplaced
 * learners are offered free seats in the plan's groups and running groups. */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rs_error.h"
#include "tt_internal.h"
#include "xalloc.h"

typedef struct tt_ckey {
	double key;
	int cell;
} tt_ckey;

static int tt_cmp_ckey(const void *a, const void *b)
{
	const tt_ckey *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->cell - y->cell;
}

static int tt_cmp_u_asc(const void *a, const void *b, void *arg)
{
	const double *u = arg;
	int x = *(const int *)a, y = *(const int *)b;
	if (u[x] != u[y])
		return u[x] < u[y] ? -1 : 1;
	return y - x;
}

static bool tt_hard(const tt_prep *pp)
{
	return !pp->m->room_capacity_soft && !(pp->relax & TT_F_ROOMCAP);
}

static int tt_gcap(const tt_prep *pp, const tt_cell *ce, int room)
{
	int cap = ce->maxsz;
	if (tt_hard(pp) && room >= 0 && pp->m->rooms[room].capacity < cap)
		cap = pp->m->rooms[room].capacity;
	return cap;
}

/* One staffing pass in the given cell order; returns groups left unstaffed. */
static int tt_staff_pass(const tt_prep *pp, const tt_plan *pl, const int *order, int n_order,
			 const int *kc, int *room, int *teacher)
{
	const tt_model *m = pp->m;
	tt_res res;
	tt_res_init(&res, pp);
	for (int g = 0; g < pl->n_groups; g++) {
		room[g] = pl->g[g].room, teacher[g] = pl->g[g].teacher;
		if (room[g] >= 0)
			tt_res_use_group(&res, pp, &pp->cells[pl->g[g].cell], room[g], teacher[g]);
	}
	int failed = 0;
	for (int q = 0; q < n_order; q++) {
		int c = order[q];
		const tt_cell *ce = &pp->cells[c];
		int ng = 0, rem = kc[c];
		for (int g = 0; g < pl->n_groups; g++)
			if (pl->g[g].cell == c && room[g] < 0)
				ng++;
		for (int g = 0; g < pl->n_groups; g++) {
			if (pl->g[g].cell != c || room[g] >= 0)
				continue;
			int need = ng > 0 ? (rem + ng - 1) / ng : ce->minsz;
			if (need > ce->maxsz)
				need = ce->maxsz;
			/* the start's room and teacher of this cell first, when
			 * free (the room when it holds what the group needs) */
			int pr = tt_start_room(pp, &res, c, need), br = pr;
			for (int r = 0; pr < 0 && r < m->n_rooms; r++) {
				if (!tt_room_fits(pp, &res, r, ce))
					continue;
				int cr = m->rooms[r].capacity, cb = br >= 0 ? m->rooms[br].capacity : 0;
				if (br < 0 || (cr >= need && (cb < need || cr < cb)) || (cb < need && cr > cb))
					br = r;
			}
			int bt = -1, bkey = INT_MAX;
			if (!(pp->relax & TT_F_TEACHER))
				for (int t = 0; t < m->n_teachers; t++) {
					if (!tt_teacher_fits(pp, &res, t, ce))
						continue;
					int rank = tt_start_teacher_rank(pp, c, t);
					int key = rank >= 0
						      ? INT_MIN + rank
						      : __builtin_popcount((unsigned)m->teachers[t].quals) * 64 +
							    __builtin_popcount(m->teachers[t].avail &
									       ~res.teach_busy[t]);
					if (key < bkey)
						bkey = key, bt = t;
				}
			if (br < 0 || (bt < 0 && !(pp->relax & TT_F_TEACHER))) {
				failed++;
				ng--;
				continue;
			}
			room[g] = br, teacher[g] = bt;
			tt_res_use_group(&res, pp, ce, br, bt);
			int cap = tt_gcap(pp, ce, br);
			rem -= need < cap ? need : cap;
			ng--;
		}
	}
	tt_res_free(&res);
	return failed;
}

/* Offer free seats to unplaced learners (highest wait weight first). */
void tt_plan_fill(const tt_prep *pp, tt_plan *pl, int *wcnt)
{
	int *seats = xcalloc((size_t)pp->n_cells + 1, sizeof *seats);
	int *extra = pp->m->room_capacity_soft ? xcalloc((size_t)pp->n_cells + 1, sizeof *extra)
					       : NULL;
	tt_res res;
	tt_res_init(&res, pp);
	tt_res_of_plan(&res, pp, pl);
	tt_plan_fill_res(pp, pl, wcnt, &res, seats, extra);
	tt_res_free(&res);
	free(seats);
	free(extra);
}

/* Under soft room capacity: extra[c] gets the seats of cell c's groups
 * beyond their rooms' capacities (a group holds up to the route maximum
 * then); with add false it is cleared again. */
static void tt_soft_extra(const tt_prep *pp, const tt_plan *pl, int *extra, bool add)
{
	if (!extra || !pp->m->room_capacity_soft)
		return;
	for (int g = 0; g < pl->n_groups; g++) {
		int c = pl->g[g].cell, room = pl->g[g].room;
		if (!add) {
			extra[c] = 0;
			continue;
		}
		int cap = room >= 0 ? pp->m->rooms[room].capacity : pp->cells[c].maxsz;
		if (cap < pp->cells[c].maxsz)
			extra[c] += pp->cells[c].maxsz - cap;
	}
}

/* Learner i (waiting) takes the cheapest free seat that lowers the cost, if
 * any: seats[c] are the free seats of cell c (0 without a group). Under soft
 * room capacity a seat past the rooms' capacities costs the seat penalty
 * too (seats[c] at most the extra seats: none left inside capacity). */
static void tt_fill_learner(const tt_prep *pp, tt_plan *pl, int *wcnt, tt_res *res, int *seats,
			    const int *extra, int i)
{
	const tt_model *m = pp->m;
	int best = -1;
	double bc = pp->u[i];
	for (int o = pp->opt_start[i]; o < pp->opt_start[i + 1]; o++) {
		int c = pp->opts[o].cell;
		tt_mask mask;
		if (c >= 0) {
			if (seats[c] <= 0)
				continue;
			mask = pp->cells[c].mask;
		} else {
			if (res->run_free[-2 - c] <= 0)
				continue;
			mask = m->running[-2 - c].sessions;
		}
		double oc = pp->opts[o].cost;
		if (c >= 0 && m->room_capacity_soft && seats[c] <= extra[c])
			oc += m->room_seat_penalty;
		if (c < 0 && m->room_capacity_soft)
			oc += tt_run_join_penalty(pp, res, -2 - c);
		if (oc < bc && tt_learner_free(pp, res, i, mask))
			bc = oc, best = c;
	}
	if (best == -1)
		return;
	pl->asg[i] = best;
	if (wcnt)
		tt_wait_count(pp, wcnt, i, -1);
	if (best >= 0) {
		seats[best]--;
		tt_res_use_learner(res, pp, i, pp->cells[best].mask);
	} else {
		res->run_free[-2 - best]--;
		tt_res_use_learner(res, pp, i, m->running[-2 - best].sessions);
	}
}

void tt_plan_fill_res(const tt_prep *pp, tt_plan *pl, int *wcnt, tt_res *res, int *seats,
		      int *extra)
{
	const tt_model *m = pp->m;
	int n = m->n_learners;
	/* seats[] is touched only at the cells of groups and of placed
	 * learners (the same cells in a valid plan) and cleared there at the end */
	for (int g = 0; g < pl->n_groups; g++)
		seats[pl->g[g].cell] += tt_gcap(pp, &pp->cells[pl->g[g].cell], pl->g[g].room);
	tt_soft_extra(pp, pl, extra, true);
	for (int i = 0; i < n; i++)
		if (pl->asg[i] >= 0)
			seats[pl->asg[i]]--;
	/* who might take a seat: the waiting learners eligible for a cell
	 * with free seats, and, when a running group has seats, those who may
	 * join one (seats only fill up below, so nobody else can) */
	bool *may = xcalloc((size_t)n + 1, sizeof *may);
	for (int g = 0; g < pl->n_groups; g++) {
		const tt_cell *ce = &pp->cells[pl->g[g].cell];
		if (seats[pl->g[g].cell] <= 0)
			continue;
		for (int k = 0; k < ce->n_elig; k++)
			may[ce->elig[k]] = true;
	}
	bool run_seats = false;
	for (int r = 0; r < m->n_running; r++)
		run_seats |= res->run_free[r] > 0;
	for (int q = 0; q < n; q++) {
		int i = pp->u_order[q];
		if (pl->asg[i] == -1 && (may[i] || (run_seats && pp->has_join[i])))
			tt_fill_learner(pp, pl, wcnt, res, seats, extra, i);
	}
	free(may);
	tt_soft_extra(pp, pl, extra, false);
	for (int g = 0; g < pl->n_groups; g++)
		seats[pl->g[g].cell] = 0;
	for (int i = 0; i < n; i++) /* a learner outside any group: not in a valid plan */
		if (pl->asg[i] >= 0)
			seats[pl->asg[i]] = 0;
}

void tt_plan_fill_some(const tt_prep *pp, tt_plan *pl, int *wcnt, tt_res *res, int *seats,
		       int *extra, unsigned char *mark, const int *who, int n_who)
{
	/* free seats only where a candidate may sit: every group's capacity
	 * (mark 1), less its cell's members counted from the cell's eligible
	 * learners when one of the candidates has it as an option (mark 2) */
	for (int g = 0; g < pl->n_groups; g++) {
		int c = pl->g[g].cell;
		seats[c] += tt_gcap(pp, &pp->cells[c], pl->g[g].room);
		mark[c] = 1;
	}
	tt_soft_extra(pp, pl, extra, true);
	for (int k = 0; k < n_who; k++) {
		int i = who[k];
		for (int o = pp->opt_start[i]; o < pp->opt_start[i + 1]; o++) {
			int c = pp->opts[o].cell;
			if (c < 0 || mark[c] != 1)
				continue;
			const tt_cell *ce = &pp->cells[c];
			for (int e = 0; e < ce->n_elig; e++)
				if (pl->asg[ce->elig[e]] == c)
					seats[c]--;
			mark[c] = 2;
		}
	}
	for (int k = 0; k < n_who; k++)
		if (pl->asg[who[k]] == -1)
			tt_fill_learner(pp, pl, wcnt, res, seats, extra, who[k]);
	tt_soft_extra(pp, pl, extra, false);
	for (int g = 0; g < pl->n_groups; g++) {
		seats[pl->g[g].cell] = 0;
		mark[pl->g[g].cell] = 0;
	}
}

int tt_stage2(const tt_prep *pp, lp_ctl *ctl, tt_plan *pl, int *n_dropped)
{
	(void)ctl;
	const tt_model *m = pp->m;
	int n = m->n_learners, ng = pl->n_groups;
	*n_dropped = 0;
	int *kc = xcalloc((size_t)pp->n_cells + 1, sizeof *kc);
	for (int i = 0; i < n; i++)
		if (pl->asg[i] >= 0)
			kc[pl->asg[i]]++;
	/* cells needing staff */
	tt_ckey *ck = xmalloc((size_t)(ng ? ng : 1) * sizeof *ck);
	int nk = 0;
	bool *seen = xcalloc((size_t)pp->n_cells + 1, sizeof *seen);
	for (int g = 0; g < ng; g++) {
		int c = pl->g[g].cell;
		if (pl->g[g].room >= 0 || seen[c])
			continue;
		seen[c] = true;
		ck[nk++] = (tt_ckey){(double)pp->cells[c].nmax, c};
	}
	int *order = xmalloc((size_t)(nk ? nk : 1) * sizeof *order);
	int *room = xmalloc((size_t)(ng ? ng : 1) * sizeof *room);
	int *teacher = xmalloc((size_t)(ng ? ng : 1) * sizeof *teacher);
	int *broom = xmalloc((size_t)(ng ? ng : 1) * sizeof *broom);
	int *bteacher = xmalloc((size_t)(ng ? ng : 1) * sizeof *bteacher);
	int best = -1;
	for (int pass = 0; pass < 3 && nk > 0; pass++) {
		for (int q = 0; q < nk; q++) {
			const tt_cell *ce = &pp->cells[ck[q].cell];
			if (pass == 0)
				ck[q].key = ce->nmax;
			else if (pass == 1)
				ck[q].key = -__builtin_popcount((unsigned)ce->quals) * 100.0 + ce->nmax;
			else
				ck[q].key = -(double)kc[ck[q].cell];
		}
		qsort(ck, (size_t)nk, sizeof *ck, tt_cmp_ckey);
		for (int q = 0; q < nk; q++)
			order[q] = ck[q].cell;
		int f = tt_staff_pass(pp, pl, order, nk, kc, room, teacher);
		if (best < 0 || f < best) {
			best = f;
			memcpy(broom, room, (size_t)ng * sizeof *room);
			memcpy(bteacher, teacher, (size_t)ng * sizeof *teacher);
		}
		if (f == 0)
			break;
	}
	if (nk > 0) {
		/* apply, dropping unstaffed groups */
		int w = 0;
		for (int g = 0; g < ng; g++) {
			if (broom[g] < 0)
				continue;
			pl->g[w] = pl->g[g];
			pl->g[w].room = broom[g];
			pl->g[w].teacher = bteacher[g];
			w++;
		}
		pl->n_groups = w;
	}
	/* learners beyond the seats (or below the minimum) of their cell wait */
	int *cap = xcalloc((size_t)pp->n_cells + 1, sizeof *cap);
	int *cnt = xcalloc((size_t)pp->n_cells + 1, sizeof *cnt);
	for (int g = 0; g < pl->n_groups; g++) {
		cap[pl->g[g].cell] += tt_gcap(pp, &pp->cells[pl->g[g].cell], pl->g[g].room);
		cnt[pl->g[g].cell]++;
	}
	int *mem = xmalloc((size_t)(n ? n : 1) * sizeof *mem);
	for (int c = 0; c < pp->n_cells; c++) {
		if (!kc[c])
			continue;
		int nm = 0;
		for (int i = 0; i < n; i++)
			if (pl->asg[i] == c)
				mem[nm++] = i;
		if (nm <= cap[c] && nm >= cnt[c] * pp->cells[c].minsz)
			continue;
		qsort_r(mem, (size_t)nm, sizeof *mem, tt_cmp_u_asc, pp->u);
		int keep = nm < cap[c] ? nm : cap[c];
		/* too few for the groups left: close groups of this cell */
		while (cnt[c] > 0 && keep < cnt[c] * pp->cells[c].minsz) {
			int last = -1;
			for (int g = 0; g < pl->n_groups; g++)
				if (pl->g[g].cell == c)
					last = g;
			cap[c] -= tt_gcap(pp, &pp->cells[c], pl->g[last].room);
			pl->g[last] = pl->g[--pl->n_groups];
			cnt[c]--;
			keep = nm < cap[c] ? nm : cap[c];
		}
		if (cnt[c] == 0)
			keep = 0;
		for (int q = 0; q < nm - keep; q++) {
			pl->asg[mem[q]] = -1;
			(*n_dropped)++;
		}
	}
	tt_plan_fill(pp, pl, NULL);
	free(mem);
	free(cap);
	free(cnt);
	free(kc);
	free(ck);
	free(seen);
	free(order);
	free(room);
	free(teacher);
	free(broom);
	free(bteacher);
	return 0;
}
