/* test_decode.c: request decoding: the model it builds and the field paths of its errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "json_mp.h"
#include "rs_error.h"
#include "tt_decode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct decoded {
	msgpack_sbuffer sb;
	msgpack_unpacked u;
	tt_model m;
	mp_ctx c;
	int rc;
} decoded;

/* Decode tests/data/tiny.json after applying a JSON patch: an object whose
 * members replace top-level fields, or {"$learnerK": {...}} merged into learner K (0..7).
 * With bytes, the marker QXXQ in the packed request is overwritten with
 * those 4 bytes first (bytes JSON cannot carry). */
static void decode_with(decoded *d, const char *patch, uint32_t max_learners, const char *bytes)
{
	json_t *req;
	char err[256];
	assert_int_equal(json_read_file("tests/data/tiny.json", &req, err, sizeof err), 0);
	if (patch) {
		json_error_t je;
		json_t *p = json_loads(patch, 0, &je);
		assert_non_null(p);
		for (int k = 0; k < 8; k++) {
			char key[16];
			snprintf(key, sizeof key, "$learner%d", k);
			json_t *lk = json_object_get(p, key);
			if (lk) {
				json_object_update(json_array_get(json_object_get(req, "learners"), (size_t)k),
						   lk);
				json_object_del(p, key);
			}
		}
		json_object_update(req, p);
		json_decref(p);
	}
	msgpack_sbuffer_init(&d->sb);
	msgpack_packer pk;
	msgpack_packer_init(&pk, &d->sb, msgpack_sbuffer_write);
	json_to_msgpack(&pk, req);
	json_decref(req);
	if (bytes) {
		char *at = memmem(d->sb.data, d->sb.size, "QXXQ", 4);
		assert_non_null(at);
		memcpy(at, bytes, 4);
	}
	msgpack_unpacked_init(&d->u);
	size_t off = 0;
	assert_int_equal(msgpack_unpack_next(&d->u, d->sb.data, d->sb.size, &off),
			 MSGPACK_UNPACK_SUCCESS);
	tt_limits lim;
	tt_limits_default(&lim);
	if (max_learners)
		lim.max_learners = max_learners;
	mp_init(&d->c);
	d->rc = tt_decode(&d->u.data, &lim, &d->m, &d->c);
}

static void decode(decoded *d, const char *patch, uint32_t max_learners)
{
	decode_with(d, patch, max_learners, NULL);
}

static void done(decoded *d)
{
	if (!d->rc)
		tt_model_free(&d->m);
	msgpack_unpacked_destroy(&d->u);
	msgpack_sbuffer_destroy(&d->sb);
}

static void builds_the_model(void **st)
{
	(void)st;
	decoded d;
	decode(&d, NULL, 0);
	assert_int_equal(d.rc, 0);
	tt_model *m = &d.m;
	assert_int_equal(m->n_dagdelen, 10);
	assert_int_equal(m->dagdelen[3].day, 1);
	assert_int_equal(m->dagdelen[3].start_min, 13 * 60);
	assert_int_equal(m->n_learners, 8);
	assert_int_equal(m->n_rooms, 2);
	assert_int_equal(m->rooms[1].capacity, 8);
	assert_int_equal(m->learners[0].route, TT_ROUTE_Z);
	assert_true(m->learners[0].alfa);
	/* learner 1 is available mornings only: bits 0, 2, 4, 6, 8 */
	assert_int_equal(m->learners[1].avail, 0x155);
	assert_int_equal(m->learners[0].avail, 0x3ff);
	assert_int_equal(m->learners[2].travel[0], 22);
	/* waiting since 2026-10-01, as of 2026-12-18: 78 days = 11 weeks */
	assert_int_equal(m->learners[0].weeks_waiting, 11);
	/* contract 24 h; every dagdeel lasts 3 h, so the load unit is 3 h */
	assert_int_equal(m->teachers[0].max_load, 8);
	assert_int_equal(m->teachers[0].quals, TT_QUAL_NT2 | TT_QUAL_Z | TT_QUAL_ALFA);
	assert_int_equal(m->routes[TT_ROUTE_Z].min_size, 3);
	assert_true(m->w.unplaced == 1000);
	assert_string_equal(m->tz, "Europe/Amsterdam");
	done(&d);
}

static void expect_error(const char *patch, int code, const char *field, const char *words)
{
	decoded d;
	decode(&d, patch, 0);
	assert_int_equal(d.rc, code);
	if (strcmp(d.c.field, field) != 0)
		fail_msg("field '%s' (message '%s'), expected '%s'", d.c.field, d.c.err, field);
	if (!strstr(d.c.err, words))
		fail_msg("message '%s' lacks '%s'", d.c.err, words);
	done(&d);
}

