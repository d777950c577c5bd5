/* tt_decode.c: decode a timetable request (msgpack map) into a tt_model. */
#include "tt_decode.h"

#include "rs_error.h"
#include "strmap.h"
#include "xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const level_names[] = {"A0", "A1", "A2", "B1", "B2"};
static const char *const route_names[] = {"B1", "Z", "OR"};
/* what a request may call them: the three, and the Onderwijsroute in full */
static const char *const route_words[] = {"B1", "Z", "OR", "Onderwijsroute"};
static const char *const skill_names[] = {"speaking", "listening", "reading", "writing"};
static const char *const day_names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

void tt_limits_default(tt_limits *l)
{
	*l = (tt_limits){.max_learners = 20000, .max_rooms = 2000, .max_teachers = 2000,
			 .max_childcare = 1000, .max_running = 2000, .max_id = 128};
}

const char *tt_level_name(int level)
{
	return level >= 0 && level <= TT_MAX_LEVEL ? level_names[level] : NULL;
}

const char *tt_route_name(int route)
{
	return route >= 0 && route < TT_N_ROUTES ? route_names[route] : NULL;
}

const char *tt_day_name(int day)
{
	return day >= 0 && day < 7 ? day_names[day] : NULL;
}

static int lookup_name(const char *const *names, int n, const char *s, size_t len)
{
	for (int i = 0; i < n; i++)
		if (strlen(names[i]) == len && strncasecmp(names[i], s, len) == 0)
			return i;
	return -1;
}

int tt_parse_level(const char *s, size_t n)
{
	return lookup_name(level_names, 5, s, n);
}

int tt_parse_route(const char *s, size_t n)
{
	int r = lookup_name(route_words, 4, s, n);
	return r == 3 ? TT_ROUTE_OR : r;
}

long tt_parse_date(const char *s, size_t n)
{
	int y, mo, d;
	char tail;
	char buf[16];
	if (n != 10)
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (sscanf(buf, "%4d-%2d-%2d%c", &y, &mo, &d, &tail) != 3 || buf[4] != '-' ||
	    buf[7] != '-')
		return -1;
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1970 || y > 2200 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1])
		return -1;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (mo == 2 && d == 29 && !leap)
		return -1;
	/* days from civil (proleptic Gregorian) */
	y -= mo <= 2;
	long era = y / 400;
	long yoe = y - era * 400;
	long doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int tt_parse_hhmm(const char *s, size_t n)
{
	if (n != 5 || s[2] != ':')
		return -1;
	for (int i = 0; i < 5; i++)
		if (i != 2 && (s[i] < '0' || s[i] > '9'))
			return -1;
	int h = (s[0] - '0') * 10 + (s[1] - '0');
	int m = (s[3] - '0') * 10 + (s[4] - '0');
	if (h > 24 || m > 59 || (h == 24 && m))
		return -1;
	return h * 60 + m;
}

/* ---- decoder state ---- */

typedef struct dec {
	mp_ctx *c;
	const tt_limits *lim;
	tt_model *m;
	strmap locs, rooms, teachers, care, learners, households, tongues, facilities;
} dec;

static int str_of(dec *d, const msgpack_object *o, const char **p, size_t *n)
{
	return mp_str_checked(d->c, o, d->lim->max_id, p, n);
}

static int dagdeel_index(const tt_model *m, const char *p, size_t n)
{
	for (int t = 0; t < m->n_dagdelen; t++)
		if (strlen(m->dagdelen[t].id) == n && memcmp(m->dagdelen[t].id, p, n) == 0)
			return t;
	return -1;
}

/* Array of dagdeel ids at key → mask. Absent: *out = dflt. */
static int get_mask(dec *d, const msgpack_object *obj, const char *key, tt_mask dflt,
		    tt_mask *out)
{
	const msgpack_object_array *a;
	*out = dflt;
	int rc = mp_field_array(d->c, obj, key, false, TT_MAX_DAGDELEN * 4, &a);
	if (rc || !a)
		return rc;
	size_t s = mp_push_key(d->c, key);
	tt_mask mask = 0;
	for (uint32_t i = 0; i < a->size && !rc; i++) {
		size_t s2 = mp_push_idx(d->c, i);
		const char *p;
		size_t n;
		rc = str_of(d, &a->ptr[i], &p, &n);
		if (!rc) {
			int t = dagdeel_index(d->m, p, n);
			if (t < 0)
				rc = mp_fail(d->c, RS_EBADREQ, "unknown dagdeel '%.*s'", (int)n, p);
			else if (mask >> t & 1) /* a group meeting twice there is not what it says */
				rc = mp_fail(d->c, RS_EBADREQ, "dagdeel '%.*s' is listed twice", (int)n,
					     p);
			else
				mask |= (tt_mask)1 << t;
		}
		mp_pop(d->c, s2);
	}
	mp_pop(d->c, s);
	if (!rc)
		*out = mask;
	return rc;
}

/* A reference to an id in `map` at key; required. */
static int get_ref(dec *d, const msgpack_object *obj, const char *key, const strmap *map,
		   const char *what, bool required, int *out)
{
	const msgpack_object *o = mp_get(obj, key);
	*out = -1;
	if (!o || o->type == MSGPACK_OBJECT_NIL) {
		if (!required)
			return 0;
		size_t s = mp_push_key(d->c, key);
		int rc = mp_fail(d->c, RS_EBADREQ, "required field missing");
		mp_pop(d->c, s);
		return rc;
	}
	size_t s = mp_push_key(d->c, key);
	const char *p;
	size_t n;
	int rc = str_of(d, o, &p, &n);
	if (!rc) {
		*out = strmap_get(map, p, n);
		if (*out < 0)
			rc = mp_fail(d->c, RS_EBADREQ, "unknown %s '%.*s'", what, (int)n, p);
	}
	mp_pop(d->c, s);
	return rc;
}

/* The integer value of one map entry, checked like a field named `name`
 * (the entry's key as the caller spells it in paths). */
static int kv_int(dec *d, const msgpack_object_kv *kv, const char *name, int64_t min, int64_t max,
		  int64_t *out)
{
	msgpack_object_kv one = *kv;
	msgpack_object wrap = {.type = MSGPACK_OBJECT_MAP};
	wrap.via.map.size = 1;
	wrap.via.map.ptr = &one;
	return mp_field_int(d->c, &wrap, name, true, min, max, out);
}

/* Map location-id → minutes at key → int[n_locations], -1 where absent. */
static int get_travel(dec *d, const msgpack_object *obj, const char *key, int **out)
{
	int *tr = xmalloc(sizeof(int) * (size_t)(d->m->n_locations ? d->m->n_locations : 1));
	for (int l = 0; l < d->m->n_locations; l++)
		tr[l] = -1;
	*out = tr;
	const msgpack_object_map *mm;
	int rc = mp_field_map(d->c, obj, key, false, &mm);
	if (rc || !mm)
		return rc;
	size_t s = mp_push_key(d->c, key);
	for (uint32_t i = 0; i < mm->size && !rc; i++) {
		const char *p;
		size_t n;
		rc = str_of(d, &mm->ptr[i].key, &p, &n);
		if (rc)
			break;
		int l = strmap_get(&d->locs, p, n);
		char kb[160];
		snprintf(kb, sizeof kb, "%.*s", (int)n, p);
		if (l < 0) {
			size_t s2 = mp_push_key(d->c, kb);
			rc = mp_fail(d->c, RS_EBADREQ, "unknown location");
			mp_pop(d->c, s2);
		} else {
			int64_t v = -1;
			rc = kv_int(d, &mm->ptr[i], kb, 0, 24 * 60, &v);
			tr[l] = (int)v;
		}
	}
	mp_pop(d->c, s);
	return rc;
}

static int get_enum_str(dec *d, const msgpack_object *obj, const char *key,
			const char *const *names, int n_names, bool required, int *out)
{
	const msgpack_object *o = mp_get(obj, key);
	if (!o || o->type == MSGPACK_OBJECT_NIL) {
		if (!required)
			return 0;
		size_t s = mp_push_key(d->c, key);
		int rc = mp_fail(d->c, RS_EBADREQ, "required field missing");
		mp_pop(d->c, s);
		return rc;
	}
	size_t s = mp_push_key(d->c, key);
	const char *p;
	size_t n;
	int rc = str_of(d, o, &p, &n);
	if (!rc) {
		int v = lookup_name(names, n_names, p, n);
		if (v < 0) {
			char allowed[128] = "";
			for (int i = 0; i < n_names; i++) {
				strncat(allowed, i ? ", " : "", sizeof allowed - strlen(allowed) - 1);
				strncat(allowed, names[i], sizeof allowed - strlen(allowed) - 1);
			}
			rc = mp_fail(d->c, RS_EBADREQ, "'%.*s' is not one of %s", (int)n, p, allowed);
		} else {
			*out = v;
		}
	}
	mp_pop(d->c, s);
	return rc;
}

