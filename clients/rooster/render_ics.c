/* render_ics.c: the iCalendar renderer (RFC 5545, built with libical). One
 * VEVENT per group session slot, repeating weekly (RRULE) from its first
 * weekday on/after term.start (a running group's own start when later)
 * UNTIL term.end, with an EXDATE for each holiday on that weekday; times
 * are local to term.tz (default Europe/Amsterdam) and the VTIMEZONE comes
 * from libical's builtin zones. --by + filter narrows the calendar to one
 * group, teacher, room, learner or location. Given the previous version of
 * the plan, its lessons this one lacks are written as cancelled events.
 * UIDs are stable:
 * "<plan>/<group>/<dagdeel>@roosterd", each part with '/', '%' and '@'
 * percent-encoded; a plan's version N > 1 gives SEQUENCE N - 1. DTSTAMP is
 * now, or SOURCE_DATE_EPOCH when set (reproducible output). */
#include "render.h"

#include <libical/ical.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rs_error.h"
#include "xalloc.h"

/* "YYYY-MM-DD" → a DATE-valued icaltimetype; false when malformed. */
static bool ics_date(const char *s, struct icaltimetype *t)
{
	int y, m, d, n = 0;
	if (!s || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 || s[10])
		return false;
	if (m < 1 || m > 12 || d < 1 || d > icaltime_days_in_month(m, y))
		return false;
	*t = icaltime_null_date();
	t->year = y;
	t->month = m;
	t->day = d;
	return true;
}

/* A DATE-TIME on day `day` at "HH:MM" (floating: the TZID goes on the property). */
static struct icaltimetype ics_at(struct icaltimetype day, const char *hhmm)
{
	struct icaltimetype t = icaltime_null_time();
	t.year = day.year;
	t.month = day.month;
	t.day = day.day;
	t.hour = (hhmm[0] - '0') * 10 + (hhmm[1] - '0');
	t.minute = (hhmm[3] - '0') * 10 + (hhmm[4] - '0');
	if (t.hour == 24) { /* a dagdeel ending at midnight: 00:00 the next day */
		t.hour = 0;
		icaltime_adjust(&t, 1, 0, 0, 0);
	}
	return t;
}

/* Writes id at w with '%', '/' and '@' percent-encoded, so a UID's parts
 * (plan/group/dagdeel@roosterd) cannot run into each other; returns the
 * end. w has room for 3 bytes per byte of id. */
static char *ics_uid_part(char *w, const char *id)
{
	for (const char *c = id; *c; c++) {
		if (*c == '%' || *c == '/' || *c == '@')
			w += sprintf(w, "%%%02X", (unsigned char)*c);
		else
			*w++ = *c;
	}
	*w = 0;
	return w;
}

/* The event's UID: plan/group/dagdeel@roosterd, each part encoded. */
static char *ics_uid(const char *plan, const char *group, const char *dagdeel)
{
	char *uid = xmalloc(3 * (strlen(plan) + strlen(group) + strlen(dagdeel)) + 16);
	char *w = ics_uid_part(uid, plan);
	*w++ = '/';
	w = ics_uid_part(w, group);
	*w++ = '/';
	w = ics_uid_part(w, dagdeel);
	strcpy(w, "@roosterd");
	return uid;
}

/* libical weekday (1 = Sunday … 7 = Saturday) of our 0 = Monday … 6 = Sunday. */
static int ics_ical_dow(int wday)
{
	return (wday + 1) % 7 + 1;
}

static icalproperty *ics_with_tzid(icalproperty *prop, const char *tzid)
{
	icalproperty_add_parameter(prop, icalparameter_new_tzid(tzid));
	return prop;
}