static void errors_carry_paths(void **st)
{
	(void)st;
	expect_error("{\"$learner0\": {\"level\": \"C9\"}}", RS_EBADREQ, "learners[0].level",
		     "not one of A0, A1, A2, B1, B2");
	expect_error("{\"$learner0\": {\"available\": [\"mon-am\", \"sun-xx\"]}}", RS_EBADREQ,
		     "learners[0].available[1]", "unknown dagdeel 'sun-xx'");
	expect_error("{\"$learner0\": {\"travel\": {\"L9\": 10}}}", RS_EBADREQ,
		     "learners[0].travel.L9", "unknown location");
	expect_error("{\"$learner0\": {\"travel\": {\"L1\": -5}}}", RS_EBADREQ,
		     "learners[0].travel.L1", "outside 0..1440");
	expect_error("{\"$learner0\": {\"women_only\": true, \"gender\": \"m\"}}", RS_EBADREQ,
		     "learners[0].women_only", "gender 'f'");
	expect_error("{\"$learner0\": {\"waiting_since\": \"2026-02-30\"}}", RS_EBADREQ,
		     "learners[0].waiting_since", "not a date");
	expect_error("{\"$learner0\": {\"school_close\": \"3pm\"}}", RS_EBADREQ,
		     "learners[0].school_close", "HH:MM");
	expect_error("{\"$learner0\": {\"childcare\": \"K7\"}}", RS_EBADREQ,
		     "learners[0].childcare", "unknown childcare provider 'K7'");
	expect_error("{\"$learner0\": {\"id\": \"t-02\"}}", RS_EBADREQ, "learners[1].id",
		     "duplicate id 't-02'");
	expect_error("{\"rooms\": [{\"id\": \"R1\", \"location\": \"L1\"}]}", RS_EBADREQ,
		     "rooms[0].capacity", "required field missing");
	expect_error("{\"rooms\": 7}", RS_EBADREQ, "rooms", "expected an array, got integer");
	expect_error("{\"term\": {\"start\": \"2027-05-01\", \"end\": \"2027-01-01\"}}", RS_EBADREQ,
		     "term.end", "ends before it starts");
	expect_error("{\"dagdelen\": []}", RS_EBADREQ, "dagdelen", "at least one dagdeel");
	expect_error("{\"dagdelen\": [{\"id\": \"x\", \"day\": \"mon\", \"start\": \"09:00\", "
		     "\"end\": \"09:00\"}]}",
		     RS_EBADREQ, "dagdelen[0].end", "must end after it starts (09:00)");
	/* a term of Thursday to Saturday has no Monday for the fixture's dagdelen */
	expect_error("{\"term\": {\"start\": \"2027-01-07\", \"end\": \"2027-01-09\"}}",
		     RS_EBADREQ, "dagdelen[0].day", "the term (2027-01-07 to 2027-01-09) has no mon");
	expect_error("{\"routes\": {\"Z\": {\"min_size\": 9, \"max_size\": 4}}}", RS_EBADREQ,
		     "routes.Z", "min_size 9 exceeds max_size 4");
	expect_error("{\"routes\": {\"C1\": {}}}", RS_EBADREQ, "routes.C1", "unknown route");
	expect_error("{\"weights\": {\"happiness\": 3}}", RS_EBADREQ, "weights",
		     "unknown weight 'happiness'");
	expect_error("{\"room_capacity\": \"loose\"}", RS_EBADREQ, "room_capacity", "soft");
	expect_error("{\"teachers\": [{\"id\": \"T1\", \"qualifications\": [\"nt2\", \"pilot\"]}]}",
		     RS_EBADREQ, "teachers[0].qualifications[1]", "not one of nt2, alfa, z");
	/* two dagdelen of one day sharing minutes would let one teacher or
	 * room be booked in both */
	expect_error("{\"dagdelen\": [{\"id\": \"mon-am\", \"day\": \"mon\", \"start\": \"09:00\","
		     " \"end\": \"12:00\"}, {\"id\": \"mon-mid\", \"day\": \"mon\", \"start\":"
		     " \"11:30\", \"end\": \"14:00\"}]}",
		     RS_EBADREQ, "dagdelen[1]", "overlaps dagdelen[0] 'mon-am' (09:00-12:00)");
	expect_error("{\"$learner0\": {\"age\": \"old\"}}", RS_EBADREQ, "learners[0].age", "integer");
	expect_error("{\"$learner0\": {\"age\": 300}}", RS_EBADREQ, "learners[0].age", "0..120");
	expect_error("{\"$learner0\": {\"migrant\": 7}}", RS_EBADREQ, "learners[0].migrant",
		     "string");
	expect_error("{\"$learner0\": {\"available\": [\"mon-am\", \"mon-am\"]}}", RS_EBADREQ,
		     "learners[0].available[1]", "'mon-am' is listed twice");
	expect_error("{\"rooms\": [{\"id\": \"\", \"location\": \"L1\", \"capacity\": 8}]}",
		     RS_EBADREQ, "rooms[0].id", "must not be empty");
	expect_error("{\"teachers\": [{\"id\": \"\", \"qualifications\": [\"nt2\"]}]}", RS_EBADREQ,
		     "teachers[0].id", "must not be empty");
	expect_error("{\"term\": {\"start\": \"2027-01-04\", \"end\": \"2027-06-25\", \"tz\": \"x\"}}",
		     RS_EBADREQ, "term.tz", "not a time zone name");
	expect_error("{\"term\": {\"start\": \"2027-01-04\", \"end\": \"2027-06-25\", \"tz\": \"\"}}",
		     RS_EBADREQ, "term.tz", "not a time zone name");
	expect_error("{\"term\": {\"start\": \"2027-01-04\", \"end\": \"2027-06-25\","
		     " \"tz\": \"Europe/../etc\"}}",
		     RS_EBADREQ, "term.tz", "not a time zone name");
	/* tzdata's copies of every zone: right/ counts leap seconds */
	expect_error("{\"term\": {\"start\": \"2027-01-04\", \"end\": \"2027-06-25\","
		     " \"tz\": \"right/Europe/Amsterdam\"}}",
		     RS_EBADREQ, "term.tz", "not a time zone name");
	expect_error("{\"term\": {\"start\": \"2027-01-04\", \"end\": \"2027-06-25\","
		     " \"tz\": \"posix/Europe/Amsterdam\"}}",
		     RS_EBADREQ, "term.tz", "not a time zone name");
	/* an empty household id on a learner, as on a running group */
	expect_error("{\"$learner2\": {\"household\": \"\"}}", RS_EBADREQ, "learners[2].household",
		     "an empty household id");
}

/* Time zone names of tzdata's forms are taken as given. */
static void time_zone_names(void **st)
{
	(void)st;
	const char *ok[] = {"UTC", "Europe/Amsterdam", "America/Argentina/Buenos_Aires",
			    "Etc/GMT+1"};
	for (size_t k = 0; k < sizeof ok / sizeof ok[0]; k++) {
		char patch[200];
		snprintf(patch, sizeof patch,
			 "{\"term\": {\"start\": \"2027-01-04\", \"end\": \"2027-06-25\", \"tz\": \"%s\"}}",
			 ok[k]);
		decoded d;
		decode(&d, patch, 0);
		if (d.rc)
			fail_msg("%s: %s", ok[k], d.c.err);
		assert_string_equal(d.m.tz, ok[k]);
		done(&d);
	}
}

