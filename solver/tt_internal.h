/* tt_internal.h: state shared by the timetable solver's files (tt_prep.c,
 * tt_greedy.c, tt_stage1.c, tt_stage2.c, tt_plan.c, tt_solve.c). Not a
 * public API: everything here is owned by one tt_solve() call.
 *
 * Vocabulary: a *type* is route x level x alfa x women-only; a *pattern* is a
 * set of `sessions` dagdelen of one route; a *cell* is (type, pattern,
 * location): groups in one cell are interchangeable for the objective. A
 * learner's *options* are the cells (and running groups) they may be placed
 * in, each with its exact per-learner cost. */
#ifndef TT_INTERNAL_H
#define TT_INTERNAL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "lp.h"
#include "tt_model.h"
#include "tt_solve.h"

/* Constraint families (for the infeasibility explanation): a set bit relaxes it.
 * tt_prep_build switches off all but the last two, which tt_feasible
 * switches off in a copy of the model. */
enum tt_family {
	TT_F_AVAIL = 1 << 0,
	TT_F_CHILDCARE = 1 << 1,
	TT_F_SCHOOL = 1 << 2,
	TT_F_HOUSEHOLD = 1 << 3,
	TT_F_ROOMCAP = 1 << 4,
	TT_F_TEACHER = 1 << 5,
	TT_F_GROUPSIZE = 1 << 6,
	TT_F_TRAVEL = 1 << 7,
	TT_F_FACILITY = 1 << 8,
	TT_F_LEVEL = 1 << 9,     /* level spread: any lower group level */
	TT_F_ALFA = 1 << 10,     /* alfa separation: mixed groups allowed */
	TT_F_WOMEN = 1 << 11,    /* women-only wishes: mixed groups allowed */
	TT_F_SAMEDAY = 1 << 12,  /* sessions of a group may share a day */
	TT_F_ROOMAVAIL = 1 << 13, /* rooms available on every dagdeel */
	TT_F_CLOSED = 1 << 14,   /* locations never closed */
	TT_F_HOURS = 1 << 15,    /* routes' hours a week not bounded */
	TT_F_JOIN = 1 << 16,     /* running groups joinable at any age, seats
				  * up to the route maximum and the room */
	TT_N_FAMILIES = 17,
};
const char *tt_family_name(int bit_index);

#define TT_N_TYPES (TT_N_ROUTES * (TT_MAX_LEVEL + 1) * 2 * 2)
#define TT_MAX_SIGS (1 << TT_MAX_NEED_SETS) /* room signatures over the need sets */
#define TT_MUST_WEIGHT 1e7 /* the least wait weight standing in for "must be placed" */

typedef struct tt_cell {
	int type, route, level, alfa, wo, pat, loc;
	int pace; /* the group's pace (1, average, while the pace weight is 0) */
	tt_mask mask;
	int sessions, quals;
	uint32_t needs; /* facilities its room must have (route's and need set's) */
	int load;       /* teacher load units of the pattern (tt_load_unit) */
	double gcost;   /* group + spread * consecutive-day pairs */
	int minsz;      /* minimum group size (1 when group_size relaxed) */
	int maxsz;      /* route max, capped by the largest usable room (hard) */
	int nmax;       /* rooms usable for the whole pattern: upper bound on groups */
	bool alive;     /* enough learners and resources to open a group */
	int n_elig;
	int *elig;      /* learners with an option here */
	double *ecost;  /* their option costs */
} tt_cell;

typedef struct tt_opt {
	int cell; /* cell index, or -2 - r for running group r */
	double cost;
} tt_opt;