/* The holidays as [from, to] date ranges ("YYYY-MM-DD" or "YYYY-MM-DD/YYYY-MM-DD"). */
static int ics_holidays(const render_plan *p, struct icaltimetype *from, struct icaltimetype *to)
{
	for (size_t i = 0; i < p->n_holidays; i++) {
		const char *h = p->holidays[i], *slash = strchr(h, '/');
		char *a = slash ? xstrndup(h, (size_t)(slash - h)) : xstrdup(h);
		bool ok = ics_date(a, &from[i]) && ics_date(slash ? slash + 1 : a, &to[i]);
		free(a);
		if (!ok)
			return render_missing("answer field 'term.holidays[%zu]' is not YYYY-MM-DD", i);
	}
	return 0;
}

/* seq: the event's SEQUENCE, none when 0 */
static icalcomponent *ics_event(const render_plan *p, const render_group *g, const render_dagdeel *d,
				const char *plan, const char *tzid, icaltimezone *tz, struct icaltimetype first,
				struct icaltimetype end, struct icaltimetype stamp,
				const struct icaltimetype *hfrom, const struct icaltimetype *hto, int seq)
{
	icalcomponent *ev = icalcomponent_new_vevent();
	char *s = ics_uid(plan, g->id, d->id);
	icalcomponent_add_property(ev, icalproperty_new_uid(s));
	free(s);
	icalcomponent_add_property(ev, icalproperty_new_dtstamp(stamp));
	if (seq > 0)
		icalcomponent_add_property(ev, icalproperty_new_sequence(seq));
	icalcomponent_add_property(ev, ics_with_tzid(icalproperty_new_dtstart(ics_at(first, d->start)), tzid));
	icalcomponent_add_property(ev, ics_with_tzid(icalproperty_new_dtend(ics_at(first, d->end)), tzid));

	struct icalrecurrencetype r;
	icalrecurrencetype_clear(&r);
	r.freq = ICAL_WEEKLY_RECURRENCE;
	r.interval = 1;
	struct icaltimetype until = ics_at(end, d->start);
	icaltime_set_timezone(&until, tz);
	r.until = icaltime_convert_to_zone(until, icaltimezone_get_utc_timezone());
	icalcomponent_add_property(ev, icalproperty_new_rrule(r));

	for (size_t i = 0; i < p->n_holidays; i++) {
		for (struct icaltimetype day = hfrom[i]; icaltime_compare_date_only(day, hto[i]) <= 0;
		     icaltime_adjust(&day, 1, 0, 0, 0)) {
			if (icaltime_day_of_week(day) != ics_ical_dow(d->wday) ||
			    icaltime_compare_date_only(day, first) < 0 || icaltime_compare_date_only(day, end) > 0)
				continue;
			bool earlier = false; /* overlapping holidays: the day once */
			for (size_t k = 0; k < i && !earlier; k++)
				earlier = icaltime_compare_date_only(day, hfrom[k]) >= 0 &&
					  icaltime_compare_date_only(day, hto[k]) <= 0;
			if (earlier)
				continue;
			icalcomponent_add_property(ev,
						   ics_with_tzid(icalproperty_new_exdate(ics_at(day, d->start)), tzid));
		}
	}
	/* the days the group's location is closed, unless a holiday already is */
	const render_location *loc = render_location_get(p, g->location);
	for (size_t k = 0; loc && k < loc->n_closed; k++) {
		struct icaltimetype day;
		if (!ics_date(loc->closed[k], &day) || icaltime_day_of_week(day) != ics_ical_dow(d->wday) ||
		    icaltime_compare_date_only(day, first) < 0 || icaltime_compare_date_only(day, end) > 0)
			continue;
		bool holiday = false;
		for (size_t i = 0; i < p->n_holidays && !holiday; i++)
			holiday = icaltime_compare_date_only(day, hfrom[i]) >= 0 &&
				  icaltime_compare_date_only(day, hto[i]) <= 0;
		if (!holiday)
			icalcomponent_add_property(ev,
						   ics_with_tzid(icalproperty_new_exdate(ics_at(day, d->start)), tzid));
	}

	s = xasprintf("%s %s %s", g->id, render_route_label(g->route), g->level);
	icalcomponent_add_property(ev, icalproperty_new_summary(s));
	free(s);
	const char *room = g->room_name ? g->room_name : g->room_id;
	s = xasprintf("%s%s%s", render_location_name(p, g->location), room ? ", " : "", room ? room : "");
	icalcomponent_add_property(ev, icalproperty_new_location(s));
	free(s);
	char teacher[512] = "no teacher assigned";
	if (g->teacher_id)
		snprintf(teacher, sizeof teacher, "%s (%s)", g->teacher_name ? g->teacher_name : g->teacher_id,
			 g->teacher_id);
	s = xasprintf("Teacher: %s\nGroup %s: %s %s%s%s, %d learners\nDagdeel: %s %s-%s", teacher, g->id,
		      render_route_label(g->route), g->level, g->alfa ? ", alfa" : "",
		      g->women_only ? ", women only" : "", g->size, d->id, d->start, d->end);
	icalcomponent_add_property(ev, icalproperty_new_description(s));
	free(s);
	icalcomponent_add_property(ev, icalproperty_new_categories(render_route_label(g->route)));
	icalcomponent_add_property(ev, icalproperty_new_transp(ICAL_TRANSP_OPAQUE));
	return ev;
}