/* Error texts quote what clients sent; they leave as valid UTF-8. */
static void error_texts_clean(void **st)
{
	(void)st;
	char a[] = "ok \xc3\xa9 bad\xff\xfe tab\there \xe2\x82\xac \xed\xa0\x80 cut\xe2\x82";
	mp_text_clean(a);
	assert_string_equal(a, "ok \xc3\xa9 bad?? tab?here \xe2\x82\xac ??? cut");
	/* valid UTF-8 in a message is left as it is */
	char name[121];
	for (int i = 0; i < 60; i++)
		name[2 * i] = (char)0xc3, name[2 * i + 1] = (char)0xa9;
	name[120] = 0;
	char patch[256];
	snprintf(patch, sizeof patch, "{\"weights\": {\"%s\": 1}}", name);
	decoded d;
	decode(&d, patch, 0);
	assert_int_equal(d.rc, RS_EBADREQ);
	assert_non_null(strstr(d.c.err, name));
	done(&d);
}

/* Names and ids must be valid UTF-8 without control characters: answers
 * carry them to renderers and strict decoders. */
static void decode_bytes(decoded *d, const char *patch, const char *bytes)
{
	decode_with(d, patch, 0, bytes);
}

static void text_fields_clean(void **st)
{
	(void)st;
	const char *room = "{\"rooms\": [{\"id\": \"R1\", \"name\": \"QXXQ\", \"location\": \"L1\","
			   " \"capacity\": 10}]}";
	decoded d;
	decode_bytes(&d, room, "Q\xff\xfeQ");
	assert_int_equal(d.rc, RS_EBADREQ);
	assert_string_equal(d.c.field, "rooms[0].name");
	assert_non_null(strstr(d.c.err, "not valid UTF-8 (byte 2)"));
	done(&d);
	decode_bytes(&d, room, "Q\xc3\xa9Q"); /* e-acute: fine */
	assert_int_equal(d.rc, 0);
	assert_string_equal(d.m.rooms[0].name, "Q\xc3\xa9Q");
	done(&d);
	decode_bytes(&d, room, "Q\xed\xa0Q"); /* half a surrogate */
	assert_int_equal(d.rc, RS_EBADREQ);
	done(&d);
	/* an id in a list (str_of) */
	decode_bytes(&d, "{\"rooms\": [{\"id\": \"QXXQ\", \"location\": \"L1\","
			 " \"capacity\": 10}]}",
		     "Q\x80\x80Q");
	assert_int_equal(d.rc, RS_EBADREQ);
	assert_string_equal(d.c.field, "rooms[0].id");
	done(&d);
	expect_error("{\"rooms\": [{\"id\": \"R1\", \"name\": \"Lokaal\\n1\", \"location\": \"L1\","
		     " \"capacity\": 10}]}",
		     RS_EBADREQ, "rooms[0].name", "control character (byte 7)");
	expect_error("{\"$learner0\": {\"travel\": {\"L1\\u0001\": 5}}}", RS_EBADREQ,
		     "learners[0].travel", "control character (byte 3)");
}

static void limits_before_allocation(void **st)
{
	(void)st;
	decoded d;
	decode(&d, NULL, 5);
	assert_int_equal(d.rc, RS_ETOOLARGE);
	assert_string_equal(d.c.field, "learners");
	assert_non_null(strstr(d.c.err, "8 learners exceed the server's max_learners of 5"));
	done(&d);
	char big[400];
	memset(big, 'x', 200);
	big[200] = '\0';
	char patch[512];
	snprintf(patch, sizeof patch, "{\"$learner0\": {\"id\": \"%s\"}}", big);
	expect_error(patch, RS_ETOOLARGE, "learners[0].id", "exceeds the limit of 128");
}

static void soft_room_capacity_and_weights(void **st)
{
	(void)st;
	decoded d;
	decode(&d, "{\"room_capacity\": {\"soft\": 7}, \"weights\": {\"group\": 50}}", 0);
	assert_int_equal(d.rc, 0);
	assert_true(d.m.room_capacity_soft);
	assert_true(d.m.room_seat_penalty == 7);
	assert_true(d.m.w.group == 50);
	assert_true(d.m.w.unplaced == 1000);
	assert_true(d.m.w.pace == 0);
	done(&d);
	decode(&d, "{\"weights\": {\"pace\": 15}}", 0);
	assert_int_equal(d.rc, 0);
	assert_true(d.m.w.pace == 15);
	done(&d);
	/* the top level too: a misspelt running_groups would free its room and teacher */
	expect_error("{\"running_group\": []}", RS_EBADREQ, "running_group",
		     "did you mean 'running_groups'?");
	expect_error("{\"roomcapacity\": {\"soft\": 5}}", RS_EBADREQ, "roomcapacity",
		     "did you mean 'room_capacity'?");
	expect_error("{\"weights\": {\"tempo\": 1}}", RS_EBADREQ, "weights",
		     "unknown weight 'tempo' (unplaced, wait_week, group, spread, level, pref, "
		     "travel, pace, moved)");
}

/* weekly_hours: minutes in the model, -1 when absent; the limit named on error. */
static void weekly_hours(void **st)
{
	(void)st;
	decoded d;
	decode(&d, "{\"$learner0\": {\"weekly_hours\": 7.5}}", 0);
	assert_int_equal(d.rc, 0);
	assert_int_equal(d.m.learners[0].weekly_min, 450);
	assert_int_equal(d.m.learners[1].weekly_min, -1);
	done(&d);
	expect_error("{\"$learner0\": {\"weekly_hours\": 61}}", RS_EBADREQ,
		     "learners[0].weekly_hours", "61 is outside 0..60");
	expect_error("{\"$learner0\": {\"weekly_hours\": \"9\"}}", RS_EBADREQ,
		     "learners[0].weekly_hours", "expected a number");
}

