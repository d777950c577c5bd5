/* rooster.c: the `rooster` command-line client: solve, jobs, plans, check, render, import.
 *
 * Exit codes: 0 a plan came back (unplaced learners are reported, not a
 * failure); 1 infeasible, hard rules broken, or `check` found violations; 2 usage; 3 connection;
 * 4 server error. */
#include "check_tt.h"
#include "ctt.h"
#include "ctt_request.h"
#include "json_mp.h"
#include "mp.h"
#include "render.h"
#include "pm.h"
#include "render_diff.h"
#include "rooster_client.h"
#include "rs_error.h"
#include "tt_decode.h"
#include "pm_diff.h"
#include "tt_diff.h"
#include "tt_encode.h"
#include "tt_export.h"
#include "xalloc.h"
#include "import_ctt.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { EXIT_PLAN = 0, EXIT_INFEASIBLE = 1, EXIT_USAGE = 2, EXIT_CONN = 3, EXIT_SERVER = 4 };

typedef struct opts {
	const char *socket, *host, *token_file, *format, *out, *by, *filter, *tenant;
	const char *export_lp, *start, *replan, *previous;
	int port;
	double time_limit, gap;
	long long seed;
	long long node_limit;
	int version, from, to;
	bool no_wait, ctt, confirm, quiet;
} opts;

static opts O = {.from = -1, .to = -1, .port = 7878, .time_limit = -1, .gap = -1, .seed = -1, .node_limit = -1};
static volatile sig_atomic_t g_interrupted;

static void on_sigint(int sig)
{
	(void)sig;
	g_interrupted = 1;
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "rooster: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\nTry 'rooster --help'.\n");
	va_end(ap);
	return EXIT_USAGE;
}

/* Read a JSON file, saying where it is broken. 0 or EXIT_USAGE. */
static int read_json(const char *path, json_t **out)
{
	char err[512];
	if (json_read_file(path, out, err, sizeof err)) {
		fprintf(stderr, "rooster: %s\n", err);
		return EXIT_USAGE;
	}
	return 0;
}

/* The request at path (a JSON object), with --start's answer (rooster solve
 * --format json) as its start when given: solve sends it so, and check
 * reads it so. */
static int read_request(const char *path, json_t **req)
{
	if (read_json(path, req))
		return EXIT_USAGE;
	if (!json_is_object(*req)) {
		fprintf(stderr, "rooster: %s: the request must be a JSON object\n", path);
		json_decref(*req);
		return EXIT_USAGE;
	}
	if (!O.start)
		return 0;
	json_t *st;
	if (read_json(O.start, &st)) {
		json_decref(*req);
		return EXIT_USAGE;
	}
	if (!json_is_object(st)) {
		fprintf(stderr, "rooster: %s: --start needs an answer (a JSON object)\n", O.start);
		json_decref(st);
		json_decref(*req);
		return EXIT_USAGE;
	}
	json_object_set_new(*req, "start", st);
	return 0;
}

/* A timetable request (msgpack) → model, offline; names the bad field. */
static int decode_model(const msgpack_object *req, const char *path, tt_model *m)
{
	tt_limits lim;
	tt_limits_default(&lim);
	lim.max_learners = 1000000;
	mp_ctx c;
	mp_init(&c);
	if (tt_decode(req, &lim, m, &c)) {
		fprintf(stderr, "rooster: %s: %s\n", path, c.err);
		return EXIT_USAGE;
	}
	return 0;
}

/* ---- connection ---- */

static int connect_server(rooster_client **c)
{
	rooster_error e;
	int rc;
	if (O.host) {
		char token[512] = "";
		if (O.token_file) {
			FILE *f = fopen(O.token_file, "r");
			if (!f) {
				fprintf(stderr, "rooster: %s: %s\n", O.token_file, strerror(errno));
				return EXIT_CONN;
			}
			if (!fgets(token, sizeof token, f))
				token[0] = '\0';
			fclose(f);
			token[strcspn(token, "\r\n")] = '\0';
		}
		rc = rooster_connect_tcp(O.host, O.port, token, c, &e);
	} else {
		rc = rooster_connect_unix(O.socket, c, &e);
	}
	if (rc) {
		fprintf(stderr, "rooster: %s\n", e.message);
		return rc == RS_EAUTH ? EXIT_SERVER : EXIT_CONN;
	}
	return 0;
}

static int server_failed(const rooster_error *e)
{
	if (e->code == RS_EIO || e->code == RS_EMALFORMED) {
		fprintf(stderr, "rooster: %s\n", e->message);
		return EXIT_CONN;
	}
	fprintf(stderr, "rooster: %s: %s%s%s%s\n", e->name, e->message, *e->field ? " (field " : "",
		*e->field ? e->field : "", *e->field ? ")" : "");
	return EXIT_SERVER;
}

/* ---- output ---- */

/* 0 when the directory holding path may be written to (a file made or
 * renamed there), else the errno access gave. */
static int dir_access(const char *path)
{
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	const char *d = slash ? (slash == dir ? "/" : (*slash = 0, dir)) : ".";
	int err = access(d, W_OK | X_OK) == 0 ? 0 : errno;
	free(dir);
	return err;
}

/* -o FILE, when FILE is a regular file (or new) in a directory we may
 * write, is written to a temporary file beside it and renamed over FILE
 * once complete: an answer that cannot be rendered (or a full disk) leaves
 * FILE as it was, never empty or cut short. The temporary file gets FILE's
 * mode (a plan names learners: a private file stays private). Anything
 * else (a device such as /dev/null, a symlink, a pipe, a file in a
 * directory we cannot write) is written in place, as fopen does. */
static char out_tmp[4096];
static bool out_in_place;
/* While the temporary file exists, SIGINT, SIGTERM and SIGHUP wait: they
 * are taken once it is renamed or removed, so an interrupted rooster
 * leaves no FILE.XXXXXX behind (SIGKILL still can). */
static sigset_t out_before; /* the mask to return to */

static void out_hold(bool on)
{
	if (on) {
		sigset_t held;
		sigemptyset(&held);
		sigaddset(&held, SIGINT);
		sigaddset(&held, SIGTERM);
		sigaddset(&held, SIGHUP);
		sigprocmask(SIG_BLOCK, &held, &out_before);
	} else {
		sigprocmask(SIG_SETMASK, &out_before, NULL);
	}
}

static FILE *open_out(void)
{
	if (!O.out || strcmp(O.out, "-") == 0)
		return stdout;
	struct stat st;
	bool exists = lstat(O.out, &st) == 0;
	out_in_place = (exists && !S_ISREG(st.st_mode)) || dir_access(O.out) != 0 ||
		       snprintf(out_tmp, sizeof out_tmp, "%s.XXXXXX", O.out) >= (int)sizeof out_tmp;
	if (out_in_place) {
		FILE *f = fopen(O.out, "w");
		if (!f)
			fprintf(stderr, "rooster: %s: %s\n", O.out, strerror(errno));
		return f;
	}
	out_hold(true);
	int fd = mkstemp(out_tmp);
	if (fd < 0) {
		fprintf(stderr, "rooster: %s: %s\n", O.out, strerror(errno));
		out_hold(false);
		return NULL;
	}
	if (exists) {
		(void)fchmod(fd, st.st_mode & 07777);
		if (fchown(fd, st.st_uid, st.st_gid) != 0) {
			/* not ours to give away: keep our own ownership */
		}
	} else {
		mode_t mask = umask(0);
		umask(mask);
		(void)fchmod(fd, 0666 & ~mask); /* as fopen would have made it */
	}
	FILE *f = fdopen(fd, "w");
	if (!f) {
		fprintf(stderr, "rooster: %s: %s\n", O.out, strerror(errno));
		close(fd);
		unlink(out_tmp);
		out_hold(false);
	}
	return f;
}

/* Ends what open_out began: with ok, FILE gets the output (0, or
 * EXIT_USAGE when it could not be written); otherwise it is left alone. */
static int close_out(FILE *f, bool ok)
{
	if (f == stdout)
		return fflush(f) == 0 ? 0 : EXIT_USAGE;
	bool written = fflush(f) == 0 && !ferror(f);
	int err = errno;
	if (fclose(f) != 0 && written)
		written = false, err = errno;
	if (out_in_place) {
		if (ok && !written)
			fprintf(stderr, "rooster: %s: %s\n", O.out, strerror(err));
		return ok && written ? 0 : EXIT_USAGE;
	}
	int rc = 0;
	if (!ok || !written || rename(out_tmp, O.out) != 0) {
		if (ok)
			fprintf(stderr, "rooster: %s: %s\n", O.out, strerror(written ? errno : err));
		unlink(out_tmp);
		rc = EXIT_USAGE;
	}
	out_hold(false);
	return rc;
}