/* Drop the observances of the zone (STANDARD/DAYLIGHT) whose onsets all lie
 * more than a year before the term (the system zoneinfo goes back to 1835),
 * except the one with the latest of those onsets: it may still be in effect
 * when the term starts (Mexico City has kept the standard time it moved to
 * in October 2022; Sao Paulo its 2019 one). Keeping it when a later onset
 * overrides it is harmless. */
static void ics_trim_vtimezone(icalcomponent *vtz, struct icaltimetype term_start)
{
	size_t n = 0, cap = 8, latest = 0;
	icalcomponent **drop = xmalloc(cap * sizeof *drop);
	struct icaltimetype latest_at = icaltime_null_time();
	for (icalcomponent *c = icalcomponent_get_first_component(vtz, ICAL_ANY_COMPONENT); c;
	     c = icalcomponent_get_next_component(vtz, ICAL_ANY_COMPONENT)) {
		struct icaltimetype last = icaltime_null_time();
		bool open_ended = false;
		icalproperty *ds = icalcomponent_get_first_property(c, ICAL_DTSTART_PROPERTY);
		if (ds)
			last = icalproperty_get_dtstart(ds);
		icalproperty *rr = icalcomponent_get_first_property(c, ICAL_RRULE_PROPERTY);
		if (rr) {
			struct icalrecurrencetype r = icalproperty_get_rrule(rr);
			if (icaltime_is_null_time(r.until))
				open_ended = true;
			else if (icaltime_compare(r.until, last) > 0)
				last = r.until;
		}
		for (icalproperty *rd = icalcomponent_get_first_property(c, ICAL_RDATE_PROPERTY); rd;
		     rd = icalcomponent_get_next_property(c, ICAL_RDATE_PROPERTY)) {
			struct icaltimetype t = icalproperty_get_rdate(rd).time;
			if (!icaltime_is_null_time(t) && icaltime_compare(t, last) > 0)
				last = t;
		}
		if (open_ended || last.year >= term_start.year - 1)
			continue;
		if (n == cap)
			drop = xrealloc(drop, (cap *= 2) * sizeof *drop);
		if (n == 0 || icaltime_compare(last, latest_at) > 0) {
			latest_at = last;
			latest = n;
		}
		drop[n++] = c;
	}
	for (size_t i = 0; i < n; i++) {
		if (i == latest)
			continue;
		icalcomponent_remove_component(vtz, drop[i]);
		icalcomponent_free(drop[i]);
	}
	free(drop);
}

static struct icaltimetype ics_stamp(void)
{
	time_t now = time(NULL);
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	if (sde && *sde) {
		char *e;
		long long v = strtoll(sde, &e, 10);
		if (!*e && v >= 0)
			now = (time_t)v;
	}
	return icaltime_from_timet_with_zone(now, 0, icaltimezone_get_utc_timezone());
}

/* A VCALENDAR named name (',' and ';' become spaces) with the zone tzid
 * (vtz_src: libical's) from a year before `from` on. */
