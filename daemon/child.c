/* child.c: the solve process, `roosterd --solve-child`.
 *
 * Reads a header map and the request (msgpack) from stdin, solves, runs the
 * independent checker, and writes frames to stdout:
 *   ["progress", {incumbent, bound, gap, elapsed, phase}]
 *   ["log", level, message]
 *   ["answer", {...}]          the checked answer (docs/schema.md)
 *   ["error", code, message]
 * SIGTERM asks the solver to stop and return its best plan. Running apart
 * from the daemon means a GLPK abort, a memory blow-up or an overrun costs
 * this process only. */
#include "srv.h"

#include "check_tt.h"
#include "ctt_request.h"
#include "mp.h"
#include "pm.h"
#include "rs_error.h"
#include "tt_decode.h"
#include "tt_encode.h"
#include "tt_solve.h"
#include "xalloc.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile int g_cancel;

static void on_term(int sig)
{
	(void)sig;
	g_cancel = 1;
}

/* One frame on stdout: [name, ...]; frame_open packs the array header and
 * the name, the caller packs the n_args that follow, frame_send writes it. */
typedef struct frame {
	msgpack_sbuffer sb;
	msgpack_packer pk;
} frame;

static msgpack_packer *frame_open(frame *f, const char *name, int n_args)
{
	msgpack_sbuffer_init(&f->sb);
	msgpack_packer_init(&f->pk, &f->sb, msgpack_sbuffer_write);
	msgpack_pack_array(&f->pk, (size_t)(1 + n_args));
	mp_pack_str(&f->pk, name);
	return &f->pk;
}

