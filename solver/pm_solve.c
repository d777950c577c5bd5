/* pm_solve.c: placement matching as one integer program in GLPK.
 *
 * Columns, per allowed participant–placement pair k (pm_pair_check):
 *   x_k       binary, the participant works there;
 *   n_kc      integer, how many of the pair's allowed dagdelen of length
 *             class c it works (a placement whose max_per_dagdeel is below
 *             its capacity gets binaries y_kd per dagdeel instead, since
 *             then it matters which dagdelen);
 *   s_k       hours a week below the pair's target (hours_short);
 * per placement and mother tongue with more candidates than its cap:
 *   o_wt      participants above max_same_tongue.
 * Rows: one placement per participant (= 1 when must_place), n_kc ≤ cnt_c x_k
 * (y_kd ≤ x_k), hours of the pair within [lo, hi] x_k, s_k ≥ target x_k −
 * hours, and per placement capacity, hours_capacity, coach hours, seats per
 * dagdeel and the same-tongue excess. The objective's constant is the cost
 * of leaving everyone unplaced (and every current placement left); x_k's
 * coefficient is its cost less the unplaced cost it saves. So dagdelen are
 * counted, not named, for most placements: which of equal dagdelen are worked
 * changes no cost and no row, and they are named afterwards, spread over the
 * week (pm_pick_hours). A greedy matching (longest waiting first, each to
 * its cheapest placement with room) is the first incumbent. */
#include "pm_internal.h"

#include "lp.h"
#include "rs_error.h"
#include "xalloc.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What a column of a pair puts into its placement's rows: persons (1 for
 * an option or x_k), hours a week, and the dagdelen it seats. */
typedef struct pm_term {
	int col;
	double person, hours;
	pm_mask seats;
} pm_term;

typedef struct col_span {
	int first_term, n_terms; /* its terms */
	int n_opts;              /* its options come first; then, at a seat-limited
				  * placement, a y per dagdeel */
	int n_len;               /* option pairs: its dagdelen by length */
	int len[PM_MAX_LENGTHS];
	pm_mask mask[PM_MAX_LENGTHS];
} col_span;

typedef struct pm_run {
	const pm_model *m;
	const pm_params *prm;
	pm_pair *pairs;
	int n_pairs;
	int *first_pair; /* per participant: its pairs are [first_pair[p], first_pair[p+1]) */
	int *order;      /* participants, most constrained first (g_order) */
	struct popt *obuf; /* pair_options' buffer */
	int obuf_cap;
	col_span *span;
	pm_term *terms;
	int n_terms, cap_terms;
	unsigned char (*opt_cnt)[PM_MAX_LENGTHS]; /* per column: an option's counts */
	int cap_opt;
	int n_cols;
	int *excess_col, *excess_row, n_excess; /* same-tongue excess columns and their rows */
	double *start; /* greedy incumbent as column values, 1-based */
	int *g_place;
	pm_mask *g_dd;
	lp_ctl ctl;
	/* out */
	int *place;
	pm_mask *dd;
	bool from_mip, infeasible;
	double last_pass; /* lp_now() of the last heuristic call at the root */
	bool truncated;   /* the clock cut the pairs' enumeration */
	double bound;
} pm_run;

static bool seat_limited(const pm_placement *w)
{
	return !w->fixed && w->max_per_dagdeel < w->capacity;
}

static void enumerate_pairs(pm_run *r)
{
	const pm_model *m = r->m;
	int cap = 64;
	r->pairs = xmalloc(sizeof *r->pairs * (size_t)cap);
	r->first_pair = xmalloc(sizeof(int) * (size_t)(m->n_participants + 1));
	for (int p = 0; p < m->n_participants; p++) {
		r->first_pair[p] = r->n_pairs;
		/* out of time (a huge request): the rest get no pairs, and the
		 * answer no bound */
		if (r->truncated || ((p & 63) == 0 && lp_now() > r->ctl.deadline)) {
			r->truncated = true;
			continue;
		}
		for (int w = 0; w < m->n_placements; w++) {
			if (r->n_pairs == cap)
				r->pairs = xrealloc(r->pairs, sizeof *r->pairs * (size_t)(cap *= 2));
			if (pm_pair_check(m, p, w, &r->pairs[r->n_pairs]) == PM_OK)
				r->n_pairs++;
		}
	}
	r->first_pair[m->n_participants] = r->n_pairs;
}

/* Hours of pair k if it works `dd` (explicit pairs: their fixed hours). */
static double pair_hours(const pm_model *m, const pm_pair *k, pm_mask dd)
{
	return m->pair_hours ? k->lo : pm_mask_hours(m, dd);
}

/* ---- the first matching: greedy, then moves that seat one more ---- */

typedef struct gstate {
	int *used;
	double *hours, *coach;
	int *seats; /* [w * PM_MAX_DAGDELEN + t] */
	int *pair;  /* per participant: the pair it has, or -1 */
	int *place; /* per participant: its placement, or -1 */
	pm_mask *dd; /* per participant: its dagdelen */
} gstate;

static void g_apply(pm_run *r, gstate *g, int k, pm_mask dd, int sign)
{
	const pm_model *m = r->m;
	const pm_pair *pk = &r->pairs[k];
	g->used[pk->w] += sign;
	g->hours[pk->w] += sign * pair_hours(m, pk, dd);
	g->coach[pk->w] += m->pair_hours ? 0 : sign * m->participants[pk->p].coaching;
	for (int t = 0; t < m->n_dagdelen; t++)
		if (dd >> t & 1)
			g->seats[pk->w * PM_MAX_DAGDELEN + t] += sign;
	g->place[pk->p] = sign > 0 ? pk->w : -1;
	g->dd[pk->p] = sign > 0 ? dd : 0;
	g->pair[pk->p] = sign > 0 ? k : -1;
}

/* Can pair k be added as things stand? Its dagdelen closest to `want`
 * hours; its cost (travel, preference, hours short, less a move saved), or
 * HUGE_VAL when it does not fit. */
static double g_fit(pm_run *r, const gstate *g, int k, double want, pm_mask *dd)
{
	const pm_model *m = r->m;
	const pm_pair *pk = &r->pairs[k];
	const pm_placement *pw = &m->placements[pk->w];
	if (pw->capacity > 0 && g->used[pk->w] >= pw->capacity)
		return HUGE_VAL;
	if (!m->pair_hours && pw->coach_hours >= 0 &&
	    g->coach[pk->w] + m->participants[pk->p].coaching > pw->coach_hours + 1e-9)
		return HUGE_VAL;
	double room = pw->hours_capacity >= 0 ? pw->hours_capacity - g->hours[pk->w] : 1e9;
	pm_mask free_dd = pk->allowed;
	double h;
	*dd = 0;
	for (int t = 0; !m->pair_hours && t < m->n_dagdelen; t++)
		if (g->seats[pk->w * PM_MAX_DAGDELEN + t] >= pw->max_per_dagdeel)
			free_dd &= ~((pm_mask)1 << t);
	if (m->pair_hours) {
		h = pk->lo;
	} else if (pw->fixed) {
		*dd = pw->dagdelen;
		h = (pw->dagdelen & ~free_dd) ? -1 : pm_mask_hours(m, pw->dagdelen);
	} else {
		h = pm_pick_hours(m, pk->p, pk->w, free_dd, pk->lo, fmin(pk->hi, room), want, dd);
	}
	if (h >= 0 && seat_limited(pw)) {
		/* the same count of each length on the dagdelen with the most
		 * seats left (ties: the spread pick): everyone spread onto the
		 * same first ones of the week, and a later participant who needs
		 * two dagdelen found one (a must_place one left out) */
		int len[PM_MAX_LENGTHS], cnt[PM_MAX_LENGTHS];
		pm_mask mask[PM_MAX_LENGTHS], pick = 0;
		int n = pm_length_classes(m, free_dd, len, mask, cnt);
		for (int c = 0; c < n; c++)
			for (int j = __builtin_popcount(*dd & mask[c]); j > 0; j--) {
				int best = -1, most = -1;
				for (int t = 0; t < m->n_dagdelen; t++) {
					if (!(mask[c] >> t & 1) || (pick >> t & 1))
						continue;
					int left = 2 * (pw->max_per_dagdeel -
							g->seats[pk->w * PM_MAX_DAGDELEN + t]) +
						   (int)(*dd >> t & 1);
					if (left > most)
						best = t, most = left;
				}
				pick |= (pm_mask)1 << best;
			}
		*dd = pick;
	}
	if (h < 0 || h > room + 1e-9)
		return HUGE_VAL;
	double c = pk->cost;
	if (!m->pair_hours && !pw->fixed)
		c += m->w.hours_short * fmax(0, pk->target - h);
	if (m->participants[pk->p].current == pk->w)
		c -= m->w.moved;
	return c;
}

