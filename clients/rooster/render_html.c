/* render_html.c: the HTML renderer: one self-contained, printable page (inline
 * CSS, no scripts or external assets, every answer string escaped) with the
 * plan header and solve summary, a weekly grid per location (rows: dagdeel
 * parts; columns: days) of group cards coloured by route, the unplaced
 * learners with their reasons and the groups with their learners.
 * --by + filter keeps only the groups that match (e.g. one teacher's). */
#include "render.h"

#include <stdlib.h>
#include <string.h>

#include "rs_error.h"
#include "xalloc.h"

static void html_esc(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", out);
			break;
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		case '\'':
			fputs("&#39;", out);
			break;
		default:
			fputc(*s, out);
		}
	}
}

/* Text element: <tag class="cls">escaped s</tag>. */
static void html_el(FILE *out, const char *tag, const char *cls, const char *s)
{
	fprintf(out, "<%s%s%s%s>", tag, cls ? " class=\"" : "", cls ? cls : "", cls ? "\"" : "");
	html_esc(out, s);
	fprintf(out, "</%s>", tag);
}

static const char *html_route_class(const char *route)
{
	if (!strcmp(route, "B1"))
		return "r-b1";
	if (!strcmp(route, "Z"))
		return "r-z";
	if (!strcmp(route, "OR"))
		return "r-or";
	return "r-other";
}

static const char *html_status_class(const char *status)
{
	if (!strcmp(status, "optimal"))
		return "st-ok";
	if (!strcmp(status, "feasible"))
		return "st-feasible";
	if (!strcmp(status, "time_limit"))
		return "st-warn";
	if (!strcmp(status, "infeasible"))
		return "st-bad";
	return "st-muted";
}