/* A route named by any of route_words. */
static int get_route(dec *d, const msgpack_object *obj, int *out)
{
	int rc = get_enum_str(d, obj, "route", route_words, 4, true, out);
	if (!rc && *out == 3)
		*out = TT_ROUTE_OR;
	return rc;
}

static int get_date(dec *d, const msgpack_object *obj, const char *key, bool required,
		    char **str, long *days)
{
	char *v = NULL;
	int rc = mp_field_str(d->c, obj, key, required, 10, &v);
	if (rc || !v) {
		free(v);
		return rc;
	}
	long dd = tt_parse_date(v, strlen(v));
	if (dd < 0) {
		size_t s = mp_push_key(d->c, key);
		rc = mp_fail(d->c, RS_EBADREQ, "'%s' is not a date YYYY-MM-DD", v);
		mp_pop(d->c, s);
		free(v);
		return rc;
	}
	if (days)
		*days = dd;
	if (str) {
		free(*str);
		*str = v;
	} else {
		free(v);
	}
	return 0;
}

static int get_hhmm(dec *d, const msgpack_object *o, int *out)
{
	const char *p;
	size_t n;
	int rc = str_of(d, o, &p, &n);
	if (rc)
		return rc;
	*out = tt_parse_hhmm(p, n);
	if (*out < 0)
		return mp_fail(d->c, RS_EBADREQ, "'%.*s' is not a time HH:MM", (int)n, p);
	return 0;
}

/* A tzdata zone name by its form: UTC, or Area/Location[/...] of letters,
 * digits, '_', '-' and '+', each part starting with a letter. */
