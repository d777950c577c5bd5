/* tt_colgen.c: column generation over whole groups — a lower bound that sees
 * group sizes, rooms and teachers, and an LP dive for plans; plus the same
 * Lagrangian bound by subgradient steps for instances too large for it.
 *
 * The master LP has one column per *group*: a cell, a room, a teacher and
 * the set of learners in it (between the cell's minimum and maximum size,
 * at most the room's capacity under the hard rule; past it under the soft
 * rule, each seat over costing the penalty). Rows: every learner with options is placed
 * once or waits (= 1; a waiting column costs its wait weight), running-group
 * seats, each room and each teacher at most once per dagdeel, each teacher's
 * dagdelen per week and per day, childcare places per (provider, dagdeel)
 * and partners apart per (household, dagdeel). Joining a running group is a
 * column per (learner, group). Resource rows are virtual until a solution
 * uses CG_SEP_FRAC of them; only then do they enter the LP.
 *
 * Pricing is exact and cheap: with duals fixed, a group of cell c and size s
 * costs the cell's group cost, its cheapest teacher and its cheapest room of
 * capacity >= s under the duals (soft capacity: its cheapest room with the
 * penalty of the seats past it), plus the sum of its members' dual-adjusted
 * costs, so the best group of each size is the s cheapest eligible learners.
 * Any duals give a valid bound (Lagrangian relaxation; duals of <= rows are
 * clamped to <= 0):
 *   const + sum_rows b_r y_r + sum_{wait, join} min(0, rc) + the better of
 *   (a) sum_c kappa_c min(0, rc*_c), kappa_c bounding the groups of cell c
 *       (rooms and teachers usable all pattern long, eligible / minimum
 *       size), rc*_c the best reduced cost of a group of c;
 *   (b) per route, a fractional knapsack: the route's groups seat at most its
 *       learners with options (implied by the learner rows), each seat
 *       costing at least the cell's best reduced cost per member.
 * When no group prices out the bound equals the LP value.
 *
 * Partners kept apart are never priced into one group (their household's
 * rows would read 2). After the dive, cuts on the rows of one household or
 * one childcare provider (cg_cut_separate: rows t in S summed, divided by
 * k, rounded down) raise the bound where the LP seats parents fractionally
 * on the few dagdelen they can come; a cut's coefficient depends on one
 * member and its group's dagdelen only, so pricing stays a sort. Then
 * cell-set cuts (cg_set_separate: the groups of a set of cells number at
 * most the learners they can take over the smallest minimum size) where
 * the LP seats a few learners by overlapping groups of several patterns.
 *
 * Instances too large for one master are solved per cluster of locations
 * (cg_make_clusters, cg_clusters_run): every learner and teacher belongs to
 * one cluster, each cluster's master is bounded and dived in turn, later
 * dives see what earlier ones used (cg_residual), and the clusters' duals
 * side by side are priced over everything for a (valid, so far weak) bound
 * (cg_bound_at). A dive from an LP the clock stopped fixes several
 * fractional groups per step (cg_dive). */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tt_internal.h"
#include "xalloc.h"

#define CG_MAX_NEW 200   /* columns added per round, at most */
#define CG_MAX_COLS 1000 /* group columns kept in the LP before purging */
#define CG_EPS 1e-6
#define CG_SEP_FRAC 0.75 /* rows enter the LP once a solution uses this share of them */
#define CG_SMOOTH 0.8 /* weight of the best duals in the priced ones */
#define CG_DIVE_ROUNDS 8 /* pricing rounds between two dive steps, at most */
/* A careful dive took 1.2-1.7 times as long as the master's convergence
 * (hilversum, eindhoven, den-haag); with less time left the fast dive runs
 * (den-haag at 10 s: converged at ~7.2 s, the fast dive and the local
 * search reached 172 257-175 920, where the fast dive from the LP the
 * clock stopped at 45 % reached 176 980-183 631). */
#define CG_DIVE_CAREFUL 2.0
/* After this many dive steps in a row that fixed no group (the LP's
 * largest fraction did not fit next to the groups fixed, was closed, and
 * pricing brought the same group back with other members), the dive
 * prices only groups whose room, teacher and members' rows still fit:
 * region-2000 made 1 704 steps in 18 s for 17 groups without it. Not from
 * the start: the tighter pricing made the dive's plans worse (hilversum
 * 44 414 against 40 632, eindhoven 101 214 against 96 582). */
#define CG_DIVE_STALE 10
/* A dive from an LP that did not converge (the clock) fixes, besides the
 * largest fraction, up to this many more columns of value >= the minimum
 * per step: den-haag in 10 s, 21 steps in 2.4 s instead of 69 in ~6 s. */
/* A dive with a seed (tt_cg_result.dive_seed) draws the fraction it fixes
 * from this many of the largest */
#define CG_DIVE_PICK 3
#define CG_DIVE_EXTRA 10
#define CG_DIVE_EXTRA_MIN 0.2
/* Cuts on a household's or a childcare provider's rows (cg_cut_separate) */
#define CG_CUT_MAX 4000   /* in the master, at most */
#define CG_CUT_VIOL 0.02  /* smallest violation separated */
#define CG_CUT_ROUNDS 30  /* separation rounds, at most */
/* Branching on group counts in the bound run (cg_branch) */
#define CG_BR_ROWS 256    /* count rows, at most */
#define CG_BR_DEPTH 40    /* constraints on one node, at most */
#define CG_BR_NODES 2000  /* nodes, at most */
#define CG_BR_ROUNDS 300  /* pricing rounds per node, at most */
#define CG_BR_KINDS 5     /* route, route x location, type, type x location, cell */
/* Cell-set cuts (cg_set_separate), count rows of their own kind */
#define CG_SET_KIND CG_BR_KINDS
#define CG_SET_MAX 64     /* in the master, at most (of CG_BR_ROWS) */
#define CG_SET_ROUNDS 10  /* separation rounds, at most */
#define CG_SET_VIOL 0.05  /* smallest violation separated */

/* A master column, in the LP's column order. Groups have cell >= 0 and
 * members pool[first .. first + size); wait and join columns have cell -1
 * and their learner. Coefficients on virtual rows: crow/cval[cstart ..
 * cstart + clen). */
typedef struct cg_col {
	int cell, room, teacher, size, learner, clen;
	int run; /* a join column's running group, else -1 */
	int slack; /* a count row's slack column: its row + 1 (cost: a penalty) */
	size_t first, cstart;
	double cost, ub;
	bool fixed;
} cg_col;

typedef struct cg_dv {
	double d;
	int i;
} cg_dv;

/* A Chvatal-Gomory cut of the per-dagdeel rows of one household (partners
 * apart) or one childcare provider: rows t in S summed and divided by k.
 * A member i in a group on dagdelen m has the coefficient
 * floor(w_i |m & S| / k) (w_i: 1, or its young children), rhs =
 * floor(sum_{t in S} b_t / k). Integer, so valid for every plan; since a
 * coefficient is a member's and its group's dagdelen, pricing stays a
 * sort. */
enum { CG_CUT_HH, CG_CUT_CC };
typedef struct cg_cut {
	int kind, id, k, row, next; /* next: the same household's or provider's */
	tt_mask S;
	double rhs;
} cg_cut;

typedef struct tt_cg {
	const tt_prep *pp;
	lp_ctl *ctl;
	const tt_plan *start;
	tt_cg_result *res;
	glp_prob *P;
	int nd, nl;
	int nrows;                  /* virtual rows */
	int nact;                   /* of them in the LP */
	int *vglp;                  /* virtual row -> LP row or 0 */
	bool *veq;                  /* learner rows (= 1) */
	int vcap;
	bool hard, teach;
	/* rows (1-based glp row indices, 0 = none) */
	int *lrow;                  /* per learner */
	int *room_row;              /* [room * nd + t] */
	int *teach_row, *tweek_row; /* [teacher * nd + t], [teacher] */
	int *tday_row;              /* [teacher * 7 + day] */
	int *cc_row, *hh_row, *run_row;
	/* rooms (ascending capacity) and teachers able to hold each cell's
	 * groups all pattern long: crooms[croom_start[c] ..], likewise */
	int *croom_start, *crooms, *cteach_start, *cteach;
	double *rprice;             /* scratch: suffix minima of room prices */
	int *rarg;
	double *rraw;               /* scratch: each room's own price */
	/* while cg_price_cells prices every cell (NULL otherwise): per teacher
	 * and dagdeel the duals of its dagdeel row and its day row, side by
	 * side ([2 * (teacher * nd + t)]), and per room and dagdeel its row's
	 * dual: the same values the pricing reads through the row indices */
	double *tdual, *rdual, *tdual_buf, *rdual_buf;
	/* likewise per learner -y of its row (its seat's price without family
	 * rows, what cg_member_price gives when lfam is 0) */
	double *lprice, *lprice_buf;
	unsigned char *lfam;        /* per learner: 1 childcare rows, 2 partners apart */
	double *rhs;                /* per row */
	double *y;                  /* clamped duals per row */
	double *ybest;              /* the duals of the best bound so far */
	double *ysep;               /* scratch: smoothed duals */
	bool ybest_ok;
	/* columns */
	int n_cols, cap_cols, n_groups;
	cg_col *cols;
	int *pool;
	size_t n_pool, cap_pool;
	int *crow;
	double *cval;
	size_t n_coef, cap_coef;
	uint64_t *hset;             /* group hashes seen, open addressing */
	size_t hcap, hn;
	/* scratch */
	cg_dv *dv;
	struct cg_knap *knap;       /* scratch, one per cell */
	int route_learners[TT_N_ROUTES]; /* learners with options per route */
	double *acc;
	int *touched;
	int *gind;
	double *gval;
	double konst; /* wait cost of learners without options */
	double *act;      /* row activity scratch */
	/* diving */
	bool *taken;      /* learner in a fixed group */
	double *fix_act;  /* row activity of the groups fixed at 1 */
	tt_plan *out;
	double bound_deadline; /* end of the bounding phase when diving */
	bool diving;
	/* clusters: locations grouped, every learner and teacher in one; each
	 * cluster's master is solved (and dived) on its own, in turn */
	int ncl;          /* 0: one master over everything */
	int cur;          /* cluster of the master being solved, -1 = all */
	int *loc_cl;      /* per location */
	int *lcl, *tcl;   /* cluster of each learner, of each teacher (-1: none) */
	double *lrhs;     /* the LP's right-hand sides (in a dive: what earlier
			   * clusters' dives left) */
	double *ycomb;    /* the clusters' best duals, side by side */
	double best;      /* best Lagrangian bound of the current master */
	/* household and childcare cuts (one master only) */
	bool cuts_on, cutting;
	int n_cuts, cut_rounds;
	cg_cut *cuts;
	int *hhead, *phead; /* first cut per household, per provider (-1) */
	double *cy, *cylp, *cybest, *cysep; /* cut duals (<= 0): priced, LP's, best, smoothed */
	double *cacc;       /* scratch per cut */
	int *ctouch;
	int *hh_seen;       /* scratch per household */
	/* count rows (branching in the bound run): groups of a set of cells */
	bool branching;
	int n_brow;
	int *brow_kind, *brow_key, *brow_row;
	/* cell-set cuts: count rows of kind CG_SET_KIND, key = set index */
	int n_sets;
	unsigned char **set_cells; /* per set: 1 on its cells */
	int *set_rhs;
	double *brow_y;     /* their duals */
	double *cell_adj;   /* per cell: the sum of its count rows' duals */
	int cur_cell;       /* the cell of the column cg_new_col makes, or -1 */
	bool dive_strict;   /* the dive prices only groups that fit (cg_dive) */
} tt_cg;

static bool cg_lin(const tt_cg *g, int i)
{
	return g->cur < 0 || g->lcl[i] == g->cur;
}

static bool cg_tin(const tt_cg *g, int h)
{
	return g->cur < 0 || g->tcl[h] == g->cur;
}

static bool cg_cin(const tt_cg *g, int c)
{
	return g->cur < 0 || g->loc_cl[g->pp->cells[c].loc] == g->cur;
}

/* The location of a placement: cell a, or running group -2 - a. */
static int cg_asg_loc(const tt_prep *pp, int a)
{
	const tt_model *m = pp->m;
	return a >= 0 ? pp->cells[a].loc : m->rooms[m->running[-2 - a].room].location;
}

static bool cg_rin(const tt_cg *g, int r)
{
	return g->cur < 0 || g->loc_cl[cg_asg_loc(g->pp, -2 - r)] == g->cur;
}

/* The cost of a seat past a group's room: room_capacity soft's penalty,
 * 0 under the hard rule (no such seat) or with the family relaxed. */
static double cg_over_pen(const tt_cg *g)
{
	const tt_model *m = g->pp->m;
	return m->room_capacity_soft && !(g->pp->relax & TT_F_ROOMCAP) ? m->room_seat_penalty : 0;
}

static int cg_cut_coef(const tt_cg *g, const cg_cut *c, int i, tt_mask mask)
{
	int w = c->kind == CG_CUT_CC ? g->pp->m->learners[i].young_children : 1;
	return w * __builtin_popcount(mask & c->S) / c->k;
}

/* Learner i in a group on mask: the sum over its cuts of coefficient *
 * y[cut] (when y), and the coefficients added to g->cacc (when acc, the
 * cuts touched listed in g->ctouch[*nt ..]). */
static double cg_member_cuts(tt_cg *g, int i, tt_mask mask, const double *y, bool acc, int *nt)
{
	if (!g->n_cuts)
		return 0;
	const tt_learner *l = &g->pp->m->learners[i];
	double sum = 0;
	for (int pass = 0; pass < 2; pass++) {
		int c = -1;
		if (pass == 0 && tt_kept_apart(g->pp, i))
			c = g->hhead[l->household];
		else if (pass == 1 && tt_needs_care(g->pp, i))
			c = g->phead[l->childcare];
		for (; c >= 0; c = g->cuts[c].next) {
			int a = cg_cut_coef(g, &g->cuts[c], i, mask);
			if (!a)
				continue;
			if (y)
				sum += a * y[c];
			if (acc) {
				if (g->cacc[c] == 0)
					g->ctouch[(*nt)++] = c;
				g->cacc[c] += a;
			}
		}
	}
	return sum;
}

/* The set of cells a count row of this kind and key covers (cell c's key). */
static int cg_agg_key(const tt_cg *g, int c, int kind)
{
	const tt_cell *ce = &g->pp->cells[c];
	switch (kind) {
	case 0:
		return ce->route;
	case 1:
		return ce->route * g->nl + ce->loc;
	case 2:
		return ce->type;
	case 3:
		return ce->type * g->nl + ce->loc;
	default:
		return c;
	}
}

/* Count row b holds the groups of cell c. */
static bool cg_brow_has(const tt_cg *g, int b, int c)
{
	if (g->brow_kind[b] == CG_SET_KIND)
		return g->set_cells[g->brow_key[b]][c] != 0;
	return cg_agg_key(g, c, g->brow_kind[b]) == g->brow_key[b];
}

static int cg_row(tt_cg *g, double ub)
{
	int v = ++g->nrows;
	if (v + 1 >= g->vcap) {
		g->vcap = g->vcap ? 2 * g->vcap : 1024;
		g->rhs = xrealloc(g->rhs, (size_t)g->vcap * sizeof *g->rhs);
		g->vglp = xrealloc(g->vglp, (size_t)g->vcap * sizeof *g->vglp);
		g->veq = xrealloc(g->veq, (size_t)g->vcap * sizeof *g->veq);
	}
	g->rhs[v] = ub;
	g->vglp[v] = 0;
	g->veq[v] = false;
	return v;
}

/* Every row a column may touch, as a virtual row: learner rows enter the
 * LP at once, resource rows only once a solution violates them. */
