/* render.h: the `rooster` output renderers (text, CSV, iCalendar, HTML) of a
 * timetable answer (docs/schema.md, "Answer").
 *
 * Ownership: every render_* function borrows `answer` (read only, not kept
 * after the call) and `o` (may be NULL: by group, no filter); it writes to
 * `out` and neither flushes nor closes it. Nothing is left allocated.
 *
 * Return 0, or a negative RS_E* code: RS_EBADREQ when the answer lacks a
 * field the format needs (a one-line message naming the field goes to
 * stderr), RS_EIO when writing fails. Output may be partial on error.
 *
 * The second half of this header is the answer model shared by the four
 * renderers (implemented in render_text.c); the CLI needs only the first. */
#ifndef RENDER_H
#define RENDER_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct render_opts {
	const char *by;     /* "group" (default), "teacher", "room", "learner", "location" */
	const char *filter; /* optional id: only this group/teacher/room/learner/location */
	/* iCalendar: an earlier version of the same plan (NULL: none); its
	 * lessons the answer no longer has are written as cancelled */
	const json_t *previous;
} render_opts;

int render_text(const json_t *answer, const render_opts *o, FILE *out);
int render_csv(const json_t *answer, const render_opts *o, FILE *out);
int render_ics(const json_t *answer, const render_opts *o, FILE *out);
int render_html(const json_t *answer, const render_opts *o, FILE *out);
/* A placement answer (docs/placement.md) as text or CSV (render_pm.c). */
/* prev (or NULL): the version answer was re-matched from, whose matches
 * this one lacks an iCalendar cancels. */
int render_placement(const json_t *answer, const char *format, const char *by, const char *filter,
		     const json_t *prev, FILE *out);
/* The matches given (of a placement answer) as iCalendar: each dagdeel a
 * weekly event from the match's start, open-ended, SEQUENCE version - 1;
 * those of prev_matches (of the earlier version prev) that no match holds
 * (participant and dagdeel) as cancelled events (render_ics.c). title
 * names the calendar (NULL: the plan). */
int render_placement_ics(const json_t *answer, const json_t *matches, const json_t *prev,
			 const json_t *prev_matches, const char *title, FILE *out);
/* The CSV separator: ',' (RFC 4180, the default) or ';' (what a spreadsheet
 * set to Dutch conventions reads as columns, its decimal separator being the
 * comma; numbers then take a decimal comma and the file a UTF-8 byte order
 * mark) or '\t'. Set by rooster's --csv-sep. */
extern char render_csv_sep;
/* One CSV field (RFC 4180 quoting, formula guard), then the separator, or
 * CRLF when last. */
void render_csv_field(FILE *out, const char *s, bool last);
/* The byte order mark when the separator is ';', then the header row. */
void render_csv_header(FILE *out, const char *const *names, size_t n);
/* A number with one decimal, its decimal sign ',' when the separator is ';'. */
void render_csv_decimal(char *buf, size_t n, double v);

/* ---- internal: the answer model shared by the renderers ---------------- */

enum render_by { RENDER_BY_GROUP, RENDER_BY_TEACHER, RENDER_BY_ROOM, RENDER_BY_LEARNER, RENDER_BY_LOCATION };
enum render_part { RENDER_MORNING, RENDER_AFTERNOON, RENDER_EVENING, RENDER_NPARTS };

/* All strings below point into the borrowed answer; arrays are owned by
 * the render_plan and released by render_plan_free(). */
typedef struct render_dagdeel {
	const char *id, *day, *start, *end;
	int wday; /* 0 = mon … 6 = sun */
	int part; /* enum render_part, from the start time */
} render_dagdeel;

typedef struct render_group {
	const char *id, *running, *route, *level, *location;
	const char *start; /* a running group's first day, NULL when not given */
	const char *room_id, *room_name;       /* NULL when the answer has none */
	const char *teacher_id, *teacher_name; /* NULL when the answer has none */
	int room_capacity;                     /* 0 when unknown */
	int size;                              /* "size", else the learner count */
	bool alfa, women_only;
	size_t n_dd;
	int *dd; /* indices into render_plan.dd */
	size_t n_learners;
	const char **learners; /* the n_new this plan placed ("learners"), then a
				* running group's members before it
				* ("existing_learners", when the answer has them) */
	size_t n_new;
} render_group;

