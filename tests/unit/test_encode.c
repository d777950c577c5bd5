/* test_encode.c: answers encode to exactly one well-formed map and decode back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "json_mp.h"
#include "rs_error.h"
#include "tt_decode.h"
#include "tt_encode.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every map's keys are strings and the buffer holds exactly one object. */
static void keys_are_strings(const msgpack_object *o)
{
	if (o->type == MSGPACK_OBJECT_MAP) {
		for (uint32_t i = 0; i < o->via.map.size; i++) {
			assert_int_equal(o->via.map.ptr[i].key.type, MSGPACK_OBJECT_STR);
			keys_are_strings(&o->via.map.ptr[i].val);
		}
	} else if (o->type == MSGPACK_OBJECT_ARRAY) {
		for (uint32_t i = 0; i < o->via.array.size; i++)
			keys_are_strings(&o->via.array.ptr[i]);
	}
}

static void answer_round_trip(void **st)
{
	(void)st;
	json_t *req;
	char err[256];
	assert_int_equal(json_read_file("tests/data/tiny.json", &req, err, sizeof err), 0);
	msgpack_sbuffer rb;
	msgpack_sbuffer_init(&rb);
	msgpack_packer pk;
	msgpack_packer_init(&pk, &rb, msgpack_sbuffer_write);
	json_to_msgpack(&pk, req);
	json_decref(req);
	msgpack_unpacked ru;
	msgpack_unpacked_init(&ru);
	size_t off = 0;
	assert_int_equal(msgpack_unpack_next(&ru, rb.data, rb.size, &off), MSGPACK_UNPACK_SUCCESS);
	tt_limits lim;
	tt_limits_default(&lim);
	mp_ctx c;
	mp_init(&c);
	tt_model m;
	assert_int_equal(tt_decode(&ru.data, &lim, &m, &c), 0);

	/* a plan: learners 0, 2, 4 in one group on mon-am, wed-am; the rest unplaced */
	tt_solution s = {0};
	s.status = TT_FEASIBLE;
	s.objective = 123.5;
	s.bound = 100;
	s.gap = (123.5 - 100) / 123.5;
	s.n_groups = 1;
	s.groups = xcalloc(1, sizeof *s.groups);
	tt_group *g = &s.groups[0];
	*g = (tt_group){.running = -1, .route = TT_ROUTE_Z, .level = 0, .alfa = true,
			.sessions = 1u << 0 | 1u << 4, .location = 0, .room = 1, .teacher = 0};
	g->members = xcalloc(3, sizeof(int));
	g->members[g->n_members++] = 0;
	g->members[g->n_members++] = 2;
	g->members[g->n_members++] = 4;
	s.unplaced = xcalloc(5, sizeof *s.unplaced);
	for (int i = 0; i < 8; i++)
		if (i != 0 && i != 2 && i != 4)
			s.unplaced[s.n_unplaced++].learner = i;
	s.unplaced[0].n_reasons = 1;
	s.unplaced[0].reasons = xcalloc(1, sizeof(tt_reason));
	s.unplaced[0].reasons[0] = (tt_reason){TT_R_CHILDCARE, xstrdup("no childcare place")};

	msgpack_sbuffer ab;
	msgpack_sbuffer_init(&ab);
	msgpack_packer_init(&pk, &ab, msgpack_sbuffer_write);
	tt_answer_meta meta = {.job = "j-1", .plan = "p-1", .tenant = "test", .version = 1};
	tt_encode_answer(&pk, &m, &s, NULL, &meta);
	msgpack_unpacked au;
	msgpack_unpacked_init(&au);
	off = 0;
	assert_int_equal(msgpack_unpack_next(&au, ab.data, ab.size, &off), MSGPACK_UNPACK_SUCCESS);
	assert_int_equal(off, ab.size); /* exactly one object: every map count is right */
	keys_are_strings(&au.data);
	const msgpack_object *groups = mp_get(&au.data, "groups");
	assert_non_null(groups);
	assert_int_equal(groups->via.array.size, 1);
	const msgpack_object *g0 = &groups->via.array.ptr[0];
	assert_true(mp_eq(mp_get(g0, "id"), "g1"));
	assert_true(mp_eq(mp_get(mp_get(g0, "room"), "id"), "R2"));
	assert_int_equal(mp_get(g0, "size")->via.u64, 3);
	assert_true(mp_eq(mp_get(&au.data, "status"), "feasible"));
	const msgpack_object *un = mp_get(&au.data, "unplaced");
	assert_int_equal(un->via.array.size, 5);
	const msgpack_object *r0 = &mp_get(&un->via.array.ptr[0], "reasons")->via.array.ptr[0];
	assert_true(mp_eq(mp_get(r0, "code"), "childcare"));

	/* back to a tt_solution, as `rooster check` reads it */
	tt_solution back;
	mp_init(&c);
	assert_int_equal(tt_decode_solution(&au.data, &m, &back, &c), 0);
	assert_int_equal(back.n_groups, 1);
	assert_int_equal(back.groups[0].sessions, g->sessions);
	assert_int_equal(back.groups[0].room, 1);
	assert_int_equal(back.groups[0].n_members, 3);
	assert_int_equal(back.groups[0].members[2], 4);
	assert_int_equal(back.n_unplaced, 5);
	assert_true(back.objective == 123.5);
	tt_solution_free(&back);

	msgpack_unpacked_destroy(&au);
	msgpack_sbuffer_destroy(&ab);
	tt_solution_free(&s);
	tt_model_free(&m);
	msgpack_unpacked_destroy(&ru);
	msgpack_sbuffer_destroy(&rb);
}

/* An answer stored before the daemon refused invalid UTF-8 may carry it:
 * the client's JSON keeps the rest of the text, with '?' for bad bytes,
 * instead of a string jansson cannot write. */
static void invalid_text_to_json(void **st)
{
	(void)st;
	msgpack_sbuffer sb;
	msgpack_sbuffer_init(&sb);
	msgpack_packer pk;
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 2);
	msgpack_pack_str_with_body(&pk, "k\xffy", 3);
	msgpack_pack_str_with_body(&pk, "Q\xff\xfeQ \xc3\xa9", 7);
	msgpack_pack_str_with_body(&pk, "ok", 2);
	msgpack_pack_str_with_body(&pk, "cut \xe2\x82", 6);
	msgpack_unpacked u;
	msgpack_unpacked_init(&u);
	size_t off = 0;
	assert_int_equal(msgpack_unpack_next(&u, sb.data, sb.size, &off), MSGPACK_UNPACK_SUCCESS);
	json_t *j = msgpack_to_json(&u.data);
	assert_non_null(j);
	char *text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
	assert_non_null(text);
	assert_string_equal(text, "{\"k?y\":\"Q??Q \\u00E9\",\"ok\":\"cut ??\"}");
	free(text);
	json_decref(j);
	msgpack_unpacked_destroy(&u);
	msgpack_sbuffer_destroy(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(answer_round_trip),
		cmocka_unit_test(invalid_text_to_json),
	};
	return cmocka_run_group_tests_name("encode", tests, NULL, NULL);
}