static void frame_send(frame *f)
{
	const char *p = f->sb.data;
	size_t n = f->sb.size;
	while (n) {
		ssize_t w = write(1, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			_exit(3); /* the daemon is gone */
		p += w, n -= (size_t)w;
	}
	msgpack_sbuffer_destroy(&f->sb);
}

static void send_log(void *ud, int level, const char *msg)
{
	(void)ud;
	frame f;
	msgpack_packer *pk = frame_open(&f, "log", 2);
	msgpack_pack_int(pk, level);
	mp_pack_str(pk, msg);
	frame_send(&f);
}

static void send_progress(void *ud, const tt_progress *p)
{
	(void)ud;
	frame f;
	msgpack_packer *pk = frame_open(&f, "progress", 1);
	msgpack_pack_map(pk, 5);
	mp_pack_kv_num(pk, "incumbent", p->incumbent);
	mp_pack_kv_num(pk, "bound", p->bound);
	mp_pack_kv_num(pk, "gap", p->gap);
	mp_pack_kv_num(pk, "elapsed", p->elapsed);
	mp_pack_kv_str(pk, "phase", p->phase ? p->phase : "");
	frame_send(&f);
}

static int send_error(int code, const char *msg)
{
	frame f;
	msgpack_packer *pk = frame_open(&f, "error", 2);
	msgpack_pack_int(pk, code);
	mp_pack_str(pk, msg);
	frame_send(&f);
	return 2;
}

static char *field_str(const msgpack_object *m, const char *k)
{
	const char *p;
	size_t n;
	return mp_str(mp_get(m, k), &p, &n) ? xstrndup(p, n) : NULL;
}

static double mono_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The checker's verdict in the log when it found something: families and
 * counts only (violation messages name learners and participants). */
static void log_check(int n_violations, const char *first, bool matches, double solver,
		      double checker)
{
	if (!n_violations && matches)
		return;
	char msg[256];
	snprintf(msg, sizeof msg,
		 "checker: %d violations (first family: %s), objective %s (solver %.6g, checker "
		 "%.6g)",
		 n_violations, n_violations ? first : "-", matches ? "matches" : "differs", solver,
		 checker);
	send_log(NULL, 3, msg);
}

/* Where an answer belongs, from the header: job, plan and tenant (copies,
 * caller frees), plan version and the version it was re-planned from. */
typedef struct hdr_meta {
	char *job, *plan, *tenant;
	int version, parent;
} hdr_meta;

static hdr_meta read_meta(const msgpack_object *hdr)
{
	mp_ctx c;
	mp_init(&c);
	int64_t version = 1, parent = 0;
	mp_field_int(&c, hdr, "version", false, 1, INT32_MAX, &version);
	mp_field_int(&c, hdr, "parent", false, 0, INT32_MAX, &parent);
	return (hdr_meta){.job = field_str(hdr, "job"),
			  .plan = field_str(hdr, "plan"),
			  .tenant = field_str(hdr, "tenant"),
			  .version = (int)version,
			  .parent = (int)parent};
}

static void free_meta(hdr_meta *h)
{
	free(h->job), free(h->plan), free(h->tenant);
}

/* Solve one timetable request and write the answer frame. The time limit
 * counts from the start of decoding: what decoding took (0.3 s for 5 000
 * learners) comes off the solver's share. */
static int solve_timetable(const msgpack_object *hdr, const msgpack_object *req)
{
	double t_start = mono_now();
	tt_limits lim;
	tt_limits_default(&lim);
	lim.max_learners = 1000000;
	mp_ctx c;
	mp_init(&c);
	tt_model m;
	if (tt_decode(req, &lim, &m, &c))
		return send_error(c.rc, c.err);
	tt_params p = {0};
	double tl = 30;
	int64_t seed = 1, nodes = 0, threads = 2;
	double gap = 0.0001;
	mp_field_num(&c, hdr, "time_limit", false, 0, 1e9, &tl);
	mp_field_num(&c, req, "gap", false, 0, 1, &gap);
	mp_field_int(&c, req, "seed", false, 0, UINT32_MAX, &seed);
	mp_field_int(&c, req, "node_limit", false, 0, INT64_MAX, &nodes);
	mp_field_int(&c, req, "threads", false, 1, 2, &threads);
	double t_decoded = mono_now();
	p.time_limit = tl;
	p.started = t_start; /* the limit counts from here: decoding comes off it */
	p.gap = gap;
	p.seed = (unsigned)seed;
	p.node_limit = (long)nodes;
	p.threads = (int)threads;
	p.cancel = &g_cancel;
	p.progress = send_progress;
	p.log = send_log;
	tt_solution s = {0};
	int rc = tt_solve(&m, &p, &s);
	if (rc) {
		tt_model_free(&m);
		return send_error(rc, "the solver failed");
	}
	double t_solved = mono_now();
	tt_explain(&m, &s);
	double t_explained = mono_now();
	tt_check_result chk = {0};
	tt_check(&m, &s, &chk);
	{
		char msg[160];
		snprintf(msg, sizeof msg,
			 "decode %.2f s, solve %.2f s, explanations %.2f s, checker %.2f s",
			 t_decoded - t_start, t_solved - t_decoded, t_explained - t_solved,
			 mono_now() - t_explained);
		send_log(NULL, 0, msg);
	}
	log_check(chk.n_violations, chk.n_violations ? chk.violations[0].constraint : NULL,
		  chk.objective_matches, s.objective, chk.objective);
	hdr_meta h = read_meta(hdr);
	tt_answer_meta meta = {.job = h.job,
			       .plan = h.plan,
			       .tenant = h.tenant,
			       .version = h.version,
			       .parent = h.parent};
	frame f;
	msgpack_packer *pk = frame_open(&f, "answer", 1);
	tt_encode_answer(pk, &m, &s, &chk, &meta);
	frame_send(&f);
	free_meta(&h);
	tt_check_free(&chk);
	tt_solution_free(&s);
	tt_model_free(&m);
	return 0;
}

static void ctt_progress_cb(void *ud, const ctt_progress *cp)
{
	tt_progress p = {.incumbent = cp->soft >= 0 ? cp->soft : HUGE_VAL,
			 .bound = 0,
			 .gap = cp->soft > 0 ? 1.0 : HUGE_VAL,
			 .elapsed = cp->elapsed,
			 .phase = cp->phase};
	send_progress(ud, &p);
}

/* ITC2007 course timetabling: construct, improve, score with the checker. */
static int solve_ctt(const msgpack_object *hdr, const msgpack_object *req)
{
	mp_ctx c;
	mp_init(&c);
	ctt_instance in;
	if (ctt_from_request(req, &in, &c))
		return send_error(c.rc, c.err);
	ctt_params p;
	ctt_params_defaults(&p);
	double tl = 60;
	int64_t seed = 1, iters = 0;
	mp_field_num(&c, hdr, "time_limit", false, 0, 1e9, &tl);
	mp_field_int(&c, req, "seed", false, 0, UINT32_MAX, &seed);
	mp_field_int(&c, req, "node_limit", false, 0, INT64_MAX, &iters);
	p.time_limit = tl;
	p.seed = (unsigned long)seed;
	p.max_iterations = (long)iters;
	p.cancel = &g_cancel;
	p.progress = ctt_progress_cb;
	ctt_solution sol = {0};
	ctt_result res = {0};
	int rc = ctt_solve(&in, &p, &sol, &res);
	if (rc && rc != RS_ECANCELLED) {
		ctt_instance_free(&in);
		return send_error(rc, "the course timetabling solver failed");
	}
	ctt_score sc;
	ctt_check(&in, &sol, &sc); /* the independent checker scores what leaves */
	/* the only bound known is 0, so a penalty of 0 is the one proof of optimality */
	const char *status = rc == RS_ECANCELLED		    ? "cancelled"
			     : sc.hard == 0 && sc.soft == 0	    ? "optimal"
			     : sc.hard == 0 && iters && res.iterations >= iters ? "feasible"
										 : "time_limit";
	hdr_meta h = read_meta(hdr);
	ctt_answer_meta meta = {.job = h.job, .plan = h.plan, .tenant = h.tenant};
	frame f;
	msgpack_packer *pk = frame_open(&f, "answer", 1);
	ctt_encode_answer(pk, &in, &sol, &sc, res.seconds, status, &meta);
	frame_send(&f);
	free_meta(&h);
	ctt_solution_free(&sol);
	ctt_instance_free(&in);
	return 0;
}

static void pm_progress_cb(void *ud, const pm_progress *pp)
{
	double gap = pp->incumbent > 0 ? (pp->incumbent - pp->bound) / pp->incumbent : 0;
	tt_progress p = {.incumbent = pp->incumbent,
			 .bound = pp->bound,
			 .gap = gap,
			 .elapsed = pp->elapsed,
			 .phase = "matching"};
	send_progress(ud, &p);
}

/* Participation-placement matching (docs/placement.md): solve, explain,
 * check, answer. */
static int solve_placement(const msgpack_object *hdr, const msgpack_object *req)
{
	double t_start = mono_now();
	pm_limits lim;
	pm_limits_default(&lim);
	mp_ctx c;
	mp_init(&c);
	pm_model m;
	if (pm_decode(req, &lim, &m, &c))
		return send_error(c.rc, c.err);
	double tl = 30, gap = 0.0001;
	int64_t nodes = 0;
	mp_field_num(&c, hdr, "time_limit", false, 0, 1e9, &tl);
	mp_field_num(&c, req, "gap", false, 0, 1, &gap);
	mp_field_int(&c, req, "node_limit", false, 0, INT64_MAX, &nodes);
	pm_params p = {.time_limit = tl,
		       .started = t_start,
		       .gap = gap,
		       .node_limit = (long)nodes,
		       .cancel = &g_cancel,
		       .progress = pm_progress_cb};
	pm_solution s;
	if (pm_solve(&m, &p, &s)) {
		pm_model_free(&m);
		return send_error(RS_ESOLVER, "the placement solver failed");
	}
	pm_explain(&m, &s);
	pm_check_result chk = {0};
	pm_check(&m, &s, &chk);
	log_check(chk.n_violations, chk.n_violations ? chk.violations[0].constraint : NULL,
		  chk.objective_matches, s.objective, chk.objective);
	hdr_meta h = read_meta(hdr);
	pm_answer_meta meta = {.job = h.job,
			       .plan = h.plan,
			       .tenant = h.tenant,
			       .version = h.version,
			       .parent = h.parent,
			       .wanted_gap = gap};
	frame f;
	msgpack_packer *pk = frame_open(&f, "answer", 1);
	pm_encode_answer(pk, &m, &s, &chk, &meta);
	frame_send(&f);
	free_meta(&h);
	pm_check_free(&chk);
	pm_solution_free(&s);
	pm_model_free(&m);
	return 0;
}

int child_main(void)
{
	struct sigaction sa = {.sa_handler = on_term};
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGINT, SIG_IGN);
	/* read stdin to the end */
	size_t len = 0, cap = 1 << 20;
	char *buf = xmalloc(cap);
	for (;;) {
		if (cap - len < 65536)
			buf = xrealloc(buf, cap *= 2);
		ssize_t n = read(0, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	msgpack_unpacked hdr, req;
	msgpack_unpacked_init(&hdr);
	msgpack_unpacked_init(&req);
	size_t off = 0;
	int rc;
	msgpack_unpack_return u1 = msgpack_unpack_next(&hdr, buf, len, &off), u2 = u1;
	if (u1 == MSGPACK_UNPACK_SUCCESS)
		u2 = msgpack_unpack_next(&req, buf, len, &off);
	if (u1 == MSGPACK_UNPACK_NOMEM_ERROR || u2 == MSGPACK_UNPACK_NOMEM_ERROR) {
		rc = send_error(RS_ESOLVER, "the solve process ran out of memory unpacking the "
					    "request (its address-space limit: solver_memory_mb)");
	} else if (u1 != MSGPACK_UNPACK_SUCCESS || u2 != MSGPACK_UNPACK_SUCCESS) {
		rc = send_error(RS_EMALFORMED, "the solve process got no request");
	} else {
		const msgpack_object *kind = mp_get(&hdr.data, "kind");
		if (!kind || mp_eq(kind, "timetable"))
			rc = solve_timetable(&hdr.data, &req.data);
		else if (mp_eq(kind, "itc2007"))
			rc = solve_ctt(&hdr.data, &req.data);
		else if (mp_eq(kind, "placement"))
			rc = solve_placement(&hdr.data, &req.data);
		else
			rc = send_error(RS_EBADREQ, "unknown kind");
	}
	msgpack_unpacked_destroy(&hdr);
	msgpack_unpacked_destroy(&req);
	free(buf);
	return rc;
}