/* --format, --by and -o, checked before a request goes out: a solve must
 * not run for minutes and then be thrown away over a typo. kind is the
 * request's when known (itc2007 answers render as text, sol, csv or json;
 * timetables as text, json, csv, ics or html), NULL otherwise. */
static int check_output_options(const char *kind)
{
	static const char *const tt[] = {"text", "json", "csv", "ics", "html", NULL};
	static const char *const itc[] = {"text", "json", "csv", "sol", NULL};
	bool is_itc = kind && strcmp(kind, "itc2007") == 0, is_tt = kind && !is_itc;
	if (kind && strcmp(kind, "placement") == 0) {
		if (O.format && strcmp(O.format, "text") && strcmp(O.format, "json") &&
		    strcmp(O.format, "csv") && strcmp(O.format, "ics"))
			return usage_error(
			    "--format %s: expected text, json, csv or ics (a placement answer)", O.format);
		if (O.by && strcmp(O.by, "participant") && strcmp(O.by, "placement"))
			return usage_error("--by %s: a placement answer is shown by participant or "
					   "placement",
					   O.by);
		is_tt = false;
	} else if (O.format) {
		bool ok = false;
		for (int i = 0; !ok && !is_itc && tt[i]; i++)
			ok = strcmp(O.format, tt[i]) == 0;
		for (int i = 0; !ok && !is_tt && itc[i]; i++)
			ok = strcmp(O.format, itc[i]) == 0;
		if (!ok)
			return usage_error("--format %s: expected %s", O.format,
					   is_itc ? "text, json, csv or sol (an itc2007 answer)"
					   : is_tt ? "text, json, csv, ics or html"
						   : "text, json, csv, ics, html or sol");
	}
	enum render_by by;
	render_opts ro = {.by = O.by};
	/* (a kind not known yet may be a placement's, checked when it is) */
	bool pm_by = !is_tt && !is_itc && O.by &&
		     (strcmp(O.by, "participant") == 0 || strcmp(O.by, "placement") == 0);
	if (!pm_by && render_by_parse(&ro, &by))
		return EXIT_USAGE;
	if (O.out && strcmp(O.out, "-") != 0) {
		struct stat st;
		if (stat(O.out, &st) == 0) {
			if (S_ISDIR(st.st_mode))
				return usage_error("-o %s: is a directory", O.out);
			if (access(O.out, W_OK) != 0)
				return usage_error("-o %s: %s", O.out, strerror(errno));
		} else {
			int err = dir_access(O.out);
			if (err)
				return usage_error("-o %s: %s", O.out, strerror(err));
		}
	}
	return 0;
}

/* An ITC2007 answer: summary, then one "course room day period" line per lecture
 * (text and sol) or a CSV row per lecture. */
static int write_ctt_answer(const json_t *ans, const char *fmt, FILE *f)
{
	const json_t *sc = json_object_get(ans, "score");
	const json_t *lec = json_object_get(ans, "lectures");
	bool csv = strcmp(fmt, "csv") == 0, sol = strcmp(fmt, "sol") == 0;
	if (!csv && !sol && strcmp(fmt, "text") != 0) {
		fprintf(stderr, "rooster: --format %s: an itc2007 answer renders as text, sol, csv or "
				"json\n", fmt);
		return EXIT_USAGE;
	}
	if (!json_is_array(lec) || !json_is_object(sc)) {
		fprintf(stderr, "rooster: answer lacks field 'lectures' or 'score'\n");
		return EXIT_USAGE;
	}
	if (!csv && !sol)
		fprintf(f,
			"%s: status %s, penalty %lld (room capacity %lld, minimum working days %lld, "
			"curriculum compactness %lld, room stability %lld), hard violations %lld, "
			"%.1f s\n\n",
			json_string_value(json_object_get(ans, "name")),
			json_string_value(json_object_get(ans, "status")),
			(long long)json_integer_value(json_object_get(json_object_get(ans, "check"),
									"penalty")),
			(long long)json_integer_value(json_object_get(sc, "room_capacity")),
			(long long)json_integer_value(json_object_get(sc, "min_working_days")),
			(long long)json_integer_value(json_object_get(sc, "compactness")),
			(long long)json_integer_value(json_object_get(sc, "room_stability")),
			(long long)json_integer_value(json_object_get(sc, "hard")),
			json_real_value(json_object_get(ans, "seconds")));
	static const char *const head[] = {"course", "room", "day", "period"};
	if (csv)
		render_csv_header(f, head, 4);
	size_t i;
	const json_t *l;
	json_array_foreach(lec, i, l)
	{
		if (csv) {
			char day[24], period[24];
			snprintf(day, sizeof day, "%lld",
				 (long long)json_integer_value(json_object_get(l, "day")));
			snprintf(period, sizeof period, "%lld",
				 (long long)json_integer_value(json_object_get(l, "period")));
			render_csv_field(f, json_string_value(json_object_get(l, "course")), false);
			render_csv_field(f, json_string_value(json_object_get(l, "room")), false);
			render_csv_field(f, day, false);
			render_csv_field(f, period, true);
			continue;
		}
		fprintf(f, "%s %s %lld %lld\n",
			json_string_value(json_object_get(l, "course")),
			json_string_value(json_object_get(l, "room")),
			(long long)json_integer_value(json_object_get(l, "day")),
			(long long)json_integer_value(json_object_get(l, "period")));
	}
	return json_integer_value(json_object_get(sc, "hard")) ? EXIT_INFEASIBLE : EXIT_PLAN;
}

/* The answer in --format to -o; prev (or NULL): an earlier version of the
 * plan, whose lessons the answer no longer has an iCalendar cancels. */
static int write_answer_prev(const json_t *ans, const json_t *prev)
{
	FILE *f = open_out();
	if (!f)
		return EXIT_USAGE;
	const char *kind = json_string_value(json_object_get(ans, "kind"));
	if (kind && strcmp(kind, "itc2007") == 0 && !(O.format && strcmp(O.format, "json") == 0)) {
		int x = write_ctt_answer(ans, O.format ? O.format : "text", f);
		int w = close_out(f, x == EXIT_PLAN || x == EXIT_INFEASIBLE);
		return w && x != EXIT_USAGE ? w : x;
	}
	if (kind && strcmp(kind, "placement") == 0 && O.format && strcmp(O.format, "json") == 0 &&
	    (O.filter || O.by)) {
		close_out(f, false);
		return usage_error("--by and --filter narrow text, csv and ics; --format json is the "
				   "whole answer");
	}
	if (kind && strcmp(kind, "placement") == 0 && !(O.format && strcmp(O.format, "json") == 0)) {
		if (O.format && strcmp(O.format, "text") && strcmp(O.format, "csv") &&
		    strcmp(O.format, "ics")) {
			close_out(f, false);
			return usage_error(
			    "--format %s: a placement answer renders as text, json, csv or ics",
			    O.format);
		}
		int x = render_placement(ans, O.format ? O.format : "text", O.by, O.filter, prev, f);
		if (close_out(f, x == 0) || x)
			return EXIT_USAGE;
		const char *st = json_string_value(json_object_get(ans, "status"));
		bool bad = !json_is_true(json_object_get(json_object_get(ans, "check"), "ok"));
		return bad || (st && strcmp(st, "infeasible") == 0) ? EXIT_INFEASIBLE : EXIT_PLAN;
	}
	render_opts ro = {.by = O.by, .filter = O.filter, .previous = prev};
	int rc = 0;
	const char *fmt = O.format ? O.format : "text";
	if (strcmp(fmt, "json") == 0) {
		rc = json_dumpf(ans, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER) ? RS_EIO : 0;
		fputc('\n', f);
		if (rc)
			fprintf(stderr, "rooster: %s: could not write the answer: %s\n",
				O.out ? O.out : "-", strerror(errno));
	} else if (strcmp(fmt, "text") == 0) {
		rc = render_text(ans, &ro, f);
	} else if (strcmp(fmt, "csv") == 0) {
		rc = render_csv(ans, &ro, f);
	} else if (strcmp(fmt, "ics") == 0) {
		rc = render_ics(ans, &ro, f);
	} else if (strcmp(fmt, "html") == 0) {
		rc = render_html(ans, &ro, f);
	} else {
		rc = RS_EBADREQ;
		fprintf(stderr, "rooster: --format %s: expected text, json, csv, ics or html\n", fmt);
	}
	if (close_out(f, rc == 0) || rc)
		return EXIT_USAGE;
	const char *status = json_string_value(json_object_get(ans, "status"));
	/* the same exit in every format: an itc2007 timetable with hard
	 * violations left (lectures it could not place) exits 1 as in text */
	bool hard = kind && strcmp(kind, "itc2007") == 0 &&
		    json_integer_value(json_object_get(json_object_get(ans, "score"), "hard")) > 0;
	/* and a timetable the checker flags (a must-place learner left
	 * waiting, not proven impossible, breaks a hard rule) */
	const json_t *ok = json_object_get(json_object_get(ans, "check"), "ok");
	bool flagged = json_is_boolean(ok) && !json_is_true(ok);
	return hard || flagged || (status && strcmp(status, "infeasible") == 0) ? EXIT_INFEASIBLE
										 : EXIT_PLAN;
}

