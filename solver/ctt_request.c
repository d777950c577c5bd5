/* ctt_request.c: ITC2007 course-timetabling requests (kind "itc2007") and their answers.
 *
 * The request is the JSON/msgpack form `rooster import ctt` writes. Every
 * field is type-checked here with paths; the instance itself is then built
 * by writing .ctt text and handing it to ctt_parse, so one parser owns the
 * format's rules and limits. */
#include "ctt_request.h"

#include "rs_error.h"
#include "xalloc.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct textbuf {
	char *p;
	size_t n, cap;
} textbuf;

static void tb_printf(textbuf *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void tb_printf(textbuf *t, const char *fmt, ...)
{
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	int need = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (t->n + (size_t)need + 1 > t->cap) {
		t->cap = (t->n + (size_t)need + 1) * 2;
		t->p = xrealloc(t->p, t->cap);
	}
	vsnprintf(t->p + t->n, (size_t)need + 1, fmt, ap2);
	va_end(ap2);
	t->n += (size_t)need;
}

/* The number the next line written to t will have (1-based). */
static int tb_next_line(const textbuf *t)
{
	int n = 1;
	for (size_t i = 0; i < t->n; i++)
		n += t->p[i] == '\n';
	return n;
}

/* Lines first..first+n-1 of the text came from key[0..n-1]. */
typedef struct line_span {
	const char *key;
	int first, n;
} line_span;

/* A parser error "line N: what" on the text written from a request names
 * the request's field instead (the text is never shown to anyone):
 * "courses[3]: what". Other errors keep their words. */
static int fail_at_field(mp_ctx *c, int rc, const char *err, const line_span *spans, int n_spans)
{
	int line = 0, off = 0;
	if (sscanf(err, "line %d: %n", &line, &off) == 1 && off > 0)
		for (int k = 0; k < n_spans; k++)
			if (line >= spans[k].first && line < spans[k].first + spans[k].n) {
				size_t sv = mp_push_key(c, spans[k].key);
				mp_push_idx(c, (size_t)(line - spans[k].first));
				mp_fail(c, rc, "%s", err + off);
				mp_pop(c, sv);
				return rc;
			}
	return mp_fail(c, rc, "%s", err);
}

/* An id token: 1..CTT_MAX_ID bytes, none of them whitespace or another
 * control character (the .ctt format splits on whitespace; a NUL would cut
 * the id short). */
static bool tok_ok(const char *p, size_t n)
{
	/* nor what the .ctt text would read as a section: "X:" or "END." */
	if (n == 0 || n > CTT_MAX_ID || p[n - 1] == ':' || (n == 4 && memcmp(p, "END.", 4) == 0))
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)p[i] <= 0x20 || p[i] == 0x7f)
			return false;
	return true;
}

static int get_tok(mp_ctx *c, const msgpack_object *o, const char *key, char *buf, size_t n)
{
	char *s = NULL;
	int rc = mp_field_str(c, o, key, true, CTT_MAX_ID, &s);
	if (rc)
		return rc;
	const char *p;
	size_t len;
	if (!mp_str(mp_get(o, key), &p, &len) || !tok_ok(p, len)) {
		size_t sv = mp_push_key(c, key);
		rc = mp_fail(c, RS_EBADREQ,
			     "an id must be non-empty, without spaces or control characters, "
			     "and neither end in ':' nor be END.");
		mp_pop(c, sv);
	} else {
		snprintf(buf, n, "%s", s);
	}
	free(s);
	return rc;
}

/* The fields of an itc2007 request (what `rooster import ctt` writes, and
 * the envelope the daemon reads) and of its entries: a misspelt one is an
 * error, not a constraint dropped in silence. */
static const char *const top_keys[] = {"kind",	 "name",	  "days", "periods_per_day",
				       "courses", "rooms",	  "curricula", "unavailability",
				       "tenant",	 "wait",	  "time_limit", "seed",
				       "gap",	 "node_limit", "threads", "idempotency_key",
				       NULL};
static const char *const course_keys[] = {"id", "teacher", "lectures", "min_days", "students", NULL};
static const char *const room_keys[] = {"id", "capacity", NULL};
static const char *const curriculum_keys[] = {"id", "courses", NULL};
static const char *const unavail_keys[] = {"course", "day", "period", NULL};

