/* test_diff.c: tt_diff and pm_diff, what changed between two timetable
 * (placement) answers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "json_mp.h"
#include "mp.h"
#include "rs_error.h"
#include "pm_diff.h"
#include "tt_diff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Two answers (JSON text) diffed (pm: as placement answers); the diff as
 * JSON, or NULL with the error in err. */
static json_t *run_diff(const char *before, const char *after, bool why, bool pm, char *err,
			size_t errlen)
{
	const char *txt[2] = {before, after};
	msgpack_sbuffer sb[2], out;
	msgpack_unpacked u[2];
	for (int i = 0; i < 2; i++) {
		json_error_t je;
		json_t *j = json_loads(txt[i], JSON_ALLOW_NUL, &je);
		assert_non_null(j);
		msgpack_sbuffer_init(&sb[i]);
		msgpack_packer pk;
		msgpack_packer_init(&pk, &sb[i], msgpack_sbuffer_write);
		json_to_msgpack(&pk, j);
		json_decref(j);
		msgpack_unpacked_init(&u[i]);
		size_t off = 0;
		assert_int_equal(msgpack_unpack_next(&u[i], sb[i].data, sb[i].size, &off),
				 MSGPACK_UNPACK_SUCCESS);
	}
	msgpack_sbuffer_init(&out);
	msgpack_packer pk;
	msgpack_packer_init(&pk, &out, msgpack_sbuffer_write);
	mp_ctx c;
	mp_init(&c);
	json_t *res = NULL;
	if ((pm ? pm_diff(&u[0].data, &u[1].data, &pk, &c)
		: tt_diff(&u[0].data, &u[1].data, why, &pk, &c)) == 0) {
		assert_int_equal(c.rc, 0);
		msgpack_unpacked d;
		msgpack_unpacked_init(&d);
		size_t off = 0;
		assert_int_equal(msgpack_unpack_next(&d, out.data, out.size, &off),
				 MSGPACK_UNPACK_SUCCESS);
		assert_int_equal(off, out.size);
		res = msgpack_to_json(&d.data);
		msgpack_unpacked_destroy(&d);
	} else {
		assert_int_equal(out.size, 0); /* nothing packed on error */
		snprintf(err, errlen, "%s", c.err);
	}
	for (int i = 0; i < 2; i++) {
		msgpack_unpacked_destroy(&u[i]);
		msgpack_sbuffer_destroy(&sb[i]);
	}
	msgpack_sbuffer_destroy(&out);
	return res;
}

static json_t *diff_why(const char *before, const char *after, bool why, char *err, size_t errlen)
{
	return run_diff(before, after, why, false, err, errlen);
}

static json_t *diff_of(const char *before, const char *after, char *err, size_t errlen)
{
	return diff_why(before, after, true, err, errlen);
}

static long long count(const json_t *d, const char *key)
{
	const json_t *v = json_object_get(json_object_get(d, "summary"), key);
	assert_true(json_is_integer(v));
	return json_integer_value(v);
}

/* The change the diff gives learner id, or NULL when it lists none. */
static const char *change_of(const json_t *d, const char *id)
{
	size_t i;
	const json_t *l;
	json_array_foreach(json_object_get(d, "learners"), i, l)
	{
		if (strcmp(json_string_value(json_object_get(l, "learner")), id) == 0)
			return json_string_value(json_object_get(l, "change"));
	}
	return NULL;
}

#define GROUP(id, running, dd, loc, room, teacher, learners)                                       \
	"{\"id\": \"" id "\", \"running\": " running ", \"dagdelen\": " dd                         \
	", \"location\": \"" loc "\", \"room\": {\"id\": \"" room "\", \"name\": \"Lokaal\"},"     \
	" \"teacher\": {\"id\": \"" teacher "\", \"name\": \"Docent " teacher "\"},"               \
	" \"learners\": " learners "}"