typedef struct tt_prep {
	const tt_model *m;
	int relax; /* enum tt_family bits relaxed */
	int nd;    /* dagdelen */
	int *dload; /* teacher load units of each dagdeel */
	int dload_min; /* the shortest dagdeel's */
	double *u; /* wait weight per learner (must_w when must_place), the
		    * moved weight included */
	int *start_first; /* with a moved weight and a start: tt_start_first */
	/* with a start: per cell c the new start groups of its dagdelen and
	 * location, pref_q[pref_off[c] .. pref_off[c + 1]), best match of the
	 * group's stated route, level, pace, alfa and women-only first; the
	 * staffing heuristics take their rooms and teachers when free and
	 * fitting (tt_start_room, tt_start_teacher_rank; NULL without a start) */
	int *pref_off, *pref_q;
	double cost_cap; /* tt_prep_cost_cap, fixed once the options are */
	double must_w;   /* a must-place learner's: max(TT_MUST_WEIGHT, twice
			  * cost_cap) */
	int *u_order; /* learners by u, highest first, ties by index */
	/* the distinct sets of learners' room_needs (need_set[0] = none; only
	 * that one when the facility family is relaxed) */
	int n_needs;
	uint32_t need_set[TT_MAX_NEED_SETS];
	/* room signatures: bit j of a room's is set when the room has need set
	 * j (bit 0 always). A cell of signature k takes the rooms whose
	 * signature contains sig[k] (sig_needs[k]: the facilities that takes)
	 * and the learners whose set is in sig[k]. The signatures are those of
	 * the rooms, so a group in any room has an exact cell. A cell's type is
	 * base + TT_N_TYPES * (3 k + pace). */
	int n_sig;
	unsigned sig[TT_MAX_SIGS];
	uint32_t sig_needs[TT_MAX_SIGS];
	int n_pat[TT_N_ROUTES];
	bool pat_truncated; /* a route's patterns hit a search cap: options may
			     * be missing, so neither a bound nor infeasibility
			     * can be claimed */
	tt_mask *pat[TT_N_ROUTES];
	int n_cells, cap_cells;
	tt_cell *cells;
	uint64_t *hkey; /* open addressing: key+1, 0 empty */
	int *hval;
	int hcap;
	int *opt_start; /* [n_learners + 1] */
	tt_opt *opts;
	int n_opts;
	bool *hh_apart;     /* [n_households] */
	tt_mask *hh_running; /* [n_households] dagdelen a member attends a running group */
	double *lb;         /* per-learner combinatorial bound */
	/* rooms at, and teachers reaching, each location (ascending indices):
	 * lroom[lroom_start[l] .. lroom_start[l + 1]), likewise lteach */
	int *lroom_start, *lroom;
	int *lteach_start, *lteach;
	/* compact copies for the local search's filters: per cell its minimum
	 * size when alive, INT_MAX when not; per learner whether an option
	 * joins a running group */
	int *cell_min;
	bool *has_join;
	int *join_order, n_join; /* the learners with has_join, in u_order's order */
	/* per alive cell, the teachers whose qualifications, availability,
	 * locations and contract allow its group at all (lteach's order):
	 * cteach[cteach_start[c] .. cteach_start[c + 1]) */
	int *cteach_start, *cteach;
	/* the blocks the cells' elig and ecost lists live in */
	int *elig_pool;
	double *ecost_pool;
} tt_prep;

/* Learner i must be placed (its wait weight is pp->must_w). */
static inline bool tt_must(const tt_prep *pp, int i)
{
	return pp->m->learners[i].must_place;
}

/* Resource usage, for building concrete plans. */
typedef struct tt_res {
	int nd, nr, nt, nc, nh, nrun;
	tt_mask *room_busy;
	tt_mask *teach_busy;
	int *teach_load;
	int *teach_day; /* [nt * 7] */
	int *cc_used;   /* [nc * nd] places used */
	tt_mask *hh_busy;
	int *run_free;  /* seats left in running groups (0 when not joinable) */
} tt_res;

typedef struct tt_pgroup {
	int cell, room, teacher;
} tt_pgroup;

typedef struct tt_plan {
	int n_learners;
	int *asg; /* cell, -2 - r for running r, -1 unplaced */
	int n_groups, cap_groups;
	tt_pgroup *g;
	double cost; /* objective of the plan as evaluated */
} tt_plan;