/* --previous FILE, read; NULL (and *rc set) when unreadable; NULL with
 * *rc 0 when not given. */
static json_t *read_previous(int *rc)
{
	json_t *prev = NULL;
	*rc = 0;
	if (O.previous && read_json(O.previous, &prev))
		*rc = EXIT_USAGE;
	return prev;
}

static int write_answer(const json_t *ans)
{
	int rc;
	json_t *prev = read_previous(&rc);
	if (rc)
		return rc;
	rc = write_answer_prev(ans, prev);
	json_decref(prev);
	return rc;
}

static int print_json(const msgpack_object *o)
{
	json_t *j = msgpack_to_json(o);
	json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(j);
	return EXIT_PLAN;
}

/* ---- notifications: progress line on a terminal ---- */

typedef struct watch_state {
	char job[64];
	bool tty, shown;
} watch_state;

static void on_notify(void *ud, const char *method, const msgpack_object *p)
{
	watch_state *w = ud;
	if (strcmp(method, "job.accepted") == 0) {
		rooster_get_str(p, "job", w->job, sizeof w->job);
		if (w->tty && !O.quiet)
			fprintf(stderr, "job %s accepted\n", w->job);
	} else if (strcmp(method, "job.progress") == 0 && w->tty && !O.quiet) {
		mp_ctx c;
		mp_init(&c);
		double inc = NAN, bound = NAN, gap = NAN, el = 0;
		mp_field_num(&c, p, "incumbent", false, -1e300, 1e300, &inc);
		mp_field_num(&c, p, "bound", false, -1e300, 1e300, &bound);
		mp_field_num(&c, p, "gap", false, 0, 1e300, &gap);
		mp_field_num(&c, p, "elapsed", false, 0, 1e300, &el);
		char phase[32] = "";
		rooster_get_str(p, "phase", phase, sizeof phase);
		fprintf(stderr, "\r\033[K%6.1f s  %-10s incumbent %-12.6g bound %-12.6g gap %s", el,
			phase, inc, bound, isfinite(gap) ? "" : "-");
		if (isfinite(gap))
			fprintf(stderr, "%.2f %%", 100 * gap);
		w->shown = true;
	} else if (strcmp(method, "job.done") == 0 && w->shown) {
		fprintf(stderr, "\r\033[K");
		w->shown = false;
	}
}

static int interrupted(void *ud)
{
	(void)ud;
	return g_interrupted;
}

/* Ctrl-C during a wait: ask whether to cancel the job or detach. 1 = cancel. */
static int ask_cancel(const char *job)
{
	FILE *tty = fopen("/dev/tty", "r+");
	if (!tty)
		return 0;
	fprintf(tty, "\nInterrupted. Cancel job %s (c) or detach and leave it running (d)? [d] ",
		job);
	fflush(tty);
	char line[16] = "";
	if (!fgets(line, sizeof line, tty))
		line[0] = 'd';
	fclose(tty);
	return line[0] == 'c' || line[0] == 'C';
}

/* Ctrl-C during a wait: cancel the job (then wait for its end) or detach.
 * Returns -1 to keep waiting, else the exit code. */
static int interrupted_wait(rooster_client *c, const char *job)
{
	if (!ask_cancel(job)) {
		fprintf(stderr, "detached; the job goes on. Fetch it with: rooster job result %s\n",
			job);
		return EXIT_PLAN;
	}
	msgpack_object res;
	rooster_error e;
	int rc = rooster_job(c, "job.cancel", job, O.tenant, false, &res, &e);
	if (rc)
		return server_failed(&e);
	fprintf(stderr, "cancelling job %s; waiting for its best plan\n", job);
	return -1;
}

/* Wait for a job's result through job.result {wait: true}; interrupted says
 * the user already pressed Ctrl-C once. */
static int wait_result(rooster_client *c, const char *job, watch_state *w, bool interrupted)
{
	for (;;) {
		if (interrupted) {
			int x = w->tty ? interrupted_wait(c, job) : EXIT_PLAN;
			if (x >= 0)
				return x;
			interrupted = false;
		}
		msgpack_object res;
		rooster_error e;
		g_interrupted = 0;
		int rc = rooster_job(c, "job.result", job, O.tenant, true, &res, &e);
		if (rc == RS_ECANCELLED && g_interrupted) {
			interrupted = true;
			continue;
		}
		if (rc)
			return server_failed(&e);
		json_t *ans = msgpack_to_json(&res);
		int x = write_answer(ans);
		json_decref(ans);
		return x;
	}
}

/* ---- commands ---- */

static int cmd_ping(int argc, char **argv)
{
	(void)argc, (void)argv;
	rooster_client *c;
	int rc = connect_server(&c);
	if (rc)
		return rc;
	msgpack_object res;
	rooster_error e;
	if (rooster_call(c, "server.hello", NULL, 0, &res, &e)) {
		rc = server_failed(&e);
	} else if (O.format && strcmp(O.format, "json") == 0) {
		print_json(&res);
	} else {
		char ver[32] = "", glpk[32] = "";
		rooster_get_str(&res, "version", ver, sizeof ver);
		rooster_get_str(mp_get(&res, "solvers"), "glpk", glpk, sizeof glpk);
		const msgpack_object *pv = mp_get(&res, "protocol");
		printf("roosterd %s, protocol %llu, GLPK %s\n", ver,
		       pv ? (unsigned long long)pv->via.u64 : 0ULL, glpk);
	}
	rooster_close(c);
	return rc;
}

static int simple_call(const char *method, const void *params, size_t plen)
{
	rooster_client *c;
	int rc = connect_server(&c);
	if (rc)
		return rc;
	msgpack_object res;
	rooster_error e;
	if (rooster_call(c, method, params, plen, &res, &e))
		rc = server_failed(&e);
	else
		print_json(&res);
	rooster_close(c);
	return rc;
}

static int cmd_stats(int argc, char **argv)
{
	(void)argc, (void)argv;
	return simple_call("server.stats", NULL, 0);
}

static void set_num(json_t *req, const char *k, double v)
{
	if (v >= 0)
		json_object_set_new(req, k, json_real(v));
}

/* `solve --export-lp FILE`: the straightforward model of the request as a
 * CPLEX LP file, for glpsol and cbc; no server is involved. Takes req. */
static int export_lp(const char *path, json_t *req)
{
	msgpack_sbuffer sb;
	msgpack_sbuffer_init(&sb);
	msgpack_packer pk;
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	json_to_msgpack(&pk, req);
	json_decref(req);
	msgpack_unpacked u;
	msgpack_unpacked_init(&u);
	size_t off = 0;
	int rc = EXIT_USAGE;
	tt_model m;
	if (msgpack_unpack_next(&u, sb.data, sb.size, &off) == MSGPACK_UNPACK_SUCCESS) {
		if (decode_model(&u.data, path, &m) == 0) {
			int x = tt_export_lp(&m, O.export_lp);
			if (x)
				fprintf(stderr, "rooster: cannot write %s: %s\n", O.export_lp,
					rs_err_message(x));
			rc = x ? EXIT_USAGE : EXIT_PLAN;
			tt_model_free(&m);
		}
	}
	msgpack_unpacked_destroy(&u);
	msgpack_sbuffer_destroy(&sb);
	return rc;
}

/* method (plan.diff, plan.get) on plan with one integer parameter (key v)
 * and --tenant: the result as JSON, or NULL with *e set. */