static icalcomponent *ics_calendar(const char *what, char *name, const char *tzid,
				   icalcomponent *vtz_src, struct icaltimetype from)
{
	icalcomponent *cal = icalcomponent_new_vcalendar();
	char prodid[64];
	snprintf(prodid, sizeof prodid, "-//roosterd//rooster %s//EN", what);
	icalcomponent_add_property(cal, icalproperty_new_prodid(prodid));
	icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
	icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
	icalcomponent_add_property(cal, icalproperty_new_method(ICAL_METHOD_PUBLISH));
	/* libical escapes '\\' and newlines in an X- property but not ',' or ';',
	 * which a bare TEXT value may not hold: they become spaces here */
	for (char *c = name; *c; c++)
		if (*c == ',' || *c == ';')
			*c = ' ';
	icalproperty *xname = icalproperty_new_x(name);
	icalproperty_set_x_name(xname, "X-WR-CALNAME");
	icalcomponent_add_property(cal, xname);
	icalproperty *xtz = icalproperty_new_x(tzid);
	icalproperty_set_x_name(xtz, "X-WR-TIMEZONE");
	icalcomponent_add_property(cal, xtz);
	/* The zone under its plain name, so TZID=Europe/Amsterdam matches. */
	icalcomponent *vtz = icalcomponent_new_clone(vtz_src);
	icalproperty *tzprop = icalcomponent_get_first_property(vtz, ICAL_TZID_PROPERTY);
	if (tzprop)
		icalproperty_set_tzid(tzprop, tzid);
	else
		icalcomponent_add_property(vtz, icalproperty_new_tzid(tzid));
	ics_trim_vtimezone(vtz, from);
	icalcomponent_add_component(cal, vtz);
	return cal;
}

/* The first day of group g's lessons on dagdeel d: its weekday on or after
 * the term's start (a running group's own start when later); false when
 * that is past end (the term has no such weekday then). */
static bool ics_first(const render_group *g, const render_dagdeel *d, struct icaltimetype start,
		      struct icaltimetype end, struct icaltimetype *first)
{
	struct icaltimetype gstart;
	*first = start;
	if (g->start && ics_date(g->start, &gstart) && icaltime_compare_date_only(gstart, start) > 0)
		*first = gstart;
	while (icaltime_day_of_week(*first) != ics_ical_dow(d->wday))
		icaltime_adjust(first, 1, 0, 0, 0);
	return icaltime_compare_date_only(*first, end) <= 0;
}

/* The events of plan version prev (under --by/filter) whose UIDs the new
 * calendar lacks (uids[0..nu)), written as cancelled with sequence seq:
 * a calendar that imported prev drops those lessons. */
static int ics_cancelled(icalcomponent *cal, const render_plan *prev, enum render_by by,
			 const char *filter, const char *plan, const char *tzid, icaltimezone *tz,
			 struct icaltimetype stamp, char **uids, size_t nu, int seq)
{
	struct icaltimetype start, end;
	if (!prev->term_start || !ics_date(prev->term_start, &start) || !prev->term_end ||
	    !ics_date(prev->term_end, &end))
		return render_missing("previous answer lacks a term with start and end (YYYY-MM-DD)");
	render_session *s = NULL;
	size_t ns = 0;
	int rc = render_sessions(prev, by, filter, &s, &ns);
	if (rc < 0)
		return rc;
	struct icaltimetype *hfrom = xcalloc(prev->n_holidays, sizeof *hfrom);
	struct icaltimetype *hto = xcalloc(prev->n_holidays, sizeof *hto);
	bool *seen = xcalloc(prev->n_groups * (prev->n_dd ? prev->n_dd : 1), sizeof *seen);
	if ((rc = ics_holidays(prev, hfrom, hto)) < 0)
		goto done;
	for (size_t i = 0; i < ns; i++) {
		size_t k = (size_t)s[i].g * prev->n_dd + (size_t)s[i].d;
		if (seen[k])
			continue;
		seen[k] = true;
		const render_group *g = &prev->groups[s[i].g];
		const render_dagdeel *d = &prev->dd[s[i].d];
		char *uid = ics_uid(plan, g->id, d->id);
		bool kept = false;
		for (size_t u = 0; u < nu && !kept; u++)
			kept = strcmp(uids[u], uid) == 0;
		free(uid);
		if (kept)
			continue;
		struct icaltimetype first;
		if (!ics_first(g, d, start, end, &first))
			continue;
		icalcomponent *ev =
		    ics_event(prev, g, d, plan, tzid, tz, first, end, stamp, hfrom, hto, seq);
		icalcomponent_add_property(ev, icalproperty_new_status(ICAL_STATUS_CANCELLED));
		icalproperty *sum = icalcomponent_get_first_property(ev, ICAL_SUMMARY_PROPERTY);
		char *t = xasprintf("Cancelled: %s", icalproperty_get_summary(sum));
		icalproperty_set_summary(sum, t);
		free(t);
		icalcomponent_add_component(cal, ev);
	}
done:
	free(seen);
	free(hfrom);
	free(hto);
	free(s);
	return rc;
}