static void cg_build_rows(tt_cg *g)
{
	const tt_prep *pp = g->pp;
	const tt_model *m = pp->m;
	int nd = g->nd;
	tt_res res0;
	tt_res_init(&res0, pp);
	g->lrow = xcalloc((size_t)m->n_learners + 1, sizeof *g->lrow);
	for (int i = 0; i < m->n_learners; i++) {
		if (pp->opt_start[i + 1] == pp->opt_start[i]) {
			if (!tt_must(pp, i))
				g->konst += pp->u[i];
			continue;
		}
		g->lrow[i] = cg_row(g, 1);
		g->veq[g->lrow[i]] = true;
	}
	int nr = m->n_rooms, nt = g->teach ? m->n_teachers : 0;
	g->room_row = xcalloc((size_t)nr * (size_t)nd + 1, sizeof *g->room_row);
	g->teach_row = xcalloc((size_t)nt * (size_t)nd + 1, sizeof *g->teach_row);
	g->tweek_row = xcalloc((size_t)nt + 1, sizeof *g->tweek_row);
	g->tday_row = xcalloc((size_t)nt * 7 + 1, sizeof *g->tday_row);
	/* per cell: the rooms and teachers that fit it (rooms by capacity) */
	g->croom_start = xcalloc((size_t)pp->n_cells + 1, sizeof *g->croom_start);
	g->cteach_start = xcalloc((size_t)pp->n_cells + 1, sizeof *g->cteach_start);
	size_t cap_r = 1024, cap_t = 1024, n_r = 0, n_t = 0;
	g->crooms = xmalloc(cap_r * sizeof *g->crooms);
	g->cteach = xmalloc(cap_t * sizeof *g->cteach);
	for (int c = 0; c < pp->n_cells; c++) {
		const tt_cell *ce = &pp->cells[c];
		g->croom_start[c] = (int)n_r;
		g->cteach_start[c] = (int)n_t;
		if (!ce->alive)
			continue;
		for (int k = pp->lroom_start[ce->loc]; k < pp->lroom_start[ce->loc + 1]; k++) {
			int r = pp->lroom[k];
			if (!tt_room_fits(pp, &res0, r, ce))
				continue;
			if (n_r == cap_r)
				g->crooms = xrealloc(g->crooms, (cap_r *= 2) * sizeof *g->crooms);
			size_t pos = n_r++;
			while (pos > (size_t)g->croom_start[c] &&
			       m->rooms[g->crooms[pos - 1]].capacity > m->rooms[r].capacity) {
				g->crooms[pos] = g->crooms[pos - 1];
				pos--;
			}
			g->crooms[pos] = r;
		}
		for (int k = pp->lteach_start[ce->loc]; k < pp->lteach_start[ce->loc + 1] && nt; k++) {
			int h = pp->lteach[k];
			if (!tt_teacher_fits(pp, &res0, h, ce))
				continue;
			if (n_t == cap_t)
				g->cteach = xrealloc(g->cteach, (cap_t *= 2) * sizeof *g->cteach);
			g->cteach[n_t++] = h;
		}
	}
	g->croom_start[pp->n_cells] = (int)n_r;
	g->cteach_start[pp->n_cells] = (int)n_t;
	for (size_t k = 0; k < n_r; k++) {
		int r = g->crooms[k];
		for (int t = 0; t < nd; t++)
			if (!g->room_row[r * nd + t])
				g->room_row[r * nd + t] = cg_row(g, 1);
	}
	for (size_t k = 0; k < n_t; k++) {
		int h = g->cteach[k];
		const tt_teacher *th = &m->teachers[h];
		if (g->tweek_row[h])
			continue;
		g->tweek_row[h] = cg_row(g, th->max_load - res0.teach_load[h]);
		for (int t = 0; t < nd; t++)
			g->teach_row[h * nd + t] = cg_row(g, 1);
		for (int d = 0; d < 7; d++)
			g->tday_row[h * 7 + d] = cg_row(g, th->max_per_day - res0.teach_day[h * 7 + d]);
	}
	g->cc_row = xcalloc((size_t)m->n_childcare * (size_t)nd + 1, sizeof *g->cc_row);
	g->hh_row = xcalloc((size_t)(m->n_households > 0 ? m->n_households : 0) * (size_t)nd + 1,
			    sizeof *g->hh_row);
	g->run_row = xcalloc((size_t)m->n_running + 1, sizeof *g->run_row);
	for (int i = 0; i < m->n_learners; i++) {
		if (!g->lrow[i])
			continue;
		const tt_learner *l = &m->learners[i];
		for (int t = 0; t < nd; t++) {
			if (tt_needs_care(pp, i) && !g->cc_row[l->childcare * nd + t])
				g->cc_row[l->childcare * nd + t] = cg_row(g, m->childcare[l->childcare].places[t]);
			if (tt_kept_apart(pp, i) && !g->hh_row[l->household * nd + t])
				g->hh_row[l->household * nd + t] = cg_row(g, 1);
		}
		for (int o = pp->opt_start[i]; o < pp->opt_start[i + 1]; o++) {
			int c = pp->opts[o].cell;
			if (c < 0 && !g->run_row[-2 - c])
				g->run_row[-2 - c] = cg_row(g, res0.run_free[-2 - c]);
		}
	}
	tt_res_free(&res0);
}

/* Adds coefficient v on virtual row r to the scratch column. */
static void cg_acc(tt_cg *g, int *n, int r, double v)
{
	if (!r)
		return;
	if (g->acc[r] == 0)
		g->touched[(*n)++] = r;
	g->acc[r] += v;
}

/* The per-member rows of learner i attending the dagdelen of mask. */
static void cg_acc_member(tt_cg *g, int *n, int i, tt_mask mask)
{
	const tt_learner *l = &g->pp->m->learners[i];
	bool kids = tt_needs_care(g->pp, i), apart = tt_kept_apart(g->pp, i);
	if (!kids && !apart)
		return;
	for (int t = 0; t < g->nd; t++) {
		if (!(mask >> t & 1))
			continue;
		if (kids)
			cg_acc(g, n, g->cc_row[l->childcare * g->nd + t], l->young_children);
		if (apart)
			cg_acc(g, n, g->hh_row[l->household * g->nd + t], 1);
	}
}

/* Appends a column from the scratch coefficients; its LP column has the
 * rows already in the LP. */
static cg_col *cg_new_col(tt_cg *g, double cost, double ub, int n, int ncut)
{
	if (g->n_coef + (size_t)n > g->cap_coef) {
		g->cap_coef = 2 * (g->n_coef + (size_t)n) + 65536;
		g->crow = xrealloc(g->crow, g->cap_coef * sizeof *g->crow);
		g->cval = xrealloc(g->cval, g->cap_coef * sizeof *g->cval);
	}
	if (g->n_cols == g->cap_cols) {
		g->cap_cols = g->cap_cols ? 2 * g->cap_cols : 4096;
		g->cols = xrealloc(g->cols, (size_t)g->cap_cols * sizeof *g->cols);
	}
	cg_col *col = &g->cols[g->n_cols++];
	*col = (cg_col){.cell = -1, .learner = -1, .run = -1, .cstart = g->n_coef, .cost = cost, .ub = ub};
	int k = 0;
	for (int q = 0; q < n; q++) {
		int r = g->touched[q];
		if (g->acc[r] != 0) {
			g->crow[g->n_coef] = r;
			g->cval[g->n_coef++] = g->acc[r];
			col->clen++;
			if (g->vglp[r]) {
				k++;
				g->gind[k] = g->vglp[r];
				g->gval[k] = g->acc[r];
			}
		}
		g->acc[r] = 0;
	}
	for (int b = 0; b < g->n_brow && g->cur_cell >= 0; b++)
		if (cg_brow_has(g, b, g->cur_cell)) {
			k++;
			g->gind[k] = g->brow_row[b];
			g->gval[k] = 1;
		}
	for (int q = 0; q < ncut; q++) {
		int c = g->ctouch[q];
		k++;
		g->gind[k] = g->cuts[c].row;
		g->gval[k] = g->cacc[c];
		g->cacc[c] = 0;
	}
	int j = glp_add_cols(g->P, 1);
	glp_set_obj_coef(g->P, j, cost);
	if (ub > 0)
		glp_set_col_bnds(g->P, j, GLP_DB, 0, ub);
	else
		glp_set_col_bnds(g->P, j, GLP_LO, 0, 0);
	glp_set_mat_col(g->P, j, k, g->gind, g->gval);
	return col;
}

static void cg_wait_and_join_columns(tt_cg *g)
{
	const tt_prep *pp = g->pp;
	const tt_model *m = pp->m;
	for (int i = 0; i < m->n_learners; i++) {
		if (!g->lrow[i] || !cg_lin(g, i))
			continue;
		for (int o = pp->opt_start[i] - 1; o < pp->opt_start[i + 1]; o++) {
			int c = o < pp->opt_start[i] ? -1 : pp->opts[o].cell;
			if (c >= 0 || (c <= -2 && !cg_rin(g, -2 - c)))
				continue;
			int n = 0;
			cg_acc(g, &n, g->lrow[i], 1);
			double cost = pp->u[i];
			if (c <= -2) {
				cg_acc(g, &n, g->run_row[-2 - c], 1);
				cg_acc_member(g, &n, i, m->running[-2 - c].sessions);
				cost = pp->opts[o].cost;
			}
			cg_col *col = cg_new_col(g, cost, 1, n, 0);
			col->learner = i;
			col->run = c <= -2 ? -2 - c : -1;
		}
	}
}

/* Makes virtual rows rows[0 .. n) part of the LP, with the coefficients of
 * every column already there. */
static void cg_activate(tt_cg *g, const int *rows, int n)
{
	if (!n)
		return;
	int first = glp_add_rows(g->P, n);
	for (int q = 0; q < n; q++) {
		int v = rows[q], r = first + q;
		g->vglp[v] = r;
		if (g->veq[v])
			glp_set_row_bnds(g->P, r, GLP_FX, g->lrhs[v], g->lrhs[v]);
		else
			glp_set_row_bnds(g->P, r, GLP_UP, 0, g->lrhs[v]);
	}
	g->nact = first + n - 1;
	/* row-wise lists of the new rows: count, then fill */
	int *cnt = xcalloc((size_t)n + 1, sizeof *cnt);
	for (int j = 0; j < g->n_cols; j++) {
		const cg_col *c = &g->cols[j];
		for (int k = 0; k < c->clen; k++) {
			int r = g->vglp[g->crow[c->cstart + (size_t)k]];
			if (r >= first)
				cnt[r - first]++;
		}
	}
	for (int q = 0; q < n; q++) {
		int r = first + q, len = 0;
		int *ind = xmalloc(((size_t)cnt[q] + 1) * sizeof *ind);
		double *val = xmalloc(((size_t)cnt[q] + 1) * sizeof *val);
		for (int j = 0; j < g->n_cols && len < cnt[q]; j++) {
			const cg_col *c = &g->cols[j];
			for (int k = 0; k < c->clen; k++)
				if (g->vglp[g->crow[c->cstart + (size_t)k]] == r) {
					len++;
					ind[len] = j + 1;
					val[len] = g->cval[c->cstart + (size_t)k];
				}
		}
		glp_set_mat_row(g->P, r, len, ind, val);
		free(ind);
		free(val);
	}
	free(cnt);
}

/* Resource rows the LP solution violates enter the LP. Returns how many. */
static int cg_separate(tt_cg *g)
{
	for (int v = 1; v <= g->nrows; v++)
		g->act[v] = 0;
	for (int j = 0; j < g->n_cols; j++) {
		double x = glp_get_col_prim(g->P, j + 1);
		if (x <= 1e-9)
			continue;
		const cg_col *c = &g->cols[j];
		for (int k = 0; k < c->clen; k++)
			g->act[g->crow[c->cstart + (size_t)k]] += x * g->cval[c->cstart + (size_t)k];
	}
	int n = 0;
	for (int v = 1; v <= g->nrows; v++)
		if (!g->vglp[v] && g->act[v] > CG_SEP_FRAC * g->lrhs[v] + 1e-6)
			g->touched[n++] = v;
	cg_activate(g, g->touched, n);
	return n;
}

static uint64_t cg_hash(int cell, int room, int teacher, const int *mem, int n)
{
	uint64_t h = (1469598103934665603ULL ^ (uint64_t)(uint32_t)cell) * 1099511628211ULL;
	h = (h ^ ((uint64_t)(uint32_t)room << 32 | (uint32_t)teacher)) * 1099511628211ULL;
	for (int k = 0; k < n; k++)
		h = (h ^ (uint64_t)(uint32_t)mem[k]) * 1099511628211ULL;
	return h ? h : 1;
}

/* false when the group was seen before */
static bool cg_hash_insert(tt_cg *g, uint64_t h)
{
	if (2 * (g->hn + 1) > g->hcap) {
		size_t ncap = g->hcap ? 2 * g->hcap : 4096;
		uint64_t *nt = xcalloc(ncap, sizeof *nt);
		for (size_t q = 0; q < g->hcap; q++) {
			if (!g->hset[q])
				continue;
			size_t p = g->hset[q] & (ncap - 1);
			while (nt[p])
				p = (p + 1) & (ncap - 1);
			nt[p] = g->hset[q];
		}
		free(g->hset);
		g->hset = nt;
		g->hcap = ncap;
	}
	size_t p = h & (g->hcap - 1);
	while (g->hset[p]) {
		if (g->hset[p] == h)
			return false;
		p = (p + 1) & (g->hcap - 1);
	}
	g->hset[p] = h;
	g->hn++;
	return true;
}

static int cg_cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* Adds the group (cell, room, teacher, members) to the master; members
 * are sorted here. false when the master has it already. */
static bool cg_add_group(tt_cg *g, int cell, int room, int teacher, int *mem, int size)
{
	const tt_prep *pp = g->pp;
	const tt_cell *ce = &pp->cells[cell];
	qsort(mem, (size_t)size, sizeof *mem, cg_cmp_int);
	if (!cg_hash_insert(g, cg_hash(cell, room, teacher, mem, size)))
		return false;
	int n = 0;
	double cost = ce->gcost;
	for (int k = 0; k < size; k++) {
		int i = mem[k];
		cg_acc(g, &n, g->lrow[i], 1);
		cg_acc_member(g, &n, i, ce->mask);
		for (int o = pp->opt_start[i]; o < pp->opt_start[i + 1]; o++)
			if (pp->opts[o].cell == cell)
				cost += pp->opts[o].cost;
	}
	if (size > pp->m->rooms[room].capacity)
		cost += cg_over_pen(g) * (size - pp->m->rooms[room].capacity);
	if (teacher >= 0)
		cg_acc(g, &n, g->tweek_row[teacher], ce->load);
	for (int t = 0; t < g->nd; t++) {
		if (!(ce->mask >> t & 1))
			continue;
		cg_acc(g, &n, g->room_row[room * g->nd + t], 1);
		if (teacher >= 0) {
			cg_acc(g, &n, g->teach_row[teacher * g->nd + t], 1);
			int d = pp->m->dagdelen[t].day;
			if (d >= 0 && d < 7)
				cg_acc(g, &n, g->tday_row[teacher * 7 + d], 1);
		}
	}
	int nt = 0;
	for (int k = 0; k < size; k++)
		cg_member_cuts(g, mem[k], ce->mask, NULL, true, &nt);
	g->cur_cell = cell;
	cg_col *col = cg_new_col(g, cost, 0, n, nt);
	g->cur_cell = -1;
	if (g->n_pool + (size_t)size > g->cap_pool) {
		g->cap_pool = 2 * (g->n_pool + (size_t)size) + 4096;
		g->pool = xrealloc(g->pool, g->cap_pool * sizeof *g->pool);
	}
	col->cell = cell;
	col->room = room;
	col->teacher = teacher;
	col->size = size;
	col->first = g->n_pool;
	g->n_groups++;
	memcpy(&g->pool[g->n_pool], mem, (size_t)size * sizeof *mem);
	g->n_pool += (size_t)size;
	return true;
}

/* The start plan's groups as columns: each cell's learners split evenly
 * over its groups (sizes stay within the cell's bounds). */