int ctt_from_request(const msgpack_object *req, ctt_instance *out, mp_ctx *c)
{
	memset(out, 0, sizeof *out);
	textbuf t = {0};
	char name[CTT_MAX_ID + 1] = "request";
	int64_t days = 0, ppd = 0;
	const msgpack_object_array *courses, *rooms, *curricula, *un;
	int rc = mp_known_keys(c, req, top_keys, "docs/schema.md, ITC2007");
	if (!rc)
		rc = mp_field_int(c, req, "days", true, 1, CTT_MAX_DAYS, &days);
	if (!rc)
		rc = mp_field_int(c, req, "periods_per_day", true, 1, CTT_MAX_PERIODS_PER_DAY, &ppd);
	if (!rc && mp_get(req, "name"))
		rc = get_tok(c, req, "name", name, sizeof name);
	if (!rc)
		rc = mp_field_array(c, req, "courses", true, CTT_MAX_COURSES, &courses);
	if (!rc)
		rc = mp_field_array(c, req, "rooms", true, CTT_MAX_ROOMS, &rooms);
	if (!rc)
		rc = mp_field_array(c, req, "curricula", false, CTT_MAX_CURRICULA, &curricula);
	if (!rc)
		rc = mp_field_array(c, req, "unavailability", false, 1000000, &un);
	for (int k = 0; k < 2 && !rc; k++) {
		if ((k ? rooms : courses)->size > 0)
			continue;
		size_t sv = mp_push_key(c, k ? "rooms" : "courses");
		rc = mp_fail(c, RS_EBADREQ, "at least one %s is needed", k ? "room" : "course");
		mp_pop(c, sv);
	}
	if (rc)
		return rc;
	tb_printf(&t, "Name: %s\nCourses: %u\nRooms: %u\nDays: %" PRId64 "\nPeriods_per_day: %" PRId64
		      "\nCurricula: %u\nConstraints: %u\n\nCOURSES:\n",
		  name, courses->size, rooms->size, days, ppd, curricula ? curricula->size : 0,
		  un ? un->size : 0);
	line_span spans[4] = {{"courses", tb_next_line(&t), (int)courses->size}};
	for (uint32_t i = 0; i < courses->size && !rc; i++) {
		size_t sv = mp_push_key(c, "courses");
		mp_push_idx(c, i);
		const msgpack_object *o = &courses->ptr[i];
		char id[CTT_MAX_ID + 1], teacher[CTT_MAX_ID + 1];
		int64_t lec = 0, md = 0, st = 0;
		if (o->type != MSGPACK_OBJECT_MAP)
			rc = mp_fail(c, RS_EBADREQ, "expected a map");
		if (!rc)
			rc = mp_known_keys(c, o, course_keys, "docs/schema.md, ITC2007");
		if (!rc)
			rc = get_tok(c, o, "id", id, sizeof id);
		if (!rc)
			rc = get_tok(c, o, "teacher", teacher, sizeof teacher);
		if (!rc)
			rc = mp_field_int(c, o, "lectures", true, 0, CTT_MAX_LECTURES_PER_COURSE, &lec);
		if (!rc)
			rc = mp_field_int(c, o, "min_days", true, 0, CTT_MAX_DAYS, &md);
		if (!rc)
			rc = mp_field_int(c, o, "students", true, 0, CTT_MAX_STUDENTS, &st);
		if (!rc)
			tb_printf(&t, "%s %s %" PRId64 " %" PRId64 " %" PRId64 "\n", id, teacher, lec,
				  md, st);
		mp_pop(c, sv);
	}
	if (!rc)
		tb_printf(&t, "\nROOMS:\n");
	spans[1] = (line_span){"rooms", tb_next_line(&t), (int)rooms->size};
	for (uint32_t i = 0; i < rooms->size && !rc; i++) {
		size_t sv = mp_push_key(c, "rooms");
		mp_push_idx(c, i);
		const msgpack_object *o = &rooms->ptr[i];
		char id[CTT_MAX_ID + 1];
		int64_t cap = 0;
		if (o->type != MSGPACK_OBJECT_MAP)
			rc = mp_fail(c, RS_EBADREQ, "expected a map");
		if (!rc)
			rc = mp_known_keys(c, o, room_keys, "docs/schema.md, ITC2007");
		if (!rc)
			rc = get_tok(c, o, "id", id, sizeof id);
		if (!rc)
			rc = mp_field_int(c, o, "capacity", true, 0, CTT_MAX_STUDENTS, &cap);
		if (!rc)
			tb_printf(&t, "%s %" PRId64 "\n", id, cap);
		mp_pop(c, sv);
	}
	if (!rc)
		tb_printf(&t, "\nCURRICULA:\n");
	spans[2] = (line_span){"curricula", tb_next_line(&t), curricula ? (int)curricula->size : 0};
	for (uint32_t i = 0; curricula && i < curricula->size && !rc; i++) {
		size_t sv = mp_push_key(c, "curricula");
		mp_push_idx(c, i);
		const msgpack_object *o = &curricula->ptr[i];
		char id[CTT_MAX_ID + 1];
		const msgpack_object_array *members = NULL;
		if (o->type != MSGPACK_OBJECT_MAP)
			rc = mp_fail(c, RS_EBADREQ, "expected a map");
		if (!rc)
			rc = mp_known_keys(c, o, curriculum_keys, "docs/schema.md, ITC2007");
		if (!rc)
			rc = get_tok(c, o, "id", id, sizeof id);
		if (!rc)
			rc = mp_field_array(c, o, "courses", true, CTT_MAX_COURSES, &members);
		if (!rc)
			tb_printf(&t, "%s %u", id, members->size);
		for (uint32_t k = 0; !rc && k < members->size; k++) {
			const char *p;
			size_t n;
			if (!mp_str(&members->ptr[k], &p, &n) || !tok_ok(p, n)) {
				mp_push_key(c, "courses");
				mp_push_idx(c, k);
				rc = mp_fail(c, RS_EBADREQ,
					     "expected a course id (non-empty, without spaces or "
					     "control characters, not ending in ':')");
			} else {
				tb_printf(&t, " %.*s", (int)n, p);
			}
		}
		if (!rc)
			tb_printf(&t, "\n");
		mp_pop(c, sv);
	}
	if (!rc)
		tb_printf(&t, "\nUNAVAILABILITY_CONSTRAINTS:\n");
	spans[3] = (line_span){"unavailability", tb_next_line(&t), un ? (int)un->size : 0};
	for (uint32_t i = 0; un && i < un->size && !rc; i++) {
		size_t sv = mp_push_key(c, "unavailability");
		mp_push_idx(c, i);
		const msgpack_object *o = &un->ptr[i];
		char id[CTT_MAX_ID + 1];
		int64_t d = 0, p = 0;
		if (o->type != MSGPACK_OBJECT_MAP)
			rc = mp_fail(c, RS_EBADREQ, "expected a map");
		if (!rc)
			rc = mp_known_keys(c, o, unavail_keys, "docs/schema.md, ITC2007");
		if (!rc)
			rc = get_tok(c, o, "course", id, sizeof id);
		if (!rc)
			rc = mp_field_int(c, o, "day", true, 0, days - 1, &d);
		if (!rc)
			rc = mp_field_int(c, o, "period", true, 0, ppd - 1, &p);
		if (!rc)
			tb_printf(&t, "%s %" PRId64 " %" PRId64 "\n", id, d, p);
		mp_pop(c, sv);
	}
	if (!rc) {
		tb_printf(&t, "\nEND.\n");
		char err[256];
		rc = ctt_parse(t.p, t.n, out, err, sizeof err);
		if (rc)
			fail_at_field(c, rc, err, spans, 4);
	}
	free(t.p);
	return rc;
}

