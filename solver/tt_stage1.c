/* tt_stage1.c: stage 1 of the timetable solver, the aggregated pattern MIP.
 *
 * Integer n_c = new groups in cell c; learners with identical options are
 * one class k with integer z_kc = members placed in c and zr_kr = members
 * joining running group r; continuous u_kj = members left waiting at the
 * j-th distinct wait weight of the class (the LP leaves the cheapest ones,
 * which is exact because the count is integral). Rows: class balance,
 * min/max size per cell, running seats, rooms per (location, dagdeel) and
 * size threshold, seats per (location, dagdeel), teachers per dagdeel and
 * qualification set (Hall conditions) and per (location, dagdeel), teacher
 * dagdelen per day and qualification set and per week, childcare places per (provider, dagdeel), partners
 * apart per (household, dagdeel). The objective is the full objective
 * except room_over (>= 0), so a proven bound of the complete MIP is a bound
 * of the whole problem. Large instances keep a subset of the cells (then the
 * MIP bound is not used). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rs_error.h"
#include "tt_internal.h"
#include "xalloc.h"

#define TT_S1_MAX_VUB 30000      /* variable-upper-bound rows added at most */
#define TT_S1_COLS_PER_SEC 6000.0 /* root LP speed assumed when deciding to start */

typedef struct tt_class {
	int rep;      /* representative learner */
	int size;
	int *members; /* sorted by wait weight, highest first */
	int n_w;      /* distinct weights of non-must members */
	double *w;    /* ascending */
	int *mult;
} tt_class;

typedef struct tt_tri {
	int *ia, *ja;
	double *ar;
	int n, cap;
} tt_tri;

static void tt_tri_add(tt_tri *t, int row, int col, double v)
{
	if (t->n + 1 >= t->cap) {
		t->cap = t->cap ? 2 * t->cap : 65536;
		t->ia = xrealloc(t->ia, (size_t)t->cap * sizeof *t->ia);
		t->ja = xrealloc(t->ja, (size_t)t->cap * sizeof *t->ja);
		t->ar = xrealloc(t->ar, (size_t)t->cap * sizeof *t->ar);
	}
	t->n++;
	t->ia[t->n] = row, t->ja[t->n] = col, t->ar[t->n] = v;
}

typedef struct tt_rows {
	int n, cap;
	double *ub; /* all rows are <= ub, = when eq set, >= lb when ge */
	char *kind; /* 'U' <= , 'L' >=, 'E' = */
} tt_rows;

static int tt_row_new(tt_rows *r, char kind, double b)
{
	if (r->n + 1 >= r->cap) {
		r->cap = r->cap ? 2 * r->cap : 4096;
		r->ub = xrealloc(r->ub, (size_t)r->cap * sizeof *r->ub);
		r->kind = xrealloc(r->kind, (size_t)r->cap);
	}
	r->n++;
	r->ub[r->n] = b;
	r->kind[r->n] = kind;
	return r->n;
}

typedef struct tt_s1 {
	const tt_prep *pp;
	const tt_params *p;
	lp_ctl *ctl;
	const tt_plan *start;
	const int *forbid_n;
	bool feas;
	double t0, comb_bound;
	double konst; /* wait cost of learners without options (not in the MIP) */
	/* classes */
	int n_cls;
	tt_class *cls;
	int *cls_of; /* learner -> class */
	/* cells in the MIP */
	int n_inc;
	int *inc;     /* cell ids */
	int *inc_pos; /* cell -> position or -1 */
	/* columns */
	int ncol;
	int *ncol_cell;           /* column of n for inc[k] */
	int nz;                   /* z and zr columns */
	int *zc_class, *zc_cell;  /* per z column (cell may be -2-r) */
	int zc_first;             /* first z column index */
	int *u_first;             /* per class */
	long ztotal;              /* z columns of the complete model */
	double *x0;               /* heuristic start, 1-based */
	bool x0_ok, x0_fed;
	/* output */
	tt_plan *out;
	tt_s1_result *res;
} tt_s1;

static uint64_t tt_opts_hash(const tt_prep *pp, int i)
{
	const tt_learner *l = &pp->m->learners[i];
	uint64_t h = 1469598103934665603ULL;
	for (int k = pp->opt_start[i]; k < pp->opt_start[i + 1]; k++) {
		uint64_t v = (uint64_t)(uint32_t)pp->opts[k].cell * 1000003ULL ^
			     (uint64_t)llround(pp->opts[k].cost * 1024.0);
		h = (h ^ v) * 1099511628211ULL;
	}
	if (l->young_children > 0 && !(pp->relax & TT_F_CHILDCARE))
		h = (h ^ (uint64_t)(l->childcare * 31 + l->young_children + 7)) * 1099511628211ULL;
	return h;
}

