/* render_pm.c: a placement answer (docs/placement.md) as text for the
 * coordinator, or CSV (one row per participant) for a spreadsheet. */
#include "render.h"
#include "xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rs_error.h"

static const char *str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static double num(const json_t *o, const char *k)
{
	return json_number_value(json_object_get(o, k));
}

/* "Mon 09:00-12:30" for a dagdeel id, from the answer's dagdelen. */
static void dagdeel_words(const json_t *ans, const char *id, char *buf, size_t n)
{
	const json_t *d = render_by_id(json_object_get(ans, "dagdelen"), id);
	const char *day = str(d, "day");
	if (day && strlen(day) >= 3)
		snprintf(buf, n, "%c%c%c %s-%s", day[0] - 32, day[1], day[2],
			 str(d, "start") ? str(d, "start") : "?", str(d, "end") ? str(d, "end") : "?");
	else
		snprintf(buf, n, "%s", id);
}

/* The dagdelen of a match, joined by sep, each as words (text) or its id
 * (CSV); the caller frees. */
static char *dagdelen_list(const json_t *ans, const json_t *arr, const char *sep, bool words)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return strdup("");
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
	{
		const char *id = json_string_value(v) ? json_string_value(v) : "?";
		char w[64];
		if (words)
			dagdeel_words(ans, id, w, sizeof w);
		fprintf(f, "%s%s", i ? sep : "", words ? w : id);
	}
	fclose(f);
	return buf;
}

/* --by participant|placement and --filter ID: what is kept. */
typedef struct pick {
	const char *by, *filter;
} pick;