static bool tz_name_ok(const char *tz)
{
	if (!strcmp(tz, "UTC"))
		return true;
	/* tzdata's posix/ and right/ trees repeat every zone, right/ with
	 * leap seconds in its offsets (a calendar an hour off in winter) */
	if (!strncmp(tz, "posix/", 6) || !strncmp(tz, "right/", 6))
		return false;
	int parts = 0;
	for (const char *p = tz; *p;) {
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')))
			return false;
		while (*p && *p != '/') {
			char ch = *p++;
			if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
			      (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' || ch == '+'))
				return false;
		}
		parts++;
		if (*p == '/' && !*++p)
			return false;
	}
	return parts >= 2;
}

/* An empty id is an error on the entity's `id`. */
static bool id_empty(dec *d, const char *id)
{
	if (*id)
		return false;
	size_t s = mp_push_key(d->c, "id");
	mp_fail(d->c, RS_EBADREQ, "an id must not be empty");
	mp_pop(d->c, s);
	return true;
}

/* Intern obj.id into map as index idx; duplicate ids are errors. */
static int get_id(dec *d, const msgpack_object *obj, strmap *map, int idx, char **out)
{
	int rc = mp_field_str(d->c, obj, "id", true, d->lim->max_id, out);
	if (rc)
		return rc;
	if (id_empty(d, *out)) {
		rc = d->c->rc;
	} else if (strmap_put(map, *out, strlen(*out), idx) != idx) {
		size_t s = mp_push_key(d->c, "id");
		rc = mp_fail(d->c, RS_EBADREQ, "duplicate id '%s'", *out);
		mp_pop(d->c, s);
	}
	return rc;
}

/* Every key of map o is one of known (NULL-terminated). */
static int known_keys(dec *d, const msgpack_object *o, const char *const *known)
{
	return mp_known_keys(d->c, o, known, "docs/schema.md");
}

/* The request's top level: the problem and the envelope the daemon reads
 * (docs/schema.md). */
static const char *const top_keys[] = {
	"term",       "dagdelen",      "routes",         "locations",   "rooms",     "teachers",
	"childcare",  "learners",      "running_groups", "module_groups", "weights", "room_capacity",
	"kind",       "tenant",        "wait",           "time_limit",  "seed",      "gap",
	"node_limit", "threads",       "idempotency_key", "start",     NULL};
static const char *const term_keys[] = {"start", "end", "tz", "as_of", "holidays", NULL};
static const char *const dagdeel_keys[] = {"id", "day", "start", "end", NULL};
static const char *const route_keys[] = {
	"min_size",  "max_size",  "sessions",  "max_level_spread", "same_day_ok", "alfa_separate",
	"room_needs", "level_skill", "min_hours", "max_hours", NULL};
static const char *const location_keys[] = {"id", "name", "closed", "closed_dates", NULL};
static const char *const room_keys[] = {"id",        "name",       "location", "capacity",
					"available", "facilities", NULL};
static const char *const teacher_keys[] = {"id",           "name",      "qualifications",
					   "contract_hours", "max_per_day", "available",
					   "locations",    NULL};
static const char *const childcare_keys[] = {"id", "name", "places", "hours", "travel", NULL};
static const char *const learner_keys[] = {
	"id",          "route",        "level",         "levels",        "pace",
	"alfa",        "gender",       "women_only",    "available",     "preferred",
	"travel",      "household",    "partners_apart", "young_children", "childcare",
	"school_close", "children",    "weekly_hours",  "waiting_since", "mother_tongue",
	"migrant",     "age",          "must_place",    "room_needs",    "modules",
	NULL};
static const char *const child_keys[] = {"age_band", "school_close", NULL};
static const char *const running_keys[] = {
	"id",   "route",   "level",   "alfa",  "women_only", "dagdelen", "room",
	"teacher", "members", "learners", "start", "free_seats", "pace", "households", NULL};
static const char *const module_keys[] = {"id",       "module",            "dagdelen",
					  "learners", "max_mother_tongues", NULL};

/* Iterate an entity array: for each element require a map, push the path. */
#define FOR_EACH_MAP(d, arr, key, i, el)                                                      \
	for (uint32_t i = 0; (arr) && i < (arr)->size && !(d)->c->rc; i++)                    \
		for (size_t s_##i = mp_push_key((d)->c, key), once_ = (mp_push_idx((d)->c, i), 1); \
		     once_; once_ = 0, mp_pop((d)->c, s_##i))                                    \
			for (const msgpack_object *el = &(arr)->ptr[i]; el; el = NULL)           \
				if (el->type != MSGPACK_OBJECT_MAP)                             \
					mp_fail((d)->c, RS_EBADREQ, "expected a map, got %s", \
						mp_type_name(el));                               \
				else

/* An optional array of at most 400 dates YYYY-MM-DD under key. */
static int get_dates(dec *d, const msgpack_object *o, const char *key, char ***out, int *n_out)
{
	const msgpack_object_array *h = NULL;
	int rc = mp_field_array(d->c, o, key, false, 400, &h);
	if (rc || !h)
		return rc;
	*out = xcalloc(h->size + 1, sizeof **out);
	size_t s = mp_push_key(d->c, key);
	for (uint32_t i = 0; i < h->size && !rc; i++) {
		size_t s2 = mp_push_idx(d->c, i);
		const char *p;
		size_t n;
		rc = str_of(d, &h->ptr[i], &p, &n);
		if (!rc && tt_parse_date(p, n) < 0)
			rc = mp_fail(d->c, RS_EBADREQ, "'%.*s' is not a date YYYY-MM-DD", (int)n, p);
		if (!rc)
			(*out)[(*n_out)++] = xstrndup(p, n);
		mp_pop(d->c, s2);
	}
	mp_pop(d->c, s);
	return rc;
}

/* *as_of: the planning date (waiting time counts to it); *join_day: the
 * day newcomers would join a running group, the later of the planning date
 * and the term's first day (a plan made ahead starts with the term). */
static int dec_term(dec *d, const msgpack_object *req, long *as_of, long *join_day,
		    long *term_end)
{
	tt_model *m = d->m;
	const msgpack_object_map *tm;
	int rc = mp_field_map(d->c, req, "term", true, &tm);
	if (rc)
		return rc;
	const msgpack_object *t = mp_get(req, "term");
	size_t s = mp_push_key(d->c, "term");
	long start = 0, end = 0;
	rc = known_keys(d, t, term_keys);
	if (!rc)
		rc = get_date(d, t, "start", true, &m->term_start, &start);
	if (!rc)
		rc = get_date(d, t, "end", true, &m->term_end, &end);
	if (!rc && end < start) {
		size_t s2 = mp_push_key(d->c, "end");
		rc = mp_fail(d->c, RS_EBADREQ, "term ends before it starts");
		mp_pop(d->c, s2);
	}
	*as_of = start;
	if (!rc)
		m->as_of = xstrdup(m->term_start);
	if (!rc)
		rc = get_date(d, t, "as_of", false, &m->as_of, as_of);
	*join_day = *as_of > start ? *as_of : start;
	*term_end = end;
	m->tz = xstrdup("Europe/Amsterdam");
	if (!rc)
		rc = mp_field_str(d->c, t, "tz", false, 64, &m->tz);
	if (!rc && !tz_name_ok(m->tz)) {
		size_t s2 = mp_push_key(d->c, "tz");
		rc = mp_fail(d->c, RS_EBADREQ,
			     "'%s' is not a time zone name (Area/Location as in tzdata, e.g. "
			     "Europe/Amsterdam, or UTC)",
			     m->tz);
		mp_pop(d->c, s2);
	}
	if (!rc)
		rc = get_dates(d, t, "holidays", &m->holidays, &m->n_holidays);
	mp_pop(d->c, s);
	return rc;
}

static int dec_dagdelen(dec *d, const msgpack_object *req)
{
	tt_model *m = d->m;
	const msgpack_object_array *a;
	int rc = mp_field_array(d->c, req, "dagdelen", true, TT_MAX_DAGDELEN, &a);
	if (rc)
		return rc;
	m->dagdelen = xcalloc(a->size, sizeof *m->dagdelen);
	FOR_EACH_MAP(d, a, "dagdelen", i, o)
	{
		tt_dagdeel *t = &m->dagdelen[i];
		m->n_dagdelen = (int)i + 1;
		if (known_keys(d, o, dagdeel_keys) ||
		    mp_field_str(d->c, o, "id", true, d->lim->max_id, &t->id))
			break;
		if (id_empty(d, t->id))
			break;
		if (dagdeel_index(m, t->id, strlen(t->id)) != (int)i) {
			size_t s = mp_push_key(d->c, "id");
			mp_fail(d->c, RS_EBADREQ, "duplicate id '%s'", t->id);
			mp_pop(d->c, s);
			break;
		}
		if (get_enum_str(d, o, "day", day_names, 7, true, &t->day))
			break;
		const msgpack_object *st = mp_get(o, "start"), *en = mp_get(o, "end");
		size_t s = mp_push_key(d->c, "start");
		if (!st)
			mp_fail(d->c, RS_EBADREQ, "required field missing");
		else
			get_hhmm(d, st, &t->start_min);
		mp_pop(d->c, s);
		s = mp_push_key(d->c, "end");
		if (!d->c->rc && !en)
			mp_fail(d->c, RS_EBADREQ, "required field missing");
		else if (!d->c->rc)
			get_hhmm(d, en, &t->end_min);
		if (!d->c->rc && t->end_min <= t->start_min)
			mp_fail(d->c, RS_EBADREQ, "must end after it starts (%02d:%02d)",
				t->start_min / 60, t->start_min % 60);
		mp_pop(d->c, s);
		/* a group, teacher or room is in one dagdeel at a time only when
		 * no two dagdelen of a day share a minute */
		for (uint32_t j = 0; j < i && !d->c->rc; j++) {
			const tt_dagdeel *u = &m->dagdelen[j];
			if (u->day == t->day && u->start_min < t->end_min &&
			    t->start_min < u->end_min)
				mp_fail(d->c, RS_EBADREQ,
					"%s %02d:%02d-%02d:%02d overlaps dagdelen[%u] '%s' "
					"(%02d:%02d-%02d:%02d): dagdelen of one day must not overlap",
					day_names[t->day], t->start_min / 60, t->start_min % 60,
					t->end_min / 60, t->end_min % 60, j, u->id,
					u->start_min / 60, u->start_min % 60, u->end_min / 60,
					u->end_min % 60);
		}
	}
	if (!d->c->rc && m->n_dagdelen == 0) {
		size_t s = mp_push_key(d->c, "dagdelen");
		mp_fail(d->c, RS_EBADREQ, "at least one dagdeel is needed");
		mp_pop(d->c, s);
	}
	/* a term shorter than a week must hold the weekday of every dagdeel:
	 * a group meeting on a day the term does not have never meets */
	long start = m->term_start ? tt_parse_date(m->term_start, strlen(m->term_start)) : -1;
	long end = m->term_end ? tt_parse_date(m->term_end, strlen(m->term_end)) : -1;
	if (!d->c->rc && start >= 0 && end >= start && end - start < 6) {
		int days = 0; /* weekdays of the term, bit 0 = Monday (1970-01-01 was a Thursday) */
		for (long k = start; k <= end; k++)
			days |= 1 << (int)((k + 3) % 7);
		for (int i = 0; i < m->n_dagdelen && !d->c->rc; i++)
			if (!(days >> m->dagdelen[i].day & 1)) {
				size_t s = mp_push_key(d->c, "dagdelen");
				mp_push_idx(d->c, (size_t)i);
				size_t s2 = mp_push_key(d->c, "day");
				mp_fail(d->c, RS_EBADREQ, "the term (%s to %s) has no %s",
					m->term_start, m->term_end, day_names[m->dagdelen[i].day]);
				mp_pop(d->c, s2);
				mp_pop(d->c, s);
			}
	}
	return d->c->rc;
}

/* An array of facility names at key (at most 16, each at most 32 bytes)
 * → bits into m->facilities; a name seen for the first time is added (at
 * most TT_MAX_FACILITIES in a request). Absent: 0. */
static int get_facilities(dec *d, const msgpack_object *obj, const char *key, uint32_t *out)
{
	const msgpack_object_array *a;
	*out = 0;
	int rc = mp_field_array(d->c, obj, key, false, 16, &a);
	if (rc || !a)
		return rc;
	tt_model *m = d->m;
	size_t s = mp_push_key(d->c, key);
	for (uint32_t k = 0; k < a->size && !rc; k++) {
		size_t s2 = mp_push_idx(d->c, k);
		const char *p;
		size_t n;
		rc = str_of(d, &a->ptr[k], &p, &n);
		if (!rc && (n == 0 || n > 32))
			rc = mp_fail(d->c, RS_EBADREQ, "a facility name has 1 to 32 bytes, got %zu", n);
		int f = rc ? -1 : strmap_get(&d->facilities, p, n);
		if (!rc && f < 0) {
			if (m->n_facilities == TT_MAX_FACILITIES) {
				rc = mp_fail(d->c, RS_ETOOLARGE,
					     "more than %d distinct facility names in one request",
					     TT_MAX_FACILITIES);
			} else {
				f = m->n_facilities;
				strmap_put(&d->facilities, p, n, f);
				m->facilities = xrealloc(m->facilities,
							 (size_t)(f + 1) * sizeof *m->facilities);
				m->facilities[f] = xstrndup(p, n);
				m->n_facilities++;
			}
		}
		if (!rc)
			*out |= (uint32_t)1 << f;
		mp_pop(d->c, s2);
	}
	mp_pop(d->c, s);
	return rc;
}

static int dec_routes(dec *d, const msgpack_object *req)
{
	const msgpack_object_map *rm;
	int rc = mp_field_map(d->c, req, "routes", false, &rm);
	if (rc || !rm)
		return rc;
	size_t s = mp_push_key(d->c, "routes");
	for (uint32_t i = 0; i < rm->size && !rc; i++) {
		const char *p;
		size_t n;
		rc = str_of(d, &rm->ptr[i].key, &p, &n);
		if (rc)
			break;
		int r = tt_parse_route(p, n);
		char kb[160];
		snprintf(kb, sizeof kb, "%.*s", (int)n, p);
		size_t s2 = mp_push_key(d->c, kb);
		const msgpack_object *o = &rm->ptr[i].val;
		if (r < 0) {
			rc = mp_fail(d->c, RS_EBADREQ, "unknown route (B1, Z, OR or Onderwijsroute)");
		} else if (o->type != MSGPACK_OBJECT_MAP) {
			rc = mp_fail(d->c, RS_EBADREQ, "expected a map, got %s", mp_type_name(o));
		} else {
			tt_route *rt = &d->m->routes[r];
			int64_t mn = rt->min_size, mx = rt->max_size, se = rt->sessions,
				sp = rt->max_level_spread;
			rc = known_keys(d, o, route_keys);
			if (!rc)
				rc = mp_field_int(d->c, o, "min_size", false, 1, 200, &mn);
			if (!rc)
				rc = mp_field_int(d->c, o, "max_size", false, 1, 200, &mx);
			if (!rc)
				rc = mp_field_int(d->c, o, "sessions", false, 1, TT_MAX_DAGDELEN, &se);
			if (!rc)
				rc = mp_field_int(d->c, o, "max_level_spread", false, 0, TT_MAX_LEVEL,
						  &sp);
			if (!rc)
				rc = mp_field_bool(d->c, o, "same_day_ok", false, &rt->same_day_ok);
			if (!rc)
				rc = mp_field_bool(d->c, o, "alfa_separate", false,
						   &rt->alfa_separate);
			if (!rc && mp_get(o, "room_needs"))
				rc = get_facilities(d, o, "room_needs", &rt->room_needs);
			const msgpack_object *ls = mp_get(o, "level_skill");
			if (!rc && ls && !mp_eq(ls, "lowest")) {
				static const char *const opts[] = {"speaking", "listening", "reading",
								   "writing", "lowest"};
				int v = -1;
				rc = get_enum_str(d, o, "level_skill", opts, 5, false, &v);
				rt->level_skill = v == 4 ? -1 : v;
			}
			double hlo = -1, hhi = -1;
			if (!rc)
				rc = mp_field_num(d->c, o, "min_hours", false, 0, 80, &hlo);
			if (!rc)
				rc = mp_field_num(d->c, o, "max_hours", false, 0, 80, &hhi);
			if (!rc && hlo >= 0 && hhi >= 0 && hlo > hhi) {
				size_t s3 = mp_push_key(d->c, "min_hours");
				rc = mp_fail(d->c, RS_EBADREQ, "min_hours %g exceeds max_hours %g", hlo,
					     hhi);
				mp_pop(d->c, s3);
			}
			if (!rc && hlo >= 0)
				rt->min_minutes = (int)lround(hlo * 60);
			if (!rc && hhi >= 0)
				rt->max_minutes = (int)lround(hhi * 60);
			if (!rc && mn > mx)
				rc = mp_fail(d->c, RS_EBADREQ, "min_size %lld exceeds max_size %lld",
					     (long long)mn, (long long)mx);
			rt->min_size = (int)mn, rt->max_size = (int)mx, rt->sessions = (int)se;
			rt->max_level_spread = (int)sp;
		}
		mp_pop(d->c, s2);
	}
	mp_pop(d->c, s);
	return rc;
}

static int dec_locations(dec *d, const msgpack_object *req)
{
	tt_model *m = d->m;
	const msgpack_object_array *a;
	int rc = mp_field_array(d->c, req, "locations", true, TT_MAX_LOCATIONS, &a);
	if (rc)
		return rc;
	m->locations = xcalloc(a->size, sizeof *m->locations);
	FOR_EACH_MAP(d, a, "locations", i, o)
	{
		tt_location *l = &m->locations[i];
		m->n_locations = (int)i + 1;
		if (known_keys(d, o, location_keys) || get_id(d, o, &d->locs, (int)i, &l->id))
			break;
		if (mp_field_str(d->c, o, "name", false, d->lim->max_id, &l->name))
			break;
		if (!l->name)
			l->name = xstrdup(l->id);
		if (get_mask(d, o, "closed", 0, &l->closed) ||
		    get_dates(d, o, "closed_dates", &l->closed_dates, &l->n_closed_dates))
			break;
	}
	return d->c->rc;
}

static int dec_rooms(dec *d, const msgpack_object *req)
{
	tt_model *m = d->m;
	tt_mask all = (tt_mask)((1ULL << m->n_dagdelen) - 1);
	const msgpack_object_array *a;
	int rc = mp_field_array(d->c, req, "rooms", true, d->lim->max_rooms, &a);
	if (rc)
		return rc;
	m->rooms = xcalloc(a->size, sizeof *m->rooms);
	FOR_EACH_MAP(d, a, "rooms", i, o)
	{
		tt_room *r = &m->rooms[i];
		m->n_rooms = (int)i + 1;
		int64_t cap = 0;
		if (known_keys(d, o, room_keys) || get_id(d, o, &d->rooms, (int)i, &r->id) ||
		    mp_field_str(d->c, o, "name", false, d->lim->max_id, &r->name) ||
		    get_ref(d, o, "location", &d->locs, "location", true, &r->location) ||
		    mp_field_int(d->c, o, "capacity", true, 1, 500, &cap) ||
		    get_mask(d, o, "available", all, &r->avail) ||
		    get_facilities(d, o, "facilities", &r->facilities))
			break;
		r->capacity = (int)cap;
		if (!r->name)
			r->name = xstrdup(r->id);
	}
	return d->c->rc;
}

static int dec_quals(dec *d, const msgpack_object *o, int *quals)
{
	static const char *const qn[] = {"nt2", "alfa", "z"};
	const msgpack_object_array *a;
	int rc = mp_field_array(d->c, o, "qualifications", false, 16, &a);
	*quals = TT_QUAL_NT2;
	if (rc || !a)
		return rc;
	*quals = 0;
	size_t s = mp_push_key(d->c, "qualifications");
	for (uint32_t i = 0; i < a->size && !rc; i++) {
		size_t s2 = mp_push_idx(d->c, i);
		const char *p;
		size_t n;
		rc = str_of(d, &a->ptr[i], &p, &n);
		int q = rc ? -1 : lookup_name(qn, 3, p, n);
		if (!rc && q < 0)
			rc = mp_fail(d->c, RS_EBADREQ, "'%.*s' is not one of nt2, alfa, z", (int)n,
				     p);
		if (!rc)
			*quals |= 1 << q;
		mp_pop(d->c, s2);
	}
	mp_pop(d->c, s);
	return rc;
}

static int dec_teachers(dec *d, const msgpack_object *req)
{
	tt_model *m = d->m;
	tt_mask all = (tt_mask)((1ULL << m->n_dagdelen) - 1);
	const msgpack_object_array *a;
	int rc = mp_field_array(d->c, req, "teachers", true, d->lim->max_teachers, &a);
	if (rc)
		return rc;
	m->teachers = xcalloc(a->size, sizeof *m->teachers);
	int unit = tt_load_unit(m);
	FOR_EACH_MAP(d, a, "teachers", i, o)
	{
		tt_teacher *t = &m->teachers[i];
		m->n_teachers = (int)i + 1;
		double hours = 40;
		int64_t per_day = 2;
		if (known_keys(d, o, teacher_keys) || get_id(d, o, &d->teachers, (int)i, &t->id) ||
		    mp_field_str(d->c, o, "name", false, d->lim->max_id, &t->name) ||
		    dec_quals(d, o, &t->quals) ||
		    mp_field_num(d->c, o, "contract_hours", false, 0, 80, &hours) ||
		    mp_field_int(d->c, o, "max_per_day", false, 0, 3, &per_day) ||
		    get_mask(d, o, "available", all, &t->avail))
			break;
		if (!t->name)
			t->name = xstrdup(t->id);
		t->max_load = (int)(hours * 60 / unit + 1e-9);
		t->max_per_day = (int)per_day;
		const msgpack_object_array *la;
		if (mp_field_array(d->c, o, "locations", false, TT_MAX_LOCATIONS, &la))
			break;
		if (!la) {
			t->locations = m->n_locations >= 64 ? ~0ULL : ((1ULL << m->n_locations) - 1);
			continue;
		}
		size_t s = mp_push_key(d->c, "locations");
		for (uint32_t k = 0; k < la->size && !d->c->rc; k++) {
			size_t s2 = mp_push_idx(d->c, k);
			const char *p;
			size_t n;
			if (!str_of(d, &la->ptr[k], &p, &n)) {
				int l = strmap_get(&d->locs, p, n);
				if (l < 0)
					mp_fail(d->c, RS_EBADREQ, "unknown location '%.*s'", (int)n, p);
				else
					t->locations |= 1ULL << l;
			}
			mp_pop(d->c, s2);
		}
		mp_pop(d->c, s);
	}
	return d->c->rc;
}

static int dec_childcare(dec *d, const msgpack_object *req)
{
	tt_model *m = d->m;
	const msgpack_object_array *a;
	int rc = mp_field_array(d->c, req, "childcare", false, d->lim->max_childcare, &a);
	if (rc || !a)
		return rc;
	m->childcare = xcalloc(a->size, sizeof *m->childcare);
	FOR_EACH_MAP(d, a, "childcare", i, o)
	{
		tt_childcare *k = &m->childcare[i];
		m->n_childcare = (int)i + 1;
		k->places = xcalloc((size_t)m->n_dagdelen, sizeof(int));
		for (int w = 0; w < 7; w++)
			k->open_min[w] = k->close_min[w] = -1;
		if (known_keys(d, o, childcare_keys) || get_id(d, o, &d->care, (int)i, &k->id) ||
		    mp_field_str(d->c, o, "name", false, d->lim->max_id, &k->name) ||
		    get_travel(d, o, "travel", &k->travel))
			break;
		if (!k->name)
			k->name = xstrdup(k->id);
		const msgpack_object_map *pm, *hm;
		if (mp_field_map(d->c, o, "places", false, &pm))
			break;
		size_t s = mp_push_key(d->c, "places");
		for (uint32_t j = 0; pm && j < pm->size && !d->c->rc; j++) {
			const char *p;
			size_t n;
			if (str_of(d, &pm->ptr[j].key, &p, &n))
				break;
			int t = dagdeel_index(m, p, n);
			if (t < 0) {
				mp_fail(d->c, RS_EBADREQ, "unknown dagdeel '%.*s'", (int)n, p);
				break;
			}
			int64_t v = 0;
			kv_int(d, &pm->ptr[j], m->dagdelen[t].id, 0, 10000, &v);
			k->places[t] = (int)v;
		}
		mp_pop(d->c, s);
		if (d->c->rc || mp_field_map(d->c, o, "hours", false, &hm))
			break;
		s = mp_push_key(d->c, "hours");
		for (uint32_t j = 0; hm && j < hm->size && !d->c->rc; j++) {
			const char *p;
			size_t n;
			if (str_of(d, &hm->ptr[j].key, &p, &n))
				break;
			int w = lookup_name(day_names, 7, p, n);
			char kb[160];
			snprintf(kb, sizeof kb, "%.*s", (int)n, p);
			size_t s2 = mp_push_key(d->c, kb);
			const msgpack_object *v = &hm->ptr[j].val;
			if (w < 0)
				mp_fail(d->c, RS_EBADREQ, "unknown day (mon..sun)");
			else if (v->type != MSGPACK_OBJECT_ARRAY || v->via.array.size != 2)
				mp_fail(d->c, RS_EBADREQ, "expected [\"HH:MM\", \"HH:MM\"]");
			else if (!get_hhmm(d, &v->via.array.ptr[0], &k->open_min[w]) &&
				 !get_hhmm(d, &v->via.array.ptr[1], &k->close_min[w]) &&
				 k->close_min[w] < k->open_min[w])
				mp_fail(d->c, RS_EBADREQ, "closes before it opens");
			mp_pop(d->c, s2);
		}
		mp_pop(d->c, s);
	}
	return d->c->rc;
}

/* learners[].children: [{"age_band": "0-4" | "4-12" | "12+", "school_close":
 * "HH:MM"}], instead of young_children and school_close: children of 0-4
 * need a childcare place while the parent attends; the earliest school
 * closing of the 4-12 band bounds the parent's return. */
static int get_children(dec *d, const msgpack_object *o, tt_learner *l)
{
	static const char *const bands[] = {"0-4", "4-12", "12+"};
	const msgpack_object_array *a;
	int rc = mp_field_array(d->c, o, "children", false, 20, &a);
	if (rc || !a)
		return rc;
	const msgpack_object *yc = mp_get(o, "young_children"), *sc = mp_get(o, "school_close");
	if ((yc && yc->type != MSGPACK_OBJECT_NIL) || (sc && sc->type != MSGPACK_OBJECT_NIL)) {
		size_t s = mp_push_key(d->c, "children");
		rc = mp_fail(d->c, RS_EBADREQ,
			     "give children or young_children and school_close, not both");
		mp_pop(d->c, s);
		return rc;
	}
	l->young_children = 0;
	l->school_close_min = -1;
	size_t s = mp_push_key(d->c, "children");
	for (uint32_t k = 0; k < a->size && !rc; k++) {
		size_t s2 = mp_push_idx(d->c, k);
		const msgpack_object *c = &a->ptr[k];
		int band = -1;
		if (c->type != MSGPACK_OBJECT_MAP)
			rc = mp_fail(d->c, RS_EBADREQ, "expected a map, got %s", mp_type_name(c));
		else
			rc = known_keys(d, c, child_keys);
		if (!rc)
			rc = get_enum_str(d, c, "age_band", bands, 3, true, &band);
		const msgpack_object *cl = rc ? NULL : mp_get(c, "school_close");
		if (cl && cl->type != MSGPACK_OBJECT_NIL) {
			size_t s3 = mp_push_key(d->c, "school_close");
			int min = -1;
			if (band != 1)
				rc = mp_fail(d->c, RS_EBADREQ, "school_close belongs to the 4-12 band");
			else
				rc = get_hhmm(d, cl, &min);
			if (!rc && (l->school_close_min < 0 || min < l->school_close_min))
				l->school_close_min = min;
			mp_pop(d->c, s3);
		}
		if (!rc && band == 0)
			l->young_children++;
		mp_pop(d->c, s2);
	}
	mp_pop(d->c, s);
	return rc;
}

/* learners[].levels: {"speaking": "A2", "reading": "A1", ...}, each skill
 * optional; skill[k] = -1 when not given. */
static int get_levels(dec *d, const msgpack_object *o, int *skill)
{
	const msgpack_object_map *lm;
	int rc = mp_field_map(d->c, o, "levels", false, &lm);
	if (rc || !lm)
		return rc;
	const msgpack_object *lo = mp_get(o, "levels");
	size_t s = mp_push_key(d->c, "levels");
	for (uint32_t k = 0; k < lm->size && !rc; k++) {
		const char *p;
		size_t n;
		rc = str_of(d, &lm->ptr[k].key, &p, &n);
		if (!rc && lookup_name(skill_names, 4, p, n) < 0)
			rc = mp_fail(d->c, RS_EBADREQ,
				     "unknown skill '%.*s' (speaking, listening, reading, writing)",
				     (int)n, p);
	}
	for (int k = 0; k < 4 && !rc; k++)
		rc = get_enum_str(d, lo, skill_names[k], level_names, 5, false, &skill[k]);
	if (!rc && skill[0] < 0 && skill[1] < 0 && skill[2] < 0 && skill[3] < 0)
		rc = mp_fail(d->c, RS_EBADREQ, "levels names no skill");
	mp_pop(d->c, s);
	return rc;
}

/* The grouping level from per-skill levels: the route's level_skill when
 * that skill is given, else the lowest skill given. */
static int level_of_skills(const tt_route *rt, const int *skill)
{
	if (rt->level_skill >= 0 && rt->level_skill < 4 && skill[rt->level_skill] >= 0)
		return skill[rt->level_skill];
	int lv = TT_MAX_LEVEL;
	for (int k = 0; k < 4; k++)
		if (skill[k] >= 0 && skill[k] < lv)
			lv = skill[k];
	return lv;
}

static const char *const paces[] = {"slow", "average", "fast"};

static int dec_learners(dec *d, const msgpack_object *req, long as_of)
{
	static const char *const genders[] = {"x", "f", "m"};
	tt_model *m = d->m;
	const msgpack_object_array *a;
	int rc = mp_field_array(d->c, req, "learners", true, UINT32_MAX, &a);
	if (rc)
		return rc;
	if (a->size > d->lim->max_learners) {
		size_t s = mp_push_key(d->c, "learners");
		rc = mp_fail(d->c, RS_ETOOLARGE,
			     "%u learners exceed the server's max_learners of %u (roosterd option)",
			     a->size, d->lim->max_learners);
		mp_pop(d->c, s);
		return rc;
	}
	m->learners = xcalloc(a->size, sizeof *m->learners);
	uint32_t sets[TT_MAX_NEED_SETS];
	int n_sets = 0;
	FOR_EACH_MAP(d, a, "learners", i, o)
	{
		tt_learner *l = &m->learners[i];
		m->n_learners = (int)i + 1;
		l->pace = 1;
		l->household = l->childcare = l->school_close_min = l->mother_tongue = -1;
		l->weekly_min = -1;
		double weekly = -1;
		int64_t kids = 0, age = 0;
		char *migrant = NULL;
		long since = as_of;
		int skill[4] = {-1, -1, -1, -1};
		bool has_level = mp_get(o, "level") && mp_get(o, "level")->type != MSGPACK_OBJECT_NIL;
		if (known_keys(d, o, learner_keys) || get_id(d, o, &d->learners, (int)i, &l->id) ||
		    get_route(d, o, &l->route) ||
		    get_levels(d, o, skill) ||
		    get_enum_str(d, o, "level", level_names, 5, skill[0] < 0 && skill[1] < 0 &&
									skill[2] < 0 && skill[3] < 0,
				 &l->level) ||
		    get_enum_str(d, o, "pace", paces, 3, false, &l->pace) ||
		    mp_field_bool(d->c, o, "alfa", false, &l->alfa) ||
		    get_enum_str(d, o, "gender", genders, 3, false, &l->gender) ||
		    mp_field_bool(d->c, o, "women_only", false, &l->women_only) ||
		    get_mask(d, o, "available", (tt_mask)((1ULL << m->n_dagdelen) - 1), &l->avail) ||
		    get_mask(d, o, "preferred", 0, &l->pref) ||
		    get_travel(d, o, "travel", &l->travel) ||
		    mp_field_bool(d->c, o, "partners_apart", false, &l->partners_apart) ||
		    mp_field_int(d->c, o, "young_children", false, 0, 20, &kids) ||
		    get_ref(d, o, "childcare", &d->care, "childcare provider", false,
			    &l->childcare) ||
		    get_date(d, o, "waiting_since", false, NULL, &since) ||
		    mp_field_num(d->c, o, "weekly_hours", false, 0, 60, &weekly) ||
		    mp_field_bool(d->c, o, "must_place", false, &l->must_place) ||
		    get_facilities(d, o, "room_needs", &l->room_needs) ||
		    mp_field_int(d->c, o, "age", false, 0, 120, &age) ||
		    mp_field_str(d->c, o, "migrant", false, 64, &migrant))
			break;
		free(migrant), migrant = NULL; /* carried for the case system, not modelled */
		if (l->room_needs) {
			bool known = false;
			for (int k = 0; k < n_sets && !known; k++)
				known = sets[k] == l->room_needs;
			if (!known && n_sets == TT_MAX_NEED_SETS - 1) {
				size_t s = mp_push_key(d->c, "room_needs");
				mp_fail(d->c, RS_ETOOLARGE,
					"more than %d distinct combinations of room_needs in one request",
					TT_MAX_NEED_SETS - 1);
				mp_pop(d->c, s);
				break;
			}
			if (!known)
				sets[n_sets++] = l->room_needs;
		}
		if (l->women_only && l->gender != TT_GENDER_F) {
			size_t s = mp_push_key(d->c, "women_only");
			mp_fail(d->c, RS_EBADREQ, "a women-only wish needs gender 'f'");
			mp_pop(d->c, s);
			break;
		}
		if (!has_level)
			l->level = level_of_skills(&m->routes[l->route], skill);
		l->young_children = (int)kids;
		if (weekly >= 0)
			l->weekly_min = (int)lround(weekly * 60);
		l->weeks_waiting = since < as_of ? (int)((as_of - since) / 7) : 0;
		const msgpack_object *sc = mp_get(o, "school_close");
		if (sc && sc->type != MSGPACK_OBJECT_NIL) {
			size_t s = mp_push_key(d->c, "school_close");
			get_hhmm(d, sc, &l->school_close_min);
			mp_pop(d->c, s);
		}
		if (!d->c->rc && get_children(d, o, l))
			break;
		char *hh = NULL;
		if (!d->c->rc && !mp_field_str(d->c, o, "household", false, d->lim->max_id, &hh) &&
		    hh && !*hh) {
			/* as in running_groups[].households: "" is no household */
			size_t s = mp_push_key(d->c, "household");
			mp_fail(d->c, RS_EBADREQ, "an empty household id");
			mp_pop(d->c, s);
		} else if (!d->c->rc && hh)
			l->household = strmap_put(&d->households, hh, strlen(hh), m->n_households) ==
						       m->n_households
					       ? m->n_households++
					       : strmap_get(&d->households, hh, strlen(hh));
		free(hh);
		char *mt = NULL;
		if (!d->c->rc && !mp_field_str(d->c, o, "mother_tongue", false, 16, &mt) && mt)
			l->mother_tongue =
				strmap_put(&d->tongues, mt, strlen(mt), m->n_mother_tongues) ==
						m->n_mother_tongues
					? m->n_mother_tongues++
					: strmap_get(&d->tongues, mt, strlen(mt));
		free(mt);
	}
	return d->c->rc;
}

/* running_groups[].households: the households of the group's members. A
 * waiting learner of one of them whose household keeps partners apart may
 * not attend on the group's dagdelen (the partner is in class then). Ids
 * of households nobody waiting belongs to need nothing and are not kept. */
static int dec_running_households(dec *d, const msgpack_object *o, tt_running *g)
{
	const msgpack_object_array *ha;
	if (mp_field_array(d->c, o, "households", false, 200, &ha) || !ha)
		return d->c->rc;
	g->households = xcalloc(ha->size ? ha->size : 1, sizeof *g->households);
	size_t s = mp_push_key(d->c, "households");
	for (uint32_t k = 0; k < ha->size && !d->c->rc; k++) {
		size_t s2 = mp_push_idx(d->c, k);
		const char *p;
		size_t n;
		if (!str_of(d, &ha->ptr[k], &p, &n)) {
			int h = strmap_get(&d->households, p, n);
			if (n == 0)
				mp_fail(d->c, RS_EBADREQ, "an empty household id");
			else if (h >= 0)
				g->households[g->n_households++] = h;
		}
		mp_pop(d->c, s2);
	}
	mp_pop(d->c, s);
	return d->c->rc;
}

/* join_day: see dec_term; a group younger than 4 weeks then takes
 * newcomers, and a group without a start date is taken to begin then. */
static int dec_running(dec *d, const msgpack_object *req, long join_day, long term_end)
{
	tt_model *m = d->m;
	const msgpack_object_array *a;
	int rc = mp_field_array(d->c, req, "running_groups", false, d->lim->max_running, &a);
	if (rc || !a)
		return rc;
	m->running = xcalloc(a->size, sizeof *m->running);
	strmap ids;
	strmap_init(&ids);
	FOR_EACH_MAP(d, a, "running_groups", i, o)
	{
		tt_running *g = &m->running[i];
		m->n_running = (int)i + 1;
		g->pace = 1;
		int64_t members = 0;
		long start = join_day;
		if (known_keys(d, o, running_keys) || get_id(d, o, &ids, (int)i, &g->id) ||
		    get_route(d, o, &g->route) ||
		    get_enum_str(d, o, "level", level_names, 5, true, &g->level) ||
		    get_enum_str(d, o, "pace", paces, 3, false, &g->pace) ||
		    mp_field_bool(d->c, o, "alfa", false, &g->alfa) ||
		    mp_field_bool(d->c, o, "women_only", false, &g->women_only) ||
		    get_mask(d, o, "dagdelen", 0, &g->sessions) ||
		    get_ref(d, o, "room", &d->rooms, "room", true, &g->room) ||
		    get_ref(d, o, "teacher", &d->teachers, "teacher", true, &g->teacher) ||
		    mp_field_int(d->c, o, "members", false, 0, 200, &members) ||
		    get_date(d, o, "start", false, &g->start, &start))
			break;
		if (!g->sessions) {
			size_t s = mp_push_key(d->c, "dagdelen");
			mp_fail(d->c, RS_EBADREQ, "a running group needs its dagdelen");
			mp_pop(d->c, s);
			break;
		}
		if (g->start && start > term_end) {
			size_t s = mp_push_key(d->c, "start");
			mp_fail(d->c, RS_EBADREQ,
				"'%s' is after the term's end (%s): a running group begins by then",
				g->start, m->term_end);
			mp_pop(d->c, s);
			break;
		}
		g->n_members = (int)members;
		g->may_join = join_day - start < 28;
		const msgpack_object *fso = mp_get(o, "free_seats");
		if (fso && fso->type != MSGPACK_OBJECT_NIL) {
			int64_t fs = 0;
			if (mp_field_int(d->c, o, "free_seats", false, 0, 200, &fs))
				break;
			g->has_free_seats = true;
			g->free_seats = (int)fs;
		}
		/* the current members' ids (of the case system): their count is
		 * the group's size, and none of them may also be waiting here */
		const msgpack_object_array *la;
		if (mp_field_array(d->c, o, "learners", false, 200, &la))
			break;
		if (la) {
			strmap seen;
			strmap_init(&seen);
			size_t s = mp_push_key(d->c, "learners");
			for (uint32_t k = 0; k < la->size && !d->c->rc; k++) {
				size_t s2 = mp_push_idx(d->c, k);
				const char *p;
				size_t n;
				if (str_of(d, &la->ptr[k], &p, &n)) {
					/* str_of named the error */
				} else if (strmap_get(&d->learners, p, n) >= 0) {
					mp_fail(d->c, RS_EBADREQ,
						"learner '%.*s' is in running group '%s' and also waiting "
						"in this request",
						(int)n, p, g->id);
				} else if (strmap_get(&seen, p, n) >= 0) {
					mp_fail(d->c, RS_EBADREQ, "learner '%.*s' is listed twice", (int)n, p);
				} else {
					strmap_put(&seen, p, n, (int)k);
				}
				mp_pop(d->c, s2);
			}
			mp_pop(d->c, s);
			strmap_free(&seen);
			if (d->c->rc)
				break;
			const msgpack_object *mo = mp_get(o, "members");
			if (mo && mo->type != MSGPACK_OBJECT_NIL && members != (int64_t)la->size) {
				size_t s3 = mp_push_key(d->c, "members");
				mp_fail(d->c, RS_EBADREQ, "members %lld disagrees with the %u learners listed",
					(long long)members, la->size);
				mp_pop(d->c, s3);
				break;
			}
			g->n_members = (int)la->size;
			g->member_ids = xcalloc(la->size + 1, sizeof *g->member_ids);
			for (uint32_t k = 0; k < la->size; k++)
				g->member_ids[k] =
				    xstrndup(la->ptr[k].via.str.ptr, la->ptr[k].via.str.size);
		}
		if (dec_running_households(d, o, g))
			break;
	}
	strmap_free(&ids);
	return d->c->rc;
}

/* The name of interned mother tongue k. */
static const char *tongue_name(const dec *d, int k)
{
	for (size_t q = 0; q < d->tongues.cap; q++)
		if (d->tongues.keys[q] && d->tongues.vals[q] == k)
			return d->tongues.keys[q];
	return "?";
}

/* A module group's members speak at most max_mother_tongues languages
 * (default 2 for PVT, which works with an interpreter per language; no
 * limit for other modules). Learners without a stated tongue do not count. */
static int check_tongues(dec *d, const msgpack_object *o, const tt_module_group *g)
{
	bool pvt = strcasecmp(g->module, "PVT") == 0;
	int64_t max = pvt ? 2 : 0;
	if (mp_field_int(d->c, o, "max_mother_tongues", false, 1, 200, &max) || max <= 0)
		return d->c->rc;
	int nt = d->m->n_mother_tongues;
	bool *seen = xcalloc((size_t)(nt > 0 ? nt : 1), sizeof *seen);
	int n = 0;
	char list[160];
	size_t w = 0;
	list[0] = '\0';
	for (int k = 0; k < g->n_members; k++) {
		int t = d->m->learners[g->members[k]].mother_tongue;
		if (t < 0 || t >= nt || seen[t])
			continue;
		seen[t] = true;
		if (n++ < 6 && w < sizeof list)
			w += (size_t)snprintf(list + w, sizeof list - w, "%s%s", w ? ", " : "",
					      tongue_name(d, t));
	}
	free(seen);
	if (n <= max)
		return 0;
	size_t s = mp_push_key(d->c, "learners");
	mp_fail(d->c, RS_EBADREQ, "%s group %s has learners of %d mother tongues (%s%s); at most %lld",
		g->module, g->id, n, list, n > 6 ? ", ..." : "", (long long)max);
	mp_pop(d->c, s);
	return d->c->rc;
}

/* module_groups: [{id, module, dagdelen, learners: [learner ids],
 *                  max_mother_tongues}] */
static int dec_modules(dec *d, const msgpack_object *req)
{
	tt_model *m = d->m;
	const msgpack_object_array *a;
	int rc = mp_field_array(d->c, req, "module_groups", false, d->lim->max_running, &a);
	if (rc || !a)
		return rc;
	m->modules = xcalloc(a->size, sizeof *m->modules);
	strmap ids;
	strmap_init(&ids);
	FOR_EACH_MAP(d, a, "module_groups", i, o)
	{
		tt_module_group *g = &m->modules[i];
		m->n_modules = (int)i + 1;
		const msgpack_object_array *la;
		if (known_keys(d, o, module_keys) || get_id(d, o, &ids, (int)i, &g->id) ||
		    mp_field_str(d->c, o, "module", true, 16, &g->module) ||
		    get_mask(d, o, "dagdelen", 0, &g->sessions) ||
		    mp_field_array(d->c, o, "learners", true, (uint32_t)m->n_learners, &la))
			break;
		if (!g->sessions) {
			size_t s = mp_push_key(d->c, "dagdelen");
			mp_fail(d->c, RS_EBADREQ, "a module group needs its dagdelen");
			mp_pop(d->c, s);
			break;
		}
		g->members = xmalloc(((size_t)la->size + 1) * sizeof *g->members);
		size_t s = mp_push_key(d->c, "learners");
		for (uint32_t k = 0; k < la->size && !d->c->rc; k++) {
			size_t s2 = mp_push_idx(d->c, k);
			const char *p;
			size_t n;
			if (!str_of(d, &la->ptr[k], &p, &n)) {
				int li = strmap_get(&d->learners, p, n);
				if (li < 0) {
					mp_fail(d->c, RS_EBADREQ, "unknown learner '%.*s'", (int)n, p);
				} else {
					g->members[g->n_members++] = li;
					m->learners[li].busy |= g->sessions;
				}
			}
			mp_pop(d->c, s2);
		}
		mp_pop(d->c, s);
		if (!d->c->rc)
			check_tongues(d, o, g);
	}
	strmap_free(&ids);
	return d->c->rc;
}

static int dec_weights(dec *d, const msgpack_object *req)
{
	tt_weights *w = &d->m->w;
	const msgpack_object_map *wm;
	int rc = mp_field_map(d->c, req, "weights", false, &wm);
	if (rc || !wm)
		return rc;
	const msgpack_object *o = mp_get(req, "weights");
	static const char *const known[] = {"unplaced", "wait_week", "group", "spread", "level",
					    "pref",     "travel",    "pace",  "moved"};
	double *slot[] = {&w->unplaced, &w->wait_week, &w->group, &w->spread, &w->level,
			  &w->pref,     &w->travel,    &w->pace,  &w->moved};
	size_t s = mp_push_key(d->c, "weights");
	for (uint32_t i = 0; i < wm->size && !rc; i++) {
		const char *p;
		size_t n;
		rc = str_of(d, &wm->ptr[i].key, &p, &n);
		if (!rc && lookup_name(known, 9, p, n) < 0)
			rc = mp_fail(d->c, RS_EBADREQ,
				     "unknown weight '%.*s' (unplaced, wait_week, group, spread, "
				     "level, pref, travel, pace, moved)",
				     (int)n, p);
	}
	for (int k = 0; k < 9 && !rc; k++)
		rc = mp_field_num(d->c, o, known[k], false, 0, 1e6, slot[k]);
	mp_pop(d->c, s);
	return rc;
}

static int dec_room_capacity(dec *d, const msgpack_object *req)
{
	const msgpack_object *o = mp_get(req, "room_capacity");
	if (!o || o->type == MSGPACK_OBJECT_NIL || mp_eq(o, "hard"))
		return 0;
	size_t s = mp_push_key(d->c, "room_capacity");
	int rc = 0;
	if (o->type == MSGPACK_OBJECT_MAP && mp_get(o, "soft")) {
		rc = mp_field_num(d->c, o, "soft", true, 0, 1e6, &d->m->room_seat_penalty);
		d->m->room_capacity_soft = true;
	} else {
		rc = mp_fail(d->c, RS_EBADREQ, "expected \"hard\" or {\"soft\": PENALTY_PER_SEAT}");
	}
	mp_pop(d->c, s);
	return rc;
}

/* An id given as a string or as a map with an `id` (how answers write rooms
 * and teachers), looked up in map: -1 when absent, null or not in this
 * request (a start may come from an earlier version of the request). */
static int start_ref(dec *d, const msgpack_object *g, const char *key, const strmap *map)
{
	const msgpack_object *o = mp_get(g, key);
	if (!o || o->type == MSGPACK_OBJECT_NIL)
		return -1;
	size_t s = mp_push_key(d->c, key);
	if (o->type == MSGPACK_OBJECT_MAP) {
		const msgpack_object *id = mp_get(o, "id");
		if (!id) {
			mp_fail(d->c, RS_EBADREQ, "given as a map, it needs its id");
			mp_pop(d->c, s);
			return -1;
		}
		mp_push_key(d->c, "id");
		o = id;
	}
	const char *p;
	size_t n;
	int v = str_of(d, o, &p, &n) ? -1 : strmap_get(map, p, n);
	mp_pop(d->c, s);
	return v;
}

/* The id a start group states for key (a string, or a map's id) as a copy
 * for reason texts; NULL when absent or not clean text of at most 128 bytes. */
static char *start_stated(const msgpack_object *g, const char *key)
{
	const msgpack_object *o = mp_get(g, key);
	if (o && o->type == MSGPACK_OBJECT_MAP)
		o = mp_get(o, "id");
	const char *p, *what;
	size_t n;
	if (!o || !mp_str(o, &p, &n) || n == 0 || n > 128 || mp_text_bad(p, n, &what) >= 0)
		return NULL;
	return xstrndup(p, n);
}

/* `start`: an earlier answer (or any map with its `groups`) to begin the
 * search from. Only the groups are read; what this request does not know
 * (a learner no longer waiting, a room or dagdeel gone) is left out, not
 * refused, and the solver repairs the rest (docs/schema.md). */
static int dec_start(dec *d, const msgpack_object *req)
{
	tt_model *m = d->m;
	const msgpack_object_map *sm;
	int rc = mp_field_map(d->c, req, "start", false, &sm);
	if (rc || !sm)
		return rc;
	m->has_start = true;
	const msgpack_object *so = mp_get(req, "start");
	/* the highest gN its plan's versions gave (answers before it: none;
	 * null reads as none) */
	const msgpack_object *sq = mp_get(so, "group_seq");
	if (sq && sq->type != MSGPACK_OBJECT_NIL) {
		int64_t seq = 0;
		size_t s1 = mp_push_key(d->c, "start");
		rc = mp_field_int(d->c, so, "group_seq", false, 0, TT_MAX_GROUP_SEQ, &seq);
		mp_pop(d->c, s1);
		if (rc)
			return rc;
		m->start_seq = (int)seq;
	}
	const msgpack_object_array *a;
	size_t s0 = mp_push_key(d->c, "start");
	rc = mp_field_array(d->c, so, "groups", true,
			    d->lim->max_learners + d->lim->max_running, &a);
	mp_pop(d->c, s0);
	if (rc)
		return rc;
	m->start = xcalloc(a->size ? a->size : 1, sizeof *m->start);
	/* a learner listed twice in one group counts once (seen[l] = group + 1);
	 * unknown ids are counted once each */
	int *seen = xcalloc((size_t)m->n_learners + 1, sizeof *seen);
	strmap unknown;
	strmap_init(&unknown);
	s0 = mp_push_key(d->c, "start");
	FOR_EACH_MAP(d, a, "groups", i, o)
	{
		tt_start_group *g = &m->start[i];
		m->n_start = (int)i + 1;
		g->route = g->level = g->pace = g->alfa = g->women_only = -1;
		g->running = -1;
		g->location = g->room = g->teacher = -1;
		const msgpack_object *ro = mp_get(o, "running");
		if (ro && ro->type != MSGPACK_OBJECT_NIL) {
			size_t s = mp_push_key(d->c, "running");
			const char *p;
			size_t n;
			if (!str_of(d, ro, &p, &n)) {
				g->running = -2; /* a running group not in this request */
				for (int r = 0; r < m->n_running; r++)
					if (strlen(m->running[r].id) == n &&
					    memcmp(m->running[r].id, p, n) == 0)
						g->running = r;
			}
			mp_pop(d->c, s);
		}
		bool alfa = false, wo = false;
		const msgpack_object *ao = mp_get(o, "alfa"), *wov = mp_get(o, "women_only");
		if (get_enum_str(d, o, "route", route_words, 4, false, &g->route) ||
		    get_enum_str(d, o, "level", level_names, 5, false, &g->level) ||
		    get_enum_str(d, o, "pace", paces, 3, false, &g->pace) ||
		    mp_field_bool(d->c, o, "alfa", false, &alfa) ||
		    mp_field_bool(d->c, o, "women_only", false, &wo))
			break;
		if (g->route == 3)
			g->route = TT_ROUTE_OR;
		if (ao && ao->type != MSGPACK_OBJECT_NIL)
			g->alfa = alfa;
		if (wov && wov->type != MSGPACK_OBJECT_NIL)
			g->women_only = wo;
		g->location = start_ref(d, o, "location", &d->locs);
		g->room = start_ref(d, o, "room", &d->rooms);
		g->teacher = start_ref(d, o, "teacher", &d->teachers);
		if (g->location < 0 && g->room >= 0 && !mp_get(o, "location"))
			g->location = m->rooms[g->room].location; /* (not stated: its room's) */
		if (d->c->rc)
			break;
		g->id = start_stated(o, "id");
		char *gone = g->location < 0 ? start_stated(o, "location") : NULL;
		if (gone)
			g->lost = xasprintf("location %s", gone);
		free(gone);
		if (g->room < 0)
			g->room_gone = start_stated(o, "room");
		if (g->teacher < 0)
			g->teacher_gone = start_stated(o, "teacher");
		const msgpack_object_array *da, *la;
		if (mp_field_array(d->c, o, "dagdelen", false, TT_MAX_DAGDELEN * 4, &da) ||
		    mp_field_array(d->c, o, "learners", false, d->lim->max_learners, &la))
			break;
		size_t s = mp_push_key(d->c, "dagdelen");
		for (uint32_t k = 0; da && k < da->size && !d->c->rc; k++) {
			size_t s2 = mp_push_idx(d->c, k);
			const char *p;
			size_t n;
			if (!str_of(d, &da->ptr[k], &p, &n)) {
				int t = dagdeel_index(m, p, n);
				if (t < 0 && !g->lost)
					g->lost = xasprintf("dagdeel %.*s", (int)n, p);
				if (t < 0)
					g->sessions_lost = true;
				else
					g->sessions |= (tt_mask)1 << t;
			}
			mp_pop(d->c, s2);
		}
		mp_pop(d->c, s);
		g->members = xcalloc(la && la->size ? la->size : 1, sizeof *g->members);
		s = mp_push_key(d->c, "learners");
		for (uint32_t k = 0; la && k < la->size && !d->c->rc; k++) {
			size_t s2 = mp_push_idx(d->c, k);
			const char *p;
			size_t n;
			if (!str_of(d, &la->ptr[k], &p, &n)) {
				int l = strmap_get(&d->learners, p, n);
				if (l < 0) {
					/* a new key gets the count so far: earlier ones are lower */
					if (strmap_put(&unknown, p, n, m->start_unknown) == m->start_unknown)
						m->start_unknown++;
				} else if (seen[l] != (int)i + 1) {
					seen[l] = (int)i + 1;
					g->members[g->n_members++] = l;
				}
			}
			mp_pop(d->c, s2);
		}
		mp_pop(d->c, s);
	}
	mp_pop(d->c, s0);
	free(seen);
	strmap_free(&unknown);
	return d->c->rc;
}

int tt_decode(const msgpack_object *req, const tt_limits *lim, tt_model *m, mp_ctx *c)
{
	memset(m, 0, sizeof *m);
	tt_model_defaults(m);
	if (req->type != MSGPACK_OBJECT_MAP)
		return mp_fail(c, RS_EBADREQ, "the request must be a map, got %s",
			       mp_type_name(req));
	dec d = {.c = c, .lim = lim, .m = m};
	strmap_init(&d.locs), strmap_init(&d.rooms), strmap_init(&d.teachers);
	strmap_init(&d.care), strmap_init(&d.learners), strmap_init(&d.households);
	strmap_init(&d.tongues), strmap_init(&d.facilities);
	long as_of = 0, join_day = 0, term_end = 0;
	int rc = known_keys(&d, req, top_keys);
	if (!rc)
		rc = dec_term(&d, req, &as_of, &join_day, &term_end);
	if (!rc)
		rc = dec_dagdelen(&d, req);
	if (!rc)
		rc = dec_routes(&d, req);
	if (!rc)
		rc = dec_locations(&d, req);
	if (!rc)
		rc = dec_rooms(&d, req);
	if (!rc)
		rc = dec_teachers(&d, req);
	if (!rc)
		rc = dec_childcare(&d, req);
	if (!rc)
		rc = dec_learners(&d, req, as_of);
	if (!rc)
		rc = dec_running(&d, req, join_day, term_end);
	if (!rc)
		rc = dec_modules(&d, req);
	if (!rc)
		rc = dec_weights(&d, req);
	if (!rc)
		rc = dec_room_capacity(&d, req);
	if (!rc)
		rc = dec_start(&d, req);
	strmap_free(&d.locs), strmap_free(&d.rooms), strmap_free(&d.teachers);
	strmap_free(&d.care), strmap_free(&d.learners), strmap_free(&d.households);
	strmap_free(&d.tongues), strmap_free(&d.facilities);
	if (!rc)
		rc = c->rc;
	if (rc)
		tt_model_free(m);
	return rc;
}
