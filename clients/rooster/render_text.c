/* render_text.c: the answer model shared by all renderers (render.h) and the
 * plain-text renderer: a solve summary, weekly grids (rows: morning/afternoon/
 * evening; columns: weekdays) per group, teacher, room, learner or location,
 * and the unplaced learners with their reasons; at most 100 columns wide. */
#include "render.h"

#include "mp.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "rs_error.h"
#include "xalloc.h"

#define TXT_WIDTH 100

static const char *const render_days[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

int render_missing(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("rooster: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	return RS_EBADREQ;
}

const char *render_part_name(int part)
{
	static const char *const n[] = {"morning", "afternoon", "evening"};
	return part >= 0 && part < RENDER_NPARTS ? n[part] : "?";
}

const char *render_day_short(int wday)
{
	static const char *const n[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
	return wday >= 0 && wday < 7 ? n[wday] : "?";
}

const char *render_day_long(int wday)
{
	static const char *const n[] = {"Monday", "Tuesday", "Wednesday", "Thursday",
					"Friday", "Saturday", "Sunday"};
	return wday >= 0 && wday < 7 ? n[wday] : "?";
}

const char *render_route_label(const char *route)
{
	if (!strcmp(route, "B1"))
		return "B1-route";
	if (!strcmp(route, "Z"))
		return "Z-route";
	if (!strcmp(route, "OR"))
		return "Onderwijsroute";
	return route;
}

int render_wday(const char *day)
{
	for (int k = 0; day && k < 7; k++)
		if (!strcmp(day, render_days[k]))
			return k;
	return -1;
}

const json_t *render_by_id(const json_t *arr, const char *id)
{
	size_t i;
	const json_t *x;
	json_array_foreach(arr, i, x)
	{
		const char *xi = json_string_value(json_object_get(x, "id"));
		if (id && xi && strcmp(id, xi) == 0)
			return x;
	}
	return NULL;
}

int render_minutes(const char *s)
{
	if (!s || strlen(s) != 5 || s[2] != ':')
		return -1;
	for (int i = 0; i < 5; i++)
		if (i != 2 && (s[i] < '0' || s[i] > '9'))
			return -1;
	int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
	if (h == 24 && m == 0)
		return 24 * 60; /* midnight (a dagdeel's end; the daemon allows it) */
	return h < 24 && m < 60 ? h * 60 + m : -1;
}

static const char *render_str(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

static bool render_num(const json_t *obj, const char *key, double *v)
{
	const json_t *j = json_object_get(obj, key);
	if (!json_is_number(j))
		return false;
	*v = json_number_value(j);
	return true;
}

static int render_load_dagdelen(const json_t *a, render_plan *p)
{
	const json_t *arr = json_object_get(a, "dagdelen");
	if (!json_is_array(arr))
		return render_missing("answer lacks field 'dagdelen' (array)");
	p->n_dd = json_array_size(arr);
	p->dd = xcalloc(p->n_dd, sizeof *p->dd);
	for (size_t i = 0; i < p->n_dd; i++) {
		const json_t *d = json_array_get(arr, i);
		render_dagdeel *x = &p->dd[i];
		x->id = render_str(d, "id");
		x->day = render_str(d, "day");
		x->start = render_str(d, "start");
		x->end = render_str(d, "end");
		static const char *const f[] = {"id", "day", "start", "end"};
		const char *v[] = {x->id, x->day, x->start, x->end};
		for (int k = 0; k < 4; k++)
			if (!v[k])
				return render_missing("answer lacks field 'dagdelen[%zu].%s'", i, f[k]);
		x->wday = render_wday(x->day);
		if (x->wday < 0)
			return render_missing("answer field 'dagdelen[%zu].day' is not mon..sun", i);
		int m = render_minutes(x->start);
		if (m < 0 || render_minutes(x->end) < 0)
			return render_missing("answer field 'dagdelen[%zu].start/end' is not HH:MM", i);
		x->part = m < 12 * 60 ? RENDER_MORNING : m < 17 * 60 ? RENDER_AFTERNOON : RENDER_EVENING;
	}
	return 0;
}

static int render_strcmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int render_load_group(const json_t *j, size_t i, render_plan *p, render_group *g)
{
	static const char *const f[] = {"id", "route", "level", "location"};
	const char **v[] = {&g->id, &g->route, &g->level, &g->location};
	for (int k = 0; k < 4; k++) {
		*v[k] = render_str(j, f[k]);
		if (!*v[k])
			return render_missing("answer lacks field 'groups[%zu].%s'", i, f[k]);
	}
	g->running = render_str(j, "running");
	g->start = g->running ? render_str(j, "start") : NULL;
	const json_t *room = json_object_get(j, "room");
	if (json_is_object(room)) {
		g->room_id = render_str(room, "id");
		g->room_name = render_str(room, "name");
		g->room_capacity = (int)json_integer_value(json_object_get(room, "capacity"));
		if (!g->room_id)
			return render_missing("answer lacks field 'groups[%zu].room.id'", i);
	} else if (json_is_string(room)) {
		g->room_id = json_string_value(room);
	}
	const json_t *t = json_object_get(j, "teacher");
	if (json_is_object(t)) {
		g->teacher_id = render_str(t, "id");
		g->teacher_name = render_str(t, "name");
		if (!g->teacher_id)
			return render_missing("answer lacks field 'groups[%zu].teacher.id'", i);
	} else if (json_is_string(t)) {
		g->teacher_id = json_string_value(t);
	}
	g->alfa = json_is_true(json_object_get(j, "alfa"));
	g->women_only = json_is_true(json_object_get(j, "women_only"));
	const json_t *dds = json_object_get(j, "dagdelen");
	if (!json_is_array(dds))
		return render_missing("answer lacks field 'groups[%zu].dagdelen' (array)", i);
	g->n_dd = json_array_size(dds);
	g->dd = xcalloc(g->n_dd, sizeof *g->dd);
	for (size_t k = 0; k < g->n_dd; k++) {
		const char *id = json_string_value(json_array_get(dds, k));
		g->dd[k] = -1;
		for (size_t m = 0; id && m < p->n_dd; m++)
			if (!strcmp(p->dd[m].id, id))
				g->dd[k] = (int)m;
		if (g->dd[k] < 0)
			return render_missing("answer field 'groups[%zu].dagdelen[%zu]' names no dagdeel of 'dagdelen'",
					      i, k);
	}
	/* the learners this plan placed, then a running group's members
	 * before it (existing_learners, when the request listed them) */
	const json_t *ls = json_object_get(j, "learners");
	const json_t *ex = json_object_get(j, "existing_learners");
	g->n_new = json_array_size(ls);
	g->n_learners = g->n_new + json_array_size(ex);
	g->learners = xcalloc(g->n_learners, sizeof *g->learners);
	for (size_t k = 0; k < g->n_learners; k++) {
		const json_t *l = k < g->n_new ? json_array_get(ls, k) : json_array_get(ex, k - g->n_new);
		if (!(g->learners[k] = json_string_value(l)))
			return render_missing("answer field 'groups[%zu].%s[%zu]' is not a string", i,
					      k < g->n_new ? "learners" : "existing_learners",
					      k < g->n_new ? k : k - g->n_new);
	}
	const json_t *size = json_object_get(j, "size");
	g->size = json_is_integer(size) ? (int)json_integer_value(size) : (int)g->n_learners;
	return 0;
}

static int render_load_unplaced(const json_t *a, render_plan *p)
{
	const json_t *arr = json_object_get(a, "unplaced");
	p->n_unplaced = json_array_size(arr);
	p->unplaced = xcalloc(p->n_unplaced, sizeof *p->unplaced);
	for (size_t i = 0; i < p->n_unplaced; i++) {
		const json_t *u = json_array_get(arr, i);
		render_unplaced *x = &p->unplaced[i];
		if (!(x->learner = render_str(u, "learner")))
			return render_missing("answer lacks field 'unplaced[%zu].learner'", i);
		x->route = render_str(u, "route");
		x->level = render_str(u, "level");
		const json_t *rs = json_object_get(u, "reasons");
		x->n_reasons = json_array_size(rs);
		x->reasons = xcalloc(x->n_reasons, sizeof *x->reasons);
		for (size_t k = 0; k < x->n_reasons; k++) {
			const json_t *r = json_array_get(rs, k);
			x->reasons[k].code = render_str(r, "code");
			x->reasons[k].text = render_str(r, "text");
			if (!x->reasons[k].code && !x->reasons[k].text)
				return render_missing("answer lacks field 'unplaced[%zu].reasons[%zu].text'", i, k);
		}
	}
	return 0;
}

static int render_plan_load1(const json_t *a, render_plan *p)
{
	if (!json_is_object(a))
		return render_missing("answer is not a JSON object");
	p->answer = a;
	p->job = render_str(a, "job");
	p->plan = render_str(a, "plan");
	p->tenant = render_str(a, "tenant");
	p->kind = render_str(a, "kind");
	p->version = (int)json_integer_value(json_object_get(a, "version"));
	if (!(p->status = render_str(a, "status")))
		return render_missing("answer lacks field 'status'");
	p->has_objective = render_num(a, "objective", &p->objective);
	p->has_bound = render_num(a, "bound", &p->bound);
	p->has_gap = render_num(a, "gap", &p->gap);
	p->has_seconds = render_num(a, "seconds", &p->seconds);
	p->has_nodes = render_num(a, "nodes", &p->nodes);
	const json_t *check = json_object_get(a, "check");
	if (json_is_object(check)) {
		p->has_check = true;
		p->check_ok = json_is_true(json_object_get(check, "ok"));
		p->violations = json_object_get(check, "violations");
		if (!json_is_array(p->violations))
			p->violations = NULL;
	}
	p->conflicts = json_object_get(a, "conflicts");
	if (!json_is_array(p->conflicts))
		p->conflicts = NULL;
	p->conflicts_partial = json_is_false(json_object_get(a, "conflicts_complete"));
	const json_t *term = json_object_get(a, "term");
	p->term_start = render_str(term, "start");
	p->term_end = render_str(term, "end");
	p->term_tz = render_str(term, "tz");
	p->term_as_of = render_str(term, "as_of");
	const json_t *hol = json_object_get(term, "holidays");
	p->n_holidays = json_array_size(hol);
	p->holidays = xcalloc(p->n_holidays, sizeof *p->holidays);
	for (size_t i = 0; i < p->n_holidays; i++)
		if (!(p->holidays[i] = json_string_value(json_array_get(hol, i))))
			return render_missing("answer field 'term.holidays[%zu]' is not a string", i);
	/* by date (ISO dates sort as strings), each once */
	if (p->n_holidays)
		qsort(p->holidays, p->n_holidays, sizeof *p->holidays, render_strcmp);
	size_t nh = 0;
	for (size_t i = 0; i < p->n_holidays; i++)
		if (!nh || strcmp(p->holidays[i], p->holidays[nh - 1]))
			p->holidays[nh++] = p->holidays[i];
	p->n_holidays = nh;
	int rc = render_load_dagdelen(a, p);
	if (rc < 0)
		return rc;
	const json_t *locs = json_object_get(a, "locations");
	p->n_locations = json_array_size(locs);
	p->locations = xcalloc(p->n_locations, sizeof *p->locations);
	for (size_t i = 0; i < p->n_locations; i++) {
		const json_t *l = json_array_get(locs, i);
		if (!(p->locations[i].id = render_str(l, "id")))
			return render_missing("answer lacks field 'locations[%zu].id'", i);
		p->locations[i].name = render_str(l, "name");
		const json_t *cd = json_object_get(l, "closed_dates");
		p->locations[i].n_closed = json_array_size(cd);
		p->locations[i].closed = xcalloc(p->locations[i].n_closed + 1, sizeof(char *));
		for (size_t k = 0; k < p->locations[i].n_closed; k++)
			if (!(p->locations[i].closed[k] = json_string_value(json_array_get(cd, k))))
				return render_missing("answer field 'locations[%zu].closed_dates[%zu]' is not a string",
						      i, k);
	}
	const json_t *groups = json_object_get(a, "groups");
	if (!json_is_array(groups)) {
		/* An infeasible or cancelled solve may come without groups. */
		if (groups || (strcmp(p->status, "infeasible") && strcmp(p->status, "cancelled")))
			return render_missing("answer lacks field 'groups' (array)");
	}
	p->n_groups = json_array_size(groups);
	p->groups = xcalloc(p->n_groups, sizeof *p->groups);
	for (size_t i = 0; i < p->n_groups; i++)
		if ((rc = render_load_group(json_array_get(groups, i), i, p, &p->groups[i])) < 0)
			return rc;
	return render_load_unplaced(a, p);
}

int render_plan_load(const json_t *answer, render_plan *p)
{
	memset(p, 0, sizeof *p);
	int rc = render_plan_load1(answer, p);
	if (rc < 0)
		render_plan_free(p);
	return rc;
}

void render_plan_free(render_plan *p)
{
	for (size_t i = 0; p->groups && i < p->n_groups; i++) {
		free(p->groups[i].dd);
		free(p->groups[i].learners);
	}
	for (size_t i = 0; p->unplaced && i < p->n_unplaced; i++)
		free(p->unplaced[i].reasons);
	free(p->groups);
	free(p->unplaced);
	for (size_t i = 0; p->locations && i < p->n_locations; i++)
		free(p->locations[i].closed);
	free(p->locations);
	free(p->dd);
	free(p->holidays);
	memset(p, 0, sizeof *p);
}

int render_by_parse(const render_opts *o, enum render_by *by)
{
	static const char *const names[] = {"group", "teacher", "room", "learner", "location"};
	*by = RENDER_BY_GROUP;
	if (!o || !o->by || !*o->by)
		return 0;
	for (int i = 0; i < 5; i++)
		if (!strcmp(o->by, names[i])) {
			*by = (enum render_by)i;
			return 0;
		}
	return render_missing("unknown --by '%s' (group, teacher, room, learner or location)", o->by);
}

const char *render_by_name(enum render_by by)
{
	static const char *const names[] = {"group", "teacher", "room", "learner", "location"};
	return (int)by >= 0 && by <= RENDER_BY_LOCATION ? names[by] : "?";
}

const render_location *render_location_get(const render_plan *p, const char *id)
{
	for (size_t i = 0; id && i < p->n_locations; i++)
		if (!strcmp(p->locations[i].id, id))
			return &p->locations[i];
	return NULL;
}

const char *render_location_name(const render_plan *p, const char *id)
{
	const render_location *l = render_location_get(p, id);
	return l && l->name ? l->name : id;
}

static int render_location_index(const render_plan *p, const char *id)
{
	const render_location *l = render_location_get(p, id);
	return l ? (int)(l - p->locations) : (int)p->n_locations;
}


size_t render_holidays_in_term(const render_plan *p)
{
	size_t in = 0;
	for (size_t i = 0; i < p->n_holidays; i++)
		in += (!p->term_start || strcmp(p->holidays[i], p->term_start) >= 0) &&
		      (!p->term_end || strcmp(p->holidays[i], p->term_end) <= 0);
	return in;
}

size_t render_placed_count(const render_plan *p)
{
	size_t n = 0;
	for (size_t i = 0; i < p->n_groups; i++)
		n += p->groups[i].n_new;
	const char **all = xcalloc(n, sizeof *all);
	size_t k = 0;
	for (size_t i = 0; i < p->n_groups; i++)
		for (size_t j = 0; j < p->groups[i].n_new; j++)
			all[k++] = p->groups[i].learners[j];
	if (n)
		qsort(all, n, sizeof *all, render_strcmp);
	size_t distinct = 0;
	for (size_t i = 0; i < n; i++)
		if (!i || strcmp(all[i], all[i - 1]))
			distinct++;
	free(all);
	return distinct;
}

bool render_group_matches(const render_plan *p, size_t gi, enum render_by by, const char *filter)
{
	const render_group *g = &p->groups[gi];
	if (!filter)
		return true;
	switch (by) {
	case RENDER_BY_GROUP:
		return !strcmp(g->id, filter);
	case RENDER_BY_TEACHER:
		return g->teacher_id && !strcmp(g->teacher_id, filter);
	case RENDER_BY_ROOM:
		return g->room_id && !strcmp(g->room_id, filter);
	case RENDER_BY_LOCATION:
		return !strcmp(g->location, filter);
	case RENDER_BY_LEARNER:
		for (size_t i = 0; i < g->n_learners; i++)
			if (!strcmp(g->learners[i], filter))
				return true;
		return false;
	}
	return false;
}

/* qsort has no context argument: the plan and --by of the running sort. */
static const render_plan *render_sort_plan;
static enum render_by render_sort_by;

static int render_session_cmp(const void *pa, const void *pb)
{
	const render_session *a = pa, *b = pb;
	const render_plan *p = render_sort_plan;
	int c = 0;
	if (render_sort_by == RENDER_BY_GROUP)
		c = (a->g > b->g) - (a->g < b->g);
	else if (render_sort_by == RENDER_BY_LOCATION)
		c = render_location_index(p, a->key) - render_location_index(p, b->key);
	if (!c)
		c = strcmp(a->key, b->key);
	if (!c)
		c = p->dd[a->d].wday - p->dd[b->d].wday;
	if (!c)
		c = strcmp(p->dd[a->d].start, p->dd[b->d].start);
	if (!c)
		c = (a->g > b->g) - (a->g < b->g);
	if (!c)
		c = (a->d > b->d) - (a->d < b->d);
	return c;
}

int render_sessions(const render_plan *p, enum render_by by, const char *filter, render_session **out,
		    size_t *n)
{
	size_t cap = 16, k = 0;
	render_session *s = xmalloc(cap * sizeof *s);
	for (size_t gi = 0; gi < p->n_groups; gi++) {
		const render_group *g = &p->groups[gi];
		const char *key = g->id;
		if (by == RENDER_BY_TEACHER && !(key = g->teacher_id)) {
			free(s);
			return render_missing("answer lacks field 'groups[%zu].teacher'", gi);
		}
		if (by == RENDER_BY_ROOM && !(key = g->room_id)) {
			free(s);
			return render_missing("answer lacks field 'groups[%zu].room'", gi);
		}
		if (by == RENDER_BY_LOCATION)
			key = g->location;
		size_t nl = by == RENDER_BY_LEARNER ? g->n_learners : 1;
		for (size_t li = 0; li < nl; li++) {
			const char *learner = by == RENDER_BY_LEARNER ? g->learners[li] : NULL;
			if (learner)
				key = learner;
			if (filter && strcmp(key, filter))
				continue;
			for (size_t d = 0; d < g->n_dd; d++) {
				if (k == cap)
					s = xrealloc(s, (cap *= 2) * sizeof *s);
				s[k++] = (render_session){.g = (int)gi, .d = g->dd[d], .key = key, .learner = learner};
			}
		}
	}
	render_sort_plan = p;
	render_sort_by = by;
	if (k)
		qsort(s, k, sizeof *s, render_session_cmp);
	*out = s;
	*n = k;
	return 0;
}

/* ---- the text renderer --------------------------------------------------- */

/* The code point of the UTF-8 sequence at s and its length in *len (a
 * byte that starts none counts as one column of one byte). */
static unsigned txt_cp(const char *s, int *len)
{
	const unsigned char *p = (const unsigned char *)s;
	*len = mp_utf8_seq(p, strnlen(s, 4));
	if (*len <= 1) {
		*len = 1;
		return p[0];
	}
	unsigned cp = p[0] & (0x7f >> *len);
	for (int k = 1; k < *len; k++)
		cp = cp << 6 | (p[k] & 0x3f);
	return cp;
}

/* Columns a terminal gives code point cp: 0 for combining marks and
 * joiners, 2 for East Asian wide and fullwidth forms and most emoji, else
 * 1 (the ranges of Unicode's East_Asian_Width W and F, merged). */
static int txt_cp_width(unsigned cp)
{
	static const unsigned zero[][2] = {
		{0x0300, 0x036f}, {0x0483, 0x0489}, {0x0591, 0x05bd}, {0x0610, 0x061a},
		{0x064b, 0x065f}, {0x0670, 0x0670}, {0x06d6, 0x06dc}, {0x06df, 0x06e4},
		{0x0e31, 0x0e31}, {0x0e34, 0x0e3a}, {0x200b, 0x200f}, {0x20d0, 0x20ff},
		{0xfe00, 0xfe0f}, {0xfe20, 0xfe2f}};
	static const unsigned wide[][2] = {
		{0x1100, 0x115f}, {0x231a, 0x231b}, {0x2e80, 0x303e}, {0x3041, 0x33ff},
		{0x3400, 0x4dbf}, {0x4e00, 0x9fff}, {0xa000, 0xa4cf}, {0xac00, 0xd7a3},
		{0xf900, 0xfaff}, {0xfe30, 0xfe4f}, {0xff00, 0xff60}, {0xffe0, 0xffe6},
		{0x1f300, 0x1f64f}, {0x1f900, 0x1f9ff}, {0x20000, 0x3fffd}};
	for (size_t i = 0; i < sizeof zero / sizeof zero[0]; i++)
		if (cp >= zero[i][0] && cp <= zero[i][1])
			return 0;
	for (size_t i = 0; i < sizeof wide / sizeof wide[0]; i++)
		if (cp >= wide[i][0] && cp <= wide[i][1])
			return 2;
	return 1;
}

/* Display width of UTF-8 text in terminal columns. */
static size_t txt_width(const char *s)
{
	size_t w = 0;
	int len;
	for (; *s; s += len)
		w += (size_t)txt_cp_width(txt_cp(s, &len));
	return w;
}

/* Write s in exactly `width` columns: cut with '~' when too long, else pad. */
static void txt_cell(FILE *out, const char *s, size_t width)
{
	size_t w = txt_width(s);
	if (w <= width) {
		fputs(s, out);
		for (; w < width; w++)
			fputc(' ', out);
		return;
	}
	size_t cols = 0;
	int len;
	for (const char *c = s; *c; c += len) {
		int cw = txt_cp_width(txt_cp(c, &len));
		if (cols + (size_t)cw > width - 1)
			break;
		fwrite(c, 1, (size_t)len, out);
		cols += (size_t)cw;
	}
	for (; cols < width - 1; cols++) /* a wide character did not fit */
		fputc(' ', out);
	fputc('~', out);
}

/* A line of at most TXT_WIDTH columns. */
static void txt_line(FILE *out, const char *s)
{
	if (txt_width(s) > TXT_WIDTH)
		txt_cell(out, s, TXT_WIDTH);
	else
		fputs(s, out);
	fputc('\n', out);
}

/* Word-wrap `s` after `indent` columns already written; continuation lines
 * are indented by `indent` spaces. */
static void txt_wrap(FILE *out, const char *s, size_t indent)
{
	size_t avail = TXT_WIDTH - indent, col = 0;
	while (*s) {
		while (*s == ' ')
			s++;
		size_t len = strcspn(s, " ");
		if (!len)
			break;
		char *word = xstrndup(s, len);
		size_t w = txt_width(word);
		if (col && col + 1 + w > avail) {
			fprintf(out, "\n%*s", (int)indent, "");
			col = 0;
		}
		if (col) {
			fputc(' ', out);
			col++;
		}
		if (w > avail) {
			txt_cell(out, word, avail);
			w = avail;
		} else {
			fputs(word, out);
		}
		col += w;
		free(word);
		s += len;
	}
	fputc('\n', out);
}

static void txt_rule(FILE *out, size_t lw, size_t nd, size_t cw)
{
	fputc('+', out);
	for (size_t i = 0; i < lw + 2; i++)
		fputc('-', out);
	for (size_t d = 0; d < nd; d++) {
		fputc('+', out);
		for (size_t i = 0; i < cw + 2; i++)
			fputc('-', out);
	}
	fputs("+\n", out);
}

/* Lines of one session in a grid cell, by what the grid is about. */
static size_t txt_session_lines(const render_plan *p, const render_session *s, enum render_by by,
				char *lines[4])
{
	const render_group *g = &p->groups[s->g];
	const render_dagdeel *d = &p->dd[s->d];
	const char *room = g->room_name ? g->room_name : g->room_id ? g->room_id : "-";
	const char *teacher = g->teacher_name ? g->teacher_name : g->teacher_id ? g->teacher_id : "-";
	size_t n = 0;
	switch (by) {
	case RENDER_BY_GROUP:
		lines[n++] = xasprintf("%s-%s", d->start, d->end);
		lines[n++] = xstrdup(room);
		lines[n++] = xstrdup(teacher);
		break;
	case RENDER_BY_TEACHER:
	case RENDER_BY_LEARNER:
		lines[n++] = xasprintf("%s %s %s", g->id, g->route, g->level);
		lines[n++] = xasprintf("%s-%s", d->start, d->end);
		lines[n++] = xstrdup(render_location_name(p, g->location));
		lines[n++] = xstrdup(by == RENDER_BY_TEACHER ? room : teacher);
		break;
	case RENDER_BY_ROOM:
		lines[n++] = xasprintf("%s %s %s", g->id, g->route, g->level);
		lines[n++] = xasprintf("%s-%s", d->start, d->end);
		lines[n++] = xstrdup(teacher);
		break;
	case RENDER_BY_LOCATION:
		lines[n++] = xasprintf("%s %s %s", g->id, g->route, g->level);
		lines[n++] = xstrdup(room);
		lines[n++] = xstrdup(teacher);
		break;
	}
	return n;
}

static void txt_entity_header(FILE *out, const render_plan *p, const render_session *s, size_t ns,
			      enum render_by by)
{
	const render_group *g = &p->groups[s->g];
	char *h = NULL;
	switch (by) {
	case RENDER_BY_GROUP:
		h = xasprintf("Group %s: %s %s%s%s, %s (%s), %d learners%s", g->id, render_route_label(g->route),
			      g->level, g->alfa ? ", alfa" : "", g->women_only ? ", women only" : "",
			      render_location_name(p, g->location), g->location, g->size,
			      g->running ? ", running group" : "");
		break;
	case RENDER_BY_TEACHER:
		h = xasprintf("Teacher %s%s%s: %zu dagdelen a week", g->teacher_id, g->teacher_name ? " " : "",
			      g->teacher_name ? g->teacher_name : "", ns);
		break;
	case RENDER_BY_ROOM:
		h = xasprintf("Room %s%s%s, %s: %zu dagdelen a week", g->room_id, g->room_name ? " " : "",
			      g->room_name ? g->room_name : "", render_location_name(p, g->location), ns);
		break;
	case RENDER_BY_LEARNER:
		h = xasprintf("Learner %s: group %s (%s %s), %zu dagdelen a week", s->learner, g->id, g->route,
			      g->level, ns);
		break;
	case RENDER_BY_LOCATION:
		h = xasprintf("Location %s %s: %zu group sessions a week", g->location,
			      render_location_name(p, g->location), ns);
		break;
	}
	txt_line(out, h);
	free(h);
}

/* One weekly grid for the sessions s[0..ns) (all with the same key). */
static void txt_grid(FILE *out, const render_plan *p, const render_session *s, size_t ns, enum render_by by)
{
	int days[7];
	bool part_used[RENDER_NPARTS];
	int nd = render_week(p, days, part_used);
	const size_t lw = 9;
	size_t cw = nd ? (TXT_WIDTH - lw - 5) / (size_t)nd - 3 : 10;
	if (cw > 24)
		cw = 24;
	txt_entity_header(out, p, s, ns, by);
	txt_rule(out, lw, (size_t)nd, cw);
	fputs("| ", out);
	txt_cell(out, "", lw);
	fputs(" |", out);
	for (int d = 0; d < nd; d++) {
		fputc(' ', out);
		txt_cell(out, render_day_long(days[d]), cw);
		fputs(" |", out);
	}
	fputc('\n', out);
	txt_rule(out, lw, (size_t)nd, cw);
	for (int part = 0; part < RENDER_NPARTS; part++) {
		if (!part_used[part])
			continue;
		/* Collect the cell lines of each day. */
		char **cells[7] = {NULL};
		size_t ncell[7] = {0}, rows = 1;
		for (int d = 0; d < nd; d++) {
			cells[d] = xcalloc(4 * ns + 1, sizeof **cells);
			for (size_t i = 0; i < ns; i++) {
				const render_dagdeel *x = &p->dd[s[i].d];
				if (x->wday != days[d] || x->part != part)
					continue;
				ncell[d] += txt_session_lines(p, &s[i], by, cells[d] + ncell[d]);
			}
			if (ncell[d] > rows)
				rows = ncell[d];
		}
		for (size_t r = 0; r < rows; r++) {
			fputs("| ", out);
			txt_cell(out, r == 0 ? render_part_name(part) : "", lw);
			fputs(" |", out);
			for (int d = 0; d < nd; d++) {
				fputc(' ', out);
				txt_cell(out, r < ncell[d] ? cells[d][r] : "", cw);
				fputs(" |", out);
			}
			fputc('\n', out);
		}
		txt_rule(out, lw, (size_t)nd, cw);
		for (int d = 0; d < nd; d++) {
			for (size_t i = 0; i < ncell[d]; i++)
				free(cells[d][i]);
			free(cells[d]);
		}
	}
	fputc('\n', out);
}

static void txt_summary(FILE *out, const render_plan *p)
{
	char version[32] = "";
	if (p->version)
		snprintf(version, sizeof version, " version %d", p->version);
	char *h = xasprintf("Timetable %s%s (tenant %s, job %s)", p->plan ? p->plan : "-", version,
			    p->tenant ? p->tenant : "-", p->job ? p->job : "-");
	txt_line(out, h);
	free(h);
	fprintf(out, "  %-10s %s\n", "status", p->status);
	fprintf(out, "  %-10s ", "objective");
	if (p->has_objective)
		fprintf(out, "%.1f", p->objective);
	else
		fputs("-", out);
	fputs("   bound ", out);
	if (p->has_bound)
		fprintf(out, "%.1f", p->bound);
	else
		fputs("-", out);
	fputs("   gap ", out);
	if (p->has_gap)
		fprintf(out, "%.2f %%", p->gap * 100.0);
	else
		fputs("-", out);
	fputc('\n', out);
	fprintf(out, "  %-10s ", "time");
	if (p->has_seconds)
		fprintf(out, "%.2f s", p->seconds);
	else
		fputs("-", out);
	if (p->has_nodes)
		fprintf(out, "   nodes %.0f", p->nodes);
	fputc('\n', out);
	if (p->has_check) {
		size_t nv = p->violations ? json_array_size(p->violations) : 0;
		if (p->check_ok)
			fprintf(out, "  %-10s ok\n", "check");
		else
			fprintf(out, "  %-10s FAILED (%zu violations)\n", "check", nv);
	}
	if (p->term_start && p->term_end) {
		/* the holidays within the term, by date (ISO dates compare as
		 * strings): the first eight named */
		size_t in = render_holidays_in_term(p);
		h = xasprintf("%s to %s (%s), %zu holiday%s", p->term_start, p->term_end,
			      p->term_tz ? p->term_tz : "Europe/Amsterdam", in, in == 1 ? "" : "s");
		size_t shown = 0;
		for (size_t i = 0; i < p->n_holidays; i++) {
			if (strcmp(p->holidays[i], p->term_start) < 0 ||
			    strcmp(p->holidays[i], p->term_end) > 0)
				continue;
			char *n = shown == 8 ? xasprintf("%s and %zu more", h, in - shown)
					     : xasprintf("%s%s%s", h, shown ? ", " : ": ", p->holidays[i]);
			free(h);
			h = n;
			if (++shown > 8)
				break;
		}
		if (in < p->n_holidays) {
			char *n = xasprintf("%s (%zu outside the term)", h, p->n_holidays - in);
			free(h);
			h = n;
		}
		fprintf(out, "  %-10s ", "term");
		txt_wrap(out, h, 13);
		free(h);
	}
	size_t running = 0;
	for (size_t i = 0; i < p->n_groups; i++)
		running += p->groups[i].running != NULL;
	fprintf(out, "  %-10s %zu (%zu new, %zu running)\n", "groups", p->n_groups, p->n_groups - running,
		running);
	fprintf(out, "  %-10s placed %zu, unplaced %zu\n", "learners", render_placed_count(p), p->n_unplaced);
	/* what became of the request's start (an earlier answer) */
	const json_t *st = json_object_get(p->answer, "start");
	if (json_is_object(st)) {
		double so = 0;
		bool has_so = render_num(st, "objective", &so);
		fprintf(out,
			"  %-10s %lld groups: %lld kept, %lld restaffed, %lld dropped; %lld topped up, "
			"%lld left out, %lld unknown",
			"start", (long long)json_integer_value(json_object_get(st, "groups")),
			(long long)json_integer_value(json_object_get(st, "kept")),
			(long long)json_integer_value(json_object_get(st, "restaffed")),
			(long long)json_integer_value(json_object_get(st, "dropped")),
			(long long)json_integer_value(json_object_get(st, "topped_up")),
			(long long)json_integer_value(json_object_get(st, "learners_left_out")),
			(long long)json_integer_value(json_object_get(st, "unknown_learners")));
		if (has_so)
			fprintf(out, "; objective %.1f", so);
		fputc('\n', out);
		/* what became of each group it listed that was not kept */
		size_t i;
		const json_t *oc;
		json_array_foreach(json_object_get(st, "outcomes"), i, oc)
		{
			const char *g = json_string_value(json_object_get(oc, "group"));
			const char *o = json_string_value(json_object_get(oc, "outcome"));
			const char *r = json_string_value(json_object_get(oc, "reason"));
			if (o && strcmp(o, "kept") != 0)
				fprintf(out, "  %-10s %s %s%s%s\n", "", g ? g : "(a group)", o,
					r ? ": " : "", r ? r : "");
		}
	}
	for (size_t i = 0; p->conflicts && i < json_array_size(p->conflicts); i++) {
		const json_t *c = json_array_get(p->conflicts, i);
		char *d = json_is_string(c) ? xstrdup(json_string_value(c)) : json_dumps(c, JSON_COMPACT);
		fprintf(out, "  %-10s ", i ? "" : "conflicts");
		txt_wrap(out, d ? d : "?", 13);
		free(d);
	}
	if (p->conflicts && p->conflicts_partial)
		fprintf(out, "  %-10s not every family could be tested in time: some may not be needed\n",
			"");
	fputc('\n', out);
}

/* A learner list's first column (16 wide, indented 2); in full on its own
 * line when wider: ids must stay whole. */
static void txt_who(FILE *out, const char *who)
{
	fputs("  ", out);
	if (txt_width(who) > 16)
		fprintf(out, "%s\n%18s", who, "");
	else
		txt_cell(out, who, 16);
}

static void txt_unplaced(FILE *out, const render_plan *p, const char *learner)
{
	size_t n = 0;
	for (size_t i = 0; i < p->n_unplaced; i++)
		n += !learner || !strcmp(p->unplaced[i].learner, learner);
	if (!n)
		return;
	fprintf(out, "Unplaced learners (%zu)\n", n);
	for (size_t i = 0; i < p->n_unplaced; i++) {
		const render_unplaced *u = &p->unplaced[i];
		if (learner && strcmp(u->learner, learner))
			continue;
		char *who = xasprintf("%s %s %s", u->learner, u->route ? u->route : "", u->level ? u->level : "");
		txt_who(out, who);
		free(who);
		if (!u->n_reasons)
			fputs("  (no reason given)\n", out);
		for (size_t k = 0; k < u->n_reasons; k++) {
			if (k)
				fprintf(out, "%18s", "");
			char *r = xasprintf("%s%s%s", u->reasons[k].code ? u->reasons[k].code : "",
					    u->reasons[k].code && u->reasons[k].text ? ": " : "",
					    u->reasons[k].text ? u->reasons[k].text : "");
			fputs("  ", out);
			txt_wrap(out, r, 20);
			free(r);
		}
	}
}

/* The learners the request's start placed whose lessons changed, with
 * why (start.changed); only `learner`'s when given. */
static void txt_changed(FILE *out, const render_plan *p, const char *learner)
{
	const json_t *ch = json_object_get(json_object_get(p->answer, "start"), "changed");
	size_t i, n = 0;
	const json_t *c;
	json_array_foreach(ch, i, c)
	{
		const char *id = json_string_value(json_object_get(c, "learner"));
		n += id && (!learner || !strcmp(id, learner));
	}
	if (!n)
		return;
	fprintf(out, "Learners whose lessons changed from the start (%zu)\n", n);
	json_array_foreach(ch, i, c)
	{
		const char *id = json_string_value(json_object_get(c, "learner"));
		if (!id || (learner && strcmp(id, learner)))
			continue;
		const char *oc = json_string_value(json_object_get(c, "outcome"));
		const char *g = json_string_value(json_object_get(c, "group"));
		const char *rule = json_string_value(json_object_get(c, "rule"));
		const char *why = json_string_value(json_object_get(c, "reason"));
		char *who = xasprintf("%s %s", id, oc ? oc : "");
		txt_who(out, who);
		free(who);
		char *r = xasprintf("from %s, %s: %s", g ? g : "(a group)", rule ? rule : "?",
				    why ? why : "(no reason given)");
		fputs("  ", out);
		txt_wrap(out, r, 20);
		free(r);
	}
}

int render_begin(const json_t *answer, const render_opts *o, enum render_by *by,
		 const char **filter, render_plan *p)
{
	int rc = render_by_parse(o, by);
	if (rc < 0)
		return rc;
	*filter = o && o->filter && *o->filter ? o->filter : NULL;
	return render_plan_load(answer, p);
}

int render_week(const render_plan *p, int days[7], bool part_used[RENDER_NPARTS])
{
	int nd = 0;
	for (int k = 0; k < RENDER_NPARTS; k++)
		part_used[k] = false;
	for (int w = 0; w < 7; w++) {
		bool any = false;
		for (size_t i = 0; i < p->n_dd; i++) {
			any |= p->dd[i].wday == w;
			part_used[p->dd[i].part] = true;
		}
		if (any)
			days[nd++] = w;
	}
	return nd;
}

int render_text(const json_t *answer, const render_opts *o, FILE *out)
{
	enum render_by by;
	const char *filter;
	render_plan p;
	int rc = render_begin(answer, o, &by, &filter, &p);
	if (rc < 0)
		return rc;
	render_session *s = NULL;
	size_t ns = 0;
	if ((rc = render_sessions(&p, by, filter, &s, &ns)) < 0)
		goto done;
	bool unplaced_match = false;
	for (size_t i = 0; filter && by == RENDER_BY_LEARNER && i < p.n_unplaced; i++)
		unplaced_match |= !strcmp(p.unplaced[i].learner, filter);
	if (filter && !ns && !unplaced_match) {
		fprintf(stderr, "rooster: no sessions for %s '%s'\n", render_by_name(by), filter);
		rc = RS_ENOTFOUND;
		goto done;
	}
	txt_summary(out, &p);
	for (size_t i = 0; i < ns;) {
		size_t j = i + 1;
		while (j < ns && !strcmp(s[j].key, s[i].key) && (by != RENDER_BY_GROUP || s[j].g == s[i].g))
			j++;
		txt_grid(out, &p, s + i, j - i, by);
		i = j;
	}
	if (!filter || by == RENDER_BY_LEARNER) {
		txt_unplaced(out, &p, filter);
		txt_changed(out, &p, filter);
	}
	if (ferror(out))
		rc = RS_EIO;
done:
	free(s);
	render_plan_free(&p);
	return rc;
}