static void cg_start_columns(tt_cg *g)
{
	const tt_plan *pl = g->start;
	if (!pl)
		return;
	const tt_prep *pp = g->pp;
	int *ng = xcalloc((size_t)pp->n_cells + 1, sizeof *ng);
	int *cnt = xcalloc((size_t)pp->n_cells + 1, sizeof *cnt);
	for (int q = 0; q < pl->n_groups; q++)
		ng[pl->g[q].cell]++;
	for (int i = 0; i < pl->n_learners; i++)
		if (pl->asg[i] >= 0)
			cnt[pl->asg[i]]++;
	int *mem = xmalloc((size_t)(pl->n_learners ? pl->n_learners : 1) * sizeof *mem);
	for (int c = 0; c < pp->n_cells; c++) {
		if (!ng[c] || !cnt[c] || !pp->cells[c].alive || !cg_cin(g, c))
			continue;
		int n = 0;
		for (int i = 0; i < pl->n_learners; i++)
			if (pl->asg[i] == c && g->lrow[i] && cg_lin(g, i))
				mem[n++] = i;
		for (int q = 0, k = 0, from = 0; q < pl->n_groups; q++) {
			if (pl->g[q].cell != c)
				continue;
			int to = (int)((long)n * ++k / ng[c]), room = pl->g[q].room;
			int h = g->teach ? pl->g[q].teacher : -1;
			bool fits = room >= 0 && to - from >= pp->cells[c].minsz &&
				    (!g->hard || pp->m->rooms[room].capacity >= to - from) &&
				    (h < 0 || cg_tin(g, h));
			if (fits)
				cg_add_group(g, c, room, h, &mem[from], to - from);
			from = to;
		}
	}
	free(mem);
	free(ng);
	free(cnt);
}

void tt_colpool_free(tt_colpool *p)
{
	free(p->col);
	free(p->mem);
	memset(p, 0, sizeof *p);
}

/* The master's group columns into p (emptied first). */
static void cg_pool_keep(const tt_cg *g, tt_colpool *p)
{
	p->n = p->n_mem = 0;
	for (int j = 0; j < g->n_cols; j++) {
		const cg_col *col = &g->cols[j];
		if (col->cell < 0)
			continue;
		if (p->n == p->cap) {
			p->cap = p->cap ? 2 * p->cap : 1024;
			p->col = xrealloc(p->col, (size_t)p->cap * sizeof *p->col);
		}
		if (p->n_mem + col->size > p->cap_mem) {
			p->cap_mem = 2 * (p->n_mem + col->size) + 4096;
			p->mem = xrealloc(p->mem, (size_t)p->cap_mem * sizeof *p->mem);
		}
		p->col[p->n++] = (tt_poolcol){col->cell, col->room, col->teacher, p->n_mem, col->size};
		for (int q = 0; q < col->size; q++)
			p->mem[p->n_mem++] = g->pool[col->first + (size_t)q];
	}
}

/* The warm start's group columns, into a master of the whole problem on
 * the same prep (so every cell, room, teacher and member fits it), except
 * those with two partners kept apart when the cuts' rule is on. */
static void cg_pool_columns(tt_cg *g, const tt_colpool *p)
{
	const tt_prep *pp = g->pp;
	int *mem = xmalloc((size_t)(pp->m->n_learners + 1) * sizeof *mem);
	for (int k = 0; k < p->n; k++) {
		const tt_poolcol *pc = &p->col[k];
		bool ok = true;
		for (int q = 0; q < pc->size && ok; q++) {
			int i = p->mem[pc->first + q];
			mem[q] = i;
			for (int r = 0; r < q && ok && g->cuts_on && tt_kept_apart(pp, i); r++)
				ok = pp->m->learners[mem[r]].household != pp->m->learners[i].household;
		}
		if (ok)
			cg_add_group(g, pc->cell, pc->room, pc->teacher, mem, pc->size);
	}
	free(mem);
}

static void cg_read_duals(tt_cg *g)
{
	for (int v = 1; v <= g->nrows; v++) {
		int r = g->vglp[v];
		double y = r ? glp_get_row_dual(g->P, r) : 0;
		if (!g->veq[v] && y > 0)
			y = 0;
		g->y[v] = y;
	}
	for (int k = 0; k < g->n_cuts; k++) {
		double y = glp_get_row_dual(g->P, g->cuts[k].row);
		g->cylp[k] = y < 0 ? y : 0;
	}
	g->cy = g->cylp;
	for (int b = 0; b < g->n_brow; b++)
		g->brow_y[b] = glp_get_row_dual(g->P, g->brow_row[b]);
	if (g->n_brow)
		for (int c = 0; c < g->pp->n_cells; c++) {
			double a = 0;
			for (int b = 0; b < g->n_brow; b++)
				if (cg_brow_has(g, b, c))
					a += g->brow_y[b];
			g->cell_adj[c] = a;
		}
}

static double cg_reduced_cost(tt_cg *g, const cg_col *c)
{
	double rc = c->cost;
	for (int k = 0; k < c->clen; k++)
		rc -= g->cval[c->cstart + (size_t)k] * g->y[g->crow[c->cstart + (size_t)k]];
	if (g->n_brow && c->cell >= 0)
		rc -= g->cell_adj[c->cell];
	if (g->n_cuts && c->cell >= 0)
		for (int q = 0; q < c->size; q++)
			rc -= cg_member_cuts(g, g->pool[c->first + (size_t)q], g->pp->cells[c->cell].mask,
					     g->cy, false, NULL);
	else if (g->n_cuts && c->run >= 0)
		rc -= cg_member_cuts(g, c->learner, g->pp->m->running[c->run].sessions, g->cy, false, NULL);
	return rc;
}

/* In a strict dive: row v (0: none) still takes coef more next to the
 * groups fixed so far. */
static bool cg_fits(const tt_cg *g, int v, double coef)
{
	return !g->dive_strict || !v || g->fix_act[v] + coef <= g->rhs[v] + 1e-9;
}

/* Teacher h (rows: week, per dagdeel, per day) fits cell ce. */
static bool cg_teacher_fits(const tt_cg *g, int h, const tt_cell *ce)
{
	if (!g->dive_strict)
		return true;
	if (!cg_fits(g, g->tweek_row[h], ce->load))
		return false;
	int per_day[7] = {0};
	for (int t = 0; t < g->nd; t++) {
		if (!(ce->mask >> t & 1))
			continue;
		if (!cg_fits(g, g->teach_row[h * g->nd + t], 1))
			return false;
		int d = g->pp->m->dagdelen[t].day;
		if (d >= 0 && d < 7)
			per_day[d]++;
	}
	for (int d = 0; d < 7; d++)
		if (per_day[d] && !cg_fits(g, g->tday_row[h * 7 + d], per_day[d]))
			return false;
	return true;
}

/* A strict dive keeps, of the sorted candidates g->dv[0 .. n), those whose
 * childcare and household rows still fit next to the groups fixed and the
 * candidates kept before them (a group's parents share their provider's
 * places); returns how many are kept. */
static int cg_strict_members(tt_cg *g, const tt_cell *ce, int n)
{
	enum { CAP = 64 };
	int rows[CAP];
	double used[CAP];
	int nu = 0, w = 0;
	for (int k = 0; k < n; k++) {
		int i = g->dv[k].i;
		const tt_learner *l = &g->pp->m->learners[i];
		bool kids = tt_needs_care(g->pp, i), apart = tt_kept_apart(g->pp, i), ok = true;
		int nr = 0, r[2 * TT_MAX_DAGDELEN];
		double c[2 * TT_MAX_DAGDELEN];
		for (int t = 0; t < g->nd && (kids || apart); t++) {
			if (!(ce->mask >> t & 1))
				continue;
			if (kids && g->cc_row[l->childcare * g->nd + t])
				r[nr] = g->cc_row[l->childcare * g->nd + t], c[nr++] = l->young_children;
			if (apart && g->hh_row[l->household * g->nd + t])
				r[nr] = g->hh_row[l->household * g->nd + t], c[nr++] = 1;
		}
		for (int q = 0; q < nr && ok; q++) {
			double before = 0;
			for (int u = 0; u < nu; u++)
				if (rows[u] == r[q])
					before = used[u];
			ok = cg_fits(g, r[q], before + c[q]);
		}
		if (!ok || nu + nr > CAP)
			continue;
		for (int q = 0; q < nr; q++) {
			int u = 0;
			while (u < nu && rows[u] != r[q])
				u++;
			if (u == nu)
				rows[nu] = r[q], used[nu++] = 0;
			used[u] += c[q];
		}
		g->dv[w++] = g->dv[k];
	}
	return w;
}

/* Room r fits the dagdelen mask. */
static bool cg_room_fits(const tt_cg *g, int r, tt_mask mask)
{
	for (int t = 0; t < g->nd && g->dive_strict; t++)
		if (mask >> t & 1 && !cg_fits(g, g->room_row[r * g->nd + t], 1))
			return false;
	return true;
}

/* Dual-adjusted cost of learner i's seat in a group on mask (without the
 * option cost): -pi_i minus the member rows' duals. */
static double cg_member_price(tt_cg *g, int i, tt_mask mask)
{
	double d = -g->y[g->lrow[i]];
	int fam = g->lfam ? g->lfam[i] : tt_needs_care(g->pp, i) | tt_kept_apart(g->pp, i) << 1;
	if (!fam)
		return d;
	const tt_learner *l = &g->pp->m->learners[i];
	bool kids = fam & 1, apart = fam & 2;
	d -= cg_member_cuts(g, i, mask, g->cy, false, NULL);
	for (tt_mask rest = mask; rest; rest &= rest - 1) {
		int t = __builtin_ctz(rest);
		if (kids) {
			int r = g->cc_row[l->childcare * g->nd + t];
			d -= r ? g->y[r] * l->young_children : 0;
		}
		if (apart) {
			int r = g->hh_row[l->household * g->nd + t];
			d -= r ? g->y[r] : 0;
		}
	}
	return d;
}

static int cg_cmp_dv(const void *a, const void *b)
{
	const cg_dv *x = a, *y = b;
	if (x->d != y->d)
		return x->d < y->d ? -1 : 1;
	return x->i - y->i;
}

/* The k smallest of dv[0 .. n) in cg_cmp_dv's order, sorted, in dv[0 ..
 * min(k, n)) (what the pricing reads of them; a full sort when k >= n);
 * returns how many. Insertion into a sorted prefix: the cells' lists are
 * short (region-2000: 20 learners on average), and this is the pricing's
 * inner loop. */
static int cg_smallest(cg_dv *dv, int n, int k)
{
	if (k > n)
		k = n;
	int w = 0;
	for (int j = 0; j < n; j++) {
		cg_dv x = dv[j];
		if (w == k && cg_cmp_dv(&x, &dv[w - 1]) >= 0)
			continue;
		int pos = w < k ? w++ : w - 1;
		while (pos > 0 && cg_cmp_dv(&x, &dv[pos - 1]) < 0) {
			dv[pos] = dv[pos - 1];
			pos--;
		}
		dv[pos] = x;
	}
	return w;
}

typedef struct cg_cand {
	double rc;
	double ratio; /* min over sizes s of rc(s) / s */
	int cell, s, room, teacher;
	int rs; /* the size with the best ratio */
} cg_cand;

static int cg_cmp_cand(const void *a, const void *b)
{
	const cg_cand *x = a, *y = b;
	if (x->rc != y->rc)
		return x->rc < y->rc ? -1 : 1;
	return x->cell - y->cell;
}

/* Best group of cell c under the current duals: reduced cost, size, room
 * and teacher in *out (rc HUGE_VAL when none), members g->dv[0 .. s). */
static void cg_price_cell(tt_cg *g, int c, cg_cand *out)
{
	const tt_prep *pp = g->pp;
	const tt_cell *ce = &pp->cells[c];
	out->rc = HUGE_VAL;
	out->ratio = HUGE_VAL;
	out->cell = c;
	int r0 = g->croom_start[c], r1 = g->croom_start[c + 1];
	int t0 = g->cteach_start[c], t1 = g->cteach_start[c + 1];
	if (!ce->alive || ce->n_elig < ce->minsz || r0 == r1 || (g->teach && t0 == t1) ||
	    !cg_cin(g, c))
		return;
	int n = 0;
	double neg = 0; /* the members' negative prices, summed */
	for (int k = 0; k < ce->n_elig; k++) {
		int i = ce->elig[k];
		if ((!g->diving || !g->taken[i]) && cg_lin(g, i)) {
			double d = ce->ecost[k] + (g->lprice && !g->lfam[i] ? g->lprice[i]
									     : cg_member_price(g, i, ce->mask));
			g->dv[n++] = (cg_dv){d, i};
			if (d < 0)
				neg += d;
		}
	}
	if (n < ce->minsz)
		return;
	/* the teacher: cheapest under the duals */
	double tbest = 0;
	int targ = -1;
	for (int k = t0; k < t1; k++) {
		int h = g->cteach[k];
		if (!cg_tin(g, h) || !cg_teacher_fits(g, h, ce))
			continue;
		double v = -g->y[g->tweek_row[h]] * ce->load;
		if (g->tdual) {
			const double *td = &g->tdual[2 * (size_t)h * (size_t)g->nd];
			for (tt_mask rest = ce->mask; rest; rest &= rest - 1) {
				int t = __builtin_ctz(rest);
				v -= td[2 * t];
				v -= td[2 * t + 1];
			}
		} else {
			for (tt_mask rest = ce->mask; rest; rest &= rest - 1) {
				int t = __builtin_ctz(rest);
				v -= g->y[g->teach_row[h * g->nd + t]];
				int d = pp->m->dagdelen[t].day;
				v -= d >= 0 && d < 7 ? g->y[g->tday_row[h * 7 + d]] : 0;
			}
		}
		if (targ < 0 || v < tbest)
			tbest = v, targ = h;
	}
	/* rooms by capacity: suffix minima of their prices */
	for (int k = r1 - 1; k >= r0; k--) {
		int r = g->crooms[k];
		double v = cg_room_fits(g, r, ce->mask) ? 0 : HUGE_VAL;
		const double *rd = g->rdual ? &g->rdual[(size_t)r * (size_t)g->nd] : NULL;
		for (tt_mask rest = ce->mask; rest && v < HUGE_VAL; rest &= rest - 1)
			v -= rd ? rd[__builtin_ctz(rest)] : g->y[g->room_row[r * g->nd + __builtin_ctz(rest)]];
		int q = k - r0;
		g->rraw[q] = v;
		if (k == r1 - 1 || v <= g->rprice[q + 1])
			g->rprice[q] = v, g->rarg[q] = r;
		else
			g->rprice[q] = g->rprice[q + 1], g->rarg[q] = g->rarg[q + 1];
	}
	if (g->teach && targ < 0)
		return; /* no teacher of this cluster */
	double base = ce->gcost + tbest - (g->n_brow ? g->cell_adj[c] : 0);
	/* Pricing every cell (the bound), a cell whose groups cannot reach a
	 * negative reduced cost at any size is done here: any group costs at
	 * least base + its cheapest room + its members' negative prices, and
	 * so does its cost per member. The margin covers the sums' order. */
	if (g->tdual && base + g->rprice[0] + neg >
				1e-9 * (1 + fabs(base) + fabs(g->rprice[0]) + fabs(neg)))
		return;
	if (g->cuts_on || g->dive_strict)
		qsort(g->dv, (size_t)n, sizeof *g->dv, cg_cmp_dv);
	else
		n = cg_smallest(g->dv, n, ce->maxsz);
	/* partners kept apart are never in one group (their household's rows
	 * would read 2): in the bound run only the cheapest of each household
	 * stays (the dive keeps such columns; it never fixes them, and on
	 * den-haag its plan was better with them) */
	int w = 0;
	for (int k = 0; k < n; k++) {
		int i = g->dv[k].i;
		if (g->cuts_on && tt_kept_apart(pp, i)) {
			int h = pp->m->learners[i].household;
			if (g->hh_seen[h] == c + 1)
				continue;
			g->hh_seen[h] = c + 1;
		}
		g->dv[w++] = g->dv[k];
	}
	for (int k = 0; k < w && g->cuts_on; k++)
		if (tt_kept_apart(pp, g->dv[k].i))
			g->hh_seen[pp->m->learners[g->dv[k].i].household] = 0;
	n = w;
	if (g->dive_strict)
		n = cg_strict_members(g, ce, n);
	int smax = ce->maxsz < n ? ce->maxsz : n;
	if (smax < ce->minsz)
		return;
	double sum = base;
	/* the room of a group of s: the cheapest of capacity >= s (suffix
	 * minima from kr on) or, when capacity is soft, a smaller room r at its
	 * price + pen (s - cap_r), whose best is the rooms before kr's least
	 * price - pen cap_r, + pen s */
	double pen = cg_over_pen(g), under = HUGE_VAL;
	int kr = 0, under_arg = -1; /* kr: first room big enough for s */
	for (int s = 1; s <= smax; s++) {
		sum += g->dv[s - 1].d;
		while (r0 + kr < r1 && pp->m->rooms[g->crooms[r0 + kr]].capacity < s) {
			double a = g->rraw[kr] - pen * pp->m->rooms[g->crooms[r0 + kr]].capacity;
			if (!g->hard && a < under)
				under = a, under_arg = g->crooms[r0 + kr];
			kr++;
		}
		double rp = r0 + kr < r1 ? g->rprice[kr] : HUGE_VAL;
		int ra = r0 + kr < r1 ? g->rarg[kr] : -1;
		if (under_arg >= 0 && under + pen * s < rp)
			rp = under + pen * s, ra = under_arg;
		if (ra < 0 || rp == HUGE_VAL) {
			if (r0 + kr >= r1)
				break;
			continue;
		}
		double v = sum + rp;
		if (s >= ce->minsz && v / s < out->ratio) {
			out->ratio = v / s;
			out->rs = s;
		}
		if (s >= ce->minsz && v < out->rc) {
			out->rc = v;
			out->s = s;
			out->room = ra;
			out->teacher = targ;
		}
	}
}