static bool tt_same_class(const tt_prep *pp, int a, int b)
{
	const tt_learner *la = &pp->m->learners[a], *lb = &pp->m->learners[b];
	int na = pp->opt_start[a + 1] - pp->opt_start[a];
	if (na != pp->opt_start[b + 1] - pp->opt_start[b])
		return false;
	for (int k = 0; k < na; k++) {
		const tt_opt *x = &pp->opts[pp->opt_start[a] + k], *y = &pp->opts[pp->opt_start[b] + k];
		if (x->cell != y->cell || fabs(x->cost - y->cost) > 1e-9)
			return false;
	}
	if (!(pp->relax & TT_F_CHILDCARE) && (la->young_children > 0 || lb->young_children > 0) &&
	    (la->young_children != lb->young_children || la->childcare != lb->childcare))
		return false;
	return true;
}

typedef struct tt_hkey {
	uint64_t h;
	int i;
} tt_hkey;

static int tt_cmp_hkey(const void *a, const void *b)
{
	const tt_hkey *x = a, *y = b;
	if (x->h != y->h)
		return x->h < y->h ? -1 : 1;
	return x->i - y->i;
}

static void tt_build_classes(tt_s1 *s)
{
	const tt_prep *pp = s->pp;
	int n = pp->m->n_learners;
	s->cls_of = xmalloc((size_t)(n ? n : 1) * sizeof *s->cls_of);
	tt_hkey *keys = xmalloc((size_t)(n ? n : 1) * sizeof *keys);
	int nk = 0;
	/* a partner kept apart is a class of its own (the household rows
	 * name it), keyed by its index */
	for (int i = 0; i < n; i++) {
		s->cls_of[i] = -1;
		if (pp->opt_start[i + 1] > pp->opt_start[i])
			keys[nk++] = (tt_hkey){tt_kept_apart(pp, i) ? (uint64_t)i * 0x9e3779b97f4a7c15ULL + 1
								    : tt_opts_hash(pp, i),
					       i};
	}
	qsort(keys, (size_t)nk, sizeof *keys, tt_cmp_hkey);
	s->cls = xcalloc((size_t)(nk ? nk : 1), sizeof *s->cls);
	int *cnt = xcalloc((size_t)(nk ? nk : 1), sizeof *cnt);
	for (int a = 0; a < nk;) {
		int b = a;
		while (b < nk && keys[b].h == keys[a].h)
			b++;
		int first = s->n_cls;
		for (int k = a; k < b; k++) {
			int i = keys[k].i, c = -1;
			if (!tt_kept_apart(pp, i))
				for (int q = first; q < s->n_cls && c < 0; q++)
					if (!tt_kept_apart(pp, s->cls[q].rep) && tt_same_class(pp, s->cls[q].rep, i))
						c = q;
			if (c < 0) {
				c = s->n_cls++;
				s->cls[c].rep = i;
			}
			s->cls_of[i] = c;
			cnt[c]++;
		}
		a = b;
	}
	for (int c = 0; c < s->n_cls; c++) {
		s->cls[c].members = xmalloc((size_t)cnt[c] * sizeof(int));
		s->cls[c].w = xmalloc((size_t)cnt[c] * sizeof(double));
		s->cls[c].mult = xmalloc((size_t)cnt[c] * sizeof(int));
	}
	for (int i = 0; i < n; i++)
		if (s->cls_of[i] >= 0) {
			tt_class *c = &s->cls[s->cls_of[i]];
			c->members[c->size++] = i;
		}
	for (int c = 0; c < s->n_cls; c++) {
		tt_class *k = &s->cls[c];
		qsort_r(k->members, (size_t)k->size, sizeof(int), tt_cmp_u_desc, pp->u);
		for (int q = k->size - 1; q >= 0; q--) {
			double w = pp->u[k->members[q]];
			if (tt_must(pp, k->members[q]))
				continue;
			if (k->n_w && fabs(k->w[k->n_w - 1] - w) < 1e-9)
				k->mult[k->n_w - 1]++;
			else
				k->w[k->n_w] = w, k->mult[k->n_w++] = 1;
		}
	}
	free(cnt);
	free(keys);
}

typedef struct tt_cellrank {
	double key;
	int cell;
} tt_cellrank;

static int tt_cmp_rank(const void *a, const void *b)
{
	const tt_cellrank *x = a, *y = b;
	if (x->key != y->key)
		return x->key > y->key ? -1 : 1;
	return x->cell - y->cell;
}

