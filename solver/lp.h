/* lp.h: a small GLPK wrapper for the solver: errors come back as RS_ESOLVER
 * instead of aborting the process, terminal output goes to a log callback,
 * and every LP/MIP solve honours a wall-clock deadline, a cancel flag and a
 * node budget, and records the best proven bound and the node count.
 *
 * Usage: fill an lp_ctl, then run all GLPK work inside lp_guarded(). GLPK's
 * environment is per thread; when GLPK raises an error, lp_guarded() frees
 * that thread's whole GLPK environment (every glp_prob of the thread dies)
 * and returns RS_ESOLVER, so callers must create and delete their glp_prob
 * objects inside the guarded function and keep other memory outside it. */
#ifndef LP_H
#define LP_H

#include <glpk.h>
#include <stdbool.h>

enum lp_stop { LP_STOP_NONE = 0, LP_STOP_TIME, LP_STOP_CANCEL, LP_STOP_NODES };

typedef struct lp_ctl {
	double deadline;        /* lp_now() value after which solves stop */
	volatile int *cancel;   /* may be NULL */
	volatile int *yield;    /* may be NULL: another thread found that this
				   search has nothing left to add; stops it like
				   cancel */
	long node_limit;        /* total over all MIP solves; 0 = none */
	long nodes;             /* accumulated nodes (output) */
	int stop;               /* enum lp_stop: why the last solve stopped early */
	void (*log)(void *ud, int level, const char *msg);
	void *log_ud;
	/* Optional hooks inside glp_intopt. heur is called once per node at
	 * GLP_IHEUR (use glp_ios_heur_sol); improved after each new incumbent. */
	void (*heur)(void *ud, glp_tree *T);
	bool heur_each_pass;    /* heur at every GLP_IHEUR (each cut round of a node),
				   not only the node's first */
	void (*improved)(void *ud, double incumbent, double bound);
	void *hook_ud;
	/* Outputs of the last lp_mip() */
	double mip_bound;       /* best bound of the open tree (or the optimum) */
	bool mip_has_sol;
	bool mip_complete;      /* search finished: mip_bound is the optimum bound */
	int heur_calls;
	bool no_cuts;           /* skip GLPK's cut generators (large models: they
				   run without callbacks and overrun the deadline) */
	bool cheap_branch;      /* branch on the most fractional variable, not
				   Driebeck-Tomlin (which evaluates a tableau row
				   per candidate without a callback between) */
	bool primal;            /* lp_simplex: primal simplex (a primal feasible
				   start, as after adding columns) instead of dual */
} lp_ctl;

/* Seconds on a monotonic clock. */
double lp_now(void);

/* Runs fn(arg) with GLPK's error and terminal hooks installed. Returns fn's
 * result, or RS_ESOLVER when GLPK raised an error (its environment has then
 * been freed). */
int lp_guarded(lp_ctl *c, int (*fn)(void *arg), void *arg);

/* Primal/dual simplex in short slices so the deadline and cancel are polled.
 * 0 when an optimal basis was found; 1 when the LP is infeasible or
 * unbounded; 2 when stopped (c->stop says why). */
int lp_simplex(glp_prob *P, lp_ctl *c);

/* Branch and bound (after lp_simplex found an optimal basis). gap is the
 * relative gap to stop at. 0 when glp_intopt returned (see mip_has_sol,
 * mip_complete, mip_bound, stop); 1 when the MIP is infeasible. */
int lp_mip(glp_prob *P, lp_ctl *c, double gap);

/* True when the deadline passed or cancel is set (also sets c->stop). */
bool lp_should_stop(lp_ctl *c);

#endif