/* A cell in the per-route seat knapsack: its best reduced cost per member,
 * the seats it may fill (then: the seats it got) and the size of that best
 * group. */
typedef struct cg_knap {
	double ratio, seats;
	int route, cell, rs;
} cg_knap;

static int cg_cmp_knap(const void *a, const void *b)
{
	const cg_knap *x = a, *y = b;
	if (x->ratio != y->ratio)
		return x->ratio < y->ratio ? -1 : 1;
	return x->cell - y->cell;
}

/* Most groups cell c can have at once. */
static double cg_kappa(const tt_cell *ce)
{
	int k = ce->n_elig / ce->minsz;
	return ce->nmax < k ? ce->nmax : k;
}

/* Prices every cell (rcs[c] for each) and returns the better of the two
 * relaxations of the pricing problem, both valid: every cell opens up to
 * kappa_c groups at its best reduced cost; or the groups of each route seat
 * at most the route's learners (implied by the learner rows), each seat
 * costing at least the cell's best reduced cost per member (a fractional
 * knapsack per route; g->knap[0 .. *nk) then holds the seats each cell got).
 * *seats_win tells which of the two it is. */
static double cg_price_cells(tt_cg *g, cg_cand *rcs, int *nk, bool *seats_win)
{
	const tt_prep *pp = g->pp;
	double by_kappa = 0, by_seats = 0;
	*nk = 0;
	int nd = g->nd, nt = pp->m->n_teachers, nr = pp->m->n_rooms;
	if (g->teach)
		for (int h = 0; h < nt; h++)
			for (int t = 0; t < nd; t++) {
				int d = pp->m->dagdelen[t].day;
				g->tdual_buf[2 * (h * nd + t)] = g->y[g->teach_row[h * nd + t]];
				g->tdual_buf[2 * (h * nd + t) + 1] = d >= 0 && d < 7 ? g->y[g->tday_row[h * 7 + d]] : 0;
			}
	for (int q = 0; q < nr * nd; q++)
		g->rdual_buf[q] = g->y[g->room_row[q]];
	g->tdual = g->teach ? g->tdual_buf : NULL;
	g->rdual = g->rdual_buf;
	for (int i = 0; i < pp->m->n_learners; i++)
		g->lprice_buf[i] = -g->y[g->lrow[i]];
	g->lprice = g->lprice_buf;
	for (int c = 0; c < pp->n_cells; c++) {
		cg_price_cell(g, c, &rcs[c]);
		const tt_cell *ce = &pp->cells[c];
		if (rcs[c].rc < 0)
			by_kappa += rcs[c].rc * cg_kappa(ce);
		if (rcs[c].ratio < 0) {
			double seats = cg_kappa(ce) * ce->maxsz;
			g->knap[(*nk)++] = (cg_knap){rcs[c].ratio, seats < ce->n_elig ? seats : ce->n_elig,
						     ce->route, c, rcs[c].rs};
		}
	}
	g->tdual = g->rdual = g->lprice = NULL;
	qsort(g->knap, (size_t)*nk, sizeof *g->knap, cg_cmp_knap);
	double left[TT_N_ROUTES];
	for (int r = 0; r < TT_N_ROUTES; r++)
		left[r] = g->route_learners[r];
	for (int k = 0; k < *nk; k++) {
		cg_knap *it = &g->knap[k];
		double take = it->seats < left[it->route] ? it->seats : left[it->route];
		it->seats = take;
		by_seats += take * it->ratio;
		left[it->route] -= take;
	}
	*seats_win = by_seats > by_kappa;
	return *seats_win ? by_seats : by_kappa;
}

/* Learners with options per route, in the current cluster. */
static void cg_route_counts(tt_cg *g)
{
	const tt_prep *pp = g->pp;
	memset(g->route_learners, 0, sizeof g->route_learners);
	for (int i = 0; i < pp->m->n_learners; i++) {
		int r = pp->m->learners[i].route;
		if (g->lrow[i] && cg_lin(g, i) && r >= 0 && r < TT_N_ROUTES)
			g->route_learners[r]++;
	}
}

/* Scratch for pricing every cell: sorted learners, room prices, knapsack
 * items, and the learners with options per route. */
static void cg_pricing_init(tt_cg *g)
{
	const tt_prep *pp = g->pp;
	int maxe = 1;
	for (int c = 0; c < pp->n_cells; c++)
		if (pp->cells[c].n_elig > maxe)
			maxe = pp->cells[c].n_elig;
	g->dv = xmalloc((size_t)maxe * sizeof *g->dv);
	g->hh_seen = xcalloc((size_t)(pp->m->n_households > 0 ? pp->m->n_households : 0) + 1,
			     sizeof *g->hh_seen);
	g->rprice = xmalloc(((size_t)pp->m->n_rooms + 1) * sizeof *g->rprice);
	g->rarg = xmalloc(((size_t)pp->m->n_rooms + 1) * sizeof *g->rarg);
	g->rraw = xmalloc(((size_t)pp->m->n_rooms + 1) * sizeof *g->rraw);
	g->knap = xmalloc((size_t)(pp->n_cells ? pp->n_cells : 1) * sizeof *g->knap);
	g->tdual_buf = xmalloc(2 * ((size_t)pp->m->n_teachers * (size_t)g->nd + 1) * sizeof *g->tdual_buf);
	g->rdual_buf = xmalloc(((size_t)pp->m->n_rooms * (size_t)g->nd + 1) * sizeof *g->rdual_buf);
	g->lfam = xmalloc((size_t)pp->m->n_learners + 1);
	g->lprice_buf = xmalloc(((size_t)pp->m->n_learners + 1) * sizeof *g->lprice_buf);
	for (int i = 0; i < pp->m->n_learners; i++)
		g->lfam[i] = (unsigned char)(tt_needs_care(pp, i) | tt_kept_apart(pp, i) << 1);
	cg_route_counts(g);
}

/* One pricing round: the Lagrangian bound for the current duals, and up to
 * CG_MAX_NEW new columns. Returns the number added. */
static int cg_price(tt_cg *g, cg_cand *cand, double *lagr)
{
	const tt_prep *pp = g->pp;
	double lb = g->konst;
	for (int v = 1; v <= g->nrows; v++)
		lb += g->lrhs[v] * g->y[v];
	for (int k = 0; k < g->n_cuts; k++)
		lb += g->cuts[k].rhs * g->cy[k];
	for (int j = 0; j < g->n_cols; j++) {
		const cg_col *c = &g->cols[j];
		if (c->cell >= 0)
			continue;
		double rc = cg_reduced_cost(g, c);
		if (rc < 0)
			lb += rc * c->ub;
	}
	int nk;
	bool seats_win;
	*lagr = lb + cg_price_cells(g, cand, &nk, &seats_win);
	int nc = 0;
	for (int c = 0; c < pp->n_cells; c++)
		if (cand[c].rc < -CG_EPS)
			cand[nc++] = cand[c];
	qsort(cand, (size_t)nc, sizeof *cand, cg_cmp_cand);
	int added = 0;
	int *mem = xmalloc((size_t)(pp->m->n_learners ? pp->m->n_learners : 1) * sizeof *mem);
	for (int k = 0; k < nc && added < CG_MAX_NEW; k++) {
		cg_cand cc;
		cg_price_cell(g, cand[k].cell, &cc);
		for (int q = 0; q < cc.s; q++)
			mem[q] = g->dv[q].i;
		added += cg_add_group(g, cc.cell, cc.room, cc.teacher, mem, cc.s);
	}
	free(mem);
	return added;
}

/* Pricing with dual smoothing (Wentges): the duals priced are a convex
 * combination of those of the best bound so far and the LP's, which
 * damps the LP duals' oscillation; when that finds no column, the LP's
 * own duals are priced (so convergence is judged on them). Every priced
 * dual vector yields a valid bound (of the current cluster's master); the
 * best is kept in g->best, its duals in g->ybest. */
static int cg_price_smoothed(tt_cg *g, cg_cand *cand, double *lagr)
{
	double *lp = g->y;
	int added = 0;
	size_t ncb = (size_t)g->n_cuts * sizeof *g->cybest;
	if (g->ybest_ok) {
		for (int v = 1; v <= g->nrows; v++)
			g->ysep[v] = CG_SMOOTH * g->ybest[v] + (1 - CG_SMOOTH) * lp[v];
		for (int k = 0; k < g->n_cuts; k++)
			g->cysep[k] = CG_SMOOTH * g->cybest[k] + (1 - CG_SMOOTH) * g->cylp[k];
		g->y = g->ysep;
		g->cy = g->cysep;
		int before = g->n_cols;
		added = cg_price(g, cand, lagr);
		g->y = lp;
		g->cy = g->cylp;
		if (*lagr > g->best) {
			g->best = *lagr;
			memcpy(g->ybest, g->ysep, ((size_t)g->nrows + 1) * sizeof *g->ybest);
			if (ncb)
				memcpy(g->cybest, g->cysep, ncb);
		}
		/* a mispricing when no new column prices below zero at the
		 * LP's duals: the LP would not move, and once the master is
		 * over CG_MAX_COLS groups cg_purge drops those columns and this
		 * round brings them back (a random 30-learner model cycled so
		 * for its whole 30 s); then the LP's duals are priced too. Not
		 * below the purge's threshold: there the columns stay and the
		 * next round prices on (changing that path moved hilversum's
		 * dive to a worse plan: 39 344-40 444 against 38 606-39 601) */
		if (added && g->n_groups <= CG_MAX_COLS)
			return added;
		for (int j = before; j < g->n_cols; j++)
			if (cg_reduced_cost(g, &g->cols[j]) < -CG_EPS)
				return added;
	}
	added = cg_price(g, cand, lagr);
	if (!g->ybest_ok || *lagr > g->best) {
		g->best = *lagr > g->best ? *lagr : g->best;
		memcpy(g->ybest, lp, ((size_t)g->nrows + 1) * sizeof *g->ybest);
		if (ncb)
			memcpy(g->cybest, g->cylp, ncb);
		g->ybest_ok = true;
	}
	return added;
}

/* Removes group columns the LP does not use and that price above zero
 * when there are more than CG_MAX_COLS of them, and forgets them (they may
 * come back). Nonbasic columns only, so the basis stays valid. */
static void cg_purge(tt_cg *g)
{
	if (g->n_groups <= CG_MAX_COLS)
		return;
	int *del = xmalloc(((size_t)g->n_cols + 1) * sizeof *del);
	int nd = 0;
	for (int j = 0; j < g->n_cols; j++) {
		const cg_col *c = &g->cols[j];
		if (c->cell < 0 || c->fixed || glp_get_col_stat(g->P, j + 1) == GLP_BS)
			continue;
		if (cg_reduced_cost(g, c) > CG_EPS)
			del[++nd] = j + 1;
	}
	if (nd == 0) {
		free(del);
		return;
	}
	glp_del_cols(g->P, nd, del);
	/* compact columns, members and coefficients in the LP's order */
	int w = 0, q = 1;
	size_t np = 0, nc = 0;
	memset(g->hset, 0, g->hcap * sizeof *g->hset);
	g->hn = 0;
	g->n_groups = 0;
	for (int j = 0; j < g->n_cols; j++) {
		if (q <= nd && del[q] == j + 1) {
			q++;
			continue;
		}
		cg_col c = g->cols[j];
		memmove(&g->crow[nc], &g->crow[c.cstart], (size_t)c.clen * sizeof *g->crow);
		memmove(&g->cval[nc], &g->cval[c.cstart], (size_t)c.clen * sizeof *g->cval);
		c.cstart = nc;
		nc += (size_t)c.clen;
		if (c.cell >= 0) {
			memmove(&g->pool[np], &g->pool[c.first], (size_t)c.size * sizeof *g->pool);
			c.first = np;
			np += (size_t)c.size;
			cg_hash_insert(g, cg_hash(c.cell, c.room, c.teacher, &g->pool[c.first], c.size));
			g->n_groups++;
		}
		g->cols[w++] = c;
	}
	g->n_cols = w;
	g->n_pool = np;
	g->n_coef = nc;
	free(del);
}

/* A member of a household or of a childcare provider in a column the LP
 * takes: the key (kind, id), its dagdelen, weight and the column's value. */
typedef struct cg_ent {
	int kind, id, w;
	tt_mask m;
	double x;
} cg_ent;

static int cg_cmp_ent(const void *a, const void *b)
{
	const cg_ent *x = a, *y = b;
	if (x->kind != y->kind)
		return x->kind - y->kind;
	return x->id - y->id;
}

static void cg_ent_add(tt_cg *g, cg_ent **e, size_t *n, size_t *cap, int i, tt_mask m, double x)
{
	const tt_learner *l = &g->pp->m->learners[i];
	for (int pass = 0; pass < 2; pass++) {
		if (pass == 0 ? !tt_kept_apart(g->pp, i) : !tt_needs_care(g->pp, i))
			continue;
		if (*n == *cap)
			*e = xrealloc(*e, (*cap = 2 * *cap + 256) * sizeof **e);
		(*e)[(*n)++] = pass == 0 ? (cg_ent){CG_CUT_HH, l->household, 1, m, x}
					 : (cg_ent){CG_CUT_CC, l->childcare, l->young_children, m, x};
	}
}

static int cg_cut_row(const tt_cg *g, int kind, int id, int t)
{
	return kind == CG_CUT_HH ? g->hh_row[id * g->nd + t] : g->cc_row[id * g->nd + t];
}

/* The most violated cut of one household or provider (entries e[0 .. n)):
 * S is the dagdelen its columns use, those where its rows are full, or
 * either less one dagdeel; k every divisor that can matter. */