/* Cells to put in the MIP: all of them when the model stays small. */
static void tt_choose_cells(tt_s1 *s, long zmax)
{
	const tt_prep *pp = s->pp;
	int nc = pp->n_cells;
	s->inc = xmalloc((size_t)(nc ? nc : 1) * sizeof *s->inc);
	s->inc_pos = xmalloc((size_t)(nc ? nc : 1) * sizeof *s->inc_pos);
	int *ncls = xcalloc((size_t)(nc ? nc : 1), sizeof *ncls);
	int *last = xmalloc((size_t)(nc ? nc : 1) * sizeof *last);
	for (int c = 0; c < nc; c++)
		last[c] = -1, s->inc_pos[c] = -1;
	long total = 0;
	for (int k = 0; k < s->n_cls; k++) {
		int i = s->cls[k].rep;
		for (int o = pp->opt_start[i]; o < pp->opt_start[i + 1]; o++) {
			int c = pp->opts[o].cell;
			if (c >= 0 && last[c] != k) {
				last[c] = k;
				ncls[c]++;
				total++;
			}
		}
	}
	tt_cellrank *rk = xmalloc((size_t)(nc ? nc : 1) * sizeof *rk);
	int nr = 0;
	bool *in_start = xcalloc((size_t)(nc ? nc : 1), sizeof *in_start);
	if (s->start)
		for (int g = 0; g < s->start->n_groups; g++)
			in_start[s->start->g[g].cell] = true;
	for (int c = 0; c < nc; c++) {
		if (!pp->cells[c].alive || ncls[c] == 0)
			continue;
		if (s->forbid_n && s->forbid_n[c] == 0)
			continue;
		const tt_cell *ce = &pp->cells[c];
		/* eligible learners per unit of size, cheaper cells first */
		double key = (double)ce->n_elig / ce->minsz - ce->gcost * 1e-4;
		if (in_start[c])
			key += 1e9;
		rk[nr++] = (tt_cellrank){key, c};
	}
	s->res->restricted = false;
	if (total > zmax) {
		qsort(rk, (size_t)nr, sizeof *rk, tt_cmp_rank);
		long used = 0;
		int keep = 0;
		while (keep < nr && (used + ncls[rk[keep].cell] <= zmax || rk[keep].key >= 1e9))
			used += ncls[rk[keep++].cell];
		if (keep < nr)
			s->res->restricted = true;
		nr = keep;
		/* keep cell order stable */
		for (int a = 1; a < nr; a++)
			for (int b = a; b > 0 && rk[b - 1].cell > rk[b].cell; b--) {
				tt_cellrank t = rk[b];
				rk[b] = rk[b - 1];
				rk[b - 1] = t;
			}
	}
	for (int k = 0; k < nr; k++) {
		s->inc_pos[rk[k].cell] = s->n_inc;
		s->inc[s->n_inc++] = rk[k].cell;
	}
	if (s->forbid_n)
		s->res->restricted = true; /* cuts from repair make the MIP a restriction */
	s->ztotal = total;
	free(rk);
	free(in_start);
	free(ncls);
	free(last);
}

static void tt_s1_heur(void *ud, glp_tree *T)
{
	tt_s1 *s = ud;
	if (s->x0_ok && !s->x0_fed) {
		s->x0_fed = true;
		glp_ios_heur_sol(T, s->x0);
	}
}

static void tt_s1_improved(void *ud, double inc, double bound)
{
	tt_s1 *s = ud;
	if (!s->p->progress || s->feas)
		return;
	inc += s->konst;
	bound += s->konst;
	double b = s->comb_bound;
	if (!s->res->restricted && bound > b)
		b = bound;
	if (b > inc)
		b = inc;
	tt_progress pr = {.incumbent = inc,
			  .bound = b,
			  .gap = inc > 0 ? (inc - b) / inc : 0,
			  .elapsed = lp_now() - s->t0,
			  .phase = "grouping"};
	s->p->progress(s->p->ud, &pr);
}

/* Is room r at location loc, open on dagdeel t (room availability unless
 * relaxed) and not held by a running group then? */
static bool tt_s1_room_open(const tt_prep *pp, const tt_res *res0, int r, int loc, int t)
{
	const tt_room *rm = &pp->m->rooms[r];
	return rm->location == loc && ((pp->relax & TT_F_ROOMAVAIL) || (rm->avail >> t & 1)) &&
	       !(res0->room_busy[r] >> t & 1);
}

/* Rooms open at (loc, t) with at least min_cap seats and the facilities in need. */
static int tt_s1_rooms(const tt_prep *pp, const tt_res *res0, int loc, int t, int min_cap,
		       uint32_t need)
{
	int cnt = 0;
	for (int r = 0; r < pp->m->n_rooms; r++)
		cnt += tt_s1_room_open(pp, res0, r, loc, t) && pp->m->rooms[r].capacity >= min_cap &&
		       (pp->m->rooms[r].facilities & need) == need;
	return cnt;
}

/* The dagdelen of day d (its mask dm) the teachers holding one of the
 * qualification sets in S could still teach: each at most max_per_day less
 * what running groups hold that day, and only dagdelen they are free on
 * with contract left. */
static int tt_s1_teacher_day(const tt_prep *pp, const tt_res *res0, tt_mask dm, int d, int S,
			     const int *qmask, int n_q)
{
	const tt_model *m = pp->m;
	int cap = 0;
	for (int h = 0; h < m->n_teachers; h++) {
		const tt_teacher *th = &m->teachers[h];
		bool ok = false;
		for (int q = 0; q < n_q; q++)
			if ((S >> q & 1) && (th->quals & qmask[q]) == qmask[q])
				ok = true;
		if (!ok)
			continue;
		int freec = 0;
		for (int t = 0; t < pp->nd; t++)
			if ((dm >> t & 1) && (th->avail >> t & 1) && !(res0->teach_busy[h] >> t & 1) &&
			    res0->teach_load[h] + pp->dload[t] <= th->max_load)
				freec++;
		int left = th->max_per_day - res0->teach_day[h * 7 + d];
		cap += left < freec ? (left > 0 ? left : 0) : freec;
	}
	return cap;
}

