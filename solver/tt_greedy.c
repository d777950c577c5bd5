/* tt_greedy.c: the fallback plan. Lazy greedy over cells: repeatedly open
 * the group (cell, room, teacher, members) that lowers the objective most,
 * then let the remaining learners join running groups. The same greedy
 * extends a partial plan for the local search (tt_lns.c), optionally with
 * noise on the gains. Every step respects
 * all hard rules, so the result is always a valid plan and is ready before
 * any MIP runs. Deterministic (ties break on indices; noise is a hash of
 * the cell and a salt). */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tt_internal.h"
#include "xalloc.h"

typedef struct tt_hent {
	double val;
	int cell;
} tt_hent;

typedef struct tt_heap {
	tt_hent *a;
	int n, cap;
} tt_heap;

static bool tt_hless(tt_hent x, tt_hent y) /* x below y in a max-heap */
{
	return x.val < y.val || (x.val == y.val && x.cell > y.cell);
}

static void tt_heap_push(tt_heap *h, tt_hent e)
{
	if (h->n == h->cap) {
		h->cap = h->cap ? 2 * h->cap : 256;
		h->a = xrealloc(h->a, (size_t)h->cap * sizeof *h->a);
	}
	int k = h->n++;
	while (k > 0 && tt_hless(h->a[(k - 1) / 2], e)) {
		h->a[k] = h->a[(k - 1) / 2];
		k = (k - 1) / 2;
	}
	h->a[k] = e;
}

static tt_hent tt_heap_pop(tt_heap *h)
{
	tt_hent top = h->a[0], e = h->a[--h->n];
	int k = 0;
	for (;;) {
		int c = 2 * k + 1;
		if (c >= h->n)
			break;
		if (c + 1 < h->n && tt_hless(h->a[c], h->a[c + 1]))
			c++;
		if (!tt_hless(e, h->a[c]))
			break;
		h->a[k] = h->a[c];
		k = c;
	}
	if (h->n)
		h->a[k] = e;
	return top;
}

#define TT_PICK_SPARE 4 /* candidates sorted beyond a group's capacity */

typedef struct tt_gscratch {
	int *cand;
	double *gain;
	int *sel;
	int nsel;
	int *cc_local; /* [n_childcare] extra children taken per provider */
	int *hh_local; /* [n_households] taken in this group */
	int room, teacher;
	/* tt_pull_cell only: a candidate placed in a cell (asg >= 0) takes one
	 * of spare[its cell] (members that cell's groups can give up) */
	const int *asg;
	int *spare;
} tt_gscratch;

/* Scratch for pp's learners and families (zeroed where tt_pick needs it). */
static void tt_gscratch_init(tt_gscratch *s, const tt_prep *pp)
{
	const tt_model *m = pp->m;
	int n = m->n_learners;
	*s = (tt_gscratch){0};
	s->cand = xmalloc((size_t)(n + 1) * sizeof *s->cand);
	s->sel = xmalloc((size_t)(n + 1) * sizeof *s->sel);
	s->gain = xmalloc((size_t)(n + 1) * sizeof *s->gain);
	s->cc_local = xcalloc((size_t)m->n_childcare + 1, sizeof *s->cc_local);
	s->hh_local =
		xcalloc((size_t)(m->n_households > 0 ? m->n_households : 0) + 1, sizeof *s->hh_local);
}

static void tt_gscratch_free(tt_gscratch *s)
{
	free(s->cand);
	free(s->sel);
	free(s->gain);
	free(s->cc_local);
	free(s->hh_local);
}

static int tt_cmp_gain(const void *a, const void *b, void *arg)
{
	const double *gain = arg;
	int x = *(const int *)a, y = *(const int *)b;
	double gx = gain[x], gy = gain[y];
	if (gx != gy)
		return gx > gy ? -1 : 1;
	return x - y;
}

/* Sorted by gain (tt_cmp_gain), the k best of cand[0 .. n) in cand[0 .. k)
 * (insertion into a sorted prefix). */
static void tt_top_gain(int *cand, int n, int k, const double *gain)
{
	int w = 0;
	for (int j = 0; j < n; j++) {
		int x = cand[j];
		if (w == k && tt_cmp_gain(&x, &cand[w - 1], (void *)gain) >= 0)
			continue;
		int pos = w < k ? w++ : w - 1;
		while (pos > 0 && tt_cmp_gain(&x, &cand[pos - 1], (void *)gain) < 0) {
			cand[pos] = cand[pos - 1];
			pos--;
		}
		cand[pos] = x;
	}
}

