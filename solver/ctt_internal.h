/* ctt_internal.h: solver state shared by ctt_solve.c and ctt_rooms_mip.c
 * (not part of the public ctt.h API). */
#ifndef CTT_INTERNAL_H
#define CTT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "ctt.h"

/* Incremental timetable: placement, hard-constraint counters and the UD2
 * penalty of the placed lectures. */
typedef struct ctt_state {
	const ctt_instance *in;
	int L, S, R, P, D, C, Q, T;
	int *slot, *room;  /* [L]: -1 when unplaced */
	int *grid;         /* [S*R]: lecture or -1 */
	int *curr_cnt;     /* [Q*S] */
	int *teach_cnt;    /* [T*S] */
	int *day_cnt;      /* [C*D] */
	int *days_used;    /* [C] */
	int *room_cnt;     /* [C*R] */
	int *rooms_used;   /* [C] */
	int *cap_pen;      /* [C*R] capacity penalty of a lecture of c in r */
	uint64_t *conflict; /* [C*cwords] bitset: same teacher or shared curriculum */
	size_t cwords;
	int soft;          /* UD2 penalty of what is placed */
	int unplaced;
	uint64_t rng;
} ctt_state;

typedef struct ctt_run {
	const ctt_params *p;
	double t0, deadline, last_report;
	int cancelled;
} ctt_run;

double ctt_now(void);
void ctt_place(ctt_state *st, int l, int t, int r);
void ctt_unplace(ctt_state *st, int l);
int ctt_can(const ctt_state *st, int c, int t);
int ctt_state_soft(const ctt_state *st);
void ctt_restore(ctt_state *st, const int *slot, const int *room);

/* Re-assign rooms optimally (capacity + stability) with every lecture's
 * timeslot fixed, by GLPK within budget seconds (and the run's deadline). On success the
 * state holds the new rooms (never worse) and it returns 0; on failure it
 * is unchanged and a negative RS_E* is returned. */
int ctt_rooms_mip(ctt_state *st, ctt_run *run, double budget);

#endif