static const char *const before =
    "{\"kind\": \"timetable\", \"dagdelen\": [{\"id\": \"mon-am\"}, {\"id\": \"tue-am\"},"
    " {\"id\": \"wed-am\"}, {\"id\": \"thu-am\"}],"
    " \"groups\": [" GROUP(
	"g1", "null", "[\"mon-am\", \"wed-am\"]", "L1", "R1", "T1",
	"[\"same\", \"regrouped\", \"moves\", \"restaffed\", \"leaves\","
	" \"gone\", \"twice\", \"twice\"]") "," GROUP("g2", "null", "[\"tue-am\"]", "L1", "R2",
						      "T2",
						      "[\"module\", \"relocated\"]") "," GROUP("m1",
											       "nul"
											       "l",
											       "[\""
											       "thu"
											       "-am"
											       "\""
											       "]",
											       "L1",
											       "R2",
											       "T2",
											       "[\""
											       "mod"
											       "ule"
											       "\""
											       "]") "," GROUP("G-old",
													      "\"G-old\"",
													      "[\"tue-am\", \"thu-am\"]",
													      "L2",
													      "R9",
													      "T3",
													      "[\"joiner\"]") "],"
															      " \"unplaced\": [{\"learner\": \"waits\"}, {\"learner\": \"gets-in\"},"
															      " {\"learner\": \"gone-too\"}]}";

static const char *const after =
    "{\"kind\": \"timetable\", \"dagdelen\": [{\"id\": \"mon-am\"}, {\"id\": \"tue-am\"},"
    " {\"id\": \"wed-am\"}, {\"id\": \"thu-am\"}],"
    " \"groups\": [" GROUP("g1", "null", "[\"wed-am\", \"mon-am\"]", "L1", "R1", "T1", "[\"same\", \"twice\"]") "," GROUP(
	"g2", "null", "[\"mon-am\", \"wed-am\"]", "L1", "R1", "T1",
	"[\"regrouped\"]") "," GROUP("g3", "null", "[\"mon-am\", \"wed-am\"]", "L1", "R3", "T1",
				     "[\"restaffed\"]") "," GROUP("g4", "null", "[\"tue-am\"]",
								  "L1", "R2", "T4",
								  "[\"moves\", \"gets-in\", "
								  "\"module\"]") "," GROUP("g5",
											   "null",
											   "[\"tue-"
											   "am\"]",
											   "L2",
											   "R8",
											   "T4",
											   "[\"relo"
											   "cated\""
											   ", "
											   "\"new\""
											   "]") "," GROUP("m1",
													  "null",
													  "[\"wed-am\"]",
													  "L1",
													  "R2",
													  "T2",
													  "[\"module\"]") "," GROUP("G-old",
																    "\"G-old\"",
																    "[\"tue-am\", \"thu-am\"]",
																    "L2",
																    "R9",
																    "T3",
																    "[]") "],"
																	  " \"unplaced\": [{\"learner\": \"waits\"}, {\"learner\": \"leaves\"},"
																	  " {\"learner\": \"joiner\"}, {\"learner\": \"new-waits\"}]}";

/* Each kind of change, told apart: a learner's week is its dagdelen,
 * location and running group; room and teacher come second; group ids do
 * not count. */