/* The group's members from the candidates s->cand[0 .. lim), in order (up
 * to cap; past the minimum size only while gains stay positive; skipping
 * a partner kept apart of a member and a parent whose children's places
 * the group already took): s->sel, s->nsel, *val the objective decrease.
 * Returns false when the walk needed candidates past lim. */
static bool tt_pick(const tt_prep *pp, const tt_res *res, const tt_cell *ce, int cap,
		    tt_gscratch *s, int lim, double *val)
{
	const tt_model *m = pp->m;
	*val = -ce->gcost;
	s->nsel = 0;
	int k = 0;
	bool done = false;
	for (; k < lim && s->nsel < cap; k++) {
		int i = s->cand[k];
		if (s->nsel >= ce->minsz && s->gain[i] <= 0) {
			done = true;
			break;
		}
		const tt_learner *l = &m->learners[i];
		if (tt_kept_apart(pp, i) && s->hh_local[l->household])
			continue;
		if (s->spare && s->asg[i] >= 0 && s->spare[s->asg[i]] <= 0)
			continue;
		if (tt_needs_care(pp, i)) {
			const tt_childcare *kc = &m->childcare[l->childcare];
			int extra = s->cc_local[l->childcare] + l->young_children;
			bool ok = true;
			for (tt_mask rest = ce->mask; rest && ok; rest &= rest - 1) {
				int t = __builtin_ctz(rest);
				if (res->cc_used[l->childcare * pp->nd + t] + extra > kc->places[t])
					ok = false;
			}
			if (!ok)
				continue;
			s->cc_local[l->childcare] = extra;
		}
		if (l->household >= 0)
			s->hh_local[l->household] = 1;
		if (s->spare && s->asg[i] >= 0)
			s->spare[s->asg[i]]--;
		s->sel[s->nsel++] = i;
		*val += s->gain[i];
	}
	for (int q = 0; q < s->nsel; q++) {
		const tt_learner *l = &m->learners[s->sel[q]];
		if (l->childcare >= 0)
			s->cc_local[l->childcare] = 0;
		if (l->household >= 0)
			s->hh_local[l->household] = 0;
		if (s->spare && s->asg[s->sel[q]] >= 0)
			s->spare[s->asg[s->sel[q]]]++;
	}
	return done || s->nsel >= cap || k < lim;
}

/* Whether cell c can be staffed now: returns the largest group it can
 * hold (route maximum and the largest free room), -1 when no room or no
 * teacher is free; *teacher gets the teacher to take (-1 when teachers are
 * relaxed): the least qualified, then the least available. */
static int tt_cell_staff(const tt_prep *pp, const tt_res *res, int c, int *teacher)
{
	const tt_model *m = pp->m;
	const tt_cell *ce = &pp->cells[c];
	*teacher = -1;
	int maxcap = -1;
	for (int q = pp->lroom_start[ce->loc]; q < pp->lroom_start[ce->loc + 1]; q++) {
		int r = pp->lroom[q];
		if (tt_room_fits(pp, res, r, ce) && m->rooms[r].capacity > maxcap)
			maxcap = m->rooms[r].capacity;
	}
	if (maxcap < 0)
		return -1;
	if (!(pp->relax & TT_F_TEACHER)) {
		int best_key = INT_MAX;
		for (int q = pp->cteach_start[c]; q < pp->cteach_start[c + 1]; q++) {
			int t = pp->cteach[q];
			if (!tt_teacher_free(pp, res, t, ce))
				continue;
			/* the start's teachers here first, then the least
			 * qualified, then the least available */
			int rank = tt_start_teacher_rank(pp, c, t);
			int key = rank >= 0 ? INT_MIN + rank
					    : __builtin_popcount((unsigned)m->teachers[t].quals) * 64 +
						  __builtin_popcount(m->teachers[t].avail &
								     ~res->teach_busy[t]);
			if (key < best_key)
				best_key = key, *teacher = t;
		}
		if (*teacher < 0)
			return -1;
	}
	return ce->maxsz < maxcap ? ce->maxsz : maxcap;
}

