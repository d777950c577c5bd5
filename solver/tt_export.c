/* tt_export.c: the straightforward timetable MIP written as a CPLEX LP file
 * for benchmarks against glpsol and cbc (roosterd itself solves the
 * aggregated model of tt_stage1.c). Candidate groups g per route (as many as
 * rooms and learners allow), binaries y_g (open), s_gt (meets at dagdeel t),
 * lv_gL (level), pc_gP (pace, with a pace weight), a_g (alfa), w_g (women-only),
 * loc_gl, rm_gr (room), th_gh
 * (teacher), x_ig (learner i in g), j_ir (joins running group r), mv_i
 * (a learner of the request's start whose lessons change), with
 * linking binaries for room/teacher per dagdeel and attendance per learner
 * and dagdeel; the same objective as tt_model.h with costs linearised by
 * big-M rows. The only solver file that does I/O. */
#include "tt_export.h"

#include <glpk.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lp.h"
#include "rs_error.h"
#include "xalloc.h"

typedef struct tt_xp {
	const tt_model *m;
	const char *path;
	glp_prob *P;
	int *ind;
	double *val;
	int nnz, cap;
	int rc;
} tt_xp;

static int xp_col(tt_xp *x, int kind, double lb, double ub, double obj, const char *fmt, ...)
{
	char name[64];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(name, sizeof name, fmt, ap);
	va_end(ap);
	int j = glp_add_cols(x->P, 1);
	glp_set_col_name(x->P, j, name);
	glp_set_col_kind(x->P, j, kind);
	if (kind != GLP_BV)
		glp_set_col_bnds(x->P, j, lb == ub ? GLP_FX : GLP_DB, lb, ub);
	else if (ub < 1)
		glp_set_col_bnds(x->P, j, GLP_FX, 0, 0);
	glp_set_obj_coef(x->P, j, obj);
	return j;
}

static void xp_add(tt_xp *x, int col, double v)
{
	if (x->nnz + 2 >= x->cap) {
		x->cap = x->cap ? 2 * x->cap : 256;
		x->ind = xrealloc(x->ind, (size_t)x->cap * sizeof *x->ind);
		x->val = xrealloc(x->val, (size_t)x->cap * sizeof *x->val);
	}
	x->nnz++;
	x->ind[x->nnz] = col;
	x->val[x->nnz] = v;
}

/* Adds every learner's join column of running group r (j_<i>_<r>, where
 * one was made) with coefficient 1 to the row being built. */
static void xp_add_joiners(tt_xp *x, int n, int r)
{
	for (int i = 0; i < n; i++) {
		char nm[64];
		snprintf(nm, sizeof nm, "j_%d_%d", i, r);
		int j = glp_find_col(x->P, nm);
		if (j)
			xp_add(x, j, 1);
	}
}

/* Ends the row under construction: type GLP_UP/GLP_LO/GLP_FX with bound b. */
static void xp_row(tt_xp *x, int type, double b)
{
	if (x->nnz == 0)
		return;
	int i = glp_add_rows(x->P, 1);
	glp_set_row_bnds(x->P, i, type, b, b);
	glp_set_mat_row(x->P, i, x->nnz, x->ind, x->val);
	x->nnz = 0;
}

static bool xp_dd_ok(const tt_model *m, const tt_learner *l, int t, int loc)
{
	const tt_dagdeel *d = &m->dagdelen[t];
	int tr = l->travel ? l->travel[loc] : -1;
	if (tr < 0 || (m->locations[loc].closed >> t & 1))
		return false;
	if (l->young_children > 0) {
		if (l->childcare < 0)
			return false;
		const tt_childcare *k = &m->childcare[l->childcare];
		int ct = k->travel ? k->travel[loc] : -1;
		if (ct < 0 || k->places[t] < l->young_children || k->open_min[d->day] < 0 ||
		    k->open_min[d->day] > d->start_min - ct || k->close_min[d->day] < d->end_min + ct)
			return false;
	}
	if (l->school_close_min >= 0 && d->day <= 4 && d->start_min < l->school_close_min &&
	    d->end_min + tr > l->school_close_min)
		return false;
	return true;
}