static bool cg_cut_best(const tt_cg *g, const cg_ent *e, size_t n, cg_cut *best)
{
	tt_mask U = 0, tight = 0;
	for (size_t q = 0; q < n; q++)
		U |= e[q].m;
	double b[32] = {0}, act[32] = {0};
	for (int t = 0; t < g->nd && t < 32; t++) {
		if (!(U >> t & 1))
			continue;
		int v = cg_cut_row(g, e[0].kind, e[0].id, t);
		if (!v) {
			U &= ~((tt_mask)1 << t);
			continue;
		}
		b[t] = g->lrhs[v];
		for (size_t q = 0; q < n; q++)
			if (e[q].m >> t & 1)
				act[t] += e[q].w * e[q].x;
		if (act[t] >= b[t] - 1e-6)
			tight |= (tt_mask)1 << t;
	}
	tt_mask cand[70];
	int nc = 0;
	cand[nc++] = U;
	if (tight && tight != U)
		cand[nc++] = tight;
	for (int base = 0; base < 2 && base < nc; base++)
		for (int t = 0; t < g->nd && t < 32 && nc < 70; t++)
			if (cand[base] >> t & 1)
				cand[nc++] = cand[base] & ~((tt_mask)1 << t);
	double bv = CG_CUT_VIOL;
	bool found = false;
	for (int a = 0; a < nc; a++) {
		tt_mask S = cand[a];
		if (!S)
			continue;
		double bs = 0;
		int kmax = 0;
		for (int t = 0; t < g->nd && t < 32; t++)
			if (S >> t & 1)
				bs += b[t];
		for (size_t q = 0; q < n; q++) {
			int v = e[q].w * __builtin_popcount(e[q].m & S);
			kmax = v > kmax ? v : kmax;
		}
		for (int k = 2; k <= kmax; k++) {
			double rhs = floor(bs / k + 1e-9), lhs = 0;
			for (size_t q = 0; q < n; q++)
				lhs += e[q].x * (e[q].w * __builtin_popcount(e[q].m & S) / k);
			if (lhs - rhs > bv) {
				bv = lhs - rhs;
				*best = (cg_cut){.kind = e[0].kind, .id = e[0].id, .k = k, .S = S, .rhs = rhs};
				found = true;
			}
		}
	}
	return found;
}

static bool cg_cut_known(const tt_cg *g, const cg_cut *c)
{
	int q = c->kind == CG_CUT_HH ? g->hhead[c->id] : g->phead[c->id];
	for (; q >= 0; q = g->cuts[q].next)
		if (g->cuts[q].S == c->S && g->cuts[q].k == c->k)
			return true;
	return false;
}

/* Cuts of households' and providers' rows the LP solution violates enter
 * the LP (at most one per household or provider and round). Returns how
 * many. */
static int cg_cut_separate(tt_cg *g)
{
	const tt_model *m = g->pp->m;
	size_t n = 0, cap = 0;
	cg_ent *e = NULL;
	for (int j = 0; j < g->n_cols; j++) {
		const cg_col *c = &g->cols[j];
		if (c->cell < 0 && c->run < 0)
			continue;
		double x = glp_get_col_prim(g->P, j + 1);
		if (x <= 1e-6)
			continue;
		if (c->cell >= 0)
			for (int q = 0; q < c->size; q++)
				cg_ent_add(g, &e, &n, &cap, g->pool[c->first + (size_t)q],
					   g->pp->cells[c->cell].mask, x);
		else
			cg_ent_add(g, &e, &n, &cap, c->learner, m->running[c->run].sessions, x);
	}
	if (n)
		qsort(e, n, sizeof *e, cg_cmp_ent);
	int first = g->n_cuts;
	for (size_t a = 0, b; a < n && g->n_cuts < CG_CUT_MAX; a = b) {
		for (b = a + 1; b < n && e[b].kind == e[a].kind && e[b].id == e[a].id; b++)
			;
		cg_cut cut;
		if (!cg_cut_best(g, &e[a], b - a, &cut) || cg_cut_known(g, &cut))
			continue;
		int *head = cut.kind == CG_CUT_HH ? &g->hhead[cut.id] : &g->phead[cut.id];
		cut.next = *head;
		cut.row = glp_add_rows(g->P, 1);
		glp_set_row_bnds(g->P, cut.row, GLP_UP, 0, cut.rhs);
		*head = g->n_cuts;
		g->cuts[g->n_cuts++] = cut;
	}
	free(e);
	int added = g->n_cuts - first;
	if (!added)
		return 0;
	g->cut_rounds++;
	/* the new rows' coefficients over every column */
	int **rind = xcalloc((size_t)added, sizeof *rind);
	double **rval = xcalloc((size_t)added, sizeof *rval);
	int *rn = xcalloc((size_t)added, sizeof *rn), *rcap = xcalloc((size_t)added, sizeof *rcap);
	for (int j = 0; j < g->n_cols; j++) {
		const cg_col *c = &g->cols[j];
		int nt = 0;
		if (c->cell >= 0)
			for (int q = 0; q < c->size; q++)
				cg_member_cuts(g, g->pool[c->first + (size_t)q], g->pp->cells[c->cell].mask,
					       NULL, true, &nt);
		else if (c->run >= 0)
			cg_member_cuts(g, c->learner, m->running[c->run].sessions, NULL, true, &nt);
		for (int q = 0; q < nt; q++) {
			int k = g->ctouch[q], r = k - first;
			if (r >= 0) {
				if (rn[r] + 2 > rcap[r]) {
					rcap[r] = 2 * rcap[r] + 16;
					rind[r] = xrealloc(rind[r], (size_t)rcap[r] * sizeof **rind);
					rval[r] = xrealloc(rval[r], (size_t)rcap[r] * sizeof **rval);
				}
				rn[r]++;
				rind[r][rn[r]] = j + 1;
				rval[r][rn[r]] = g->cacc[k];
			}
			g->cacc[k] = 0;
		}
	}
	for (int r = 0; r < added; r++) {
		glp_set_mat_row(g->P, g->cuts[first + r].row, rn[r], rind[r], rval[r]);
		free(rind[r]);
		free(rval[r]);
	}
	free(rind);
	free(rval);
	free(rn);
	free(rcap);
	if (g->ctl->log) {
		char msg[160];
		snprintf(msg, sizeof msg, "column generation cuts: %d added, %d in all", added, g->n_cuts);
		g->ctl->log(g->ctl->log_ud, 0, msg);
	}
	return added;
}

/* Frees every column the dive fixed (the plan it built stays in g->out). */
/* Column generation rounds until no group prices out (1), max_rounds
 * rounds were made (0) or the LP failed or was stopped (-1). While bounding
 * (not diving) the best Lagrangian bound is kept in g->best (and, over
 * everything, res->bound). Resource rows a solution violates are added
 * before pricing. */
static int cg_generate(tt_cg *g, cg_cand *cand, int max_rounds)
{
	tt_cg_result *res = g->res;
	bool all = g->cur < 0;
	for (int round = 0; round < max_rounds;) {
		int lr = lp_simplex(g->P, g->ctl);
		if (lr != 0) {
			if (g->ctl->log) {
				char msg[120];
				snprintf(msg, sizeof msg, "column generation: LP %s",
					 lr == 1 ? "failed" : "stopped");
				g->ctl->log(g->ctl->log_ud, 0, msg);
			}
			return -1;
		}
		if (cg_separate(g) > 0)
			continue;
		round++;
		double lp = glp_get_obj_val(g->P) + g->konst;
		cg_read_duals(g);
		cg_purge(g);
		double lagr;
		int added;
		if (g->diving || g->branching) {
			if (!cg_price(g, cand, &lagr))
				return 1;
			continue;
		}
		added = cg_price_smoothed(g, cand, &lagr);
		res->rounds++;
		if (lagr > g->best)
			g->best = lagr;
		if (!added && lp > g->best)
			g->best = lp;
		if (all) {
			res->lp = lp;
			res->bound = g->best;
		}
		if (g->ctl->log && (res->rounds % 10 == 1 || !added)) {
			char msg[200];
			snprintf(msg, sizeof msg,
				 "column generation round %d%s: LP %.1f, bound %.1f, %d groups, %d rows, %d new",
				 res->rounds, all ? "" : " (cluster)", lp, g->best, g->n_groups, g->nact,
				 added);
			g->ctl->log(g->ctl->log_ud, 0, msg);
		}
		if (!added) {
			if (all)
				res->converged = true;
			if (all && g->cutting && g->cut_rounds < CG_CUT_ROUNDS && cg_cut_separate(g) > 0)
				continue;
			return 1;
		}
		if (all && res->stop_at > 0 && res->bound >= res->stop_at)
			return 0;
		if (all && g->out && res->check_at > 0 && lp_now() >= res->check_at &&
		    lp - g->best > res->check_gap * fabs(lp)) {
			res->checked_out = true;
			if (res->on_check)
				res->on_check(res->check_ud);
			return -1;
		}
	}
	return 0;
}

/* Group column col as a group of plan pl (room, teacher, members). */
static void cg_plan_add(const tt_cg *g, tt_plan *pl, const cg_col *col)
{
	tt_plan_add_group(pl, col->cell, col->room, col->teacher);
	for (int q = 0; q < col->size; q++)
		pl->asg[g->pool[col->first + (size_t)q]] = col->cell;
}

/* Group column col fits next to the groups fixed so far: room in every
 * resource row (all of them, in the LP or not), no member taken. */
static bool cg_col_fits(const tt_cg *g, const cg_col *col)
{
	for (int k = 0; k < col->clen; k++) {
		int v = g->crow[col->cstart + (size_t)k];
		if (!g->veq[v] && g->fix_act[v] + g->cval[col->cstart + (size_t)k] > g->rhs[v] + 1e-9)
			return false;
	}
	for (int q = 0; q < col->size; q++)
		if (g->taken[g->pool[col->first + (size_t)q]])
			return false;
	return true;
}

/* Fixes group column j at 1 when it fits; the members' other columns go
 * to 0. */
static bool cg_fix(tt_cg *g, int j)
{
	cg_col *col = &g->cols[j];
	if (!cg_col_fits(g, col))
		return false;
	for (int k = 0; k < col->clen; k++)
		g->fix_act[g->crow[col->cstart + (size_t)k]] += g->cval[col->cstart + (size_t)k];
	for (int q = 0; q < col->size; q++)
		g->taken[g->pool[col->first + (size_t)q]] = true;
	glp_set_col_bnds(g->P, j + 1, GLP_FX, 1, 1);
	col->fixed = true;
	cg_plan_add(g, g->out, col);
	/* every other column of a member is closed */
	for (int o = 0; o < g->n_cols; o++) {
		cg_col *c2 = &g->cols[o];
		if (c2->fixed)
			continue;
		bool hit = c2->cell < 0 && g->taken[c2->learner];
		for (int q = 0; q < c2->size && !hit; q++)
			hit = g->taken[g->pool[c2->first + (size_t)q]];
		if (hit) {
			glp_set_col_bnds(g->P, o + 1, GLP_FX, 0, 0);
			c2->fixed = true;
		}
	}
	return true;
}

/* LP diving: fix the groups the LP takes whole (or else the largest
 * fraction), generate columns for the rest, repeat until the LP takes no
 * group fractionally. The fixed groups are the plan. */
static void cg_dive(tt_cg *g, cg_cand *cand, bool careful)
{
	int nl = g->pp->m->n_learners;
	if (!g->taken) {
		g->taken = xcalloc((size_t)nl + 1, sizeof *g->taken);
		g->fix_act = xcalloc((size_t)g->nrows + 2, sizeof *g->fix_act);
	}
	g->diving = true;
	int steps = 0, max_steps = g->res->max_dive_steps > 0 ? g->res->max_dive_steps : 1 << 30;
	int extra_max = careful ? 0 : CG_DIVE_EXTRA;
	int stale = 0; /* steps in a row that fixed no group */
	cg_dv *fr = xmalloc(((size_t)g->n_cols + 1) * sizeof *fr);
	int cap_fr = g->n_cols + 1;
	uint64_t rng = g->res->dive_seed * 0x9e3779b97f4a7c15ULL + 1;
	while (steps < max_steps) {
		if (cg_generate(g, cand, CG_DIVE_ROUNDS) < 0)
			break;
		if (g->n_cols + 1 > cap_fr) {
			cap_fr = 2 * g->n_cols + 1;
			fr = xrealloc(fr, (size_t)cap_fr * sizeof *fr);
		}
		int nfix = 0, nfr = 0;
		for (int j = 0; j < g->n_cols; j++) {
			if (g->cols[j].fixed || g->cols[j].cell < 0)
				continue;
			double v = glp_get_col_prim(g->P, j + 1);
			if (v >= 0.99)
				nfix += cg_fix(g, j);
			else if (v > 1e-6)
				fr[nfr++] = (cg_dv){-v, j};
		}
		steps++;
		stale = nfix ? 0 : stale + 1;
		if (stale == CG_DIVE_STALE) {
			g->dive_strict = true;
			g->res->dive_strict++;
		}
		/* strict: the LP's group columns that no longer fit are closed */
		for (int j = 0; j < g->n_cols && g->dive_strict; j++) {
			cg_col *c = &g->cols[j];
			if (!c->fixed && c->cell >= 0 && !cg_col_fits(g, c)) {
				glp_set_col_bnds(g->P, j + 1, GLP_FX, 0, 0);
				c->fixed = true;
			}
		}
		if (nfix)
			continue;
		if (nfr == 0)
			break; /* nothing fractional is left */
		qsort(fr, (size_t)nfr, sizeof *fr, cg_cmp_dv);
		int best = fr[0].i;
		if (g->res->dive_seed) {
			rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
			int top = nfr < CG_DIVE_PICK ? nfr : CG_DIVE_PICK;
			int q = (int)((rng >> 33) % (uint64_t)top);
			cg_dv t = fr[0];
			fr[0] = fr[q];
			fr[q] = t;
			best = fr[0].i;
		}
		if (!cg_fix(g, best)) {
			glp_set_col_bnds(g->P, best + 1, GLP_FX, 0, 0);
			g->cols[best].fixed = true;
		}
		for (int q = 1, extra = 0; q < nfr && extra < extra_max && -fr[q].d >= CG_DIVE_EXTRA_MIN; q++)
			if (!g->cols[fr[q].i].fixed)
				extra += cg_fix(g, fr[q].i);
	}
	free(fr);
	g->res->dive_steps += steps;
	if (g->ctl->log) {
		char msg[160];
		snprintf(msg, sizeof msg, "column generation dive: %d steps, %d groups fixed, %d columns",
			 steps, g->out->n_groups, g->n_cols);
		g->ctl->log(g->ctl->log_ud, 1, msg);
	}
	g->diving = false;
	g->dive_strict = false;
}

/* Learner i's wait and join columns in the Lagrangian at the duals g->y:
 * the sum of their reduced costs below zero; *used counts those columns
 * (the relaxed problem takes them). */
static double cg_wait_join(tt_cg *g, int i, int *used)
{
	const tt_prep *pp = g->pp;
	double pi = g->y[g->lrow[i]], sum = 0;
	*used = 0;
	if (pp->u[i] - pi < 0)
		sum += pp->u[i] - pi, ++*used;
	for (int o = pp->opt_start[i]; o < pp->opt_start[i + 1]; o++) {
		int c = pp->opts[o].cell;
		if (c > -2)
			continue;
		double rc = pp->opts[o].cost + cg_member_price(g, i, pp->m->running[-2 - c].sessions) -
			    g->y[g->run_row[-2 - c]];
		if (rc < 0)
			sum += rc, ++*used;
	}
	return sum;
}

/* A fresh LP for the current cluster (or everything): learner rows, wait
 * and join columns, the start plan's groups, full capacities (the dive
 * takes off what earlier clusters used: cg_residual). */
static void cg_master_begin(tt_cg *g)
{
	const tt_prep *pp = g->pp;
	if (g->P)
		glp_delete_prob(g->P);
	g->P = glp_create_prob();
	glp_set_obj_dir(g->P, GLP_MIN);
	for (int v = 1; v <= g->nrows; v++) {
		g->vglp[v] = 0;
		g->lrhs[v] = g->rhs[v];
		g->y[v] = g->ybest[v] = g->ysep[v] = 0;
	}
	g->nact = 0;
	g->n_cols = g->n_groups = 0;
	g->n_pool = g->n_coef = 0;
	if (g->hset)
		memset(g->hset, 0, g->hcap * sizeof *g->hset);
	g->hn = 0;
	g->ybest_ok = false;
	g->best = -HUGE_VAL;
	int nlr = 0;
	for (int i = 0; i < pp->m->n_learners; i++)
		if (g->lrow[i] && cg_lin(g, i))
			g->touched[nlr++] = g->lrow[i];
	cg_activate(g, g->touched, nlr);
	cg_route_counts(g);
	cg_wait_and_join_columns(g);
	cg_start_columns(g);
	if (g->res->warm && g->cur < 0)
		cg_pool_columns(g, g->res->warm);
}