static const char html_css[] =
	":root{--ink:#1f2933;--muted:#616e7c;--line:#d9e2ec;--bg:#f0f4f8;--sheet:#fff;"
	"--b1:#1d4ed8;--b1-bg:#dbeafe;--z:#b45309;--z-bg:#fef3c7;--or:#047857;--or-bg:#d1fae5;"
	"--ot:#6d28d9;--ot-bg:#ede9fe}\n"
	"*{box-sizing:border-box}\n"
	"body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 system-ui,-apple-system,"
	"'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif}\n"
	"main{max-width:1320px;margin:24px auto;padding:0 24px}\n"
	"header.top{background:#102a43;color:#fff;border-radius:10px 10px 0 0;padding:20px 28px}\n"
	"header.top h1{margin:0;font-size:24px;font-weight:650;letter-spacing:.2px}\n"
	"header.top .sub{margin-top:4px;color:#bcccdc;font-size:13px}\n"
	"header.top .sub span+span:before{content:'\\00b7';margin:0 8px;color:#829ab1}\n"
	"section{background:var(--sheet);padding:20px 28px;border-bottom:1px solid var(--line)}\n"
	"section:last-of-type{border-radius:0 0 10px 10px;border-bottom:0}\n"
	"h2{font-size:17px;margin:0 0 12px;font-weight:650}\n"
	"h2 .id{color:var(--muted);font-weight:400;font-size:13px;margin-left:6px}\n"
	".overview{display:flex;gap:24px;flex-wrap:wrap;align-items:flex-start}\n"
	"table{border-collapse:collapse}\n"
	"table.summary th{text-align:left;font-weight:500;color:var(--muted);padding:3px 18px 3px 0}\n"
	"table.summary td{padding:3px 0;font-variant-numeric:tabular-nums}\n"
	".tiles{display:flex;gap:12px;flex-wrap:wrap}\n"
	".tile{border:1px solid var(--line);border-radius:8px;padding:10px 16px;min-width:120px}\n"
	".tile .n{font-size:26px;font-weight:650;font-variant-numeric:tabular-nums}\n"
	".tile .l{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.5px}\n"
	".tile.warn .n{color:#b42318}\n"
	".badge{display:inline-block;border-radius:999px;padding:1px 10px;font-size:12px;font-weight:600}\n"
	".st-ok{background:#d1fae5;color:#065f46}.st-feasible{background:#dbeafe;color:#1e40af}"
	".st-warn{background:#fef3c7;color:#92400e}.st-bad{background:#fee2e2;color:#991b1b}"
	".st-muted{background:#e4e7eb;color:#3e4c59}\n"
	"table.terms td,table.terms th{padding:2px 10px 2px 0;font-size:12px;text-align:right;"
	"font-variant-numeric:tabular-nums}\n"
	"table.terms th{color:var(--muted);font-weight:500;text-align:left}\n"
	".legend{display:flex;gap:16px;align-items:center;font-size:13px;color:var(--muted);margin:0 0 4px}\n"
	".legend i{display:inline-block;width:22px;height:14px;border-radius:3px;vertical-align:-2px;"
	"margin-right:6px;border-left-width:4px;border-left-style:solid}\n"
	"table.grid{width:100%;table-layout:fixed;margin-top:4px}\n"
	"table.grid th,table.grid td{border:1px solid var(--line);vertical-align:top;padding:6px}\n"
	"table.grid thead th{background:#f0f4f8;font-weight:600;font-size:13px;text-align:left}\n"
	"table.grid tbody th{width:108px;background:#f8fafc;text-align:left;font-weight:600;font-size:13px}\n"
	"table.grid tbody th small{display:block;font-weight:400;color:var(--muted);font-size:11px}\n"
	"table.grid td.empty{background:repeating-linear-gradient(135deg,#fff 0 6px,#f8fafc 6px 12px)}\n"
	".card{border-radius:6px;padding:6px 8px;margin:0 0 6px;border-left:5px solid;break-inside:avoid;"
	"font-size:12px;line-height:1.35}\n"
	".card:last-child{margin-bottom:0}\n"
	".card .gid{font-weight:700;font-size:13px}\n"
	".card .lvl{float:right;font-weight:600}\n"
	".card .meta{color:#334e68}\n"
	".card .tags{margin-top:2px}\n"
	".tag{display:inline-block;font-size:10px;text-transform:uppercase;letter-spacing:.4px;"
	"background:rgba(255,255,255,.75);border-radius:3px;padding:0 4px;margin-right:3px}\n"
	".r-b1{background:var(--b1-bg);border-color:var(--b1)}.r-b1 .lvl{color:var(--b1)}\n"
	".r-z{background:var(--z-bg);border-color:var(--z)}.r-z .lvl{color:var(--z)}\n"
	".r-or{background:var(--or-bg);border-color:var(--or)}.r-or .lvl{color:var(--or)}\n"
	".r-other{background:var(--ot-bg);border-color:var(--ot)}.r-other .lvl{color:var(--ot)}\n"
	"table.list{width:100%}\n"
	"table.list th{text-align:left;font-size:12px;color:var(--muted);font-weight:600;text-transform:uppercase;"
	"letter-spacing:.4px;border-bottom:2px solid var(--line);padding:6px 10px 6px 0}\n"
	"table.list td{border-bottom:1px solid var(--line);padding:6px 10px 6px 0;vertical-align:top}\n"
	"table.list tr{break-inside:avoid}\n"
	".code{font:11px ui-monospace,Menlo,Consolas,monospace;background:#fde8e8;color:#9b1c1c;"
	"border-radius:3px;padding:0 5px;margin-right:6px}\n"
	".ids{font:12px ui-monospace,Menlo,Consolas,monospace;color:#334e68}\n"
	".swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px;border:0}\n"
	".swatch.r-b1{background:var(--b1)}.swatch.r-z{background:var(--z)}.swatch.r-or{background:var(--or)}"
	".swatch.r-other{background:var(--ot)}\n"
	".nw{white-space:nowrap}\n"
	".none{color:var(--muted);font-style:italic}\n"
	"footer{color:var(--muted);font-size:12px;text-align:center;margin:12px 0 32px}\n"
	"@media print{@page{size:A4 landscape;margin:10mm}\n"
	"body{background:#fff;font-size:11px}main{max-width:none;margin:0;padding:0}\n"
	"header.top{border-radius:0}section{padding:10px 0;border:0}\n"
	"section.loc{break-inside:avoid}h2{break-after:avoid}\n"
	"*{-webkit-print-color-adjust:exact;print-color-adjust:exact}footer{margin:6px 0}}\n";

static void html_num(FILE *out, bool has, double v, const char *fmt)
{
	if (has)
		fprintf(out, fmt, v);
	else
		fputs("&ndash;", out);
}