static int tt_s1_run(void *arg)
{
	tt_s1 *s = arg;
	const tt_prep *pp = s->pp;
	const tt_model *m = pp->m;
	int nd = pp->nd, nl = m->n_locations;
	bool hard = !m->room_capacity_soft && !(pp->relax & TT_F_ROOMCAP);
	bool teach = !(pp->relax & TT_F_TEACHER);
	tt_tri tri = {0};
	tt_rows rows = {0};
	int ncls = s->n_cls;
	/* class rows */
	for (int k = 0; k < ncls; k++)
		tt_row_new(&rows, 'E', s->cls[k].size);
	/* columns: n per included cell, then z/zr, then u */
	int col = 0;
	s->ncol_cell = xmalloc((size_t)(s->n_inc ? s->n_inc : 1) * sizeof *s->ncol_cell);
	int *row_lo = xmalloc((size_t)(s->n_inc ? s->n_inc : 1) * sizeof *row_lo);
	int *row_hi = xmalloc((size_t)(s->n_inc ? s->n_inc : 1) * sizeof *row_hi);
	double *cobj = NULL, *clb = NULL, *cub = NULL;
	char *ckind = NULL;
	int ccap = 0;
#define NEWCOL(obj, lo, hi, kind)                                                          \
	do {                                                                               \
		if (col + 2 >= ccap) {                                                     \
			ccap = ccap ? 2 * ccap : 65536;                                    \
			cobj = xrealloc(cobj, (size_t)ccap * sizeof *cobj);                \
			clb = xrealloc(clb, (size_t)ccap * sizeof *clb);                   \
			cub = xrealloc(cub, (size_t)ccap * sizeof *cub);                   \
			ckind = xrealloc(ckind, (size_t)ccap);                             \
		}                                                                          \
		col++;                                                                     \
		cobj[col] = (obj), clb[col] = (lo), cub[col] = (hi), ckind[col] = (kind);  \
	} while (0)

	/* resource rows indexed lazily */
	int thr[TT_N_ROUTES], n_thr = 0;
	for (int r = 0; r < TT_N_ROUTES; r++) {
		int v = (pp->relax & TT_F_GROUPSIZE) ? 1 : m->routes[r].min_size;
		if (!hard)
			v = 0;
		bool seen = false;
		for (int q = 0; q < n_thr; q++)
			seen |= thr[q] == v;
		if (!seen)
			thr[n_thr++] = v;
	}
	size_t nlt = (size_t)nl * (size_t)nd;
	int *room_row = xmalloc((nlt * (size_t)n_thr + 1) * sizeof(int));
	int *seat_row = xmalloc((nlt + 1) * sizeof(int));
	int *tloc_row = xmalloc((nlt + 1) * sizeof(int));
	int *tq_row = xmalloc(((size_t)nd * 16 + 1) * sizeof(int));
	for (size_t q = 0; q < nlt * (size_t)n_thr; q++)
		room_row[q] = 0;
	for (size_t q = 0; q < nlt; q++)
		seat_row[q] = tloc_row[q] = 0;
	for (int q = 0; q < nd * 16; q++)
		tq_row[q] = 0;
	/* teachers' dagdelen per day and qualification set (Hall conditions
	 * over max_per_day, less what running groups teach that day) */
	int td_row[7 * 16] = {0};
	tt_mask daymask[7] = {0};
	for (int t = 0; t < nd; t++)
		if (m->dagdelen[t].day >= 0 && m->dagdelen[t].day < 7)
			daymask[m->dagdelen[t].day] |= (tt_mask)1 << t;
	/* rooms with facilities: per (location, dagdeel) and distinct set N of
	 * the cells' needs, the groups of cells needing N or more are at most
	 * the free rooms there with N */
	uint32_t *fneed = xmalloc((size_t)(s->n_inc ? s->n_inc : 1) * sizeof *fneed);
	int n_fn = 0;
	for (int k = 0; k < s->n_inc; k++) {
		uint32_t nc = pp->cells[s->inc[k]].needs;
		bool seen = !nc;
		for (int q = 0; q < n_fn && !seen; q++)
			seen = fneed[q] == nc;
		if (!seen)
			fneed[n_fn++] = nc;
	}
	int *fac_row = xcalloc(nlt * (size_t)n_fn + 1, sizeof(int));
	int qmask[4] = {0}, n_q = 0; /* distinct qualification sets */
	for (int k = 0; k < s->n_inc; k++) {
		int qs = pp->cells[s->inc[k]].quals, f = -1;
		for (int q = 0; q < n_q; q++)
			if (qmask[q] == qs)
				f = q;
		if (f < 0 && n_q < 4)
			qmask[n_q++] = qs;
	}
	tt_res res0;
	tt_res_init(&res0, pp);
	int week_row = 0;
	if (teach && s->n_inc) {
		double cap = 0;
		for (int h = 0; h < m->n_teachers; h++) {
			int freec = tt_load_of(pp, m->teachers[h].avail & ~res0.teach_busy[h]);
			int left = m->teachers[h].max_load - res0.teach_load[h];
			cap += left < freec ? (left > 0 ? left : 0) : freec;
		}
		week_row = tt_row_new(&rows, 'U', cap);
	}
	for (int k = 0; k < s->n_inc; k++) {
		const tt_cell *ce = &pp->cells[s->inc[k]];
		double ub = ce->nmax;
		int byl = ce->n_elig / ce->minsz;
		if (byl < ub)
			ub = byl;
		if (s->forbid_n && s->forbid_n[s->inc[k]] >= 0 && s->forbid_n[s->inc[k]] < ub)
			ub = s->forbid_n[s->inc[k]];
		NEWCOL(s->feas ? 0 : ce->gcost, 0, ub, 'I');
		s->ncol_cell[k] = col;
		row_hi[k] = tt_row_new(&rows, 'U', 0);
		row_lo[k] = tt_row_new(&rows, 'L', 0);
		tt_tri_add(&tri, row_hi[k], col, -ce->maxsz);
		tt_tri_add(&tri, row_lo[k], col, -ce->minsz);
		if (week_row)
			tt_tri_add(&tri, week_row, col, ce->load);
		int qi = 0;
		for (int q = 0; q < n_q; q++)
			if (qmask[q] == ce->quals)
				qi = q;
		for (int t = 0; t < nd; t++) {
			if (!(ce->mask >> t & 1))
				continue;
			size_t lt = (size_t)ce->loc * (size_t)nd + (size_t)t;
			for (int q = 0; q < n_thr; q++) {
				if (ce->minsz < thr[q])
					continue;
				int *rr = &room_row[lt * (size_t)n_thr + (size_t)q];
				if (!*rr)
					*rr = tt_row_new(&rows, 'U',
							 tt_s1_rooms(pp, &res0, ce->loc, t, thr[q], 0));
				tt_tri_add(&tri, *rr, col, 1);
			}
			for (int q = 0; q < n_fn; q++) {
				if (!ce->needs || (fneed[q] & ~ce->needs))
					continue;
				int *rr = &fac_row[lt * (size_t)n_fn + (size_t)q];
				if (!*rr)
					*rr = tt_row_new(&rows, 'U',
							 tt_s1_rooms(pp, &res0, ce->loc, t, 0, fneed[q]));
				tt_tri_add(&tri, *rr, col, 1);
			}
			if (!teach)
				continue;
			if (!tloc_row[lt]) {
				int cnt = 0;
				for (int h = 0; h < m->n_teachers; h++) {
					const tt_teacher *th = &m->teachers[h];
					if ((th->avail >> t & 1) && !(res0.teach_busy[h] >> t & 1) &&
					    (th->locations >> ce->loc & 1) &&
					    res0.teach_load[h] + pp->dload[t] <= th->max_load)
						cnt++;
				}
				tloc_row[lt] = tt_row_new(&rows, 'U', cnt);
			}
			tt_tri_add(&tri, tloc_row[lt], col, 1);
			for (int S = 1; S < (1 << n_q); S++) {
				if (!(S >> qi & 1))
					continue;
				int *rr = &tq_row[t * 16 + S];
				if (!*rr) {
					int cnt = 0;
					for (int h = 0; h < m->n_teachers; h++) {
						const tt_teacher *th = &m->teachers[h];
						if (!(th->avail >> t & 1) || (res0.teach_busy[h] >> t & 1) ||
						    res0.teach_load[h] + pp->dload[t] > th->max_load)
							continue;
						bool ok = false;
						for (int q = 0; q < n_q; q++)
							if ((S >> q & 1) && (th->quals & qmask[q]) == qmask[q])
								ok = true;
						cnt += ok;
					}
					*rr = tt_row_new(&rows, 'U', cnt);
				}
				tt_tri_add(&tri, *rr, col, 1);
			}
		}
		for (int d = 0; teach && d < 7; d++) {
			int per = __builtin_popcountll((unsigned long long)(ce->mask & daymask[d]));
			for (int S = 1; per && S < (1 << n_q); S++) {
				if (!(S >> qi & 1))
					continue;
				int *rr = &td_row[d * 16 + S];
				if (!*rr)
					*rr = tt_row_new(&rows, 'U',
							 tt_s1_teacher_day(pp, &res0, daymask[d], d, S,
									   qmask, n_q));
				tt_tri_add(&tri, *rr, col, per);
			}
		}
	}
	/* z and zr columns */
	int *cc_row = xcalloc((size_t)m->n_childcare * (size_t)nd + 1, sizeof(int));
	int *hh_row = xcalloc((size_t)(m->n_households > 0 ? m->n_households : 0) * (size_t)nd + 1,
			      sizeof(int));
	int *run_row = xcalloc((size_t)m->n_running + 1, sizeof(int));
	int zcap = 0;
	s->zc_first = col + 1;
	/* Variable upper bounds z_kc <= min(|k|, max size) n_c: valid (a class
	 * never puts more than its members in a cell, and nothing when the cell
	 * has no group) and much tighter than the aggregated size rows when
	 * classes are small. One row each, so only on models of modest size. */
	long n_vub = 0;
	for (int k = 0; k < ncls; k++) {
		int i = s->cls[k].rep;
		for (int o = pp->opt_start[i]; o < pp->opt_start[i + 1]; o++) {
			int c = pp->opts[o].cell;
			if (c >= 0 && s->inc_pos[c] >= 0 && s->cls[k].size < pp->cells[c].maxsz)
				n_vub++;
		}
	}
	bool vub = n_vub <= TT_S1_MAX_VUB;
	for (int k = 0; k < ncls; k++) {
		const tt_class *cl = &s->cls[k];
		int i = cl->rep;
		const tt_learner *l = &m->learners[i];
		bool kids = tt_needs_care(pp, i);
		bool hh = tt_kept_apart(pp, i);
		for (int o = pp->opt_start[i]; o < pp->opt_start[i + 1]; o++) {
			int c = pp->opts[o].cell;
			tt_mask mask;
			int run = -1;
			if (c >= 0) {
				if (s->inc_pos[c] < 0)
					continue;
				mask = pp->cells[c].mask;
			} else {
				run = -2 - c;
				mask = m->running[run].sessions;
			}
			double ub = cl->size;
			if (run >= 0 && res0.run_free[run] < ub)
				ub = res0.run_free[run];
			NEWCOL(s->feas ? 0 : pp->opts[o].cost, 0, ub, ub <= 1 ? 'B' : 'I');
			if (s->nz == zcap) {
				zcap = zcap ? 2 * zcap : 65536;
				s->zc_class = xrealloc(s->zc_class, (size_t)zcap * sizeof(int));
				s->zc_cell = xrealloc(s->zc_cell, (size_t)zcap * sizeof(int));
			}
			s->zc_class[s->nz] = k;
			s->zc_cell[s->nz++] = c;
			tt_tri_add(&tri, k + 1, col, 1);
			if (c >= 0) {
				int pos = s->inc_pos[c];
				tt_tri_add(&tri, row_hi[pos], col, 1);
				tt_tri_add(&tri, row_lo[pos], col, 1);
				if (vub && cl->size < pp->cells[c].maxsz) {
					int vr = tt_row_new(&rows, 'U', 0);
					tt_tri_add(&tri, vr, col, 1);
					tt_tri_add(&tri, vr, s->ncol_cell[pos], -(double)cl->size);
				}
			} else {
				if (!run_row[run])
					run_row[run] = tt_row_new(&rows, 'U', res0.run_free[run]);
				tt_tri_add(&tri, run_row[run], col, 1);
			}
			for (int t = 0; t < nd; t++) {
				if (!(mask >> t & 1))
					continue;
				if (c >= 0 && hard) {
					size_t lt = (size_t)pp->cells[c].loc * (size_t)nd + (size_t)t;
					if (!seat_row[lt]) {
						double cap = 0;
						int loc = pp->cells[c].loc;
						int rmax = 0;
						for (int r = 0; r < TT_N_ROUTES; r++)
							if (m->routes[r].max_size > rmax)
								rmax = m->routes[r].max_size;
						for (int r = 0; r < m->n_rooms; r++)
							if (tt_s1_room_open(pp, &res0, r, loc, t))
								cap += m->rooms[r].capacity < rmax ? m->rooms[r].capacity
												   : rmax;
						seat_row[lt] = tt_row_new(&rows, 'U', cap);
					}
					tt_tri_add(&tri, seat_row[lt], col, 1);
				}
				if (kids) {
					int *rr = &cc_row[l->childcare * nd + t];
					if (!*rr)
						*rr = tt_row_new(&rows, 'U', m->childcare[l->childcare].places[t]);
					tt_tri_add(&tri, *rr, col, l->young_children);
				}
				if (hh) {
					int *rr = &hh_row[l->household * nd + t];
					if (!*rr)
						*rr = tt_row_new(&rows, 'U', 1);
					tt_tri_add(&tri, *rr, col, 1);
				}
			}
		}
	}
	s->u_first = xmalloc((size_t)(ncls ? ncls : 1) * sizeof *s->u_first);
	for (int k = 0; k < ncls; k++) {
		s->u_first[k] = col + 1;
		for (int j = 0; j < s->cls[k].n_w; j++) {
			NEWCOL(s->feas ? 0 : s->cls[k].w[j], 0, s->cls[k].mult[j], 'C');
			tt_tri_add(&tri, k + 1, col, 1);
		}
	}
	s->ncol = col;
#undef NEWCOL

	glp_prob *P = glp_create_prob();
	glp_set_obj_dir(P, GLP_MIN);
	if (rows.n)
		glp_add_rows(P, rows.n);
	if (col)
		glp_add_cols(P, col);
	for (int r = 1; r <= rows.n; r++) {
		if (rows.kind[r] == 'E')
			glp_set_row_bnds(P, r, GLP_FX, rows.ub[r], rows.ub[r]);
		else if (rows.kind[r] == 'L')
			glp_set_row_bnds(P, r, GLP_LO, rows.ub[r], 0);
		else
			glp_set_row_bnds(P, r, GLP_UP, 0, rows.ub[r]);
	}
	for (int j = 1; j <= col; j++) {
		glp_set_obj_coef(P, j, cobj[j]);
		if (cub[j] <= clb[j])
			glp_set_col_bnds(P, j, GLP_FX, clb[j], clb[j]);
		else
			glp_set_col_bnds(P, j, GLP_DB, clb[j], cub[j]);
		glp_set_col_kind(P, j, ckind[j] == 'C' ? GLP_CV : ckind[j] == 'B' ? GLP_BV : GLP_IV);
	}
	if (tri.n)
		glp_load_matrix(P, tri.n, tri.ia, tri.ja, tri.ar);
	free(tri.ia), free(tri.ja), free(tri.ar);
	free(cobj), free(clb), free(cub), free(ckind);
	free(rows.ub), free(rows.kind);
	free(room_row), free(seat_row), free(tloc_row), free(tq_row), free(fac_row), free(fneed);
	free(cc_row), free(hh_row), free(run_row);
	free(row_lo), free(row_hi);
	tt_res_free(&res0);

	/* heuristic start from the plan given */
	if (s->start && col > 0) {
		s->x0 = xcalloc((size_t)col + 1, sizeof *s->x0);
		s->x0_ok = true;
		for (int g = 0; g < s->start->n_groups; g++) {
			int pos = s->inc_pos[s->start->g[g].cell];
			if (pos < 0)
				s->x0_ok = false;
			else
				s->x0[s->ncol_cell[pos]] += 1;
		}
		int *placed = xcalloc((size_t)(ncls ? ncls : 1), sizeof *placed);
		/* z columns of one class are contiguous: find them by scanning */
		for (int z = 0; z < s->nz && s->x0_ok; z++) {
			int k = s->zc_class[z], c = s->zc_cell[z], cnt = 0;
			for (int q = 0; q < s->cls[k].size; q++)
				cnt += s->start->asg[s->cls[k].members[q]] == c;
			s->x0[s->zc_first + z] = cnt;
			placed[k] += cnt;
		}
		for (int k = 0; k < ncls && s->x0_ok; k++) {
			int left = s->cls[k].size - placed[k];
			for (int j = 0; j < s->cls[k].n_w && left > 0; j++) {
				int take = left < s->cls[k].mult[j] ? left : s->cls[k].mult[j];
				s->x0[s->u_first[k] + j] = take;
				left -= take;
			}
			if (left > 0)
				s->x0_ok = false; /* a must-place learner waits: not a start */
		}
		free(placed);
	}

	s->ctl->heur = tt_s1_heur;
	s->ctl->improved = tt_s1_improved;
	s->ctl->hook_ud = s;
	int rc = 0;
	if (col == 0) {
		/* nothing to decide: everyone waits */
		s->res->has_plan = true;
		s->res->complete = true;
		s->res->obj = 0;
		for (int k = 0; k < ncls; k++)
			for (int j = 0; j < s->cls[k].n_w; j++)
				s->res->obj += s->cls[k].w[j] * s->cls[k].mult[j];
		s->res->bound = s->res->obj;
		s->res->bound_valid = true;
		glp_delete_prob(P);
		goto end;
	}
	double tlp = lp_now();
	int lr = lp_simplex(P, s->ctl);
	if (s->ctl->log) {
		char msg[200];
		snprintf(msg, sizeof msg,
			 "stage 1: %d classes, %d of %d cells%s, %d rows, %d columns; root LP %s in %.2f s, value %.1f",
			 ncls, s->n_inc, pp->n_cells, s->res->restricted ? " (restricted)" : "",
			 glp_get_num_rows(P), col, lr == 0 ? "solved" : lr == 1 ? "infeasible" : "stopped",
			 lp_now() - tlp, glp_get_obj_val(P) + s->konst);
		s->ctl->log(s->ctl->log_ud, 1, msg);
	}
	if (lr == 1) {
		s->res->infeasible = !s->res->restricted;
		glp_delete_prob(P);
		goto end;
	}
	if (lr == 2) {
		s->res->stop = s->ctl->stop;
		glp_delete_prob(P);
		goto end;
	}
	double gap = s->feas ? 1.0 : (s->p->gap > 0 ? s->p->gap : 1e-4);
	/* Large models: the root LP value is the bound; the search runs on the
	 * cells the LP uses (and the start plan's), "fix what the LP says". */
	double root = glp_get_obj_val(P);
	s->res->bound = root;
	s->res->bound_valid = !s->res->restricted;
	bool big = col > TT_S1_SEARCH_COLS && !s->feas;
	s->ctl->no_cuts = col > TT_S1_SEARCH_COLS;
	if (big && s->start) {
		/* the search on the LP's cells does not beat the local search on
		 * models this size: keep the root bound, leave the time to it */
		s->res->stop = LP_STOP_NONE;
		glp_delete_prob(P);
		goto end;
	}
	if (big) {
		bool *keep = xcalloc((size_t)pp->n_cells + 1, sizeof *keep);
		if (s->start)
			for (int g = 0; g < s->start->n_groups; g++)
				keep[s->start->g[g].cell] = true;
		int nkeep = 0;
		for (int k = 0; k < s->n_inc; k++) {
			if (glp_get_col_prim(P, s->ncol_cell[k]) > 1e-6)
				keep[s->inc[k]] = true;
			nkeep += keep[s->inc[k]];
		}
		for (int k = 0; k < s->n_inc; k++)
			if (!keep[s->inc[k]])
				glp_set_col_bnds(P, s->ncol_cell[k], GLP_FX, 0, 0);
		for (int z = 0; z < s->nz; z++)
			if (s->zc_cell[z] >= 0 && !keep[s->zc_cell[z]])
				glp_set_col_bnds(P, s->zc_first + z, GLP_FX, 0, 0);
		free(keep);
		if (s->ctl->log) {
			char msg[120];
			snprintf(msg, sizeof msg, "stage 1: search restricted to %d cells the LP uses", nkeep);
			s->ctl->log(s->ctl->log_ud, 1, msg);
		}
		if (lp_simplex(P, s->ctl) != 0) {
			s->res->stop = s->ctl->stop;
			glp_delete_prob(P);
			goto end;
		}
	}
	/* the feasibility MIP of a large model: any plan will do, and
	 * Driebeck-Tomlin's tableau rows on 10^5 columns ran seconds past the
	 * deadline between two callbacks */
	bool was = s->ctl->cheap_branch;
	s->ctl->cheap_branch = s->feas && col > TT_S1_SEARCH_COLS;
	int mr = lp_mip(P, s->ctl, gap);
	s->ctl->cheap_branch = was;
	s->res->stop = s->ctl->stop;
	if (big) {
		s->ctl->mip_complete = false;
		s->ctl->mip_bound = root;
	}
	if (mr == 1) {
		s->res->infeasible = !s->res->restricted;
		glp_delete_prob(P);
		goto end;
	}
	s->res->complete = s->ctl->mip_complete;
	if (s->ctl->mip_bound > s->res->bound)
		s->res->bound = s->ctl->mip_bound;
	if (s->ctl->mip_has_sol) {
		s->res->has_plan = true;
		s->res->obj = glp_mip_obj_val(P);
		tt_plan *out = s->out;
		for (int k = 0; k < s->n_inc; k++) {
			long nn = lround(glp_mip_col_val(P, s->ncol_cell[k]));
			for (long q = 0; q < nn; q++)
				tt_plan_add_group(out, s->inc[k], -1, -1);
		}
		int *next = xcalloc((size_t)(ncls ? ncls : 1), sizeof *next);
		for (int z = 0; z < s->nz; z++) {
			int k = s->zc_class[z];
			long v = lround(glp_mip_col_val(P, s->zc_first + z));
			for (long q = 0; q < v && next[k] < s->cls[k].size; q++)
				out->asg[s->cls[k].members[next[k]++]] = s->zc_cell[z];
		}
		free(next);
	}
	glp_delete_prob(P);
end:
	s->ctl->heur = NULL;
	s->ctl->improved = NULL;
	return rc;
}