/* The Lagrangian bound of the whole problem at duals y (<= rows' duals
 * <= 0): valid for any such y, whichever master they came from. */
static double cg_bound_at(tt_cg *g, double *y, cg_cand *cand)
{
	const tt_prep *pp = g->pp;
	const tt_model *m = pp->m;
	double *keep_y = g->y;
	bool *keep_taken = g->taken;
	int keep_cur = g->cur;
	g->y = y;
	g->taken = NULL;
	g->cur = -1;
	cg_route_counts(g);
	double lb = g->konst;
	for (int v = 1; v <= g->nrows; v++)
		lb += g->rhs[v] * y[v];
	for (int i = 0; i < m->n_learners; i++) {
		int used;
		if (g->lrow[i])
			lb += cg_wait_join(g, i, &used);
	}
	int nk;
	bool seats_win;
	lb += cg_price_cells(g, cand, &nk, &seats_win);
	g->y = keep_y;
	g->taken = keep_taken;
	g->cur = keep_cur;
	cg_route_counts(g);
	return lb;
}

/* Before a cluster's dive: learners placed by earlier clusters' dives
 * leave this LP (their rows = 0), resource rows keep what those groups
 * left. */
static void cg_residual(tt_cg *g)
{
	for (int v = 1; v <= g->nrows; v++) {
		if (g->veq[v])
			continue;
		double left = g->rhs[v] - g->fix_act[v];
		g->lrhs[v] = left > 0 ? left : 0;
		if (g->vglp[v])
			glp_set_row_bnds(g->P, g->vglp[v], GLP_UP, 0, g->lrhs[v]);
	}
	for (int i = 0; i < g->pp->m->n_learners; i++)
		if (g->taken[i] && g->lrow[i] && g->vglp[g->lrow[i]])
			glp_set_row_bnds(g->P, g->vglp[g->lrow[i]], GLP_FX, 0, 0);
}

/* One master per cluster, in turn, each with a share of the time in
 * proportion to its options: bounding (60 % of the share when diving),
 * then the dive, which fixes groups for the whole plan. The clusters'
 * duals side by side give the bound of the whole problem. */
/* Before cluster k's master (when diving): learners the earlier clusters'
 * dives left waiting who have options in cluster k join it, and so do
 * teachers of earlier clusters with dagdelen left who reach one of its
 * locations (the rows keep what the groups fixed so far use). Without it a
 * learner waits whenever its own cluster had no place, though a later one
 * might. */
static void cg_spill(tt_cg *g, int k, int *mark)
{
	const tt_prep *pp = g->pp;
	const tt_model *m = pp->m;
	for (int i = 0; i < m->n_learners; i++) {
		if (g->lcl[i] < 0 || g->lcl[i] >= k || g->taken[i])
			continue;
		for (int o = pp->opt_start[i]; o < pp->opt_start[i + 1]; o++)
			if (g->loc_cl[cg_asg_loc(pp, pp->opts[o].cell)] == k) {
				g->lcl[i] = k;
				break;
			}
	}
	for (int l = 0; l < m->n_locations; l++)
		if (g->loc_cl[l] == k)
			for (int q = pp->lteach_start[l]; q < pp->lteach_start[l + 1]; q++)
				mark[pp->lteach[q]] = k + 1;
	for (int h = 0; h < m->n_teachers && g->teach; h++) {
		int v = g->tweek_row[h];
		if (g->tcl[h] >= 0 && g->tcl[h] < k && mark[h] == k + 1 && v &&
		    g->fix_act[v] + pp->dload_min <= g->rhs[v] + 1e-9)
			g->tcl[h] = k;
	}
}

static void cg_clusters_run(tt_cg *g, cg_cand *cand)
{
	const tt_prep *pp = g->pp;
	tt_cg_result *res = g->res;
	double dl = g->ctl->deadline;
	double *w = xcalloc((size_t)g->ncl + 1, sizeof *w); /* options per cluster */
	int *mark = xcalloc((size_t)pp->m->n_teachers + 1, sizeof *mark);
	for (int i = 0; i < pp->m->n_learners; i++)
		for (int o = pp->opt_start[i]; o < pp->opt_start[i + 1] && g->lcl[i] >= 0; o++)
			w[g->lcl[i]] += g->loc_cl[cg_asg_loc(pp, pp->opts[o].cell)] == g->lcl[i];
	g->ycomb = xcalloc((size_t)g->nrows + 2, sizeof *g->ycomb);
	if (g->out) {
		g->taken = xcalloc((size_t)pp->m->n_learners + 1, sizeof *g->taken);
		g->fix_act = xcalloc((size_t)g->nrows + 2, sizeof *g->fix_act);
	}
	bool work = res->max_rounds > 0;
	for (int k = 0; k < g->ncl && !lp_should_stop(g->ctl); k++) {
		if (g->out && k > 0) {
			/* the learners who joined count towards the share */
			cg_spill(g, k, mark);
			w[k] = 0;
			for (int i = 0; i < pp->m->n_learners; i++)
				for (int o = pp->opt_start[i]; o < pp->opt_start[i + 1] && g->lcl[i] == k; o++)
					w[k] += g->loc_cl[cg_asg_loc(pp, pp->opts[o].cell)] == k;
		}
		double wleft = 0;
		for (int j = k; j < g->ncl; j++)
			wleft += w[j];
		if (w[k] <= 0)
			continue;
		double now = lp_now(), share = (dl - now) * w[k] / wleft;
		g->cur = k;
		cg_master_begin(g);
		if (!work)
			g->ctl->deadline = now + (g->out ? 0.6 : 1.0) * share;
		double t_begin = lp_now();
		int r = cg_generate(g, cand, work ? res->max_rounds : 1 << 30);
		double conv = lp_now() - t_begin;
		if (r == 1)
			res->clusters_converged++;
		/* side by side: a learner row takes the dual of the last
		 * cluster whose LP held it (learners move on to later clusters:
		 * cg_spill; any value is valid for an equality row); resource
		 * rows shared by clusters add up their duals (<= 0) */
		for (int v = 1; v <= g->nrows && g->ybest_ok; v++)
			if (g->vglp[v] && g->veq[v])
				g->ycomb[v] = g->ybest[v];
			else if (g->vglp[v])
				g->ycomb[v] += g->ybest[v];
		g->ctl->deadline = work || k == g->ncl - 1 ? dl : now + share;
		if (g->out && !lp_should_stop(g->ctl)) {
			cg_residual(g);
			/* careful (one fraction a step) when converged and the
			 * share left holds CG_DIVE_CAREFUL times what the
			 * convergence took, as for one master */
			cg_dive(g, cand,
				r == 1 && (work || g->ctl->deadline - lp_now() >= CG_DIVE_CAREFUL * conv));
		}
		g->ctl->deadline = dl;
		res->cols += g->n_groups;
	}
	g->ctl->deadline = dl;
	g->cur = -1;
	if (g->P) {
		glp_delete_prob(g->P);
		g->P = NULL;
	}
	res->bound = cg_bound_at(g, g->ycomb, cand);
	free(w);
	free(mark);
}

/* A node of the count-row search: its bound (the parent's LP) and its
 * constraints lo <= count row b <= hi (lo -1, hi INT_MAX: none). */
typedef struct cg_node {
	double bound;
	int n;
	int b[CG_BR_DEPTH], lo[CG_BR_DEPTH], hi[CG_BR_DEPTH];
} cg_node;

/* The count rows' arrays (count search and cell-set cuts), once. */
static void cg_brow_alloc(tt_cg *g)
{
	if (g->brow_kind)
		return;
	g->brow_kind = xmalloc(CG_BR_ROWS * sizeof *g->brow_kind);
	g->brow_key = xmalloc(CG_BR_ROWS * sizeof *g->brow_key);
	g->brow_row = xmalloc(CG_BR_ROWS * sizeof *g->brow_row);
	g->brow_y = xmalloc(CG_BR_ROWS * sizeof *g->brow_y);
	g->cell_adj = xcalloc((size_t)g->pp->n_cells + 1, sizeof *g->cell_adj);
	g->set_cells = xcalloc(CG_SET_MAX, sizeof *g->set_cells);
	g->set_rhs = xcalloc(CG_SET_MAX, sizeof *g->set_rhs);
}

/* A new count row (kind, key), free, 1 on every group column of its
 * cells; its index among the count rows. */
static int cg_brow_add(tt_cg *g, int kind, int key)
{
	int r = glp_add_rows(g->P, 1);
	glp_set_row_bnds(g->P, r, GLP_FR, 0, 0);
	int b = g->n_brow++;
	g->brow_kind[b] = kind;
	g->brow_key[b] = key;
	g->brow_row[b] = r;
	int *ind = xmalloc(((size_t)g->n_cols + 1) * sizeof *ind);
	double *val = xmalloc(((size_t)g->n_cols + 1) * sizeof *val);
	int n = 0;
	for (int j = 0; j < g->n_cols; j++)
		if (g->cols[j].cell >= 0 && cg_brow_has(g, b, g->cols[j].cell)) {
			ind[++n] = j + 1;
			val[n] = 1;
		}
	glp_set_mat_row(g->P, r, n, ind, val);
	free(ind);
	free(val);
	return b;
}

/* The count row of (kind, key), made on first use: 1 on every group of its
 * cells, free, with two slack columns (+1, -1) at cost pen so any bounds a
 * node puts on it stay feasible (a node whose LP uses a slack is infeasible).
 * Returns its index, -1 when there are CG_BR_ROWS already. */
static int cg_brow_get(tt_cg *g, int kind, int key, double pen)
{
	for (int b = 0; b < g->n_brow; b++)
		if (g->brow_kind[b] == kind && g->brow_key[b] == key)
			return b;
	if (g->n_brow == CG_BR_ROWS)
		return -1;
	int b = cg_brow_add(g, kind, key), r = g->brow_row[b];
	for (int q = 0; q < 2; q++) {
		g->cur_cell = -1;
		cg_col *c = cg_new_col(g, pen, 0, 0, 0);
		c->slack = b + 1;
		int ri[2] = {0, r};
		double rv[2] = {0, q ? -1.0 : 1.0};
		glp_set_mat_col(g->P, g->n_cols, 1, ri, rv);
	}
	return b;
}

/* A node's LP solution that is integral (every column 0 or 1, no slack)
 * is a plan: its groups go to res->harvest (when asked for and cheaper
 * than the one kept); stages 2-3 then staff and fill it like a dive's. */
static void cg_harvest(tt_cg *g, double v)
{
	tt_cg_result *res = g->res;
	if (!res->harvest || (res->harvested && v >= res->harvest_lp))
		return;
	for (int j = 0; j < g->n_cols; j++) {
		double x = glp_get_col_prim(g->P, j + 1);
		if ((x > 1e-6 && x < 1 - 1e-6) || (g->cols[j].slack && x > 1e-6))
			return;
	}
	tt_plan *pl = res->harvest;
	tt_plan_free(pl);
	tt_plan_init(pl, g->pp->m->n_learners);
	for (int j = 0; j < g->n_cols; j++) {
		const cg_col *c = &g->cols[j];
		if (c->cell < 0 || glp_get_col_prim(g->P, j + 1) < 0.5)
			continue;
		cg_plan_add(g, pl, c);
	}
	res->harvested = true;
	res->harvest_lp = v;
}

/* The node's bounds on every count row. */
static void cg_node_apply(tt_cg *g, const cg_node *nd, int *lo, int *hi)
{
	for (int b = 0; b < g->n_brow; b++)
		lo[b] = -1, hi[b] = INT_MAX;
	for (int q = 0; q < nd->n; q++) {
		int b = nd->b[q];
		lo[b] = nd->lo[q] > lo[b] ? nd->lo[q] : lo[b];
		hi[b] = nd->hi[q] < hi[b] ? nd->hi[q] : hi[b];
	}
	for (int b = 0; b < g->n_brow; b++) {
		int r = g->brow_row[b];
		if (g->brow_kind[b] == CG_SET_KIND && g->set_rhs[g->brow_key[b]] < hi[b])
			hi[b] = g->set_rhs[g->brow_key[b]]; /* a cut: always on */
		if (lo[b] < 0 && hi[b] == INT_MAX)
			glp_set_row_bnds(g->P, r, GLP_FR, 0, 0);
		else if (hi[b] == INT_MAX)
			glp_set_row_bnds(g->P, r, GLP_LO, lo[b], 0);
		else if (lo[b] < 0)
			glp_set_row_bnds(g->P, r, GLP_UP, 0, hi[b]);
		else if (lo[b] == hi[b])
			glp_set_row_bnds(g->P, r, GLP_FX, lo[b], hi[b]);
		else
			glp_set_row_bnds(g->P, r, GLP_DB, lo[b], hi[b]);
	}
}

/* Cell-set cuts. For a set C of cells whose groups can only take learners
 * of S (every learner with an option in a cell of C), and k the smallest
 * minimum size in C: a plan's groups in C have disjoint sets of at least k
 * members of S, so there are at most floor(|S| / k) of them, and
 * sum_{g in C} lambda_g <= floor(|S| / k) holds for every plan. The LP
 * breaks it where a few learners who each fit several patterns are seated
 * by overlapping groups at fractions: five Z learners who each miss one of
 * five mornings fit ten patterns of two mornings, three learners each; one
 * group is all a plan can open, and the LP opens ten at 1/6 and seats all
 * five. A cut is a count row on C (cg_brow_has), so pricing adds its dual
 * to the groups of its cells and stays a sort.
 * Separation: from each cell the LP opens groups in (the seed), add the
 * cell of the same route with groups in the LP that raises the violation
 * sum_{g in C} lambda_g - floor(|S| / k) most, while one does; then add
 * every cell whose learners are all in S (its groups count at no cost, so
 * pricing cannot move the seats there). The cuts whose violation reaches
 * CG_SET_VIOL enter as <= rows. Returns how many entered. */