static void html_header(FILE *out, const render_plan *p, const char *title)
{
	fputs("<header class=\"top\"><h1>", out);
	html_esc(out, title);
	fputs("</h1><div class=\"sub\">", out);
	if (p->plan) {
		fputs("<span>Plan ", out);
		html_esc(out, p->plan);
		if (p->version)
			fprintf(out, " (version %d)", p->version);
		fputs("</span>", out);
	}
	if (p->tenant) {
		fputs("<span>Tenant ", out);
		html_esc(out, p->tenant);
		fputs("</span>", out);
	}
	if (p->term_start && p->term_end) {
		fputs("<span>Term ", out);
		html_esc(out, p->term_start);
		fputs(" &ndash; ", out);
		html_esc(out, p->term_end);
		fputs(" (", out);
		html_esc(out, p->term_tz ? p->term_tz : "Europe/Amsterdam");
		fputs(")</span>", out);
	}
	if (p->job) {
		fputs("<span>Job ", out);
		html_esc(out, p->job);
		fputs("</span>", out);
	}
	fputs("</div></header>\n", out);
}

static void html_summary(FILE *out, const render_plan *p, size_t shown)
{
	fputs("<section class=\"overview-section\"><h2>Solve summary</h2><div class=\"overview\">\n", out);
	fputs("<table class=\"summary\"><tbody>\n<tr><th>Status</th><td>", out);
	fprintf(out, "<span class=\"badge %s\">", html_status_class(p->status));
	html_esc(out, p->status);
	fputs("</span></td></tr>\n<tr><th>Objective</th><td>", out);
	html_num(out, p->has_objective, p->objective, "%.1f");
	fputs("</td></tr>\n<tr><th>Bound</th><td>", out);
	html_num(out, p->has_bound, p->bound, "%.1f");
	fputs("</td></tr>\n<tr><th>Gap</th><td>", out);
	html_num(out, p->has_gap, p->gap * 100.0, "%.2f %%");
	fputs("</td></tr>\n<tr><th>Time</th><td>", out);
	html_num(out, p->has_seconds, p->seconds, "%.2f s");
	if (p->has_nodes)
		fprintf(out, " (%.0f nodes)", p->nodes);
	fputs("</td></tr>\n<tr><th>Check</th><td>", out);
	if (!p->has_check)
		fputs("<span class=\"badge st-muted\">not run</span>", out);
	else if (p->check_ok)
		fputs("<span class=\"badge st-ok\">passed</span>", out);
	else
		fprintf(out, "<span class=\"badge st-bad\">failed: %zu violations</span>",
			p->violations ? json_array_size(p->violations) : 0);
	fputs("</td></tr>\n", out);
	/* a re-plan: its parent version and what became of its start */
	const json_t *par = json_object_get(p->answer, "parent");
	if (json_is_integer(par))
		fprintf(out, "<tr><th>Re-plan</th><td>from version %lld</td></tr>\n",
			(long long)json_integer_value(par));
	const json_t *st = json_object_get(p->answer, "start");
	if (json_is_object(st)) {
		fprintf(out,
			"<tr><th>Start</th><td>%lld groups: %lld kept, %lld restaffed, %lld dropped; "
			"%zu learners' lessons changed</td></tr>\n",
			(long long)json_integer_value(json_object_get(st, "groups")),
			(long long)json_integer_value(json_object_get(st, "kept")),
			(long long)json_integer_value(json_object_get(st, "restaffed")),
			(long long)json_integer_value(json_object_get(st, "dropped")),
			json_array_size(json_object_get(st, "changed")));
	}
	fputs("</tbody></table>\n", out);

	size_t running = 0;
	for (size_t i = 0; i < p->n_groups; i++)
		running += p->groups[i].running != NULL;
	fputs("<div class=\"tiles\">", out);
	fprintf(out, "<div class=\"tile\"><div class=\"n\">%zu</div><div class=\"l\">Groups (%zu running)</div></div>",
		p->n_groups, running);
	fprintf(out, "<div class=\"tile\"><div class=\"n\">%zu</div><div class=\"l\">Learners placed</div></div>",
		render_placed_count(p));
	fprintf(out, "<div class=\"tile%s\"><div class=\"n\">%zu</div><div class=\"l\">Unplaced</div></div>",
		p->n_unplaced ? " warn" : "", p->n_unplaced);
	fprintf(out, "<div class=\"tile\"><div class=\"n\">%zu</div><div class=\"l\">Holidays</div></div>",
		render_holidays_in_term(p));
	if (shown != p->n_groups)
		fprintf(out, "<div class=\"tile\"><div class=\"n\">%zu</div><div class=\"l\">Groups shown</div></div>",
			shown);
	fputs("</div>\n", out);

	const json_t *terms = json_object_get(p->answer, "terms");
	if (json_is_object(terms) && json_object_size(terms)) {
		const char *k;
		const json_t *v;
		fputs("<table class=\"terms\"><thead><tr><th colspan=\"2\">Objective terms</th></tr></thead><tbody>", out);
		json_object_foreach((json_t *)terms, k, v) {
			if (!json_is_number(v))
				continue;
			fputs("<tr><th>", out);
			html_esc(out, k);
			/* to the cent, without trailing zeros: fractional
			 * weights' terms add up to the objective shown */
			char num[64];
			snprintf(num, sizeof num, "%.2f", json_number_value(v));
			char *e = num + strlen(num);
			while (e > num && e[-1] == '0')
				*--e = '\0';
			if (e > num && e[-1] == '.')
				*--e = '\0';
			fprintf(out, "</th><td>%s</td></tr>", num);
		}
		fputs("</tbody></table>\n", out);
	}
	fputs("</div>\n", out);
	for (size_t i = 0; p->violations && i < json_array_size(p->violations); i++) {
		const json_t *v = json_array_get(p->violations, i);
		char *d = json_is_string(v) ? xstrdup(json_string_value(v)) : json_dumps(v, JSON_COMPACT);
		fputs("<p class=\"violation\"><span class=\"code\">violation</span>", out);
		html_esc(out, d);
		fputs("</p>\n", out);
		free(d);
	}
	for (size_t i = 0; p->conflicts && i < json_array_size(p->conflicts); i++) {
		const json_t *v = json_array_get(p->conflicts, i);
		char *d = json_is_string(v) ? xstrdup(json_string_value(v)) : json_dumps(v, JSON_COMPACT);
		fputs("<p class=\"conflict\"><span class=\"code\">conflict</span>", out);
		html_esc(out, d);
		fputs("</p>\n", out);
		free(d);
	}
	if (p->conflicts && p->conflicts_partial)
		fputs("<p class=\"conflict\"><span class=\"code\">incomplete</span>not every "
		      "family could be tested in time: some may not be needed</p>\n",
		      out);
	fputs("</section>\n", out);
}