/* The start's room of cell ce when it is free and holds size learners,
 * else the smallest free room of its location that does. */
static int tt_cell_room(const tt_prep *pp, const tt_res *res, const tt_cell *ce, int size)
{
	const tt_model *m = pp->m;
	int pref = tt_start_room(pp, res, (int)(ce - pp->cells), size);
	if (pref >= 0)
		return pref;
	int best_r = -1;
	for (int q = pp->lroom_start[ce->loc]; q < pp->lroom_start[ce->loc + 1]; q++) {
		int r = pp->lroom[q];
		if (!tt_room_fits(pp, res, r, ce) || m->rooms[r].capacity < size)
			continue;
		if (best_r < 0 || m->rooms[r].capacity < m->rooms[best_r].capacity)
			best_r = r;
	}
	return best_r;
}

/* Best group for cell c now; returns its objective decrease or -HUGE_VAL. */
static double tt_eval_cell(const tt_prep *pp, const tt_res *res, const int *asg, const int *wcnt,
			   int c, tt_gscratch *s)
{
	const tt_cell *ce = &pp->cells[c];
	/* too few eligible learners wait: most cells a local-search move
	 * looks at (95 % on region-2000), found without the walk below */
	if (wcnt && wcnt[c] < ce->minsz)
		return -HUGE_VAL;
	/* learners first: the cheapest test, and it fails most often */
	int nc = 0;
	for (int k = 0; k < ce->n_elig; k++) {
		int i = ce->elig[k];
		if (asg[i] != -1 || !tt_learner_free(pp, res, i, ce->mask))
			continue;
		s->gain[i] = pp->u[i] - ce->ecost[k];
		s->cand[nc++] = i;
	}
	if (nc < ce->minsz)
		return -HUGE_VAL;
	int best_t, cap = tt_cell_staff(pp, res, c, &best_t);
	if (cap < ce->minsz)
		return -HUGE_VAL;
	/* the members: candidates by gain, skipping those whose partner or
	 * childcare places the group already took. Most cells need only the
	 * first few, so only cap + TT_PICK_SPARE are sorted at first; the full
	 * sort follows only when the walk runs past them (the same members
	 * either way). */
	int k_sorted = nc > cap + TT_PICK_SPARE ? cap + TT_PICK_SPARE : nc;
	tt_top_gain(s->cand, nc, k_sorted, s->gain);
	double val;
	if (!tt_pick(pp, res, ce, cap, s, k_sorted, &val) && k_sorted < nc) {
		qsort_r(s->cand, (size_t)nc, sizeof *s->cand, tt_cmp_gain, s->gain);
		tt_pick(pp, res, ce, cap, s, nc, &val);
	}
	if (s->nsel < ce->minsz)
		return -HUGE_VAL;
	s->room = tt_cell_room(pp, res, ce, s->nsel);
	s->teacher = best_t;
	return s->room < 0 ? -HUGE_VAL : val;
}

/* A noise factor in [1 - noise, 1 + noise) for cell c, fixed per salt. */
static double tt_noise(int c, uint64_t salt, double noise)
{
	if (noise <= 0)
		return 1.0;
	uint64_t x = ((uint64_t)(uint32_t)c + 1) * 0x9e3779b97f4a7c15ULL ^ salt;
	x ^= x >> 31;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 29;
	double r = (double)(x >> 11) * (1.0 / 9007199254740992.0);
	return 1.0 + noise * (2.0 * r - 1.0);
}

void tt_greedy(const tt_prep *pp, unsigned seed, tt_plan *out)
{
	(void)seed; /* the greedy is deterministic; ties break on indices */
	tt_plan_init(out, pp->m->n_learners);
	tt_greedy_extend(pp, out, NULL, 0, 0.0);
}

static void tt_extend(const tt_prep *pp, tt_plan *out, const bool *cand, const int *list,
		      int n_list, uint64_t salt, double noise, int *wcnt, tt_res *resp);

void tt_wait_count(const tt_prep *pp, int *wcnt, int i, int delta)
{
	for (int o = pp->opt_start[i]; o < pp->opt_start[i + 1]; o++)
		if (pp->opts[o].cell >= 0)
			wcnt[pp->opts[o].cell] += delta;
}