static json_t *plan_call(rooster_client *c, const char *method, const char *plan, const char *key,
			 int64_t v, rooster_error *e)
{
	msgpack_sbuffer sb;
	msgpack_sbuffer_init(&sb);
	msgpack_packer pk;
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, O.tenant ? 3 : 2);
	mp_pack_kv_str(&pk, "plan", plan);
	mp_pack_kv_int(&pk, key, v);
	if (O.tenant)
		mp_pack_kv_str(&pk, "tenant", O.tenant);
	msgpack_object res;
	json_t *j = rooster_call(c, method, sb.data, sb.size, &res, e) == 0 ? msgpack_to_json(&res)
									 : NULL;
	msgpack_sbuffer_destroy(&sb);
	return j;
}

/* After a re-plan printed as text on the terminal's stdout: who it moves,
 * from plan.diff (the details: rooster plan diff). Best effort: a failure
 * here only leaves the summary out. */
static void replan_summary(rooster_client *c, const json_t *ans)
{
	const char *plan = json_string_value(json_object_get(ans, "plan"));
	json_int_t version = json_integer_value(json_object_get(ans, "version"));
	if ((O.format && strcmp(O.format, "text") != 0) || (O.out && strcmp(O.out, "-") != 0) ||
	    !plan || version < 2)
		return;
	rooster_error e;
	json_t *d = plan_call(c, "plan.diff", plan, "to", version, &e);
	if (d) {
		printf("\n");
		if (render_diff_summary(d, stdout) == 0)
			printf("details: rooster plan diff %s\n", plan);
		json_decref(d);
	}
}

static int cmd_solve(int argc, char **argv)
{
	if (argc != 1)
		return usage_error("solve: expected one REQUEST.json");
	json_t *req;
	if (read_request(argv[0], &req))
		return EXIT_USAGE;
	if (O.export_lp)
		return export_lp(argv[0], req);
	set_num(req, "time_limit", O.time_limit);
	set_num(req, "gap", O.gap);
	if (O.seed >= 0)
		json_object_set_new(req, "seed", json_integer(O.seed));
	if (O.node_limit >= 0)
		json_object_set_new(req, "node_limit", json_integer(O.node_limit));
	if (O.tenant)
		json_object_set_new(req, "tenant", json_string(O.tenant));
	if (O.replan) {
		json_t *r = json_object();
		json_object_set_new(r, "plan", json_string(O.replan));
		if (O.version > 0)
			json_object_set_new(r, "version", json_integer(O.version));
		json_object_set_new(req, "replan", r);
	}
	json_object_set_new(req, "wait", json_boolean(!O.no_wait));
	const char *kind = json_string_value(json_object_get(req, "kind"));
	const char *method = "timetable.solve";
	if (kind && strcmp(kind, "placement") == 0)
		method = "placement.match";
	else if (kind && strcmp(kind, "timetable") != 0 && strcmp(kind, "itc2007") != 0) {
		fprintf(stderr, "rooster: kind '%s' has no solve method in this version\n", kind);
		json_decref(req);
		return EXIT_USAGE;
	}
	if (check_output_options(kind ? kind : "timetable")) {
		json_decref(req);
		return EXIT_USAGE;
	}
	msgpack_sbuffer sb;
	msgpack_sbuffer_init(&sb);
	msgpack_packer pk;
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	json_to_msgpack(&pk, req);
	json_decref(req);

	rooster_client *c;
	int rc = connect_server(&c);
	if (rc) {
		msgpack_sbuffer_destroy(&sb);
		return rc;
	}
	watch_state w = {.tty = isatty(2)};
	rooster_on_notify(c, on_notify, &w);
	rooster_on_interrupt(c, interrupted, NULL);
	signal(SIGINT, on_sigint);
	msgpack_object res;
	rooster_error e;
	rc = rooster_call(c, method, sb.data, sb.size, &res, &e);
	msgpack_sbuffer_destroy(&sb);
	if (rc == RS_ECANCELLED && g_interrupted && *w.job) {
		rc = wait_result(c, w.job, &w, true);
	} else if (rc) {
		rc = server_failed(&e);
	} else if (O.no_wait) {
		rc = print_json(&res);
	} else {
		json_t *ans = msgpack_to_json(&res);
		rc = write_answer(ans);
		if (O.replan && rc == EXIT_PLAN)
			replan_summary(c, ans);
		json_decref(ans);
	}
	rooster_close(c);
	return rc;
}

static int cmd_job(int argc, char **argv)
{
	if (argc < 1)
		return usage_error("job: expected status, request, result, cancel, list or watch");
	const char *sub = argv[0];
	if (strcmp(sub, "list") == 0) {
		msgpack_sbuffer sb;
		msgpack_sbuffer_init(&sb);
		msgpack_packer pk;
		msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
		msgpack_pack_map(&pk, O.tenant ? 1 : 0);
		if (O.tenant)
			mp_pack_kv_str(&pk, "tenant", O.tenant);
		int rc = simple_call("job.list", sb.data, sb.size);
		msgpack_sbuffer_destroy(&sb);
		return rc;
	}
	if (argc != 2)
		return usage_error("job %s: expected a JOB id", sub);
	const char *method = strcmp(sub, "status") == 0    ? "job.status"
			     : strcmp(sub, "cancel") == 0  ? "job.cancel"
			     : strcmp(sub, "watch") == 0   ? "job.watch"
			     : strcmp(sub, "result") == 0  ? "job.result"
			     : strcmp(sub, "request") == 0 ? "job.request"
							   : NULL;
	if (!method)
		return usage_error("job: unknown subcommand '%s'", sub);
	if (strcmp(sub, "result") == 0 || strcmp(sub, "watch") == 0) {
		rooster_client *c;
		int rc = connect_server(&c);
		if (rc)
			return rc;
		watch_state w = {.tty = isatty(2)};
		snprintf(w.job, sizeof w.job, "%s", argv[1]);
		rooster_on_notify(c, on_notify, &w);
		rooster_on_interrupt(c, interrupted, NULL);
		signal(SIGINT, on_sigint);
		rc = wait_result(c, argv[1], &w, false);
		rooster_close(c);
		return rc;
	}
	rooster_client *c;
	int rc = connect_server(&c);
	if (rc)
		return rc;
	msgpack_object res;
	rooster_error e;
	if (rooster_job(c, method, argv[1], O.tenant, false, &res, &e)) {
		rc = server_failed(&e);
	} else if (strcmp(sub, "request") == 0) {
		/* to -o as JSON: the file `rooster check` reads */
		FILE *f = open_out();
		json_t *j = f ? msgpack_to_json(&res) : NULL;
		int w = f ? json_dumpf(j, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : -1;
		if (f)
			fputc('\n', f);
		json_decref(j);
		rc = !f || close_out(f, w == 0) || w ? EXIT_USAGE : EXIT_PLAN;
	} else {
		print_json(&res);
	}
	rooster_close(c);
	return rc;
}

/* A diff (tt_diff's map) as text or JSON, to stdout or -o. */
static int write_diff(const msgpack_object *d)
{
	const char *fmt = O.format ? O.format : "text";
	if (strcmp(fmt, "text") != 0 && strcmp(fmt, "json") != 0)
		return usage_error("--format %s: a diff is text or json", fmt);
	FILE *f = open_out();
	if (!f)
		return EXIT_USAGE;
	json_t *j = msgpack_to_json(d);
	int rc = strcmp(fmt, "json") == 0
		     ? (json_dumpf(j, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER) ? RS_EIO : 0)
		     : render_diff_text(j, f);
	if (strcmp(fmt, "json") == 0)
		fputc('\n', f);
	json_decref(j);
	if (close_out(f, rc == 0) || rc)
		return EXIT_USAGE;
	return EXIT_PLAN;
}

/* Version v of plan on the server, as JSON; NULL (saying why on stderr)
 * when it cannot be had: the calendar then cancels nothing. */
static json_t *fetch_version(rooster_client *c, const char *plan, int v)
{
	rooster_error e;
	json_t *j = plan_call(c, "plan.get", plan, "version", v, &e);
	if (!j)
		fprintf(stderr, "rooster: version %d (to cancel its lessons that moved): %s\n", v,
			e.message);
	return j;
}

static int cmd_plan(int argc, char **argv)
{
	const char *sub = argc == 2 ? argv[0] : "";
	const char *method = strcmp(sub, "get") == 0	     ? "plan.get"
			     : strcmp(sub, "history") == 0 ? "plan.history"
			     : strcmp(sub, "diff") == 0    ? "plan.diff"
							   : NULL;
	if (!method)
		return usage_error("plan: expected 'plan get|history|diff PLAN'");
	bool is_get = strcmp(sub, "get") == 0, is_diff = strcmp(sub, "diff") == 0;
	msgpack_sbuffer sb;
	msgpack_sbuffer_init(&sb);
	msgpack_packer pk;
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, (size_t)(1 + (is_get ? 1 : 0) + (O.tenant ? 1 : 0) +
				       (is_diff && O.from >= 0 ? 1 : 0) +
				       (is_diff && O.to >= 0 ? 1 : 0)));
	mp_pack_kv_str(&pk, "plan", argv[1]);
	if (is_get)
		mp_pack_kv_int(&pk, "version", O.version);
	if (O.tenant)
		mp_pack_kv_str(&pk, "tenant", O.tenant);
	if (is_diff && O.from >= 0)
		mp_pack_kv_int(&pk, "from", O.from);
	if (is_diff && O.to >= 0)
		mp_pack_kv_int(&pk, "to", O.to);
	rooster_client *c;
	int rc = connect_server(&c);
	if (rc) {
		msgpack_sbuffer_destroy(&sb);
		return rc;
	}
	msgpack_object res;
	rooster_error e;
	if (rooster_call(c, method, sb.data, sb.size, &res, &e)) {
		rc = server_failed(&e);
	} else if (is_diff) {
		rc = write_diff(&res);
	} else if (!is_get) {
		rc = print_json(&res);
	} else {
		json_t *ans = msgpack_to_json(&res);
		json_t *prev = read_previous(&rc);
		const json_t *par = json_object_get(ans, "parent");
		const char *kind = json_string_value(json_object_get(ans, "kind"));
		long long ver = json_integer_value(json_object_get(ans, "version"));
		/* a placement's events have no end: a calendar that imported the
		 * version before this one (a re-match may start from an older
		 * one) drops what this one lacks only by its cancellations */
		if (kind && strcmp(kind, "placement") == 0 && ver > 1)
			par = json_integer((json_int_t)(ver - 1));
		else
			json_incref((json_t *)par);
		if (!rc && !prev && O.format && strcmp(O.format, "ics") == 0 && json_is_integer(par))
			prev = fetch_version(c, argv[1], (int)json_integer_value(par));
		json_decref((json_t *)par);
		if (!rc)
			rc = write_answer_prev(ans, prev);
		json_decref(prev);
		json_decref(ans);
	}
	msgpack_sbuffer_destroy(&sb);
	rooster_close(c);
	return rc;
}