typedef struct render_reason {
	const char *code, *text;
} render_reason;

typedef struct render_unplaced {
	const char *learner, *route, *level;
	size_t n_reasons;
	render_reason *reasons;
} render_unplaced;

typedef struct render_location {
	const char *id, *name;
	size_t n_closed;
	const char **closed; /* closed_dates: YYYY-MM-DD */
} render_location;

typedef struct render_plan {
	const json_t *answer;
	const char *job, *plan, *tenant, *kind, *status;
	int version;            /* 0 when absent */
	bool has_objective, has_bound, has_gap, has_seconds, has_nodes;
	double objective, bound, gap, seconds, nodes;
	bool has_check, check_ok;
	const json_t *violations; /* array or NULL */
	const json_t *conflicts;  /* array or NULL */
	bool conflicts_partial; /* conflicts_complete false in the answer */
	const char *term_start, *term_end, *term_tz, *term_as_of; /* NULL when absent */
	size_t n_holidays;
	const char **holidays; /* by date, each once */
	size_t n_dd;
	render_dagdeel *dd;
	size_t n_locations;
	render_location *locations;
	size_t n_groups;
	render_group *groups;
	size_t n_unplaced;
	render_unplaced *unplaced;
} render_plan;

/* One session: group g on dagdeel d (for --by learner, one per learner). */
typedef struct render_session {
	int g, d;
	const char *key;     /* the --by key: group/teacher/room/learner/location id */
	const char *learner; /* only for --by learner */
} render_session;

/* Parse `answer` into `p`; on failure say which field is missing on stderr,
 * free what was built and return RS_EBADREQ. */
int render_plan_load(const json_t *answer, render_plan *p);
void render_plan_free(render_plan *p);
/* o->by as enum; RS_EBADREQ (with a message) for an unknown value. */
int render_by_parse(const render_opts *o, enum render_by *by);
/* What every renderer starts with: --by parsed, the filter (NULL for none),
 * the answer loaded into p (render_plan_free it when this returned 0). */
int render_begin(const json_t *answer, const render_opts *o, enum render_by *by,
		 const char **filter, render_plan *p);
/* The weekdays (0 = Monday) with dagdelen, in order, into days; which
 * dagdeel parts occur into part_used. Returns how many days. */
int render_week(const render_plan *p, int days[7], bool part_used[RENDER_NPARTS]);
const char *render_by_name(enum render_by by);
/* Sessions selected by --by/filter, sorted by key, then day and time.
 * Caller frees *out. RS_EBADREQ when a group lacks the field --by needs. */
int render_sessions(const render_plan *p, enum render_by by, const char *filter,
		    render_session **out, size_t *n);
/* Does group g pass the filter under --by? (true without a filter) */
bool render_group_matches(const render_plan *p, size_t g, enum render_by by, const char *filter);
/* Location `id` of the answer, or NULL. */
const render_location *render_location_get(const render_plan *p, const char *id);
/* Name of location `id` (the id itself when the answer has no name). */
const char *render_location_name(const render_plan *p, const char *id);
/* The holidays (sorted, each once) within the term. */
size_t render_holidays_in_term(const render_plan *p);
/* Distinct learners this plan placed in groups (not a running group's
 * members before it). */
size_t render_placed_count(const render_plan *p);
/* Friendly names: "Morning", "Mon", "Monday", "B1-route". */
const char *render_part_name(int part);
/* "mon".."sun" → 0..6, -1 otherwise (or NULL). */
int render_wday(const char *day);
/* "HH:MM" (24:00 too, a dagdeel's end) → minutes, or -1 (or NULL). */
int render_minutes(const char *s);
/* The member of a JSON array of objects whose "id" is id, or NULL. */
const json_t *render_by_id(const json_t *arr, const char *id);
const char *render_day_short(int wday);
const char *render_day_long(int wday);
const char *render_route_label(const char *route);
/* Report a missing or ill-typed field; returns RS_EBADREQ. */
int render_missing(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