/* tt_prep.c */
int tt_prep_build(tt_prep *pp, const tt_model *m, int relax);
void tt_prep_free(tt_prep *pp);
double tt_prep_bound(const tt_prep *pp); /* sum of per-learner bounds */
/* At least the cost of any plan that places every must-place learner: each
 * learner's wait weight (others) plus its costliest option, the costliest
 * group (a group has a member) and a seat over the room, and the seats
 * running groups are over their rooms already. A bound above it proves
 * that no such plan exists. Computed once, by tt_prep_build. */
double tt_prep_cost_cap(const tt_prep *pp);
/* Fractional knapsacks over weekly teacher and room dagdelen (see docs/solver.md). */
double tt_prep_resource_bound(const tt_prep *pp);
int tt_spread_pairs(const tt_model *m, tt_mask mask);
bool tt_room_fits(const tt_prep *pp, const tt_res *r, int room, const tt_cell *c);
bool tt_teacher_fits(const tt_prep *pp, const tt_res *r, int t, const tt_cell *c);
/* The part of tt_teacher_fits that depends on r (for a teacher in c's cteach). */
bool tt_teacher_free(const tt_prep *pp, const tt_res *r, int t, const tt_cell *c);
bool tt_learner_free(const tt_prep *pp, const tt_res *r, int i, tt_mask mask);
/* Learner i needs childcare places (young children, a provider, the rule
 * on); learner i's household keeps its partners apart (the rule on). Inline:
 * pricing asks per member. */
static inline bool tt_needs_care(const tt_prep *pp, int i)
{
	const tt_learner *l = &pp->m->learners[i];
	return l->young_children > 0 && l->childcare >= 0 && !(pp->relax & TT_F_CHILDCARE);
}

static inline bool tt_kept_apart(const tt_prep *pp, int i)
{
	const tt_learner *l = &pp->m->learners[i];
	return !(pp->relax & TT_F_HOUSEHOLD) && l->household >= 0 && l->household < pp->m->n_households &&
	       pp->hh_apart[l->household];
}
/* Teacher load units of the dagdelen in mask (tt_mask_load from pp->dload). */
static inline int tt_load_of(const tt_prep *pp, tt_mask mask)
{
	int load = 0;
	for (; mask; mask &= mask - 1)
		load += pp->dload[__builtin_ctz(mask)];
	return load;
}
int tt_run_seats(const tt_model *m, int r, bool hard);
/* Under soft room capacity, what the next joiner of running group r costs
 * besides its option (the seat penalty once the room is full); 0 otherwise. */
double tt_run_join_penalty(const tt_prep *pp, const tt_res *res, int r);

/* qsort_r order of learner indices by wait weight (arg: pp->u), highest
 * first, ties by index. */
int tt_cmp_u_desc(const void *a, const void *b, void *arg);

/* resources */
void tt_res_init(tt_res *r, const tt_prep *pp);
void tt_res_free(tt_res *r);
void tt_res_use_group(tt_res *r, const tt_prep *pp, const tt_cell *c, int room, int teacher);
void tt_res_use_learner(tt_res *r, const tt_prep *pp, int i, tt_mask mask);
/* The reverse of the two above, for a group or learner leaving a plan. */
void tt_res_drop_group(tt_res *r, const tt_prep *pp, const tt_cell *c, int room, int teacher);
void tt_res_drop_learner(tt_res *r, const tt_prep *pp, int i, tt_mask mask);
/* Adds what plan pl uses to r (fresh from tt_res_init): its groups' rooms and
 * teachers, its learners' childcare places and household dagdelen, the
 * running groups' seats its joiners take. */
void tt_res_of_plan(tt_res *r, const tt_prep *pp, const tt_plan *pl);
/* dst = src; both from tt_res_init on the same prep. */
void tt_res_copy(tt_res *dst, const tt_res *src);