static int read_text(const char *path, char **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "rooster: %s: %s\n", path, strerror(errno));
		return EXIT_USAGE;
	}
	size_t cap = 1 << 16;
	*buf = xmalloc(cap);
	*len = 0;
	size_t n;
	while ((n = fread(*buf + *len, 1, cap - *len, f)) > 0) {
		*len += n;
		if (cap - *len < 4096)
			*buf = xrealloc(*buf, cap *= 2);
	}
	if (ferror(f)) { /* a directory, say: not an empty file */
		int e = errno;
		fclose(f);
		free(*buf);
		*buf = NULL;
		fprintf(stderr, "rooster: %s: %s\n", path, strerror(e));
		return EXIT_USAGE;
	}
	fclose(f);
	return 0;
}

/* The packed JSON of path in sb, unpacked into u. */
static int unpack_sbuf(const char *path, const msgpack_sbuffer *sb, msgpack_unpacked *u)
{
	size_t off = 0;
	if (msgpack_unpack_next(u, sb->data, sb->size, &off) != MSGPACK_UNPACK_SUCCESS) {
		/* valid JSON that msgpack-c will not unpack: nesting past its
		 * 32 levels (a request or answer nests 5 at most) */
		fprintf(stderr, "rooster: %s: nested deeper than 32 levels\n", path);
		return EXIT_USAGE;
	}
	return 0;
}

static int unpack_file(const char *path, msgpack_sbuffer *sb, msgpack_unpacked *u)
{
	char err[512];
	msgpack_unpacked_init(u); /* the caller destroys u whatever this returns */
	if (json_file_to_msgpack(path, sb, err, sizeof err)) {
		fprintf(stderr, "rooster: %s\n", err);
		return EXIT_USAGE;
	}
	return unpack_sbuf(path, sb, u);
}

/* The request at path, with --start's answer as its start when given (as
 * rooster solve --start sends it), unpacked. */
static int unpack_request(const char *path, msgpack_sbuffer *sb, msgpack_unpacked *u)
{
	if (!O.start)
		return unpack_file(path, sb, u);
	msgpack_unpacked_init(u);
	json_t *req;
	if (read_request(path, &req))
		return EXIT_USAGE;
	msgpack_packer pk;
	msgpack_packer_init(&pk, sb, msgpack_sbuffer_write);
	json_to_msgpack(&pk, req);
	json_decref(req);
	return unpack_sbuf(path, sb, u);
}

static int check_ctt(const char *ctt_path, const char *sol_path)
{
	char *text, *sol_text;
	size_t len, slen;
	if (read_text(ctt_path, &text, &len))
		return EXIT_USAGE;
	ctt_instance inst;
	char err[512];
	if (ctt_parse(text, len, &inst, err, sizeof err)) {
		fprintf(stderr, "rooster: %s: %s\n", ctt_path, err);
		free(text);
		return EXIT_USAGE;
	}
	free(text);
	if (read_text(sol_path, &sol_text, &slen)) {
		ctt_instance_free(&inst);
		return EXIT_USAGE;
	}
	ctt_solution sol;
	int rc;
	size_t k = 0;
	/* a JSON answer may begin with a byte-order mark and any white space */
	if (slen >= 3 && memcmp(sol_text, "\xef\xbb\xbf", 3) == 0)
		k = 3;
	while (k < slen && (sol_text[k] == ' ' || sol_text[k] == '\n' || sol_text[k] == '\t' ||
			    sol_text[k] == '\r'))
		k++;
	/* what a JSON answer claims, compared with the checker's figures */
	enum { N_CLAIMS = 13 };
	static const char *const claim_names[N_CLAIMS] = {
	    "objective",	"check.penalty",	"score.hard",
	    "score.missing_lectures", "score.extra_lectures", "score.room_conflicts",
	    "score.curriculum_conflicts", "score.teacher_conflicts", "score.unavailability",
	    "score.room_capacity", "score.min_working_days", "score.compactness",
	    "score.room_stability"};
	double claim[N_CLAIMS];
	bool claimed[N_CLAIMS] = {false};
	if (k < slen && sol_text[k] == '{') { /* our JSON answer */
		msgpack_sbuffer sb;
		msgpack_sbuffer_init(&sb);
		msgpack_unpacked u;
		rc = unpack_file(sol_path, &sb, &u) ? RS_EBADREQ : 0;
		err[0] = '\0'; /* unpack_file has said what is wrong */
		mp_ctx c;
		mp_init(&c);
		if (!rc && (rc = ctt_solution_from_answer(&inst, &u.data, &sol, &c)))
			snprintf(err, sizeof err, "%s", c.err);
		for (int q = 0; !rc && q < N_CLAIMS; q++) {
			const char *dot = strchr(claim_names[q], '.');
			char part[32];
			const msgpack_object *o = &u.data;
			if (dot) {
				snprintf(part, sizeof part, "%.*s", (int)(dot - claim_names[q]),
					 claim_names[q]);
				o = mp_get(o, part);
			}
			o = o ? mp_get(o, dot ? dot + 1 : claim_names[q]) : NULL;
			if (o && o->type == MSGPACK_OBJECT_POSITIVE_INTEGER)
				claim[q] = (double)o->via.u64, claimed[q] = true;
			else if (o && o->type == MSGPACK_OBJECT_NEGATIVE_INTEGER)
				claim[q] = (double)o->via.i64, claimed[q] = true;
			else if (o && (o->type == MSGPACK_OBJECT_FLOAT64 ||
				       o->type == MSGPACK_OBJECT_FLOAT32))
				claim[q] = o->via.f64, claimed[q] = true;
		}
		msgpack_unpacked_destroy(&u);
		msgpack_sbuffer_destroy(&sb);
	} else {
		rc = ctt_parse_sol(&inst, sol_text, slen, &sol, err, sizeof err);
	}
	free(sol_text);
	if (rc) {
		if (*err)
			fprintf(stderr, "rooster: %s: %s\n", sol_path, err);
		ctt_instance_free(&inst);
		return EXIT_USAGE;
	}
	ctt_score sc;
	ctt_check(&inst, &sol, &sc);
	int hard = sc.hard;
	printf("%s: hard violations %d (missing lectures %d, extra lectures %d, room conflicts %d, "
	       "curriculum conflicts %d, teacher conflicts %d, unavailability %d)\n",
	       inst.name ? inst.name : ctt_path, hard, sc.missing_lectures, sc.extra_lectures,
	       sc.room_conflicts, sc.curriculum_conflicts, sc.teacher_conflicts,
	       sc.unavailability);
	printf("penalty %d = room capacity %d + minimum working days %d + curriculum compactness "
	       "%d + room stability %d\n",
	       sc.soft, sc.room_capacity, sc.min_working_days, sc.compactness, sc.room_stability);
	const int actual[N_CLAIMS] = {sc.soft,
				      sc.soft,
				      sc.hard,
				      sc.missing_lectures,
				      sc.extra_lectures,
				      sc.room_conflicts,
				      sc.curriculum_conflicts,
				      sc.teacher_conflicts,
				      sc.unavailability,
				      sc.room_capacity,
				      sc.min_working_days,
				      sc.compactness,
				      sc.room_stability};
	int differs = 0;
	for (int q = 0; q < N_CLAIMS; q++)
		if (claimed[q] && claim[q] != actual[q]) {
			printf("the answer claims %s %g, the checker finds %d: DIFFERS\n",
			       claim_names[q], claim[q], actual[q]);
			differs++;
		}
	ctt_solution_free(&sol);
	ctt_instance_free(&inst);
	return hard || differs ? EXIT_INFEASIBLE : EXIT_PLAN;
}

