/* test_erase.c: learner.erase's rewrite of stored requests and answers
 * (solver/tt_erase.c): the learner goes where the schema names them, other
 * entities sharing the string stay, counts follow, and an erased request
 * still decodes. */
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_mp.h"
#include "mp.h"
#include "tt_decode.h"
#include "tt_erase.h"
#include "tt_model.h"

static void pack_json(msgpack_sbuffer *sb, const json_t *j)
{
	msgpack_sbuffer_init(sb);
	msgpack_packer pk;
	msgpack_packer_init(&pk, sb, msgpack_sbuffer_write);
	json_to_msgpack(&pk, j);
}

static void unpack(msgpack_unpacked *u, const msgpack_sbuffer *sb)
{
	msgpack_unpacked_init(u);
	size_t off = 0;
	assert_int_equal(msgpack_unpack_next(u, sb->data, sb->size, &off), MSGPACK_UNPACK_SUCCESS);
}

/* tt_erase_learner on the JSON text `in`; the result as JSON (NULL when
 * the eraser reports no change). */
static json_t *erase_json(const char *in, const char *id)
{
	json_error_t je;
	json_t *j = json_loads(in, 0, &je);
	assert_non_null(j);
	msgpack_sbuffer sb;
	pack_json(&sb, j);
	json_decref(j);
	msgpack_sbuffer out;
	bool changed = tt_erase_learner(sb.data, sb.size, id, &out);
	msgpack_sbuffer_destroy(&sb);
	json_t *r = NULL;
	if (changed) {
		msgpack_unpacked u;
		unpack(&u, &out);
		r = msgpack_to_json(&u.data);
		msgpack_unpacked_destroy(&u);
	} else {
		assert_int_equal(out.size, 0);
	}
	msgpack_sbuffer_destroy(&out);
	return r;
}

