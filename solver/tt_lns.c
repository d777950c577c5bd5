/* tt_lns.c: local search for the timetable solver, ruin and recreate on a
 * staffed plan. One move closes every group of one to four cells (one picked
 * at random, the others preferably sharing its location and a dagdeel or its
 * teacher), sends their learners back to the waiting list, then rebuilds
 * with the greedy (gains perturbed by a small per-move noise, starting from
 * the cells the freed learners and freed rooms touch) and offers free seats
 * to whoever still waits. A quarter of the moves instead *pull*: they open a
 * group for a waiting learner's cell with members other groups can spare
 * (tt_pull_cell), which no recreate does, since the greedy fills the larger
 * cell first. Every step keeps every hard rule, so each plan is
 * valid; a move is kept when the plan costs no more than the current one
 * (sideways moves let the search drift), and the best plan is returned.
 * Deterministic for a seed unless the deadline or cancel cuts it short. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tt_internal.h"
#include "xalloc.h"

#define TT_LNS_KICKS 6 /* kicks without a new best before the search stops */
#define TT_LNS_PULL 4  /* one move in this many (kicks aside) is a pull */

static uint64_t tt_rng(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int tt_rng_below(uint64_t *s, int k)
{
	return k > 0 ? (int)(tt_rng(s) % (uint64_t)k) : 0;
}

double tt_learner_cost(const tt_prep *pp, int i, int a)
{
	for (int o = pp->opt_start[i]; o < pp->opt_start[i + 1]; o++)
		if (pp->opts[o].cell == a)
			return pp->opts[o].cost;
	return pp->u[i]; /* not an option: never happens for a valid plan */
}

/* Under soft room capacity: the penalty of the running groups' seats past
 * their rooms (members and the plan's joiners), as the answer counts it. */
static double tt_running_over(const tt_prep *pp, const tt_plan *pl)
{
	const tt_model *m = pp->m;
	if (!m->n_running)
		return 0;
	int *size = xcalloc((size_t)m->n_running, sizeof *size);
	for (int r = 0; r < m->n_running; r++)
		size[r] = m->running[r].n_members;
	for (int i = 0; i < m->n_learners; i++)
		if (pl->asg[i] <= -2)
			size[-2 - pl->asg[i]]++;
	double over = 0;
	for (int r = 0; r < m->n_running; r++) {
		int room = m->running[r].room;
		if (room >= 0 && room < m->n_rooms && size[r] > m->rooms[room].capacity)
			over += m->room_seat_penalty * (size[r] - m->rooms[room].capacity);
	}
	free(size);
	return over;
}

/* The objective of the answer the plan becomes (stage 3), with must-place
 * learners left waiting at pp->must_w each. */
double tt_plan_cost(const tt_prep *pp, const tt_plan *pl)
{
	const tt_model *m = pp->m;
	double cost = 0;
	bool soft = m->room_capacity_soft;
	int *cnt = soft ? xcalloc((size_t)pp->n_cells + 1, sizeof *cnt) : NULL;
	for (int i = 0; i < m->n_learners; i++) {
		int a = pl->asg[i];
		if (a == -1) {
			cost += pp->u[i];
		} else {
			cost += tt_learner_cost(pp, i, a);
			if (soft && a >= 0)
				cnt[a]++;
		}
	}
	for (int g = 0; g < pl->n_groups; g++) {
		const tt_cell *ce = &pp->cells[pl->g[g].cell];
		cost += ce->gcost;
		if (soft) {
			int cap = pl->g[g].room >= 0 ? m->rooms[pl->g[g].room].capacity : ce->maxsz;
			cnt[pl->g[g].cell] -= cap < ce->maxsz ? cap : ce->maxsz;
		}
	}
	if (soft) {
		for (int c = 0; c < pp->n_cells; c++)
			if (cnt[c] > 0)
				cost += m->room_seat_penalty * cnt[c];
		free(cnt);
		cost += tt_running_over(pp, pl);
	}
	return cost;
}

/* The soft room-capacity term of tt_plan_cost alone (0 when capacity is hard). */
static double tt_plan_over(const tt_prep *pp, const tt_plan *pl, int *cnt)
{
	const tt_model *m = pp->m;
	if (!m->room_capacity_soft)
		return 0;
	memset(cnt, 0, (size_t)pp->n_cells * sizeof *cnt);
	for (int i = 0; i < m->n_learners; i++)
		if (pl->asg[i] >= 0)
			cnt[pl->asg[i]]++;
	for (int g = 0; g < pl->n_groups; g++) {
		const tt_cell *ce = &pp->cells[pl->g[g].cell];
		int cap = pl->g[g].room >= 0 ? m->rooms[pl->g[g].room].capacity : ce->maxsz;
		cnt[pl->g[g].cell] -= cap < ce->maxsz ? cap : ce->maxsz;
	}
	double over = 0;
	for (int c = 0; c < pp->n_cells; c++)
		if (cnt[c] > 0)
			over += m->room_seat_penalty * cnt[c];
	return over + tt_running_over(pp, pl);
}

/* tt_plan_cost(trial) from tt_plan_cost(cur): only learners whose place
 * changed are priced again. */
static double tt_cost_from(const tt_prep *pp, const tt_plan *cur, double cur_cost, double cur_over,
			   const tt_plan *trial, int *cnt, double *trial_over)
{
	double c = cur_cost - cur_over;
	for (int i = 0; i < pp->m->n_learners; i++) {
		int a = cur->asg[i], b = trial->asg[i];
		if (a == b)
			continue;
		c -= a == -1 ? pp->u[i] : tt_learner_cost(pp, i, a);
		c += b == -1 ? pp->u[i] : tt_learner_cost(pp, i, b);
	}
	for (int g = 0; g < cur->n_groups; g++)
		c -= pp->cells[cur->g[g].cell].gcost;
	for (int g = 0; g < trial->n_groups; g++)
		c += pp->cells[trial->g[g].cell].gcost;
	*trial_over = tt_plan_over(pp, trial, cnt);
	return c + *trial_over;
}

static bool tt_related(const tt_prep *pp, const tt_pgroup *a, const tt_pgroup *b)
{
	const tt_cell *ca = &pp->cells[a->cell], *cb = &pp->cells[b->cell];
	if (a->teacher >= 0 && a->teacher == b->teacher)
		return true;
	return ca->loc == cb->loc && (ca->mask & cb->mask);
}

/* Would a group of cell b take a room or a teacher a group of cell a needs? */
static bool tt_competes(const tt_prep *pp, int a, int b)
{
	const tt_cell *ca = &pp->cells[a], *cb = &pp->cells[b];
	if (!(ca->mask & cb->mask))
		return false;
	return ca->loc == cb->loc || (cb->quals & ca->quals) == ca->quals;
}

/* The learners of each childcare provider who bring young children
 * (plist[pstart[p] .. pstart[p + 1])) and of each household whose partners
 * are kept apart (hlist, hstart), when those rules hold. */
static void tt_lns_groups(const tt_prep *pp, int *pstart, int *plist, int *hstart, int *hlist)
{
	const tt_model *m = pp->m;
	int n = m->n_learners, np = m->n_childcare, nh = m->n_households > 0 ? m->n_households : 0;
	for (int i = 0; i < n; i++) {
		if (tt_needs_care(pp, i))
			pstart[m->learners[i].childcare + 1]++;
		if (tt_kept_apart(pp, i))
			hstart[m->learners[i].household + 1]++;
	}
	for (int p = 0; p < np; p++)
		pstart[p + 1] += pstart[p];
	for (int h = 0; h < nh; h++)
		hstart[h + 1] += hstart[h];
	int *pf = xmalloc(((size_t)np + 1) * sizeof *pf), *hf = xmalloc(((size_t)nh + 1) * sizeof *hf);
	memcpy(pf, pstart, ((size_t)np + 1) * sizeof *pf);
	memcpy(hf, hstart, ((size_t)nh + 1) * sizeof *hf);
	for (int i = 0; i < n; i++) {
		if (tt_needs_care(pp, i))
			plist[pf[m->learners[i].childcare]++] = i;
		if (tt_kept_apart(pp, i))
			hlist[hf[m->learners[i].household]++] = i;
	}
	free(pf);
	free(hf);
}

static int tt_cmp_rank(const void *a, const void *b, void *arg)
{
	const int *rank = arg;
	return rank[*(const int *)a] - rank[*(const int *)b];
}

/* The waiting learners of trial who may have gained a seat in a move (see
 * tt_lns): the freed ones, those eligible for the cells of the groups the
 * move opened (trial's groups from new_from on) or for cells[0 .. ncells)
 * (those a pull took members from), and those sharing a provider or a
 * household with a freed (or pulled) learner; in u_order's order.
 * stamp[] marks who is listed already (with the move's number). */
static int tt_lns_who(const tt_prep *pp, const tt_plan *trial, int new_from, const int *cells,
		      int ncells, const int *freed, int nfreed, const int *pstart, const int *plist,
		      const int *hstart, const int *hlist, int *stamp, int mark, const int *rank,
		      int *who)
{
	const tt_model *m = pp->m;
	int nwho = 0;
#define TT_WHO(i)                                                     \
	do {                                                          \
		int i_ = (i);                                         \
		if (trial->asg[i_] == -1 && stamp[i_] != mark) {      \
			stamp[i_] = mark;                             \
			who[nwho++] = i_;                             \
		}                                                     \
	} while (0)
	for (int k = 0; k < nfreed; k++)
		TT_WHO(freed[k]);
	for (int g = new_from; g < trial->n_groups; g++) {
		const tt_cell *ce = &pp->cells[trial->g[g].cell];
		for (int e = 0; e < ce->n_elig; e++)
			TT_WHO(ce->elig[e]);
	}
	for (int q = 0; q < ncells; q++) {
		const tt_cell *ce = &pp->cells[cells[q]];
		for (int e = 0; e < ce->n_elig; e++)
			TT_WHO(ce->elig[e]);
	}
	for (int k = 0; k < nfreed; k++) {
		const tt_learner *l = &m->learners[freed[k]];
		if (tt_needs_care(pp, freed[k]))
			for (int q = pstart[l->childcare]; q < pstart[l->childcare + 1]; q++)
				TT_WHO(plist[q]);
		if (tt_kept_apart(pp, freed[k]))
			for (int q = hstart[l->household]; q < hstart[l->household + 1]; q++)
				TT_WHO(hlist[q]);
	}
#undef TT_WHO
	qsort_r(who, (size_t)nwho, sizeof *who, tt_cmp_rank, (void *)rank);
	return nwho;
}

/* One of the option cells of a waiting learner, drawn at random (20 tries),
 * or -1. */
static int tt_waiting_cell(const tt_prep *pp, const tt_plan *cur, uint64_t *rng)
{
	int n = pp->m->n_learners;
	for (int t = 0; t < 20; t++) {
		int i = tt_rng_below(rng, n);
		int no = pp->opt_start[i + 1] - pp->opt_start[i];
		if (cur->asg[i] != -1 || no == 0)
			continue;
		int c = pp->opts[pp->opt_start[i] + tt_rng_below(rng, no)].cell;
		if (c >= 0 && pp->cells[c].alive)
			return c;
	}
	return -1;
}

long tt_lns(const tt_prep *pp, lp_ctl *ctl, unsigned seed, long max_iter, double deadline,
	    tt_plan *pl)
{
	return tt_lns_run(pp, ctl, seed, max_iter, deadline, pl, false);
}

long tt_lns_run(const tt_prep *pp, lp_ctl *ctl, unsigned seed, long max_iter, double deadline,
		tt_plan *pl, bool full_fill)
{
	const tt_model *m = pp->m;
	int n = m->n_learners, nc = pp->n_cells;
	uint64_t rng = 0x5851f42d4c957f2dULL ^ ((uint64_t)seed << 17);
	tt_plan cur, trial;
	tt_plan_init(&cur, n);
	tt_plan_init(&trial, n);
	tt_plan_copy(&cur, pl);
	double cur_cost = tt_plan_cost(pp, &cur), best_cost = cur_cost;
	int *cnt = xcalloc((size_t)nc + 1, sizeof *cnt);
	double cur_over = tt_plan_over(pp, &cur, cnt), trial_over = 0;
	/* alive cells by location, for the cells a freed room may serve */
	int nl = m->n_locations;
	int *lstart = xcalloc((size_t)nl + 2, sizeof *lstart);
	int *lcell = xmalloc((size_t)(nc ? nc : 1) * sizeof *lcell);
	tt_mask *lmask = xmalloc((size_t)(nc ? nc : 1) * sizeof *lmask); /* lcell's masks */
	for (int c = 0; c < nc; c++)
		if (pp->cells[c].alive)
			lstart[pp->cells[c].loc + 1]++;
	for (int l = 0; l < nl; l++)
		lstart[l + 1] += lstart[l];
	int *lfill = xmalloc((size_t)(nl ? nl : 1) * sizeof *lfill);
	for (int l = 0; l < nl; l++)
		lfill[l] = lstart[l];
	for (int c = 0; c < nc; c++)
		if (pp->cells[c].alive)
			lcell[lfill[pp->cells[c].loc]++] = c;
	for (int q = 0; q < lstart[nl]; q++)
		lmask[q] = pp->cells[lcell[q]].mask;
	free(lfill);
	bool *cand = xcalloc((size_t)nc + 1, sizeof *cand);
	int *clist = xmalloc(((size_t)nc + 1) * sizeof *clist), ncl = 0;
	/* the cells the recreate step considers: cand[] marks them, clist lists
	 * them (so neither costs a pass over every cell) */
#define TT_MARK(c)                         \
	do {                               \
		int c_ = (c);              \
		if (c_ >= 0 && !cand[c_]) { \
			cand[c_] = true;   \
			clist[ncl++] = c_; \
		}                          \
	} while (0)
	bool *ruin = xcalloc((size_t)nc + 1, sizeof *ruin);
	/* per cell, its eligible learners waiting in trial (kept through the
	 * ruin, the recreate and the fill; put back when a move is refused) */
	int *wcnt = xcalloc((size_t)nc + 1, sizeof *wcnt);
	for (int i = 0; i < n; i++)
		if (cur.asg[i] == -1)
			tt_wait_count(pp, wcnt, i, 1);
	int *pick = xmalloc(8 * sizeof *pick);
	/* what cur uses, kept through each move (trial's starts as a copy), and
	 * the fill's per-cell scratch */
	tt_res rcur, rtrial;
	tt_res_init(&rcur, pp);
	tt_res_init(&rtrial, pp);
	tt_res_of_plan(&rcur, pp, &cur);
	int *seats = xcalloc((size_t)nc + 1, sizeof *seats);
	unsigned char *smark = xcalloc((size_t)nc + 1, 1);
	int *sextra = m->room_capacity_soft ? xcalloc((size_t)nc + 1, sizeof *sextra) : NULL;
	/* Only some waiting learners can gain a seat from a move, once cur is
	 * filled (no waiting learner fits a free seat of it): those the ruin
	 * freed, those eligible for a cell where the recreate opened a group
	 * or a pull took members from, and those sharing a childcare provider
	 * or a household with a freed or pulled learner (freed places or
	 * dagdelen). Everyone else waited in cur
	 * with no seat they could take, and a move gives the surviving groups
	 * no seats and nobody else a resource. So the fill offers seats to
	 * these alone, in the order of u_order, with the same result as
	 * offering them to everyone (the first move, before cur is known to
	 * be filled, offers them to everyone). The learners eligible for a
	 * group the recreate opened cannot take its seats today (the greedy
	 * fills a new group with every waiting learner of positive gain who
	 * fits it, the fill's own test), but that is the greedy's business, so
	 * they are offered the seats all the same. test_lns_fill_some compares
	 * the plans with offering seats to everyone. */
	bool cur_filled = false;
	int *rank = xmalloc(((size_t)n + 1) * sizeof *rank);
	for (int q = 0; q < n; q++)
		rank[pp->u_order[q]] = q;
	int *stamp = xcalloc((size_t)n + 1, sizeof *stamp);
	int *who = xmalloc(((size_t)n + 1) * sizeof *who);
	int *freed = xmalloc(((size_t)n + 1) * sizeof *freed);
	int *from = xmalloc(((size_t)n + 1) * sizeof *from);
	tt_pull *pull = tt_pull_new(pp);
	int nprov = m->n_childcare, nhh = m->n_households > 0 ? m->n_households : 0;
	int *pstart = xcalloc((size_t)nprov + 2, sizeof *pstart);
	int *hstart = xcalloc((size_t)nhh + 2, sizeof *hstart);
	int *plist = xmalloc(((size_t)n + 1) * sizeof *plist);
	int *hlist = xmalloc(((size_t)n + 1) * sizeof *hlist);
	tt_lns_groups(pp, pstart, plist, hstart, hlist);
	long it = 0, since = 0, kicks = 0;
	/* after this many moves without a new best, one move is kept whatever it
	 * costs (a kick out of the local optimum) */
	long stall = 400 + 4L * n;
	for (; it < max_iter; it++) {
		if ((ctl->cancel && *ctl->cancel) || lp_now() >= deadline)
			break;
		if (cur.n_groups == 0)
			break;
		/* ruin: the groups of up to four cells, up to eight on a kick */
		bool kick = since >= stall;
		if (kick && ++kicks > TT_LNS_KICKS)
			break; /* converged: this many kicks found nothing better */
		/* a quarter of the other moves pull a group together for a waiting
		 * learner's cell (tt_pull_cell), the others ruin and recreate */
		int pc = -1, nfreed = 0, nfrom = 0, new_from;
		if (!kick && tt_rng_below(&rng, TT_LNS_PULL) == 0)
			pc = tt_waiting_cell(pp, &cur, &rng);
		if (pc >= 0) {
			tt_plan_copy(&trial, &cur);
			tt_res_copy(&rtrial, &rcur);
			nfreed = tt_pull_cell(pull, pp, &trial, &rtrial, wcnt, pc, freed, from);
			if (nfreed < 0)
				continue; /* no such group: the plan is unchanged */
			nfrom = nfreed;
			new_from = trial.n_groups - 1;
		} else {
			int k = kick ? 4 + tt_rng_below(&rng, 5) : 1 + tt_rng_below(&rng, 4), np = 0;
			if (k > cur.n_groups)
				k = cur.n_groups;
			/* half the moves aim at a waiting learner: one of its cells, and
			 * the groups competing with it for rooms and teachers */
			int anchor = -1;
			if (!kick && tt_rng_below(&rng, 2))
				anchor = tt_waiting_cell(pp, &cur, &rng);
			if (anchor >= 0) {
				int g = -1;
				for (int t = 0; t < 24 && g < 0; t++) {
					int q = tt_rng_below(&rng, cur.n_groups);
					if (tt_competes(pp, anchor, cur.g[q].cell))
						g = q;
				}
				pick[np++] = g >= 0 ? g : tt_rng_below(&rng, cur.n_groups);
			} else {
				pick[np++] = tt_rng_below(&rng, cur.n_groups);
			}
			for (int j = 1; j < k; j++) {
				int g = -1;
				for (int t = 0; t < 12 && g < 0; t++) {
					int q = tt_rng_below(&rng, cur.n_groups);
					if (anchor >= 0 ? tt_competes(pp, anchor, cur.g[q].cell)
							: tt_related(pp, &cur.g[pick[0]], &cur.g[q]))
						g = q;
				}
				if (g < 0)
					g = tt_rng_below(&rng, cur.n_groups);
				for (int t = 0; t < np && g >= 0; t++)
					if (cur.g[pick[t]].cell == cur.g[g].cell)
						g = -1;
				if (g < 0)
					g = tt_rng_below(&rng, cur.n_groups);
				pick[np++] = g;
			}
			tt_plan_copy(&trial, &cur);
			tt_res_copy(&rtrial, &rcur);
			for (int q = 0; q < ncl; q++)
				cand[clist[q]] = false;
			ncl = 0;
			for (int j = 0; j < np; j++)
				ruin[cur.g[pick[j]].cell] = true;
			if (anchor >= 0)
				TT_MARK(anchor);
			int w = 0;
			for (int g = 0; g < trial.n_groups; g++) {
				const tt_pgroup *pg = &trial.g[g];
				if (ruin[pg->cell]) {
					const tt_cell *ce = &pp->cells[pg->cell];
					tt_res_drop_group(&rtrial, pp, ce, pg->room, pg->teacher);
					/* cells that may use the freed room (those with
					 * too few waiting yet enter below if freed learners
					 * bring them to their minimum) */
					for (int q = lstart[ce->loc]; q < lstart[ce->loc + 1]; q++)
						if ((lmask[q] & ce->mask) &&
						    wcnt[lcell[q]] >= pp->cell_min[lcell[q]])
							TT_MARK(lcell[q]);
					continue;
				}
				trial.g[w++] = *pg;
			}
			trial.n_groups = w;
			/* the ruined cells' members, found among each cell's eligible
			 * learners (ruin[] is cleared as a cell is done) */
			for (int j = 0; j < np; j++) {
				int a = cur.g[pick[j]].cell;
				if (!ruin[a])
					continue;
				ruin[a] = false;
				const tt_cell *ca = &pp->cells[a];
				for (int e = 0; e < ca->n_elig; e++) {
					int i = ca->elig[e];
					if (trial.asg[i] != a)
						continue;
					trial.asg[i] = -1;
					freed[nfreed++] = i;
					tt_res_drop_learner(&rtrial, pp, i, ca->mask);
					/* a cell with fewer waiting than its minimum is skipped by
					 * the recreate: listed once the count reaches it (counts
					 * only grow here, so the list is the same as marking all) */
					for (int o = pp->opt_start[i]; o < pp->opt_start[i + 1]; o++) {
						int c = pp->opts[o].cell;
						if (c >= 0 && ++wcnt[c] >= pp->cell_min[c])
							TT_MARK(c);
					}
				}
			}
			/* recreate */
			double noise = (kick ? 0.6 : 0.3) * (double)tt_rng_below(&rng, 1000) / 1000.0;
			tt_greedy_extend_list(pp, &trial, clist, ncl, tt_rng(&rng), noise, wcnt, &rtrial);
			new_from = w;
		}
		if (cur_filled && !full_fill) {
			int nwho = tt_lns_who(pp, &trial, new_from, from, nfrom, freed, nfreed, pstart,
					      plist, hstart, hlist, stamp, (int)(it + 1), rank, who);
			tt_plan_fill_some(pp, &trial, wcnt, &rtrial, seats, sextra, smark, who, nwho);
		} else {
			tt_plan_fill_res(pp, &trial, wcnt, &rtrial, seats, sextra);
		}
		double c = tt_cost_from(pp, &cur, cur_cost, cur_over, &trial, cnt, &trial_over);
		since++;
		if (c <= cur_cost + 1e-9 || kick) {
			if (kick)
				since = 0;
			tt_plan tmp = cur;
			cur = trial;
			trial = tmp;
			tt_res rtmp = rcur;
			rcur = rtrial;
			rtrial = rtmp;
			cur_cost = c;
			cur_over = trial_over;
			cur_filled = true;
			if (c < best_cost - 1e-9) {
				best_cost = c;
				since = 0;
				kicks = 0;
				tt_plan_copy(pl, &cur);
			}
		} else {
			/* refused: wcnt back to cur */
			for (int i = 0; i < n; i++) {
				int a = cur.asg[i], b = trial.asg[i];
				if ((a == -1) != (b == -1))
					tt_wait_count(pp, wcnt, i, a == -1 ? 1 : -1);
			}
		}
	}
	free(wcnt);
	free(seats);
	free(smark);
	free(sextra);
	free(rank);
	free(stamp);
	free(who);
	free(freed);
	free(from);
	tt_pull_free(pull);
	free(pstart);
	free(hstart);
	free(plist);
	free(hlist);
	tt_res_free(&rcur);
	tt_res_free(&rtrial);
	free(pick);
	free(cnt);
	free(lstart);
	free(lcell);
	free(lmask);
	free(cand);
	free(clist);
#undef TT_MARK
	free(ruin);
	tt_plan_free(&cur);
	tt_plan_free(&trial);
	return it;
}