static void html_card(FILE *out, const render_plan *p, const render_group *g)
{
	fprintf(out, "<div class=\"card %s\">", html_route_class(g->route));
	fputs("<span class=\"lvl\">", out);
	html_esc(out, g->route);
	fputs(" &middot; ", out);
	html_esc(out, g->level);
	fputs("</span>", out);
	html_el(out, "div", "gid", g->id);
	fputs("<div class=\"meta\">", out);
	html_esc(out, g->room_name ? g->room_name : g->room_id ? g->room_id : "no room");
	fputs("</div><div class=\"meta\">", out);
	html_esc(out, g->teacher_name ? g->teacher_name : g->teacher_id ? g->teacher_id : "no teacher");
	fputs("</div><div class=\"meta\">", out);
	if (g->room_capacity > 0)
		fprintf(out, "%d / %d learners", g->size, g->room_capacity);
	else
		fprintf(out, "%d learners", g->size);
	fputs("</div>", out);
	if (g->running || g->alfa || g->women_only) {
		fputs("<div class=\"tags\">", out);
		if (g->running)
			fputs("<span class=\"tag\">running</span>", out);
		if (g->alfa)
			fputs("<span class=\"tag\">alfa</span>", out);
		if (g->women_only)
			fputs("<span class=\"tag\">women only</span>", out);
		fputs("</div>", out);
	}
	fputs("</div>", out);
	(void)p;
}