/* rooster check for a placement request and answer (docs/placement.md). */
static int check_placement(const msgpack_object *req, const char *rpath, const msgpack_object *ans,
			   const char *apath)
{
	pm_limits lim;
	pm_limits_default(&lim);
	pm_model m;
	mp_ctx c;
	mp_init(&c);
	if (pm_decode(req, &lim, &m, &c)) {
		fprintf(stderr, "rooster: %s: %s: %s\n", rpath, c.field, c.err);
		return EXIT_USAGE;
	}
	const msgpack_object *rp = mp_get(req, "replan"), *job = mp_get(ans, "job");
	const char *jp;
	size_t jn;
	if (rp && rp->type != MSGPACK_OBJECT_NIL)
		fprintf(stderr,
			"rooster: %s: a re-match: the daemon gave each participant its placement in "
			"that plan as current and set the moved weight, which this file does not hold "
			"(rooster job request %.*s -o FILE writes the request as the job stored it)\n",
			rpath, mp_str(job, &jp, &jn) ? (int)jn : 3, mp_str(job, &jp, &jn) ? jp : "JOB");
	const msgpack_object *lf = mp_get(req, "lessons_from");
	if (m.lessons_from.plan && !mp_get(lf, "participants"))
		fprintf(stderr,
			"rooster: %s: the lessons from timetable %s are added by the daemon, and this "
			"file does not hold them: lessons are checked as the file lists them (rooster "
			"job request JOB -o FILE writes the request as the job stored it)\n",
			rpath, m.lessons_from.plan);
	pm_solution s;
	mp_init(&c);
	if (pm_decode_solution(ans, &m, &s, &c)) {
		fprintf(stderr, "rooster: %s: %s: %s\n", apath, c.field, c.err);
		pm_model_free(&m);
		return EXIT_USAGE;
	}
	pm_check_result r;
	pm_check(&m, &s, &r);
	for (int i = 0; i < r.n_violations; i++)
		printf("violation: %s: %s\n", r.violations[i].constraint, r.violations[i].message);
	printf("%d violations; objective recomputed %.6g (answer says %.6g: %s)\n", r.n_violations,
	       r.objective, s.objective, r.objective_matches ? "matches" : "DIFFERS");
	int rc = r.n_violations || !r.objective_matches ? EXIT_INFEASIBLE : EXIT_PLAN;
	pm_check_free(&r);
	pm_solution_free(&s);
	pm_model_free(&m);
	return rc;
}

static int cmd_check(int argc, char **argv)
{
	if (O.ctt) {
		if (argc != 2)
			return usage_error("check --ctt: expected FILE.ctt SOLUTION");
		return check_ctt(argv[0], argv[1]);
	}
	if (argc != 2)
		return usage_error("check: expected REQUEST.json SOLUTION.json");
	msgpack_sbuffer rb, sb;
	msgpack_sbuffer_init(&rb);
	msgpack_sbuffer_init(&sb);
	msgpack_unpacked ru, su;
	msgpack_unpacked_init(&ru);
	msgpack_unpacked_init(&su);
	int rc = unpack_request(argv[0], &rb, &ru);
	if (!rc)
		rc = unpack_file(argv[1], &sb, &su);
	if (rc)
		goto end;
	if (mp_eq(mp_get(&ru.data, "kind"), "placement")) {
		rc = check_placement(&ru.data, argv[0], &su.data, argv[1]);
		goto end;
	}
	tt_model m;
	if ((rc = decode_model(&ru.data, argv[0], &m)))
		goto end;
	tt_solution s;
	mp_ctx c;
	mp_init(&c);
	if (tt_decode_solution(&su.data, &m, &s, &c)) {
		fprintf(stderr, "rooster: %s: %s\n", argv[1], c.err);
		tt_model_free(&m);
		rc = EXIT_USAGE;
		goto end;
	}
	/* an optimal answer meets the wanted gap: --gap's, else the one the
	 * answer says its solve was given (wanted_gap), else the request's,
	 * else the solver's default 0.0001 (so does a gap of 0) */
	double want = O.gap;
	if (want < 0 && s.gap_wanted > 0)
		want = s.gap_wanted;
	mp_ctx gc;
	mp_init(&gc);
	if (want < 0 && ru.data.type == MSGPACK_OBJECT_MAP)
		mp_field_num(&gc, &ru.data, "gap", false, 0, 1, &want);
	s.gap_wanted = want > 0 ? want : 1e-4;
	/* a re-plan's answer names its parent version: its request had the
	 * re-plan's moved weight unless it set one (the daemon added it) */
	const msgpack_object *par = mp_get(&su.data, "parent");
	const msgpack_object *mw = mp_get(mp_get(&ru.data, "weights"), "moved");
	if (par && par->type == MSGPACK_OBJECT_POSITIVE_INTEGER &&
	    (!mw || mw->type == MSGPACK_OBJECT_NIL)) {
		m.w.moved = TT_REPLAN_MOVED;
		printf("a re-plan of version %llu: weights.moved %d, a re-plan's default\n",
		       (unsigned long long)par->via.u64, TT_REPLAN_MOVED);
	}
	tt_check_result r;
	tt_check(&m, &s, &r);
	for (int i = 0; i < r.n_violations; i++)
		printf("violation: %s: %s\n", r.violations[i].constraint, r.violations[i].message);
	printf("%d violations; objective recomputed %.6g (answer says %.6g: %s)\n",
	       r.n_violations, r.objective, s.objective,
	       r.objective_matches ? "matches" : "DIFFERS");
	/* a moved term needs the start it was counted against */
	if (!m.has_start && s.claims && s.terms.moved > 0) {
		const msgpack_object *pl = mp_get(&su.data, "plan");
		const char *pp = NULL;
		size_t pn = 0;
		if (par && par->type == MSGPACK_OBJECT_POSITIVE_INTEGER && pl && mp_str(pl, &pp, &pn))
			printf("hint: the answer counts %.6g for learners moved from its start (a re-plan "
			       "of version %llu): check with --start and that version's answer "
			       "(rooster plan get %.*s --version %llu --format json)\n",
			       s.terms.moved, (unsigned long long)par->via.u64, (int)pn, pp,
			       (unsigned long long)par->via.u64);
		else
			printf("hint: the answer counts %.6g for learners moved from its start: check "
			       "with --start and the answer it was solved from\n",
			       s.terms.moved);
	}
	rc = r.n_violations || !r.objective_matches ? EXIT_INFEASIBLE : EXIT_PLAN;
	tt_check_free(&r);
	tt_solution_free(&s);
	tt_model_free(&m);
end:
	msgpack_unpacked_destroy(&ru);
	msgpack_unpacked_destroy(&su);
	msgpack_sbuffer_destroy(&rb);
	msgpack_sbuffer_destroy(&sb);
	return rc;
}