void ctt_encode_answer(msgpack_packer *pk, const ctt_instance *in, const ctt_solution *sol,
		       const ctt_score *sc, double seconds, const char *status,
		       const ctt_answer_meta *meta)
{
	msgpack_pack_map(pk, 14);
	mp_pack_kv_str(pk, "job", meta ? meta->job : NULL);
	mp_pack_kv_str(pk, "plan", meta ? meta->plan : NULL);
	mp_pack_kv_int(pk, "version", 1);
	mp_pack_kv_str(pk, "kind", "itc2007");
	mp_pack_kv_str(pk, "tenant", meta ? meta->tenant : NULL);
	mp_pack_kv_str(pk, "name", in->name);
	mp_pack_kv_str(pk, "status", status);
	mp_pack_kv_num(pk, "objective", sc->soft);
	/* no lower bound is computed for UD2 yet: 0 is the trivial, valid one */
	mp_pack_kv_num(pk, "bound", 0);
	mp_pack_kv_num(pk, "gap", sc->soft > 0 ? 1.0 : 0.0);
	mp_pack_kv_num(pk, "seconds", seconds);
	mp_pack_str(pk, "score");
	msgpack_pack_map(pk, 11);
	mp_pack_kv_int(pk, "hard", sc->hard);
	mp_pack_kv_int(pk, "missing_lectures", sc->missing_lectures);
	mp_pack_kv_int(pk, "extra_lectures", sc->extra_lectures);
	mp_pack_kv_int(pk, "room_conflicts", sc->room_conflicts);
	mp_pack_kv_int(pk, "curriculum_conflicts", sc->curriculum_conflicts);
	mp_pack_kv_int(pk, "teacher_conflicts", sc->teacher_conflicts);
	mp_pack_kv_int(pk, "unavailability", sc->unavailability);
	mp_pack_kv_int(pk, "room_capacity", sc->room_capacity);
	mp_pack_kv_int(pk, "min_working_days", sc->min_working_days);
	mp_pack_kv_int(pk, "compactness", sc->compactness);
	mp_pack_kv_int(pk, "room_stability", sc->room_stability);
	mp_pack_str(pk, "check");
	msgpack_pack_map(pk, 2);
	mp_pack_kv_bool(pk, "ok", sc->hard == 0);
	mp_pack_kv_int(pk, "penalty", sc->soft);
	mp_pack_str(pk, "lectures");
	msgpack_pack_array(pk, (size_t)sol->n);
	for (int i = 0; i < sol->n; i++) {
		const ctt_assign *a = &sol->a[i];
		msgpack_pack_map(pk, 4);
		mp_pack_kv_str(pk, "course", in->courses[a->course].id);
		mp_pack_kv_str(pk, "room", in->rooms[a->room].id);
		mp_pack_kv_int(pk, "day", a->day);
		mp_pack_kv_int(pk, "period", a->period);
	}
}