/* "09:00–12:00" of the dagdelen in a part (the first and last distinct). */
static void html_part_times(FILE *out, const render_plan *p, int part)
{
	const char *lo = NULL, *hi = NULL;
	for (size_t i = 0; i < p->n_dd; i++) {
		if (p->dd[i].part != part)
			continue;
		if (!lo || strcmp(p->dd[i].start, lo) < 0)
			lo = p->dd[i].start;
		if (!hi || strcmp(p->dd[i].end, hi) > 0)
			hi = p->dd[i].end;
	}
	if (!lo)
		return;
	fputs("<small>", out);
	html_esc(out, lo);
	fputs("&ndash;", out);
	html_esc(out, hi);
	fputs("</small>", out);
}

static void html_location(FILE *out, const render_plan *p, const char *loc, const bool *show)
{
	int days[7];
	bool part_used[RENDER_NPARTS];
	int nd = render_week(p, days, part_used);
	size_t ng = 0;
	for (size_t g = 0; g < p->n_groups; g++)
		ng += show[g] && !strcmp(p->groups[g].location, loc);
	fputs("<section class=\"loc\"><h2>", out);
	html_esc(out, render_location_name(p, loc));
	fputs("<span class=\"id\">", out);
	html_esc(out, loc);
	fprintf(out, " &middot; %zu group%s</span></h2>\n", ng, ng == 1 ? "" : "s");
	fputs("<table class=\"grid\"><thead><tr><th style=\"width:108px\"></th>", out);
	for (int d = 0; d < nd; d++)
		html_el(out, "th", NULL, render_day_long(days[d]));
	fputs("</tr></thead>\n<tbody>\n", out);
	for (int part = 0; part < RENDER_NPARTS; part++) {
		if (!part_used[part])
			continue;
		char label[16];
		snprintf(label, sizeof label, "%s", render_part_name(part));
		label[0] = (char)(label[0] - 'a' + 'A');
		fputs("<tr><th>", out);
		html_esc(out, label);
		html_part_times(out, p, part);
		fputs("</th>", out);
		for (int d = 0; d < nd; d++) {
			size_t cards = 0;
			for (size_t g = 0; g < p->n_groups; g++) {
				const render_group *gr = &p->groups[g];
				if (!show[g] || strcmp(gr->location, loc))
					continue;
				for (size_t k = 0; k < gr->n_dd; k++) {
					const render_dagdeel *x = &p->dd[gr->dd[k]];
					if (x->wday != days[d] || x->part != part)
						continue;
					if (!cards++)
						fputs("<td>", out);
					html_card(out, p, gr);
				}
			}
			fputs(cards ? "</td>" : "<td class=\"empty\"></td>", out);
		}
		fputs("</tr>\n", out);
	}
	fputs("</tbody></table></section>\n", out);
}

static void html_legend(FILE *out)
{
	fputs("<section class=\"legend-section\"><div class=\"legend\"><strong>Routes</strong>"
	      "<span><i class=\"r-b1\"></i>B1-route</span>"
	      "<span><i class=\"r-z\"></i>Z-route</span>"
	      "<span><i class=\"r-or\"></i>Onderwijsroute (OR)</span>"
	      "<span><i class=\"r-other\"></i>Other</span></div></section>\n",
	      out);
}

static void html_unplaced(FILE *out, const render_plan *p, const char *learner)
{
	fputs("<section class=\"unplaced\"><h2>Unplaced learners</h2>\n", out);
	size_t n = 0;
	for (size_t i = 0; i < p->n_unplaced; i++) {
		const render_unplaced *u = &p->unplaced[i];
		if (learner && strcmp(u->learner, learner))
			continue;
		if (!n++)
			fputs("<table class=\"list\"><thead><tr><th>Learner</th><th>Route</th><th>Level</th>"
			      "<th>Reasons</th></tr></thead><tbody>\n",
			      out);
		fputs("<tr>", out);
		html_el(out, "td", "ids", u->learner);
		html_el(out, "td", NULL, u->route ? u->route : "");
		html_el(out, "td", NULL, u->level ? u->level : "");
		fputs("<td>", out);
		for (size_t k = 0; k < u->n_reasons; k++) {
			fputs("<div>", out);
			if (u->reasons[k].code)
				html_el(out, "span", "code", u->reasons[k].code);
			html_esc(out, u->reasons[k].text);
			fputs("</div>", out);
		}
		if (!u->n_reasons)
			fputs("<span class=\"none\">no reason given</span>", out);
		fputs("</td></tr>\n", out);
	}
	if (n)
		fputs("</tbody></table>\n", out);
	else
		fputs("<p class=\"none\">No unplaced learners.</p>\n", out);
	fputs("</section>\n", out);
}