static int cg_set_separate(tt_cg *g)
{
	const tt_prep *pp = g->pp;
	int nc = pp->n_cells, nlr = pp->m->n_learners;
	double *cnt = xcalloc((size_t)nc + 1, sizeof *cnt);
	for (int j = 0; j < g->n_cols; j++)
		if (g->cols[j].cell >= 0)
			cnt[g->cols[j].cell] += glp_get_col_prim(g->P, j + 1);
	int *pos = xmalloc(((size_t)nc + 1) * sizeof *pos), npos = 0;
	for (int c = 0; c < nc; c++)
		if (cnt[c] > CG_EPS && pp->cells[c].minsz > 1)
			pos[npos++] = c;
	unsigned char *in_s = xcalloc((size_t)nlr + 1, 1), *in_c = xcalloc((size_t)nc + 1, 1);
	int *sl = xmalloc(((size_t)nlr + 1) * sizeof *sl), *cl = xmalloc(((size_t)nc + 1) * sizeof *cl);
	int added = 0;
	for (int a = 0; a < npos && g->n_sets < CG_SET_MAX && g->n_brow < CG_BR_ROWS &&
			!lp_should_stop(g->ctl); a++) {
		int ns = 0, ncl = 0, route = pp->cells[pos[a]].route, k = INT_MAX;
		double v = 0, viol = 0;
		for (int add = pos[a]; add >= 0;) {
			const tt_cell *ce = &pp->cells[add];
			in_c[add] = 1;
			cl[ncl++] = add;
			for (int q = 0; q < ce->n_elig; q++)
				if (!in_s[ce->elig[q]])
					in_s[ce->elig[q]] = 1, sl[ns++] = ce->elig[q];
			k = ce->minsz < k ? ce->minsz : k;
			v += cnt[add];
			viol = v - (double)(ns / k);
			add = -1;
			double best = viol + CG_EPS;
			for (int b = 0; b < npos; b++) {
				const tt_cell *cc = &pp->cells[pos[b]];
				if (in_c[pos[b]] || cc->route != route)
					continue;
				int more = 0;
				for (int q = 0; q < cc->n_elig; q++)
					more += !in_s[cc->elig[q]];
				int k2 = cc->minsz < k ? cc->minsz : k;
				double v2 = v + cnt[pos[b]] - (double)((ns + more) / k2);
				if (v2 > best)
					best = v2, add = pos[b];
			}
		}
		if (viol >= CG_SET_VIOL) {
			for (int c = 0; c < nc; c++) {
				const tt_cell *cc = &pp->cells[c];
				bool inside = !in_c[c] && cc->alive && cc->minsz >= k;
				for (int q = 0; q < cc->n_elig && inside; q++)
					inside = in_s[cc->elig[q]];
				if (inside)
					in_c[c] = 1, cl[ncl++] = c;
			}
			bool known = false;
			for (int s = 0; s < g->n_sets && !known; s++) {
				known = g->set_rhs[s] == ns / k;
				for (int q = 0; q < ncl && known; q++)
					known = g->set_cells[s][cl[q]];
			}
			if (!known) {
				int s = g->n_sets++;
				g->set_cells[s] = xcalloc((size_t)nc + 1, 1);
				for (int q = 0; q < ncl; q++)
					g->set_cells[s][cl[q]] = 1;
				g->set_rhs[s] = ns / k;
				int b = cg_brow_add(g, CG_SET_KIND, s);
				glp_set_row_bnds(g->P, g->brow_row[b], GLP_UP, 0, g->set_rhs[s]);
				added++;
			}
		}
		for (int q = 0; q < ns; q++)
			in_s[sl[q]] = 0;
		for (int q = 0; q < ncl; q++)
			in_c[cl[q]] = 0;
	}
	free(cnt);
	free(pos);
	free(in_s);
	free(in_c);
	free(sl);
	free(cl);
	return added;
}

/* The converged (cut) LP with cell-set cuts, in rounds until none is
 * violated: cg_generate's result (1: converged). The LP is priced exactly
 * (as in the count search), so a converged LP is a bound. */
static int cg_set_cuts(tt_cg *g, cg_cand *cand, int max_rounds)
{
	cg_brow_alloc(g);
	g->branching = true;
	int r = 1;
	for (int round = 0; round < CG_SET_ROUNDS && r == 1 && !lp_should_stop(g->ctl); round++) {
		if (!cg_set_separate(g))
			break;
		r = cg_generate(g, cand, max_rounds);
		if (r == 1) {
			double lp = glp_get_obj_val(g->P) + g->konst;
			g->res->lp = lp;
			g->res->bound = lp > g->res->bound ? lp : g->res->bound;
		}
	}
	g->branching = false;
	g->res->set_cuts = g->n_sets;
	return r;
}

/* The most fractional group count of the LP solution over the coarsest
 * kind of cell set that has one (route, route x location, type, type x
 * location, cell). false when every count is integral. */
static bool cg_branch_pick(tt_cg *g, double *acc, int *touched, int *kind, int *key, double *val)
{
	for (int k = 0; k < CG_BR_KINDS; k++) {
		int nt = 0;
		for (int j = 0; j < g->n_cols; j++) {
			const cg_col *c = &g->cols[j];
			if (c->cell < 0)
				continue;
			double x = glp_get_col_prim(g->P, j + 1);
			if (x <= 1e-9)
				continue;
			int a = cg_agg_key(g, c->cell, k);
			if (acc[a] == 0)
				touched[nt++] = a;
			acc[a] += x;
		}
		double best = 0.01;
		bool found = false;
		for (int q = 0; q < nt; q++) {
			int a = touched[q];
			double f = acc[a] - floor(acc[a]), d = f < 1 - f ? f : 1 - f;
			if (d > best + 1e-12 || (found && d > best - 1e-12 && a < *key && d > 0.01)) {
				best = d;
				*kind = k;
				*key = a;
				*val = acc[a];
				found = true;
			}
		}
		for (int q = 0; q < nt; q++)
			acc[touched[q]] = 0;
		if (found)
			return true;
	}
	return false;
}

/* Best-first search on group counts over the converged (cut) LP, for the
 * bound only: a node's LP is column generation with its count rows'
 * bounds; a node whose LP reaches inc (the best plan) or needs a slack is
 * closed; one with integral counts everywhere stays open at its LP. The
 * bound is the smallest open one (or inc when none is left). At most
 * max_nodes nodes, CG_BR_ROUNDS pricing rounds each, and the clock. */
static double cg_branch(tt_cg *g, cg_cand *cand, double root, double inc, int max_nodes, int *solved)
{
	const tt_prep *pp = g->pp;
	*solved = 0;
	if (root >= inc - 1e-6 || !isfinite(inc))
		return root;
	cg_brow_alloc(g);
	int ntypes = 1;
	for (int c = 0; c < pp->n_cells; c++)
		ntypes = pp->cells[c].type + 1 > ntypes ? pp->cells[c].type + 1 : ntypes;
	size_t nkey = (size_t)pp->n_cells + (size_t)(ntypes + TT_N_ROUTES) * (size_t)(g->nl + 1) + 1;
	double *acc = xcalloc(nkey, sizeof *acc);
	int *touched = xmalloc(nkey * sizeof *touched);
	int *lo = xmalloc(CG_BR_ROWS * sizeof *lo), *hi = xmalloc(CG_BR_ROWS * sizeof *hi);
	int cap = 64, nopen = 1;
	cg_node *open = xmalloc((size_t)cap * sizeof *open);
	open[0] = (cg_node){.bound = root};
	double stuck = HUGE_VAL, pen = 10 * fabs(inc) + 1e4;
	double keep_stop = g->res->stop_at;
	g->res->stop_at = 0;
	g->branching = true;
	while (nopen > 0 && *solved < max_nodes && !lp_should_stop(g->ctl)) {
		int at = 0;
		for (int q = 1; q < nopen; q++)
			if (open[q].bound < open[at].bound)
				at = q;
		if (open[at].bound >= stuck || open[at].bound >= inc - 1e-6)
			break; /* the bound cannot rise further */
		cg_node nd = open[at];
		cg_node_apply(g, &nd, lo, hi);
		if (cg_generate(g, cand, CG_BR_ROUNDS) != 1)
			break; /* not solved (clock or rounds): the node stays open */
		open[at] = open[--nopen];
		++*solved;
		/* with the slacks the LP is a relaxation of the node's: its value
		 * is a bound there (and past inc when the node is infeasible) */
		double v = glp_get_obj_val(g->P) + g->konst;
		if (v >= inc - 1e-6)
			continue;
		cg_harvest(g, v);
		v = v > nd.bound ? v : nd.bound;
		int kind = 0, key = 0, b = -1;
		double val = 0;
		if (nd.n < CG_BR_DEPTH && cg_branch_pick(g, acc, touched, &kind, &key, &val))
			b = cg_brow_get(g, kind, key, pen);
		if (b < 0) {
			stuck = v < stuck ? v : stuck;
			continue;
		}
		if (nopen + 2 > cap)
			open = xrealloc(open, (size_t)(cap *= 2) * sizeof *open);
		for (int side = 0; side < 2; side++) {
			cg_node ch = nd;
			ch.bound = v;
			ch.b[ch.n] = b;
			ch.lo[ch.n] = side ? (int)ceil(val) : -1;
			ch.hi[ch.n] = side ? INT_MAX : (int)floor(val);
			ch.n++;
			open[nopen++] = ch;
		}
	}
	double bound = inc < stuck ? inc : stuck;
	for (int q = 0; q < nopen; q++)
		bound = open[q].bound < bound ? open[q].bound : bound;
	g->branching = false;
	g->res->stop_at = keep_stop;
	if (g->ctl->log) {
		char msg[160];
		snprintf(msg, sizeof msg,
			 "column generation branching: %d nodes, %d open, %d count rows, bound %.1f%s",
			 *solved, nopen, g->n_brow, bound,
			 isfinite(stuck) ? " (a node with integral counts caps it)" : "");
		g->ctl->log(g->ctl->log_ud, 0, msg);
	}
	free(open);
	free(lo);
	free(hi);
	free(acc);
	free(touched);
	return bound;
}

static int cg_run(void *arg)
{
	tt_cg *g = arg;
	const tt_prep *pp = g->pp;
	cg_build_rows(g);
	size_t nr = (size_t)g->nrows + 2;
	g->acc = xcalloc(nr, sizeof *g->acc);
	g->act = xcalloc(nr, sizeof *g->act);
	g->touched = xmalloc(nr * sizeof *g->touched);
	g->cuts_on = g->ncl == 0 && !g->out && !g->res->no_cuts;
	if (g->cuts_on) {
		g->cuts = xcalloc(CG_CUT_MAX, sizeof *g->cuts);
		g->cylp = xcalloc(CG_CUT_MAX, sizeof *g->cylp);
		g->cybest = xcalloc(CG_CUT_MAX, sizeof *g->cybest);
		g->cysep = xcalloc(CG_CUT_MAX, sizeof *g->cysep);
		g->cacc = xcalloc(CG_CUT_MAX, sizeof *g->cacc);
		g->ctouch = xmalloc(CG_CUT_MAX * sizeof *g->ctouch);
		g->cy = g->cylp;
		int nh = pp->m->n_households > 0 ? pp->m->n_households : 0;
		g->hhead = xmalloc(((size_t)nh + 1) * sizeof *g->hhead);
		g->phead = xmalloc(((size_t)pp->m->n_childcare + 1) * sizeof *g->phead);
		for (int h = 0; h <= nh; h++)
			g->hhead[h] = -1;
		for (int q = 0; q <= pp->m->n_childcare; q++)
			g->phead[q] = -1;
	}
	nr += CG_CUT_MAX; /* gind, gval: a column's rows and cuts */
	g->gind = xmalloc(nr * sizeof *g->gind);
	g->gval = xmalloc(nr * sizeof *g->gval);
	g->y = xcalloc(nr, sizeof *g->y);
	g->ybest = xcalloc(nr, sizeof *g->ybest);
	g->ysep = xcalloc(nr, sizeof *g->ysep);
	g->lrhs = xcalloc(nr, sizeof *g->lrhs);
	cg_pricing_init(g);
	cg_cand *cand = xmalloc((size_t)(pp->n_cells ? pp->n_cells : 1) * sizeof *cand);
	bool saved = g->ctl->primal;
	g->ctl->primal = true;
	if (g->ncl > 0) {
		cg_clusters_run(g, cand);
	} else {
		g->cur = -1;
		cg_master_begin(g);
		double dl = g->ctl->deadline, t_begin = lp_now();
		if (g->out)
			g->ctl->deadline = g->bound_deadline;
		cg_generate(g, cand, g->res->max_rounds > 0 ? g->res->max_rounds : 1 << 30);
		g->ctl->deadline = dl;
		g->res->conv_seconds = lp_now() - t_begin;
		if (g->res->keep && g->res->converged)
			cg_pool_keep(g, g->res->keep);
		/* the careful dive (one fraction a step) needs the LP converged
		 * and, on the clock, CG_DIVE_CAREFUL times what convergence took */
		bool careful = g->res->converged &&
			       (g->res->max_rounds > 0 ||
				dl - lp_now() >= CG_DIVE_CAREFUL * g->res->conv_seconds);
		if (g->out && g->res->rounds > 0 && !lp_should_stop(g->ctl))
			cg_dive(g, cand, careful);
		/* cuts once the LP converged (bound only: the dive's plans were
		 * better from the LP without them) */
		int left = g->res->max_rounds > 0 ? g->res->max_rounds - g->res->rounds : 1 << 30;
		if (g->cuts_on && g->res->converged && left > 0 && !lp_should_stop(g->ctl)) {
			g->cutting = true;
			int r = cg_generate(g, cand, left);
			g->cutting = false;
			g->res->cuts = g->n_cuts;
			if (r == 1)
				r = cg_set_cuts(g, cand, left);
			/* then branching on group counts, when it can pay */
			if (r == 1 && g->res->stop_at > 0 && !g->res->no_branch) {
				int solved = 0;
				/* with a node_limit, at most that many nodes here too */
				long cap = g->res->max_rounds > 0 ? CG_BR_NODES / 10 : CG_BR_NODES;
				if (g->ctl->node_limit > 0 && g->ctl->node_limit < cap)
					cap = g->ctl->node_limit;
				double b = cg_branch(g, cand, g->res->lp, g->res->stop_at, (int)cap, &solved);
				g->res->nodes = solved;
				if (b > g->res->bound)
					g->res->bound = b;
			}
		}
		g->res->cols = g->n_groups;
	}
	g->ctl->primal = saved;
	free(cand);
	if (g->P)
		glp_delete_prob(g->P);
	g->P = NULL;
	return 0;
}

/* Locations grouped into clusters of at most `target` options (learners
 * reaching both, and teachers, tie locations; the heaviest ties merge
 * first); every learner joins the cluster where the start plan places
 * them, else where most of their options are; every teacher where the
 * start plan uses them, else where most of their locations are. */
static void cg_make_clusters(tt_cg *g, int target)
{
	const tt_prep *pp = g->pp;
	const tt_model *m = pp->m;
	int nl = m->n_locations;
	if (nl <= 1 || nl > 64 || target <= 0)
		return;
	int *size = xcalloc((size_t)nl, sizeof *size);
	int *w = xcalloc((size_t)nl * (size_t)nl, sizeof *w);
	uint64_t *lset = xcalloc((size_t)m->n_learners + 1, sizeof *lset);
	for (int i = 0; i < m->n_learners; i++) {
		for (int o = pp->opt_start[i]; o < pp->opt_start[i + 1]; o++) {
			int l = cg_asg_loc(pp, pp->opts[o].cell);
			if (l >= 0 && l < 64) {
				lset[i] |= 1ULL << l;
				size[l]++;
			}
		}
	}
	for (int pass = 0; pass < 2; pass++) {
		int n = pass ? m->n_teachers : m->n_learners;
		for (int i = 0; i < n; i++) {
			uint64_t s = pass ? m->teachers[i].locations : lset[i];
			for (int a = 0; a < nl && a < 64; a++)
				for (int b = a + 1; b < nl && b < 64 && (s >> a & 1); b++)
					if (s >> b & 1)
						w[a * nl + b]++;
		}
	}
	/* union the heaviest ties first while the sizes allow */
	int *par = xmalloc((size_t)nl * sizeof *par);
	for (int l = 0; l < nl; l++)
		par[l] = l;
	for (;;) {
		int ba = -1, bb = -1, bw = 0;
		for (int a = 0; a < nl; a++)
			for (int b = a + 1; b < nl; b++) {
				int ra = a, rb = b;
				while (par[ra] != ra)
					ra = par[ra];
				while (par[rb] != rb)
					rb = par[rb];
				if (ra == rb || size[ra] + size[rb] > target || w[a * nl + b] <= bw)
					continue;
				bw = w[a * nl + b], ba = ra, bb = rb;
			}
		if (ba < 0)
			break;
		if (bb < ba) {
			int t = ba;
			ba = bb;
			bb = t;
		}
		par[bb] = ba;
		size[ba] += size[bb];
	}
	g->loc_cl = xmalloc((size_t)nl * sizeof *g->loc_cl);
	int ncl = 0;
	for (int l = 0; l < nl; l++) {
		int r = l;
		while (par[r] != r)
			r = par[r];
		g->loc_cl[l] = r == l ? ncl++ : g->loc_cl[r];
	}
	g->ncl = ncl > 1 ? ncl : 0;
	g->lcl = xmalloc(((size_t)m->n_learners + 1) * sizeof *g->lcl);
	g->tcl = xmalloc(((size_t)m->n_teachers + 1) * sizeof *g->tcl);
	int *cnt = xcalloc((size_t)ncl + 1, sizeof *cnt);
	for (int i = 0; i < m->n_learners; i++) {
		int home = -1, a = g->start ? g->start->asg[i] : -1;
		if (a != -1)
			home = g->loc_cl[cg_asg_loc(pp, a)];
		memset(cnt, 0, (size_t)ncl * sizeof *cnt);
		for (int o = pp->opt_start[i]; o < pp->opt_start[i + 1] && a == -1; o++) {
			int k = g->loc_cl[cg_asg_loc(pp, pp->opts[o].cell)];
			cnt[k]++;
			if (home < 0 || cnt[k] > cnt[home])
				home = k;
		}
		g->lcl[i] = home;
	}
	for (int h = 0; h < m->n_teachers; h++) {
		int home = -1;
		for (int q = 0; g->start && q < g->start->n_groups && home < 0; q++)
			if (g->start->g[q].teacher == h)
				home = g->loc_cl[pp->cells[g->start->g[q].cell].loc];
		bool placed = home >= 0;
		memset(cnt, 0, (size_t)ncl * sizeof *cnt);
		for (int l = 0; l < nl && !placed; l++)
			if (m->teachers[h].locations >> l & 1) {
				int k = g->loc_cl[l];
				cnt[k]++;
				if (home < 0 || cnt[k] > cnt[home])
					home = k;
			}
		g->tcl[h] = home;
	}
	free(cnt);
	free(par);
	free(lset);
	free(w);
	free(size);
}