static void each_change(void **st)
{
	(void)st;
	char err[512];
	json_t *d = diff_of(before, after, err, sizeof err);
	assert_non_null(d);
	/* g1 → g1 with its dagdelen listed in another order: the same week */
	assert_null(change_of(d, "same"));
	/* learner listed twice in one group: one learner, unchanged */
	assert_null(change_of(d, "twice"));
	/* another group id on the same dagdelen, location, room and teacher */
	assert_null(change_of(d, "regrouped"));
	assert_string_equal(change_of(d, "restaffed"), "restaffed");
	assert_string_equal(change_of(d, "moves"), "moved");
	/* the same dagdeel at another location */
	assert_string_equal(change_of(d, "relocated"), "moved");
	/* two groups, the module one moves: the week changed */
	assert_string_equal(change_of(d, "module"), "moved");
	/* a joiner of a running group left waiting */
	assert_string_equal(change_of(d, "joiner"), "unplaced");
	assert_string_equal(change_of(d, "leaves"), "unplaced");
	assert_string_equal(change_of(d, "gets-in"), "placed");
	assert_string_equal(change_of(d, "new"), "added");
	assert_string_equal(change_of(d, "new-waits"), "added");
	assert_string_equal(change_of(d, "gone"), "removed");
	assert_string_equal(change_of(d, "gone-too"), "removed");
	assert_null(change_of(d, "waits"));

	assert_int_equal(count(d, "learners"), 15);
	assert_int_equal(count(d, "unchanged"), 3);
	assert_int_equal(count(d, "waiting"), 1);
	assert_int_equal(count(d, "moved"), 3);
	assert_int_equal(count(d, "restaffed"), 1);
	assert_int_equal(count(d, "unplaced"), 2);
	assert_int_equal(count(d, "placed"), 1);
	assert_int_equal(count(d, "added"), 2);
	assert_int_equal(count(d, "removed"), 2);
	assert_int_equal(count(d, "groups_before"), 4);
	assert_int_equal(count(d, "groups_after"), 7);

	/* sorted by change (moved first), then id */
	const json_t *ls = json_object_get(d, "learners");
	assert_int_equal(json_array_size(ls), 11);
	const char *order[] = {"module",   "moves",	"relocated", "joiner", "leaves",   "gone",
			       "gone-too", "restaffed", "gets-in",   "new",    "new-waits"};
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
		assert_string_equal(
		    json_string_value(json_object_get(json_array_get(ls, i), "learner")), order[i]);

	/* the lessons before and after, as the answers give them */
	const json_t *mv = json_array_get(ls, 1);
	const json_t *b = json_array_get(json_object_get(mv, "before"), 0);
	const json_t *a = json_array_get(json_object_get(mv, "after"), 0);
	assert_string_equal(json_string_value(json_object_get(b, "group")), "g1");
	assert_string_equal(json_string_value(json_object_get(b, "room")), "R1");
	assert_string_equal(json_string_value(json_object_get(a, "group")), "g4");
	assert_string_equal(json_string_value(json_object_get(a, "teacher")), "T4");
	assert_int_equal(json_array_size(json_object_get(json_array_get(ls, 0), "after")), 2);
	assert_int_equal(json_array_size(json_object_get(json_array_get(ls, 3), "after")), 0);
	json_decref(d);
}

static const json_t *teacher(const json_t *d, const char *id)
{
	size_t i;
	const json_t *t;
	json_array_foreach(json_object_get(d, "teachers"), i, t)
	{
		if (strcmp(json_string_value(json_object_get(t, "teacher")), id) == 0)
			return t;
	}
	return NULL;
}

static void slots(const json_t *t, const char *key, const char *want)
{
	char got[256] = "";
	size_t i;
	const json_t *s;
	json_array_foreach(json_object_get(t, key), i, s)
	{
		strcat(got, i ? " " : "");
		strcat(got, json_string_value(s));
	}
	assert_string_equal(got, want);
}

/* Teachers: the dagdelen (with location) each gained or lost, in the week's
 * order; a teacher whose week is the same is not listed. */
static void teachers_weeks(void **st)
{
	(void)st;
	char err[512];
	json_t *d = diff_of(before, after, err, sizeof err);
	assert_non_null(d);
	assert_int_equal(count(d, "teachers_changed"), 2);
	assert_int_equal(json_array_size(json_object_get(d, "teachers")), 2);
	assert_null(teacher(d, "T1")); /* mon-am and wed-am at L1, in three groups now */
	assert_null(teacher(d, "T3")); /* the running group, unchanged */
	const json_t *t2 = teacher(d, "T2"), *t4 = teacher(d, "T4");
	assert_non_null(t2);
	assert_string_equal(json_string_value(json_object_get(t2, "name")), "Docent T2");
	slots(t2, "dropped", "tue-am@L1 thu-am@L1");
	slots(t2, "added", "wed-am@L1");
	slots(t4, "dropped", "");
	slots(t4, "added", "tue-am@L1 tue-am@L2");
	json_decref(d);
}