/* module_groups: members' dagdelen become busy; unknown learners are named. */
static void module_groups(void **st)
{
	(void)st;
	decoded d;
	decode(&d, "{\"module_groups\": [{\"id\": \"MAP-1\", \"module\": \"MAP\", "
		   "\"dagdelen\": [\"mon-am\"], \"learners\": [\"t-02\"]}]}", 0);
	assert_int_equal(d.rc, 0);
	assert_int_equal(d.m.n_modules, 1);
	assert_string_equal(d.m.modules[0].module, "MAP");
	assert_int_equal(d.m.learners[1].busy, 1);
	assert_int_equal(d.m.learners[0].busy, 0);
	done(&d);
	expect_error("{\"module_groups\": [{\"id\": \"M\", \"module\": \"MAP\", "
		     "\"dagdelen\": [\"mon-am\"], \"learners\": [\"t-01\", \"x-9\"]}]}",
		     RS_EBADREQ, "module_groups[0].learners[1]", "unknown learner 'x-9'");
	expect_error("{\"module_groups\": [{\"id\": \"M\", \"module\": \"MAP\", "
		     "\"dagdelen\": [], \"learners\": []}]}",
		     RS_EBADREQ, "module_groups[0].dagdelen", "needs its dagdelen");
}

/* A misspelt field is an error naming it, with the nearest known one,
 * in every kind of entity: dropped, the rule it states would not apply. */
static void unknown_fields(void **st)
{
	(void)st;
	expect_error("{\"$learner0\": {\"partners_appart\": true}}", RS_EBADREQ,
		     "learners[0].partners_appart", "did you mean 'partners_apart'?");
	expect_error("{\"$learner1\": {\"availble\": [\"mon-am\"]}}", RS_EBADREQ,
		     "learners[1].availble", "did you mean 'available'?");
	expect_error("{\"$learner0\": {\"shoe_size\": 41}}", RS_EBADREQ, "learners[0].shoe_size",
		     "unknown field");
	expect_error("{\"routes\": {\"Z\": {\"min_sise\": 3}}}", RS_EBADREQ, "routes.Z.min_sise",
		     "'min_size'");
	expect_error("{\"term\": {\"start\": \"2027-01-04\", \"end\": \"2027-06-25\", "
		     "\"as-of\": \"2026-12-01\"}}",
		     RS_EBADREQ, "term.as-of", "'as_of'");
	expect_error("{\"$learner0\": {\"children\": [{\"age_band\": \"0-4\", \"school\": "
		     "\"15:00\"}]}}",
		     RS_EBADREQ, "learners[0].children[0].school", "unknown field");
	/* the fields a learner may carry without effect are still accepted */
	decoded d;
	decode(&d, "{\"$learner0\": {\"age\": 34, \"migrant\": \"asylum\", \"modules\": [\"MAP\"]}}",
	       0);
	assert_int_equal(d.rc, 0);
	done(&d);
}

/* The Onderwijsroute may be named in full (any case) or as OR, as a
 * learner's route and as a key of routes. */
static void onderwijsroute_full_name(void **st)
{
	(void)st;
	decoded d;
	decode(&d,
	       "{\"routes\": {\"Onderwijsroute\": {\"min_size\": 7}}, "
	       "\"$learner0\": {\"route\": \"onderwijsroute\"}, "
	       "\"$learner1\": {\"route\": \"OR\"}}",
	       0);
	assert_int_equal(d.rc, 0);
	assert_int_equal(d.m.routes[TT_ROUTE_OR].min_size, 7);
	assert_int_equal(d.m.learners[0].route, TT_ROUTE_OR);
	assert_int_equal(d.m.learners[1].route, TT_ROUTE_OR);
	done(&d);
	expect_error("{\"$learner0\": {\"route\": \"Onderwijsroutes\"}}", RS_EBADREQ,
		     "learners[0].route", "not one of B1, Z, OR, Onderwijsroute");
}

/* Room facilities: rooms list them, routes and learners need them; names
 * are interned in order of appearance; limits are named. */
static void room_facilities(void **st)
{
	(void)st;
	decoded d;
	decode(&d,
	       "{\"rooms\": [{\"id\": \"R1\", \"location\": \"L1\", \"capacity\": 10, "
	       "\"facilities\": [\"computers\", \"step_free\"]}, {\"id\": \"R2\", "
	       "\"location\": \"L1\", \"capacity\": 8, \"facilities\": [\"step_free\"]}], "
	       "\"routes\": {\"Z\": {\"room_needs\": [\"computers\"]}}, "
	       "\"$learner1\": {\"room_needs\": [\"step_free\", \"hearing_loop\"]}}",
	       0);
	assert_int_equal(d.rc, 0);
	assert_int_equal(d.m.n_facilities, 3);
	assert_string_equal(d.m.facilities[0], "computers");
	assert_string_equal(d.m.facilities[2], "hearing_loop");
	assert_int_equal(d.m.rooms[0].facilities, 3);
	assert_int_equal(d.m.rooms[1].facilities, 2);
	assert_int_equal(d.m.routes[TT_ROUTE_Z].room_needs, 1);
	assert_int_equal(d.m.routes[TT_ROUTE_B1].room_needs, 0);
	assert_int_equal(d.m.learners[1].room_needs, 6);
	assert_int_equal(d.m.learners[0].room_needs, 0);
	done(&d);
	expect_error("{\"$learner0\": {\"room_needs\": [\"a-name-of-thirty-three-bytes-long\"]}}",
		     RS_EBADREQ, "learners[0].room_needs[0]", "1 to 32 bytes, got 33");
	expect_error("{\"$learner0\": {\"room_needs\": \"step_free\"}}", RS_EBADREQ,
		     "learners[0].room_needs", "expected an array");
	/* 33 names over learners 0..3 (9 + 8 + 8 + 8) */
	char patch[2048];
	size_t w = (size_t)snprintf(patch, sizeof patch, "{");
	for (int k = 0, f = 0; k < 4; k++) {
		w += (size_t)snprintf(patch + w, sizeof patch - w, "%s\"$learner%d\": {\"room_needs\": [",
				      k ? ", " : "", k);
		for (int q = 0; q < (k ? 8 : 9); q++, f++)
			w += (size_t)snprintf(patch + w, sizeof patch - w, "%s\"f%d\"", q ? ", " : "", f);
		w += (size_t)snprintf(patch + w, sizeof patch - w, "]}");
	}
	snprintf(patch + w, sizeof patch - w, "}");
	expect_error(patch, RS_ETOOLARGE, "learners[3].room_needs[7]",
		     "more than 32 distinct facility names");
	/* eight distinct combinations over learners 0..7 */
	w = (size_t)snprintf(patch, sizeof patch, "{");
	for (int k = 0; k < 8; k++)
		w += (size_t)snprintf(patch + w, sizeof patch - w,
				      "%s\"$learner%d\": {\"room_needs\": [\"f%d\"]}", k ? ", " : "", k, k);
	snprintf(patch + w, sizeof patch - w, "}");
	expect_error(patch, RS_ETOOLARGE, "learners[7].room_needs",
		     "more than 7 distinct combinations of room_needs");
}