/* The cheapest pair of p that fits, with the least hours (placing more
 * participants first; hours grow afterwards). */
static int g_best(pm_run *r, const gstate *g, int p, double *cost, pm_mask *dd)
{
	int best = -1;
	*cost = HUGE_VAL;
	for (int k = r->first_pair[p]; k < r->first_pair[p + 1]; k++) {
		pm_mask d;
		double c = g_fit(r, g, k, 0, &d);
		if (c < *cost - 1e-9)
			*cost = c, best = k, *dd = d;
	}
	return best;
}

/* What leaving p out costs the matching (a must_place participant: the
 * must weight on top). */
static double left_cost(const pm_run *r, int p)
{
	return pm_unplaced_cost(r->m, p) + (r->m->participants[p].must_place ? PM_MUST_WEIGHT : 0);
}

static bool worth(const pm_run *r, int p, double cost)
{
	return cost < pm_unplaced_cost(r->m, p) || r->m->participants[p].must_place;
}

static void g_init(pm_run *r, gstate *g, int *place, pm_mask *dd)
{
	int P = r->m->n_participants;
	size_t nw = (size_t)(r->m->n_placements ? r->m->n_placements : 1);
	*g = (gstate){.used = xcalloc(nw, sizeof(int)),
		      .hours = xcalloc(nw, sizeof(double)),
		      .coach = xcalloc(nw, sizeof(double)),
		      .seats = xcalloc(nw * PM_MAX_DAGDELEN, sizeof(int)),
		      .pair = xmalloc(sizeof(int) * (size_t)(P ? P : 1)),
		      .place = place,
		      .dd = dd};
	for (int p = 0; p < P; p++)
		g->pair[p] = -1, place[p] = -1, dd[p] = 0;
}

static void g_free(gstate *g)
{
	free(g->used), free(g->hours), free(g->coach), free(g->seats), free(g->pair);
}

/* Most constrained first: must_place, then fewest pairs, then longest waiting. */
static void g_order(pm_run *r)
{
	const pm_model *m = r->m;
	int P = m->n_participants;
	r->order = xmalloc(sizeof(int) * (size_t)(P ? P : 1));
	double *key = xmalloc(sizeof(double) * (size_t)(P ? P : 1));
	for (int p = 0; p < P; p++) {
		r->order[p] = p;
		int n = r->first_pair[p + 1] - r->first_pair[p];
		key[p] = (m->participants[p].must_place ? 1e15 : 0) - 1e9 * n + pm_unplaced_cost(m, p);
	}
	for (int i = 1; i < P; i++) { /* insertion sort, descending; ties keep order */
		int v = r->order[i], j = i;
		while (j > 0 && key[r->order[j - 1]] < key[v])
			r->order[j] = r->order[j - 1], j--;
		r->order[j] = v;
	}
	free(key);
}

/* Everyone not placed yet, in order, to their cheapest pair that fits. */
static void g_fill(pm_run *r, gstate *g)
{
	for (int i = 0; i < r->m->n_participants; i++) {
		if ((i & 63) == 0 && lp_now() > r->ctl.deadline)
			return; /* the clock: what is placed stands */
		int p = r->order[i];
		double c;
		pm_mask dd = 0;
		int k = g->pair[p] < 0 ? g_best(r, g, p, &c, &dd) : -1;
		if (k >= 0 && worth(r, p, c))
			g_apply(r, g, k, dd, +1);
	}
}

/* Seat one more: a participant left out takes the place of one who can
 * move to another placement, when that costs less. Members per placement
 * are kept in lists (a city has thousands of participants). */
static void g_eject(pm_run *r, gstate *g)
{
	const pm_model *m = r->m;
	int P = m->n_participants, W = m->n_placements;
	int *head = xmalloc(sizeof(int) * (size_t)(W ? W : 1)), *next = xmalloc(sizeof(int) * (size_t)(P ? P : 1));
	for (int w = 0; w < W; w++)
		head[w] = -1;
	for (int q = P - 1; q >= 0; q--)
		if (g->pair[q] >= 0) {
			int w = r->pairs[g->pair[q]].w;
			next[q] = head[w], head[w] = q;
		}
	for (int i = 0; i < P; i++) {
		if ((i & 15) == 0 && lp_now() > r->ctl.deadline)
			break;
		int p = r->order[i];
		if (g->pair[p] >= 0)
			continue;
		double best_gain = 1e-9;
		int bk = -1, bq = -1, bk2 = -1;
		pm_mask bdd = 0, bdd2 = 0;
		for (int k = r->first_pair[p]; k < r->first_pair[p + 1]; k++) {
			int w = r->pairs[k].w;
			for (int q = head[w]; q >= 0; q = next[q]) {
				int kq = g->pair[q];
				pm_mask dq = g->dd[q], d1, d2;
				g_apply(r, g, kq, dq, -1);
				double cq_old = g_fit(r, g, kq, pair_hours(m, &r->pairs[kq], dq), &d1);
				double cp = g_fit(r, g, k, 0, &d2);
				if (cp < HUGE_VAL && worth(r, p, cp)) {
					g_apply(r, g, k, d2, +1);
					double c2;
					pm_mask d3 = 0;
					int k2 = g_best(r, g, q, &c2, &d3);
					double gain = left_cost(r, p) - cp + cq_old -
						      (k2 >= 0 ? c2 : left_cost(r, q));
					if (k2 >= 0 && gain > best_gain)
						best_gain = gain, bk = k, bq = q, bk2 = k2, bdd = d2,
						bdd2 = d3;
					g_apply(r, g, k, d2, -1);
				}
				g_apply(r, g, kq, dq, +1);
			}
		}
		if (bk < 0)
			continue;
		int w = r->pairs[bk].w, w2 = r->pairs[bk2].w;
		g_apply(r, g, g->pair[bq], g->dd[bq], -1);
		g_apply(r, g, bk, bdd, +1);
		g_apply(r, g, bk2, bdd2, +1);
		/* bq leaves w for w2, p joins w */
		for (int *at = &head[w]; *at >= 0; at = &next[*at])
			if (*at == bq) {
				*at = next[bq];
				break;
			}
		next[p] = head[w], head[w] = p;
		next[bq] = head[w2], head[w2] = bq;
	}
	free(head), free(next);
}

/* Each placed participant to a cheaper pair that fits, when there is one
 * (what it frees, g_fill and g_eject hand on). True when anything moved. */
