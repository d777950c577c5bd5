/* pm_decode.c: msgpack placement request → pm_model, every field checked
 * (docs/placement.md). The first problem found is left in the mp_ctx with
 * its path ("participants[3].lessons[1]: unknown dagdeel 'mon-xx'"). */
#include "pm.h"

#include "rs_error.h"
#include "strmap.h"
#include "tt_decode.h"
#include "xalloc.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const type_names[] = {"volunteering", "taalstage", "werkervaringsplaats",
					 "leerwerkplek", "paid"};
static const char *const level_names[] = {"A0", "A1", "A2", "B1", "B2"};
static const char *const day_names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

const char *pm_type_name(int type)
{
	return type >= 0 && type < PM_N_TYPES ? type_names[type] : "?";
}

const char *pm_level_name(int level)
{
	return level >= 0 && level <= PM_MAX_LEVEL ? level_names[level] : "?";
}

void pm_limits_default(pm_limits *l)
{
	l->max_participants = 20000;
	l->max_placements = 5000;
	l->max_locations = 256;
	l->max_id = 128;
}

double pm_mask_hours(const pm_model *m, pm_mask d)
{
	int min = 0;
	for (int t = 0; t < m->n_dagdelen; t++)
		if (d >> t & 1)
			min += m->dagdelen[t].end_min - m->dagdelen[t].start_min;
	return min / 60.0;
}

typedef struct dec {
	mp_ctx *c;
	const pm_limits *lim;
	pm_model *m;
	strmap locs, places, parts, tongues, certs;
	bool locs_listed; /* a `locations` list was given */
} dec;

