/* check_tt.h: the independent checker of term timetables.
 *
 * Written apart from the model builder (it includes no tt_build/tt_solve
 * code): it verifies every hard constraint of a tt_solution against the
 * tt_model and recomputes the objective from the weights. The daemon runs it
 * on every answer; `rooster check` runs it offline. */
#ifndef CHECK_TT_H
#define CHECK_TT_H

#include "tt_model.h"

typedef struct tt_violation {
	char *constraint; /* family name, e.g. "room_capacity", "teacher_available" */
	char *message;    /* plain words with ids, e.g. "group g3: room R2 holds 12, group has 14" */
} tt_violation;

typedef struct tt_check_result {
	int n_violations;
	tt_violation *violations;
	tt_terms terms;       /* recomputed */
	double objective;     /* recomputed */
	bool objective_matches; /* |recomputed - claimed| <= 1e-6 * max(1, |claimed|) */
} tt_check_result;

/* 0 when it ran (violations may be present); the caller frees with tt_check_free. */
int tt_check(const tt_model *m, const tt_solution *s, tt_check_result *out);
void tt_check_free(tt_check_result *r);

/* Fills s->unplaced[k].reasons for every unplaced learner: why, in plain
 * words naming the constraint ("no childcare place on Tue morning at
 * location X", "only 2 learners at level A0 alfa available on Wed: minimum
 * group size 3", "no alfa-qualified teacher free"). Reads the plan in s. */
void tt_explain(const tt_model *m, tt_solution *s);

#endif
