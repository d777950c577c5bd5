/* pm.h: participation-placement matching (docs/placement.md).
 *
 * The decoder (pm_decode.c) builds a pm_model from a request (kind
 * "placement"); ids become dense indices there and go back to ids only in
 * the encoder (pm_encode.c). Dagdelen are indexed 0..n_dagdelen-1 and sets
 * of them are pm_mask bitmasks. The solver (pm_solve.c) is an integer
 * program in GLPK; the checker (check_pm.c) is written apart from it and
 * shares only this header. Nothing here does I/O.
 *
 * The objective (minimised, weights in pm_weights):
 *   sum over participants p without a placement:  unplaced + wait_week * weeks(p)
 * + sum over matches (p, w):  travel * travel_minutes(p, location(w))
 *                           + not_preferred   (p states preferences, w is not among them)
 *                           + hours_short * max(0, target(p, w) - hours(p, w))
 *   target(p, w) = min(target_hours(p), max_hours(p), max_hours(w))
 * + sum over placements w and mother tongues t:
 *                             same_tongue * max(0, |matches of w with tongue t| - max_same_tongue(w))
 * + moved for each participant with a current placement put elsewhere or nowhere
 * + PM_MUST_WEIGHT (in the unplaced term) for each must_place participant left
 *   out, which only an answer that is not a valid plan has (the checker flags it).
 * With explicit pair tables (pm_model.pair_hours, the generalised assignment
 * benchmark) a match costs pair_cost and uses pair_hours of hours_capacity,
 * and dagdelen play no part. */
#ifndef PM_H
#define PM_H

#include "mp.h"

#include <stdbool.h>
#include <stdint.h>

#define PM_MAX_DAGDELEN 32
#define PM_MAX_CERTS 64 /* distinct certificate names in one request */
#define PM_MAX_LEVEL 4  /* A0..B2 */
#define PM_MAX_LENGTHS 4 /* distinct dagdeel lengths in one request */
#define PM_MAX_LESSONS 128 /* entries of one participant's lessons */
#define PM_NO_LIMIT (-1.0)
#define PM_MUST_WEIGHT 1e7 /* a must_place participant left out, on top of unplaced */
#define PM_REPLAN_MOVED 300 /* weights.moved of a re-match (replan) that sets none */

typedef uint32_t pm_mask;

enum pm_type {
	PM_VOLUNTEERING = 0,
	PM_TAALSTAGE,
	PM_WERKERVARINGSPLAATS,
	PM_LEERWERKPLEK,
	PM_PAID,
	PM_N_TYPES
};

typedef struct pm_dagdeel {
	char *id;
	int day; /* 0 = Monday */
	int start_min, end_min;
} pm_dagdeel;

/* A lesson given by its times: a lesson of a timetable whose dagdelen are
 * not this request's (participants[].lessons as {day, start, end}). */
typedef struct pm_lesson {
	int day; /* 0 = Monday */
	int start_min, end_min;
} pm_lesson;

typedef struct pm_location {
	char *id, *name;
} pm_location;

typedef struct pm_placement {
	char *id, *name;
	int type;              /* enum pm_type */
	int location;          /* index */
	int capacity;          /* participants */
	double hours_capacity; /* hours a week of all its participants; PM_NO_LIMIT */
	pm_mask dagdelen;      /* when the work is done */
	bool fixed;            /* a participant works every one of its dagdelen */
	double min_hours, max_hours; /* per participant; max PM_NO_LIMIT */
	int max_per_dagdeel;   /* participants on one dagdeel */
	int min_level;
	uint64_t certs;        /* required certificates (bits of pm_model.certs) */
	double coach_hours;    /* supervision hours a week; PM_NO_LIMIT */
	int max_same_tongue;   /* soft; -1 none */
	bool contract_prospect;
	char *available_from;  /* YYYY-MM-DD or NULL */
	char *available_until; /* its last day, YYYY-MM-DD, or NULL: open-ended */
} pm_placement;

typedef struct pm_participant {
	char *id;
	int level;
	uint64_t certs;
	pm_mask available;
	pm_mask lessons;         /* lessons on dagdelen of the request (listed by id) */
	pm_lesson *lesson_times; /* and lessons given by their times */
	int n_lesson_times;
	double min_hours, max_hours, target_hours;
	int *travel;           /* minutes per location, -1 unreachable */
	int max_travel;
	int tongue;            /* index into pm_model.tongues, -1 none */
	double coaching;       /* supervision hours a week it needs */
	int *preferred;        /* placement indices */
	int n_preferred;
	unsigned pref_types;   /* bits of enum pm_type */
	int weeks_waiting;
	int current;           /* placement index; -1 none; -2 named but not in the request */
	char *current_id;      /* as the request named it, or NULL */
	pm_mask current_dagdelen; /* worked there now: kept first when it stays */
	bool must_place;
} pm_participant;