static int cmd_diff(int argc, char **argv)
{
	if (argc != 2)
		return usage_error("diff: expected BEFORE.json AFTER.json");
	msgpack_sbuffer sb[2];
	msgpack_unpacked u[2];
	int rc = 0;
	for (int i = 0; i < 2; i++) {
		msgpack_sbuffer_init(&sb[i]);
		if (!rc)
			rc = unpack_file(argv[i], &sb[i], &u[i]);
		else
			msgpack_unpacked_init(&u[i]);
	}
	if (!rc) {
		msgpack_sbuffer out;
		msgpack_sbuffer_init(&out);
		msgpack_packer pk;
		msgpack_packer_init(&pk, &out, msgpack_sbuffer_write);
		mp_ctx c;
		mp_init(&c);
		bool why = tt_diff_is_parent(&u[0].data, &u[1].data),
		     pm = mp_eq(mp_get(&u[1].data, "kind"), "placement");
		if (pm ? pm_diff(&u[0].data, &u[1].data, &pk, &c)
		       : tt_diff(&u[0].data, &u[1].data, why, &pk, &c)) {
			fprintf(stderr, "rooster: %s\n", c.err);
			rc = EXIT_USAGE;
		} else {
			msgpack_unpacked d;
			msgpack_unpacked_init(&d);
			rc = unpack_sbuf("diff", &out, &d);
			if (!rc)
				rc = write_diff(&d.data);
			msgpack_unpacked_destroy(&d);
		}
		msgpack_sbuffer_destroy(&out);
	}
	for (int i = 0; i < 2; i++) {
		msgpack_unpacked_destroy(&u[i]);
		msgpack_sbuffer_destroy(&sb[i]);
	}
	return rc;
}

static int cmd_render(int argc, char **argv)
{
	if (argc != 1)
		return usage_error("render: expected one SOLUTION.json");
	json_t *ans;
	if (read_json(argv[0], &ans))
		return EXIT_USAGE;
	int rc = write_answer(ans);
	json_decref(ans);
	return rc;
}