static bool g_shift(pm_run *r, gstate *g)
{
	bool moved = false;
	for (int i = 0; i < r->m->n_participants; i++) {
		if ((i & 63) == 0 && lp_now() > r->ctl.deadline)
			break;
		int p = r->order[i], k = g->pair[p];
		if (k < 0)
			continue;
		pm_mask old = g->dd[p], d1, d2;
		g_apply(r, g, k, old, -1);
		double now = g_fit(r, g, k, pair_hours(r->m, &r->pairs[k], old), &d1), c;
		int k2 = g_best(r, g, p, &c, &d2);
		if (k2 >= 0 && k2 != k && c < now - 1e-9) {
			g_apply(r, g, k2, d2, +1);
			moved = true;
		} else {
			g_apply(r, g, k, old, +1);
		}
	}
	return moved;
}

/* More hours, up to each pair's target, where there is room. */
static void g_raise(pm_run *r, gstate *g)
{
	const pm_model *m = r->m;
	for (int i = 0; i < m->n_participants; i++) {
		int p = r->order[i], k = g->pair[p];
		if (k < 0 || m->pair_hours || m->placements[r->pairs[k].w].fixed)
			continue;
		pm_mask old = g->dd[p], dd;
		g_apply(r, g, k, old, -1);
		double c = g_fit(r, g, k, r->pairs[k].target, &dd);
		g_apply(r, g, k, c < HUGE_VAL ? dd : old, +1);
	}
}

static void greedy(pm_run *r)
{
	gstate g;
	g_init(r, &g, r->g_place, r->g_dd);
	g_fill(r, &g);
	g_eject(r, &g);
	g_raise(r, &g);
	g_free(&g);
}

/* ---- the integer program ---- */

typedef struct rowbuf {
	int n, cap;
	int *ind;
	double *val;
} rowbuf;

static void rb_add(rowbuf *b, int j, double v)
{
	if (b->n + 1 >= b->cap) {
		b->cap = b->cap ? b->cap * 2 : 64;
		b->ind = xrealloc(b->ind, sizeof(int) * (size_t)b->cap);
		b->val = xrealloc(b->val, sizeof(double) * (size_t)b->cap);
	}
	b->n++;
	b->ind[b->n] = j, b->val[b->n] = v;
}

static int rb_row(glp_prob *lp, rowbuf *b, int type, double lo, double hi)
{
	if (!b->n)
		return 0;
	int i = glp_add_rows(lp, 1);
	glp_set_mat_row(lp, i, b->n, b->ind, b->val);
	glp_set_row_bnds(lp, i, type, lo, hi);
	b->n = 0;
	return i;
}

static int add_col(glp_prob *lp, int kind, double lo, double hi, double obj)
{
	int j = glp_add_cols(lp, 1);
	glp_set_col_kind(lp, j, kind);
	if (kind != GLP_BV)
		glp_set_col_bnds(lp, j, hi > lo ? GLP_DB : hi == lo ? GLP_FX : GLP_LO, lo, hi);
	glp_set_obj_coef(lp, j, obj);
	return j;
}

/* What one column of a pair puts into its placement's rows. */
static void add_term(pm_run *r, int col, double person, double hours, pm_mask seats)
{
	if (r->n_terms == r->cap_terms) {
		r->cap_terms = r->cap_terms ? r->cap_terms * 2 : 256;
		r->terms = xrealloc(r->terms, sizeof *r->terms * (size_t)r->cap_terms);
	}
	r->terms[r->n_terms++] = (pm_term){col, person, hours, seats};
}

/* An option column of pair k: counts cnt[c] of its dagdeel lengths. */
static void add_option(pm_run *r, glp_prob *lp, int k, const int *cnt, double hours, double cost)
{
	const pm_pair *pk = &r->pairs[k];
	const pm_placement *pw = &r->m->placements[pk->w];
	int j = add_col(lp, GLP_BV, 0, 1, cost);
	if (j >= r->cap_opt) {
		r->cap_opt = 2 * j + 64;
		r->opt_cnt = xrealloc(r->opt_cnt, sizeof *r->opt_cnt * (size_t)r->cap_opt);
	}
	for (int c = 0; c < PM_MAX_LENGTHS; c++)
		r->opt_cnt[j][c] = (unsigned char)(cnt ? cnt[c] : 0);
	add_term(r, j, 1, hours, pw->fixed ? pw->dagdelen : 0);
}

/* The columns of pair k. An option per number of dagdelen of each length
 * that fits [lo, hi], up to the least that reaches the target (more only
 * takes hours from others). A pair at a seat-limited placement also gets a
 * binary y per dagdeel, as many of each length as its option says (one row
 * per length), and those y fill the seats. */
/* One way to work a pair: how many dagdelen of each length, their hours,
 * and the x coefficient (the pair's cost and hours short, less what leaving
 * the participant out and a move would cost). */
typedef struct popt {
	int cnt[PM_MAX_LENGTHS];
	double hours, cost;
} popt;

/* Is count vector v dominated: another u ≠ v, u ≤ v per length, not empty,
 * that reaches max(target, lo)? Such a u exists exactly when v less one
 * dagdeel of some length does (that vector is ≥ u, and its hours are below
 * v's, so within hi), so one pass over the lengths decides it (comparing
 * with every other vector took minutes with 32 dagdelen of 4 lengths). */
static bool dominated(const col_span *sp, const int *v, int lo, int target)
{
	int sum = 0, any = 0, need = target > lo ? target : lo;
	for (int c = 0; c < sp->n_len; c++)
		sum += v[c] * sp->len[c], any += v[c];
	if (any < 2)
		return false;
	for (int c = 0; c < sp->n_len; c++)
		if (v[c] > 0 && sum - sp->len[c] >= need)
			return true;
	return false;
}

/* The options of pair k into *buf (grown as needed; *cap its size): one per
 * number of dagdelen of each length that fits [lo, hi], up to the least that
 * reaches the target (more only takes hours from others); a fixed or
 * explicit pair has one. The pair's lengths go to sp. */
static int pair_options(const pm_run *r, int k, col_span *sp, popt **buf, int *cap)
{
	const pm_model *m = r->m;
	const pm_pair *pk = &r->pairs[k];
	const pm_placement *pw = &m->placements[pk->w];
	double base = pk->cost - pm_unplaced_cost(m, pk->p);
	if (m->participants[pk->p].current == pk->w)
		base -= m->w.moved;
	int n = 0;
	if (*cap < 16)
		*buf = xrealloc(*buf, sizeof **buf * (size_t)(*cap = 16));
	if (m->pair_hours || pw->fixed) {
		(*buf)[0] = (popt){.hours = pair_hours(m, pk, pw->dagdelen), .cost = base};
		return 1;
	}
	int cnt[PM_MAX_LENGTHS];
	sp->n_len = pm_length_classes(m, pk->allowed, sp->len, sp->mask, cnt);
	long combos = 1;
	for (int c = 0; c < sp->n_len; c++)
		combos *= cnt[c] + 1;
	int lo = (int)ceil(pk->lo * 60 - 1e-6), hi = (int)floor(pk->hi * 60 + 1e-6);
	int target = (int)lround(pk->target * 60), reach = 1 << 30;
	/* Where seats per dagdeel count, an option is dropped only when another
	 * that reaches the target has no more dagdelen of any length (it can work
	 * a subset of the larger one's dagdelen, so it fits wherever that does);
	 * fewer hours alone is not enough: 2 h + 3 h may not fit the seats left
	 * where 3 h + 3 h do. Elsewhere only hours count, and the least hours at
	 * or above the target dominate every option above them. */
	bool seats = seat_limited(pw);
	for (int pass = 0; pass < 2; pass++)
		for (long it = 0; it < combos; it++) {
			int v[PM_MAX_LENGTHS] = {0}, sum = 0, any = 0;
			long q = it;
			for (int c = 0; c < sp->n_len; c++) {
				v[c] = (int)(q % (cnt[c] + 1));
				q /= cnt[c] + 1;
				sum += v[c] * sp->len[c], any += v[c];
			}
			if (!any || sum < lo || sum > hi)
				continue;
			if (pass == 0) { /* the least hours at or above the target */
				if (sum >= target && sum < reach)
					reach = sum;
				continue;
			}
			if (sum > target && sum > reach && !seats)
				continue;
			if (sum > target && seats && dominated(sp, v, lo, target))
				continue;
			if (n == *cap)
				*buf = xrealloc(*buf, sizeof **buf * (size_t)(*cap *= 2));
			popt *o = &(*buf)[n++];
			memcpy(o->cnt, v, sizeof v);
			o->hours = sum / 60.0;
			o->cost = base + m->w.hours_short * fmax(0, pk->target - o->hours);
		}
	return n;
}