/* An answer diffed with itself: nothing to list. */
static void same_answer(void **st)
{
	(void)st;
	char err[512];
	json_t *d = diff_of(after, after, err, sizeof err);
	assert_non_null(d);
	assert_int_equal(json_array_size(json_object_get(d, "learners")), 0);
	assert_int_equal(json_array_size(json_object_get(d, "teachers")), 0);
	assert_int_equal(count(d, "unchanged"), 9);
	assert_int_equal(count(d, "waiting"), 4);
	assert_int_equal(count(d, "moved") + count(d, "added") + count(d, "removed"), 0);
	json_decref(d);
}

/* Answers whose learners all wait (no group lists anyone): the unplaced
 * list alone makes the learners, 70 of them, past the first growth of the
 * tables. */
static void only_waiting(void **st)
{
	(void)st;
	char a[4096] = "{\"groups\": [], \"unplaced\": [", b[4096];
	for (int i = 0; i < 70; i++)
		snprintf(a + strlen(a), sizeof a - strlen(a), "%s{\"learner\": \"w%d\"}",
			 i ? ", " : "", i);
	strcat(a, "]}");
	snprintf(b, sizeof b, "%s", a);
	char *w69 = strstr(b, "\"w69\"");
	w69[1] = 'x'; /* w69 gone, x69 new */
	char err[512];
	json_t *d = diff_of(a, b, err, sizeof err);
	assert_non_null(d);
	assert_int_equal(count(d, "learners"), 71);
	assert_int_equal(count(d, "waiting"), 69);
	assert_int_equal(count(d, "removed"), 1);
	assert_int_equal(count(d, "added"), 1);
	assert_string_equal(change_of(d, "w69"), "removed");
	assert_string_equal(change_of(d, "x69"), "added");
	json_decref(d);
}

/* The later answer `after` with a `start` field (JSON text), into buf. */
static void after_with_start(char *buf, size_t n, const char *start)
{
	snprintf(buf, n, "%.*s, \"start\": %s}", (int)strlen(after) - 1, after, start);
}

/* With the later answer solved from the earlier one, a learner who moved
 * out of a start group is told what became of it (start.outcomes). */
static void why_from_outcomes(void **st)
{
	(void)st;
	char after_start[8192];
	after_with_start(after_start, sizeof after_start,
			 "{\"outcomes\": ["
			 "{\"group\": \"g1\", \"outcome\": \"dropped\", \"reason\": \"its "
			 "dagdeel wed-am is not in this request\"}, {\"group\": \"g2\", "
			 "\"outcome\": \"kept\", \"reason\": null}, {\"group\": 7}]}");
	char err[512];
	json_t *d = diff_of(before, after_start, err, sizeof err);
	assert_non_null(d);
	size_t i;
	const json_t *l;
	int seen = 0;
	json_array_foreach(json_object_get(d, "learners"), i, l)
	{
		const char *id = json_string_value(json_object_get(l, "learner"));
		const char *why = json_string_value(json_object_get(l, "why"));
		if (!strcmp(id, "moves") || !strcmp(id, "leaves") || !strcmp(id, "restaffed")) {
			/* out of g1 */
			assert_string_equal(
			    why, "g1 dropped: its dagdeel wed-am is not in this request");
			seen++;
		} else if (!strcmp(id, "relocated") || !strcmp(id, "module")) {
			assert_string_equal(why,
					    "g2 kept; the solve gave this learner other lessons");
			seen++;
		} else {
			/* a running group's joiner, the added, the removed, the placed */
			assert_true(json_is_null(json_object_get(l, "why")));
		}
	}
	assert_int_equal(seen, 5);
	/* without outcomes, or when the caller cannot vouch that the later
	 * answer was solved from the earlier one, no learner is told why */
	json_decref(d);
	d = diff_of(before, after, err, sizeof err);
	assert_non_null(d);
	json_array_foreach(json_object_get(d, "learners"), i, l)
	    assert_true(json_is_null(json_object_get(l, "why")));
	json_decref(d);
	d = diff_why(before, after_start, false, err, sizeof err);
	assert_non_null(d);
	assert_true(json_array_size(json_object_get(d, "learners")) > 0);
	json_array_foreach(json_object_get(d, "learners"), i, l)
	    assert_true(json_is_null(json_object_get(l, "why")));
	json_decref(d);
}