static int cmd_import(int argc, char **argv)
{
	if (argc != 2 || strcmp(argv[0], "ctt") != 0)
		return usage_error("import: expected 'import ctt FILE.ctt'");
	char *text;
	size_t len;
	if (read_text(argv[1], &text, &len))
		return EXIT_USAGE;
	ctt_instance inst;
	char err[512];
	int rc = ctt_parse(text, len, &inst, err, sizeof err);
	free(text);
	if (rc) {
		fprintf(stderr, "rooster: %s: %s\n", argv[1], err);
		return EXIT_USAGE;
	}
	if (inst.n_courses == 0 || inst.n_rooms == 0) {
		/* the format allows it; there is nothing to schedule, and the
		 * daemon refuses such a request */
		fprintf(stderr, "rooster: %s: the instance has no %s: nothing to schedule\n", argv[1],
			inst.n_courses == 0 ? "courses" : "rooms");
		ctt_instance_free(&inst);
		return EXIT_USAGE;
	}
	json_t *req = ctt_to_json(&inst);
	ctt_instance_free(&inst);
	FILE *f = open_out();
	if (!f) {
		json_decref(req);
		return EXIT_USAGE;
	}
	int rc2 = json_dumpf(req, f, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	fputc('\n', f);
	if (rc2)
		fprintf(stderr, "rooster: %s: could not write the request: %s\n",
			O.out ? O.out : "-", strerror(errno));
	json_decref(req);
	return close_out(f, rc2 == 0) ? EXIT_USAGE : EXIT_PLAN;
}

static int cmd_erase(int argc, char **argv)
{
	msgpack_sbuffer sb;
	msgpack_sbuffer_init(&sb);
	msgpack_packer pk;
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	const char *method;
	if (argc == 2 && strcmp(argv[0], "learner") == 0) {
		method = "learner.erase";
		msgpack_pack_map(&pk, (size_t)(1 + (O.tenant ? 1 : 0)));
		mp_pack_kv_str(&pk, "learner", argv[1]);
	} else if (argc == 1 && strcmp(argv[0], "tenant") == 0) {
		if (!O.confirm) {
			msgpack_sbuffer_destroy(&sb);
			return usage_error("erase tenant removes every plan of the tenant: add --confirm");
		}
		method = "tenant.erase";
		msgpack_pack_map(&pk, (size_t)(1 + (O.tenant ? 1 : 0)));
		mp_pack_kv_bool(&pk, "confirm", true);
	} else {
		msgpack_sbuffer_destroy(&sb);
		return usage_error("erase: expected 'erase learner ID' or 'erase tenant --confirm'");
	}
	if (O.tenant)
		mp_pack_kv_str(&pk, "tenant", O.tenant);
	int rc = simple_call(method, sb.data, sb.size);
	msgpack_sbuffer_destroy(&sb);
	return rc;
}

typedef struct command {
	const char *name, *args, *help;
	int (*fn)(int argc, char **argv);
	const char *more; /* `rooster COMMAND --help` */
} command;

/* Placement matching (import gap, match) joins this table with its server
 * methods. */
static const command commands[] = {
	{"ping", "", "check the server is there: version, protocol, GLPK", cmd_ping,
	 "Options: connection options; --format json prints the whole server.hello answer.\n"},
	{"stats", "", "server statistics: connections, jobs, solve times", cmd_stats,
	 "Prints the server.stats answer as JSON.\n"},
	{"solve", "REQUEST.json", "solve a request (its kind picks the method) and print the plan",
	 cmd_solve,
	 "The request's kind (timetable or itc2007) picks the method. Waits for the plan and\n"
	 "prints it; on a terminal a progress line shows incumbent, bound, gap and time, and\n"
	 "Ctrl-C asks whether to cancel the job or detach from it.\n"
	 "Options: --time-limit S --gap F --seed N --tenant NAME override the request;\n"
	 "--no-wait prints the job at once; --format text|json|csv|ics|html, --by, --filter,\n"
	 "-o FILE choose the output; --export-lp FILE writes the straightforward MIP of the\n"
	 "request as a CPLEX LP file (for glpsol and cbc) instead of solving.\n"
	 "Exit: 0 plan, 1 infeasible or hard rules broken (check.ok false; itc2007: hard > 0),\n"
	 "2 usage, 3 connection, 4 server error.\n"},
	{"job", "status|request|result|cancel|watch JOB | list", "follow and manage jobs", cmd_job,
	 "status: the job's state; request: the request as the job stored it (with what a\n"
	 "re-plan or lessons_from added; JSON to -o, for rooster check); result: wait for and\n"
	 "print its plan; cancel: stop it (the best plan so far is kept); watch: follow its\n"
	 "progress, then print the plan; list: the tenant's jobs, newest first. --tenant NAME\n"
	 "picks the tenant.\n"},
	{"plan", "get|history|diff PLAN", "fetch a stored plan, its versions, what changed",
	 cmd_plan,
	 "get: the plan like solve prints it (--version N, else the latest; --format, --by,\n"
	 "--filter, -o; as ics, a re-plan's calendar cancels the lessons of the version it\n"
	 "was re-planned from that it no longer has). history: its versions (JSON), each with the version it was\n"
	 "re-planned from. diff: what changed for learners and teachers between --from V\n"
	 "(default: the version --to was re-planned from) and --to W (default: the latest);\n"
	 "--format text|json.\n"},
	{"diff", "BEFORE.json AFTER.json", "what changed between two saved answers", cmd_diff,
	 "Per learner whose week changed (moved, unplaced, removed, restaffed, placed,\n"
	 "added) the lessons before and after, and the teachers whose dagdelen changed.\n"
	 "--format text|json, -o FILE. No server needed.\n"},
	{"check", "REQUEST.json SOLUTION.json | --ctt FILE.ctt SOLUTION",
	 "check a plan offline with the independent checker", cmd_check,
	 "Lists every violated hard constraint and recomputes the objective; no server needed.\n"
	 "Also checks the answer's statements: its unplaced list, every running group, placed,\n"
	 "the bound, and optimal only within the wanted gap (--gap F, else the answer's\n"
	 "wanted_gap, else the request's gap).\n"
	 "With --ctt, scores an ITC2007 timetable (our JSON answer or a .sol file): hard\n"
	 "violations by kind and the UD2 penalty by term.\n"
	 "Exit: 0 no violations, 1 violations or a differing objective, 2 unreadable input.\n"},
	{"render", "SOLUTION.json", "render a saved answer (see --format)", cmd_render,
	 "--format text|json|csv|ics|html (itc2007 answers: text|sol|csv|json), --by\n"
	 "group|teacher|room|learner|location, --filter ID, -o FILE; with --format ics,\n"
	 "--previous EARLIER.json cancels its lessons this answer no longer has. No server\n"
	 "needed.\n"},
	{"import", "ctt FILE.ctt", "turn an ITC2007 track 3 instance into a request", cmd_import,
	 "Writes the request (kind itc2007) as JSON to stdout or -o FILE.\n"},
	{"erase", "learner ID | tenant --confirm", "remove a person or a tenant everywhere",
	 cmd_erase,
	 "learner ID: removes the person from every stored request and plan of the tenant;\n"
	 "tenant --confirm: deletes the tenant's jobs and plans. Prints what was removed.\n"},
};

static void help(FILE *f)
{
	fprintf(f,
		"usage: rooster [OPTIONS] COMMAND [ARGS]\n\n"
		"Commands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-7s %-40s %s\n", commands[i].name, commands[i].args, commands[i].help);
	fprintf(f,
		"\nConnection:\n"
		"  --socket PATH        Unix socket (default $ROOSTER_SOCKET or "
		"/run/roosterd/roosterd.sock)\n"
		"  --host H --port P    TCP instead (default port 7878)\n"
		"  --token-file F       file holding the TCP token\n"
		"Request overrides:\n"
		"  --time-limit S --gap F --seed N --node-limit N --tenant NAME --no-wait\n"
		"  --start ANSWER.json  (solve) begin from an earlier answer's groups; (check) the\n"
		"                       start the answer was solved from\n"
		"  --export-lp FILE     (solve) write the straightforward MIP as an LP file instead\n"
		"  --replan PLAN        (solve) a new version of a stored plan, from its latest\n"
		"                       version (or --version N) as the start\n"
		"Output:\n"
		"  --format text|json|csv|ics|html   (default text)\n"
		"  --by group|teacher|room|learner|location   --filter ID   -o FILE\n"
		"  --version N (plan get, solve --replan)   --from V --to W (plan diff)\n"
		"  --previous ANSWER.json  (ics) an earlier version of the plan: its lessons\n"
		"                       this one no longer has are written as cancelled\n"
		"  --csv-sep , | ; | tab   (csv) the separator; ';' for a spreadsheet set to\n"
		"                       Dutch conventions (decimal comma, UTF-8 byte order mark)\n"
		"  --ctt (check)   --confirm (erase tenant)   -q\n"
		"\nExit codes: 0 plan returned, 1 infeasible or violations found, 2 usage,\n"
		"3 connection, 4 server error. See rooster(1).\n");
}

int main(int argc, char **argv)
{
	O.socket = getenv("ROOSTER_SOCKET") ? getenv("ROOSTER_SOCKET") : "/run/roosterd/roosterd.sock";
	enum {
		O_SOCKET = 256, O_HOST, O_PORT, O_TOKEN, O_FORMAT, O_BY, O_FILTER, O_TL, O_GAP,
		O_SEED, O_TENANT, O_NOWAIT, O_CTT, O_CONFIRM, O_VERSION, O_EXPORT, O_NODES,
		O_START, O_REPLAN, O_FROM, O_TO, O_PREVIOUS, O_CSV_SEP
	};
	static const struct option lo[] = {
		{"socket", required_argument, NULL, O_SOCKET},
		{"host", required_argument, NULL, O_HOST},
		{"port", required_argument, NULL, O_PORT},
		{"token-file", required_argument, NULL, O_TOKEN},
		{"format", required_argument, NULL, O_FORMAT},
		{"by", required_argument, NULL, O_BY},
		{"filter", required_argument, NULL, O_FILTER},
		{"time-limit", required_argument, NULL, O_TL},
		{"gap", required_argument, NULL, O_GAP},
		{"seed", required_argument, NULL, O_SEED},
		{"node-limit", required_argument, NULL, O_NODES},
		{"start", required_argument, NULL, O_START},
		{"previous", required_argument, NULL, O_PREVIOUS},
		{"csv-sep", required_argument, NULL, O_CSV_SEP},
		{"replan", required_argument, NULL, O_REPLAN},
		{"from", required_argument, NULL, O_FROM},
		{"to", required_argument, NULL, O_TO},
		{"tenant", required_argument, NULL, O_TENANT},
		{"no-wait", no_argument, NULL, O_NOWAIT},
		{"ctt", no_argument, NULL, O_CTT},
		{"confirm", no_argument, NULL, O_CONFIRM},
		{"version", required_argument, NULL, O_VERSION},
		{"export-lp", required_argument, NULL, O_EXPORT},
		{"output", required_argument, NULL, 'o'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int ch;
	char *end;
	bool want_help = false;
	/* options may follow the command too */
	while ((ch = getopt_long(argc, argv, "o:qh", lo, NULL)) != -1) {
		switch (ch) {
		case O_SOCKET:
			O.socket = optarg;
			break;
		case O_HOST:
			O.host = optarg;
			break;
		case O_PORT:
			O.port = (int)strtol(optarg, &end, 10);
			if (*end || O.port <= 0 || O.port > 65535)
				return usage_error("--port: '%s' is not a port", optarg);
			break;
		case O_TOKEN:
			O.token_file = optarg;
			break;
		case O_FORMAT:
			O.format = optarg;
			break;
		case O_BY:
			O.by = optarg;
			break;
		case O_FILTER:
			O.filter = optarg;
			break;
		case O_TL:
			O.time_limit = strtod(optarg, &end);
			if (*end || O.time_limit <= 0)
				return usage_error("--time-limit: '%s' is not a positive number of seconds",
						   optarg);
			break;
		case O_GAP:
			O.gap = strtod(optarg, &end);
			if (*end || O.gap < 0 || O.gap > 1)
				return usage_error("--gap: '%s' is not a fraction 0..1", optarg);
			break;
		case O_SEED:
			O.seed = strtoll(optarg, &end, 10);
			if (*end || O.seed < 0 || O.seed > 4294967295LL)
				return usage_error("--seed: '%s' is not 0..4294967295", optarg);
			break;
		case O_NODES:
			O.node_limit = strtoll(optarg, &end, 10);
			if (!*optarg || *end || O.node_limit < 0 || O.node_limit > 2000000000LL)
				return usage_error("--node-limit: '%s' is not 0..2000000000", optarg);
			break;
		case O_TENANT:
			O.tenant = optarg;
			break;
		case O_NOWAIT:
			O.no_wait = true;
			break;
		case O_CTT:
			O.ctt = true;
			break;
		case O_CONFIRM:
			O.confirm = true;
			break;
		case O_VERSION: {
			long v = strtol(optarg, &end, 10);
			if (!*optarg || *end || v < 0 || v > INT32_MAX)
				return usage_error("--version: '%s' is not a version number "
						   "(0 = the latest, 1, 2, …)",
						   optarg);
			O.version = (int)v;
			break;
		}
		case O_EXPORT:
			O.export_lp = optarg;
			break;
		case O_START:
			O.start = optarg;
			break;
		case O_PREVIOUS:
			O.previous = optarg;
			break;
		case O_CSV_SEP:
			if (strcmp(optarg, ",") == 0 || strcmp(optarg, ";") == 0)
				render_csv_sep = optarg[0];
			else if (strcmp(optarg, "tab") == 0 || strcmp(optarg, "\t") == 0)
				render_csv_sep = '\t';
			else
				return usage_error("--csv-sep %s: expected ',', ';' or tab", optarg);
			break;
		case O_REPLAN:
			O.replan = optarg;
			break;
		case O_FROM:
		case O_TO: {
			long v = strtol(optarg, &end, 10);
			if (!*optarg || *end || v < 1 || v > INT32_MAX)
				return usage_error("--%s: '%s' is not a version number (1, 2, …)",
						   ch == O_FROM ? "from" : "to", optarg);
			*(ch == O_FROM ? &O.from : &O.to) = (int)v;
			break;
		}
		case 'o':
			O.out = optarg;
			break;
		case 'q':
			O.quiet = true;
			break;
		case 'h':
			want_help = true;
			break;
		default:
			return usage_error("unknown option");
		}
	}
	if (want_help && optind < argc) {
		for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
			if (strcmp(commands[i].name, argv[optind]) == 0) {
				printf("usage: rooster [OPTIONS] %s %s\n\n%s\n\n%s", commands[i].name,
				       commands[i].args, commands[i].help, commands[i].more);
				return 0;
			}
	}
	if (want_help) {
		help(stdout);
		return 0;
	}
	if (optind >= argc) {
		help(stderr);
		return EXIT_USAGE;
	}
	const char *name = argv[optind];
	if (check_output_options(NULL))
		return EXIT_USAGE;
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(commands[i].name, name) == 0)
			return commands[i].fn(argc - optind - 1, argv + optind + 1);
	return usage_error("unknown command '%s'", name);
}
