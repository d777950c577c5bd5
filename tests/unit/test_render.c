/* test_render.c: unit tests of the rooster output renderers (text, CSV, ICS,
 * HTML) on tests/data/answer-small.json. The renderers live in the CLI, not
 * in a library, so their sources are included here. Run from the repo root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <wchar.h>

#include "../../clients/rooster/render_text.c"
#include "../../clients/rooster/render_csv.c"
#include "../../clients/rooster/render_ics.c"
#include "../../clients/rooster/render_html.c"
#include "../../clients/rooster/render_pm.c"

typedef int (*render_fn)(const json_t *, const render_opts *, FILE *);

static json_t *load_answer(void)
{
	json_error_t e;
	json_t *a = json_load_file("tests/data/answer-small.json", 0, &e);
	if (!a)
		fail_msg("tests/data/answer-small.json: %s (line %d)", e.text, e.line);
	return a;
}

/* Render with options o into a string; *rc gets the return code. Caller frees. */
static char *render_opts_of(render_fn fn, const json_t *a, const render_opts *o, int *rc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	*rc = fn(a, o, f);
	fclose(f);
	return buf;
}

static char *render_str_of(render_fn fn, const json_t *a, const char *by, const char *filter, int *rc)
{
	render_opts o = {.by = by, .filter = filter};
	return render_opts_of(fn, a, &o, rc);
}