static int ics_render(const render_plan *p, const render_plan *prev, enum render_by by,
		      const char *filter, FILE *out)
{
	struct icaltimetype start, end;
	if (!p->term_start)
		return render_missing("answer lacks field 'term.start'");
	if (!p->term_end)
		return render_missing("answer lacks field 'term.end'");
	if (!ics_date(p->term_start, &start))
		return render_missing("answer field 'term.start' is not YYYY-MM-DD");
	if (!ics_date(p->term_end, &end))
		return render_missing("answer field 'term.end' is not YYYY-MM-DD");
	const char *plan = p->plan ? p->plan : p->job;
	if (!plan)
		return render_missing("answer lacks field 'plan'");
	const char *tzid = p->term_tz ? p->term_tz : "Europe/Amsterdam";
	/* libical's UTC is built in without a VTIMEZONE; Etc/UTC has one (its
	 * TZID is set to the request's name below) */
	icaltimezone *tz = icaltimezone_get_builtin_timezone(strcmp(tzid, "UTC") ? tzid : "Etc/UTC");
	if (!tz)
		return render_missing("answer field 'term.tz' names an unknown time zone '%s'", tzid);
	icalcomponent *vtz_src = icaltimezone_get_component(tz);
	if (!vtz_src)
		return render_missing("no VTIMEZONE for time zone '%s'", tzid);

	render_session *s = NULL;
	size_t ns = 0;
	int rc = render_sessions(p, by, filter, &s, &ns);
	if (rc < 0)
		return rc;
	if (prev) {
		const char *pplan = prev->plan ? prev->plan : prev->job;
		const char *ptz = prev->term_tz ? prev->term_tz : "Europe/Amsterdam";
		if (!pplan || strcmp(pplan, plan) != 0) {
			free(s);
			fprintf(stderr, "rooster: the previous answer is of plan '%s', not '%s'\n",
				pplan ? pplan : "(none)", plan);
			return RS_EBADREQ;
		}
		if (strcmp(ptz, tzid) != 0) {
			free(s);
			fprintf(stderr, "rooster: the previous answer's time zone is %s, not %s\n", ptz,
				tzid);
			return RS_EBADREQ;
		}
	}
	/* a filter that matches nothing now but did in the previous version
	 * gives a calendar of cancellations */
	bool was = false;
	if (filter && !ns && prev)
		for (size_t gi = 0; gi < prev->n_groups && !was; gi++)
			was = render_group_matches(prev, gi, by, filter);
	if (filter && !ns && !was) {
		free(s);
		fprintf(stderr, "rooster: no sessions for %s '%s'\n", render_by_name(by), filter);
		return RS_ENOTFOUND;
	}
	struct icaltimetype *hfrom = xcalloc(p->n_holidays, sizeof *hfrom);
	struct icaltimetype *hto = xcalloc(p->n_holidays, sizeof *hto);
	if ((rc = ics_holidays(p, hfrom, hto)) < 0)
		goto done;

	char *name = filter ? xasprintf("Rooster %s %s %s", p->tenant ? p->tenant : "", render_by_name(by), filter)
			    : xasprintf("Rooster %s %s", p->tenant ? p->tenant : "", plan);
	icalcomponent *cal = ics_calendar("timetable", name, tzid, vtz_src, start);
	free(name);

	struct icaltimetype stamp = ics_stamp();
	bool *seen = xcalloc(p->n_groups * (p->n_dd ? p->n_dd : 1), sizeof *seen);
	char **uids = xcalloc(ns + 1, sizeof *uids); /* the slots written, for prev */
	size_t nu = 0;
	for (size_t i = 0; i < ns; i++) {
		size_t k = (size_t)s[i].g * p->n_dd + (size_t)s[i].d;
		if (seen[k])
			continue; /* --by learner: the same slot once */
		seen[k] = true;
		uids[nu++] = ics_uid(plan, p->groups[s[i].g].id, p->dd[s[i].d].id);
		const render_dagdeel *d = &p->dd[s[i].d];
		const render_group *g = &p->groups[s[i].g];
		struct icaltimetype first;
		if (!ics_first(g, d, start, end, &first))
			continue;
		/* a re-plan's version revises the events of the same UID
		 * (another room or teacher on the same dagdeel): calendars take
		 * the higher SEQUENCE as the newer */
		icalcomponent_add_component(cal, ics_event(p, g, d, plan, tzid, tz, first, end, stamp,
							   hfrom, hto, p->version - 1));
	}
	free(seen);
	if (prev) {
		int seq = p->version - 1 > prev->version ? p->version - 1 : prev->version;
		rc = ics_cancelled(cal, prev, by, filter, plan, tzid, tz, stamp, uids, nu,
				   seq > 1 ? seq : 1);
	}
	for (size_t u = 0; u < nu; u++)
		free(uids[u]);
	free(uids);
	if (rc < 0) {
		icalcomponent_free(cal);
		goto done;
	}
	char *text = icalcomponent_as_ical_string_r(cal);
	if (fputs(text, out) == EOF || ferror(out))
		rc = RS_EIO;
	icalmemory_free_buffer(text);
	icalcomponent_free(cal);
done:
	free(hfrom);
	free(hto);
	free(s);
	return rc;
}