/* A learner the later answer's start.changed names gets its own reason
 * (also a running group's joiner, whom the outcomes do not cover); an
 * entry whose reason is not text is passed over for the group's outcome. */
static void why_from_changes(void **st)
{
	(void)st;
	char after_start[8192];
	after_with_start(after_start, sizeof after_start,
			 "{\"outcomes\": ["
			 "{\"group\": \"g1\", \"outcome\": \"kept\", \"reason\": null}],"
			 " \"changed\": [{\"learner\": \"moves\", \"reason\": \"not available on "
			 "Mon morning, when group g1 meets\"}, {\"learner\": \"joiner\", "
			 "\"reason\": \"running group G-old takes no newcomers (free_seats 0)\"},"
			 " {\"learner\": \"leaves\", \"reason\": 3}, {\"reason\": \"x\"}, 7]}");
	char err[512];
	json_t *d = diff_of(before, after_start, err, sizeof err);
	assert_non_null(d);
	size_t i;
	const json_t *l;
	int seen = 0;
	json_array_foreach(json_object_get(d, "learners"), i, l)
	{
		const char *id = json_string_value(json_object_get(l, "learner"));
		const char *why = json_string_value(json_object_get(l, "why"));
		if (!strcmp(id, "moves")) {
			assert_string_equal(why, "not available on Mon morning, when group g1 meets");
			seen++;
		} else if (!strcmp(id, "joiner") && why) {
			assert_string_equal(why,
					    "running group G-old takes no newcomers (free_seats 0)");
			seen++;
		} else if (!strcmp(id, "leaves")) {
			assert_string_equal(why,
					    "g1 kept; the solve gave this learner other lessons");
			seen++;
		}
	}
	assert_int_equal(seen, 3);
	json_decref(d);
}

/* The term began: the plan's new groups are running groups of the later
 * request, whose answer names only their joiners and counts the members
 * (`existing`). Their members are in them, not removed; one whose running
 * group now meets on other dagdelen moved. So is an earlier joiner who is a
 * member now (the count grew); a joiner of a group whose count did not
 * grow left. */
#define GROUP_E(id, running, dd, loc, room, teacher, learners, existing)                           \
	"{\"id\": \"" id "\", \"running\": " running ", \"dagdelen\": " dd                       \
	", \"location\": \"" loc "\", \"room\": {\"id\": \"" room "\"},"                          \
	" \"teacher\": {\"id\": \"" teacher "\"}, \"learners\": " learners                         \
	", \"existing\": " existing "}"