/* The columns of pair k: its options; a pair at a seat-limited placement
 * also gets a binary y per dagdeel, as many of each length as its option
 * says (one row per length), and those y fill the seats. */
static void pair_columns(pm_run *r, glp_prob *lp, int k, rowbuf *b)
{
	const pm_model *m = r->m;
	const pm_pair *pk = &r->pairs[k];
	const pm_placement *pw = &m->placements[pk->w];
	col_span *sp = &r->span[k];
	sp->first_term = r->n_terms;
	int n = pair_options(r, k, sp, &r->obuf, &r->obuf_cap);
	for (int i = 0; i < n; i++)
		add_option(r, lp, k, m->pair_hours || pw->fixed ? NULL : r->obuf[i].cnt,
			   r->obuf[i].hours, r->obuf[i].cost);
	if (m->pair_hours || pw->fixed) {
		sp->n_terms = sp->n_opts = 1;
		return;
	}
	sp->n_opts = r->n_terms - sp->first_term;
	if (seat_limited(pw)) {
		for (int t = 0; t < m->n_dagdelen; t++)
			if (pk->allowed >> t & 1)
				add_term(r, add_col(lp, GLP_BV, 0, 1, 0), 0, 0, (pm_mask)1 << t);
		for (int c = 0; c < sp->n_len; c++) {
			for (int i = sp->first_term + sp->n_opts; i < r->n_terms; i++)
				if (r->terms[i].seats & sp->mask[c])
					rb_add(b, r->terms[i].col, 1);
			for (int i = sp->first_term; i < sp->first_term + sp->n_opts; i++)
				if (r->opt_cnt[r->terms[i].col][c])
					rb_add(b, r->terms[i].col, -r->opt_cnt[r->terms[i].col][c]);
			rb_row(lp, b, GLP_FX, 0, 0);
		}
	}
	sp->n_terms = r->n_terms - sp->first_term;
}