/* plans */
void tt_plan_init(tt_plan *pl, int n_learners);
void tt_plan_free(tt_plan *pl);
void tt_plan_copy(tt_plan *dst, const tt_plan *src);
void tt_plan_add_group(tt_plan *pl, int cell, int room, int teacher);

/* tt_greedy.c: a feasible plan with concrete rooms and teachers. */
void tt_greedy(const tt_prep *pp, unsigned seed, tt_plan *out);
/* Extends a valid plan (every group staffed) with new groups, greedily; only
 * cells with cand[c] set (all when cand is NULL) are considered at first.
 * noise > 0 scales each cell's gain by a factor in [1 - noise, 1 + noise)
 * drawn from (cell, salt), so different salts give different plans. */
void tt_greedy_extend(const tt_prep *pp, tt_plan *pl, const bool *cand, uint64_t salt,
		      double noise);
/* The same with the cells listed in list[0 .. n_list) (any order). wcnt,
 * when not NULL, holds per cell how many of its eligible learners wait in
 * pl (a cell with fewer than its minimum size is skipped unexamined), and
 * is kept so as learners are placed; res likewise holds what pl uses
 * (tt_res_of_plan) and is kept so. */
void tt_greedy_extend_list(const tt_prep *pp, tt_plan *pl, const int *list, int n_list,
			   uint64_t salt, double noise, int *wcnt, tt_res *res);
/* Opens a group of cell c (staffed) with the learners waiting for it and,
 * when they are fewer than its minimum size, members of other cells'
 * groups that those groups can give up (each cell keeps its groups'
 * minimum): a group no recreate can open, since the greedy fills the
 * donors' cells first. Members by gain (wait weight less option cost for
 * the waiting, option cost saved for the others), as tt_eval_cell picks
 * them, every hard rule kept. Returns how many members came from other
 * cells (moved[], their old cells in from[]), or -1 when no such group
 * exists (the plan untouched). pl, res and wcnt as tt_greedy_extend_list. */
typedef struct tt_pull tt_pull;
tt_pull *tt_pull_new(const tt_prep *pp);
void tt_pull_free(tt_pull *ps);
int tt_pull_cell(tt_pull *ps, const tt_prep *pp, tt_plan *pl, tt_res *res, int *wcnt, int c,
		 int *moved, int *from);
/* Adds delta to wcnt[c] for every cell c among learner i's options. */
void tt_wait_count(const tt_prep *pp, int *wcnt, int i, int delta);

/* tt_start.c: the plan of the request's start, repaired to fit this
 * request (valid; groups whose room or teacher no longer fit are left for
 * stage 2 to staff); info says what was kept. */
void tt_start_plan(const tt_prep *pp, tt_plan *pl, tt_start_info *info);
/* How well cell c matches what start group g states about itself (0..5). */
int tt_start_match(const tt_cell *ce, const tt_start_group *g);
/* The room a start group of cell c had, free and fitting now and holding
 * need learners (the best-matching group's first); -1 when none. */
int tt_start_room(const tt_prep *pp, const tt_res *res, int c, int need);
/* Teacher t's rank among the start's teachers of cell c (0 = the
 * best-matching group's), -1 when none of them: a staffing key. */
int tt_start_teacher_rank(const tt_prep *pp, int c, int t);
/* The plan's groups staffed anew by stage 2, the start's rooms and
 * teachers first: the search may have left two groups in each other's
 * rooms, which no move of it undoes (the objective does not tell them
 * apart). *pl becomes that plan when stage 2 staffs every group and more
 * rooms and teachers are the start's than before (true), else it is left
 * as it was (false). */
bool tt_start_restaff(const tt_prep *pp, lp_ctl *ctl, tt_plan *pl);
/* After stage 2 on that plan: groups it could not staff count as dropped. */
void tt_start_staffed(const tt_prep *pp, const tt_plan *pl, tt_start_info *info);
/* The learners the start lists (known here) whom plan pl leaves waiting. */
int tt_start_left_out(const tt_prep *pp, const tt_plan *pl);