/* The start's groups not kept and its learners whose lessons changed, with
 * why (start.outcomes, start.changed); only `learner`'s when given. */
static void html_changed(FILE *out, const render_plan *p, const char *learner)
{
	const json_t *st = json_object_get(p->answer, "start");
	if (!json_is_object(st))
		return;
	fputs("<section class=\"unplaced\"><h2>Changed from the start</h2>\n", out);
	size_t i, n = 0;
	const json_t *x;
	json_array_foreach(json_object_get(st, "outcomes"), i, x)
	{
		const char *g = json_string_value(json_object_get(x, "group"));
		const char *o = json_string_value(json_object_get(x, "outcome"));
		const char *r = json_string_value(json_object_get(x, "reason"));
		if (learner || !o || !strcmp(o, "kept"))
			continue;
		fputs("<p class=\"conflict\">", out);
		html_el(out, "span", "code", o);
		html_esc(out, g ? g : "(a group)");
		if (r) {
			fputs(": ", out);
			html_esc(out, r);
		}
		fputs("</p>\n", out);
	}
	json_array_foreach(json_object_get(st, "changed"), i, x)
	{
		const char *id = json_string_value(json_object_get(x, "learner"));
		if (!id || (learner && strcmp(id, learner)))
			continue;
		if (!n++)
			fputs("<table class=\"list\"><thead><tr><th>Learner</th><th>From</th>"
			      "<th>Now</th><th>Why</th></tr></thead><tbody>\n",
			      out);
		const char *g = json_string_value(json_object_get(x, "group"));
		const char *o = json_string_value(json_object_get(x, "outcome"));
		const char *rule = json_string_value(json_object_get(x, "rule"));
		const char *why = json_string_value(json_object_get(x, "reason"));
		fputs("<tr>", out);
		html_el(out, "td", "ids", id);
		html_el(out, "td", NULL, g ? g : "");
		html_el(out, "td", NULL, o ? o : "");
		fputs("<td>", out);
		if (rule)
			html_el(out, "span", "code", rule);
		html_esc(out, why ? why : "");
		fputs("</td></tr>\n", out);
	}
	if (n)
		fputs("</tbody></table>\n", out);
	else
		fputs("<p class=\"none\">No learner's lessons changed.</p>\n", out);
	fputs("</section>\n", out);
}

/* only: a learner's own view (--by learner --filter ID) lists that learner
 * alone among each group's learners, as the text, CSV and ICS views do */
static void html_groups(FILE *out, const render_plan *p, const bool *show, const char *only)
{
	fputs("<section class=\"groups\"><h2>Groups and learners</h2>\n<table class=\"list\"><thead><tr>"
	      "<th>Group</th><th>Route</th><th>Location</th><th>Dagdelen</th><th>Room</th><th>Teacher</th>"
	      "<th>Size</th><th>Learners</th></tr></thead><tbody>\n",
	      out);
	for (size_t gi = 0; gi < p->n_groups; gi++) {
		const render_group *g = &p->groups[gi];
		if (!show[gi])
			continue;
		fputs("<tr><td><strong>", out);
		html_esc(out, g->id);
		fputs("</strong>", out);
		if (g->running)
			fputs(" <span class=\"tag\" style=\"background:#e4e7eb\">running</span>", out);
		fprintf(out, "</td><td><span class=\"swatch %s\"></span>", html_route_class(g->route));
		html_esc(out, g->route);
		fputs(" ", out);
		html_esc(out, g->level);
		if (g->alfa)
			fputs(", alfa", out);
		if (g->women_only)
			fputs(", women only", out);
		fputs("</td>", out);
		html_el(out, "td", NULL, render_location_name(p, g->location));
		fputs("<td>", out);
		for (size_t k = 0; k < g->n_dd; k++) {
			const render_dagdeel *d = &p->dd[g->dd[k]];
			fprintf(out, "%s<span class=\"nw\">%s ", k ? "<br>" : "", render_day_short(d->wday));
			html_esc(out, d->start);
			fputs("&ndash;", out);
			html_esc(out, d->end);
			fputs("</span>", out);
		}
		fputs("</td>", out);
		html_el(out, "td", NULL, g->room_name ? g->room_name : g->room_id ? g->room_id : "");
		html_el(out, "td", NULL, g->teacher_name ? g->teacher_name : g->teacher_id ? g->teacher_id : "");
		fprintf(out, "<td>%d</td><td class=\"ids\">", g->size);
		/* the new learners, then the members it had (named when the
		 * answer lists them, else counted) */
		size_t w = 0;
		for (size_t k = 0; k < g->n_learners; k++) {
			if (only && strcmp(g->learners[k], only))
				continue;
			if (k >= g->n_new && !only && k == g->n_new)
				fputs(w ? "<br><span class=\"none\">continuing:</span> "
					: "<span class=\"none\">continuing:</span> ",
				      out);
			else if (w)
				fputs(", ", out);
			fputs("<span class=\"nw\">", out);
			html_esc(out, g->learners[k]);
			fputs("</span>", out);
			w++;
		}
		if (only && g->size > 1)
			fprintf(out, "%s<span class=\"none\">and %d other%s</span>", w ? "<br>" : "",
				g->size - 1, g->size - 1 == 1 ? "" : "s");
		else if (g->running && (int)g->n_learners < g->size)
			fprintf(out, "%s<span class=\"none\">+ %d continuing</span>", w ? "<br>" : "",
				g->size - (int)g->n_learners);
		fputs("</td></tr>\n", out);
	}
	fputs("</tbody></table></section>\n", out);
}