int render_ics(const json_t *answer, const render_opts *o, FILE *out)
{
	enum render_by by;
	const char *filter;
	render_plan p;
	int rc = render_begin(answer, o, &by, &filter, &p);
	if (rc < 0)
		return rc;
	render_plan prev;
	if (o && o->previous && (rc = render_plan_load(o->previous, &prev)) < 0) {
		fprintf(stderr, "rooster: (that is the previous answer, given to cancel its lessons)\n");
		render_plan_free(&p);
		return rc;
	}
	rc = ics_render(&p, o && o->previous ? &prev : NULL, by, filter, out);
	if (o && o->previous)
		render_plan_free(&prev);
	render_plan_free(&p);
	return rc;
}

/* One weekly event of match m (of answer ans) on dagdeel did, from the
 * first such weekday on or after its start (else `from`), until the match's
 * `until` (its placement's last day) or open-ended;
 * NULL when the answer does not describe it. */
static icalcomponent *pm_event(const json_t *ans, const json_t *m, const char *did,
			       const char *plan, const char *tzid, icaltimezone *tz,
			       struct icaltimetype from, struct icaltimetype stamp, int seq,
			       bool cancelled)
{
	const char *who = json_string_value(json_object_get(m, "participant")),
		   *wid = json_string_value(json_object_get(m, "placement")),
		   *start = json_string_value(json_object_get(m, "start"));
	const json_t *def = render_by_id(json_object_get(ans, "dagdelen"), did),
		     *pl = render_by_id(json_object_get(ans, "placements"), wid);
	const char *ds = json_string_value(json_object_get(def, "start")),
		   *de = json_string_value(json_object_get(def, "end"));
	int wd = render_wday(json_string_value(json_object_get(def, "day")));
	if (!who || !wid || !def || wd < 0 || render_minutes(ds) < 0 || render_minutes(de) < 0)
		return NULL;
	struct icaltimetype first;
	if (!start || !ics_date(start, &first))
		first = from;
	while (icaltime_day_of_week(first) != ics_ical_dow(wd))
		icaltime_adjust(&first, 1, 0, 0, 0);
	icalcomponent *ev = icalcomponent_new_vevent();
	/* plan/participant/placement/dagdeel: moving to another placement on
	 * the same dagdeel is another event, so the calendars of the two
	 * placements do not disagree about one UID */
	char *pw = xmalloc(3 * (strlen(who) + strlen(wid)) + 2), *e = ics_uid_part(pw, who);
	*e++ = '/';
	ics_uid_part(e, wid);
	char *uid = ics_uid(plan, "", did), *tail = strchr(uid, '/');
	char *full = xasprintf("%.*s/%s%s", (int)(tail - uid), uid, pw, tail + 1);
	icalcomponent_add_property(ev, icalproperty_new_uid(full));
	free(uid), free(pw), free(full);
	icalcomponent_add_property(ev, icalproperty_new_dtstamp(stamp));
	if (seq > 0)
		icalcomponent_add_property(ev, icalproperty_new_sequence(seq));
	if (cancelled)
		icalcomponent_add_property(ev, icalproperty_new_status(ICAL_STATUS_CANCELLED));
	icalcomponent_add_property(ev, ics_with_tzid(icalproperty_new_dtstart(ics_at(first, ds)), tzid));
	icalcomponent_add_property(ev, ics_with_tzid(icalproperty_new_dtend(ics_at(first, de)), tzid));
	struct icalrecurrencetype r;
	icalrecurrencetype_clear(&r);
	r.freq = ICAL_WEEKLY_RECURRENCE; /* until the placement ends, or the next match */
	r.interval = 1;
	const char *until_s = json_string_value(json_object_get(m, "until"));
	struct icaltimetype until;
	if (until_s && ics_date(until_s, &until)) {
		/* UNTIL in UTC (DTSTART has a TZID): its last lesson's start */
		until = ics_at(until, ds);
		icaltime_set_timezone(&until, tz);
		r.until = icaltime_convert_to_zone(until, icaltimezone_get_utc_timezone());
	}
	icalcomponent_add_property(ev, icalproperty_new_rrule(r));
	const char *pname = json_string_value(json_object_get(pl, "name")),
		   *type = json_string_value(json_object_get(pl, "type")),
		   *where = json_string_value(json_object_get(pl, "location_name"));
	char *s = xasprintf("%s%s (%s)", cancelled ? "Cancelled: " : "", pname ? pname : wid,
			    type ? type : "placement");
	icalcomponent_add_property(ev, icalproperty_new_summary(s));
	free(s);
	if (where)
		icalcomponent_add_property(ev, icalproperty_new_location(where));
	s = xasprintf("Participant %s at %s, %.1f h a week\nDagdeel: %s %s-%s", who, wid,
		      json_number_value(json_object_get(m, "hours")), did, ds, de);
	icalcomponent_add_property(ev, icalproperty_new_description(s));
	free(s);
	icalcomponent_add_property(ev, icalproperty_new_transp(ICAL_TRANSP_OPAQUE));
	return ev;
}