/* tt_lns.c: ruin and recreate on a valid plan (every group staffed). Runs
 * until max_iter iterations, `deadline` (lp_now() value) or cancel; *pl is
 * replaced by the best plan found, never a worse one. Returns iterations. */
double tt_plan_cost(const tt_prep *pp, const tt_plan *pl);
/* Learner i's option cost in cell (or -2 - running group) a. */
double tt_learner_cost(const tt_prep *pp, int i, int a);
long tt_lns(const tt_prep *pp, lp_ctl *ctl, unsigned seed, long max_iter, double deadline,
	    tt_plan *pl);
/* The same; full_fill offers free seats to every waiting learner after each
 * move instead of to those who may have gained one (the same plans: a test
 * compares them). */
long tt_lns_run(const tt_prep *pp, lp_ctl *ctl, unsigned seed, long max_iter, double deadline,
		tt_plan *pl, bool full_fill);

/* Stage 1 branches only on models up to this many columns; larger ones
 * solve the root LP (for the bound) and nothing more. */
#define TT_S1_SEARCH_COLS 20000

/* tt_stage1.c: the aggregated MIP over cells. Fills out (rooms and teachers
 * -1) when it found a plan; *bound gets a valid bound when *bound_valid.
 * complete_only: when the model would have to be restricted to a subset of
 * the cells, return at once (restricted set, no plan): such a MIP gives no
 * bound and its LP rarely finishes in time. */
typedef struct tt_s1_result {
	bool has_plan;
	bool infeasible;  /* proven infeasible (all cells included) */
	bool complete;    /* search complete */
	bool restricted;  /* only a subset of cells was in the MIP */
	bool bound_valid; /* bound is a lower bound of the whole problem */
	double obj, bound;
	int stop;         /* enum lp_stop */
} tt_s1_result;
int tt_stage1(const tt_prep *pp, lp_ctl *ctl, const tt_params *p, const tt_plan *start,
	      double t0, const int *forbid_n, bool feasibility_only, bool complete_only, tt_plan *out,
	      tt_s1_result *res);

/* tt_colgen.c: the column-generation bound (groups as columns; see the
 * file's comment). Stops at ctl's deadline, when no group prices out
 * (converged: bound = LP value) or once bound >= stop_at (when > 0).
 * bound is a valid lower bound of the whole objective whenever it is
 * finite. */
/* Group columns carried from one master to another of the same prep (a
 * warm start): col[k] is a group of its cell with its room, teacher (-1:
 * none) and members mem[first .. first + size). */
typedef struct tt_poolcol {
	int cell, room, teacher, first, size;
} tt_poolcol;
typedef struct tt_colpool {
	tt_poolcol *col;
	int n, cap;
	int *mem;
	int n_mem, cap_mem;
} tt_colpool;
void tt_colpool_free(tt_colpool *p);

