/* render_diff.h: the text form of a timetable diff (solver/tt_diff.h's map as JSON).
 *
 * Borrows `diff` (a JSON object: summary, learners, teachers, and with
 * plan.diff also plan, from, to) and writes to `out` without flushing it.
 * 0, RS_EBADREQ (a message on stderr) when a part is missing, RS_EIO when
 * writing fails. */
#ifndef RENDER_DIFF_H
#define RENDER_DIFF_H

#include <jansson.h>
#include <stdio.h>

int render_diff_text(const json_t *diff, FILE *out);
/* Its first lines alone: the plan and versions, the counts. */
int render_diff_summary(const json_t *diff, FILE *out);

#endif