static bool is(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

static bool keep_match(const pick *k, const json_t *mt)
{
	return !k->filter || (!is(k->by, "placement") && is(str(mt, "participant"), k->filter)) ||
	       (!is(k->by, "participant") && is(str(mt, "placement"), k->filter));
}

static bool keep_unplaced(const pick *k, const json_t *u)
{
	return !k->filter || (!is(k->by, "placement") && is(str(u, "participant"), k->filter));
}

static int text(const json_t *ans, const pick *k, FILE *out)
{
	const json_t *terms = json_object_get(ans, "terms"), *chk = json_object_get(ans, "check");
	fprintf(out, "Placement matching: %s, objective %.1f (bound %.1f, gap %.2f %%), %.1f s\n",
		str(ans, "status") ? str(ans, "status") : "?", num(ans, "objective"),
		num(ans, "bound"), 100 * num(ans, "gap"), num(ans, "seconds"));
	if (str(ans, "message"))
		fprintf(out, "Note: %s\n", str(ans, "message"));
	fprintf(out,
		"Terms: unplaced %.0f, waiting %.0f, travel %.0f, not preferred %.0f, hours short "
		"%.1f, same tongue %.0f, moved %.0f\n",
		num(terms, "unplaced"), num(terms, "wait"), num(terms, "travel"),
		num(terms, "not_preferred"), num(terms, "hours_short"), num(terms, "same_tongue"),
		num(terms, "moved"));
	fprintf(out, "Checker: %s\n",
		json_is_true(json_object_get(chk, "ok")) ? "ok" : "VIOLATIONS (see --format json)");
	const json_t *lf = json_object_get(ans, "lessons_from");
	if (str(lf, "plan"))
		fprintf(out, "Lessons from timetable %s version %lld: %lld lessons of %lld participants\n",
			str(lf, "plan"), (long long)json_integer_value(json_object_get(lf, "version")),
			(long long)json_integer_value(json_object_get(lf, "lessons")),
			(long long)json_integer_value(json_object_get(lf, "participants")));
	fprintf(out, "Placed %lld of %lld participants\n",
		(long long)json_integer_value(json_object_get(ans, "placed")),
		(long long)json_integer_value(json_object_get(ans, "participants")));
	const json_t *matches = json_object_get(ans, "matches");
	size_t i, j;
	json_t *w, *mt;
	json_array_foreach(json_object_get(ans, "placements"), i, w)
	{
		const char *id = str(w, "id");
		if (!id || json_integer_value(json_object_get(w, "used")) == 0)
			continue;
		bool any = false;
		json_array_foreach(matches, j, mt)
			any = any || (is(str(mt, "placement"), id) && keep_match(k, mt));
		if (!any)
			continue;
		fprintf(out, "\n%s (%s, %s) at %s: %lld of %lld places, %.1f h a week", str(w, "name"),
			id, str(w, "type"), str(w, "location_name"),
			(long long)json_integer_value(json_object_get(w, "used")),
			(long long)json_integer_value(json_object_get(w, "capacity")), num(w, "hours"));
		if (json_is_number(json_object_get(w, "hours_capacity")))
			fprintf(out, " of %.1f", num(w, "hours_capacity"));
		if (str(w, "start"))
			fprintf(out, ", from %s", str(w, "start"));
		if (str(w, "until"))
			fprintf(out, " until %s", str(w, "until"));
		fputc('\n', out);
		json_array_foreach(matches, j, mt)
		{
			if (!is(str(mt, "placement"), id) || !keep_match(k, mt))
				continue;
			char *dd = dagdelen_list(ans, json_object_get(mt, "dagdelen"), ", ", true);
			fprintf(out, "  %-10s %5.1f h  %3lld min  %s%s\n", str(mt, "participant"),
				num(mt, "hours"), (long long)json_integer_value(json_object_get(mt, "travel")),
				dd, json_is_true(json_object_get(mt, "moved")) ? "  (moved)" : "");
			free(dd);
		}
	}
	const json_t *un = json_object_get(ans, "unplaced");
	size_t n_un = 0;
	json_array_foreach(un, i, w)
		n_un += keep_unplaced(k, w);
	if (n_un)
		fprintf(out, "\nWithout a placement (%zu):\n", n_un);
	json_array_foreach(un, i, w)
	{
		if (!keep_unplaced(k, w))
			continue;
		long long wk = (long long)json_integer_value(json_object_get(w, "weeks_waiting"));
		fprintf(out, "  %s (waiting %lld %s%s)\n", str(w, "participant"), wk,
			wk == 1 ? "week" : "weeks",
			json_is_true(json_object_get(w, "must_place")) ? ", must be placed" : "");
		json_array_foreach(json_object_get(w, "reasons"), j, mt)
			fprintf(out, "    %s: %s\n", str(mt, "code"), str(mt, "text"));
	}
	return ferror(out) ? RS_EIO : 0;
}

static int csv(const json_t *ans, const pick *k, FILE *out)
{
	static const char *const head[] = {"participant", "status",   "placement", "name",
					   "type",        "location", "dagdelen",  "hours",
					   "travel",      "start",    "moved",     "reasons"};
	render_csv_header(out, head, sizeof head / sizeof *head);
	size_t i, j;
	json_t *mt, *w;
	json_array_foreach(json_object_get(ans, "matches"), i, mt)
	{
		if (!keep_match(k, mt))
			continue;
		const json_t *pl = render_by_id(json_object_get(ans, "placements"), str(mt, "placement"));
		char *dd = dagdelen_list(ans, json_object_get(mt, "dagdelen"), " ", false), hours[32],
		     travel[32];
		render_csv_decimal(hours, sizeof hours, num(mt, "hours"));
		snprintf(travel, sizeof travel, "%lld",
			 (long long)json_integer_value(json_object_get(mt, "travel")));
		const char *row[] = {str(mt, "participant"), "placed", str(mt, "placement"),
				     pl ? str(pl, "name") : NULL, pl ? str(pl, "type") : NULL,
				     pl ? str(pl, "location") : NULL, dd, hours, travel,
				     str(mt, "start"),
				     json_is_true(json_object_get(mt, "moved")) ? "yes" : "no", ""};
		for (size_t k = 0; k < sizeof row / sizeof *row; k++)
			render_csv_field(out, row[k], k + 1 == sizeof row / sizeof *row);
		free(dd);
	}
	json_array_foreach(json_object_get(ans, "unplaced"), i, w)
	{
		if (!keep_unplaced(k, w))
			continue;
		char *reasons = NULL;
		size_t rlen = 0;
		FILE *rf = open_memstream(&reasons, &rlen);
		json_t *r;
		json_array_foreach(json_object_get(w, "reasons"), j, r)
			if (rf)
				fprintf(rf, "%s%s: %s", j ? "; " : "", str(r, "code"), str(r, "text"));
		if (rf)
			fclose(rf);
		const char *row[] = {str(w, "participant"), "unplaced", "", "", "", "", "", "", "",
				     "", "", reasons ? reasons : ""};
		for (size_t k = 0; k < sizeof row / sizeof *row; k++)
			render_csv_field(out, row[k], k + 1 == sizeof row / sizeof *row);
		free(reasons);
	}
	return ferror(out) ? RS_EIO : 0;
}

/* The matches of ans that k keeps, a new array. */
static json_t *kept_matches(const json_t *ans, const pick *k)
{
	json_t *kept = json_array();
	size_t i;
	json_t *mt;
	json_array_foreach(json_object_get(ans, "matches"), i, mt)
		if (keep_match(k, mt))
			json_array_append(kept, mt);
	return kept;
}

int render_placement(const json_t *ans, const char *format, const char *by, const char *filter,
		     const json_t *prev, FILE *out)
{
	if (!json_is_array(json_object_get(ans, "matches"))) {
		fprintf(stderr, "rooster: the answer has no matches: not a placement answer\n");
		return RS_EBADREQ;
	}
	if (by && !is(by, "participant") && !is(by, "placement")) {
		fprintf(stderr, "rooster: --by %s: a placement answer is shown by participant or "
				"placement\n",
			by);
		return RS_EBADREQ;
	}
	pick k = {by, filter};
	if (filter) {
		/* an id that names nobody is a typo, not an empty selection */
		bool found = false;
		size_t i;
		json_t *o;
		json_array_foreach(json_object_get(ans, "matches"), i, o)
			found = found || keep_match(&k, o);
		json_array_foreach(json_object_get(ans, "unplaced"), i, o)
			found = found || keep_unplaced(&k, o);
		json_array_foreach(json_object_get(ans, "placements"), i, o)
			found = found || (!is(by, "participant") && is(str(o, "id"), filter));
		/* (one the earlier version had: its calendar is of cancellations) */
		json_array_foreach(json_object_get(prev, "matches"), i, o)
			found = found || keep_match(&k, o);
		if (!found) {
			fprintf(stderr, "rooster: --filter %s: no %s of that id in this answer\n",
				filter, by ? by : "participant or placement");
			return RS_EBADREQ;
		}
	}
	if (strcmp(format, "csv") == 0)
		return csv(ans, &k, out);
	if (strcmp(format, "ics") == 0) {
		json_t *kept = kept_matches(ans, &k), *pkept = prev ? kept_matches(prev, &k) : NULL;
		char *title = filter ? xasprintf("%s%s%s", by ? by : "", by ? " " : "", filter) : NULL;
		int rc = render_placement_ics(ans, kept, prev, pkept, title, out);
		free(title);
		json_decref(kept);
		json_decref(pkept);
		return rc;
	}
	return text(ans, &k, out);
}