/* Whether matches holds participant who at placement wid on dagdeel did
 * (the same UID). */
static bool pm_has_slot(const json_t *matches, const char *who, const char *wid, const char *did)
{
	size_t i, j;
	const json_t *m, *d;
	json_array_foreach(matches, i, m)
	{
		const char *w = json_string_value(json_object_get(m, "participant")),
			   *pl = json_string_value(json_object_get(m, "placement"));
		if (!w || strcmp(w, who) != 0 || !pl || !wid || strcmp(pl, wid) != 0)
			continue;
		json_array_foreach(json_object_get(m, "dagdelen"), j, d)
			if (json_string_value(d) && strcmp(json_string_value(d), did) == 0)
				return true;
	}
	return false;
}

int render_placement_ics(const json_t *ans, const json_t *matches, const json_t *prev,
			 const json_t *prev_matches, const char *title, FILE *out)
{
	const char *tzid = "Europe/Amsterdam"; /* placement requests name no zone */
	icaltimezone *tz = icaltimezone_get_builtin_timezone(tzid);
	icalcomponent *vtz_src = tz ? icaltimezone_get_component(tz) : NULL;
	if (!vtz_src)
		return render_missing("no VTIMEZONE for time zone '%s'", tzid);
	const char *plan = json_string_value(json_object_get(ans, "plan"));
	if (!plan)
		plan = json_string_value(json_object_get(ans, "job"));
	if (!plan)
		return render_missing("answer lacks field 'plan'");
	if (prev) {
		const char *pplan = json_string_value(json_object_get(prev, "plan"));
		if (!pplan || strcmp(pplan, plan) != 0) {
			fprintf(stderr, "rooster: the previous answer is of plan '%s', not '%s'\n",
				pplan ? pplan : "(none)", plan);
			return RS_EBADREQ;
		}
		/* its cancellations would outrank this version's events */
		long long v = json_integer_value(json_object_get(ans, "version")),
			  pv = json_integer_value(json_object_get(prev, "version"));
		if (pv >= v) {
			fprintf(stderr,
				"rooster: the previous answer is version %lld of the plan, not one "
				"before this version %lld\n",
				pv, v);
			return RS_EBADREQ;
		}
	}
	struct icaltimetype stamp = ics_stamp(), today = stamp, from, pfrom;
	today.is_date = 1;
	const char *as_of = json_string_value(json_object_get(ans, "as_of"));
	if (!as_of || !ics_date(as_of, &from))
		from = today;
	as_of = prev ? json_string_value(json_object_get(prev, "as_of")) : NULL;
	if (!as_of || !ics_date(as_of, &pfrom))
		pfrom = from;
	/* a later version revises the events of the same UID: calendars take
	 * the higher SEQUENCE as the newer */
	int version = (int)json_integer_value(json_object_get(ans, "version")),
	    pversion = prev ? (int)json_integer_value(json_object_get(prev, "version")) : 0;
	int seq = version - 1, cseq = seq > pversion ? seq : pversion;
	const char *tenant = json_string_value(json_object_get(ans, "tenant"));
	char *name = xasprintf("Placements %s %s", tenant ? tenant : "", title ? title : plan);
	icalcomponent *cal = ics_calendar("placements", name, tzid, vtz_src, from);
	free(name);
	size_t i, j;
	const json_t *m, *d;
	int rc = 0;
	for (int k = 0; k < 2 && !rc; k++) {
		/* the matches, then those of the previous version this one lacks,
		 * cancelled */
		const json_t *list = k ? prev_matches : matches;
		json_array_foreach(list, i, m)
		{
			const char *who = json_string_value(json_object_get(m, "participant")),
				   *wid = json_string_value(json_object_get(m, "placement"));
			json_array_foreach(json_object_get(m, "dagdelen"), j, d)
			{
				const char *did = json_string_value(d);
				if (k && (!who || !did || pm_has_slot(matches, who, wid, did)))
					continue;
				icalcomponent *ev = pm_event(k ? prev : ans, m, did, plan, tzid, tz,
							     k ? pfrom : from, stamp,
							     k ? (cseq > 1 ? cseq : 1) : seq, k);
				if (!ev) {
					rc = render_missing("%s match %zu names a dagdeel or placement it "
							    "does not describe",
							    k ? "the previous answer's" : "answer", i);
					break;
				}
				icalcomponent_add_component(cal, ev);
			}
			if (rc)
				break;
		}
	}
	if (!rc) {
		char *text = icalcomponent_as_ical_string_r(cal);
		if (fputs(text, out) == EOF || ferror(out))
			rc = RS_EIO;
		icalmemory_free_buffer(text);
	}
	icalcomponent_free(cal);
	return rc;
}