static size_t count_of(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* The VEVENT with UID `uid`, as a fresh string. */
static char *ics_event_of(const char *ics, const char *uid)
{
	char *key = xasprintf("UID:%s\r\n", uid);
	const char *u = strstr(ics, key);
	free(key);
	if (!u)
		return NULL;
	const char *b = u;
	while (b > ics && strncmp(b, "BEGIN:VEVENT", 12))
		b--;
	const char *e = strstr(u, "END:VEVENT");
	assert_non_null(e);
	return xstrndup(b, (size_t)(e - b));
}

static void test_text_summary_and_grid(void **state)
{
	(void)state;
	json_t *a = load_answer();
	int rc;
	char *s = render_str_of(render_text, a, NULL, NULL, &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(s, "status     feasible"));
	assert_non_null(strstr(s, "gap 0.36 %"));
	assert_non_null(strstr(s, "groups     5 (4 new, 1 running)"));
	assert_non_null(strstr(s, "placed 40, unplaced 4"));
	/* the term's holidays by date, the first eight */
	assert_non_null(strstr(s, "term       2027-01-04 to 2027-06-25 (Europe/Amsterdam), 11 "
				  "holidays: 2027-02-22, 2027-02-23,"));
	assert_non_null(strstr(s, "2027-04-27 and 3 more"));
	/* One grid per group, with the dagdeel rows and weekday columns. */
	assert_int_equal(count_of(s, "\nGroup "), 5);
	assert_non_null(strstr(s, "| morning   | 09:00-12:00    |"));
	assert_non_null(strstr(s, "| Monday         | Tuesday        | Wednesday"));
	assert_non_null(strstr(s, "| evening   | 18:30-21:30    | 18:30-21:30    |                | 18:30-21:30"));
	assert_non_null(strstr(s, "Anouk de Vries"));
	/* Unplaced learners with every reason. */
	assert_non_null(strstr(s, "Unplaced learners (4)"));
	assert_non_null(strstr(s, "childcare: no childcare place on Tue morning at location L1"));
	assert_non_null(strstr(s, "no_location: no reachable location offers an Onderwijsroute group"));
	/* Nothing wider than 100 columns. */
	for (char *line = s, *nl; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		assert_non_null(nl);
		assert_true(nl - line <= 100);
	}
	free(s);
	json_decref(a);
}

/* Columns a terminal gives UTF-8 text, by the C library (not the renderer). */
static size_t term_width(const char *line)
{
	assert_non_null(setlocale(LC_CTYPE, "C.UTF-8"));
	wchar_t wbuf[512];
	size_t n = mbstowcs(wbuf, line, 512);
	assert_true(n != (size_t)-1 && n < 512);
	int w = wcswidth(wbuf, n);
	assert_true(w >= 0);
	setlocale(LC_CTYPE, "C");
	return (size_t)w;
}

/* Wide characters (a CJK teacher name, cut; a room name with a combining
 * accent) keep the grid's columns: every line of the first grid has the
 * same display width. */
/* Holidays outside the term are counted apart, not listed. */
static void test_text_holidays_outside(void **state)
{
	(void)state;
	json_t *a = load_answer();
	json_t *h = json_object_get(json_object_get(a, "term"), "holidays");
	json_array_clear(h);
	json_array_append_new(h, json_string("2026-12-25"));
	json_array_append_new(h, json_string("2027-04-27"));
	int rc;
	char *s = render_str_of(render_text, a, NULL, NULL, &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(s, "1 holiday: 2027-04-27 (1 outside the term)"));
	assert_null(strstr(s, "2026-12-25"));
	free(s);
	json_decref(a);
}

static void test_text_wide_names(void **state)
{
	(void)state;
	json_t *a = load_answer();
	json_t *g = json_array_get(json_object_get(a, "groups"), 0);
	json_object_set_new(json_object_get(g, "teacher"), "name",
			    json_string("\xe7\x8e\x8b\xe8\x80\x81\xe5\xb8\x88\xe7\x8e\x8b"
					"\xe8\x80\x81\xe5\xb8\x88\xe7\x8e\x8b\xe8\x80\x81"));
	json_object_set_new(json_object_get(g, "room"), "name", json_string("Lokaal e\xcc\x81"));
	int rc;
	char *out = render_str_of(render_text, a, NULL, NULL, &rc);
	assert_int_equal(rc, 0);
	char *s = xstrdup(out); /* cut into lines below */
	free(out);
	assert_non_null(strstr(s, "| Lokaal e\xcc\x81       |")); /* the accent takes no column */
	char *grid = strstr(s, "\n+--");
	assert_non_null(grid);
	char *stop = strstr(grid + 1, "\n\n");
	assert_non_null(stop);
	*stop = 0;
	size_t want = 0;
	int lines = 0;
	for (char *line = grid + 1, *nl; line; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		size_t w = term_width(line);
		if (!want)
			want = w;
		if (w != want)
			fail_msg("line of width %zu, want %zu: %s", w, want, line);
		lines++;
	}
	assert_true(lines >= 8);
	free(s);
	json_decref(a);
}

static void test_text_by(void **state)
{
	(void)state;
	json_t *a = load_answer();
	int rc;
	char *s = render_str_of(render_text, a, "location", NULL, &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(s, "Location L1 Wijkcentrum De Brug: 8 group sessions a week"));
	assert_non_null(strstr(s, "| afternoon | g2 Z A0        |"));
	free(s);
	s = render_str_of(render_text, a, "teacher", "T2", &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(s, "Teacher T2 Jeroen Bakker: 6 dagdelen a week"));
	assert_null(strstr(s, "Teacher T1"));
	assert_null(strstr(s, "Unplaced learners"));
	free(s);
	s = render_str_of(render_text, a, "learner", "l-0043", &rc); /* unplaced: only the reasons */
	assert_int_equal(rc, 0);
	assert_non_null(strstr(s, "Unplaced learners (1)"));
	free(s);
	s = render_str_of(render_text, a, "teacher", "T9", &rc);
	assert_int_equal(rc, RS_ENOTFOUND);
	free(s);
	s = render_str_of(render_text, a, "colour", NULL, &rc);
	assert_int_equal(rc, RS_EBADREQ);
	free(s);
	json_decref(a);
}

static void test_csv_rows(void **state)
{
	(void)state;
	json_t *a = load_answer();
	int rc;
	char *s = render_str_of(render_csv, a, NULL, NULL, &rc);
	assert_int_equal(rc, 0);
	const char *header = "group,route,level,day,dagdeel,start,end,location,room,teacher,size,learners\r\n";
	assert_memory_equal(s, header, strlen(header));
	/* 3 + 3 + 2 + 4 + 3 sessions, plus the header. */
	assert_int_equal(count_of(s, "\r\n"), 16);
	assert_non_null(strstr(s, "\r\nG-old-1,B1,A1,mon,mon-am,09:00,12:00,L1,R1,T1,17,l-0001;l-0002;l-0003\r\n"));
	free(s);
	s = render_str_of(render_csv, a, "learner", NULL, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(count_of(s, "\r\n"), 1 + 3 * 3 + 12 * 3 + 6 * 2 + 8 * 4 + 11 * 3);
	assert_non_null(strstr(s, "\r\nl-0005,g1,B1,A2,tue,tue-am,09:00,12:00,L2,R3,T2,12\r\n"));
	free(s);
	s = render_str_of(render_csv, a, "learner", "l-0005", &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(count_of(s, "\r\n"), 4);
	free(s);
	json_decref(a);
}

static void test_csv_quoting(void **state)
{
	(void)state;
	json_t *a = load_answer();
	json_t *g1 = json_array_get(json_object_get(a, "groups"), 1);
	json_object_set_new(json_object_get(g1, "teacher"), "id", json_string("T,2 \"x\""));
	json_object_set_new(g1, "level", json_string("A2\nB1"));
	int rc;
	char *s = render_str_of(render_csv, a, "group", "g1", &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(s, "\r\ng1,B1,\"A2\nB1\",tue,tue-am,09:00,12:00,L2,R3,\"T,2 \"\"x\"\"\",12,"));
	free(s);
	/* a ';' or '\\' inside a learner id is escaped in the ';'-joined field */
	json_t *ls = json_object_get(g1, "learners");
	json_array_set_new(ls, 0, json_string("l;7"));
	json_array_set_new(ls, 1, json_string("b\\s"));
	s = render_str_of(render_csv, a, "group", "g1", &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(s, ",12,l\\;7;b\\\\s;"));
	free(s);
	json_decref(a);
}

static void test_ics_rrule_exdate(void **state)
{
	(void)state;
	setenv("SOURCE_DATE_EPOCH", "1800000000", 1);
	json_t *a = load_answer();
	int rc;
	char *s = render_str_of(render_ics, a, NULL, NULL, &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(s, "BEGIN:VCALENDAR\r\n"));
	assert_non_null(strstr(s, "BEGIN:VTIMEZONE\r\nTZID:Europe/Amsterdam\r\n"));
	assert_int_equal(count_of(s, "BEGIN:VEVENT"), 15);
	assert_non_null(strstr(s, "DTSTAMP:20270115T080000Z\r\n"));

	/* version 1: no SEQUENCE; a re-plan's version 3 revises as SEQUENCE 2 */
	assert_null(strstr(s, "SEQUENCE"));
	json_object_set_new(a, "version", json_integer(3));
	char *s3 = render_str_of(render_ics, a, NULL, NULL, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(count_of(s3, "SEQUENCE:2\r\n"), 15);
	free(s3);

	/* Monday morning: from the first Monday, until the term end (07:00Z = 09:00 CEST). */
	char *ev = ics_event_of(s, "p-tholen-2027a/G-old-1/mon-am@roosterd");
	assert_non_null(ev);
	assert_non_null(strstr(ev, "DTSTART;TZID=Europe/Amsterdam:20270104T090000\r\n"));
	assert_non_null(strstr(ev, "DTEND;TZID=Europe/Amsterdam:20270104T120000\r\n"));
	assert_non_null(strstr(ev, "RRULE:FREQ=WEEKLY;UNTIL=20270625T070000Z\r\n"));
	/* The Monday holidays, none of the others. */
	assert_non_null(strstr(ev, "EXDATE;TZID=Europe/Amsterdam:20270222T090000\r\n"));
	assert_non_null(strstr(ev, "EXDATE;TZID=Europe/Amsterdam:20270329T090000\r\n"));
	assert_non_null(strstr(ev, "EXDATE;TZID=Europe/Amsterdam:20270517T090000\r\n"));
	assert_int_equal(count_of(ev, "EXDATE"), 3);
	assert_non_null(strstr(ev, "SUMMARY:G-old-1 B1-route A1\r\n"));
	assert_non_null(strstr(ev, "LOCATION:Wijkcentrum De Brug\\, Lokaal 1\r\n"));
	assert_non_null(strstr(ev, "DESCRIPTION:Teacher: Anouk de Vries (T1)"));
	free(ev);

	/* Tuesday morning: first Tuesday is 5 January; Koningsdag and the spring week. */
	ev = ics_event_of(s, "p-tholen-2027a/g1/tue-am@roosterd");
	assert_non_null(ev);
	assert_non_null(strstr(ev, "DTSTART;TZID=Europe/Amsterdam:20270105T090000\r\n"));
	assert_non_null(strstr(ev, "EXDATE;TZID=Europe/Amsterdam:20270223T090000\r\n"));
	assert_non_null(strstr(ev, "EXDATE;TZID=Europe/Amsterdam:20270427T090000\r\n"));
	assert_int_equal(count_of(ev, "EXDATE"), 2);
	free(ev);

	/* Evening: UNTIL carries the evening start time in UTC. */
	ev = ics_event_of(s, "p-tholen-2027a/g4/thu-ev@roosterd");
	assert_non_null(ev);
	assert_non_null(strstr(ev, "RRULE:FREQ=WEEKLY;UNTIL=20270625T163000Z\r\n"));
	assert_non_null(strstr(ev, "EXDATE;TZID=Europe/Amsterdam:20270506T183000\r\n"));
	free(ev);
	free(s);
	json_decref(a);
}

/* A location's closed days leave out its groups' lessons on those days
 * (once: a closed day that is also a holiday gives one EXDATE); groups at
 * other locations keep theirs. */
/* Holidays that overlap (a day listed twice) give one EXDATE. */
static void test_ics_overlapping_holidays(void **state)
{
	(void)state;
	json_t *a = load_answer();
	json_array_append_new(json_object_get(json_object_get(a, "term"), "holidays"),
			      json_string("2027-02-22"));
	int rc;
	char *s = render_str_of(render_ics, a, NULL, NULL, &rc);
	assert_int_equal(rc, 0);
	char *ev = ics_event_of(s, "p-tholen-2027a/G-old-1/mon-am@roosterd");
	assert_non_null(ev);
	assert_int_equal(count_of(ev, "EXDATE;TZID=Europe/Amsterdam:20270222T090000"), 1);
	assert_int_equal(count_of(ev, "EXDATE"), 3);
	free(ev);
	free(s);
	json_decref(a);
}

/* The UTC offset (minutes) that the rendered calendar's own VTIMEZONE
 * gives at local time y-m-d 13:00, as a calendar client computes it. */
static int ics_offset_at(const char *ics, int y, int m, int d)
{
	icalcomponent *cal = icalcomponent_new_from_string(ics);
	assert_non_null(cal);
	icalcomponent *vtz = icalcomponent_get_first_component(cal, ICAL_VTIMEZONE_COMPONENT);
	assert_non_null(vtz);
	icaltimezone *z = icaltimezone_new();
	assert_true(icaltimezone_set_component(z, icalcomponent_new_clone(vtz)));
	struct icaltimetype t = icaltime_null_time();
	t.year = y, t.month = m, t.day = d, t.hour = 13;
	int dst = 0;
	int off = icaltimezone_get_utc_offset(z, &t, &dst);
	icaltimezone_free(z, 1);
	icalcomponent_free(cal);
	return off / 60;
}

/* The VTIMEZONE keeps the observance in effect during the term even when
 * its rule ended years before (Mexico City left daylight saving time in
 * 2022, Sao Paulo in 2019); UTC has a VTIMEZONE too. */
static void test_ics_zone_offsets(void **state)
{
	(void)state;
	const struct {
		const char *tz;
		int jan, jun;
	} zones[] = {{"America/Mexico_City", -360, -360}, {"America/Sao_Paulo", -180, -180},
		     {"Europe/Amsterdam", 60, 120}, {"UTC", 0, 0}, {"Etc/GMT+1", -60, -60}};
	for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++) {
		json_t *a = load_answer();
		json_object_set_new(json_object_get(a, "term"), "tz", json_string(zones[i].tz));
		int rc;
		char *s = render_str_of(render_ics, a, NULL, NULL, &rc);
		if (rc)
			fail_msg("%s: render rc %d", zones[i].tz, rc);
		int jan = ics_offset_at(s, 2027, 1, 11), jun = ics_offset_at(s, 2027, 6, 14);
		if (jan != zones[i].jan || jun != zones[i].jun)
			fail_msg("%s: offsets %d and %d minutes, want %d and %d", zones[i].tz, jan, jun,
				 zones[i].jan, zones[i].jun);
		free(s);
		json_decref(a);
	}
}

static void test_ics_location_closed(void **state)
{
	(void)state;
	setenv("SOURCE_DATE_EPOCH", "1800000000", 1);
	json_t *a = load_answer();
	json_t *l1 = json_array_get(json_object_get(a, "locations"), 0);
	assert_string_equal(json_string_value(json_object_get(l1, "id")), "L1");
	json_object_set_new(l1, "closed_dates",
			    json_pack("[sss]", "2027-03-01", "2027-02-22", "2027-03-02"));
	int rc;
	char *s = render_str_of(render_ics, a, NULL, NULL, &rc);
	assert_int_equal(rc, 0);
	/* G-old-1 at L1, Monday morning: the three Monday holidays and 1 March */
	char *ev = ics_event_of(s, "p-tholen-2027a/G-old-1/mon-am@roosterd");
	assert_non_null(strstr(ev, "EXDATE;TZID=Europe/Amsterdam:20270301T090000\r\n"));
	assert_int_equal(count_of(ev, "EXDATE"), 4);
	free(ev);
	/* g4 at L1, Tuesday evening: 2 March besides the Tuesday holidays (23 Feb, 27 Apr) */
	ev = ics_event_of(s, "p-tholen-2027a/g4/tue-ev@roosterd");
	assert_non_null(strstr(ev, "EXDATE;TZID=Europe/Amsterdam:20270302T183000\r\n"));
	assert_int_equal(count_of(ev, "EXDATE"), 3);
	free(ev);
	/* g3 at L2, Monday morning: the holidays only */
	ev = ics_event_of(s, "p-tholen-2027a/g3/mon-am@roosterd");
	assert_null(strstr(ev, "20270301T"));
	assert_int_equal(count_of(ev, "EXDATE"), 3);
	free(ev);
	free(s);
	json_decref(a);
}

static void test_ics_filters(void **state)
{
	(void)state;
	json_t *a = load_answer();
	int rc;
	char *s = render_str_of(render_ics, a, "learner", "l-0005", &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(count_of(s, "BEGIN:VEVENT"), 3);
	assert_int_equal(count_of(s, "UID:p-tholen-2027a/g1/"), 3);
	free(s);
	s = render_str_of(render_ics, a, "teacher", "T2", &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(count_of(s, "BEGIN:VEVENT"), 6);
	free(s);
	s = render_str_of(render_ics, a, "learner", NULL, &rc); /* each slot once */
	assert_int_equal(rc, 0);
	assert_int_equal(count_of(s, "BEGIN:VEVENT"), 15);
	free(s);
	s = render_str_of(render_ics, a, "teacher", "T9", &rc);
	assert_int_equal(rc, RS_ENOTFOUND);
	free(s);
	json_decref(a);
}

static void test_html(void **state)
{
	(void)state;
	json_t *a = load_answer();
	json_t *g0 = json_array_get(json_object_get(a, "groups"), 0);
	json_object_set_new(g0, "id", json_string("<b>G&1</b>"));
	int rc;
	char *s = render_str_of(render_html, a, NULL, NULL, &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(s, "<!DOCTYPE html>"));
	assert_non_null(strstr(s, "@media print"));
	assert_non_null(strstr(s, "<table class=\"summary\">"));
	assert_int_equal(count_of(s, "<table class=\"grid\">"), 2); /* one per location */
	assert_non_null(strstr(s, "&lt;b&gt;G&amp;1&lt;/b&gt;"));
	assert_null(strstr(s, "<b>G&1"));
	assert_null(strstr(s, "<script"));
	assert_null(strstr(s, "src="));
	/* 3 + 3 + 2 + 4 + 3 cards; the legend; unplaced reasons; groups table. */
	assert_int_equal(count_of(s, "<div class=\"card "), 15);
	assert_non_null(strstr(s, "class=\"card r-z\""));
	assert_non_null(strstr(s, "class=\"card r-or\""));
	assert_non_null(strstr(s, "Onderwijsroute (OR)"));
	assert_non_null(strstr(s, "no childcare place on Tue morning at location L1"));
	assert_non_null(strstr(s, "Groups and learners"));
	assert_int_equal(count_of(s, "<tr>"), count_of(s, "</tr>"));
	assert_int_equal(count_of(s, "<td"), count_of(s, "</td>"));
	free(s);
	s = render_str_of(render_html, a, "teacher", "T3", &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(count_of(s, "<div class=\"card "), 2);
	assert_int_equal(count_of(s, "<table class=\"grid\">"), 1);
	free(s);
	/* a re-plan: its parent, what became of the start's groups, and who
	 * changed and why */
	s = render_str_of(render_html, a, NULL, NULL, &rc);
	assert_null(strstr(s, "Changed from the start"));
	free(s);
	json_t *st = json_pack("{s:i, s:i, s:i, s:i, s:[{s:s, s:s, s:n}, {s:s, s:s, s:s}],"
			       " s:[{s:s, s:s, s:s, s:s, s:s}]}",
			       "groups", 2, "kept", 1, "restaffed", 0, "dropped", 1, "outcomes",
			       "group", "g1", "outcome", "kept", "reason", "group", "g2", "outcome",
			       "dropped", "reason", "no room <b>", "changed", "learner", "l-9",
			       "group", "g2", "outcome", "unplaced", "rule", "group_dropped",
			       "reason", "group g2 was dropped: no room");
	assert_non_null(st);
	json_object_set_new(a, "start", st);
	json_object_set_new(a, "parent", json_integer(2));
	s = render_str_of(render_html, a, NULL, NULL, &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(s, "<th>Re-plan</th><td>from version 2</td>"));
	assert_non_null(strstr(s, "2 groups: 1 kept, 0 restaffed, 1 dropped; 1 learners' lessons"));
	assert_non_null(strstr(s, "Changed from the start"));
	assert_non_null(strstr(s, "<span class=\"code\">dropped</span>g2: no room &lt;b&gt;"));
	assert_null(strstr(s, "<span class=\"code\">kept</span>"));
	assert_non_null(strstr(s, "<td class=\"ids\">l-9</td>"));
	assert_non_null(strstr(s, "<span class=\"code\">group_dropped</span>group g2 was dropped"));
	free(s);
	/* a conflict set the filter could not finish says so, as the text does */
	json_object_set_new(a, "conflicts", json_pack("[s]", "household"));
	json_object_set_new(a, "conflicts_complete", json_false());
	s = render_str_of(render_html, a, NULL, NULL, &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(s, "<span class=\"code\">conflict</span>household"));
	assert_non_null(strstr(s, "<span class=\"code\">incomplete</span>not every family"));
	free(s);
	json_object_set_new(a, "conflicts_complete", json_true());
	s = render_str_of(render_html, a, NULL, NULL, &rc);
	assert_null(strstr(s, "<span class=\"code\">incomplete</span>"));
	free(s);
	json_decref(a);
}

/* The number on the HTML summary tile labelled `label`, or -1. */
static int html_tile(const char *html, const char *label)
{
	char *key = xasprintf("</div><div class=\"l\">%s</div>", label);
	const char *at = strstr(html, key);
	free(key);
	if (!at)
		return -1;
	const char *b = at;
	while (b > html && b[-1] != '>')
		b--;
	return atoi(b);
}

/* A running group's members listed in existing_learners are its learners
 * too: --by learner finds their sessions, the CSV lists them after the new
 * ones, the HTML names them as continuing; "Learners placed" counts only
 * the new ones. A running group that begins after the term starts has its
 * calendar begin with it. */
static void test_running_members(void **state)
{
	(void)state;
	setenv("SOURCE_DATE_EPOCH", "1800000000", 1);
	json_t *a = load_answer();
	int rc;
	char *s = render_str_of(render_html, a, NULL, NULL, &rc);
	int placed = html_tile(s, "Learners placed");
	assert_true(placed > 0);
	free(s);
	json_t *g0 = json_array_get(json_object_get(a, "groups"), 0);
	json_t *ex = json_array();
	json_array_append_new(ex, json_string("m-1"));
	json_array_append_new(ex, json_string("m-2"));
	json_object_set_new(g0, "existing_learners", ex);
	json_object_set_new(g0, "start", json_string("2027-03-01"));
	s = render_str_of(render_text, a, "learner", "m-1", &rc);
	assert_int_equal(rc, 0); /* was: no sessions for learner 'm-1' */
	assert_non_null(strstr(s, "G-old-1"));
	free(s);
	s = render_str_of(render_csv, a, "group", "G-old-1", &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(s, ",17,l-0001;l-0002;l-0003;m-1;m-2\r\n"));
	free(s);
	s = render_str_of(render_html, a, NULL, NULL, &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(s, "continuing:</span> <span class=\"nw\">m-1</span>, "
				  "<span class=\"nw\">m-2</span>"));
	assert_non_null(strstr(s, "+ 12 continuing")); /* 17 = 3 new + 2 named + 12 */
	assert_int_equal(html_tile(s, "Learners placed"), placed);
	free(s);
	/* the calendar: G-old-1 from its first Monday on or after 2027-03-01;
	 * a new group still from the term's start */
	s = render_str_of(render_ics, a, NULL, NULL, &rc);
	assert_int_equal(rc, 0);
	char *ev = ics_event_of(s, "p-tholen-2027a/G-old-1/mon-am@roosterd");
	assert_non_null(ev);
	assert_non_null(strstr(ev, "DTSTART;TZID=Europe/Amsterdam:20270301T090000\r\n"));
	assert_null(strstr(ev, "EXDATE;TZID=Europe/Amsterdam:20270222T090000\r\n"));
	free(ev);
	ev = ics_event_of(s, "p-tholen-2027a/g1/tue-am@roosterd");
	assert_non_null(ev);
	assert_non_null(strstr(ev, "DTSTART;TZID=Europe/Amsterdam:20270105T090000\r\n"));
	free(ev);
	free(s);
	json_decref(a);
}

/* Holidays given twice or out of order: the text and the HTML count each
 * date within the term once, and the text lists them by date. */
static void test_holidays_counted_once(void **state)
{
	(void)state;
	json_t *a = load_answer();
	json_t *h = json_object_get(json_object_get(a, "term"), "holidays");
	json_array_clear(h);
	static const char *const days[] = {"2027-05-17", "2027-02-22", "2027-05-17", "2027-12-25",
					   "2027-03-29"};
	for (size_t k = 0; k < sizeof days / sizeof *days; k++)
		json_array_append_new(h, json_string(days[k]));
	int rc;
	char *s = render_str_of(render_text, a, NULL, NULL, &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(s, "3 holidays: 2027-02-22, 2027-03-29,")); /* (wrapped) */
	assert_non_null(strstr(s, " 2027-05-17 (1 outside the term)"));
	assert_int_equal(count_of(s, "2027-05-17"), 1);
	free(s);
	s = render_str_of(render_html, a, NULL, NULL, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(html_tile(s, "Holidays"), 3);
	free(s);
	json_decref(a);
}

/* The HTML's objective terms keep their cents (fractional weights), so
 * they add up to the objective shown. */
static void test_html_terms_fractional(void **state)
{
	(void)state;
	json_t *a = load_answer();
	json_t *t = json_object_get(a, "terms");
	json_object_set_new(t, "level", json_real(52.5));
	json_object_set_new(t, "travel", json_real(90.25));
	int rc;
	char *s = render_str_of(render_html, a, NULL, NULL, &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(s, "<th>level</th><td>52.5</td>"));
	assert_non_null(strstr(s, "<th>travel</th><td>90.25</td>"));
	assert_non_null(strstr(s, "<th>wait</th><td>1040</td>"));
	free(s);
	json_decref(a);
}

/* A CSV field a spreadsheet would take for a formula begins with ' */
static void test_csv_formula_guard(void **state)
{
	(void)state;
	json_t *a = load_answer();
	json_t *g1 = json_array_get(json_object_get(a, "groups"), 1);
	json_object_set_new(json_object_get(g1, "teacher"), "id", json_string("=1+2"));
	json_object_set_new(json_object_get(g1, "room"), "id", json_string("@R3"));
	json_array_set_new(json_object_get(g1, "learners"), 0, json_string("-7"));
	int rc;
	char *s = render_str_of(render_csv, a, "group", "g1", &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(s, ",L2,\"'@R3\",\"'=1+2\",12,\"'-7;"));
	assert_null(strstr(s, ",=1+2"));
	free(s);
	json_decref(a);
}

/* --csv-sep ';' (a spreadsheet set to Dutch conventions): a byte order mark,
 * ';' between fields, the learners field (itself ';'-joined) quoted, and
 * a placement answer's hours with a decimal comma. */
static void test_csv_semicolon(void **state)
{
	(void)state;
	json_t *a = load_answer();
	int rc;
	render_csv_sep = ';';
	char *s = render_str_of(render_csv, a, "group", "g1", &rc);
	assert_int_equal(rc, 0);
	assert_memory_equal(s, "\xef\xbb\xbfgroup;route;level;day;", 22);
	assert_null(strstr(s, ",L2,"));
	assert_non_null(strstr(s, ";L2;"));
	assert_non_null(strstr(s, "\r\ng1;"));
	assert_non_null(strstr(s, ";\"l-")); /* the learners, quoted */
	free(s);
	json_t *pm = json_pack("{s:s, s:[{s:s, s:s, s:[s], s:f, s:i, s:s, s:b}], s:[], s:[]}",
			       "kind", "placement", "matches", "participant", "d-1", "placement",
			       "w-1", "dagdelen", "mon-am", "hours", 3.5, "travel", 10, "start",
			       "2027-01-04", "moved", 0, "placements", "unplaced");
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_int_equal(render_placement(pm, "csv", NULL, NULL, NULL, f), 0);
	fclose(f);
	assert_non_null(strstr(buf, "d-1;placed;w-1;;;;mon-am;3,5;10;2027-01-04;no;"));
	free(buf);
	render_csv_sep = ',';
	f = open_memstream(&buf, &len);
	assert_int_equal(render_placement(pm, "csv", NULL, NULL, NULL, f), 0);
	fclose(f);
	assert_non_null(strstr(buf, "d-1,placed,w-1,,,,mon-am,3.5,10,2027-01-04,no,"));
	assert_int_equal((unsigned char)buf[0], 'p'); /* no byte order mark */
	free(buf);
	json_decref(pm);
	json_decref(a);
}

/* Given the previous version of the plan, the calendar cancels the lessons
 * that version had and this one lacks (another dagdeel, a group gone), with
 * a sequence above both versions', and leaves the others as they are; a
 * learner who had lessons and now waits gets a calendar of cancellations;
 * a previous answer of another plan is refused. */
static void test_ics_cancels_previous(void **state)
{
	(void)state;
	setenv("SOURCE_DATE_EPOCH", "1800000000", 1);
	json_t *prev = load_answer();
	json_t *a = load_answer();
	json_object_set_new(a, "version", json_integer(2));
	json_t *groups = json_object_get(a, "groups");
	/* g1 moves from tue-am to mon-pm; g3 is gone, its learners wait */
	json_t *g1 = json_array_get(groups, 1);
	json_array_set_new(json_object_get(g1, "dagdelen"), 0, json_string("mon-pm"));
	json_t *g3 = json_array_get(groups, 3);
	char *l3 = xstrdup(json_string_value(json_array_get(json_object_get(g3, "learners"), 0)));
	json_array_remove(groups, 3);
	render_opts o = {.previous = prev};
	int rc;
	char *buf = render_opts_of(render_ics, a, &o, &rc);
	assert_int_equal(rc, 0);
	/* 15 slots before; now 11 (g3's 4 gone), and 5 cancelled: g1 tue-am, g3's 4 */
	assert_int_equal(count_of(buf, "BEGIN:VEVENT"), 16);
	assert_int_equal(count_of(buf, "STATUS:CANCELLED"), 5);
	char *ev = ics_event_of(buf, "p-tholen-2027a/g1/tue-am@roosterd");
	assert_non_null(ev);
	assert_non_null(strstr(ev, "STATUS:CANCELLED\r\n"));
	assert_non_null(strstr(ev, "SEQUENCE:1\r\n"));
	assert_non_null(strstr(ev, "SUMMARY:Cancelled: g1 "));
	free(ev);
	ev = ics_event_of(buf, "p-tholen-2027a/g1/mon-pm@roosterd");
	assert_non_null(ev);
	assert_null(strstr(ev, "CANCELLED"));
	free(ev);
	ev = ics_event_of(buf, "p-tholen-2027a/g1/thu-am@roosterd"); /* kept: revised, not cancelled */
	assert_non_null(ev);
	assert_non_null(strstr(ev, "SEQUENCE:1\r\n"));
	assert_null(strstr(ev, "CANCELLED"));
	free(ev);
	free(buf);
	/* the learner of the group gone: its lessons cancelled, nothing else */
	o.by = "learner";
	o.filter = l3;
	char *s3 = render_str_of(render_ics, a, "learner", l3, &rc);
	assert_int_equal(rc, RS_ENOTFOUND); /* (without the previous version) */
	free(s3);
	buf = render_opts_of(render_ics, a, &o, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(count_of(buf, "BEGIN:VEVENT"), 4);
	assert_int_equal(count_of(buf, "STATUS:CANCELLED"), 4);
	free(buf);
	/* another plan's answer */
	json_object_set_new(prev, "plan", json_string("p-other"));
	o.by = NULL, o.filter = NULL;
	buf = render_opts_of(render_ics, a, &o, &rc);
	assert_int_equal(rc, RS_EBADREQ);
	free(buf);
	free(l3);
	json_decref(a);
	json_decref(prev);
}

static void test_missing_fields(void **state)
{
	(void)state;
	const render_fn fns[] = {render_text, render_csv, render_ics, render_html};
	json_t *a = load_answer();
	json_object_del(json_array_get(json_object_get(a, "groups"), 2), "location");
	int rc;
	for (size_t i = 0; i < 4; i++) {
		char *s = render_str_of(fns[i], a, NULL, NULL, &rc);
		assert_int_equal(rc, RS_EBADREQ);
		free(s);
	}
	json_decref(a);

	a = load_answer();
	json_object_del(json_object_get(a, "term"), "start");
	char *s = render_str_of(render_ics, a, NULL, NULL, &rc);
	assert_int_equal(rc, RS_EBADREQ);
	free(s);
	s = render_str_of(render_text, a, NULL, NULL, &rc); /* text needs no term */
	assert_int_equal(rc, 0);
	free(s);
	json_decref(a);

	a = load_answer();
	json_object_del(a, "dagdelen");
	s = render_str_of(render_csv, a, NULL, NULL, &rc);
	assert_int_equal(rc, RS_EBADREQ);
	free(s);
	json_decref(a);

	a = load_answer();
	json_object_del(json_array_get(json_object_get(a, "groups"), 0), "teacher");
	s = render_str_of(render_csv, a, "teacher", NULL, &rc);
	assert_int_equal(rc, RS_EBADREQ);
	free(s);
	s = render_str_of(render_csv, a, NULL, NULL, &rc); /* without --by teacher: empty field */
	assert_int_equal(rc, 0);
	assert_non_null(strstr(s, ",L1,R1,,17,"));
	free(s);
	json_decref(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_summary_and_grid),
		cmocka_unit_test(test_text_wide_names),
		cmocka_unit_test(test_text_by),
		cmocka_unit_test(test_csv_rows),
		cmocka_unit_test(test_csv_quoting),
		cmocka_unit_test(test_ics_rrule_exdate),
		cmocka_unit_test(test_ics_location_closed),
		cmocka_unit_test(test_ics_zone_offsets),
		cmocka_unit_test(test_ics_overlapping_holidays),
		cmocka_unit_test(test_text_holidays_outside),
		cmocka_unit_test(test_ics_filters),
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_running_members),
		cmocka_unit_test(test_holidays_counted_once),
		cmocka_unit_test(test_html_terms_fractional),
		cmocka_unit_test(test_csv_formula_guard),
		cmocka_unit_test(test_csv_semicolon),
		cmocka_unit_test(test_ics_cancels_previous),
		cmocka_unit_test(test_missing_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