static const char *str_at(json_t *j, const char *path)
{
	json_t *v = j;
	char buf[128];
	snprintf(buf, sizeof buf, "%s", path);
	for (char *save = NULL, *t = strtok_r(buf, ".", &save); t && v;
	     t = strtok_r(NULL, ".", &save))
		v = json_is_array(v) ? json_array_get(v, (size_t)atoi(t)) : json_object_get(v, t);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static json_int_t int_at(json_t *j, const char *key, size_t k, const char *field)
{
	json_t *v = json_object_get(json_array_get(json_object_get(j, key), k), field);
	assert_true(json_is_integer(v));
	return json_integer_value(v);
}

/* In a request: the learner's entry and group memberships go, members
 * follows; a room, a teacher and a household named "12" stay. */
static void request_positions_only(void **st)
{
	(void)st;
	json_t *r = erase_json(
		"{\"rooms\": [{\"id\": \"12\", \"location\": \"L\"}],"
		" \"teachers\": [{\"id\": \"12\"}],"
		" \"learners\": [{\"id\": \"12\"}, {\"id\": \"13\", \"household\": \"12\"}],"
		" \"running_groups\": [{\"id\": \"G\", \"room\": \"12\", \"teacher\": \"12\","
		"   \"members\": 3, \"learners\": [\"a\", \"12\", \"b\"]}],"
		" \"module_groups\": [{\"id\": \"M\", \"learners\": [\"12\", \"x\"]}]}",
		"12");
	assert_non_null(r);
	assert_int_equal(json_array_size(json_object_get(r, "learners")), 1);
	assert_string_equal(str_at(r, "learners.0.id"), "13");
	assert_string_equal(str_at(r, "learners.0.household"), "12");
	assert_string_equal(str_at(r, "rooms.0.id"), "12");
	assert_string_equal(str_at(r, "teachers.0.id"), "12");
	assert_string_equal(str_at(r, "running_groups.0.room"), "12");
	assert_string_equal(str_at(r, "running_groups.0.teacher"), "12");
	assert_string_equal(str_at(r, "running_groups.0.learners.0"), "a");
	assert_string_equal(str_at(r, "running_groups.0.learners.1"), "b");
	assert_int_equal(int_at(r, "running_groups", 0, "members"), 2);
	assert_string_equal(str_at(r, "module_groups.0.learners.0"), "x");
	assert_int_equal(json_array_size(json_object_get(json_array_get(
				 json_object_get(r, "module_groups"), 0), "learners")),
			 1);
	json_decref(r);
	/* entries without an id (not from the decoder, but stored bytes are
	 * not trusted) are kept */
	r = erase_json("{\"learners\": [{}, {\"id\": \"12\"}], \"unplaced\": [{}]}", "12");
	assert_non_null(r);
	assert_int_equal(json_array_size(json_object_get(r, "learners")), 1);
	assert_int_equal(json_array_size(json_object_get(r, "unplaced")), 1);
	json_decref(r);
	/* only other entities share the string: nothing changes */
	assert_null(erase_json("{\"rooms\": [{\"id\": \"12\"}], \"learners\": [{\"id\": \"13\"}]}",
			       "12"));
}

/* In an answer: group lists, size, placed, the learners count and the
 * unplaced entry follow; texts naming the learner lose the id (a time
 * 12:00, an id 120 and a size of 12 keep their digits). */
static void answer_counts_and_texts(void **st)
{
	(void)st;
	json_t *r = erase_json(
		"{\"groups\": [{\"room\": {\"id\": \"12\"}, \"learners\": [\"12\", \"c\"],"
		"   \"existing\": 3, \"size\": 5},"
		"  {\"running\": \"R\", \"learners\": [], \"existing\": 2,"
		"   \"existing_learners\": [\"12\", \"q\"], \"size\": 2}],"
		" \"placed\": 2, \"learners\": 4,"
		" \"unplaced\": [{\"learner\": \"z\", \"reasons\": [{\"code\": \"household\","
		"   \"text\": \"partner 12 in the same household attends on Tue 12:00 (120)\"}]},"
		"   {\"learner\": \"12\"}],"
		" \"message\": \"learner 12 must be placed\","
		" \"start\": {\"groups\": 1, \"changed\": [{\"learner\": \"12\", \"rule\": \"route\"},"
		"   {\"learner\": \"z\", \"reason\": \"partner 12 in the same household attends on Tue "
		"morning, when group g1 meets\"}]},"
		" \"check\": {\"violations\": [{\"message\": \"learner 12: provider K1, size 12\"},"
		"   {\"message\": \"learners z and 12 of one household\"},"
		"   {\"message\": \"learners 12 and z; group of 12.\"}]}}",
		"12");
	assert_non_null(r);
	assert_string_equal(str_at(r, "groups.0.room.id"), "12");
	assert_string_equal(str_at(r, "groups.0.learners.0"), "c");
	assert_int_equal(int_at(r, "groups", 0, "size"), 4);
	assert_int_equal(int_at(r, "groups", 0, "existing"), 3);
	/* a running group's listed members: the learner leaves them */
	assert_int_equal(int_at(r, "groups", 1, "existing"), 1);
	assert_int_equal(int_at(r, "groups", 1, "size"), 1);
	assert_string_equal(str_at(r, "groups.1.existing_learners.0"), "q");
	assert_int_equal(json_integer_value(json_object_get(r, "placed")), 1);
	assert_int_equal(json_integer_value(json_object_get(r, "learners")), 2);
	assert_int_equal(json_array_size(json_object_get(r, "unplaced")), 1);
	assert_string_equal(str_at(r, "unplaced.0.reasons.0.text"),
			    "partner (another learner) in the same household attends on Tue "
			    "12:00 (120)");
	assert_string_equal(str_at(r, "message"), "learner (another learner) must be placed");
	/* the start's learners whose lessons changed */
	assert_int_equal(json_array_size(json_object_get(json_object_get(r, "start"), "changed")), 1);
	assert_string_equal(str_at(r, "start.changed.0.learner"), "z");
	assert_string_equal(str_at(r, "start.changed.0.reason"),
			    "partner (another learner) in the same household attends on Tue "
			    "morning, when group g1 meets");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(r, "start"), "groups")),
			 1);
	assert_string_equal(str_at(r, "check.violations.0.message"),
			    "learner (another learner): provider K1, size 12");
	assert_string_equal(str_at(r, "check.violations.1.message"),
			    "learners z and (another learner) of one household");
	assert_string_equal(str_at(r, "check.violations.2.message"),
			    "learners (another learner) and z; group of 12.");
	json_decref(r);
}