/* Per-skill levels: the grouping level is the lowest skill given, or the
 * route's level_skill when that skill is given; an explicit level wins. */
static void skill_levels(void **st)
{
	(void)st;
	decoded d;
	decode(&d, "{\"$learner0\": {\"level\": null, \"levels\": {\"speaking\": \"A2\", "
		   "\"reading\": \"A1\", \"writing\": \"A0\"}}, \"$learner1\": {\"level\": null, "
		   "\"levels\": {\"speaking\": \"B1\"}}, \"$learner2\": {\"levels\": "
		   "{\"speaking\": \"B1\"}}}",
	       0);
	assert_int_equal(d.rc, 0);
	assert_int_equal(d.m.learners[0].level, 0);
	assert_int_equal(d.m.learners[1].level, 3);
	assert_int_equal(d.m.learners[2].level, 0); /* tiny.json's own level A0 */
	done(&d);
	decode(&d, "{\"routes\": {\"Z\": {\"level_skill\": \"speaking\"}}, \"$learner0\": "
		   "{\"level\": null, \"levels\": {\"speaking\": \"A2\", \"writing\": \"A0\"}}, "
		   "\"$learner1\": {\"level\": null, \"levels\": {\"reading\": \"A1\", "
		   "\"writing\": \"A2\"}}}",
	       0);
	assert_int_equal(d.rc, 0);
	assert_int_equal(d.m.learners[0].level, 2);
	assert_int_equal(d.m.learners[1].level, 1); /* no speaking level: the lowest */
	done(&d);
	expect_error("{\"$learner0\": {\"level\": null}}", RS_EBADREQ, "learners[0].level",
		     "required field missing");
	expect_error("{\"$learner0\": {\"levels\": {\"spelling\": \"A1\"}}}", RS_EBADREQ,
		     "learners[0].levels", "unknown skill 'spelling'");
	expect_error("{\"$learner0\": {\"levels\": {\"reading\": \"C1\"}}}", RS_EBADREQ,
		     "learners[0].levels.reading", "not one of A0, A1, A2, B1, B2");
	expect_error("{\"$learner0\": {\"level\": null, \"levels\": {}}}", RS_EBADREQ,
		     "learners[0].levels", "names no skill");
	expect_error("{\"routes\": {\"B1\": {\"level_skill\": \"grammar\"}}}", RS_EBADREQ,
		     "routes.B1.level_skill", "not one of speaking, listening, reading, writing, lowest");
}

/* children with age bands stand for young_children and school_close. */
static void children_bands(void **st)
{
	(void)st;
	decoded d;
	decode(&d, "{\"$learner0\": {\"children\": [{\"age_band\": \"0-4\"}, {\"age_band\": "
		   "\"0-4\"}, {\"age_band\": \"4-12\", \"school_close\": \"15:15\"}, "
		   "{\"age_band\": \"4-12\", \"school_close\": \"14:00\"}, {\"age_band\": "
		   "\"12+\"}]}, \"$learner1\": {\"children\": "
		   "[{\"age_band\": \"4-12\"}]}}",
	       0);
	if (d.rc)
		fail_msg("%s: %s", d.c.field, d.c.err);
	assert_int_equal(d.m.learners[0].young_children, 2);
	assert_int_equal(d.m.learners[0].school_close_min, 14 * 60);
	assert_int_equal(d.m.learners[1].young_children, 0);
	assert_int_equal(d.m.learners[1].school_close_min, -1);
	done(&d);
	expect_error("{\"$learner0\": {\"children\": [{\"age_band\": \"0-4\"}], "
		     "\"young_children\": 1}}",
		     RS_EBADREQ, "learners[0].children", "not both");
	expect_error("{\"$learner0\": {\"children\": [{\"age_band\": \"0-4\", "
		     "\"school_close\": \"15:00\"}]}}",
		     RS_EBADREQ, "learners[0].children[0].school_close", "4-12 band");
	expect_error("{\"$learner0\": {\"children\": [{\"age_band\": \"5-9\"}]}}", RS_EBADREQ,
		     "learners[0].children[0].age_band", "not one of 0-4, 4-12, 12+");
}

/* Route hours a week: numbers of hours, kept in minutes; min above max is named. */
static void route_hours(void **st)
{
	(void)st;
	decoded d;
	decode(&d, "{\"routes\": {\"B1\": {\"min_hours\": 8.5, \"max_hours\": 12}}}", 0);
	assert_int_equal(d.rc, 0);
	assert_int_equal(d.m.routes[TT_ROUTE_B1].min_minutes, 510);
	assert_int_equal(d.m.routes[TT_ROUTE_B1].max_minutes, 720);
	assert_int_equal(d.m.routes[TT_ROUTE_Z].min_minutes, -1);
	assert_int_equal(d.m.routes[TT_ROUTE_Z].max_minutes, -1);
	done(&d);
	expect_error("{\"routes\": {\"Z\": {\"min_hours\": 9, \"max_hours\": 6}}}", RS_EBADREQ,
		     "routes.Z.min_hours", "min_hours 9 exceeds max_hours 6");
	expect_error("{\"routes\": {\"Z\": {\"max_hours\": 81}}}", RS_EBADREQ,
		     "routes.Z.max_hours", "outside 0..80");
}