static void build(pm_run *r, glp_prob *lp)
{
	const pm_model *m = r->m;
	glp_set_obj_dir(lp, GLP_MIN);
	double constant = 0;
	for (int p = 0; p < m->n_participants; p++) {
		constant += pm_unplaced_cost(m, p);
		if (m->participants[p].current != -1)
			constant += m->w.moved;
	}
	glp_set_obj_coef(lp, 0, constant);
	r->span = xcalloc((size_t)(r->n_pairs ? r->n_pairs : 1), sizeof *r->span);
	rowbuf b = {0};
	for (int k = 0; k < r->n_pairs; k++)
		pair_columns(r, lp, k, &b);
	/* one placement per participant */
	for (int p = 0; p < m->n_participants; p++) {
		for (int k = r->first_pair[p]; k < r->first_pair[p + 1]; k++)
			for (int i = r->span[k].first_term; i < r->span[k].first_term + r->span[k].n_terms; i++)
				if (r->terms[i].person > 0)
					rb_add(&b, r->terms[i].col, 1);
		if (m->participants[p].must_place && !b.n) {
			r->infeasible = true; /* nothing it may take at all */
			continue;
		}
		bool must = m->participants[p].must_place;
		rb_row(lp, &b, must ? GLP_FX : GLP_UP, must ? 1 : 0, 1);
	}
	/* per placement: the terms of its pairs, in participant order */
	int W = m->n_placements;
	int *cnt = xcalloc((size_t)W + 1, sizeof(int)), *at = xmalloc(sizeof(int) * ((size_t)W + 1));
	int *by_w = xmalloc(sizeof(int) * (size_t)(r->n_pairs ? r->n_pairs : 1));
	for (int k = 0; k < r->n_pairs; k++)
		cnt[r->pairs[k].w + 1]++;
	for (int w = 0; w < W; w++)
		cnt[w + 1] += cnt[w];
	memcpy(at, cnt, sizeof(int) * ((size_t)W + 1));
	for (int k = 0; k < r->n_pairs; k++)
		by_w[at[r->pairs[k].w]++] = k;
	int *tongue = m->n_tongues ? xcalloc((size_t)m->n_tongues, sizeof(int)) : NULL;
#define EACH_TERM(i, t)                                                                    \
	for (int i = cnt[w]; i < cnt[w + 1]; i++)                                          \
		for (const pm_term *t = &r->terms[r->span[by_w[i]].first_term],                    \
				   *t##_end = t + r->span[by_w[i]].n_terms;                        \
		     t < t##_end; t++)
	for (int w = 0; w < W; w++) {
		const pm_placement *pw = &m->placements[w];
		int n = cnt[w + 1] - cnt[w];
		if (pw->capacity > 0 && n > pw->capacity) {
			EACH_TERM(i, t)
			if (t->person > 0)
				rb_add(&b, t->col, t->person);
			rb_row(lp, &b, GLP_UP, 0, pw->capacity);
		}
		if (pw->hours_capacity >= 0) {
			double most = 0;
			for (int i = cnt[w]; i < cnt[w + 1]; i++)
				most += r->pairs[by_w[i]].hi;
			EACH_TERM(i, t)
			if (t->hours > 0)
				rb_add(&b, t->col, t->hours);
			if (most > pw->hours_capacity + 1e-9)
				rb_row(lp, &b, GLP_UP, 0, pw->hours_capacity);
			b.n = 0;
		}
		if (!m->pair_hours && pw->coach_hours >= 0) {
			double need = 0;
			EACH_TERM(i, t)
			{
				double c = t->person * m->participants[r->pairs[by_w[i]].p].coaching;
				if (c > 0)
					rb_add(&b, t->col, c);
			}
			for (int i = cnt[w]; i < cnt[w + 1]; i++)
				need += m->participants[r->pairs[by_w[i]].p].coaching;
			if (need > pw->coach_hours + 1e-9)
				rb_row(lp, &b, GLP_UP, 0, pw->coach_hours);
			b.n = 0;
		}
		for (int d = 0; !m->pair_hours && pw->max_per_dagdeel < n && d < m->n_dagdelen; d++) {
			EACH_TERM(i, t)
			if (t->seats >> d & 1)
				rb_add(&b, t->col, 1);
			rb_row(lp, &b, GLP_UP, 0, pw->max_per_dagdeel);
		}
		if (m->pair_hours || pw->max_same_tongue < 0 || !tongue || m->w.same_tongue <= 0)
			continue;
		memset(tongue, 0, sizeof(int) * (size_t)m->n_tongues);
		for (int i = cnt[w]; i < cnt[w + 1]; i++) {
			int tg = m->participants[r->pairs[by_w[i]].p].tongue;
			if (tg >= 0)
				tongue[tg]++;
		}
		for (int tg = 0; tg < m->n_tongues; tg++) {
			if (tongue[tg] <= pw->max_same_tongue)
				continue;
			int o = add_col(lp, GLP_CV, 0, tongue[tg] - pw->max_same_tongue, m->w.same_tongue);
			rb_add(&b, o, -1);
			EACH_TERM(i, t)
			if (t->person > 0 && m->participants[r->pairs[by_w[i]].p].tongue == tg)
				rb_add(&b, t->col, t->person);
			int row = rb_row(lp, &b, GLP_UP, 0, pw->max_same_tongue);
			r->excess_col = xrealloc(r->excess_col, sizeof(int) * (size_t)(r->n_excess + 1));
			r->excess_row = xrealloc(r->excess_row, sizeof(int) * (size_t)(r->n_excess + 1));
			r->excess_col[r->n_excess] = o;
			r->excess_row[r->n_excess++] = row;
		}
	}
#undef EACH_TERM
	free(cnt), free(at), free(by_w), free(tongue), free(b.ind), free(b.val);
	r->n_cols = glp_get_num_cols(lp);
}

/* Counts of pair k's dagdelen of each length in dd. */
static void counts_of(const col_span *sp, pm_mask dd, int *v)
{
	for (int c = 0; c < PM_MAX_LENGTHS; c++)
		v[c] = c < sp->n_len ? __builtin_popcount(dd & sp->mask[c]) : 0;
}

/* A matching as column values (1-based), for glp_ios_heur_sol; NULL when it
 * breaks a row. */
static double *values_of(pm_run *r, glp_prob *lp, const int *place, const pm_mask *dds)
{
	const pm_model *m = r->m;
	double *v = xcalloc((size_t)r->n_cols + 1, sizeof(double));
	for (int k = 0; k < r->n_pairs && v; k++) {
		const pm_pair *pk = &r->pairs[k];
		if (place[pk->p] != pk->w)
			continue;
		pm_mask dd = dds[pk->p];
		const col_span *sp = &r->span[k];
		const pm_term *t = &r->terms[sp->first_term];
		for (int i = sp->n_opts; i < sp->n_terms; i++)
			v[t[i].col] = (dd & t[i].seats) ? 1 : 0;
		int cnt[PM_MAX_LENGTHS], found = 0;
		counts_of(sp, dd, cnt);
		unsigned char want[PM_MAX_LENGTHS];
		for (int c = 0; c < PM_MAX_LENGTHS; c++)
			want[c] = (unsigned char)cnt[c];
		for (int i = 0; i < sp->n_opts && !found; i++)
			if (m->pair_hours || m->placements[pk->w].fixed ||
			    memcmp(r->opt_cnt[t[i].col], want, PM_MAX_LENGTHS) == 0)
				v[t[i].col] = 1, found = 1;
		if (!found) { /* hours the options leave out: no start then */
			free(v);
			v = NULL;
		}
	}
	if (!v)
		return NULL;
	/* the same-tongue excess columns: as large as their rows need */
	int *ind = xmalloc(sizeof(int) * ((size_t)r->n_cols + 1));
	double *val = xmalloc(sizeof(double) * ((size_t)r->n_cols + 1));
	for (int e = 0; e < r->n_excess; e++) {
		int len = glp_get_mat_row(lp, r->excess_row[e], ind, val);
		double sum = 0;
		for (int q = 1; q <= len; q++)
			if (ind[q] != r->excess_col[e])
				sum += val[q] * v[ind[q]];
		v[r->excess_col[e]] = fmax(0, sum - glp_get_row_ub(lp, r->excess_row[e]));
	}
	/* glp_ios_heur_sol takes the values as they are, rows unchecked: only a
	 * start that meets every row may go (the greedy may leave a must_place
	 * participant out) */
	for (int i = 1; v && i <= glp_get_num_rows(lp); i++) {
		int len = glp_get_mat_row(lp, i, ind, val);
		double act = 0, tol = 1e-6;
		for (int q = 1; q <= len; q++)
			act += val[q] * v[ind[q]];
		int type = glp_get_row_type(lp, i);
		if (((type == GLP_LO || type == GLP_DB || type == GLP_FX) &&
		     act < glp_get_row_lb(lp, i) - tol) ||
		    ((type == GLP_UP || type == GLP_DB || type == GLP_FX) &&
		     act > glp_get_row_ub(lp, i) + tol)) {
			free(v);
			v = NULL;
		}
	}
	free(ind), free(val);
	return v;
}

/* The matching in the MIP's solution → r->place, r->dd. */
static void extract(pm_run *r, glp_prob *lp)
{
	const pm_model *m = r->m;
	for (int p = 0; p < m->n_participants; p++)
		r->place[p] = -1, r->dd[p] = 0;
	for (int k = 0; k < r->n_pairs; k++) {
		const pm_pair *pk = &r->pairs[k];
		const col_span *sp = &r->span[k];
		const pm_term *t = &r->terms[sp->first_term];
		const pm_placement *pw = &m->placements[pk->w];
		for (int i = 0; i < sp->n_opts; i++) {
			if (glp_mip_col_val(lp, t[i].col) < 0.5)
				continue;
			r->place[pk->p] = pk->w;
			if (sp->n_terms > sp->n_opts) { /* seat-limited: its y say which */
				for (int y = sp->n_opts; y < sp->n_terms; y++)
					if (glp_mip_col_val(lp, t[y].col) > 0.5)
						r->dd[pk->p] |= t[y].seats;
				break;
			}
			if (m->pair_hours)
				break;
			if (pw->fixed) {
				r->dd[pk->p] = pw->dagdelen;
				break;
			}
			int v[PM_MAX_LENGTHS];
			for (int c = 0; c < PM_MAX_LENGTHS; c++)
				v[c] = r->opt_cnt[t[i].col][c];
			r->dd[pk->p] = pm_spread_counts(m, pk->p, pk->w, sp->mask, v, sp->n_len);
			break;
		}
	}
}

/* The node's LP, rounded: its option columns by value, each taken when it
 * still fits, then the greedy's fill, swap and hours passes. */
static void round_lp(pm_run *r, glp_prob *lp, int *place, pm_mask *dd)
{
	typedef struct cand {
		double v;
		int k, i;
	} cand;
	cand *c = xmalloc(sizeof *c * (size_t)(r->n_terms ? r->n_terms : 1));
	int n = 0;
	for (int k = 0; k < r->n_pairs; k++) {
		const col_span *sp = &r->span[k];
		for (int i = sp->first_term; i < sp->first_term + sp->n_opts; i++) {
			double v = glp_get_col_prim(lp, r->terms[i].col);
			if (v > 1e-6)
				c[n++] = (cand){v, k, i};
		}
	}
	/* by value, largest first (insertion into runs is slow here: a merge
	 * sort would do, but qsort's order of equal values is unspecified) */
	for (int w = 1; w < n; w *= 2) {
		cand *t = xmalloc(sizeof *t * (size_t)n);
		for (int lo = 0; lo < n; lo += 2 * w) {
			int mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
			int i = lo, j = mid, o = lo;
			while (i < mid && j < hi)
				t[o++] = c[j].v > c[i].v ? c[j++] : c[i++];
			while (i < mid)
				t[o++] = c[i++];
			while (j < hi)
				t[o++] = c[j++];
		}
		free(c);
		c = t;
	}
	gstate g;
	g_init(r, &g, place, dd);
	for (int q = 0; q < n; q++) {
		int p = r->pairs[c[q].k].p;
		pm_mask d;
		if (g.pair[p] >= 0)
			continue;
		double cost = g_fit(r, &g, c[q].k, r->terms[c[q].i].hours, &d);
		if (cost < HUGE_VAL && worth(r, p, cost))
			g_apply(r, &g, c[q].k, d, +1);
	}
	free(c);
	g_fill(r, &g);
	g_eject(r, &g);
	g_raise(r, &g);
	g_free(&g);
}

static void heur(void *ud, glp_tree *T)
{
	pm_run *r = ud;
	int calls = r->ctl.heur_calls;
	if (r->start && calls == 1)
		glp_ios_heur_sol(T, r->start);
	/* each cut round at the root (a tighter LP each time), then every tenth node */
	if (glp_ios_curr_node(T) != 1 && calls > 10 && calls % 10)
		return;
	/* GLPK's cut round on a large root runs seconds without a callback:
	 * when the next one could end past the deadline (half again as long as
	 * the last: den-haag's ran 2 s over with 1.0), stop here */
	double now = lp_now();
	if (glp_ios_curr_node(T) == 1) { /* (later calls are nodes apart, not cut rounds) */
		if (r->last_pass > 0 && now + 1.5 * (now - r->last_pass) > r->ctl.deadline)
			glp_ios_terminate(T);
		r->last_pass = now;
	}
	int P = r->m->n_participants;
	int *place = xmalloc(sizeof(int) * (size_t)(P ? P : 1));
	pm_mask *dd = xmalloc(sizeof(pm_mask) * (size_t)(P ? P : 1));
	glp_prob *lp = glp_ios_get_prob(T);
	round_lp(r, lp, place, dd);
	pm_terms t;
	double obj = pm_evaluate(r->m, place, dd, &t);
	int st = glp_mip_status(lp);
	bool better = !((st == GLP_FEAS || st == GLP_OPT) && obj >= glp_mip_obj_val(lp) - 1e-9);
	double *v = better ? values_of(r, lp, place, dd) : NULL;
	if (v)
		glp_ios_heur_sol(T, v);
	free(v), free(place), free(dd);
}

static void improved(void *ud, double inc, double bound)
{
	pm_run *r = ud;
	if (r->prm->progress) {
		pm_progress pr = {.incumbent = inc, .bound = bound, .elapsed = lp_now() - r->prm->started};
		r->prm->progress(r->prm->ud, &pr);
	}
}

static int run_mip(void *arg)
{
	pm_run *r = arg;
	glp_prob *lp = glp_create_prob();
	build(r, lp);
	if (r->infeasible) {
		glp_delete_prob(lp);
		return 0;
	}
	if (r->n_pairs == 0) { /* nobody can go anywhere: leaving all out is the one matching */
		r->bound = glp_get_obj_coef(lp, 0);
		glp_delete_prob(lp);
		return 0;
	}
	r->start = values_of(r, lp, r->g_place, r->g_dd);
	int rc = lp_simplex(lp, &r->ctl);
	if (rc == 1) {
		r->infeasible = true;
	} else if (rc == 0) {
		r->bound = glp_get_obj_val(lp);
		r->ctl.heur = heur;
		r->ctl.heur_each_pass = true;
		r->ctl.improved = improved;
		r->ctl.hook_ud = r;
		rc = lp_mip(lp, &r->ctl, r->prm->gap > 0 ? r->prm->gap : 1e-4);
		if (rc == 1)
			r->infeasible = true;
		else if (r->ctl.mip_bound > r->bound)
			r->bound = r->ctl.mip_bound;
		/* GLPK stopped at the wanted gap: its own bound (not the one of the
		 * last callback) is within it of the incumbent */
		if (rc == 0 && r->ctl.mip_complete && r->ctl.mip_has_sol) {
			double inc = glp_mip_obj_val(lp), g = r->prm->gap > 0 ? r->prm->gap : 1e-4;
			r->bound = fmax(r->bound, inc - g * (fabs(inc) + DBL_EPSILON));
		}
		if (rc == 0 && r->ctl.mip_has_sol) {
			r->from_mip = true;
			extract(r, lp);
		}
	}
	glp_delete_prob(lp);
	return 0;
}

/* ---- large requests: a Lagrangian bound and price-guided matchings ----
 *
 * Past PM_MIP_MAX_OPTIONS option columns GLPK does not solve the LP in a
 * minute (a city of 5 000 participants who each reach a few hundred
 * placements: 1.5 million pairs). The capacity, hours and supervision rows
 * of each placement are then priced instead (λ ≥ 0, a subgradient ascent),
 * and its seat and same-tongue rows dropped: each participant takes its
 * cheapest option at those prices, or none, so
 *   L(λ) = Σ_p u_p (+ moved) + Σ_p min(0, min_o c_o + λ·a_o) − Σ λ·b
 * is a valid lower bound for any λ ≥ 0 (a must_place participant takes its
 * cheapest option whatever it costs). Every few iterations the options, by
 * their priced cost, seed a matching (the greedy's fill, swap and hours
 * passes complete it). */
#define PM_MIP_MAX_OPTIONS 150000

static void large_solve(pm_run *r)
{
	const pm_model *m = r->m;
	int P = m->n_participants, W = m->n_placements;
	int *first = xmalloc(sizeof(int) * ((size_t)r->n_pairs + 1));
	int n_opt = 0, cap = 1024;
	float *oh = xmalloc(sizeof(float) * (size_t)cap);
	double *oc = xmalloc(sizeof(double) * (size_t)cap);
	col_span sp;
	for (int k = 0; k < r->n_pairs; k++) {
		first[k] = n_opt;
		int n = pair_options(r, k, &sp, &r->obuf, &r->obuf_cap);
		if (n_opt + n > cap) {
			while (n_opt + n > cap)
				cap *= 2;
			oh = xrealloc(oh, sizeof(float) * (size_t)cap);
			oc = xrealloc(oc, sizeof(double) * (size_t)cap);
		}
		for (int i = 0; i < n; i++, n_opt++)
			oh[n_opt] = (float)r->obuf[i].hours, oc[n_opt] = r->obuf[i].cost;
	}
	first[r->n_pairs] = n_opt;
	size_t nw = (size_t)(W ? W : 1);
	double *lc = xcalloc(nw, sizeof(double)), *lh = xcalloc(nw, sizeof(double));
	double *lk = xcalloc(nw, sizeof(double)), *gc = xmalloc(sizeof(double) * nw);
	double *gh = xmalloc(sizeof(double) * nw), *gk = xmalloc(sizeof(double) * nw);
	double constant = 0;
	for (int p = 0; p < P; p++)
		constant += pm_unplaced_cost(m, p) + (m->participants[p].current != -1 ? m->w.moved : 0);
	pm_terms t;
	double best = pm_evaluate(m, r->g_place, r->g_dd, &t), theta = 2;
	int *bk = xmalloc(sizeof(int) * (size_t)(P ? P : 1)), *place = xmalloc(sizeof(int) * (size_t)(P ? P : 1));
	int *bos = xmalloc(sizeof(int) * (size_t)(P ? P : 1)); /* per participant: its priced option */
	char *front = xcalloc((size_t)(P ? P : 1), 1);
	double *red = xmalloc(sizeof(double) * (size_t)(P ? P : 1));
	pm_mask *dd = xmalloc(sizeof(pm_mask) * (size_t)(P ? P : 1));
	memcpy(r->place, r->g_place, sizeof(int) * (size_t)P);
	memcpy(r->dd, r->g_dd, sizeof(pm_mask) * (size_t)P);
	r->from_mip = true; /* the answer is r->place from here on */
	double last_round = 0;
	int stale = 0;
	for (long it = 0;; it++) {
		if (lp_should_stop(&r->ctl))
			break;
		if (r->ctl.node_limit > 0 && it >= r->ctl.node_limit) {
			r->ctl.stop = LP_STOP_NODES;
			break;
		}
		for (size_t w = 0; w < nw; w++)
			gc[w] = gh[w] = gk[w] = 0;
		double L = constant;
		for (int p = 0; p < P; p++) {
			const pm_participant *pp = &m->participants[p];
			double bv = pp->must_place ? HUGE_VAL : 0;
			bk[p] = -1;
			int bo = -1;
			for (int k = r->first_pair[p]; k < r->first_pair[p + 1]; k++) {
				int w = r->pairs[k].w;
				double fixed = lc[w] + (m->pair_hours ? 0 : lk[w] * pp->coaching);
				for (int o = first[k]; o < first[k + 1]; o++) {
					double v = oc[o] + fixed + lh[w] * oh[o];
					if (v < bv - 1e-12)
						bv = v, bk[p] = k, bo = o;
				}
			}
			red[p] = bv, bos[p] = bo;
			if (bv == HUGE_VAL) {
				r->infeasible = true; /* a must_place participant with no option */
				goto out;
			}
			L += bv;
			if (bk[p] >= 0) {
				int w = r->pairs[bk[p]].w;
				gc[w] += 1, gh[w] += oh[bo];
				gk[w] += m->pair_hours ? 0 : pp->coaching;
			}
		}
		double norm = 0;
		for (int w = 0; w < W; w++) {
			const pm_placement *pw = &m->placements[w];
			L -= lc[w] * pw->capacity + lh[w] * (pw->hours_capacity >= 0 ? pw->hours_capacity : 0) +
			     lk[w] * (pw->coach_hours >= 0 ? pw->coach_hours : 0);
			gc[w] = pw->capacity > 0 ? gc[w] - pw->capacity : 0;
			gh[w] = pw->hours_capacity >= 0 ? gh[w] - pw->hours_capacity : 0;
			gk[w] = !m->pair_hours && pw->coach_hours >= 0 ? gk[w] - pw->coach_hours : 0;
			/* a price at 0 with its row slack does not move */
			if (lc[w] <= 0 && gc[w] < 0)
				gc[w] = 0;
			if (lh[w] <= 0 && gh[w] < 0)
				gh[w] = 0;
			if (lk[w] <= 0 && gk[w] < 0)
				gk[w] = 0;
			norm += gc[w] * gc[w] + gh[w] * gh[w] + gk[w] * gk[w];
		}
		if (L > r->bound + 1e-9 * fabs(L)) {
			r->bound = L, stale = 0;
			if (r->prm->progress)
				improved(r, best, L);
		} else if (++stale >= 200) { /* measured: 20 or 50 shrink the steps too soon */
			theta /= 2, stale = 0;
		}
		/* a matching from the prices: each participant's priced option,
		 * cheapest first, as far as it fits (every 25 iterations, and so that
		 * the last one ends before the deadline) */
		double now = lp_now();
		/* (with a work limit, whatever the clock: the same request and limit
		 * give the same answer) */
		if ((it % 25 == 0 || norm <= 0) && (r->ctl.node_limit > 0 || it == 0 ||
				     r->ctl.deadline - now > 2 * last_round)) {
			/* a must_place participant the matching leaves out goes first
			 * in a second one (fewest pairs, or the priced cost, does not
			 * see that its dagdelen are the scarce ones) */
			for (int tries = 0, again = 1; again && tries < 2; tries++) {
			gstate g;
			g_init(r, &g, place, dd);
			int *ord = xmalloc(sizeof(int) * (size_t)(P ? P : 1));
			int n = 0;
			for (int p = 0; p < P; p++)
				if (bk[p] >= 0)
					ord[n++] = p;
			for (int i = 1; i < n; i++) { /* must_place first, then by priced cost */
				int v = ord[i], j = i;
				while (j > 0 && (m->participants[ord[j - 1]].must_place <
							 m->participants[v].must_place ||
						 (m->participants[ord[j - 1]].must_place ==
							  m->participants[v].must_place &&
						  (front[ord[j - 1]] < front[v] ||
						   (front[ord[j - 1]] == front[v] && red[ord[j - 1]] > red[v])))))
					ord[j] = ord[j - 1], j--;
				ord[j] = v;
			}
			for (int i = 0; i < n; i++) {
				int p = ord[i];
				pm_mask d;
				double c = g_fit(r, &g, bk[p], oh[bos[p]], &d);
				if (c < HUGE_VAL && worth(r, p, c))
					g_apply(r, &g, bk[p], d, +1);
			}
			free(ord);
			g_fill(r, &g);
			g_eject(r, &g);
			for (int pass = 0; pass < 3 && g_shift(r, &g); pass++) {
				g_fill(r, &g);
				g_eject(r, &g);
			}
			g_raise(r, &g);
			g_free(&g);
			double obj = pm_evaluate(m, place, dd, &t);
			if (obj < best - 1e-9) {
				best = obj;
				memcpy(r->place, place, sizeof(int) * (size_t)P);
				memcpy(r->dd, dd, sizeof(pm_mask) * (size_t)P);
				if (r->prm->progress)
					improved(r, best, r->bound);
			}
			again = 0;
			for (int p = 0; p < P; p++)
				if (m->participants[p].must_place && place[p] < 0 && !front[p])
					front[p] = 1, again = 1;
			}
			last_round = lp_now() - now;
		}
		if (best - L <= 1e-9 * fabs(best))
			break; /* the prices prove the matching optimal */
		if (norm <= 0) { /* the relaxation is exhausted: its bound is all it gives */
			r->ctl.stop = LP_STOP_NODES;
			break;
		}
		double step = theta * (best - L) / norm;
		for (int w = 0; w < W; w++) {
			lc[w] = fmax(0, lc[w] + step * gc[w]);
			lh[w] = fmax(0, lh[w] + step * gh[w]);
			lk[w] = fmax(0, lk[w] + step * gk[w]);
		}
		r->ctl.nodes = it + 1;
	}
out:
	free(first), free(oh), free(oc), free(lc), free(lh), free(lk), free(gc), free(gh), free(gk);
	free(bk), free(bos), free(front), free(place), free(red), free(dd);
}

/* The dagdelen p may work at its placement in place (pm_pair.allowed), and
 * those it should keep there (a re-match's current_dagdelen, when it stays). */
static pm_mask allowed_at(const pm_run *r, const int *place, int p, pm_mask *keep)
{
	const pm_participant *pp = &r->m->participants[p];
	for (int k = r->first_pair[p]; k < r->first_pair[p + 1]; k++)
		if (r->pairs[k].w == place[p]) {
			*keep = place[p] == pp->current ? pp->current_dagdelen & r->pairs[k].allowed : 0;
			return r->pairs[k].allowed;
		}
	*keep = 0;
	return 0;
}

/* A re-match: who stays at its current placement is moved back onto the
 * days it works there now, one dagdeel for another of the same length
 * that it may work: onto a seat left, or by trading with someone at the
 * same placement for whom that day is not one to keep and who may work
 * the other. The hours, the cost and every row stay as they are (the
 * program and the greedy name the days of seat-limited placements without
 * looking at current_dagdelen). */
static void keep_days(pm_run *r, const int *place, pm_mask *dd)
{
	const pm_model *m = r->m;
	int W = m->n_placements, D = m->n_dagdelen, P = m->n_participants;
	if (m->pair_hours || !W || !P)
		return;
	int *seats = xcalloc((size_t)W * (size_t)D, sizeof(int));
	pm_mask *ok = xcalloc((size_t)P, sizeof(pm_mask)), *keep = xcalloc((size_t)P, sizeof(pm_mask));
	/* the participants of each placement (at[from[w] .. from[w + 1]]): a
	 * trade is looked for there only */
	int *from = xcalloc((size_t)W + 1, sizeof(int)), *at = xmalloc(sizeof(int) * (size_t)P);
	for (int p = 0; p < P; p++) {
		if (place[p] < 0 || m->placements[place[p]].fixed)
			continue;
		ok[p] = allowed_at(r, place, p, &keep[p]);
		from[place[p] + 1]++;
		for (int t = 0; t < D; t++)
			seats[place[p] * D + t] += (int)(dd[p] >> t & 1);
	}
	for (int w = 0; w < W; w++)
		from[w + 1] += from[w];
	int *fill = xcalloc((size_t)W, sizeof(int));
	for (int w = 0; w < W; w++)
		fill[w] = from[w];
	for (int p = 0; p < P; p++)
		if (place[p] >= 0 && !m->placements[place[p]].fixed)
			at[fill[place[p]]++] = p;
	free(fill);
	for (int p = 0; p < P; p++) {
		/* (an answer is due at the deadline: the days are a courtesy) */
		if (keep[p] && (p & 63) == 0 && lp_now() > r->ctl.deadline)
			break;
		int w = place[p];
		for (int t = 0; keep[p] && t < D; t++) {
			if (!(dd[p] >> t & 1) || (keep[p] >> t & 1))
				continue;
			int len = m->dagdelen[t].end_min - m->dagdelen[t].start_min;
			pm_mask tb = (pm_mask)1 << t;
			for (int u = 0; u < D; u++) {
				pm_mask ub = (pm_mask)1 << u;
				if (!(keep[p] & ub) || (dd[p] & ub) ||
				    m->dagdelen[u].end_min - m->dagdelen[u].start_min != len)
					continue;
				if (seats[w * D + u] < m->placements[w].max_per_dagdeel) {
					dd[p] ^= tb | ub;
					seats[w * D + t]--, seats[w * D + u]++;
					break;
				}
				int q = -1;
				for (int i = from[w]; i < from[w + 1] && q < 0; i++) {
					int o = at[i];
					if (o != p && (dd[o] & ub) && !(dd[o] & tb) && !(keep[o] & ub) &&
					    (ok[o] & tb))
						q = o;
				}
				if (q >= 0) {
					dd[p] ^= tb | ub;
					dd[q] ^= tb | ub;
					break;
				}
			}
		}
	}
	free(seats), free(ok), free(keep), free(from), free(at);
}

int pm_solve(const pm_model *m, const pm_params *prm, pm_solution *s)
{
	pm_params p = *prm;
	if (p.started <= 0)
		p.started = lp_now();
	if (p.time_limit <= 0)
		p.time_limit = 60;
	memset(s, 0, sizeof *s);
	int P = m->n_participants;
	s->n = P;
	s->placement = xmalloc(sizeof(int) * (size_t)(P ? P : 1));
	s->dagdelen = xcalloc((size_t)(P ? P : 1), sizeof(pm_mask));
	pm_run r = {.m = m, .prm = &p};
	r.g_place = xmalloc(sizeof(int) * (size_t)(P ? P : 1));
	r.g_dd = xcalloc((size_t)(P ? P : 1), sizeof(pm_mask));
	r.place = s->placement, r.dd = s->dagdelen;
	r.ctl.deadline = p.started + p.time_limit;
	enumerate_pairs(&r);
	g_order(&r);
	greedy(&r);
	memcpy(s->placement, r.g_place, sizeof(int) * (size_t)P);
	memcpy(s->dagdelen, r.g_dd, sizeof(pm_mask) * (size_t)P);
	r.ctl.cancel = p.cancel;
	r.ctl.node_limit = p.node_limit;
	r.ctl.primal = true; /* from the slack basis the dual simplex took minutes on 600 participants */
	r.bound = -HUGE_VAL;
	/* how many option columns the integer program would have, counted only
	 * as far as the limit (the large path enumerates them again itself) */
	long options = 0, most = p.mip_options ? p.mip_options : PM_MIP_MAX_OPTIONS;
	for (int k = 0; k < r.n_pairs && options <= most; k++) {
		col_span sp;
		options += pair_options(&r, k, &sp, &r.obuf, &r.obuf_cap);
	}
	int rc = 0;
	if (r.truncated)
		; /* no search, no bound: not every pair was seen */
	else if (options > most)
		large_solve(&r);
	else
		rc = lp_guarded(&r.ctl, run_mip, &r);
	if (!r.from_mip) { /* the greedy matching stands */
		memcpy(s->placement, r.g_place, sizeof(int) * (size_t)P);
		memcpy(s->dagdelen, r.g_dd, sizeof(pm_mask) * (size_t)P);
	}
	if (!r.truncated)
		keep_days(&r, s->placement, s->dagdelen);
	s->objective = pm_evaluate(m, s->placement, s->dagdelen, &s->terms);
	s->nodes = r.ctl.nodes;
	s->seconds = lp_now() - p.started;
	double wanted = p.gap > 0 ? p.gap : 1e-4;
	bool must_left = false;
	for (int i = 0; i < P; i++)
		must_left |= m->participants[i].must_place && s->placement[i] < 0;
	if (rc) {
		snprintf(s->status, sizeof s->status, "time_limit");
		s->message = xstrdup("the integer program failed; this is the greedy matching");
		s->bound = 0;
	} else if (r.infeasible) {
		snprintf(s->status, sizeof s->status, "infeasible");
		s->message = xstrdup("no matching places every must_place participant");
		s->bound = 0;
	} else {
		s->bound = r.bound > -HUGE_VAL ? fmin(r.bound, s->objective) : 0;
		if (s->bound < 0)
			s->bound = 0; /* every term is ≥ 0 */
		double gap = s->objective > 0 ? (s->objective - s->bound) / s->objective : 0;
		bool cancelled = r.ctl.stop == LP_STOP_CANCEL;
		snprintf(s->status, sizeof s->status, "%s",
			 cancelled			 ? "cancelled"
			 : must_left			 ? "time_limit"
			 : gap <= wanted + 1e-12	 ? "optimal"
			 : r.ctl.stop == LP_STOP_NODES ? "feasible"
							 : "time_limit");
		if (r.truncated && !s->message)
			s->message = xstrdup("the time limit ended before every participant's "
					     "placements were weighed: this is a partial greedy "
					     "matching, without a bound");
		if (must_left) {
			s->bound = 0;
			s->message = xstrdup("a must_place participant is left without a placement, "
					     "and that it cannot be otherwise is not proven");
		}
	}
	s->gap = s->objective > 0 ? (s->objective - s->bound) / s->objective : 0;
	free(r.pairs), free(r.first_pair), free(r.span), free(r.terms), free(r.opt_cnt), free(r.start);
	free(r.excess_col), free(r.excess_row);
	free(r.g_place), free(r.g_dd), free(r.order), free(r.obuf);
	return 0;
}

/* ---- the same integer program as a CPLEX LP file (benchmarks) ---- */

typedef struct export_arg {
	pm_run *r;
	const char *path;
	int rc;
} export_arg;

static int export_fn(void *arg)
{
	export_arg *a = arg;
	glp_prob *lp = glp_create_prob();
	build(a->r, lp);
	a->rc = glp_write_lp(lp, NULL, a->path) ? RS_EIO : 0;
	glp_delete_prob(lp);
	return 0;
}

int pm_export_lp(const pm_model *m, const char *path)
{
	pm_params p = {0};
	pm_run r = {.m = m, .prm = &p};
	r.ctl.deadline = HUGE_VAL;
	enumerate_pairs(&r);
	export_arg a = {.r = &r, .path = path};
	int rc = lp_guarded(&r.ctl, export_fn, &a);
	free(r.pairs), free(r.first_pair), free(r.span), free(r.terms), free(r.opt_cnt);
	free(r.excess_col), free(r.excess_row);
	return rc ? rc : a.rc;
}
