/* render_csv.c: the CSV renderer (RFC 4180: CRLF line ends, fields with a
 * comma, quote, CR or LF quoted, quotes doubled). Header row, then one row per
 * group session (the separator is render_csv_sep, ',' by default):
 *   group,route,level,day,dagdeel,start,end,location,room,teacher,size,learners
 * (learners ';'-joined, a ';' or '\' inside an id escaped by '\'; a field
 * that begins with = + - @, a tab or a CR gets a leading ' against formula
 * injection, and is quoted). With
 * --by learner one row per learner per session:
 *   learner,group,route,level,day,dagdeel,start,end,location,room,teacher,size
 * Rows are ordered by the --by key, then day and start time. */
#include "render.h"

#include <stdlib.h>
#include <string.h>

#include "rs_error.h"
#include "xalloc.h"

char render_csv_sep = ',';

void render_csv_field(FILE *out, const char *s, bool last)
{
	if (!s)
		s = "";
	/* a spreadsheet reads a cell that begins with one of these as a
	 * formula: such a field gets a leading apostrophe, which spreadsheets
	 * show as text and do not display */
	bool guard = *s && strchr("=+-@\t\r", *s);
	char special[] = {render_csv_sep, '"', '\r', '\n', '\0'};
	if (guard || s[strcspn(s, special)]) {
		fputc('"', out);
		if (guard)
			fputc('\'', out);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', out);
			fputc(*s, out);
		}
		fputc('"', out);
	} else {
		fputs(s, out);
	}
	if (last)
		fputs("\r\n", out);
	else
		fputc(render_csv_sep, out);
}

void render_csv_header(FILE *out, const char *const *names, size_t n)
{
	if (render_csv_sep == ';')
		fputs("\xef\xbb\xbf", out);
	for (size_t k = 0; k < n; k++)
		render_csv_field(out, names[k], k + 1 == n);
}

void render_csv_decimal(char *buf, size_t n, double v)
{
	snprintf(buf, n, "%.1f", v);
	char *dot = strchr(buf, '.');
	if (dot && render_csv_sep == ';')
		*dot = ',';
}

/* The learners field: ids joined by ';', with ';' and '\' inside an id
 * written as "\;" and "\\" so that a reader splitting at the other ';'
 * gets every id back. */
static char *csv_join(const render_group *g)
{
	size_t len = 1;
	for (size_t i = 0; i < g->n_learners; i++)
		len += 2 * strlen(g->learners[i]) + 1;
	char *s = xmalloc(len), *w = s;
	for (size_t i = 0; i < g->n_learners; i++) {
		if (i)
			*w++ = ';';
		for (const char *c = g->learners[i]; *c; c++) {
			if (*c == ';' || *c == '\\')
				*w++ = '\\';
			*w++ = *c;
		}
	}
	*w = '\0';
	return s;
}

int render_csv(const json_t *answer, const render_opts *o, FILE *out)
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
	if (filter && !ns) {
		fprintf(stderr, "rooster: no sessions for %s '%s'\n", render_by_name(by), filter);
		rc = RS_ENOTFOUND;
		goto done;
	}
	bool per_learner = by == RENDER_BY_LEARNER;
	static const char *const head[] = {"learner", "group", "route",   "level",
					   "day",     "dagdeel", "start",  "end",
					   "location", "room",   "teacher", "size", "learners"};
	if (per_learner)
		render_csv_header(out, head, 12);
	else
		render_csv_header(out, head + 1, 12);
	for (size_t i = 0; i < ns; i++) {
		const render_group *g = &p.groups[s[i].g];
		const render_dagdeel *d = &p.dd[s[i].d];
		char size[24];
		snprintf(size, sizeof size, "%d", g->size);
		if (per_learner)
			render_csv_field(out, s[i].learner, false);
		const char *f[] = {g->id, g->route, g->level, d->day, d->id, d->start,
				   d->end, g->location, g->room_id, g->teacher_id, size};
		for (size_t k = 0; k < sizeof f / sizeof *f; k++)
			render_csv_field(out, f[k], per_learner && k + 1 == sizeof f / sizeof *f);
		if (!per_learner) {
			char *l = csv_join(g);
			render_csv_field(out, l, true);
			free(l);
		}
	}
	if (ferror(out))
		rc = RS_EIO;
done:
	free(s);
	render_plan_free(&p);
	return rc;
}