int tt_stage1(const tt_prep *pp, lp_ctl *ctl, const tt_params *p, const tt_plan *start,
	      double t0, const int *forbid_n, bool feasibility_only, bool complete_only, tt_plan *out,
	      tt_s1_result *res)
{
	memset(res, 0, sizeof *res);
	tt_s1 s = {.pp = pp, .p = p, .ctl = ctl, .start = start, .forbid_n = forbid_n,
		   .feas = feasibility_only, .t0 = t0, .out = out, .res = res};
	s.comb_bound = tt_prep_bound(pp);
	tt_plan_init(out, pp->m->n_learners);
	if (lp_should_stop(ctl)) {
		res->stop = ctl->stop;
		return 0;
	}
	tt_build_classes(&s);
	double tl = p->time_limit > 0 ? p->time_limit : 60;
	long zmax = (long)(15000 + 2500 * tl);
	if (zmax > 250000)
		zmax = 250000;
	tt_choose_cells(&s, zmax);
	/* never start an LP that cannot finish: ~6,000 columns a second on the
	 * complete models of the fixtures (measured; dual simplex, no presolve) */
	bool skip = complete_only &&
		    (res->restricted || (double)s.ztotal / TT_S1_COLS_PER_SEC > ctl->deadline - lp_now());
	if (skip && ctl->log) {
		char msg[120];
		snprintf(msg, sizeof msg, "stage 1: skipped (%ld columns%s)", s.ztotal,
			 res->restricted ? ", over the column budget" : ", no time for the LP");
		ctl->log(ctl->log_ud, 1, msg);
	}
	for (int i = 0; i < pp->m->n_learners; i++)
		if (s.cls_of[i] < 0 && !tt_must(pp, i))
			s.konst += pp->u[i];
	int rc = skip ? 0 : lp_guarded(ctl, tt_s1_run, &s);
	if (!feasibility_only) {
		res->obj += s.konst;
		res->bound += s.konst;
	}
	for (int k = 0; k < s.n_cls; k++) {
		free(s.cls[k].members);
		free(s.cls[k].w);
		free(s.cls[k].mult);
	}
	free(s.cls);
	free(s.cls_of);
	free(s.inc);
	free(s.inc_pos);
	free(s.ncol_cell);
	free(s.zc_class);
	free(s.zc_cell);
	free(s.u_first);
	free(s.x0);
	if (rc || !res->has_plan) {
		tt_plan_free(out);
		tt_plan_init(out, pp->m->n_learners);
		res->has_plan = false;
	}
	return rc;
}