void tt_greedy_extend(const tt_prep *pp, tt_plan *out, const bool *cand, uint64_t salt,
		      double noise)
{
	tt_extend(pp, out, cand, NULL, 0, salt, noise, NULL, NULL);
}

void tt_greedy_extend_list(const tt_prep *pp, tt_plan *out, const int *list, int n_list,
			   uint64_t salt, double noise, int *wcnt, tt_res *res)
{
	tt_extend(pp, out, NULL, list, n_list, salt, noise, wcnt, res);
}

/* The cells considered at first: cand[c] set, or those in list, or all when
 * both are NULL. Their order does not matter: they are all evaluated
 * against the same resources, and the heap orders them by (value, cell).
 * resp, when not NULL, holds what out uses and is kept so; otherwise the
 * resources are counted here. */
static void tt_extend(const tt_prep *pp, tt_plan *out, const bool *cand, const int *list,
		      int n_list, uint64_t salt, double noise, int *wcnt, tt_res *resp)
{
	const tt_model *m = pp->m;
	tt_res own;
	if (!resp) {
		tt_res_init(&own, pp);
		tt_res_of_plan(&own, pp, out);
	}
	tt_res *res = resp ? resp : &own;
	tt_gscratch s;
	tt_gscratch_init(&s, pp);
	tt_heap h = {0};
	int nfirst = list ? n_list : pp->n_cells;
	for (int q = 0; q < nfirst; q++) {
		int c = list ? list[q] : q;
		if ((cand && !cand[c]) || (wcnt ? wcnt[c] < pp->cell_min[c] : !pp->cells[c].alive))
			continue;
		double v = tt_eval_cell(pp, res, out->asg, wcnt, c, &s);
		if (v > 0)
			tt_heap_push(&h, (tt_hent){v * tt_noise(c, salt, noise), c});
	}
	while (h.n > 0) {
		tt_hent e = tt_heap_pop(&h);
		double v = tt_eval_cell(pp, res, out->asg, wcnt, e.cell, &s);
		if (!(v > 0))
			continue;
		double key = v * tt_noise(e.cell, salt, noise);
		if (h.n > 0 && key < h.a[0].val - 1e-9) {
			tt_heap_push(&h, (tt_hent){key, e.cell});
			continue;
		}
		const tt_cell *ce = &pp->cells[e.cell];
		tt_plan_add_group(out, e.cell, s.room, s.teacher);
		tt_res_use_group(res, pp, ce, s.room, s.teacher);
		for (int k = 0; k < s.nsel; k++) {
			out->asg[s.sel[k]] = e.cell;
			tt_res_use_learner(res, pp, s.sel[k], ce->mask);
			if (wcnt)
				tt_wait_count(pp, wcnt, s.sel[k], -1);
		}
		tt_heap_push(&h, (tt_hent){key, e.cell});
	}
	/* Joiners for running groups, longest-waiting first. */
	int seats = 0;
	for (int r = 0; r < m->n_running; r++)
		seats += res->run_free[r] > 0;
	for (int k = 0; k < pp->n_join && seats > 0; k++) {
		int i = pp->join_order[k], best = -1;
		if (out->asg[i] != -1)
			continue;
		double bc = HUGE_VAL;
		for (int o = pp->opt_start[i]; o < pp->opt_start[i + 1]; o++) {
			int r = -2 - pp->opts[o].cell;
			if (pp->opts[o].cell >= 0 || res->run_free[r] <= 0 ||
			    !tt_learner_free(pp, res, i, m->running[r].sessions))
				continue;
			double oc = pp->opts[o].cost;
			if (m->room_capacity_soft)
				oc += tt_run_join_penalty(pp, res, r);
			if (oc < bc)
				bc = oc, best = r;
		}
		if (best >= 0 && bc < pp->u[i]) {
			out->asg[i] = -2 - best;
			if (wcnt)
				tt_wait_count(pp, wcnt, i, -1);
			res->run_free[best]--;
			tt_res_use_learner(res, pp, i, m->running[best].sessions);
		}
	}
	free(h.a);
	tt_gscratch_free(&s);
	if (!resp)
		tt_res_free(&own);
}

struct tt_pull {
	tt_gscratch s;
	int *spare; /* per cell, members its groups can give up (-1: not counted yet) */
	int *kgr;   /* per cell, its groups */
	int *stamp; /* spare and kgr hold for this call where stamp == mark */
	int mark;
};