/* A PVT group holds at most two mother tongues (an interpreter per
 * language) unless max_mother_tongues says otherwise; learners without a
 * stated tongue do not count, and other modules have no limit. */
static void module_group_tongues(void **st)
{
	(void)st;
	const char *tongues = "\"$learner0\": {\"mother_tongue\": \"ar\"}, "
			      "\"$learner1\": {\"mother_tongue\": \"ti\"}, "
			      "\"$learner2\": {\"mother_tongue\": \"ar\"}, "
			      "\"$learner3\": {\"mother_tongue\": \"so\"}";
	char patch[1024];
	snprintf(patch, sizeof patch,
		 "{%s, \"module_groups\": [{\"id\": \"P1\", \"module\": \"pvt\", "
		 "\"dagdelen\": [\"mon-am\"], \"learners\": [\"t-01\", \"t-02\", \"t-03\", "
		 "\"t-04\", \"t-05\"]}]}",
		 tongues);
	expect_error(patch, RS_EBADREQ, "module_groups[0].learners",
		     "pvt group P1 has learners of 3 mother tongues (ar, ti, so); at most 2");
	/* without the Somali speaker: two tongues and one unknown */
	snprintf(patch, sizeof patch,
		 "{%s, \"module_groups\": [{\"id\": \"P1\", \"module\": \"PVT\", "
		 "\"dagdelen\": [\"mon-am\"], \"learners\": [\"t-01\", \"t-02\", \"t-03\", "
		 "\"t-05\"]}]}",
		 tongues);
	decoded d;
	decode(&d, patch, 0);
	assert_int_equal(d.rc, 0);
	done(&d);
	snprintf(patch, sizeof patch,
		 "{%s, \"module_groups\": [{\"id\": \"P1\", \"module\": \"PVT\", "
		 "\"max_mother_tongues\": 3, \"dagdelen\": [\"mon-am\"], \"learners\": "
		 "[\"t-01\", \"t-02\", \"t-04\"]}]}",
		 tongues);
	decode(&d, patch, 0);
	assert_int_equal(d.rc, 0);
	done(&d);
	snprintf(patch, sizeof patch,
		 "{%s, \"module_groups\": [{\"id\": \"M1\", \"module\": \"MAP\", "
		 "\"dagdelen\": [\"mon-am\"], \"learners\": [\"t-01\", \"t-02\", \"t-04\"]}]}",
		 tongues);
	decode(&d, patch, 0);
	assert_int_equal(d.rc, 0);
	done(&d);
	snprintf(patch, sizeof patch,
		 "{%s, \"module_groups\": [{\"id\": \"M1\", \"module\": \"MAP\", "
		 "\"max_mother_tongues\": 1, \"dagdelen\": [\"mon-am\"], \"learners\": "
		 "[\"t-01\", \"t-03\", \"t-02\"]}]}",
		 tongues);
	expect_error(patch, RS_EBADREQ, "module_groups[0].learners",
		     "MAP group M1 has learners of 2 mother tongues (ar, ti); at most 1");
	snprintf(patch, sizeof patch,
		 "{\"module_groups\": [{\"id\": \"M1\", \"module\": \"MAP\", "
		 "\"max_mother_tongues\": 0, \"dagdelen\": [\"mon-am\"], \"learners\": []}]}");
	expect_error(patch, RS_EBADREQ, "module_groups[0].max_mother_tongues", "outside 1..200");
}

/* running_groups: the listed learners give the size, free_seats caps the
 * newcomers; a listed learner who is also waiting, or a members count that
 * disagrees with the list, is named. */
#define RG_PATCH(extra)                                                                  \
	"{\"running_groups\": [{\"id\": \"G1\", \"route\": \"Z\", \"level\": \"A0\", " \
	"\"dagdelen\": [\"mon-am\", \"wed-am\"], \"room\": \"R1\", \"teacher\": \"T1\", " extra "}]}"