typedef struct pm_weights {
	double unplaced, wait_week, travel, not_preferred, hours_short, same_tongue, moved;
} pm_weights;

/* Where the daemon took lessons from (a stored timetable plan); the
 * solver only echoes it. */
typedef struct pm_lessons_from {
	char *plan; /* NULL: the request names none */
	int version, participants, lessons;
} pm_lessons_from;

typedef struct pm_model {
	char *as_of; /* or NULL */
	pm_lessons_from lessons_from;
	int n_dagdelen;
	pm_dagdeel *dagdelen;
	int n_locations;
	pm_location *locations;
	int n_placements;
	pm_placement *placements;
	int n_participants;
	pm_participant *participants;
	int n_tongues;
	char **tongues;
	int n_certs;
	char **certs;
	pm_weights w;
	/* Explicit pairs (benchmarks): [p * n_placements + w]; pair_hours < 0
	 * where p cannot take w. NULL for requests. */
	double *pair_hours, *pair_cost;
} pm_model;

typedef struct pm_terms {
	double unplaced, wait, travel, not_preferred, hours_short, same_tongue, moved;
} pm_terms;

typedef struct pm_reason {
	char code[24];
	char *text;
} pm_reason;

typedef struct pm_solution {
	int n;            /* participants the arrays hold */
	int *placement;   /* per participant: placement index or -1 */
	pm_mask *dagdelen; /* per participant: the dagdelen worked */
	char status[16];  /* optimal | feasible | time_limit | infeasible | cancelled */
	double objective, bound, gap, seconds;
	long nodes;
	pm_terms terms;
	int *n_reasons;   /* per participant (filled by pm_explain) */
	pm_reason **reasons;
	char *message;
} pm_solution;

typedef struct pm_limits {
	uint32_t max_participants; /* 20 000 */
	uint32_t max_placements;   /* 5 000 */
	uint32_t max_locations;    /* 256 */
	uint32_t max_id;           /* 128 bytes */
} pm_limits;

typedef struct pm_progress {
	double incumbent, bound, elapsed;
} pm_progress;

typedef struct pm_params {
	double time_limit; /* seconds; <= 0: 60 */
	double started;    /* lp_now() when the limit began to count; 0 = at pm_solve */
	double gap;        /* wanted relative gap; default 0.0001 */
	unsigned seed;
	long node_limit;   /* branch-and-bound nodes (subgradient iterations on a
			    * large request); 0 = none */
	long mip_options;  /* past this many option columns the Lagrangian path
			    * runs instead of the integer program; 0 = 150 000,
			    * < 0 = always (tests) */
	volatile int *cancel;
	void (*progress)(void *ud, const pm_progress *p);
	void *ud;
} pm_params;

void pm_limits_default(pm_limits *l);
/* 0, or RS_EBADREQ / RS_ETOOLARGE with c->err naming the field; on failure
 * *m is freed. */
int pm_decode(const msgpack_object *req, const pm_limits *lim, pm_model *m, mp_ctx *c);
void pm_model_free(pm_model *m);
/* An answer's matches → a solution against m, for the offline checker. */
int pm_decode_solution(const msgpack_object *ans, const pm_model *m, pm_solution *s, mp_ctx *c);
void pm_solution_free(pm_solution *s);

/* Hours of a set of dagdelen. */
double pm_mask_hours(const pm_model *m, pm_mask d);
const char *pm_type_name(int type);
const char *pm_level_name(int level);

/* 0 on success (any status); RS_E* when the solver itself fails. */
int pm_solve(const pm_model *m, const pm_params *p, pm_solution *s);
/* The integer program pm_solve solves, as a CPLEX LP file (for glpsol and
 * cbc in the benchmarks; the one placement function that does I/O). 0 or
 * RS_EIO / RS_ESOLVER. */
int pm_export_lp(const pm_model *m, const char *path);
/* Reasons for every participant without a placement (s->reasons). */
void pm_explain(const pm_model *m, pm_solution *s);

/* ---- checker (check_pm.c) ---- */
typedef struct pm_violation {
	char *constraint; /* family, e.g. "capacity", "level" */
	char *message;
} pm_violation;

typedef struct pm_check_result {
	int n_violations;
	pm_violation *violations;
	pm_terms terms;
	double objective;
	bool objective_matches; /* |recomputed - claimed| <= 1e-6 * max(1, |claimed|) */
} pm_check_result;

int pm_check(const pm_model *m, const pm_solution *s, pm_check_result *out);
void pm_check_free(pm_check_result *r);

/* ---- answer (pm_encode.c) ---- */
typedef struct pm_answer_meta {
	const char *job, *plan, *tenant;
	int version, parent;
	double wanted_gap;
} pm_answer_meta;

void pm_encode_answer(msgpack_packer *pk, const pm_model *m, const pm_solution *s,
		      const pm_check_result *chk, const pm_answer_meta *meta);

#endif