/* The column named by fmt, or 0 (after glp_create_index). */
static int xp_find(tt_xp *x, const char *fmt, int a, int b)
{
	char nm[64];
	snprintf(nm, sizeof nm, fmt, a, b);
	return glp_find_col(x->P, nm);
}

/* weights.moved of a start: mv_i (cost moved) >= 1 - stay_i for each learner
 * of the request's start, compared with the first start group listing it
 * (as the checker does). It stays in a running group by joining it again
 * (j_ir); in a new group by being in one of the candidate groups g (0..ng-1)
 * that meets on exactly the start group's dagdelen at its location:
 * z_ig <= x_ig, z_ig <= s_gt (t in the group's dagdelen), z_ig <= 1 - s_gt
 * (t not), z_ig <= loc_gL. A start group whose running group, dagdeel or
 * location is gone moves every member (mv fixed at 1). */
static void xp_moved(tt_xp *x, int ng)
{
	const tt_model *m = x->m;
	if (!(m->w.moved > 0) || m->n_start <= 0)
		return;
	int *first = xmalloc(((size_t)m->n_learners + 1) * sizeof *first);
	tt_start_first(m, first);
	for (int q = 0; q < m->n_start; q++) {
		const tt_start_group *sg = &m->start[q];
		for (int k = 0; k < sg->n_members; k++) {
			int i = sg->members[k];
			if (i < 0 || i >= m->n_learners || first[i] != q)
				continue;
			int mv = xp_col(x, GLP_CV, 0, 1, m->w.moved, "mv_%d", i);
			int n_stay = 0;
			if (sg->running >= 0) {
				int j = xp_find(x, "j_%d_%d", i, sg->running);
				if (j)
					xp_add(x, mv, 1), xp_add(x, j, 1), n_stay++;
			} else if (sg->running == -1 && !sg->sessions_lost && sg->location >= 0) {
				int *zs = xmalloc((size_t)(ng ? ng : 1) * sizeof *zs);
				for (int g = 0; g < ng; g++) {
					int xc = xp_find(x, "x_%d_%d", i, g);
					if (!xc)
						continue;
					int z = xp_col(x, GLP_CV, 0, 1, 0, "st_%d_%d", i, g);
					xp_add(x, z, 1), xp_add(x, xc, -1);
					xp_row(x, GLP_UP, 0);
					xp_add(x, z, 1), xp_add(x, xp_find(x, "loc_%d_%d", g, sg->location), -1);
					xp_row(x, GLP_UP, 0);
					for (int t = 0; t < m->n_dagdelen; t++) {
						bool in = sg->sessions >> t & 1;
						xp_add(x, z, 1), xp_add(x, xp_find(x, "s_%d_%d", g, t), in ? -1 : 1);
						xp_row(x, GLP_UP, in ? 0 : 1);
					}
					zs[n_stay++] = z;
				}
				xp_add(x, mv, 1);
				for (int k2 = 0; k2 < n_stay; k2++)
					xp_add(x, zs[k2], 1);
				free(zs);
			}
			if (n_stay)
				xp_row(x, GLP_LO, 1);
			else
				x->nnz = 0, glp_set_col_bnds(x->P, mv, GLP_FX, 1, 1);
		}
	}
	free(first);
}