static void running_groups(void **st)
{
	(void)st;
	decoded d;
	decode(&d, RG_PATCH("\"learners\": [\"c-1\", \"c-2\", \"c-3\"], \"free_seats\": 2"), 0);
	assert_int_equal(d.rc, 0);
	assert_int_equal(d.m.n_running, 1);
	assert_int_equal(d.m.running[0].n_members, 3);
	assert_true(d.m.running[0].has_free_seats);
	assert_int_equal(d.m.running[0].free_seats, 2);
	assert_int_equal(d.m.running[0].pace, 1); /* average unless given */
	/* the ids, for the answer's existing_learners */
	assert_non_null(d.m.running[0].member_ids);
	assert_string_equal(d.m.running[0].member_ids[0], "c-1");
	assert_string_equal(d.m.running[0].member_ids[2], "c-3");
	done(&d);
	decode(&d, RG_PATCH("\"members\": 4, \"pace\": \"fast\""), 0);
	assert_int_equal(d.rc, 0);
	assert_int_equal(d.m.running[0].pace, 2);
	assert_null(d.m.running[0].member_ids); /* a count alone */
	done(&d);
	expect_error(RG_PATCH("\"pace\": \"quick\""), RS_EBADREQ, "running_groups[0].pace",
		     "not one of slow, average, fast");
	decode(&d, RG_PATCH("\"members\": 5"), 0);
	assert_int_equal(d.rc, 0);
	assert_int_equal(d.m.running[0].n_members, 5);
	assert_false(d.m.running[0].has_free_seats);
	assert_true(d.m.running[0].may_join); /* no start date: taken to be young */
	done(&d);
	/* the four-week rule counts to the day newcomers would come: the term
	 * starts 2027-01-11, after the planning date 2026-12-18 */
	decode(&d, RG_PATCH("\"members\": 5, \"start\": \"2026-12-01\""), 0);
	assert_int_equal(d.rc, 0);
	assert_false(d.m.running[0].may_join); /* 17 days on as_of, 41 at the term's start */
	done(&d);
	/* one that would begin after the term (ends 2027-03-26) is not of it */
	expect_error(RG_PATCH("\"members\": 5, \"start\": \"2027-04-05\""), RS_EBADREQ,
		     "running_groups[0].start",
		     "'2027-04-05' is after the term's end (2027-03-26): a running group begins by then");
	decode(&d, RG_PATCH("\"members\": 5, \"start\": \"2027-03-26\""), 0);
	assert_int_equal(d.rc, 0);
	done(&d);
	/* a planning date past the term's end: a group without a start is not
	 * refused for the day it is taken to begin */
	decode(&d, "{\"term\": {\"start\": \"2027-01-11\", \"end\": \"2027-03-26\", "
		   "\"as_of\": \"2027-04-30\"}, \"running_groups\": [{\"id\": \"G1\", "
		   "\"route\": \"Z\", \"level\": \"A0\", \"dagdelen\": [\"mon-am\"], "
		   "\"room\": \"R1\", \"teacher\": \"T1\", \"members\": 5}]}",
	       0);
	assert_int_equal(d.rc, 0);
	assert_null(d.m.running[0].start);
	done(&d);
	decode(&d, RG_PATCH("\"members\": 5, \"start\": \"2026-12-15\""), 0);
	assert_int_equal(d.rc, 0);
	assert_true(d.m.running[0].may_join); /* 27 days at the term's start */
	done(&d);
	decode(&d, "{\"term\": {\"start\": \"2027-01-11\", \"end\": \"2027-03-26\", "
		   "\"as_of\": \"2027-02-08\"}, \"running_groups\": [{\"id\": \"G1\", "
		   "\"route\": \"Z\", \"level\": \"A0\", \"dagdelen\": [\"mon-am\"], "
		   "\"room\": \"R1\", \"teacher\": \"T1\", \"members\": 5, "
		   "\"start\": \"2027-01-11\"}]}",
	       0);
	assert_int_equal(d.rc, 0);
	assert_false(d.m.running[0].may_join); /* mid-term: 28 days on as_of (0 at the term's start) */
	done(&d);
	/* the households of the group's members: those with someone waiting are kept */
	decode(&d, "{\"$learner0\": {\"household\": \"h1\", \"partners_apart\": true}, "
		   "\"running_groups\": [{\"id\": \"G1\", \"route\": \"Z\", \"level\": \"A0\", "
		   "\"dagdelen\": [\"mon-am\", \"wed-am\"], \"room\": \"R1\", \"teacher\": \"T1\", "
		   "\"households\": [\"h-none\", \"h1\"]}]}",
	       0);
	assert_int_equal(d.rc, 0);
	assert_int_equal(d.m.running[0].n_households, 1);
	assert_int_equal(d.m.running[0].households[0], d.m.learners[0].household);
	done(&d);
	expect_error(RG_PATCH("\"households\": [\"\"]"), RS_EBADREQ,
		     "running_groups[0].households[0]", "empty household id");
	expect_error(RG_PATCH("\"households\": [7]"), RS_EBADREQ,
		     "running_groups[0].households[0]", "expected a string");
	expect_error(RG_PATCH("\"learners\": [\"c-1\", \"t-02\"]"), RS_EBADREQ,
		     "running_groups[0].learners[1]", "'t-02' is in running group 'G1' and also waiting");
	expect_error(RG_PATCH("\"learners\": [\"c-1\"], \"members\": 4"), RS_EBADREQ,
		     "running_groups[0].members", "members 4 disagrees with the 1 learners listed");
	expect_error(RG_PATCH("\"free_seats\": -1"), RS_EBADREQ, "running_groups[0].free_seats", "");
	expect_error(RG_PATCH("\"learners\": [\"c-1\", \"c-2\", \"c-1\"]"), RS_EBADREQ,
		     "running_groups[0].learners[2]", "'c-1' is listed twice");
	/* null means not given: no cap, and no members count to compare */
	decode(&d, RG_PATCH("\"learners\": [\"c-1\", \"c-2\"], \"members\": null, \"free_seats\": null"), 0);
	assert_int_equal(d.rc, 0);
	assert_int_equal(d.m.running[0].n_members, 2);
	assert_false(d.m.running[0].has_free_seats);
	done(&d);
}

/* locations[].closed_dates: kept for calendars; a bad date is named. */
static void location_closed_dates(void **st)
{
	(void)st;
	decoded d;
	decode(&d, "{\"locations\": [{\"id\": \"L1\", \"closed_dates\": [\"2027-03-01\", \"2027-03-02\"]}]}", 0);
	assert_int_equal(d.rc, 0);
	assert_int_equal(d.m.locations[0].n_closed_dates, 2);
	assert_string_equal(d.m.locations[0].closed_dates[1], "2027-03-02");
	done(&d);
	expect_error("{\"locations\": [{\"id\": \"L1\", \"closed_dates\": [\"2027-13-01\"]}]}", RS_EBADREQ,
		     "locations[0].closed_dates[0]", "not a date YYYY-MM-DD");
}

static void dates_and_times(void **st)
{
	(void)st;
	assert_int_equal(tt_parse_date("1970-01-01", 10), 0);
	assert_int_equal(tt_parse_date("2027-01-04", 10) - tt_parse_date("2026-12-28", 10), 7);
	assert_int_equal(tt_parse_date("2028-02-29", 10) - tt_parse_date("2028-02-28", 10), 1);
	assert_int_equal(tt_parse_date("2027-02-29", 10), -1);
	assert_int_equal(tt_parse_date("2027-1-04", 9), -1);
	assert_int_equal(tt_parse_hhmm("09:30", 5), 570);
	assert_int_equal(tt_parse_hhmm("24:01", 5), -1);
	assert_int_equal(tt_parse_hhmm("9:30", 4), -1);
}

/* start: an earlier answer's groups. What this request does not know is
 * left out, not refused (the request may have changed since); a wrong
 * shape is an error naming the field. */