/* A request's start is an earlier answer: the learner leaves its groups,
 * its unplaced list, its counts and its texts too, at any depth. */
static void request_start_as_answer(void **st)
{
	(void)st;
	json_t *r = erase_json(
		"{\"learners\": [{\"id\": \"12\"}, {\"id\": \"c\"}],"
		" \"start\": {\"groups\": [{\"room\": {\"id\": \"12\"}, \"learners\": [\"12\", \"c\"],"
		"   \"size\": 2}], \"placed\": 2, \"learners\": 3,"
		"   \"unplaced\": [{\"learner\": \"12\"}, {\"learner\": \"z\"}],"
		"   \"message\": \"learner 12 waits\","
		"   \"start\": {\"groups\": [{\"learners\": [\"12\"]}]}}}",
		"12");
	assert_non_null(r);
	assert_int_equal(json_array_size(json_object_get(r, "learners")), 1);
	json_t *s = json_object_get(r, "start");
	assert_string_equal(str_at(s, "groups.0.room.id"), "12");
	assert_string_equal(str_at(s, "groups.0.learners.0"), "c");
	assert_int_equal(int_at(s, "groups", 0, "size"), 1);
	assert_int_equal(json_integer_value(json_object_get(s, "placed")), 1);
	assert_int_equal(json_integer_value(json_object_get(s, "learners")), 1);
	assert_int_equal(json_array_size(json_object_get(s, "unplaced")), 1);
	assert_string_equal(str_at(s, "unplaced.0.learner"), "z");
	assert_string_equal(str_at(s, "message"), "learner (another learner) waits");
	assert_int_equal(json_array_size(json_object_get(
				 json_array_get(json_object_get(json_object_get(s, "start"), "groups"), 0),
				 "learners")),
			 0);
	json_decref(r);
}

/* An erased request still decodes: the learner in a running group is no
 * longer counted there (members followed the list). */
/* A participant out of a placement request and answer: its entry, its
 * match or unplaced entry, the counts, and its name in texts; another
 * participant and the placements stay. */
