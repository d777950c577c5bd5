/* render_diff.c: a diff of two timetable answers (plan.diff, `rooster diff`) as text.
 *
 * One line per learner whose week changed, the lessons before and after,
 * then the teachers whose dagdelen changed: what a planner reads before
 * telling people that their lessons move. A diff of two placement answers:
 * one line per participant whose placement or days changed. */
#include "render_diff.h"

#include "rs_error.h"

#include <stdbool.h>
#include <string.h>

static const char *str_or(const json_t *o, const char *key, const char *dflt)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : dflt;
}

/* "mon-am wed-am @ L1 (g3)", lessons joined by " + "; "waiting" or "-". */
static void lessons(FILE *out, const json_t *ls, bool staff, const char *none)
{
	if (!json_is_array(ls) || json_array_size(ls) == 0) {
		fputs(none, out);
		return;
	}
	size_t i;
	const json_t *l;
	json_array_foreach(ls, i, l)
	{
		if (i)
			fputs(" + ", out);
		size_t j;
		const json_t *d;
		json_array_foreach(json_object_get(l, "dagdelen"), j, d) fprintf(
		    out, "%s%s", j ? " " : "", json_string_value(d) ? json_string_value(d) : "?");
		fprintf(out, " @ %s (%s", str_or(l, "location", "?"),
			str_or(l, "running", str_or(l, "group", "?")));
		if (staff)
			fprintf(out, ", room %s, teacher %s", str_or(l, "room", "-"),
				str_or(l, "teacher", "-"));
		fputc(')', out);
	}
}

static const char *const counts[] = {"unchanged", "moved", "unplaced", "restaffed",
				     "placed",	  "added", "removed"};
/* a placement plan's (solver/pm_diff.h) */
static const char *const pm_counts[] = {"unchanged", "moved", "days", "unplaced",
					"placed",    "added", "removed"};

/* "w-03 mon-am wed-pm (7.0 h)", or none. */
static void placement(FILE *out, const json_t *m, const char *none)
{
	if (!json_is_object(m)) {
		fputs(none, out);
		return;
	}
	fputs(str_or(m, "placement", "?"), out);
	size_t j;
	const json_t *d;
	json_array_foreach(json_object_get(m, "dagdelen"), j, d)
		fprintf(out, " %s", json_string_value(d) ? json_string_value(d) : "?");
	if (json_is_number(json_object_get(m, "hours")))
		fprintf(out, " (%.1f h)", json_number_value(json_object_get(m, "hours")));
}

static void plan_line(const json_t *diff, FILE *out)
{
	if (json_object_get(diff, "plan"))
		fprintf(out, "plan %s: version %lld -> %lld\n", str_or(diff, "plan", "?"),
			(long long)json_integer_value(json_object_get(diff, "from")),
			(long long)json_integer_value(json_object_get(diff, "to")));
}

static int pm_summary(const json_t *diff, const json_t *sum, FILE *out)
{
	plan_line(diff, out);
	fprintf(out, "participants %lld:",
		(long long)json_integer_value(json_object_get(sum, "participants")));
	for (size_t i = 0; i < sizeof pm_counts / sizeof pm_counts[0]; i++)
		fprintf(out, "%s %lld %s", i ? "," : "",
			(long long)json_integer_value(json_object_get(sum, pm_counts[i])),
			pm_counts[i]);
	fprintf(out, ", %lld without a placement now\n",
		(long long)json_integer_value(json_object_get(sum, "waiting")));
	return ferror(out) ? RS_EIO : 0;
}

static int pm_text(const json_t *diff, const json_t *ps, FILE *out)
{
	int rc = pm_summary(diff, json_object_get(diff, "summary"), out);
	if (rc)
		return rc;
	if (json_array_size(ps))
		fputc('\n', out);
	size_t i;
	const json_t *p;
	json_array_foreach(ps, i, p)
	{
		const char *ch = str_or(p, "change", "?");
		fprintf(out, "%-10s %s  ", ch, str_or(p, "participant", "?"));
		placement(out, json_object_get(p, "before"),
			  strcmp(ch, "added") == 0 ? "(new)" : "no placement");
		fputs("  ->  ", out);
		placement(out, json_object_get(p, "after"),
			  strcmp(ch, "removed") == 0 ? "(gone)" : "no placement");
		fputc('\n', out);
		if (json_string_value(json_object_get(p, "why")))
			fprintf(out, "%-10s   why: %s\n", "", str_or(p, "why", ""));
	}
	return ferror(out) ? RS_EIO : 0;
}

