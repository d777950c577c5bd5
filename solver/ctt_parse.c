/* ctt_parse.c: parsers for ITC2007 track 3 .ctt instances and .sol solutions,
 * the .sol writer, and release of both models. Input is untrusted text. */
#include "ctt.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mp.h"
#include "rs_error.h"
#include "xalloc.h"

/* ---- errors ---- */

static int ctt_fail(char *err, size_t errlen, int code, int line, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static int ctt_fail(char *err, size_t errlen, int code, int line, const char *fmt, ...)
{
	if (err && errlen > 0) {
		int n = 0;
		if (line > 0)
			n = snprintf(err, errlen, "line %d: ", line);
		if (n < 0)
			n = 0;
		if ((size_t)n < errlen) {
			va_list ap;
			va_start(ap, fmt);
			vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
			va_end(ap);
		}
	}
	return code;
}

/* Ids go into JSON requests and answers, which hold UTF-8 only: a byte
 * that starts no valid sequence is an error on its line. */
/* Bytes of a UTF-8 byte-order mark at the start of text (0 or 3). */
static size_t ctt_bom(const char *text, size_t len)
{
	return len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
}

static int ctt_check_utf8(const char *text, size_t len, char *err, size_t errlen)
{
	int line = 1;
	for (size_t i = 0; i < len;) {
		int n = mp_utf8_seq((const unsigned char *)text + i, len - i);
		if (n == 0)
			return ctt_fail(err, errlen, RS_EBADREQ, line,
					"byte 0x%02x is not valid UTF-8 (ids must be UTF-8 text)",
					(unsigned char)text[i]);
		/* lines end as the lexer ends them: LF, CRLF or a lone CR */
		line += text[i] == '\n' || (text[i] == '\r' && (i + 1 >= len || text[i + 1] != '\n'));
		i += (size_t)n;
	}
	return 0;
}

/* ---- id lookup: open addressing over indices into a key array ---- */

typedef struct ctt_idmap {
	size_t cap;  /* power of two */
	int *slot;   /* -1 = empty, else index into keys */
	char **keys; /* not owned */
} ctt_idmap;

static uint64_t ctt_hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static void ctt_idmap_init(ctt_idmap *m, char **keys, int n_max)
{
	size_t cap = 16;
	while (cap < (size_t)n_max * 2 + 2)
		cap <<= 1;
	m->cap = cap;
	m->slot = xmalloc(cap * sizeof *m->slot);
	for (size_t i = 0; i < cap; i++)
		m->slot[i] = -1;
	m->keys = keys;
}

static void ctt_idmap_free(ctt_idmap *m)
{
	free(m->slot);
	m->slot = NULL;
}

/* Index of key s[0..n), or -1. If absent and add >= 0, stores add. */
static int ctt_idmap_get(ctt_idmap *m, const char *s, size_t n, int add)
{
	size_t i = (size_t)ctt_hash(s, n) & (m->cap - 1);
	while (m->slot[i] >= 0) {
		const char *k = m->keys[m->slot[i]];
		if (strlen(k) == n && memcmp(k, s, n) == 0)
			return m->slot[i];
		i = (i + 1) & (m->cap - 1);
	}
	if (add >= 0)
		m->slot[i] = add;
	return -1;
}

/* ---- tokens ---- */

typedef struct ctt_lex {
	const char *p, *end;
	int line;       /* line of the read position */
	const char *tok;
	size_t tlen;
	int tline;      /* line of the current token */
	int bad;        /* a control byte was met */
} ctt_lex;

static int ctt_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* Next whitespace-separated token; 0 at end of input (or on a control byte,
 * then lx->bad is set). If same_line, stops (returns 0) at a newline. */
static int ctt_next(ctt_lex *lx, int same_line)
{
	while (lx->p < lx->end && ctt_is_space(*lx->p)) {
		/* a line ends at LF, CRLF, or a lone CR (old Mac files) */
		if (*lx->p == '\n' ||
		    (*lx->p == '\r' && (lx->p + 1 >= lx->end || lx->p[1] != '\n'))) {
			if (same_line)
				return 0;
			lx->line++;
		}
		lx->p++;
	}
	if (lx->p >= lx->end)
		return 0;
	lx->tok = lx->p;
	lx->tline = lx->line;
	while (lx->p < lx->end && !ctt_is_space(*lx->p)) {
		unsigned char c = (unsigned char)*lx->p;
		if (c < 0x20 || c == 0x7f) {
			lx->bad = 1;
			lx->tline = lx->line;
			return 0;
		}
		lx->p++;
	}
	lx->tlen = (size_t)(lx->p - lx->tok);
	return 1;
}

static int ctt_tok_is(const ctt_lex *lx, const char *s)
{
	return lx->tlen == strlen(s) && memcmp(lx->tok, s, lx->tlen) == 0;
}

/* Parse the current token as an integer in [lo, hi]. 0 ok, -1 not a number,
 * -2 out of range. */
static int ctt_tok_int(const ctt_lex *lx, long lo, long hi, int *out)
{
	size_t i = 0;
	int neg = 0;
	if (lx->tlen > 0 && lx->tok[0] == '-') {
		neg = 1;
		i = 1;
	}
	if (i >= lx->tlen)
		return -1;
	long v = 0;
	int big = 0;
	for (; i < lx->tlen; i++) {
		char c = lx->tok[i];
		if (c < '0' || c > '9')
			return -1;
		if (v > 100000000L)
			big = 1;
		else
			v = v * 10 + (c - '0');
	}
	if (neg)
		v = -v;
	if (big || v < lo || v > hi)
		return -2;
	*out = (int)v;
	return 0;
}

/* ---- instance ---- */

void ctt_instance_free(ctt_instance *inst)
{
	if (!inst)
		return;
	free(inst->name);
	for (int i = 0; i < inst->n_courses; i++) {
		free(inst->courses[i].id);
		free(inst->courses[i].curricula);
	}
	free(inst->courses);
	for (int i = 0; i < inst->n_rooms; i++)
		free(inst->rooms[i].id);
	free(inst->rooms);
	for (int i = 0; i < inst->n_curricula; i++) {
		free(inst->curricula[i].id);
		free(inst->curricula[i].courses);
	}
	free(inst->curricula);
	for (int i = 0; i < inst->n_teachers; i++)
		free(inst->teachers[i]);
	free(inst->teachers);
	free(inst->lecture_course);
	free(inst->unavailable);
	memset(inst, 0, sizeof *inst);
}

enum { H_NAME, H_COURSES, H_ROOMS, H_DAYS, H_PPD, H_CURRICULA, H_CONSTRAINTS, H_N };

typedef struct ctt_pstate {
	ctt_lex lx;
	char *err;
	size_t errlen;
	ctt_idmap courses, rooms, curricula, teachers;
	char **course_keys, **room_keys, **curr_keys;
} ctt_pstate;

/* Expect one more token (any line); fail names what was expected. */
#define NEXT_OR_FAIL(ps, what)                                                          \
	do {                                                                              \
		if (!ctt_next(&(ps)->lx, 0))                                              \
			return (ps)->lx.bad ? ctt_fail((ps)->err, (ps)->errlen, RS_EBADREQ,  \
						       (ps)->lx.tline, "control character in input") \
					    : ctt_fail((ps)->err, (ps)->errlen, RS_EBADREQ,  \
						       (ps)->lx.line, "unexpected end of input, expected %s", \
						       what);                                \
	} while (0)

#define NEXT_SAME_LINE_OR_FAIL(ps, what)                                                \
	do {                                                                              \
		int line_ = (ps)->lx.tline;                                               \
		if (!ctt_next(&(ps)->lx, 1))                                              \
			return (ps)->lx.bad ? ctt_fail((ps)->err, (ps)->errlen, RS_EBADREQ,  \
						       (ps)->lx.tline, "control character in input") \
					    : ctt_fail((ps)->err, (ps)->errlen, RS_EBADREQ,  \
						       line_, "line ends early, expected %s", what); \
	} while (0)

/* limit: hi is a parser limit (RS_ETOOLARGE beyond it) rather than a bound
 * the instance sets (RS_EBADREQ). */
static int ctt_get_int_l(ctt_pstate *ps, long lo, long hi, int limit, const char *what, int *out)
{
	int r = ctt_tok_int(&ps->lx, lo, hi, out);
	if (r == -1)
		return ctt_fail(ps->err, ps->errlen, RS_EBADREQ, ps->lx.tline,
				"%s: '%.*s' is not an integer", what, (int)(ps->lx.tlen > 40 ? 40 : ps->lx.tlen),
				ps->lx.tok);
	if (r == -2)
		return ctt_fail(ps->err, ps->errlen,
				limit && ps->lx.tok[0] != '-' ? RS_ETOOLARGE : RS_EBADREQ, ps->lx.tline, "%s: %.*s is outside %ld..%ld", what,
				(int)(ps->lx.tlen > 40 ? 40 : ps->lx.tlen), ps->lx.tok, lo, hi);
	return 0;
}

static int ctt_get_int(ctt_pstate *ps, long lo, long hi, const char *what, int *out)
{
	return ctt_get_int_l(ps, lo, hi, 0, what, out);
}

static int ctt_check_id(ctt_pstate *ps, const char *what)
{
	if (ps->lx.tlen > CTT_MAX_ID)
		return ctt_fail(ps->err, ps->errlen, RS_ETOOLARGE, ps->lx.tline,
				"%s id longer than %d bytes", what, CTT_MAX_ID);
	return 0;
}

static int ctt_expect(ctt_pstate *ps, const char *kw)
{
	NEXT_OR_FAIL(ps, kw);
	if (!ctt_tok_is(&ps->lx, kw))
		return ctt_fail(ps->err, ps->errlen, RS_EBADREQ, ps->lx.tline, "expected '%s', found '%.*s'",
				kw, (int)(ps->lx.tlen > 40 ? 40 : ps->lx.tlen), ps->lx.tok);
	return 0;
}

static int ctt_parse_header(ctt_pstate *ps, ctt_instance *in, int *nconstr)
{
	static const char *const keys[H_N] = {"Name:",     "Courses:",   "Rooms:",      "Days:",
					      "Periods_per_day:", "Curricula:", "Constraints:"};
	static const long maxv[H_N] = {0,
				       CTT_MAX_COURSES,
				       CTT_MAX_ROOMS,
				       CTT_MAX_DAYS,
				       CTT_MAX_PERIODS_PER_DAY,
				       CTT_MAX_CURRICULA,
				       CTT_MAX_CONSTRAINTS};
	int seen[H_N] = {0};
	int val[H_N] = {0};
	for (int k = 0; k < H_N; k++) {
		NEXT_OR_FAIL(ps, "a header line");
		int h = -1;
		for (int j = 0; j < H_N; j++)
			if (ctt_tok_is(&ps->lx, keys[j]))
				h = j;
		if (h < 0 && ctt_tok_is(&ps->lx, "COURSES:")) {
			int miss = 0;
			while (seen[miss])
				miss++;
			return ctt_fail(ps->err, ps->errlen, RS_EBADREQ, ps->lx.tline,
					"header field %s missing (the header ends here)", keys[miss]);
		}
		if (h < 0)
			return ctt_fail(ps->err, ps->errlen, RS_EBADREQ, ps->lx.tline,
					"unknown header field '%.*s'",
					(int)(ps->lx.tlen > 40 ? 40 : ps->lx.tlen), ps->lx.tok);
		if (seen[h])
			return ctt_fail(ps->err, ps->errlen, RS_EBADREQ, ps->lx.tline, "duplicate header field %s",
					keys[h]);
		seen[h] = 1;
		NEXT_SAME_LINE_OR_FAIL(ps, "a value");
		if (h == H_NAME) {
			if (ctt_check_id(ps, "instance") < 0)
				return RS_ETOOLARGE;
			in->name = xstrndup(ps->lx.tok, ps->lx.tlen);
		} else {
			int lo = (h == H_DAYS || h == H_PPD) ? 1 : 0;
			int r = ctt_tok_int(&ps->lx, lo, maxv[h], &val[h]);
			if (r == -1)
				return ctt_fail(ps->err, ps->errlen, RS_EBADREQ, ps->lx.tline,
						"%s value is not an integer", keys[h]);
			if (r == -2)
				return ctt_fail(ps->err, ps->errlen,
						ps->lx.tok[0] == '-' || ctt_tok_is(&ps->lx, "0") ? RS_EBADREQ
												: RS_ETOOLARGE,
						ps->lx.tline, "%s value outside %d..%ld", keys[h], lo, maxv[h]);
		}
	}
	in->n_days = val[H_DAYS];
	in->periods_per_day = val[H_PPD];
	in->n_slots = in->n_days * in->periods_per_day;
	in->n_courses = 0;
	in->n_rooms = 0;
	in->n_curricula = 0;
	*nconstr = val[H_CONSTRAINTS];
	/* Stash declared counts for the sections. */
	in->courses = xcalloc((size_t)val[H_COURSES] + 1, sizeof *in->courses);
	in->rooms = xcalloc((size_t)val[H_ROOMS] + 1, sizeof *in->rooms);
	in->curricula = xcalloc((size_t)val[H_CURRICULA] + 1, sizeof *in->curricula);
	ps->course_keys = xcalloc((size_t)val[H_COURSES] + 1, sizeof(char *));
	ps->room_keys = xcalloc((size_t)val[H_ROOMS] + 1, sizeof(char *));
	ps->curr_keys = xcalloc((size_t)val[H_CURRICULA] + 1, sizeof(char *));
	in->teachers = xcalloc((size_t)val[H_COURSES] + 1, sizeof(char *));
	ctt_idmap_init(&ps->courses, ps->course_keys, val[H_COURSES]);
	ctt_idmap_init(&ps->rooms, ps->room_keys, val[H_ROOMS]);
	ctt_idmap_init(&ps->curricula, ps->curr_keys, val[H_CURRICULA]);
	ctt_idmap_init(&ps->teachers, in->teachers, val[H_COURSES]);
	/* Reuse the counters as "declared" until the sections are read. */
	in->n_courses = val[H_COURSES];
	in->n_rooms = val[H_ROOMS];
	in->n_curricula = val[H_CURRICULA];
	return 0;
}

static int ctt_parse_courses(ctt_pstate *ps, ctt_instance *in, int declared)
{
	int r;
	long total = 0;
	if ((r = ctt_expect(ps, "COURSES:")) < 0)
		return r;
	for (int i = 0; i < declared; i++) {
		ctt_course *c = &in->courses[i];
		NEXT_OR_FAIL(ps, "a course line");
		if (ps->lx.tlen > 0 && ps->lx.tok[ps->lx.tlen - 1] == ':')
			return ctt_fail(ps->err, ps->errlen, RS_EBADREQ, ps->lx.tline,
					"header says %d courses, found %d", declared, i);
		if ((r = ctt_check_id(ps, "course")) < 0)
			return r;
		if (ctt_idmap_get(&ps->courses, ps->lx.tok, ps->lx.tlen, -1) >= 0)
			return ctt_fail(ps->err, ps->errlen, RS_EBADREQ, ps->lx.tline, "duplicate course '%.*s'",
					(int)ps->lx.tlen, ps->lx.tok);
		c->id = xstrndup(ps->lx.tok, ps->lx.tlen);
		ps->course_keys[i] = c->id;
		ctt_idmap_get(&ps->courses, c->id, ps->lx.tlen, i);
		in->n_courses = i + 1;
		NEXT_SAME_LINE_OR_FAIL(ps, "teacher");
		if ((r = ctt_check_id(ps, "teacher")) < 0)
			return r;
		int t = ctt_idmap_get(&ps->teachers, ps->lx.tok, ps->lx.tlen, -1);
		if (t < 0) {
			t = in->n_teachers++;
			in->teachers[t] = xstrndup(ps->lx.tok, ps->lx.tlen);
			ctt_idmap_get(&ps->teachers, in->teachers[t], ps->lx.tlen, t);
		}
		c->teacher = t;
		NEXT_SAME_LINE_OR_FAIL(ps, "number of lectures");
		if ((r = ctt_get_int_l(ps, 0, CTT_MAX_LECTURES_PER_COURSE, 1, "lectures", &c->lectures)) < 0)
			return r;
		NEXT_SAME_LINE_OR_FAIL(ps, "minimum working days");
		if ((r = ctt_get_int(ps, 0, CTT_MAX_DAYS, "minimum working days", &c->min_days)) < 0)
			return r;
		NEXT_SAME_LINE_OR_FAIL(ps, "number of students");
		if ((r = ctt_get_int_l(ps, 0, CTT_MAX_STUDENTS, 1, "students", &c->students)) < 0)
			return r;
		if (ctt_next(&ps->lx, 1))
			return ctt_fail(ps->err, ps->errlen, RS_EBADREQ, ps->lx.tline,
					"trailing field on course line");
		c->first_lecture = (int)total;
		total += c->lectures;
		if (total > CTT_MAX_LECTURES)
			return ctt_fail(ps->err, ps->errlen, RS_ETOOLARGE, ps->lx.tline,
					"more than %d lectures in all", CTT_MAX_LECTURES);
	}
	in->n_lectures = (int)total;
	in->lecture_course = xmalloc(((size_t)total + 1) * sizeof(int));
	for (int i = 0; i < in->n_courses; i++)
		for (int k = 0; k < in->courses[i].lectures; k++)
			in->lecture_course[in->courses[i].first_lecture + k] = i;
	return 0;
}

static int ctt_parse_rooms(ctt_pstate *ps, ctt_instance *in, int declared)
{
	int r;
	if ((r = ctt_expect(ps, "ROOMS:")) < 0)
		return r;
	for (int i = 0; i < declared; i++) {
		ctt_room *rm = &in->rooms[i];
		NEXT_OR_FAIL(ps, "a room line");
		if (ps->lx.tlen > 0 && ps->lx.tok[ps->lx.tlen - 1] == ':')
			return ctt_fail(ps->err, ps->errlen, RS_EBADREQ, ps->lx.tline,
					"header says %d rooms, found %d", declared, i);
		if ((r = ctt_check_id(ps, "room")) < 0)
			return r;
		if (ctt_idmap_get(&ps->rooms, ps->lx.tok, ps->lx.tlen, -1) >= 0)
			return ctt_fail(ps->err, ps->errlen, RS_EBADREQ, ps->lx.tline, "duplicate room '%.*s'",
					(int)ps->lx.tlen, ps->lx.tok);
		rm->id = xstrndup(ps->lx.tok, ps->lx.tlen);
		ps->room_keys[i] = rm->id;
		ctt_idmap_get(&ps->rooms, rm->id, ps->lx.tlen, i);
		in->n_rooms = i + 1;
		NEXT_SAME_LINE_OR_FAIL(ps, "capacity");
		if ((r = ctt_get_int_l(ps, 0, CTT_MAX_STUDENTS, 1, "capacity", &rm->capacity)) < 0)
			return r;
		if (ctt_next(&ps->lx, 1))
			return ctt_fail(ps->err, ps->errlen, RS_EBADREQ, ps->lx.tline, "trailing field on room line");
	}
	return 0;
}

static int ctt_cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

static int ctt_parse_curricula(ctt_pstate *ps, ctt_instance *in, int declared)
{
	int r;
	if ((r = ctt_expect(ps, "CURRICULA:")) < 0)
		return r;
	int *mark = xcalloc((size_t)in->n_courses + 1, sizeof *mark);
	for (int i = 0; i < declared; i++) {
		ctt_curriculum *q = &in->curricula[i];
		if (!ctt_next(&ps->lx, 0) || (ps->lx.tlen > 0 && ps->lx.tok[ps->lx.tlen - 1] == ':')) {
			free(mark);
			if (ps->lx.bad)
				return ctt_fail(ps->err, ps->errlen, RS_EBADREQ, ps->lx.tline, "control character in input");
			return ctt_fail(ps->err, ps->errlen, RS_EBADREQ, ps->lx.tline,
					"header says %d curricula, found %d", declared, i);
		}
		if ((r = ctt_check_id(ps, "curriculum")) < 0)
			goto out;
		if (ctt_idmap_get(&ps->curricula, ps->lx.tok, ps->lx.tlen, -1) >= 0) {
			r = ctt_fail(ps->err, ps->errlen, RS_EBADREQ, ps->lx.tline, "duplicate curriculum '%.*s'",
				     (int)ps->lx.tlen, ps->lx.tok);
			goto out;
		}
		q->id = xstrndup(ps->lx.tok, ps->lx.tlen);
		ps->curr_keys[i] = q->id;
		ctt_idmap_get(&ps->curricula, q->id, ps->lx.tlen, i);
		in->n_curricula = i + 1;
		int line = ps->lx.tline;
		if (!ctt_next(&ps->lx, 1)) {
			r = ctt_fail(ps->err, ps->errlen, RS_EBADREQ, line, "line ends early, expected number of courses");
			goto out;
		}
		int n;
		if ((r = ctt_get_int(ps, 0, in->n_courses, "curriculum size", &n)) < 0)
			goto out;
		q->courses = xmalloc(((size_t)n + 1) * sizeof(int));
		for (int k = 0; k < n; k++) {
			if (!ctt_next(&ps->lx, 1)) {
				r = ctt_fail(ps->err, ps->errlen, RS_EBADREQ, line,
					     "curriculum %s lists %d courses, expected %d", q->id, k, n);
				goto out;
			}
			int c = ctt_idmap_get(&ps->courses, ps->lx.tok, ps->lx.tlen, -1);
			if (c < 0) {
				r = ctt_fail(ps->err, ps->errlen, RS_EBADREQ, ps->lx.tline, "unknown course '%.*s'",
					     (int)(ps->lx.tlen > 64 ? 64 : ps->lx.tlen), ps->lx.tok);
				goto out;
			}
			if (mark[c] == i + 1) {
				r = ctt_fail(ps->err, ps->errlen, RS_EBADREQ, ps->lx.tline,
					     "course %s listed twice in curriculum %s", in->courses[c].id, q->id);
				goto out;
			}
			mark[c] = i + 1;
			q->courses[q->n_courses++] = c;
		}
		if (ctt_next(&ps->lx, 1)) {
			r = ctt_fail(ps->err, ps->errlen, RS_EBADREQ, ps->lx.tline,
				     "curriculum %s lists more than %d courses", q->id, n);
			goto out;
		}
	}
	/* Curricula per course. */
	for (int i = 0; i < in->n_curricula; i++)
		for (int k = 0; k < in->curricula[i].n_courses; k++)
			in->courses[in->curricula[i].courses[k]].n_curricula++;
	for (int c = 0; c < in->n_courses; c++) {
		in->courses[c].curricula = xmalloc(((size_t)in->courses[c].n_curricula + 1) * sizeof(int));
		in->courses[c].n_curricula = 0;
	}
	for (int i = 0; i < in->n_curricula; i++)
		for (int k = 0; k < in->curricula[i].n_courses; k++) {
			ctt_course *c = &in->courses[in->curricula[i].courses[k]];
			c->curricula[c->n_curricula++] = i;
		}
	for (int c = 0; c < in->n_courses; c++)
		qsort(in->courses[c].curricula, (size_t)in->courses[c].n_curricula, sizeof(int), ctt_cmp_int);
	r = 0;
out:
	free(mark);
	return r;
}

static int ctt_parse_unavail(ctt_pstate *ps, ctt_instance *in, int declared)
{
	int r;
	if ((r = ctt_expect(ps, "UNAVAILABILITY_CONSTRAINTS:")) < 0)
		return r;
	in->unavailable = xcalloc((size_t)in->n_courses * (size_t)in->n_slots + 1, 1);
	for (int i = 0; i < declared; i++) {
		NEXT_OR_FAIL(ps, "an unavailability line");
		if (ps->lx.tlen > 0 && ps->lx.tok[ps->lx.tlen - 1] == ':')
			return ctt_fail(ps->err, ps->errlen, RS_EBADREQ, ps->lx.tline,
					"header says %d constraints, found %d", declared, i);
		if (ctt_tok_is(&ps->lx, "END."))
			return ctt_fail(ps->err, ps->errlen, RS_EBADREQ, ps->lx.tline,
					"header says %d constraints, found %d", declared, i);
		int c = ctt_idmap_get(&ps->courses, ps->lx.tok, ps->lx.tlen, -1);
		if (c < 0)
			return ctt_fail(ps->err, ps->errlen, RS_EBADREQ, ps->lx.tline, "unknown course '%.*s'",
					(int)(ps->lx.tlen > 64 ? 64 : ps->lx.tlen), ps->lx.tok);
		int d, p;
		NEXT_SAME_LINE_OR_FAIL(ps, "day");
		if ((r = ctt_get_int(ps, 0, in->n_days - 1, "day", &d)) < 0)
			return r;
		NEXT_SAME_LINE_OR_FAIL(ps, "period");
		if ((r = ctt_get_int(ps, 0, in->periods_per_day - 1, "period", &p)) < 0)
			return r;
		if (ctt_next(&ps->lx, 1))
			return ctt_fail(ps->err, ps->errlen, RS_EBADREQ, ps->lx.tline,
					"trailing field on unavailability line");
		unsigned char *u = &in->unavailable[(size_t)c * (size_t)in->n_slots +
						   (size_t)(d * in->periods_per_day + p)];
		if (!*u) {
			*u = 1;
			in->n_unavailable++;
		}
	}
	return 0;
}

int ctt_parse(const char *text, size_t len, ctt_instance *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	if (err && errlen)
		err[0] = '\0';
	if (!text && len)
		return ctt_fail(err, errlen, RS_EBADREQ, 0, "no input");
	if (ctt_check_utf8(text, len, err, errlen))
		return RS_EBADREQ;
	size_t bom = ctt_bom(text, len); /* a UTF-8 byte-order mark is not text */
	ctt_pstate ps = {.lx = {.p = text + bom, .end = text + len, .line = 1}, .err = err,
			 .errlen = errlen};
	int nconstr = 0, r;
	int dc, dr, dq;
	if ((r = ctt_parse_header(&ps, out, &nconstr)) < 0)
		goto fail;
	dc = out->n_courses;
	dr = out->n_rooms;
	dq = out->n_curricula;
	out->n_courses = out->n_rooms = out->n_curricula = 0;
	if ((r = ctt_parse_courses(&ps, out, dc)) < 0)
		goto fail;
	if ((r = ctt_parse_rooms(&ps, out, dr)) < 0)
		goto fail;
	if ((r = ctt_parse_curricula(&ps, out, dq)) < 0)
		goto fail;
	if ((r = ctt_parse_unavail(&ps, out, nconstr)) < 0)
		goto fail;
	if ((r = ctt_expect(&ps, "END.")) < 0)
		goto fail;
	if (ctt_next(&ps.lx, 0) || ps.lx.bad) {
		/* a second instance pasted after the first, or a cut file */
		r = ctt_fail(ps.err, ps.errlen, RS_EBADREQ, ps.lx.tline, "text after END.");
		goto fail;
	}
	r = 0;
	goto done;
fail:
	/* Curricula lists per course may be half built: free handles NULLs. */
	ctt_instance_free(out);
done:
	if (ps.courses.slot) {
		ctt_idmap_free(&ps.courses);
		ctt_idmap_free(&ps.rooms);
		ctt_idmap_free(&ps.curricula);
		ctt_idmap_free(&ps.teachers);
	}
	free(ps.course_keys);
	free(ps.room_keys);
	free(ps.curr_keys);
	return r;
}

/* ---- solutions ---- */

void ctt_solution_free(ctt_solution *sol)
{
	if (!sol)
		return;
	free(sol->a);
	sol->a = NULL;
	sol->n = 0;
}

int ctt_parse_sol(const ctt_instance *inst, const char *text, size_t len, ctt_solution *out,
		  char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	if (err && errlen)
		err[0] = '\0';
	if (!text && len)
		return ctt_fail(err, errlen, RS_EBADREQ, 0, "no input");
	if (ctt_check_utf8(text, len, err, errlen))
		return RS_EBADREQ;
	ctt_idmap cm, rm;
	char **ck = xmalloc(((size_t)inst->n_courses + 1) * sizeof(char *));
	char **rk = xmalloc(((size_t)inst->n_rooms + 1) * sizeof(char *));
	for (int i = 0; i < inst->n_courses; i++)
		ck[i] = inst->courses[i].id;
	for (int i = 0; i < inst->n_rooms; i++)
		rk[i] = inst->rooms[i].id;
	ctt_idmap_init(&cm, ck, inst->n_courses);
	ctt_idmap_init(&rm, rk, inst->n_rooms);
	for (int i = 0; i < inst->n_courses; i++)
		ctt_idmap_get(&cm, ck[i], strlen(ck[i]), i);
	for (int i = 0; i < inst->n_rooms; i++)
		ctt_idmap_get(&rm, rk[i], strlen(rk[i]), i);

	size_t bom = ctt_bom(text, len);
	ctt_pstate ps = {.lx = {.p = text + bom, .end = text + len, .line = 1}, .err = err,
			 .errlen = errlen};
	int cap = 0, r = 0;
	for (;;) {
		if (!ctt_next(&ps.lx, 0)) {
			if (ps.lx.bad)
				r = ctt_fail(err, errlen, RS_EBADREQ, ps.lx.tline, "control character in input");
			break;
		}
		if (out->n >= CTT_MAX_SOL_LINES) {
			r = ctt_fail(err, errlen, RS_ETOOLARGE, ps.lx.tline, "more than %d lines",
				     CTT_MAX_SOL_LINES);
			break;
		}
		ctt_assign a;
		int line = ps.lx.tline;
		a.course = ctt_idmap_get(&cm, ps.lx.tok, ps.lx.tlen, -1);
		if (a.course < 0) {
			r = ctt_fail(err, errlen, RS_EBADREQ, line, "unknown course '%.*s'",
				     (int)(ps.lx.tlen > 64 ? 64 : ps.lx.tlen), ps.lx.tok);
			break;
		}
		if (!ctt_next(&ps.lx, 1)) {
			r = ctt_fail(err, errlen, RS_EBADREQ, line, "line ends early, expected room");
			break;
		}
		a.room = ctt_idmap_get(&rm, ps.lx.tok, ps.lx.tlen, -1);
		if (a.room < 0) {
			r = ctt_fail(err, errlen, RS_EBADREQ, line, "unknown room '%.*s'",
				     (int)(ps.lx.tlen > 64 ? 64 : ps.lx.tlen), ps.lx.tok);
			break;
		}
		if (!ctt_next(&ps.lx, 1)) {
			r = ctt_fail(err, errlen, RS_EBADREQ, line, "line ends early, expected day");
			break;
		}
		if ((r = ctt_get_int(&ps, 0, inst->n_days - 1, "day", &a.day)) < 0) {
			r = RS_EBADREQ;
			break;
		}
		if (!ctt_next(&ps.lx, 1)) {
			r = ctt_fail(err, errlen, RS_EBADREQ, line, "line ends early, expected period");
			break;
		}
		if ((r = ctt_get_int(&ps, 0, inst->periods_per_day - 1, "period", &a.period)) < 0) {
			r = RS_EBADREQ;
			break;
		}
		if (ctt_next(&ps.lx, 1)) {
			r = ctt_fail(err, errlen, RS_EBADREQ, line, "trailing field on solution line");
			break;
		}
		if (out->n == cap) {
			cap = cap ? cap * 2 : 64;
			out->a = xrealloc(out->a, (size_t)cap * sizeof *out->a);
		}
		out->a[out->n++] = a;
	}
	ctt_idmap_free(&cm);
	ctt_idmap_free(&rm);
	free(ck);
	free(rk);
	if (r < 0)
		ctt_solution_free(out);
	return r;
}

int ctt_write_sol(const ctt_instance *inst, const ctt_solution *sol, char **buf, size_t *len)
{
	*buf = NULL;
	*len = 0;
	size_t cap = 64, n = 0;
	for (int i = 0; i < sol->n; i++) {
		const ctt_assign *a = &sol->a[i];
		if (a->course < 0 || a->course >= inst->n_courses || a->room < 0 || a->room >= inst->n_rooms ||
		    a->day < 0 || a->day >= inst->n_days || a->period < 0 || a->period >= inst->periods_per_day)
			return RS_EBADREQ;
		cap += strlen(inst->courses[a->course].id) + strlen(inst->rooms[a->room].id) + 24;
	}
	char *b = xmalloc(cap);
	for (int i = 0; i < sol->n; i++) {
		const ctt_assign *a = &sol->a[i];
		int w = snprintf(b + n, cap - n, "%s %s %d %d\n", inst->courses[a->course].id,
				 inst->rooms[a->room].id, a->day, a->period);
		if (w < 0 || (size_t)w >= cap - n) {
			free(b);
			return RS_EINTERNAL;
		}
		n += (size_t)w;
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}