int ctt_solution_from_answer(const ctt_instance *in, const msgpack_object *ans, ctt_solution *sol,
			     mp_ctx *c)
{
	memset(sol, 0, sizeof *sol);
	const msgpack_object_array *a;
	int rc = mp_field_array(c, ans, "lectures", true, CTT_MAX_SOL_LINES, &a);
	if (rc)
		return rc;
	textbuf t = {0};
	tb_printf(&t, "%s", "");
	for (uint32_t i = 0; i < a->size && !rc; i++) {
		const msgpack_object *o = &a->ptr[i];
		char course[CTT_MAX_ID + 1], room[CTT_MAX_ID + 1];
		int64_t d = 0, p = 0;
		size_t sv = mp_push_key(c, "lectures");
		mp_push_idx(c, i);
		rc = get_tok(c, o, "course", course, sizeof course);
		if (!rc)
			rc = get_tok(c, o, "room", room, sizeof room);
		if (!rc)
			rc = mp_field_int(c, o, "day", true, 0, CTT_MAX_DAYS, &d);
		if (!rc)
			rc = mp_field_int(c, o, "period", true, 0, CTT_MAX_PERIODS_PER_DAY, &p);
		if (!rc)
			tb_printf(&t, "%s %s %" PRId64 " %" PRId64 "\n", course, room, d, p);
		mp_pop(c, sv);
	}
	if (!rc) {
		char err[256];
		rc = ctt_parse_sol(in, t.p, t.n, sol, err, sizeof err);
		line_span span = {"lectures", 1, (int)a->size};
		if (rc)
			fail_at_field(c, rc, err, &span, 1);
	}
	free(t.p);
	return rc;
}