static void start_groups(void **st)
{
	(void)st;
	decoded d;
	decode(&d, "{\"start\": {\"status\": \"optimal\", \"objective\": 5, \"groups\": ["
		   "{\"id\": \"g1\", \"running\": null, \"route\": \"Z\", \"level\": \"A1\", "
		   "\"pace\": \"fast\", \"alfa\": false, \"dagdelen\": [\"mon-am\", \"tue-pm\"], "
		   "\"location\": \"L1\", \"room\": {\"id\": \"R2\", \"name\": \"x\"}, "
		   "\"teacher\": \"T1\", \"learners\": [\"t-03\", \"gone-1\", \"t-01\", \"t-03\", "
		   "\"gone-1\"], \"size\": 3},"
		   "{\"running\": \"old\", \"dagdelen\": [\"mon-am\", \"sun-am\"], "
		   "\"room\": \"R9\", \"teacher\": null, \"learners\": [\"t-02\", \"gone-2\"]},"
		   "{\"dagdelen\": [\"tue-am\"], \"room\": \"R1\"}]}}",
	       0);
	assert_int_equal(d.rc, 0);
	tt_model *m = &d.m;
	assert_true(m->has_start);
	assert_int_equal(m->n_start, 3);
	/* ids, not listings: gone-1 twice and gone-2 */
	assert_int_equal(m->start_unknown, 2);
	const tt_start_group *g = &m->start[0];
	assert_int_equal(g->running, -1);
	assert_int_equal(g->route, TT_ROUTE_Z);
	assert_int_equal(g->level, 1);
	assert_int_equal(g->pace, 2);
	assert_int_equal(g->alfa, 0);
	assert_int_equal(g->women_only, -1);
	assert_int_equal(g->sessions, 1u << 0 | 1u << 3);
	assert_false(g->sessions_lost);
	assert_int_equal(g->location, 0);
	assert_int_equal(g->room, 1);
	assert_int_equal(g->teacher, 0);
	assert_int_equal(g->n_members, 2); /* t-03 listed twice counts once */
	assert_int_equal(g->members[0], 2);
	assert_int_equal(g->members[1], 0);
	/* a running group, room and dagdeel this request does not have */
	g = &m->start[1];
	assert_int_equal(g->running, -2);
	assert_true(g->sessions_lost);
	assert_int_equal(g->sessions, 1u);
	assert_int_equal(g->room, -1);
	assert_int_equal(g->teacher, -1);
	assert_int_equal(g->n_members, 1);
	assert_int_equal(m->start[2].n_members, 0);
	/* no location stated: its room's (none stated or known: none) */
	assert_int_equal(m->start[2].location, 0);
	assert_int_equal(m->start[1].location, -1);
	done(&d);
	decode(&d, "{\"start\": {\"groups\": []}, \"weights\": {\"moved\": 40}}", 0);
	assert_int_equal(d.rc, 0);
	assert_true(d.m.w.moved == 40);
	assert_true(d.m.has_start);
	assert_int_equal(d.m.n_start, 0);
	done(&d);
	expect_error("{\"start\": [1]}", RS_EBADREQ, "start", "map");
	expect_error("{\"start\": {\"objective\": 1}}", RS_EBADREQ, "start.groups", "required");
	expect_error("{\"start\": {\"groups\": [{\"learners\": \"t-01\"}]}}", RS_EBADREQ,
		     "start.groups[0].learners", "array");
	expect_error("{\"start\": {\"groups\": [{\"learners\": [\"t-01\", 7]}]}}", RS_EBADREQ,
		     "start.groups[0].learners[1]", "string");
	expect_error("{\"start\": {\"groups\": [{\"level\": \"C9\"}]}}", RS_EBADREQ,
		     "start.groups[0].level", "not one of");
	expect_error("{\"start\": {\"groups\": [{\"room\": {\"name\": \"R1\"}}]}}", RS_EBADREQ,
		     "start.groups[0].room", "needs its id");
	expect_error("{\"start\": {\"groups\": [{\"teacher\": {\"id\": 3}}]}}", RS_EBADREQ,
		     "start.groups[0].teacher.id", "string");
	/* group_seq: the ids the plan gave; an integer in range, null as none */
	decode(&d, "{\"start\": {\"groups\": [], \"group_seq\": 7}}", 0);
	assert_int_equal(d.rc, 0);
	assert_int_equal(d.m.start_seq, 7);
	done(&d);
	decode(&d, "{\"start\": {\"groups\": [], \"group_seq\": null}}", 0);
	assert_int_equal(d.rc, 0);
	assert_int_equal(d.m.start_seq, 0);
	done(&d);
	expect_error("{\"start\": {\"groups\": [], \"group_seq\": \"7\"}}", RS_EBADREQ,
		     "start.group_seq", "");
	expect_error("{\"start\": {\"groups\": [], \"group_seq\": -1}}", RS_EBADREQ,
		     "start.group_seq", "");
	expect_error("{\"start\": {\"groups\": [], \"group_seq\": 1000000001}}", RS_EBADREQ,
		     "start.group_seq", "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(builds_the_model),
		cmocka_unit_test(errors_carry_paths),
		cmocka_unit_test(error_texts_clean),
		cmocka_unit_test(text_fields_clean),
		cmocka_unit_test(time_zone_names),
		cmocka_unit_test(running_groups),
		cmocka_unit_test(location_closed_dates),
		cmocka_unit_test(limits_before_allocation),
		cmocka_unit_test(soft_room_capacity_and_weights),
		cmocka_unit_test(weekly_hours),
		cmocka_unit_test(module_groups),
		cmocka_unit_test(module_group_tongues),
		cmocka_unit_test(onderwijsroute_full_name),
		cmocka_unit_test(unknown_fields),
		cmocka_unit_test(room_facilities),
		cmocka_unit_test(route_hours),
		cmocka_unit_test(skill_levels),
		cmocka_unit_test(children_bands),
		cmocka_unit_test(dates_and_times),
		cmocka_unit_test(start_groups),
	};
	return cmocka_run_group_tests_name("decode", tests, NULL, NULL);
}
