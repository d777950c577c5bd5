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

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct col_span {
	int first, n; /* the pair's count (or per-dagdeel) columns */
	int len[PM_MAX_LENGTHS];
	pm_mask mask[PM_MAX_LENGTHS];
	bool per_dagdeel;
	int s; /* short column or 0 */
} col_span;

typedef struct pm_run {
	const pm_model *m;
	const pm_params *prm;
	pm_pair *pairs;
	int n_pairs;
	int *first_pair; /* per participant: its pairs are [first_pair[p], first_pair[p+1]) */
	col_span *span;
	int *x; /* column of x_k */
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

/* Longest waiting first (must_place before all), each to the cheapest
 * pair whose placement still has room for it. */
static void greedy(pm_run *r)
{
	const pm_model *m = r->m;
	int P = m->n_participants, W = m->n_placements;
	int *order = xmalloc(sizeof(int) * (size_t)(P ? P : 1));
	double *key = xmalloc(sizeof(double) * (size_t)(P ? P : 1));
	for (int p = 0; p < P; p++) {
		order[p] = p;
		key[p] = pm_unplaced_cost(m, p) + (m->participants[p].must_place ? 1e12 : 0);
	}
	/* insertion sort by key, descending; the request's order breaks ties */
	for (int i = 1; i < P; i++) {
		int v = order[i], j = i;
		while (j > 0 && key[order[j - 1]] < key[v])
			order[j] = order[j - 1], j--;
		order[j] = v;
	}
	int *used = xcalloc((size_t)(W ? W : 1), sizeof(int));
	double *hours = xcalloc((size_t)(W ? W : 1), sizeof(double));
	double *coach = xcalloc((size_t)(W ? W : 1), sizeof(double));
	int *seats = xcalloc((size_t)(W ? W : 1) * PM_MAX_DAGDELEN, sizeof(int));
	for (int i = 0; i < P; i++) {
		int p = order[i], best = -1;
		double best_cost = HUGE_VAL;
		pm_mask best_dd = 0;
		for (int k = r->first_pair[p]; k < r->first_pair[p + 1]; k++) {
			const pm_pair *pk = &r->pairs[k];
			const pm_placement *pw = &m->placements[pk->w];
			if (pw->capacity > 0 && used[pk->w] >= pw->capacity)
				continue;
			if (!m->pair_hours && pw->coach_hours >= 0 &&
			    coach[pk->w] + m->participants[p].coaching > pw->coach_hours + 1e-9)
				continue;
			double room = pw->hours_capacity >= 0 ? pw->hours_capacity - hours[pk->w] : 1e9;
			pm_mask dd = 0, free_dd = pk->allowed;
			double h;
			if (m->pair_hours) {
				h = pk->lo;
			} else if (pw->fixed) {
				dd = pw->dagdelen;
				h = pm_mask_hours(m, dd);
			} else {
				for (int t = 0; t < m->n_dagdelen; t++)
					if (seats[pk->w * PM_MAX_DAGDELEN + t] >= pw->max_per_dagdeel)
						free_dd &= ~((pm_mask)1 << t);
				h = pm_pick_hours(m, p, free_dd, pk->lo, fmin(pk->hi, room),
						  pk->target, &dd);
			}
			if (h < 0 || h > room + 1e-9)
				continue;
			if (pw->fixed)
				for (int t = 0; t < m->n_dagdelen; t++)
					if ((dd >> t & 1) &&
					    seats[pk->w * PM_MAX_DAGDELEN + t] >= pw->max_per_dagdeel)
						h = -1;
			if (h < 0)
				continue;
			double c = pk->cost + (m->pair_hours || pw->fixed
						       ? 0
						       : m->w.hours_short * fmax(0, pk->target - h));
			if (m->participants[p].current == pk->w)
				c -= m->w.moved;
			if (c < best_cost - 1e-9) {
				best_cost = c, best = k, best_dd = dd;
			}
		}
		r->g_place[p] = -1;
		/* best_cost already has the move it saves taken off */
		if (best < 0 || (best_cost >= pm_unplaced_cost(m, p) && !m->participants[p].must_place))
			continue;
		const pm_pair *pk = &r->pairs[best];
		r->g_place[p] = pk->w;
		r->g_dd[p] = best_dd;
		used[pk->w]++;
		hours[pk->w] += pair_hours(m, pk, best_dd);
		coach[pk->w] += m->pair_hours ? 0 : m->participants[p].coaching;
		for (int t = 0; t < m->n_dagdelen; t++)
			if (best_dd >> t & 1)
				seats[pk->w * PM_MAX_DAGDELEN + t]++;
	}
	free(order), free(key), free(used), free(hours), free(coach), free(seats);
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

static void rb_row(glp_prob *lp, rowbuf *b, int type, double lo, double hi)
{
	if (!b->n)
		return;
	int i = glp_add_rows(lp, 1);
	glp_set_mat_row(lp, i, b->n, b->ind, b->val);
	glp_set_row_bnds(lp, i, type, lo, hi);
	b->n = 0;
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

/* The hours of pair k as a row in b (its columns times their hours). */
static void hours_terms(const pm_run *r, int k, rowbuf *b, double scale)
{
	const pm_pair *pk = &r->pairs[k];
	const col_span *sp = &r->span[k];
	const pm_model *m = r->m;
	if (m->pair_hours || m->placements[pk->w].fixed) {
		rb_add(b, r->x[k], scale * pair_hours(m, pk, m->placements[pk->w].dagdelen));
		return;
	}
	int j = sp->first;
	if (sp->per_dagdeel) {
		for (int t = 0; t < m->n_dagdelen; t++)
			if (pk->allowed >> t & 1)
				rb_add(b, j++, scale * pm_mask_hours(m, (pm_mask)1 << t));
	} else {
		for (int c = 0; c < sp->n; c++)
			rb_add(b, j++, scale * sp->len[c] / 60.0);
	}
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
	r->x = xcalloc((size_t)(r->n_pairs ? r->n_pairs : 1), sizeof(int));
	rowbuf b = {0};
	for (int k = 0; k < r->n_pairs; k++) {
		const pm_pair *pk = &r->pairs[k];
		const pm_placement *pw = &m->placements[pk->w];
		double c = pk->cost - pm_unplaced_cost(m, pk->p);
		if (m->participants[pk->p].current == pk->w)
			c -= m->w.moved;
		r->x[k] = add_col(lp, GLP_BV, 0, 1, c);
		col_span *sp = &r->span[k];
		if (m->pair_hours || pw->fixed)
			continue;
		sp->per_dagdeel = seat_limited(pw);
		sp->first = glp_get_num_cols(lp) + 1;
		if (sp->per_dagdeel) {
			for (int t = 0; t < m->n_dagdelen; t++)
				if (pk->allowed >> t & 1) {
					int j = add_col(lp, GLP_BV, 0, 1, 0);
					rb_add(&b, j, 1), rb_add(&b, r->x[k], -1);
					rb_row(lp, &b, GLP_UP, 0, 0);
				}
		} else {
			for (int t = 0; t < m->n_dagdelen; t++) {
				if (!(pk->allowed >> t & 1))
					continue;
				int l = m->dagdelen[t].end_min - m->dagdelen[t].start_min, c2 = 0;
				while (c2 < sp->n && sp->len[c2] != l)
					c2++;
				if (c2 == sp->n)
					sp->len[sp->n++] = l;
				sp->mask[c2] |= (pm_mask)1 << t;
			}
			for (int c2 = 0; c2 < sp->n; c2++) {
				int cnt = __builtin_popcount(sp->mask[c2]);
				int j = add_col(lp, GLP_IV, 0, cnt, 0);
				rb_add(&b, j, 1), rb_add(&b, r->x[k], -cnt);
				rb_row(lp, &b, GLP_UP, 0, 0);
			}
		}
		/* lo x ≤ hours ≤ hi x, and at least one dagdeel */
		double minlen = 1e9;
		for (int t = 0; t < m->n_dagdelen; t++)
			if (pk->allowed >> t & 1)
				minlen = fmin(minlen, pm_mask_hours(m, (pm_mask)1 << t));
		hours_terms(r, k, &b, 1);
		rb_add(&b, r->x[k], -fmax(pk->lo, minlen));
		rb_row(lp, &b, GLP_LO, 0, 0);
		hours_terms(r, k, &b, 1);
		rb_add(&b, r->x[k], -pk->hi);
		rb_row(lp, &b, GLP_UP, 0, 0);
		if (m->w.hours_short > 0 && pk->target > fmax(pk->lo, minlen) + 1e-9) {
			sp->s = add_col(lp, GLP_CV, 0, pk->target, m->w.hours_short);
			rb_add(&b, sp->s, 1);
			hours_terms(r, k, &b, 1);
			rb_add(&b, r->x[k], -pk->target);
			rb_row(lp, &b, GLP_LO, 0, 0);
		}
	}
	/* one placement per participant */
	for (int p = 0; p < m->n_participants; p++) {
		for (int k = r->first_pair[p]; k < r->first_pair[p + 1]; k++)
			rb_add(&b, r->x[k], 1);
		if (m->participants[p].must_place && !b.n) {
			r->infeasible = true; /* nothing it may take at all */
			continue;
		}
		rb_row(lp, &b, m->participants[p].must_place ? GLP_FX : GLP_UP,
		       m->participants[p].must_place ? 1 : 0, 1);
	}
	/* per placement: its pairs in participant order */
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
	for (int w = 0; w < W; w++) {
		const pm_placement *pw = &m->placements[w];
		int a = cnt[w], z = cnt[w + 1];
		if (pw->capacity > 0 && z - a > pw->capacity) {
			for (int i = a; i < z; i++)
				rb_add(&b, r->x[by_w[i]], 1);
			rb_row(lp, &b, GLP_UP, 0, pw->capacity);
		}
		if (pw->hours_capacity >= 0) {
			double most = 0;
			for (int i = a; i < z; i++) {
				hours_terms(r, by_w[i], &b, 1);
				most += r->pairs[by_w[i]].hi;
			}
			if (most > pw->hours_capacity + 1e-9)
				rb_row(lp, &b, GLP_UP, 0, pw->hours_capacity);
			b.n = 0;
		}
		if (!m->pair_hours && pw->coach_hours >= 0) {
			double need = 0;
			for (int i = a; i < z; i++) {
				double c = m->participants[r->pairs[by_w[i]].p].coaching;
				need += c;
				if (c > 0)
					rb_add(&b, r->x[by_w[i]], c);
			}
			if (need > pw->coach_hours + 1e-9)
				rb_row(lp, &b, GLP_UP, 0, pw->coach_hours);
			b.n = 0;
		}
		for (int t = 0; !m->pair_hours && pw->max_per_dagdeel < z - a && t < m->n_dagdelen; t++) {
			if (pw->fixed && (pw->dagdelen >> t & 1)) {
				for (int i = a; i < z; i++)
					rb_add(&b, r->x[by_w[i]], 1);
			} else if (seat_limited(pw)) {
				for (int i = a; i < z; i++) {
					const pm_pair *pk = &r->pairs[by_w[i]];
					if (!(pk->allowed >> t & 1))
						continue;
					int j = r->span[by_w[i]].first;
					for (int u = 0; u < t; u++)
						j += pk->allowed >> u & 1;
					rb_add(&b, j, 1);
				}
			}
			rb_row(lp, &b, GLP_UP, 0, pw->max_per_dagdeel);
		}
		if (m->pair_hours || pw->max_same_tongue < 0 || !tongue)
			continue;
		memset(tongue, 0, sizeof(int) * (size_t)m->n_tongues);
		for (int i = a; i < z; i++) {
			int t = m->participants[r->pairs[by_w[i]].p].tongue;
			if (t >= 0)
				tongue[t]++;
		}
		for (int t = 0; t < m->n_tongues; t++) {
			if (tongue[t] <= pw->max_same_tongue || m->w.same_tongue <= 0)
				continue;
			int o = add_col(lp, GLP_CV, 0, tongue[t] - pw->max_same_tongue, m->w.same_tongue);
			rb_add(&b, o, -1);
			for (int i = a; i < z; i++)
				if (m->participants[r->pairs[by_w[i]].p].tongue == t)
					rb_add(&b, r->x[by_w[i]], 1);
			rb_row(lp, &b, GLP_UP, 0, pw->max_same_tongue);
			r->excess_col = xrealloc(r->excess_col, sizeof(int) * (size_t)(r->n_excess + 1));
			r->excess_row = xrealloc(r->excess_row, sizeof(int) * (size_t)(r->n_excess + 1));
			r->excess_col[r->n_excess] = o;
			r->excess_row[r->n_excess++] = glp_get_num_rows(lp);
		}
	}
	free(cnt), free(at), free(by_w), free(tongue), free(b.ind), free(b.val);
	r->n_cols = glp_get_num_cols(lp);
}

/* The greedy matching as column values (1-based), for glp_ios_heur_sol. */
static void start_values(pm_run *r, glp_prob *lp)
{
	const pm_model *m = r->m;
	r->start = xcalloc((size_t)r->n_cols + 1, sizeof(double));
	for (int k = 0; k < r->n_pairs; k++) {
		const pm_pair *pk = &r->pairs[k];
		if (r->g_place[pk->p] != pk->w)
			continue;
		pm_mask dd = r->g_dd[pk->p];
		r->start[r->x[k]] = 1;
		const col_span *sp = &r->span[k];
		if (m->pair_hours || m->placements[pk->w].fixed)
			continue;
		int j = sp->first;
		if (sp->per_dagdeel) {
			for (int t = 0; t < m->n_dagdelen; t++)
				if (pk->allowed >> t & 1)
					r->start[j++] = dd >> t & 1;
		} else {
			for (int c = 0; c < sp->n; c++)
				r->start[j++] = __builtin_popcount(dd & sp->mask[c]);
		}
		if (sp->s)
			r->start[sp->s] = fmax(0, pk->target - pm_mask_hours(m, dd));
	}
	/* the same-tongue excess columns: as large as their rows need */
	int *ind = xmalloc(sizeof(int) * ((size_t)r->n_cols + 1));
	double *val = xmalloc(sizeof(double) * ((size_t)r->n_cols + 1));
	for (int e = 0; e < r->n_excess; e++) {
		int len = glp_get_mat_row(lp, r->excess_row[e], ind, val);
		double sum = 0;
		for (int q = 1; q <= len; q++)
			if (ind[q] != r->excess_col[e])
				sum += val[q] * r->start[ind[q]];
		r->start[r->excess_col[e]] = fmax(0, sum - glp_get_row_ub(lp, r->excess_row[e]));
	}
	/* glp_ios_heur_sol takes the values as they are, rows unchecked: only a
	 * start that meets every row may go (the greedy may leave a must_place
	 * participant out) */
	for (int i = 1; r->start && i <= glp_get_num_rows(lp); i++) {
		int len = glp_get_mat_row(lp, i, ind, val);
		double act = 0, tol = 1e-6;
		for (int q = 1; q <= len; q++)
			act += val[q] * r->start[ind[q]];
		int type = glp_get_row_type(lp, i);
		if (((type == GLP_LO || type == GLP_DB || type == GLP_FX) &&
		     act < glp_get_row_lb(lp, i) - tol) ||
		    ((type == GLP_UP || type == GLP_DB || type == GLP_FX) &&
		     act > glp_get_row_ub(lp, i) + tol)) {
			free(r->start);
			r->start = NULL;
		}
	}
	free(ind), free(val);
}

static void heur(void *ud, glp_tree *T)
{
	pm_run *r = ud;
	if (r->start && r->ctl.heur_calls == 1)
		glp_ios_heur_sol(T, r->start);
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
	const pm_model *m = r->m;
	glp_prob *lp = glp_create_prob();
	build(r, lp);
	if (r->infeasible) {
		glp_delete_prob(lp);
		return 0;
	}
	start_values(r, lp);
	int rc = lp_simplex(lp, &r->ctl);
	if (rc == 1) {
		r->infeasible = true;
	} else if (rc == 0) {
		r->bound = glp_get_obj_val(lp);
		r->ctl.heur = heur;
		r->ctl.improved = improved;
		r->ctl.hook_ud = r;
		rc = lp_mip(lp, &r->ctl, r->prm->gap > 0 ? r->prm->gap : 1e-4);
		if (rc == 1)
			r->infeasible = true;
		else if (r->ctl.mip_bound > r->bound)
			r->bound = r->ctl.mip_bound;
		if (rc == 0 && r->ctl.mip_has_sol) {
			r->from_mip = true;
			for (int p = 0; p < m->n_participants; p++)
				r->place[p] = -1, r->dd[p] = 0;
			for (int k = 0; k < r->n_pairs; k++) {
				const pm_pair *pk = &r->pairs[k];
				if (glp_mip_col_val(lp, r->x[k]) < 0.5)
					continue;
				r->place[pk->p] = pk->w;
				const col_span *sp = &r->span[k];
				const pm_placement *pw = &m->placements[pk->w];
				if (m->pair_hours)
					continue;
				if (pw->fixed) {
					r->dd[pk->p] = pw->dagdelen;
					continue;
				}
				int j = sp->first, per_day[7] = {0};
				for (int t = 0; t < m->n_dagdelen; t++)
					if (m->participants[pk->p].lessons >> t & 1)
						per_day[m->dagdelen[t].day] = 1;
				if (sp->per_dagdeel) {
					for (int t = 0; t < m->n_dagdelen; t++)
						if ((pk->allowed >> t & 1) && glp_mip_col_val(lp, j++) > 0.5)
							r->dd[pk->p] |= (pm_mask)1 << t;
					continue;
				}
				for (int c = 0; c < sp->n; c++) {
					int want = (int)lround(glp_mip_col_val(lp, j++));
					/* name `want` dagdelen of this length, spread */
					pm_mask got = 0;
					for (int q = 0; q < want; q++) {
						int best = -1;
						for (int t = 0; t < m->n_dagdelen; t++)
							if ((sp->mask[c] >> t & 1) && !(got >> t & 1) &&
							    (best < 0 || per_day[m->dagdelen[t].day] <
										 per_day[m->dagdelen[best].day]))
								best = t;
						got |= (pm_mask)1 << best;
						per_day[m->dagdelen[best].day]++;
					}
					r->dd[pk->p] |= got;
				}
			}
		}
	}
	glp_delete_prob(lp);
	return 0;
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
	enumerate_pairs(&r);
	greedy(&r);
	memcpy(s->placement, r.g_place, sizeof(int) * (size_t)P);
	memcpy(s->dagdelen, r.g_dd, sizeof(pm_mask) * (size_t)P);
	r.ctl.deadline = p.started + p.time_limit;
	r.ctl.cancel = p.cancel;
	r.ctl.node_limit = p.node_limit;
	r.bound = -HUGE_VAL;
	int rc = lp_guarded(&r.ctl, run_mip, &r);
	if (!r.from_mip) { /* the greedy matching stands */
		memcpy(s->placement, r.g_place, sizeof(int) * (size_t)P);
		memcpy(s->dagdelen, r.g_dd, sizeof(pm_mask) * (size_t)P);
	}
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
		if (must_left) {
			s->bound = 0;
			s->message = xstrdup("a must_place participant is left without a placement, "
					     "and that it cannot be otherwise is not proven");
		}
	}
	s->gap = s->objective > 0 ? (s->objective - s->bound) / s->objective : 0;
	free(r.pairs), free(r.first_pair), free(r.span), free(r.x), free(r.start);
	free(r.excess_col), free(r.excess_row);
	free(r.g_place), free(r.g_dd);
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
	enumerate_pairs(&r);
	export_arg a = {.r = &r, .path = path};
	int rc = lp_guarded(&r.ctl, export_fn, &a);
	free(r.pairs), free(r.first_pair), free(r.span), free(r.x);
	free(r.excess_col), free(r.excess_row);
	return rc ? rc : a.rc;
}
