/* tt_solve.h: the term-timetable solver (no I/O; any thread).
 *
 * tt_solve() reads a tt_model and fills a tt_solution the caller owns
 * (release with tt_solution_free). It is deterministic for a given model and
 * seed whenever it ends by optimality, gap or the node limit; only a
 * wall-clock cut may differ between runs. */
#ifndef TT_SOLVE_H
#define TT_SOLVE_H

#include "tt_model.h"

typedef struct tt_progress {
	double incumbent; /* objective of the best plan so far, or HUGE_VAL */
	double bound;     /* best proven lower bound so far */
	double gap;       /* relative, or HUGE_VAL */
	double elapsed;   /* seconds since the solve began */
	const char *phase; /* "grouping", "rooms", "repair", ... (static storage) */
} tt_progress;

typedef struct tt_params {
	double time_limit;  /* seconds of wall clock; <= 0 means 60 */
	double gap;         /* stop when (obj - bound)/obj <= gap; default 0.0001 */
	unsigned seed;
	long node_limit;    /* work limit over all MIP solves; 0 = none */
	/* lp_now() when the time limit began to count (the caller decoded the
	 * request since); 0 = when tt_solve starts. Only the deadline moves:
	 * every choice made from time_limit stays the same, so a work-limited
	 * answer does not depend on how long decoding took. */
	double started;
	int threads;        /* 1: one thread; 0 or 2: where one master does not
			     * run, the subgradient bound runs on a second thread
			     * beside the local search */
	/* Polled between and (through the GLPK callback) during LP solves;
	 * non-zero stops the solve with status TT_CANCELLED and the best plan. */
	volatile int *cancel;
	/* Optional; called from the solving thread. */
	void (*progress)(void *ud, const tt_progress *p);
	void (*log)(void *ud, int level, const char *msg); /* level: 0 debug,1 info,2 warn */
	void *ud;
} tt_params;

/* 0 on success (any status, including infeasible); negative RS_E* on a
 * failure of the solver itself. */
int tt_solve(const tt_model *m, const tt_params *p, tt_solution *out);

#endif