int render_diff_summary(const json_t *diff, FILE *out)
{
	const json_t *sum = json_object_get(diff, "summary");
	if (!json_is_object(sum)) {
		fprintf(stderr, "rooster: the diff lacks its summary\n");
		return RS_EBADREQ;
	}
	if (json_object_get(sum, "participants"))
		return pm_summary(diff, sum, out);
	plan_line(diff, out);
	fprintf(out,
		"learners %lld:", (long long)json_integer_value(json_object_get(sum, "learners")));
	for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++)
		fprintf(out, "%s %lld %s", i ? "," : "",
			(long long)json_integer_value(json_object_get(sum, counts[i])), counts[i]);
	fprintf(out, ", %lld waiting in both\n",
		(long long)json_integer_value(json_object_get(sum, "waiting")));
	fprintf(out, "teachers changed %lld; groups %lld -> %lld\n",
		(long long)json_integer_value(json_object_get(sum, "teachers_changed")),
		(long long)json_integer_value(json_object_get(sum, "groups_before")),
		(long long)json_integer_value(json_object_get(sum, "groups_after")));
	return ferror(out) ? RS_EIO : 0;
}

int render_diff_text(const json_t *diff, FILE *out)
{
	const json_t *ls = json_object_get(diff, "learners");
	const json_t *ts = json_object_get(diff, "teachers");
	const json_t *ps = json_object_get(diff, "participants");
	if (json_is_array(ps) && json_is_object(json_object_get(diff, "summary")))
		return pm_text(diff, ps, out);
	if (!json_is_array(ls) || !json_is_array(ts)) {
		fprintf(stderr, "rooster: the diff lacks learners or teachers\n");
		return RS_EBADREQ;
	}
	int rc = render_diff_summary(diff, out);
	if (rc)
		return rc;
	size_t i;
	const json_t *l;
	if (json_array_size(ls))
		fputc('\n', out);
	json_array_foreach(ls, i, l)
	{
		const char *ch = str_or(l, "change", "?");
		bool staff = strcmp(ch, "restaffed") == 0;
		fprintf(out, "%-10s %s  ", ch, str_or(l, "learner", "?"));
		const json_t *b = json_object_get(l, "before"), *a = json_object_get(l, "after");
		lessons(out, b, staff, strcmp(ch, "added") == 0 ? "(new)" : "waiting");
		fputs("  ->  ", out);
		lessons(out, a, staff, strcmp(ch, "removed") == 0 ? "(gone)" : "waiting");
		fputc('\n', out);
		if (json_string_value(json_object_get(l, "why")))
			fprintf(out, "%-10s   why: %s\n", "", str_or(l, "why", ""));
	}
	if (json_array_size(ts))
		fputc('\n', out);
	const json_t *t;
	json_array_foreach(ts, i, t)
	{
		fprintf(out, "teacher %s", str_or(t, "teacher", "?"));
		if (json_string_value(json_object_get(t, "name")))
			fprintf(out, " (%s)", str_or(t, "name", ""));
		const char *part[2] = {"dropped", "added"};
		for (int k = 0; k < 2; k++) {
			const json_t *sl = json_object_get(t, part[k]);
			if (!json_array_size(sl))
				continue;
			fprintf(out, "%s %s",
				k && json_array_size(json_object_get(t, "dropped")) ? ";" : ":",
				part[k]);
			size_t j;
			const json_t *s;
			json_array_foreach(sl, j, s)
			    fprintf(out, "%s %s", j ? "," : "",
				    json_string_value(s) ? json_string_value(s) : "?");
		}
		fputc('\n', out);
	}
	return ferror(out) ? RS_EIO : 0;
}