int render_html(const json_t *answer, const render_opts *o, FILE *out)
{
	enum render_by by;
	const char *filter;
	render_plan p;
	int rc = render_begin(answer, o, &by, &filter, &p);
	if (rc < 0)
		return rc;
	bool *show = xcalloc(p.n_groups, sizeof *show);
	size_t shown = 0;
	for (size_t g = 0; g < p.n_groups; g++)
		shown += show[g] = render_group_matches(&p, g, by, filter);
	bool unplaced_match = false;
	for (size_t i = 0; filter && by == RENDER_BY_LEARNER && i < p.n_unplaced; i++)
		unplaced_match |= !strcmp(p.unplaced[i].learner, filter);
	if (filter && !shown && !unplaced_match) {
		fprintf(stderr, "rooster: no sessions for %s '%s'\n", render_by_name(by), filter);
		rc = RS_ENOTFOUND;
		goto done;
	}
	char *title = filter ? xasprintf("Timetable %s: %s %s", p.tenant ? p.tenant : "", render_by_name(by), filter)
			     : xasprintf("Timetable %s", p.tenant ? p.tenant : "");
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
	      out);
	html_esc(out, title);
	if (p.plan) {
		fputs(" &ndash; ", out);
		html_esc(out, p.plan);
	}
	fprintf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<main>\n", html_css);
	html_header(out, &p, title);
	free(title);
	html_summary(out, &p, shown);
	html_legend(out);
	/* Locations in the answer's order, then any a group names that is not listed. */
	for (size_t i = 0; i < p.n_locations; i++) {
		bool any = false;
		for (size_t g = 0; g < p.n_groups; g++)
			any |= show[g] && !strcmp(p.groups[g].location, p.locations[i].id);
		if (any)
			html_location(out, &p, p.locations[i].id, show);
	}
	for (size_t g = 0; g < p.n_groups; g++) {
		if (!show[g])
			continue;
		bool seen = false;
		for (size_t i = 0; i < p.n_locations; i++)
			seen |= !strcmp(p.locations[i].id, p.groups[g].location);
		for (size_t h = 0; h < g; h++)
			seen |= show[h] && !strcmp(p.groups[h].location, p.groups[g].location);
		if (!seen)
			html_location(out, &p, p.groups[g].location, show);
	}
	if (!filter || by == RENDER_BY_LEARNER) {
		html_unplaced(out, &p, filter);
		html_changed(out, &p, filter);
	}
	if (shown)
		html_groups(out, &p, show, filter && by == RENDER_BY_LEARNER ? filter : NULL);
	fputs("</main>\n<footer>Generated by roosterd &middot; rooster timetable report</footer>\n</body>\n</html>\n",
	      out);
	if (ferror(out))
		rc = RS_EIO;
done:
	free(show);
	render_plan_free(&p);
	return rc;
}