/* clang-format off */
static void groups_that_began(void **st)
{
	(void)st;
	const char *a = "{\"groups\": ["
	    GROUP("g1", "null", "[\"mon-am\", \"wed-am\"]", "L1", "R1", "T1", "[\"a\", \"b\"]") ","
	    GROUP("g2", "null", "[\"tue-am\"]", "L1", "R2", "T2", "[\"c\"]") ","
	    GROUP("g3", "null", "[\"tue-am\"]", "L2", "R3", "T3", "[\"e\"]") ","
	    GROUP_E("R", "\"R\"", "[\"fri-am\"]", "L1", "R5", "T5", "[\"j\"]", "4") ","
	    GROUP_E("S", "\"S\"", "[\"fri-pm\"]", "L1", "R5", "T5", "[\"x\"]", "5") "],"
	    " \"unplaced\": [{\"learner\": \"d\"}]}";
	const char *b = "{\"groups\": ["
	    GROUP_E("g1", "\"g1\"", "[\"wed-am\", \"mon-am\"]", "L1", "R1", "T1", "[]", "2") ","
	    GROUP_E("g2", "\"g2\"", "[\"thu-am\"]", "L1", "R2", "T2", "[]", "1") ","
	    GROUP("g4", "null", "[\"tue-am\"]", "L2", "R3", "T3", "[\"d\"]") ","
	    GROUP_E("R", "\"R\"", "[\"fri-am\"]", "L1", "R5", "T5", "[]", "5") ","
	    GROUP_E("S", "\"S\"", "[\"fri-pm\"]", "L1", "R5", "T5", "[]", "5") "],"
	    " \"unplaced\": []}";
	/* clang-format on */
	char err[512];
	json_t *d = diff_of(a, b, err, sizeof err);
	assert_non_null(d);
	assert_null(change_of(d, "a"));
	assert_null(change_of(d, "b"));
	assert_string_equal(change_of(d, "c"), "moved");
	assert_string_equal(change_of(d, "d"), "placed");
	assert_string_equal(change_of(d, "e"), "removed"); /* g3 did not begin */
	/* j joined running group R, and is now one of its members (4 -> 5) */
	assert_null(change_of(d, "j"));
	/* x joined S, whose count stayed 5: x left */
	assert_string_equal(change_of(d, "x"), "removed");
	assert_int_equal(count(d, "unchanged"), 3);
	const json_t *c = json_array_get(json_object_get(d, "learners"), 0);
	assert_string_equal(json_string_value(json_object_get(c, "learner")), "c");
	const json_t *now = json_array_get(json_object_get(c, "after"), 0);
	assert_string_equal(json_string_value(json_object_get(now, "running")), "g2");
	json_decref(d);
	/* g1 began with one of its two: one of them left (which one the
	 * answers cannot say), the other is in it */
	char b1[4096];
	snprintf(b1, sizeof b1, "%s", b);
	char *two = strstr(b1, "\"existing\": 2");
	two[strlen("\"existing\": ")] = '1';
	d = diff_of(a, b1, err, sizeof err);
	assert_non_null(d);
	assert_int_equal(!change_of(d, "a") + !change_of(d, "b"), 1);
	assert_int_equal(count(d, "removed"), 3); /* one of a and b, e, x */
	json_decref(d);
	/* with the members listed (existing_learners) the answers do say: b
	 * is in g1 and a left, whatever the count; in S (count 5, as before)
	 * x is listed, so x stayed */
	char b2[4096];
	snprintf(b2, sizeof b2, "%s", b1);
	char *at = strstr(b2, "\"existing\": 1");
	char tail[4096];
	snprintf(tail, sizeof tail, "%s", at + strlen("\"existing\": 1"));
	snprintf(at, sizeof b2 - (size_t)(at - b2),
		 "\"existing\": 1, \"existing_learners\": [\"b\"]%s", tail);
	at = strstr(b2, "\"existing\": 5}]");
	assert_non_null(at);
	snprintf(tail, sizeof tail, "%s", at + strlen("\"existing\": 5"));
	snprintf(at, sizeof b2 - (size_t)(at - b2),
		 "\"existing\": 5, \"existing_learners\": [\"u\", \"x\", \"v\", \"w\", 7]%s",
		 tail);
	d = diff_of(a, b2, err, sizeof err);
	assert_non_null(d);
	assert_string_equal(change_of(d, "a"), "removed");
	assert_null(change_of(d, "b"));
	assert_null(change_of(d, "x"));
	assert_int_equal(count(d, "removed"), 2); /* a, e */
	json_decref(d);
}