/* One element of an array, with its path pushed while f runs. */
#define EACH(d, arr, key, i, el)                                                             \
	for (uint32_t i = 0; (arr) && i < (arr)->size && !(d)->c->rc; i++)                    \
		for (size_t s_##i = mp_push_key((d)->c, key), once_ = (mp_push_idx((d)->c, i), 1); \
		     once_; once_ = 0, mp_pop((d)->c, s_##i))                                    \
			for (const msgpack_object *el = &(arr)->ptr[i]; el; el = NULL)

/* An error at field key of the current path (none: at the path itself). */
static int fail_at(dec *d, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail_at(dec *d, const char *key, const char *fmt, ...)
{
	char msg[MP_ERR_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	size_t s = key ? mp_push_key(d->c, key) : d->c->plen;
	int rc = mp_fail(d->c, RS_EBADREQ, "%s", msg);
	mp_pop(d->c, s);
	return rc;
}

static int str_of(dec *d, const msgpack_object *o, const char **p, size_t *n)
{
	return mp_str_checked(d->c, o, d->lim->max_id, p, n);
}

static int name_index(const char *const *names, int n, const char *p, size_t len)
{
	for (int i = 0; i < n; i++)
		if (strlen(names[i]) == len && memcmp(names[i], p, len) == 0)
			return i;
	return -1;
}

static int dagdeel_index(const pm_model *m, const char *p, size_t n)
{
	for (int t = 0; t < m->n_dagdelen; t++)
		if (strlen(m->dagdelen[t].id) == n && memcmp(m->dagdelen[t].id, p, n) == 0)
			return t;
	return -1;
}

/* An optional list of dagdeel ids → mask; absent leaves *out. */
static int get_mask(dec *d, const msgpack_object *o, const char *key, pm_mask *out)
{
	const msgpack_object_array *a;
	int rc = mp_field_array(d->c, o, key, false, PM_MAX_DAGDELEN * 4, &a);
	if (rc || !a)
		return rc;
	pm_mask mask = 0;
	EACH(d, a, key, i, el)
	{
		const char *p;
		size_t n;
		if (str_of(d, el, &p, &n))
			break;
		int t = dagdeel_index(d->m, p, n);
		if (t < 0)
			mp_fail(d->c, RS_EBADREQ, "unknown dagdeel '%.*s'", (int)n, p);
		else if (mask >> t & 1)
			mp_fail(d->c, RS_EBADREQ, "dagdeel '%.*s' is listed twice", (int)n, p);
		mask |= (pm_mask)1 << (t & 31);
	}
	if (!d->c->rc)
		*out = mask;
	return d->c->rc;
}

/* current_dagdelen: the ids of this request's dagdelen among them (a
 * re-match copies them from an answer whose week may have had others). */
static int get_current_days(dec *d, const msgpack_object *o, pm_mask *out)
{
	const msgpack_object_array *a;
	int rc = mp_field_array(d->c, o, "current_dagdelen", false, PM_MAX_LESSONS, &a);
	if (rc || !a)
		return rc;
	EACH(d, a, "current_dagdelen", i, el)
	{
		const char *p;
		size_t n;
		if (str_of(d, el, &p, &n))
			break;
		int t = dagdeel_index(d->m, p, n);
		if (t >= 0)
			*out |= (pm_mask)1 << t;
	}
	return d->c->rc;
}

/* An optional string of names[] at key. */
static int get_enum(dec *d, const msgpack_object *o, const char *key, const char *const *names,
		    int n_names, int *out)
{
	const msgpack_object *v = mp_get(o, key);
	if (!v || v->type == MSGPACK_OBJECT_NIL)
		return 0;
	size_t s = mp_push_key(d->c, key);
	const char *p;
	size_t n;
	if (!str_of(d, v, &p, &n)) {
		int k = name_index(names, n_names, p, n);
		if (k < 0) {
			char all[160] = "";
			for (int i = 0; i < n_names; i++)
				snprintf(all + strlen(all), sizeof all - strlen(all), "%s%s",
					 i ? ", " : "", names[i]);
			mp_fail(d->c, RS_EBADREQ, "'%.*s' is not one of %s", (int)n, p, all);
		}
		*out = k;
	}
	mp_pop(d->c, s);
	return d->c->rc;
}

/* Interns a string into map (index = order of first sight), at most max. */
static int intern(dec *d, strmap *map, char ***names, int *count, int max, const char *what,
		  const char *p, size_t n)
{
	int k = strmap_get(map, p, n);
	if (k >= 0)
		return k;
	if (*count >= max) {
		mp_fail(d->c, RS_ETOOLARGE, "more than %d distinct %s in one request", max, what);
		return -1;
	}
	*names = xrealloc(*names, sizeof **names * (size_t)(*count + 1));
	(*names)[*count] = xstrndup(p, n);
	strmap_put(map, p, n, *count);
	return (*count)++;
}

static int get_certs(dec *d, const msgpack_object *o, uint64_t *out)
{
	const msgpack_object_array *a;
	int rc = mp_field_array(d->c, o, "certificates", false, 64, &a);
	if (rc || !a)
		return rc;
	EACH(d, a, "certificates", i, el)
	{
		const char *p;
		size_t n;
		if (str_of(d, el, &p, &n))
			break;
		int k = intern(d, &d->certs, &d->m->certs, &d->m->n_certs, PM_MAX_CERTS,
			       "certificate names", p, n);
		if (k >= 0)
			*out |= (uint64_t)1 << k;
	}
	return d->c->rc;
}

static int get_id(dec *d, const msgpack_object *o, strmap *map, int idx, char **out)
{
	int rc = mp_field_str(d->c, o, "id", true, d->lim->max_id, out);
	if (rc)
		return rc;
	if (!**out)
		return fail_at(d, "id", "an id must not be empty");
	if (strmap_put(map, *out, strlen(*out), idx) != idx)
		return fail_at(d, "id", "duplicate id '%s'", *out);
	return 0;
}

static int known(dec *d, const msgpack_object *o, const char *const *keys)
{
	if (o->type != MSGPACK_OBJECT_MAP)
		return mp_fail(d->c, RS_EBADREQ, "expected a map, got %s", mp_type_name(o));
	return mp_known_keys(d->c, o, keys, "docs/placement.md");
}

static int get_hhmm(dec *d, const msgpack_object *o, const char *key, int *out)
{
	char *v = NULL;
	int rc = mp_field_str(d->c, o, key, true, 5, &v);
	if (!rc) {
		*out = tt_parse_hhmm(v, strlen(v));
		if (*out < 0)
			rc = fail_at(d, key, "'%s' is not a time HH:MM", v);
	}
	free(v);
	return rc;
}

static int get_date(dec *d, const msgpack_object *o, const char *key, char **str, long *days)
{
	char *v = NULL;
	int rc = mp_field_str(d->c, o, key, false, 10, &v);
	if (rc || !v)
		return rc;
	long dd = tt_parse_date(v, strlen(v));
	if (dd < 0) {
		rc = fail_at(d, key, "'%s' is not a date YYYY-MM-DD", v);
		free(v);
		return rc;
	}
	if (days)
		*days = dd;
	if (str)
		*str = v;
	else
		free(v);
	return 0;
}

static const char *const top_keys[] = {"kind",    "tenant",       "wait",         "time_limit",
				       "seed",    "gap",          "node_limit",   "threads",
				       "idempotency_key", "as_of", "dagdelen", "locations",
				       "placements", "participants", "weights", "lessons_from", "replan",
				       NULL};
static const char *const dagdeel_keys[] = {"id", "day", "start", "end", NULL};
static const char *const location_keys[] = {"id", "name", NULL};
static const char *const placement_keys[] = {
	"id",         "name",        "type",     "location",       "capacity",
	"hours_capacity", "dagdelen", "fixed",   "min_hours",      "max_hours",
	"max_per_dagdeel", "min_level", "certificates", "coach_hours", "max_same_tongue",
	"contract_prospect", "available_from", "available_until", "dutch_speaking", "sector",
	NULL};
static const char *const participant_keys[] = {
	"id",          "level",          "certificates", "available",   "lessons",
	"min_hours",   "max_hours",      "target_hours", "travel",      "max_travel",
	"mother_tongue", "coaching",     "preferred",    "preferred_types", "waiting_since",
	"current",     "must_place",     "current_dagdelen", NULL};

static int dec_dagdelen(dec *d, const msgpack_object *req)
{
	pm_model *m = d->m;
	const msgpack_object_array *a;
	if (mp_field_array(d->c, req, "dagdelen", false, PM_MAX_DAGDELEN, &a))
		return d->c->rc;
	if (!a) {
		/* the working week: mornings and afternoons of Monday to Friday */
		m->n_dagdelen = 10;
		m->dagdelen = xcalloc(10, sizeof *m->dagdelen);
		for (int t = 0; t < 10; t++) {
			pm_dagdeel *g = &m->dagdelen[t];
			char id[16];
			snprintf(id, sizeof id, "%s-%s", day_names[t / 2], t % 2 ? "pm" : "am");
			g->id = xstrdup(id);
			g->day = t / 2;
			g->start_min = t % 2 ? 13 * 60 : 9 * 60;
			g->end_min = g->start_min + 210;
		}
		return 0;
	}
	if (a->size == 0)
		return fail_at(d, "dagdelen", "at least one dagdeel is needed");
	m->dagdelen = xcalloc(a->size, sizeof *m->dagdelen);
	EACH(d, a, "dagdelen", i, o)
	{
		pm_dagdeel *g = &m->dagdelen[i];
		m->n_dagdelen = (int)i + 1;
		if (known(d, o, dagdeel_keys) ||
		    mp_field_str(d->c, o, "id", true, d->lim->max_id, &g->id))
			break;
		if (!*g->id || dagdeel_index(m, g->id, strlen(g->id)) != (int)i) {
			if (*g->id)
				fail_at(d, "id", "duplicate id '%s'", g->id);
			else
				fail_at(d, "id", "an id must not be empty");
			break;
		}
		g->day = -1;
		if (get_enum(d, o, "day", day_names, 7, &g->day))
			break;
		if (g->day < 0) {
			fail_at(d, "day", "required field missing");
			break;
		}
		if (get_hhmm(d, o, "start", &g->start_min) || get_hhmm(d, o, "end", &g->end_min))
			break;
		if (g->end_min <= g->start_min) {
			fail_at(d, "end", "must end after it starts");
			break;
		}
		for (uint32_t j = 0; j < i; j++) {
			const pm_dagdeel *u = &m->dagdelen[j];
			if (u->day == g->day && u->start_min < g->end_min && g->start_min < u->end_min) {
				mp_fail(d->c, RS_EBADREQ,
					"overlaps dagdelen[%u] '%s': dagdelen of one day must not "
					"overlap",
					j, u->id);
				break;
			}
		}
	}
	/* placements count dagdelen by length: few lengths keep that small */
	int lens[PM_MAX_LENGTHS], n_lens = 0;
	for (int t = 0; t < m->n_dagdelen && !d->c->rc; t++) {
		int l = m->dagdelen[t].end_min - m->dagdelen[t].start_min, k = 0;
		while (k < n_lens && lens[k] != l)
			k++;
		if (k < n_lens)
			continue;
		if (n_lens == PM_MAX_LENGTHS) {
			fail_at(d, "dagdelen", "more than 4 different dagdeel lengths");
			break;
		}
		lens[n_lens++] = l;
	}
	return d->c->rc;
}

static int add_location(dec *d, const char *id, size_t n, const char *name)
{
	pm_model *m = d->m;
	int k = strmap_get(&d->locs, id, n);
	if (k >= 0)
		return k;
	if ((uint32_t)m->n_locations >= d->lim->max_locations) {
		mp_fail(d->c, RS_ETOOLARGE, "more than %u locations", d->lim->max_locations);
		return -1;
	}
	m->locations = xrealloc(m->locations, sizeof *m->locations * (size_t)(m->n_locations + 1));
	pm_location *l = &m->locations[m->n_locations];
	l->id = xstrndup(id, n);
	l->name = xstrdup(name ? name : l->id);
	strmap_put(&d->locs, id, n, m->n_locations);
	return m->n_locations++;
}

static int dec_locations(dec *d, const msgpack_object *req)
{
	const msgpack_object_array *a;
	if (mp_field_array(d->c, req, "locations", false, d->lim->max_locations, &a) || !a)
		return d->c->rc;
	d->locs_listed = true;
	EACH(d, a, "locations", i, o)
	{
		char *id = NULL, *name = NULL;
		if (!known(d, o, location_keys) &&
		    !mp_field_str(d->c, o, "id", true, d->lim->max_id, &id) &&
		    !mp_field_str(d->c, o, "name", false, 256, &name)) {
			if (!*id)
				fail_at(d, "id", "an id must not be empty");
			else if (strmap_get(&d->locs, id, strlen(id)) >= 0)
				fail_at(d, "id", "duplicate id '%s'", id);
			else
				add_location(d, id, strlen(id), name);
		}
		free(id);
		free(name);
	}
	return d->c->rc;
}

/* A number of hours at key in [0, 80]; absent leaves *out. */
static int get_hours(dec *d, const msgpack_object *o, const char *key, double *out)
{
	return mp_field_num(d->c, o, key, false, 0, 80, out);
}

static int dec_placements(dec *d, const msgpack_object *req, long as_of)
{
	pm_model *m = d->m;
	const msgpack_object_array *a;
	if (mp_field_array(d->c, req, "placements", true, d->lim->max_placements, &a))
		return d->c->rc;
	m->placements = xcalloc(a->size ? a->size : 1, sizeof *m->placements);
	/* ids first: participants' preferences and current placements name them,
	 * and a placement's fields are checked in the second pass */
	EACH(d, a, "placements", i, o)
	{
		m->n_placements = (int)i + 1;
		if (!known(d, o, placement_keys))
			get_id(d, o, &d->places, (int)i, &m->placements[i].id);
	}
	EACH(d, a, "placements", i, o)
	{
		pm_placement *w = &m->placements[i];
		w->capacity = 1;
		w->hours_capacity = PM_NO_LIMIT;
		w->dagdelen = m->n_dagdelen >= 32 ? ~(pm_mask)0 : ((pm_mask)1 << m->n_dagdelen) - 1;
		w->max_hours = PM_NO_LIMIT;
		w->coach_hours = PM_NO_LIMIT;
		w->max_same_tongue = -1;
		int64_t cap = 1, per = -1, same = -1;
		long from_day = -1, until_day = -1;
		bool dutch = false;
		char *loc = NULL, *sector = NULL;
		if (mp_field_str(d->c, o, "name", false, 256, &w->name) ||
		    get_enum(d, o, "type", type_names, PM_N_TYPES, &w->type) ||
		    mp_field_str(d->c, o, "location", true, d->lim->max_id, &loc) ||
		    mp_field_int(d->c, o, "capacity", false, 1, 1000, &cap) ||
		    get_hours(d, o, "min_hours", &w->min_hours) ||
		    get_hours(d, o, "max_hours", &w->max_hours) ||
		    mp_field_num(d->c, o, "hours_capacity", false, 0, 100000, &w->hours_capacity) ||
		    get_mask(d, o, "dagdelen", &w->dagdelen) ||
		    mp_field_bool(d->c, o, "fixed", false, &w->fixed) ||
		    mp_field_int(d->c, o, "max_per_dagdeel", false, 1, 1000, &per) ||
		    get_enum(d, o, "min_level", level_names, PM_MAX_LEVEL + 1, &w->min_level) ||
		    get_certs(d, o, &w->certs) ||
		    mp_field_num(d->c, o, "coach_hours", false, 0, 10000, &w->coach_hours) ||
		    mp_field_int(d->c, o, "max_same_tongue", false, 0, 1000, &same) ||
		    mp_field_bool(d->c, o, "contract_prospect", false, &w->contract_prospect) ||
		    mp_field_bool(d->c, o, "dutch_speaking", false, &dutch) ||
		    mp_field_str(d->c, o, "sector", false, 128, &sector) ||
		    get_date(d, o, "available_from", &w->available_from, &from_day) ||
		    get_date(d, o, "available_until", &w->available_until, &until_day)) {
			free(loc), free(sector);
			break;
		}
		/* (a placement that ends before as_of has ended: nobody starts there) */
		if (w->available_until && (until_day < from_day || until_day < as_of)) {
			fail_at(d, "available_until", "'%s' is before the placement can start (%s)",
				w->available_until, until_day < from_day ? w->available_from : "as_of");
			free(loc);
			break;
		}
		free(sector);
		if (!w->name)
			w->name = xstrdup(w->id);
		w->capacity = (int)cap;
		w->max_per_dagdeel = per > 0 ? (int)per : w->capacity;
		w->max_same_tongue = (int)same;
		if (!*loc) {
			fail_at(d, "location", "must not be empty");
		} else {
			w->location = strmap_get(&d->locs, loc, strlen(loc));
			if (w->location < 0 && d->locs_listed)
				fail_at(d, "location", "unknown location '%s'", loc);
			else if (w->location < 0)
				w->location = add_location(d, loc, strlen(loc), NULL);
		}
		free(loc);
		if (d->c->rc)
			break;
		if (!w->dagdelen)
			fail_at(d, "dagdelen", "a placement needs at least one dagdeel");
		else if (w->max_hours >= 0 && w->min_hours > w->max_hours)
			fail_at(d, "min_hours", "is above max_hours");
		else if (w->min_hours > pm_mask_hours(m, w->dagdelen))
			fail_at(d, "min_hours", "is more than all of its dagdelen give");
	}
	return d->c->rc;
}

static int get_travel(dec *d, const msgpack_object *o, int **out)
{
	int n_loc = d->m->n_locations;
	int *tr = xmalloc(sizeof(int) * (size_t)(n_loc ? n_loc : 1));
	for (int l = 0; l < n_loc; l++)
		tr[l] = -1;
	*out = tr;
	const msgpack_object_map *mm;
	if (mp_field_map(d->c, o, "travel", false, &mm) || !mm)
		return d->c->rc;
	size_t s = mp_push_key(d->c, "travel");
	for (uint32_t i = 0; i < mm->size && !d->c->rc; i++) {
		const char *p;
		size_t n;
		if (str_of(d, &mm->ptr[i].key, &p, &n))
			break;
		char kb[160];
		snprintf(kb, sizeof kb, "%.*s", (int)n, p);
		int l = strmap_get(&d->locs, p, n);
		msgpack_object_kv one = mm->ptr[i];
		msgpack_object wrap = {.type = MSGPACK_OBJECT_MAP};
		wrap.via.map.size = 1;
		wrap.via.map.ptr = &one;
		int64_t v = -1;
		if (l < 0)
			fail_at(d, kb, "unknown location (no `locations` entry or placement is "
				       "there)");
		else if (!mp_field_int(d->c, &wrap, kb, true, 0, 24 * 60, &v))
			tr[l] = (int)v;
	}
	mp_pop(d->c, s);
	return d->c->rc;
}

static int get_preferred(dec *d, const msgpack_object *o, pm_participant *p)
{
	const msgpack_object_array *a;
	if (mp_field_array(d->c, o, "preferred", false, 64, &a))
		return d->c->rc;
	if (a && a->size)
		p->preferred = xcalloc(a->size, sizeof *p->preferred);
	EACH(d, a, "preferred", i, el)
	{
		const char *s;
		size_t n;
		if (str_of(d, el, &s, &n))
			break;
		int w = strmap_get(&d->places, s, n);
		if (w < 0)
			mp_fail(d->c, RS_EBADREQ, "unknown placement '%.*s'", (int)n, s);
		p->preferred[p->n_preferred++] = w;
	}
	if (d->c->rc || mp_field_array(d->c, o, "preferred_types", false, PM_N_TYPES * 2, &a))
		return d->c->rc;
	EACH(d, a, "preferred_types", i, el)
	{
		const char *s;
		size_t n;
		if (str_of(d, el, &s, &n))
			break;
		int t = name_index(type_names, PM_N_TYPES, s, n);
		if (t < 0)
			mp_fail(d->c, RS_EBADREQ,
				"'%.*s' is not one of volunteering, taalstage, werkervaringsplaats, "
				"leerwerkplek, paid",
				(int)n, s);
		p->pref_types |= 1u << (t & 15);
	}
	return d->c->rc;
}

static const char *const lesson_keys[] = {"day", "start", "end", NULL};

/* participants[].lessons: dagdeel ids of this request (the mask), or
 * lessons given by their times, {day, start, end} (lesson_times). */
static int get_lessons(dec *d, const msgpack_object *o, pm_participant *p)
{
	const msgpack_object_array *a;
	if (mp_field_array(d->c, o, "lessons", false, PM_MAX_LESSONS, &a) || !a)
		return d->c->rc;
	p->lesson_times = xcalloc(a->size ? a->size : 1, sizeof *p->lesson_times);
	EACH(d, a, "lessons", i, el)
	{
		if (el->type == MSGPACK_OBJECT_MAP) {
			pm_lesson *l = &p->lesson_times[p->n_lesson_times];
			l->day = -1;
			if (known(d, el, lesson_keys) || get_enum(d, el, "day", day_names, 7, &l->day))
				break;
			if (l->day < 0) {
				fail_at(d, "day", "required field missing");
				break;
			}
			if (get_hhmm(d, el, "start", &l->start_min) ||
			    get_hhmm(d, el, "end", &l->end_min))
				break;
			if (l->end_min <= l->start_min) {
				fail_at(d, "end", "must end after it starts");
				break;
			}
			p->n_lesson_times++;
			continue;
		}
		if (el->type != MSGPACK_OBJECT_STR) {
			mp_fail(d->c, RS_EBADREQ, "expected a dagdeel id or {day, start, end}, got %s",
				mp_type_name(el));
			break;
		}
		const char *s;
		size_t n;
		if (str_of(d, el, &s, &n))
			break;
		int t = dagdeel_index(d->m, s, n);
		if (t < 0)
			mp_fail(d->c, RS_EBADREQ, "unknown dagdeel '%.*s'", (int)n, s);
		else if (p->lessons >> t & 1)
			mp_fail(d->c, RS_EBADREQ, "dagdeel '%.*s' is listed twice", (int)n, s);
		p->lessons |= (pm_mask)1 << (t & 31);
	}
	return d->c->rc;
}

/* lessons_from: a plan id, or {plan, version, participants, lessons} as
 * the daemon completes it when it fills the lessons in (docs/placement.md). */
static int dec_lessons_from(dec *d, const msgpack_object *req)
{
	pm_lessons_from *lf = &d->m->lessons_from;
	const msgpack_object *o = mp_get(req, "lessons_from");
	if (!o || o->type == MSGPACK_OBJECT_NIL)
		return 0;
	size_t sv = mp_push_key(d->c, "lessons_from");
	if (o->type == MSGPACK_OBJECT_STR) {
		const char *s;
		size_t n;
		if (!str_of(d, o, &s, &n))
			lf->plan = xstrndup(s, n);
	} else if (o->type == MSGPACK_OBJECT_MAP) {
		static const char *const keys[] = {"plan", "version", "participants", "lessons",
						   NULL};
		int64_t v = 0, np = 0, nl = 0;
		if (!known(d, o, keys) &&
		    !mp_field_str(d->c, o, "plan", true, d->lim->max_id, &lf->plan) &&
		    !mp_field_int(d->c, o, "version", false, 0, INT32_MAX, &v) &&
		    !mp_field_int(d->c, o, "participants", false, 0, INT32_MAX, &np) &&
		    !mp_field_int(d->c, o, "lessons", false, 0, INT32_MAX, &nl)) {
			lf->version = (int)v, lf->participants = (int)np, lf->lessons = (int)nl;
			if (!*lf->plan)
				fail_at(d, "plan", "a plan id must not be empty");
		}
	} else {
		mp_fail(d->c, RS_EBADREQ, "expected a plan id or {plan, version}, got %s",
			mp_type_name(o));
	}
	mp_pop(d->c, sv);
	return d->c->rc;
}

static int dec_participants(dec *d, const msgpack_object *req, long as_of)
{
	pm_model *m = d->m;
	const msgpack_object_array *a;
	if (mp_field_array(d->c, req, "participants", true, d->lim->max_participants, &a))
		return d->c->rc;
	m->participants = xcalloc(a->size ? a->size : 1, sizeof *m->participants);
	pm_mask all = m->n_dagdelen >= 32 ? ~(pm_mask)0 : ((pm_mask)1 << m->n_dagdelen) - 1;
	EACH(d, a, "participants", i, o)
	{
		pm_participant *p = &m->participants[i];
		m->n_participants = (int)i + 1;
		p->available = all;
		p->max_hours = 40;
		p->target_hours = -1;
		p->max_travel = 60;
		p->tongue = -1;
		p->coaching = 1;
		p->current = -1;
		int64_t mt = 60;
		long since = -1;
		char *tongue = NULL;
		if (known(d, o, participant_keys) || get_id(d, o, &d->parts, (int)i, &p->id) ||
		    get_enum(d, o, "level", level_names, PM_MAX_LEVEL + 1, &p->level) ||
		    get_certs(d, o, &p->certs) || get_mask(d, o, "available", &p->available) ||
		    get_lessons(d, o, p) ||
		    get_hours(d, o, "min_hours", &p->min_hours) ||
		    get_hours(d, o, "max_hours", &p->max_hours) ||
		    get_hours(d, o, "target_hours", &p->target_hours) ||
		    get_travel(d, o, &p->travel) ||
		    mp_field_int(d->c, o, "max_travel", false, 0, 24 * 60, &mt) ||
		    mp_field_str(d->c, o, "mother_tongue", false, 64, &tongue) ||
		    mp_field_num(d->c, o, "coaching", false, 0, 80, &p->coaching) ||
		    get_preferred(d, o, p) || get_date(d, o, "waiting_since", NULL, &since) ||
		    mp_field_str(d->c, o, "current", false, d->lim->max_id, &p->current_id) ||
		    get_current_days(d, o, &p->current_dagdelen) ||
		    mp_field_bool(d->c, o, "must_place", false, &p->must_place)) {
			free(tongue);
			break;
		}
		p->max_travel = (int)mt;
		if (tongue && *tongue)
			p->tongue = intern(d, &d->tongues, &m->tongues, &m->n_tongues, 1 << 20,
					   "mother tongues", tongue, strlen(tongue));
		free(tongue);
		if (p->min_hours > p->max_hours) {
			fail_at(d, "min_hours", "is above max_hours");
			break;
		}
		if (p->target_hours < 0)
			p->target_hours = mp_get(o, "max_hours") ? p->max_hours : fmin(16, p->max_hours);
		if (as_of >= 0 && since >= 0 && as_of > since)
			p->weeks_waiting = (int)((as_of - since) / 7);
		if (p->current_id) {
			p->current = strmap_get(&d->places, p->current_id, strlen(p->current_id));
			if (p->current < 0)
				p->current = -2;
		}
	}
	return d->c->rc;
}

static int dec_weights(dec *d, const msgpack_object *req)
{
	pm_weights *w = &d->m->w;
	*w = (pm_weights){.unplaced = 1000,
			  .wait_week = 10,
			  .travel = 1,
			  .not_preferred = 50,
			  .hours_short = 5,
			  .same_tongue = 100,
			  .moved = 0};
	const msgpack_object_map *wm;
	if (mp_field_map(d->c, req, "weights", false, &wm) || !wm)
		return d->c->rc;
	static const char *const names[] = {"unplaced",    "wait_week",  "travel", "not_preferred",
					    "hours_short", "same_tongue", "moved", NULL};
	double *slot[] = {&w->unplaced,    &w->wait_week,   &w->travel, &w->not_preferred,
			  &w->hours_short, &w->same_tongue, &w->moved};
	const msgpack_object *o = mp_get(req, "weights");
	size_t s = mp_push_key(d->c, "weights");
	if (!mp_known_keys(d->c, o, names, "docs/placement.md"))
		for (int k = 0; names[k] && !d->c->rc; k++)
			mp_field_num(d->c, o, names[k], false, 0, 1e6, slot[k]);
	mp_pop(d->c, s);
	return d->c->rc;
}

int pm_decode(const msgpack_object *req, const pm_limits *lim, pm_model *m, mp_ctx *c)
{
	memset(m, 0, sizeof *m);
	dec d = {.c = c, .lim = lim, .m = m};
	strmap_init(&d.locs), strmap_init(&d.places), strmap_init(&d.parts);
	strmap_init(&d.tongues), strmap_init(&d.certs);
	long as_of = -1;
	if (req->type != MSGPACK_OBJECT_MAP)
		mp_fail(c, RS_EBADREQ, "the request must be a map, got %s", mp_type_name(req));
	else if (!mp_known_keys(c, req, top_keys, "docs/placement.md") &&
		 !get_date(&d, req, "as_of", &m->as_of, &as_of) && !dec_dagdelen(&d, req) &&
		 !dec_locations(&d, req) && !dec_placements(&d, req, as_of) &&
		 !dec_participants(&d, req, as_of) && !dec_weights(&d, req))
		dec_lessons_from(&d, req);
	strmap_free(&d.locs), strmap_free(&d.places), strmap_free(&d.parts);
	strmap_free(&d.tongues), strmap_free(&d.certs);
	if (c->rc) {
		pm_model_free(m);
		return c->rc;
	}
	return 0;
}

void pm_model_free(pm_model *m)
{
	for (int t = 0; t < m->n_dagdelen; t++)
		free(m->dagdelen[t].id);
	free(m->dagdelen);
	for (int l = 0; l < m->n_locations; l++)
		free(m->locations[l].id), free(m->locations[l].name);
	free(m->locations);
	for (int w = 0; w < m->n_placements; w++) {
		pm_placement *pl = &m->placements[w];
		free(pl->id), free(pl->name), free(pl->available_from), free(pl->available_until);
	}
	free(m->placements);
	for (int i = 0; i < m->n_participants; i++) {
		pm_participant *p = &m->participants[i];
		free(p->id), free(p->travel), free(p->preferred), free(p->current_id);
		free(p->lesson_times);
	}
	free(m->participants);
	for (int k = 0; k < m->n_tongues; k++)
		free(m->tongues[k]);
	free(m->tongues);
	for (int k = 0; k < m->n_certs; k++)
		free(m->certs[k]);
	free(m->certs);
	free(m->as_of), free(m->lessons_from.plan);
	free(m->pair_hours), free(m->pair_cost);
	memset(m, 0, sizeof *m);
}

void pm_solution_free(pm_solution *s)
{
	for (int i = 0; s->reasons && i < s->n; i++) {
		for (int k = 0; s->n_reasons && k < s->n_reasons[i]; k++)
			free(s->reasons[i][k].text);
		free(s->reasons[i]);
	}
	free(s->reasons), free(s->n_reasons);
	free(s->placement), free(s->dagdelen), free(s->message);
	memset(s, 0, sizeof *s);
}

/* The matches of an answer (docs/placement.md) against m. */
int pm_decode_solution(const msgpack_object *ans, const pm_model *m, pm_solution *s, mp_ctx *c)
{
	memset(s, 0, sizeof *s);
	s->n = m->n_participants;
	s->placement = xmalloc(sizeof(int) * (size_t)(s->n ? s->n : 1));
	s->dagdelen = xcalloc((size_t)(s->n ? s->n : 1), sizeof(pm_mask));
	for (int i = 0; i < s->n; i++)
		s->placement[i] = -1;
	pm_limits lim;
	pm_limits_default(&lim);
	dec d = {.c = c, .lim = &lim, .m = (pm_model *)m};
	strmap_init(&d.parts), strmap_init(&d.places);
	for (int i = 0; i < m->n_participants; i++)
		strmap_put(&d.parts, m->participants[i].id, strlen(m->participants[i].id), i);
	for (int w = 0; w < m->n_placements; w++)
		strmap_put(&d.places, m->placements[w].id, strlen(m->placements[w].id), w);
	const msgpack_object_array *a = NULL;
	if (ans->type != MSGPACK_OBJECT_MAP)
		mp_fail(c, RS_EBADREQ, "the answer must be a map, got %s", mp_type_name(ans));
	else if (!mp_field_array(c, ans, "matches", true, lim.max_participants, &a) &&
		 !mp_field_num(c, ans, "objective", false, -1e15, 1e15, &s->objective)) {
		/* the status the answer claims: an infeasible one says it leaves a
		 * must_place participant out, which the checker then accepts */
		const char *st;
		size_t sn;
		if (mp_str(mp_get(ans, "status"), &st, &sn))
			snprintf(s->status, sizeof s->status, "%.*s", (int)sn, st);
	}
	EACH(&d, a, "matches", i, o)
	{
		char *who = NULL, *where = NULL;
		if (o->type != MSGPACK_OBJECT_MAP) {
			mp_fail(c, RS_EBADREQ, "expected a map, got %s", mp_type_name(o));
			break;
		}
		if (!mp_field_str(c, o, "participant", true, lim.max_id, &who) &&
		    !mp_field_str(c, o, "placement", true, lim.max_id, &where)) {
			int p = strmap_get(&d.parts, who, strlen(who));
			int w = strmap_get(&d.places, where, strlen(where));
			pm_mask dd = 0;
			if (p < 0)
				fail_at(&d, "participant", "unknown participant '%s'", who);
			else if (w < 0)
				fail_at(&d, "placement", "unknown placement '%s'", where);
			else if (s->placement[p] >= 0)
				fail_at(&d, "participant", "'%s' is matched twice", who);
			else if (!get_mask(&d, o, "dagdelen", &dd)) {
				s->placement[p] = w;
				s->dagdelen[p] = dd;
			}
		}
		free(who), free(where);
	}
	strmap_free(&d.parts), strmap_free(&d.places);
	if (c->rc) {
		pm_solution_free(s);
		return c->rc;
	}
	return 0;
}