static void cg_free(tt_cg *g)
{
	free(g->lrow);
	free(g->room_row);
	free(g->teach_row);
	free(g->tweek_row);
	free(g->tday_row);
	free(g->croom_start);
	free(g->crooms);
	free(g->cteach_start);
	free(g->cteach);
	free(g->rprice);
	free(g->rarg);
	free(g->rraw);
	free(g->tdual_buf);
	free(g->rdual_buf);
	free(g->lfam);
	free(g->lprice_buf);
	free(g->cc_row);
	free(g->hh_row);
	free(g->run_row);
	free(g->rhs);
	free(g->y);
	free(g->ybest);
	free(g->ysep);
	free(g->vglp);
	free(g->veq);
	free(g->crow);
	free(g->cval);
	free(g->act);
	free(g->cols);
	free(g->pool);
	free(g->hset);
	free(g->dv);
	free(g->hh_seen);
	free(g->brow_kind);
	free(g->brow_key);
	free(g->brow_row);
	free(g->brow_y);
	free(g->cell_adj);
	for (int q = 0; q < g->n_sets; q++)
		free(g->set_cells[q]);
	free(g->set_cells);
	free(g->set_rhs);
	free(g->cuts);
	free(g->cylp);
	free(g->cybest);
	free(g->cysep);
	free(g->cacc);
	free(g->ctouch);
	free(g->hhead);
	free(g->phead);
	free(g->knap);
	free(g->acc);
	free(g->touched);
	free(g->gind);
	free(g->gval);
	free(g->taken);
	free(g->fix_act);
	free(g->loc_cl);
	free(g->lcl);
	free(g->tcl);
	free(g->lrhs);
	free(g->ycomb);
}

int tt_colgen(const tt_prep *pp, lp_ctl *ctl, const tt_plan *start, double bound_deadline,
	      tt_plan *out, tt_cg_result *res)
{
	tt_cg_result in = *res;
	memset(res, 0, sizeof *res);
	res->stop_at = in.stop_at;
	res->max_rounds = in.max_rounds;
	res->max_dive_steps = in.max_dive_steps;
	res->cluster_opts = in.cluster_opts;
	res->no_cuts = in.no_cuts;
	res->no_branch = in.no_branch;
	res->harvest = in.harvest;
	res->check_at = in.check_at;
	res->check_gap = in.check_gap;
	res->on_check = in.on_check;
	res->check_ud = in.check_ud;
	res->keep = in.keep;
	res->warm = in.warm;
	res->dive_seed = in.dive_seed;
	res->bound = -HUGE_VAL;
	tt_cg g = {.pp = pp, .ctl = ctl, .start = start, .res = res, .nd = pp->nd,
		   .nl = pp->m->n_locations,
		   .hard = !pp->m->room_capacity_soft && !(pp->relax & TT_F_ROOMCAP),
		   .teach = !(pp->relax & TT_F_TEACHER), .out = out,
		   .bound_deadline = bound_deadline, .cur = -1, .cur_cell = -1};
	if (out)
		tt_plan_init(out, pp->m->n_learners);
	cg_make_clusters(&g, in.cluster_opts);
	res->clusters = g.ncl;
	int rc = lp_guarded(ctl, cg_run, &g);
	bool dived = g.taken != NULL;
	cg_free(&g);
	if (out)
		res->has_plan = rc == 0 && dived;
	return rc;
}

/* ---- subgradient optimisation of the same bound, without an LP ---- */

typedef struct lg_run {
	tt_cg *g;
	const _Atomic double *ub;
	long max_iter;
	double best;
	long iters;
} lg_run;

/* The resource rows' subgradient entries are scaled by this (so are their
 * steps): a group's teacher, room and family rows move together with its
 * members', and at full weight they dominated the step (tt_lagrange alone,
 * 1.0 against 0.5: den-haag 10 s 153 790 / 155 466, eindhoven 2 s 91 091 /
 * 91 388, region-2000 15 s 430 284 / 445 221, region 30 s 1 174 133 /
 * 1 217 279; 0.35 and 0.25 were not better everywhere). */
#define LG_RES_SCALE 0.5

/* A short run on the clock steps at theta = LG_WARM_THETA for its first
 * LG_WARM_ITERS iterations instead of 1. Started from the greedy plan's
 * cost, full Polyak steps overshoot (region: ub 2 163 199, per-learner
 * bound 938 321): with theta = 1 the bound stays flat for ~200 iterations
 * (den-haag, region-2000, region alike), then climbs fast once theta has
 * been halved. Region prices a cell pass in ~50 ms, so at 10 s the run
 * ends inside that flat start: 938 321 after 159 iterations in 8 s, with
 * the small steps 1 031 449 after 323 (they also price faster: more cells
 * stop at the pricing screen). Where the run has time for more, the small
 * steps lose (600 iterations from the greedy's cost: den-haag 147 317 ->
 * 135 631, region-2000 420 111 -> 384 919; region 45 s 1 232 998 ->
 * 1 229 944), so they are taken only when, by the first iteration's time,
 * fewer than LG_WARM_BELOW iterations fit before the deadline. Only on
 * the clock (max_iter > LG_WARM_CLOCK): a work-limited run keeps theta = 1
 * and its answer does not depend on the machine. */
#define LG_WARM_THETA 0.1
#define LG_WARM_ITERS 300
#define LG_WARM_BELOW 400
#define LG_WARM_CLOCK 1000

/* When theta falls below 1e-3 (100 iterations without a better bound, ten
 * times over) the ascent restarts from the best multipliers so far at
 * theta = LG_RESTART_THETA, at most LG_RESTARTS times. Before, the run
 * ended there and left its core idle: region-2000 stopped after ~2 700
 * iterations (~29 s) at 446 150; with restarts its 50 s gave 446 952 (at
 * theta 1: 447 646, 0.25: 446 668), den-haag's 8 s 155 578 -> 155 731
 * (theta 1: 155 584). Only runs of more than ~1 000 iterations get there,
 * so work-limited runs (at most 600) are unchanged. */
#define LG_RESTARTS 10
#define LG_RESTART_THETA 0.5

/* Row activity of mult copies of a group of cell c with teacher h, room r
 * and members g->dv[0 .. s), added to act[]; each member's subgradient
 * entry loses mult. */
static void lg_group_act(tt_cg *g, int c, int h, int r, int s, double mult, double *act,
			 double *sg)
{
	const tt_prep *pp = g->pp;
	const tt_cell *ce = &pp->cells[c];
	int nd = g->nd;
	if (h >= 0 && g->teach) {
		act[g->tweek_row[h]] += mult * ce->load;
		for (int t = 0; t < nd; t++)
			if (ce->mask >> t & 1) {
				act[g->teach_row[h * nd + t]] += mult;
				int d = pp->m->dagdelen[t].day;
				if (d >= 0 && d < 7)
					act[g->tday_row[h * 7 + d]] += mult;
			}
	}
	if (r >= 0)
		for (int t = 0; t < nd; t++)
			if (ce->mask >> t & 1)
				act[g->room_row[r * nd + t]] += mult;
	for (int q = 0; q < s; q++) {
		int i = g->dv[q].i;
		sg[i] -= mult;
		const tt_learner *l = &pp->m->learners[i];
		bool kids = tt_needs_care(pp, i), apart = tt_kept_apart(pp, i);
		for (int t = 0; t < nd && (kids || apart); t++) {
			if (!(ce->mask >> t & 1))
				continue;
			if (kids)
				act[g->cc_row[l->childcare * nd + t]] += mult * l->young_children;
			if (apart)
				act[g->hh_row[l->household * nd + t]] += mult;
		}
	}
}

/* Subgradient steps on every row's multiplier: the learner rows' (free)
 * and the resource rows' (childcare places, partners apart, rooms,
 * teachers, running-group seats; <= rows, so kept <= 0), Polyak steps
 * towards ub, at most max_iter iterations or ctl's deadline. The relaxed
 * problem's solution (the groups (a) or (b) open, the wait and join
 * columns it takes) gives the subgradient: 1 - placements per learner,
 * rhs - activity per resource row, projected where a multiplier is 0 and
 * its row is slack. Returns the best bound found. */
static double lg_iterate(tt_cg *g, const _Atomic double *ubp, long max_iter, long *iters)
{
	const tt_prep *pp = g->pp;
	const tt_model *m = pp->m;
	int n = m->n_learners;
	cg_cand *rcs = xmalloc((size_t)(pp->n_cells ? pp->n_cells : 1) * sizeof *rcs);
	double *sg = xcalloc((size_t)n + 1, sizeof *sg);
	double *act = xcalloc((size_t)g->nrows + 1, sizeof *act);
	double theta = 1.0, best = -HUGE_VAL, t_first = lp_now();
	int since = 0;
	long warm_end = 0;
	int restarts = 0;
	double *ybest = xmalloc(((size_t)g->nrows + 1) * sizeof *ybest); /* the multipliers at best */
	for (*iters = 0; *iters < max_iter && !lp_should_stop(g->ctl);) {
		if (++*iters == warm_end) {
			theta = 1.0;
			since = 0;
		}
		memset(act, 0, ((size_t)g->nrows + 1) * sizeof *act);
		double L = g->konst;
		for (int v = 1; v <= g->nrows; v++)
			if (!g->veq[v])
				L += g->rhs[v] * g->y[v];
		for (int i = 0; i < n; i++) {
			sg[i] = 0;
			if (!g->lrow[i])
				continue;
			int used;
			L += g->y[g->lrow[i]] + cg_wait_join(g, i, &used);
			sg[i] = 1 - used;
			if (!used)
				continue;
			/* the join columns taken: their seats and member rows */
			for (int o = pp->opt_start[i]; o < pp->opt_start[i + 1]; o++) {
				int c = pp->opts[o].cell;
				if (c > -2)
					continue;
				tt_mask ms = m->running[-2 - c].sessions;
				double rc = pp->opts[o].cost + cg_member_price(g, i, ms) -
					    g->y[g->run_row[-2 - c]];
				if (rc >= 0)
					continue;
				act[g->run_row[-2 - c]] += 1;
				const tt_learner *l = &m->learners[i];
				for (int t = 0; t < g->nd; t++) {
					if (!(ms >> t & 1))
						continue;
					if (tt_needs_care(pp, i))
						act[g->cc_row[l->childcare * g->nd + t]] += l->young_children;
					if (tt_kept_apart(pp, i))
						act[g->hh_row[l->household * g->nd + t]] += 1;
				}
			}
		}
		int nk;
		bool seats_win;
		L += cg_price_cells(g, rcs, &nk, &seats_win);
		/* the subgradient: the groups the relaxed problem opens */
		if (seats_win) {
			for (int k = 0; k < nk; k++) {
				const cg_knap *it = &g->knap[k];
				if (it->seats <= 0)
					continue;
				cg_cand cc;
				cg_price_cell(g, it->cell, &cc);
				lg_group_act(g, it->cell, cc.teacher, cc.room, it->rs, it->seats / it->rs, act,
					     sg);
			}
		} else {
			for (int c = 0; c < pp->n_cells; c++) {
				if (rcs[c].rc >= 0)
					continue;
				cg_cand cc;
				cg_price_cell(g, c, &cc);
				lg_group_act(g, c, cc.teacher, cc.room, cc.s, cg_kappa(&pp->cells[c]), act, sg);
			}
		}
		if (isinf(best) || L > best + 1e-9 * (1 + fabs(best))) {
			best = L;
			since = 0;
			memcpy(ybest, g->y, ((size_t)g->nrows + 1) * sizeof *ybest);
		} else if (++since >= 100) {
			theta /= 2;
			since = 0;
			if (theta < 1e-3) {
				if (++restarts > LG_RESTARTS)
					break;
				memcpy(g->y, ybest, ((size_t)g->nrows + 1) * sizeof *ybest);
				theta = LG_RESTART_THETA;
				warm_end = 0;
			}
		}
		double norm = 0;
		for (int i = 0; i < n; i++)
			norm += sg[i] * sg[i];
		for (int v = 1; v <= g->nrows; v++) {
			if (g->veq[v])
				continue;
			act[v] = LG_RES_SCALE * (g->rhs[v] - act[v]);
			if (g->y[v] >= 0 && act[v] > 0)
				act[v] = 0;
			norm += act[v] * act[v];
		}
		if (*iters == 1 && max_iter > LG_WARM_CLOCK) {
			double tau = lp_now() - t_first;
			if (tau > 0 && g->ctl->deadline - lp_now() < LG_WARM_BELOW * tau) {
				theta = LG_WARM_THETA;
				warm_end = LG_WARM_ITERS;
			}
		}
		double ub = atomic_load_explicit(ubp, memory_order_relaxed);
		if (norm < 1e-12 || ub - L <= 0 || !isfinite(L))
			break;
		double step = theta * (ub - L) / norm;
		for (int i = 0; i < n; i++)
			if (g->lrow[i])
				g->y[g->lrow[i]] += step * sg[i];
		for (int v = 1; v <= g->nrows; v++)
			if (!g->veq[v] && act[v] != 0) {
				double y = g->y[v] + step * act[v];
				g->y[v] = y < 0 ? y : 0;
			}
	}
	free(rcs);
	free(sg);
	free(act);
	free(ybest);
	return best;
}

static int lg_solve(void *arg)
{
	lg_run *lr = arg;
	tt_cg *g = lr->g;
	const tt_prep *pp = g->pp;
	cg_build_rows(g);
	g->y = xcalloc((size_t)g->nrows + 2, sizeof *g->y);
	cg_pricing_init(g);
	for (int i = 0; i < pp->m->n_learners; i++)
		if (g->lrow[i])
			g->y[g->lrow[i]] = pp->lb[i];
	lr->best = lg_iterate(g, lr->ub, lr->max_iter, &lr->iters);
	return 0;
}

double tt_lagrange(const tt_prep *pp, lp_ctl *ctl, const _Atomic double *ub, long max_iter,
		   long *iters)
{
	tt_cg_result res = {0};
	tt_cg g = {.pp = pp, .ctl = ctl, .res = &res, .nd = pp->nd, .nl = pp->m->n_locations,
		   .hard = !pp->m->room_capacity_soft && !(pp->relax & TT_F_ROOMCAP),
		   .teach = !(pp->relax & TT_F_TEACHER), .cur = -1, .cur_cell = -1};
	lg_run lr = {.g = &g, .ub = ub, .max_iter = max_iter, .best = -HUGE_VAL};
	lg_solve(&lr);
	cg_free(&g);
	if (iters)
		*iters = lr.iters;
	return lr.best;
}