/* Malformed answers: the error names the side and the field. */
static void bad_answers(void **st)
{
	(void)st;
	char err[512];
	static const struct {
		const char *before, *after, *want;
	} cases[] = {
	    {"[]", "{\"groups\": []}", "before: expected an answer (a map), got array"},
	    {"{\"groups\": []}", "{}", "after.groups"},
	    {"{\"groups\": [{\"learners\": [1]}]}", "{\"groups\": []}",
	     "before.groups[0].learners[0]: expected a learner id"},
	    {"{\"groups\": [{\"dagdelen\": [\"mon-am\", 3]}]}", "{\"groups\": []}",
	     "before.groups[0].dagdelen[1]: expected a string"},
	    {"{\"groups\": []}", "{\"groups\": [], \"unplaced\": [{\"id\": \"x\"}]}",
	     "after.unplaced[0]: expected {learner: ID"},
	    {"{\"groups\": [{\"room\": {\"id\": 7}}]}", "{\"groups\": []}",
	     "before.groups[0].room.id: expected a string"},
	    {"{\"kind\": \"itc2007\", \"groups\": []}", "{\"groups\": []}",
	     "before.kind: only timetable answers"},
	    {"{\"groups\": []}", "{\"groups\": [], \"unplaced\": [{\"learner\": \"a\\u0000b\"}]}",
	     "after.unplaced[0]: string"},
	    {"{\"groups\": [{\"learners\": [\"x\\ty\"]}]}", "{\"groups\": []}",
	     "before.groups[0].learners[0]: string"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		err[0] = '\0';
		json_t *d = diff_of(cases[i].before, cases[i].after, err, sizeof err);
		if (d || !strstr(err, cases[i].want))
			fail_msg("case %zu: got '%s', want '%s'", i, err, cases[i].want);
	}
}

/* Placement answers: every kind of change, the why of each, a malformed
 * answer named by its field. (Single quotes for double.) */
static json_t *pm_of(const char *before, const char *after, char *err, size_t n)
{
	char *t[2] = {strdup(before), strdup(after)};
	for (int k = 0; k < 2; k++)
		for (char *q = t[k]; *q; q++)
			if (*q == '\'')
				*q = '"';
	json_t *d = run_diff(t[0], t[1], false, true, err, n);
	free(t[0]), free(t[1]);
	return d;
}

static const json_t *entry_of(const json_t *d, const char *id)
{
	size_t i;
	const json_t *e;
	json_array_foreach(json_object_get(d, "participants"), i, e)
		if (strcmp(json_string_value(json_object_get(e, "participant")), id) == 0)
			return e;
	return NULL;
}

static void placement_changes(void **st)
{
	(void)st;
	const char *before =
	    "{'kind': 'placement', 'placements': [{'id': 'w1', 'name': 'Kringloop'},"
	    " {'id': 'w2', 'name': 'Moestuin'}, {'id': 'w3', 'name': 'Gesloten'}],"
	    " 'matches': ["
	    "  {'participant': 'same', 'placement': 'w1', 'dagdelen': ['mon-am', 'wed-am'], 'hours': 7},"
	    "  {'participant': 'days', 'placement': 'w1', 'dagdelen': ['mon-am', 'wed-am'], 'hours': 7},"
	    "  {'participant': 'moved', 'placement': 'w1', 'dagdelen': ['tue-am'], 'hours': 3.5},"
	    "  {'participant': 'closed', 'placement': 'w3', 'dagdelen': ['tue-am'], 'hours': 3.5},"
	    "  {'participant': 'out', 'placement': 'w2', 'dagdelen': ['fri-pm'], 'hours': 3.5},"
	    "  {'participant': 'gone', 'placement': 'w2', 'dagdelen': ['fri-am'], 'hours': 3.5}],"
	    " 'unplaced': [{'participant': 'now', 'reasons': []}, {'participant': 'still', 'reasons': []}]}";
	const char *after =
	    "{'kind': 'placement', 'placements': [{'id': 'w1', 'name': 'Kringloop'},"
	    " {'id': 'w2', 'name': 'Moestuin'}],"
	    " 'matches': ["
	    "  {'participant': 'same', 'placement': 'w1', 'dagdelen': ['wed-am', 'mon-am'], 'hours': 7},"
	    "  {'participant': 'days', 'placement': 'w1', 'dagdelen': ['mon-am', 'thu-am'], 'hours': 7},"
	    "  {'participant': 'moved', 'placement': 'w2', 'dagdelen': ['tue-am'], 'hours': 3.5},"
	    "  {'participant': 'closed', 'placement': 'w2', 'dagdelen': ['tue-am'], 'hours': 3.5},"
	    "  {'participant': 'now', 'placement': 'w2', 'dagdelen': ['wed-pm'], 'hours': 3.5},"
	    "  {'participant': 'new', 'placement': 'w1', 'dagdelen': ['fri-am'], 'hours': 3.5}],"
	    " 'unplaced': [{'participant': 'still', 'reasons': []},"
	    "  {'participant': 'out', 'reasons': [{'code': 'capacity', 'text': 'w2 is full'}]}]}";
	char err[256] = "";
	json_t *d = pm_of(before, after, err, sizeof err);
	if (!d)
		fail_msg("%s", err);
	static const struct {
		const char *id, *change, *why;
	} want[] = {{"moved", "moved", NULL},
		    {"closed", "moved", "w3 (Gesloten) is not in this request"},
		    {"out", "unplaced", "w2 is full"},
		    {"gone", "removed", NULL},
		    {"days", "days", NULL},
		    {"now", "placed", NULL},
		    {"new", "added", NULL}};
	for (size_t k = 0; k < sizeof want / sizeof *want; k++) {
		const json_t *e = entry_of(d, want[k].id);
		if (!e)
			fail_msg("%s not listed", want[k].id);
		assert_string_equal(json_string_value(json_object_get(e, "change")), want[k].change);
		const char *why = json_string_value(json_object_get(e, "why"));
		if (want[k].why)
			assert_string_equal(why, want[k].why);
		else
			assert_null(why);
	}
	/* the same dagdelen in another order is no change; waiting in both is none */
	assert_null(entry_of(d, "same"));
	assert_null(entry_of(d, "still"));
	assert_int_equal(count(d, "participants"), 9);
	assert_int_equal(count(d, "unchanged"), 2);
	assert_int_equal(count(d, "moved"), 2);
	assert_int_equal(count(d, "waiting"), 2); /* out and still */
	/* sorted by change: moved first, added last */
	const json_t *ps = json_object_get(d, "participants");
	assert_string_equal(json_string_value(json_object_get(json_array_get(ps, 0), "change")),
			    "moved");
	assert_string_equal(json_string_value(json_object_get(
				json_array_get(ps, json_array_size(ps) - 1), "change")),
			    "added");
	const json_t *b = json_object_get(entry_of(d, "closed"), "before");
	assert_string_equal(json_string_value(json_object_get(b, "name")), "Gesloten");
	assert_true(json_is_null(json_object_get(entry_of(d, "gone"), "after")));
	json_decref(d);
	/* a malformed answer: its field named, nothing packed */
	d = pm_of(before, "{'kind': 'placement', 'matches': [{'participant': 'x', 'placement': 3}]}",
		  err, sizeof err);
	assert_null(d);
	assert_non_null(strstr(err, "matches[0].placement"));
	d = pm_of(before, "{'kind': 'timetable', 'groups': []}", err, sizeof err);
	assert_null(d);
	assert_non_null(strstr(err, "not a placement answer"));
	d = pm_of(before, "{'kind': 'placement', 'matches': [], 'unplaced': [{'participant': 'a'},"
			  " {'participant': 'a'}]}",
		  err, sizeof err);
	assert_null(d);
	assert_non_null(strstr(err, "listed twice"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(each_change),	 cmocka_unit_test(teachers_weeks),
	    cmocka_unit_test(same_answer),	 cmocka_unit_test(only_waiting),
	    cmocka_unit_test(why_from_outcomes), cmocka_unit_test(why_from_changes), cmocka_unit_test(groups_that_began),
	    cmocka_unit_test(bad_answers),	 cmocka_unit_test(placement_changes),
	};
	return cmocka_run_group_tests_name("diff", tests, NULL, NULL);
}