static void placement_participant(void **st)
{
	json_t *r = erase_json("{\"kind\": \"placement\", \"placements\": [{\"id\": \"w1\", "
			       "\"location\": \"L\"}], \"participants\": [{\"id\": \"d-1\"}, "
			       "{\"id\": \"d-2\", \"current\": \"w1\"}]}",
			       "d-1");
	assert_non_null(r);
	json_t *ps = json_object_get(r, "participants");
	assert_int_equal(json_array_size(ps), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(ps, 0), "id")), "d-2");
	json_decref(r);
	/* placement.match's request need not say its kind (nil is absent too) */
	const char *const bare[] = {
		"{\"placements\": [], \"participants\": [{\"id\": \"d-1\"}, {\"id\": \"d-2\"}]}",
		"{\"kind\": null, \"participants\": [{\"id\": \"d-1\"}, {\"id\": \"d-2\"}]}"};
	for (int k = 0; k < 2; k++) {
		r = erase_json(bare[k], "d-1");
		assert_non_null(r);
		ps = json_object_get(r, "participants");
		assert_int_equal(json_array_size(ps), 1);
		assert_string_equal(json_string_value(json_object_get(json_array_get(ps, 0), "id")),
				    "d-2");
		json_decref(r);
	}
	r = erase_json("{\"kind\": \"placement\", \"placed\": 1, \"participants\": 3, "
		       "\"matches\": [{\"participant\": \"d-1\", \"placement\": \"w1\"}],"
		       "\"unplaced\": [{\"participant\": \"d-2\", \"reasons\": []},"
		       "{\"participant\": \"d-3\", \"reasons\": []}],"
		       "\"placements\": [{\"id\": \"w1\", \"used\": 1}],"
		       "\"check\": {\"violations\": [{\"constraint\": \"must_place\", "
		       "\"message\": \"participant d-2 must be placed but is not\"}]}}",
		       "d-2");
	assert_non_null(r);
	assert_int_equal(json_integer_value(json_object_get(r, "participants")), 2);
	assert_int_equal(json_integer_value(json_object_get(r, "placed")), 1);
	assert_int_equal(json_array_size(json_object_get(r, "unplaced")), 1);
	assert_int_equal(json_array_size(json_object_get(r, "matches")), 1);
	char *text = json_dumps(r, JSON_COMPACT);
	assert_null(strstr(text, "d-2"));
	assert_non_null(strstr(text, "d-3"));
	free(text);
	json_decref(r);
	/* the matched one: placed and participants both lower */
	r = erase_json("{\"kind\": \"placement\", \"placed\": 1, \"participants\": 2, "
		       "\"matches\": [{\"participant\": \"d-1\", \"placement\": \"w1\"}],"
		       "\"unplaced\": [{\"participant\": \"d-2\", \"reasons\": []}]}",
		       "d-1");
	assert_int_equal(json_integer_value(json_object_get(r, "placed")), 0);
	assert_int_equal(json_integer_value(json_object_get(r, "participants")), 1);
	assert_int_equal(json_array_size(json_object_get(r, "matches")), 0);
	json_decref(r);
}

static void erased_request_decodes(void **st)
{
	(void)st;
	json_t *req;
	char err[256];
	assert_int_equal(json_read_file("tests/data/tiny.json", &req, err, sizeof err), 0);
	json_t *learners = json_object_get(req, "learners");
	json_t *moved = json_incref(json_array_get(learners, 0)); /* t-01 */
	const char *who = json_string_value(json_object_get(moved, "id"));
	char id[32];
	snprintf(id, sizeof id, "%s", who);
	json_array_remove(learners, 0);
	json_decref(moved);
	json_t *rg = json_pack("[{s:s, s:s, s:s, s:[s], s:s, s:s, s:i, s:[s,s,s]}]", "id", "G1",
			       "route", "Z", "level", "A0", "dagdelen", "mon-am", "room", "R1",
			       "teacher", "T1", "members", 3, "learners", id, "old-2", "old-3");
	assert_non_null(rg);
	json_object_set_new(req, "running_groups", rg);
	char *text = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	json_t *out = erase_json(text, id);
	free(text);
	assert_non_null(out);
	assert_int_equal(int_at(out, "running_groups", 0, "members"), 2);
	msgpack_sbuffer sb;
	pack_json(&sb, out);
	json_decref(out);
	msgpack_unpacked u;
	unpack(&u, &sb);
	tt_limits lim;
	tt_limits_default(&lim);
	tt_model m;
	mp_ctx c;
	mp_init(&c);
	int rc = tt_decode(&u.data, &lim, &m, &c);
	if (rc)
		print_error("decode: %s: %s\n", c.field, c.err);
	assert_int_equal(rc, 0);
	assert_int_equal(m.n_running, 1);
	assert_int_equal(m.running[0].n_members, 2);
	tt_model_free(&m);
	msgpack_unpacked_destroy(&u);
	msgpack_sbuffer_destroy(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(request_positions_only),
		cmocka_unit_test(answer_counts_and_texts),
		cmocka_unit_test(request_start_as_answer),
		cmocka_unit_test(erased_request_decodes),
		cmocka_unit_test(placement_participant),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