static int xp_build(void *arg)
{
	tt_xp *x = arg;
	const tt_model *m = x->m;
	int nd = m->n_dagdelen, nl = m->n_locations, nr = m->n_rooms, nt = m->n_teachers;
	int n = m->n_learners;
	x->P = glp_create_prob();
	glp_set_prob_name(x->P, "roosterd_straightforward");
	glp_set_obj_dir(x->P, GLP_MIN);
	double bigM = 1000;
	/* busy dagdelen from running groups */
	tt_mask *rbusy = xcalloc((size_t)nr + 1, sizeof *rbusy), *tbusy = xcalloc((size_t)nt + 1, sizeof *tbusy);
	int *tload = xcalloc((size_t)nt + 1, sizeof *tload), *tday = xcalloc((size_t)nt * 7 + 1, sizeof *tday);
	/* each learner's dagdelen: available, not in a module group, not when a
	 * partner kept apart is in a running group */
	tt_mask *lfree = xmalloc((size_t)(n ? n : 1) * sizeof *lfree);
	{
		int nh = m->n_households > 0 ? m->n_households : 1;
		bool *apart = xcalloc((size_t)nh, sizeof *apart);
		tt_mask *hrun = xcalloc((size_t)nh, sizeof *hrun);
		for (int i = 0; i < n; i++)
			if (m->learners[i].household >= 0 && m->learners[i].partners_apart)
				apart[m->learners[i].household] = true;
		for (int r = 0; r < m->n_running; r++)
			for (int k = 0; k < m->running[r].n_households; k++)
				hrun[m->running[r].households[k]] |= m->running[r].sessions;
		for (int i = 0; i < n; i++) {
			const tt_learner *l = &m->learners[i];
			lfree[i] = l->avail & ~l->busy;
			if (l->household >= 0 && apart[l->household])
				lfree[i] &= ~hrun[l->household];
		}
		free(apart);
		free(hrun);
	}
	for (int r = 0; r < m->n_running; r++) {
		const tt_running *g = &m->running[r];
		rbusy[g->room] |= g->sessions;
		tbusy[g->teacher] |= g->sessions;
		for (int t = 0; t < nd; t++)
			if (g->sessions >> t & 1)
				tload[g->teacher] += tt_mask_load(m, (tt_mask)1 << t),
				tday[g->teacher * 7 + m->dagdelen[t].day]++;
	}
	/* attendance columns att_it, created lazily */
	int *att = xcalloc((size_t)n * (size_t)nd + 1, sizeof *att);
	int *u = xmalloc((size_t)(n ? n : 1) * sizeof *u);
	for (int i = 0; i < n; i++) {
		const tt_learner *l = &m->learners[i];
		double w = m->w.unplaced + m->w.wait_week * l->weeks_waiting;
		u[i] = xp_col(x, GLP_CV, 0, l->must_place ? 0 : 1, w, "u_%d", i);
	}
	int **xcols = xcalloc((size_t)(n ? n : 1), sizeof *xcols); /* per learner: list of x/j columns */
	int *nx = xcalloc((size_t)(n ? n : 1), sizeof *nx);
	int *xcap = xcalloc((size_t)(n ? n : 1), sizeof *xcap);
#define PUSHX(i, col)                                                                         \
	do {                                                                                  \
		if (nx[i] == xcap[i]) {                                               \
			xcap[i] = xcap[i] ? 2 * xcap[i] : 8;                                  \
			xcols[i] = xrealloc(xcols[i], (size_t)xcap[i] * sizeof(int));         \
		}                                                                             \
		xcols[i][nx[i]++] = (col);                                                    \
	} while (0)
	int gid = 0;
	for (int route = 0; route < TT_N_ROUTES; route++) {
		const tt_route *rt = &m->routes[route];
		int nr_l = 0;
		for (int i = 0; i < n; i++)
			nr_l += m->learners[i].route == route;
		if (!nr_l || rt->sessions <= 0)
			continue;
		int G = nr_l / (rt->min_size > 0 ? rt->min_size : 1);
		int byroom = nr * nd / rt->sessions;
		if (byroom < G)
			G = byroom;
		for (int g = 0; g < G; g++, gid++) {
			int y = xp_col(x, GLP_BV, 0, 1, m->w.group, "y_%d", gid);
			int s[TT_MAX_DAGDELEN];
			for (int t = 0; t < nd; t++)
				s[t] = xp_col(x, GLP_BV, 0, 1, 0, "s_%d_%d", gid, t);
			for (int t = 0; t < nd; t++)
				xp_add(x, s[t], 1);
			xp_add(x, y, -rt->sessions);
			xp_row(x, GLP_FX, 0);
			/* the route's hours a week: min y <= sum of lengths s <= max y */
			for (int side = 0; side < 2; side++) {
				int bound = side ? rt->max_minutes : rt->min_minutes;
				if (bound < 0)
					continue;
				for (int t = 0; t < nd; t++)
					xp_add(x, s[t], m->dagdelen[t].end_min - m->dagdelen[t].start_min);
				xp_add(x, y, -bound);
				xp_row(x, side ? GLP_UP : GLP_LO, 0);
			}
			if (!rt->same_day_ok)
				for (int d = 0; d < 7; d++) {
					for (int t = 0; t < nd; t++)
						if (m->dagdelen[t].day == d)
							xp_add(x, s[t], 1);
					xp_row(x, GLP_UP, 1);
				}
			/* spread: pairs on consecutive days */
			for (int a = 0; a < nd; a++)
				for (int b = a + 1; b < nd; b++)
					if (abs(m->dagdelen[a].day - m->dagdelen[b].day) == 1) {
						int p = xp_col(x, GLP_CV, 0, 1, m->w.spread, "sp_%d_%d_%d", gid, a, b);
						xp_add(x, p, 1), xp_add(x, s[a], -1), xp_add(x, s[b], -1);
						xp_row(x, GLP_LO, -1);
					}
			int lv[TT_MAX_LEVEL + 1];
			for (int L = 0; L <= TT_MAX_LEVEL; L++) {
				lv[L] = xp_col(x, GLP_BV, 0, 1, 0, "lv_%d_%d", gid, L);
				xp_add(x, lv[L], 1);
			}
			xp_add(x, y, -1);
			xp_row(x, GLP_FX, 0);
			/* pace (only with a pace weight): pc_gP, one when open */
			int pc[3] = {0, 0, 0};
			if (m->w.pace > 0) {
				for (int P = 0; P < 3; P++) {
					pc[P] = xp_col(x, GLP_BV, 0, 1, 0, "pc_%d_%d", gid, P);
					xp_add(x, pc[P], 1);
				}
				xp_add(x, y, -1);
				xp_row(x, GLP_FX, 0);
			}
			int a = xp_col(x, GLP_BV, 0, 1, 0, "a_%d", gid);
			int w = xp_col(x, GLP_BV, 0, 1, 0, "w_%d", gid);
			int *loc = xmalloc((size_t)(nl ? nl : 1) * sizeof *loc);
			for (int l = 0; l < nl; l++) {
				loc[l] = xp_col(x, GLP_BV, 0, 1, 0, "loc_%d_%d", gid, l);
				for (int t = 0; t < nd; t++)
					if (m->locations[l].closed >> t & 1) {
						xp_add(x, loc[l], 1);
						xp_add(x, s[t], 1);
						xp_row(x, GLP_UP, 1);
					}
			}
			for (int l = 0; l < nl; l++)
				xp_add(x, loc[l], 1);
			xp_add(x, y, -1);
			xp_row(x, GLP_FX, 0);
			/* rooms */
			int *rm = xmalloc((size_t)(nr ? nr : 1) * sizeof *rm);
			for (int r = 0; r < nr; r++) {
				bool has = (m->rooms[r].facilities & rt->room_needs) == rt->room_needs;
				rm[r] = xp_col(x, GLP_BV, 0, has ? 1 : 0, 0, "rm_%d_%d", gid, r);
			}
			for (int r = 0; r < nr; r++)
				xp_add(x, rm[r], 1);
			xp_add(x, y, -1);
			xp_row(x, GLP_FX, 0);
			for (int r = 0; r < nr; r++) {
				xp_add(x, rm[r], 1), xp_add(x, loc[m->rooms[r].location], -1);
				xp_row(x, GLP_UP, 0);
				for (int t = 0; t < nd; t++) {
					if (!(m->rooms[r].avail >> t & 1) || (rbusy[r] >> t & 1)) {
						xp_add(x, rm[r], 1), xp_add(x, s[t], 1);
						xp_row(x, GLP_UP, 1);
					}
				}
			}
			/* teachers */
			int *th = xmalloc((size_t)(nt ? nt : 1) * sizeof *th);
			for (int h = 0; h < nt; h++) {
				const tt_teacher *T = &m->teachers[h];
				bool q = (T->quals & rt->quals) == rt->quals;
				th[h] = xp_col(x, GLP_BV, 0, q ? 1 : 0, 0, "th_%d_%d", gid, h);
			}
			for (int h = 0; h < nt; h++)
				xp_add(x, th[h], 1);
			xp_add(x, y, -1);
			xp_row(x, GLP_FX, 0);
			for (int h = 0; h < nt; h++) {
				const tt_teacher *T = &m->teachers[h];
				if (!(T->quals & TT_QUAL_ALFA)) {
					xp_add(x, th[h], 1), xp_add(x, a, 1);
					xp_row(x, GLP_UP, 1);
				}
				xp_add(x, th[h], 1);
				for (int l = 0; l < nl; l++)
					if (!(T->locations >> l & 1))
						xp_add(x, loc[l], 1);
				xp_row(x, GLP_UP, 1);
				for (int t = 0; t < nd; t++)
					if (!(T->avail >> t & 1)) {
						xp_add(x, th[h], 1), xp_add(x, s[t], 1);
						xp_row(x, GLP_UP, 1);
					}
			}
			/* capacity and size */
			int nxg = 0;
			for (int i = 0; i < n; i++) {
				const tt_learner *l = &m->learners[i];
				if (l->route != route)
					continue;
				int xc = xp_col(x, GLP_BV, 0, 1, 0, "x_%d_%d", i, gid);
				PUSHX(i, xc);
				nxg++;
				/* the room has the learner's facilities: x <= sum of such rooms */
				if (l->room_needs) {
					xp_add(x, xc, 1);
					for (int r = 0; r < nr; r++)
						if ((m->rooms[r].facilities & l->room_needs) == l->room_needs)
							xp_add(x, rm[r], -1);
					xp_row(x, GLP_UP, 0);
				}
				/* level window */
				xp_add(x, xc, 1);
				for (int L = l->level - rt->max_level_spread; L <= l->level; L++)
					if (L >= 0)
						xp_add(x, lv[L], -1);
				xp_row(x, GLP_UP, 0);
				/* level cost */
				int e = xp_col(x, GLP_CV, 0, TT_MAX_LEVEL, m->w.level, "lc_%d_%d", i, gid);
				xp_add(x, e, 1);
				for (int L = 0; L <= TT_MAX_LEVEL; L++)
					xp_add(x, lv[L], L);
				xp_add(x, xc, -l->level - TT_MAX_LEVEL);
				xp_row(x, GLP_LO, -TT_MAX_LEVEL);
				/* pace cost: pe >= |pace_i - P| (pc_gP + x_ig - 1) */
				if (m->w.pace > 0) {
					int pe = xp_col(x, GLP_CV, 0, 2, m->w.pace, "pe_%d_%d", i, gid);
					for (int P = 0; P < 3; P++) {
						int dp = abs(l->pace - P);
						if (!dp)
							continue;
						xp_add(x, pe, 1), xp_add(x, pc[P], -dp), xp_add(x, xc, -dp);
						xp_row(x, GLP_LO, -dp);
					}
				}
				/* alfa, women-only */
				if (rt->alfa_separate || l->alfa) {
					xp_add(x, xc, 1), xp_add(x, a, l->alfa ? -1 : 1);
					xp_row(x, GLP_UP, l->alfa ? 0 : 1);
				}
				if (l->women_only || l->gender != TT_GENDER_F) {
					xp_add(x, xc, 1), xp_add(x, w, l->women_only ? -1 : 1);
					xp_row(x, GLP_UP, l->women_only ? 0 : 1);
				}
				/* weekly hours: sum_t len_t s_gt <= limit + M (1 - x_ig) */
				if (l->weekly_min >= 0) {
					double M = -l->weekly_min;
					for (int t = 0; t < nd; t++) {
						int len = m->dagdelen[t].end_min - m->dagdelen[t].start_min;
						xp_add(x, s[t], len);
						M += len;
					}
					if (M > 0) {
						xp_add(x, xc, M);
						xp_row(x, GLP_UP, l->weekly_min + M);
					} else {
						x->nnz = 0;
					}
				}
				/* travel and pref cost */
				int tc = xp_col(x, GLP_CV, 0, HUGE_VAL, 1, "tc_%d_%d", i, gid);
				glp_set_col_bnds(x->P, tc, GLP_LO, 0, 0);
				xp_add(x, tc, 1);
				double M = 0;
				for (int q = 0; q < nl; q++) {
					int tr = l->travel ? l->travel[q] : -1;
					if (tr <= 0)
						continue;
					xp_add(x, loc[q], -m->w.travel * tr);
					if (m->w.travel * tr > M)
						M = m->w.travel * tr;
				}
				for (int t = 0; t < nd; t++)
					if (l->pref && !(l->pref >> t & 1))
						xp_add(x, s[t], -m->w.pref), M += m->w.pref;
				if (M > 0) {
					xp_add(x, xc, -M);
					xp_row(x, GLP_LO, -M);
				} else {
					x->nnz = 0;
				}
				/* unreachable locations, availability and per-dagdeel filters */
				for (int q = 0; q < nl; q++) {
					int tr = l->travel ? l->travel[q] : -1;
					if (tr < 0) {
						xp_add(x, xc, 1), xp_add(x, loc[q], 1);
						xp_row(x, GLP_UP, 1);
						continue;
					}
					for (int t = 0; t < nd; t++)
						if ((lfree[i] >> t & 1) && !xp_dd_ok(m, l, t, q)) {
							xp_add(x, xc, 1), xp_add(x, loc[q], 1), xp_add(x, s[t], 1);
							xp_row(x, GLP_UP, 2);
						}
				}
				for (int t = 0; t < nd; t++) {
					if (!(lfree[i] >> t & 1)) {
						xp_add(x, xc, 1), xp_add(x, s[t], 1);
						xp_row(x, GLP_UP, 1);
						continue;
					}
					int *at = &att[(size_t)i * (size_t)nd + (size_t)t];
					if (!*at)
						*at = xp_col(x, GLP_CV, 0, 1, 0, "att_%d_%d", i, t);
					xp_add(x, *at, 1), xp_add(x, xc, -1), xp_add(x, s[t], -1);
					xp_row(x, GLP_LO, -1);
				}
			}
			/* size: min y <= sum x <= max y, and <= room capacity */
			int first = glp_get_num_cols(x->P);
			(void)first;
			for (int i = 0; i < n; i++)
				if (m->learners[i].route == route)
					xp_add(x, xcols[i][nx[i] - 1], 1);
			xp_add(x, y, -rt->min_size);
			xp_row(x, GLP_LO, 0);
			for (int i = 0; i < n; i++)
				if (m->learners[i].route == route)
					xp_add(x, xcols[i][nx[i] - 1], 1);
			xp_add(x, y, -rt->max_size);
			xp_row(x, GLP_UP, 0);
			/* learners <= the room's capacity, or under the soft rule
			 * <= capacity + over, each seat over at room_seat_penalty */
			for (int i = 0; i < n; i++)
				if (m->learners[i].route == route)
					xp_add(x, xcols[i][nx[i] - 1], 1);
			for (int r = 0; r < nr; r++)
				xp_add(x, rm[r], -m->rooms[r].capacity);
			if (m->room_capacity_soft)
				xp_add(x, xp_col(x, GLP_CV, 0, rt->max_size, m->room_seat_penalty,
						 "over_%d", gid),
				       -1);
			xp_row(x, GLP_UP, 0);
			(void)nxg;
			/* room and teacher per dagdeel: z_grt, k_ght */
			for (int t = 0; t < nd; t++) {
				for (int r = 0; r < nr; r++) {
					if (!(m->rooms[r].avail >> t & 1) || (rbusy[r] >> t & 1))
						continue;
					int z = xp_col(x, GLP_CV, 0, 1, 0, "rt_%d_%d_%d", gid, r, t);
					xp_add(x, z, 1), xp_add(x, rm[r], -1), xp_add(x, s[t], -1);
					xp_row(x, GLP_LO, -1);
				}
				for (int h = 0; h < nt; h++) {
					if (!(m->teachers[h].avail >> t & 1))
						continue;
					int k = xp_col(x, GLP_CV, 0, 1, 0, "tt_%d_%d_%d", gid, h, t);
					xp_add(x, k, 1), xp_add(x, th[h], -1), xp_add(x, s[t], -1);
					xp_row(x, GLP_LO, -1);
				}
			}
			free(loc);
			free(rm);
			free(th);
		}
	}
	(void)bigM;
	glp_create_index(x->P);
	/* running groups */
	for (int r = 0; r < m->n_running; r++) {
		const tt_running *g = &m->running[r];
		int seats = g->may_join ? m->routes[g->route].max_size - g->n_members : 0;
		if (!m->room_capacity_soft && m->rooms[g->room].capacity - g->n_members < seats)
			seats = m->rooms[g->room].capacity - g->n_members;
		if (g->has_free_seats && g->free_seats < seats)
			seats = g->free_seats;
		int cap = m->rooms[g->room].capacity, over0 = g->n_members - cap;
		if (seats <= 0) {
			/* under the soft rule its members over the room still cost */
			if (m->room_capacity_soft && over0 > 0)
				xp_col(x, GLP_CV, over0, over0, m->room_seat_penalty, "over_run_%d", r);
			continue;
		}
		int loc = m->rooms[g->room].location;
		for (int i = 0; i < n; i++) {
			const tt_learner *l = &m->learners[i];
			if (l->route != g->route || l->level < g->level ||
			    l->level > g->level + m->routes[g->route].max_level_spread)
				continue;
			if (m->routes[g->route].alfa_separate && l->alfa != g->alfa)
				continue;
			/* an alfa learner in a non-alfa group needs an alfa-qualified
			 * teacher there */
			if (l->alfa && !g->alfa &&
			    (g->teacher < 0 || !(m->teachers[g->teacher].quals & TT_QUAL_ALFA)))
				continue;
			if ((m->rooms[g->room].facilities & l->room_needs) != l->room_needs)
				continue;
			if (g->women_only ? l->gender != TT_GENDER_F : l->women_only)
				continue;
			bool ok = (lfree[i] & g->sessions) == g->sessions;
			if (l->weekly_min >= 0 && tt_mask_minutes(m, g->sessions) > l->weekly_min)
				ok = false;
			for (int t = 0; t < nd && ok; t++)
				if (g->sessions >> t & 1)
					ok = xp_dd_ok(m, l, t, loc);
			if (!ok)
				continue;
			double c = m->w.level * (l->level - g->level) + m->w.travel * l->travel[loc] +
				   m->w.pace * abs(l->pace - g->pace);
			if (l->pref)
				c += m->w.pref * __builtin_popcount(g->sessions & ~l->pref);
			int j = xp_col(x, GLP_BV, 0, 1, c, "j_%d_%d", i, r);
			PUSHX(i, j);
			for (int t = 0; t < nd; t++)
				if (g->sessions >> t & 1) {
					int *at = &att[(size_t)i * (size_t)nd + (size_t)t];
					if (!*at)
						*at = xp_col(x, GLP_CV, 0, 1, 0, "att_%d_%d", i, t);
					xp_add(x, *at, 1), xp_add(x, j, -1);
					xp_row(x, GLP_LO, 0);
				}
		}
		xp_add_joiners(x, n, r);
		xp_row(x, GLP_UP, seats);
		if (m->room_capacity_soft) {
			/* members + joiners - over <= capacity, over >= 0 */
			int hi = over0 + seats > 0 ? over0 + seats : 0;
			int o = xp_col(x, GLP_CV, over0 > 0 ? over0 : 0, hi, m->room_seat_penalty,
				       "over_run_%d", r);
			xp_add_joiners(x, n, r);
			xp_add(x, o, -1);
			xp_row(x, GLP_UP, cap - g->n_members);
		}
	}
	/* each learner once */
	for (int i = 0; i < n; i++) {
		for (int k = 0; k < nx[i]; k++)
			xp_add(x, xcols[i][k], 1);
		xp_add(x, u[i], 1);
		xp_row(x, GLP_FX, 1);
	}
	xp_moved(x, gid);
	/* rooms and teachers: one group per dagdeel; teacher load */
	for (int r = 0; r < nr; r++)
		for (int t = 0; t < nd; t++) {
			for (int g = 0; g < gid; g++) {
				char nm[64];
				snprintf(nm, sizeof nm, "rt_%d_%d_%d", g, r, t);
				int c = glp_find_col(x->P, nm);
				if (c)
					xp_add(x, c, 1);
			}
			xp_row(x, GLP_UP, 1);
		}
	for (int h = 0; h < nt; h++) {
		const tt_teacher *T = &m->teachers[h];
		/* the teacher's columns and the dagdeel of each */
		size_t cap = (size_t)gid * (size_t)nd + 1;
		int *tcols = xmalloc(cap * sizeof *tcols), *tdd = xmalloc(cap * sizeof *tdd), ntc = 0;
		for (int t = 0; t < nd; t++) {
			for (int g = 0; g < gid; g++) {
				char nm[64];
				snprintf(nm, sizeof nm, "tt_%d_%d_%d", g, h, t);
				int c = glp_find_col(x->P, nm);
				if (c) {
					xp_add(x, c, 1);
					tcols[ntc] = c;
					tdd[ntc++] = t;
				}
			}
			xp_row(x, GLP_UP, (tbusy[h] >> t & 1) ? 0 : 1);
		}
		for (int k = 0; k < ntc; k++)
			xp_add(x, tcols[k], tt_mask_load(m, (tt_mask)1 << tdd[k]));
		/* running groups past the contract or the day's maximum stay as
		 * they are (the checker counts only new groups against them):
		 * what is left is never below 0 */
		int left = T->max_load - tload[h];
		xp_row(x, GLP_UP, left > 0 ? left : 0);
		for (int d = 0; d < 7; d++) {
			for (int k = 0; k < ntc; k++)
				if (m->dagdelen[tdd[k]].day == d)
					xp_add(x, tcols[k], 1);
			int today = T->max_per_day - tday[h * 7 + d];
			xp_row(x, GLP_UP, today > 0 ? today : 0);
		}
		free(tcols);
		free(tdd);
	}
	/* childcare places and households apart */
	for (int c = 0; c < m->n_childcare; c++)
		for (int t = 0; t < nd; t++) {
			for (int i = 0; i < n; i++) {
				const tt_learner *l = &m->learners[i];
				int at = att[(size_t)i * (size_t)nd + (size_t)t];
				if (at && l->childcare == c && l->young_children > 0)
					xp_add(x, at, l->young_children);
			}
			xp_row(x, GLP_UP, m->childcare[c].places[t]);
		}
	bool *apart = xcalloc((size_t)(m->n_households > 0 ? m->n_households : 0) + 1, sizeof *apart);
	for (int i = 0; i < n; i++)
		if (m->learners[i].household >= 0 && m->learners[i].partners_apart)
			apart[m->learners[i].household] = true;
	for (int h = 0; h < m->n_households; h++) {
		if (!apart[h])
			continue;
		for (int t = 0; t < nd; t++) {
			int cnt = 0;
			for (int i = 0; i < n; i++) {
				int at = att[(size_t)i * (size_t)nd + (size_t)t];
				if (at && m->learners[i].household == h)
					xp_add(x, at, 1), cnt++;
			}
			if (cnt < 2)
				x->nnz = 0;
			xp_row(x, GLP_UP, 1);
		}
	}
	free(apart);
	/* nothing to decide (no learners, say): one fixed column and a row
	 * keep the file one that glpsol and cbc read (objective 0) */
	if (glp_get_num_cols(x->P) == 0) {
		int j = xp_col(x, GLP_CV, 0, 0, 0, "nothing");
		xp_add(x, j, 1);
		xp_row(x, GLP_UP, 0);
	}
	int wr = glp_write_lp(x->P, NULL, x->path);
	x->rc = wr ? RS_EIO : 0;
	glp_delete_prob(x->P);
	for (int i = 0; i < n; i++)
		free(xcols[i]);
	free(xcols);
	free(nx);
	free(xcap);
	free(att);
	free(u);
	free(rbusy);
	free(lfree);
	free(tbusy);
	free(tload);
	free(tday);
	free(x->ind);
	free(x->val);
	return x->rc;
}

int tt_export_lp(const tt_model *m, const char *path)
{
	tt_xp x = {.m = m, .path = path};
	lp_ctl c = {0};
	return lp_guarded(&c, xp_build, &x);
}