tt_pull *tt_pull_new(const tt_prep *pp)
{
	int nc = pp->n_cells;
	tt_pull *ps = xcalloc(1, sizeof *ps);
	tt_gscratch_init(&ps->s, pp);
	ps->spare = xmalloc(((size_t)nc + 1) * sizeof *ps->spare);
	ps->kgr = xmalloc(((size_t)nc + 1) * sizeof *ps->kgr);
	ps->stamp = xcalloc((size_t)nc + 1, sizeof *ps->stamp);
	return ps;
}

void tt_pull_free(tt_pull *ps)
{
	if (!ps)
		return;
	tt_gscratch_free(&ps->s);
	free(ps->spare);
	free(ps->kgr);
	free(ps->stamp);
	free(ps);
}

int tt_pull_cell(tt_pull *ps, const tt_prep *pp, tt_plan *pl, tt_res *res, int *wcnt, int c,
		 int *moved, int *from)
{
	const tt_cell *ce = &pp->cells[c];
	if (!ce->alive || (wcnt && wcnt[c] == 0))
		return -1;
	int best_t, cap = tt_cell_staff(pp, res, c, &best_t);
	if (cap < ce->minsz)
		return -1;
	if (++ps->mark == 0) { /* wrapped: start the stamps again */
		memset(ps->stamp, 0, (size_t)pp->n_cells * sizeof *ps->stamp);
		ps->mark = 1;
	}
	for (int g = 0; g < pl->n_groups; g++) {
		int a = pl->g[g].cell;
		if (ps->stamp[a] != ps->mark) {
			ps->stamp[a] = ps->mark;
			ps->kgr[a] = 0;
			ps->spare[a] = -1;
		}
		ps->kgr[a]++;
	}
	tt_gscratch *s = &ps->s;
	int nc = 0, nwait = 0;
	for (int k = 0; k < ce->n_elig; k++) {
		int i = ce->elig[k], a = pl->asg[i];
		if (a == -1) {
			if (!tt_learner_free(pp, res, i, ce->mask))
				continue;
			s->gain[i] = pp->u[i] - ce->ecost[k];
			nwait++;
		} else if (a >= 0 && a != c) {
			const tt_cell *ca = &pp->cells[a];
			if (ps->spare[a] < 0) {
				int na = 0;
				for (int e = 0; e < ca->n_elig; e++)
					na += pl->asg[ca->elig[e]] == a;
				ps->spare[a] = na - ps->kgr[a] * ca->minsz;
			}
			if (ps->spare[a] <= 0)
				continue;
			/* free for c once its own dagdelen in a are given back */
			tt_res_drop_learner(res, pp, i, ca->mask);
			bool ok = tt_learner_free(pp, res, i, ce->mask);
			tt_res_use_learner(res, pp, i, ca->mask);
			if (!ok)
				continue;
			s->gain[i] = tt_learner_cost(pp, i, a) - ce->ecost[k];
		} else {
			continue;
		}
		s->cand[nc++] = i;
	}
	if (nwait == 0 || nc < ce->minsz)
		return -1;
	qsort_r(s->cand, (size_t)nc, sizeof *s->cand, tt_cmp_gain, s->gain);
	s->asg = pl->asg;
	s->spare = ps->spare;
	double val;
	tt_pick(pp, res, ce, cap, s, nc, &val);
	s->spare = NULL;
	if (s->nsel < ce->minsz)
		return -1;
	int room = tt_cell_room(pp, res, ce, s->nsel);
	if (room < 0)
		return -1;
	tt_plan_add_group(pl, c, room, best_t);
	tt_res_use_group(res, pp, ce, room, best_t);
	int nm = 0;
	for (int k = 0; k < s->nsel; k++) {
		int i = s->sel[k], a = pl->asg[i];
		if (a == -1) {
			if (wcnt)
				tt_wait_count(pp, wcnt, i, -1);
		} else {
			tt_res_drop_learner(res, pp, i, pp->cells[a].mask);
			moved[nm] = i;
			from[nm++] = a;
		}
		pl->asg[i] = c;
		tt_res_use_learner(res, pp, i, ce->mask);
	}
	return nm;
}