typedef struct tt_cg_result {
	/* inputs */
	double stop_at;     /* stop bounding once the bound reaches it (> 0) */
	int max_rounds;     /* bounding rounds, 0 = until converged or the clock */
	int max_dive_steps; /* 0 = until the dive ends or the clock */
	int cluster_opts;   /* > 0: one master per cluster of locations with
			     * at most this many options (see tt_colgen.c) */
	bool no_cuts;       /* without out: no household and childcare cuts */
	bool no_branch;     /* without out: no branching on group counts */
	tt_plan *harvest;   /* without out: gets an integral node's plan (initialised) */
	double check_at;    /* > 0, one master with out, on the clock: from this
			     * time on the bound phase stops when its bound is
			     * still more than check_gap of the LP below it (it
			     * will not converge in time on this machine) */
	double check_gap;
	void (*on_check)(void *ud); /* called when the check stops the phase */
	void *check_ud;
	tt_colpool *keep;        /* one master with out: gets the LP's group
				  * columns when the bound phase ends */
	const tt_colpool *warm;  /* group columns the master starts with, besides
				  * the start plan's */
	unsigned dive_seed;      /* > 0: the dive fixes one of the CG_DIVE_PICK
				  * largest fractions, drawn with this seed,
				  * where it would fix the largest (restarts) */
	/* outputs */
	double bound, lp;
	int rounds, cols;
	int clusters, clusters_converged;
	int cuts;           /* household and childcare cuts in the LP */
	int set_cuts;       /* cell-set cuts in the LP */
	int nodes;          /* nodes of the count-row search solved */
	bool harvested;     /* harvest holds the cheapest integral node's groups */
	double harvest_lp;  /* its LP value */
	bool converged;
	bool has_plan; /* out holds the dive's plan (groups with room and teacher) */
	double conv_seconds; /* one master: the bound phase's seconds */
	bool checked_out;   /* the bound phase stopped at check_at */
	int dive_steps;     /* the dives' steps (every cluster's) */
	int dive_strict;    /* dives that went strict (see CG_DIVE_STALE) */
} tt_cg_result;
/* Without out, the bound only: once the LP converged, household and
 * childcare cuts are added (unless no_cuts) and it is solved again; then,
 * when stop_at (the best plan's cost) is above it, branching on group
 * counts raises the bound (unless no_branch) and the cheapest integral
 * node's groups go to harvest.
 * With out, the bounding phase ends at bound_deadline and, when it
 * converged, an LP dive (fix the groups the LP takes, generate columns for
 * the rest) builds a plan until ctl's deadline; out is always initialised
 * then (has_plan says whether it holds the dive's plan). */
int tt_colgen(const tt_prep *pp, lp_ctl *ctl, const tt_plan *start, double bound_deadline,
	      tt_plan *out, tt_cg_result *res);

/* Subgradient optimisation of the same Lagrangian bound without an LP (for
 * instances where column generation cannot converge in time): multipliers
 * on the learner rows and every resource row, Polyak steps towards *ub
 * (read at every step: another thread may lower it as plans improve), at
 * most max_iter iterations or ctl's deadline. Returns the best bound found
 * (valid), -HUGE_VAL if none. */
double tt_lagrange(const tt_prep *pp, lp_ctl *ctl, const _Atomic double *ub, long max_iter,
		   long *iters);

/* tt_stage2.c: rooms and teachers for every group without them; groups that
 * cannot be staffed are dropped (with as many learners as no longer fit). */
int tt_stage2(const tt_prep *pp, lp_ctl *ctl, tt_plan *pl, int *n_dropped);
/* Offers free seats of a staffed plan's groups and of running groups to
 * waiting learners, highest wait weight first, where that lowers the cost. */
void tt_plan_fill(const tt_prep *pp, tt_plan *pl, int *wcnt);
/* The same with res holding what pl uses (kept so) and seats[] and
 * extra[] scratch arrays of one int per cell, all 0 on entry and on return
 * (extra[] is used under soft room capacity only and may be NULL else). */
void tt_plan_fill_res(const tt_prep *pp, tt_plan *pl, int *wcnt, tt_res *res, int *seats,
		      int *extra);
/* The same for the learners who[0 .. n_who) only, in that order (u_order's):
 * when the plan was filled before and only these can have gained a seat,
 * it gives what tt_plan_fill_res gives (tt_lns.c). mark[] is a scratch
 * array of one byte per cell, all 0 on entry and on return, as seats[]
 * and extra[]. */
void tt_plan_fill_some(const tt_prep *pp, tt_plan *pl, int *wcnt, tt_res *res, int *seats,
		       int *extra, unsigned char *mark, const int *who, int n_who);

/* tt_plan.c: stage 3, the answer. */
void tt_plan_to_solution(const tt_prep *pp, const tt_plan *pl, tt_solution *out);
double tt_eval_solution(const tt_model *m, const tt_solution *s, tt_terms *terms);

#endif
