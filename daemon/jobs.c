/* jobs.c: the job queue, solver threads, solve processes, progress and cancel.
 *
 * Each solver thread takes a queued job and runs it in a child process
 * (`roosterd --solve-child`): the request goes in on the child's stdin,
 * progress, log lines and the checked answer come back on its stdout as
 * msgpack frames. A child that overruns its time limit, is cancelled, or
 * crashes inside GLPK cannot take the daemon down or hold a thread: it gets
 * SIGTERM (it then returns its best plan), and SIGKILL two seconds later.
 * Results are stored before anyone is told; the loop hears of progress and
 * completion through an event queue and uv_async. */
#include "srv.h"

#include "log.h"
#include "mp.h"
#include "rs_error.h"
#include "tt_erase.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define KILL_GRACE 2.0 /* seconds between SIGTERM and SIGKILL */

static void post(srv *s, job_event *ev)
{
	pthread_mutex_lock(&s->evlock);
	if (s->evtail)
		s->evtail->next = ev;
	else
		s->evhead = ev;
	s->evtail = ev;
	pthread_mutex_unlock(&s->evlock);
	uv_async_send(&s->async);
}

/* ---- the loop side ---- */

job *jobs_find(srv *s, const char *id)
{
	pthread_mutex_lock(&s->jlock);
	job *j = s->jobs;
	while (j && strcmp(j->id, id) != 0)
		j = j->next_all;
	pthread_mutex_unlock(&s->jlock);
	return j;
}

job *jobs_enqueue(srv *s, const store_job *row)
{
	job *j = xcalloc(1, sizeof *j);
	snprintf(j->id, sizeof j->id, "%s", row->id);
	snprintf(j->plan, sizeof j->plan, "%s", row->plan);
	j->version = row->version > 0 ? row->version : 1;
	j->parent_version = row->parent_version;
	snprintf(j->tenant, sizeof j->tenant, "%s", row->tenant);
	snprintf(j->kind, sizeof j->kind, "%s", row->kind);
	j->time_limit = row->time_limit > 0 ? row->time_limit : s->cfg.default_time_limit;
	j->last_incumbent = j->last_bound = j->last_gap = NAN;
	pthread_mutex_lock(&s->jlock);
	j->next_all = s->jobs;
	s->jobs = j;
	if (s->qtail)
		s->qtail->next_q = j;
	else
		s->qhead = j;
	s->qtail = j;
	s->n_queued++;
	pthread_cond_signal(&s->jcond);
	pthread_mutex_unlock(&s->jlock);
	return j;
}

void jobs_add_waiter(job *j, uint64_t conn_id, uint64_t msgid, bool respond)
{
	if (j->n_waiters == j->cap_waiters) {
		j->cap_waiters = j->cap_waiters ? 2 * j->cap_waiters : 4;
		j->waiters = xrealloc(j->waiters, sizeof *j->waiters * (size_t)j->cap_waiters);
	}
	j->waiters[j->n_waiters++] = (waiter){conn_id, msgid, respond};
}

/* Cancels j (srv->jlock held; released here). 1 when it was queued or
 * running (a second cancel of a running job too), 2 when a shutdown has sent
 * it back to the queue (the caller cancels its row), 0 when it had finished. A queued job is done at once: its row
 * is written and its EV_DONE posted after the lock is released (only that
 * event lets the loop free the job, so j stays valid until then). */
static int cancel_locked(srv *s, job *j, int reason)
{
	int rc = 0;
	if (j->state == JOB_QUEUED) {
		/* take it out of the queue; a worker will not see it */
		job **pp = &s->qhead;
		job *prev = NULL;
		while (*pp && *pp != j)
			prev = *pp, pp = &(*pp)->next_q;
		if (*pp) {
			*pp = j->next_q;
			if (s->qtail == j)
				s->qtail = prev;
			s->n_queued--;
		}
		j->state = JOB_DONE;
		j->cancel = reason;
		rc = 1;
		pthread_mutex_unlock(&s->jlock);
		if (reason != CANCEL_SHUTDOWN) {
			store_job_finish(s->st, j->id, "cancelled", NULL, 0, 0, 0,
					 "cancelled before it started", NULL, 0);
			job_event *ev = xcalloc(1, sizeof *ev);
			ev->type = EV_DONE;
			ev->job = j;
			snprintf(ev->state, sizeof ev->state, "cancelled");
			snprintf(ev->error, sizeof ev->error, "cancelled before it started");
			post(s, ev);
		}
		return rc;
	}
	if (j->state == JOB_RUNNING || (j->state == JOB_DONE && j->requeued)) {
		if (!j->cancel)
			j->cancel = reason;
		if (reason == CANCEL_USER)
			j->user_cancel = true; /* whatever stops the solve, it ends cancelled */
		rc = 1; /* a cancel already on its way counts too */
		if (reason == CANCEL_USER && j->requeued)
			rc = 2; /* its row is queued again (or about to be): cancel it there */
	}
	pthread_mutex_unlock(&s->jlock);
	return rc;
}

bool jobs_settle_interrupted(srv *s, job *j)
{
	pthread_mutex_lock(&s->jlock);
	bool requeue = !j->user_cancel;
	j->requeued = requeue;
	pthread_mutex_unlock(&s->jlock);
	return requeue;
}

bool jobs_requeue_interrupted(srv *s, job *j)
{
	if (store_job_requeue(s->st, j->id))
		log_err("job %s: could not be marked queued again", j->id);
	pthread_mutex_lock(&s->jlock);
	bool cancelled = j->user_cancel; /* then its row is cancelled too */
	pthread_mutex_unlock(&s->jlock);
	return cancelled;
}

int jobs_cancel_id(srv *s, const char *id, const char *tenant, int reason)
{
	pthread_mutex_lock(&s->jlock);
	job *j = s->jobs;
	while (j && strcmp(j->id, id) != 0)
		j = j->next_all;
	if (!j || (tenant && strcmp(j->tenant, tenant) != 0)) {
		pthread_mutex_unlock(&s->jlock);
		return -1;
	}
	return cancel_locked(s, j, reason);
}

static void pack_progress(msgpack_packer *pk, const job *j, const job_event *ev)
{
	msgpack_pack_map(pk, 6);
	mp_pack_kv_str(pk, "job", j->id);
	mp_pack_kv_num(pk, "incumbent", ev->incumbent);
	mp_pack_kv_num(pk, "bound", ev->bound);
	mp_pack_kv_num(pk, "gap", ev->gap);
	mp_pack_kv_num(pk, "elapsed", ev->elapsed);
	mp_pack_kv_str(pk, "phase", ev->phase);
}

/* Waiter i is the first of its connection: a connection that watches a
 * job and also waits for its result gets each notification once. */
static bool first_of_conn(const job *j, int i)
{
	for (int k = 0; k < i; k++)
		if (j->waiters[k].conn_id == j->waiters[i].conn_id)
			return false;
	return true;
}

void jobs_pack_done(msgpack_packer *pk, const char *job, const char *state, const char *status,
		    const char *plan)
{
	msgpack_pack_map(pk, 4);
	mp_pack_kv_str(pk, "job", job);
	mp_pack_kv_str(pk, "state", state);
	mp_pack_kv_str(pk, "status", status && *status ? status : NULL);
	mp_pack_kv_str(pk, "plan", plan);
}

static void deliver_done(srv *s, job *j, job_event *ev)
{
	msgpack_sbuffer note;
	msgpack_sbuffer_init(&note);
	msgpack_packer pk;
	msgpack_packer_init(&pk, &note, msgpack_sbuffer_write);
	jobs_pack_done(&pk, j->id, ev->state, ev->status, ev->answer ? j->plan : NULL);
	/* a job sent back to the queue by a shutdown is not done: its
	 * waiters get E_SHUTDOWN, and no job.done */
	bool requeued = strcmp(ev->state, "queued") == 0;
	for (int i = 0; i < j->n_waiters; i++) {
		conn *c = srv_conn_find(s, j->waiters[i].conn_id);
		if (!c)
			continue;
		if (first_of_conn(j, i) && !requeued)
			conn_notify(c, "job.done", note.data, note.size);
		if (!j->waiters[i].respond)
			continue;
		if (ev->answer)
			conn_respond(c, j->waiters[i].msgid, ev->answer, ev->alen);
		else if (requeued)
			conn_respond_error(c, j->waiters[i].msgid, RS_ESHUTDOWN,
					   "server shutting down; the job runs again after restart",
					   NULL);
		else
			conn_respond_error(c, j->waiters[i].msgid,
					   strcmp(ev->state, "cancelled") ? RS_ESOLVER : RS_ECANCELLED,
					   ev->error, NULL);
		conn_owed_done(c);
	}
	msgpack_sbuffer_destroy(&note);
}

static void unlink_job(srv *s, job *j)
{
	pthread_mutex_lock(&s->jlock);
	for (job **pp = &s->jobs; *pp; pp = &(*pp)->next_all)
		if (*pp == j) {
			*pp = j->next_all;
			break;
		}
	pthread_mutex_unlock(&s->jlock);
	free(j->waiters);
	free(j);
}

void jobs_on_async(uv_async_t *a)
{
	srv *s = a->data;
	pthread_mutex_lock(&s->evlock);
	job_event *ev = s->evhead;
	s->evhead = s->evtail = NULL;
	pthread_mutex_unlock(&s->evlock);
	while (ev) {
		job_event *next = ev->next;
		job *j = ev->job;
		if (ev->type == EV_PROGRESS) {
			j->last_incumbent = ev->incumbent, j->last_bound = ev->bound;
			j->last_gap = ev->gap, j->last_elapsed = ev->elapsed;
			msgpack_sbuffer sb;
			msgpack_sbuffer_init(&sb);
			msgpack_packer pk;
			msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
			pack_progress(&pk, j, ev);
			for (int i = 0; i < j->n_waiters; i++) {
				conn *c = first_of_conn(j, i) ? srv_conn_find(s, j->waiters[i].conn_id)
							      : NULL;
				if (c)
					conn_notify(c, "job.progress", sb.data, sb.size);
			}
			msgpack_sbuffer_destroy(&sb);
		} else {
			deliver_done(s, j, ev);
			unlink_job(s, j);
		}
		free(ev->answer);
		free(ev);
		ev = next;
	}
}

void jobs_shutdown_waiters(srv *s)
{
	pthread_mutex_lock(&s->jlock);
	for (job *j = s->jobs; j; j = j->next_all) {
		if (j->state != JOB_QUEUED)
			continue;
		for (int i = 0; i < j->n_waiters; i++) {
			conn *c = srv_conn_find(s, j->waiters[i].conn_id);
			if (c && j->waiters[i].respond) {
				conn_respond_error(c, j->waiters[i].msgid, RS_ESHUTDOWN,
						   "server shutting down; the job runs after restart",
						   NULL);
				conn_owed_done(c);
			}
		}
		j->n_waiters = 0;
	}
	pthread_mutex_unlock(&s->jlock);
}

void jobs_tick(srv *s)
{
	double now = srv_mono();
	pthread_mutex_lock(&s->jlock);
	for (job *j = s->jobs; j; j = j->next_all) {
		if (j->state != JOB_RUNNING || j->cancel)
			continue;
		/* the solver honours its own limit; this is the daemon's backstop */
		double hard = j->time_limit + fmax(5.0, 0.1 * j->time_limit);
		if (now - j->started > hard) {
			j->cancel = CANCEL_DEADLINE;
			log_warn("job %s: past its time limit by %.1f s, stopping the solve", j->id,
				 now - j->started - j->time_limit);
		}
	}
	pthread_mutex_unlock(&s->jlock);
}

typedef struct job_rows {
	store_job *v;
	int n, cap;
} job_rows;

static void collect_row(void *ud, const store_job *row)
{
	job_rows *r = ud;
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 16;
		r->v = xrealloc(r->v, sizeof *r->v * (size_t)r->cap);
	}
	r->v[r->n++] = *row;
}

/* Queue again what a crash or stop left queued or running. The rows are
 * collected first: the store's lock is held while it lists them. */
void jobs_recover(srv *s)
{
	job_rows rows = {0};
	store_jobs_unfinished(s->st, collect_row, &rows);
	for (int i = 0; i < rows.n; i++) {
		const store_job *row = &rows.v[i];
		if (row->attempts >= 3) {
			log_err("job %s: abandoned after %d attempts", row->id, row->attempts);
			store_job_finish(s->st, row->id, "failed", NULL, 0, 0, 0,
					 "the solve was interrupted 3 times", NULL, 0);
			continue;
		}
		log_info("job %s: recovered (%s), queued again", row->id, row->state);
		jobs_enqueue(s, row);
	}
	free(rows.v);
}

/* ---- the solver-thread side ---- */

typedef struct child_io {
	pid_t pid;
	int in, out; /* our ends */
} child_io;

static int spawn(srv *s, child_io *io)
{
	int pin[2], pout[2];
	if (pipe2(pin, O_CLOEXEC) || pipe2(pout, O_CLOEXEC))
		return RS_EIO;
	char *const argv[] = {s->self_exe, "--solve-child", NULL};
	/* read before fork: SIGHUP may replace s->cfg on the loop thread */
	long mem_mb = __atomic_load_n(&s->solver_memory_mb, __ATOMIC_RELAXED);
	/* Until exec the child has the daemon's signal handlers (libuv's,
	 * which write into the loop's pipe, shared with us): a job.cancel's
	 * SIGTERM landing there stopped the daemon. Signals stay blocked
	 * across fork until the child has its own default handlers. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pid_t pid = fork();
	if (pid < 0) {
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		close(pin[0]), close(pin[1]), close(pout[0]), close(pout[1]);
		return RS_EIO;
	}
	if (pid == 0) {
		/* only async-signal-safe calls until exec */
		struct sigaction dfl = {.sa_handler = SIG_DFL};
		sigaction(SIGTERM, &dfl, NULL);
		sigaction(SIGINT, &dfl, NULL);
		sigaction(SIGHUP, &dfl, NULL);
		/* its own process group: a signal to the daemon's (a terminal's
		 * Ctrl-C, a killpg) is the daemon's to act on; only the daemon
		 * signals a solve (cancel, shutdown) */
		setpgid(0, 0);
		sigprocmask(SIG_SETMASK, &old, NULL);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(pin[0], 0);
		dup2(pout[1], 1);
		if (mem_mb > 0) {
			struct rlimit rl;
			rl.rlim_cur = rl.rlim_max = (rlim_t)mem_mb << 20;
			setrlimit(RLIMIT_AS, &rl);
		}
		execv(s->self_exe, argv);
		_exit(127);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	close(pin[0]);
	close(pout[1]);
	io->pid = pid;
	io->in = pin[1];
	io->out = pout[0];
	return 0;
}

static int write_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	while (n) {
		ssize_t w = write(fd, c, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return RS_EIO;
		c += w, n -= (size_t)w;
	}
	return 0;
}

typedef struct run_result {
	char state[16], status[16], error[256];
	double objective, bound, gap;
	uint8_t *answer;
	size_t alen;
} run_result;

/* One frame from the child: ["progress", {...}] | ["log", level, msg] | ["answer", {...}]
 * | ["error", code, msg]. */
static void on_frame(srv *s, job *j, const msgpack_object *f, run_result *r)
{
	if (f->type != MSGPACK_OBJECT_ARRAY || f->via.array.size < 2)
		return;
	const msgpack_object *a = f->via.array.ptr;
	if (mp_eq(&a[0], "progress") && a[1].type == MSGPACK_OBJECT_MAP) {
		job_event *ev = xcalloc(1, sizeof *ev);
		ev->type = EV_PROGRESS;
		ev->job = j;
		ev->incumbent = ev->bound = ev->gap = NAN;
		mp_ctx c;
		mp_init(&c);
		mp_field_num(&c, &a[1], "incumbent", false, -1e300, 1e300, &ev->incumbent);
		mp_field_num(&c, &a[1], "bound", false, -1e300, 1e300, &ev->bound);
		mp_field_num(&c, &a[1], "gap", false, 0, 1e300, &ev->gap);
		mp_field_num(&c, &a[1], "elapsed", false, 0, 1e300, &ev->elapsed);
		const char *p;
		size_t n;
		if (mp_str(mp_get(&a[1], "phase"), &p, &n))
			snprintf(ev->phase, sizeof ev->phase, "%.*s", (int)n, p);
		post(s, ev);
	} else if (mp_eq(&a[0], "log") && f->via.array.size == 3) {
		const char *p;
		size_t n;
		int lvl = a[1].type == MSGPACK_OBJECT_POSITIVE_INTEGER ? (int)a[1].via.u64 : 0;
		if (mp_str(&a[2], &p, &n))
			log_msg(lvl > LOG_LVL_ERR ? LOG_LVL_ERR : lvl, "job %s: %.*s", j->id,
				(int)(n > 900 ? 900 : n), p);
	} else if (mp_eq(&a[0], "answer") && a[1].type == MSGPACK_OBJECT_MAP) {
		msgpack_sbuffer sb;
		msgpack_sbuffer_init(&sb);
		msgpack_packer pk;
		msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
		msgpack_pack_object(&pk, a[1]);
		free(r->answer);
		r->alen = sb.size;
		r->answer = (uint8_t *)msgpack_sbuffer_release(&sb);
		msgpack_sbuffer_destroy(&sb);
		const char *p;
		size_t n;
		if (mp_str(mp_get(&a[1], "status"), &p, &n))
			snprintf(r->status, sizeof r->status, "%.*s", (int)n, p);
		mp_ctx c;
		mp_init(&c);
		mp_field_num(&c, &a[1], "objective", false, -1e300, 1e300, &r->objective);
		mp_field_num(&c, &a[1], "bound", false, -1e300, 1e300, &r->bound);
		mp_field_num(&c, &a[1], "gap", false, 0, 1e300, &r->gap);
	} else if (mp_eq(&a[0], "error") && f->via.array.size == 3) {
		const char *p;
		size_t n;
		if (mp_str(&a[2], &p, &n))
			snprintf(r->error, sizeof r->error, "%.*s", (int)n, p);
	}
}

static void run_job(srv *s, job *j, run_result *r)
{
	void *req = NULL;
	size_t rlen = 0;
	child_io io = {-1, -1, -1};
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0;
	msgpack_sbuffer hdr;
	msgpack_sbuffer_init(&hdr);
	/* under elock: the request read and the erasures it reflects agree */
	pthread_mutex_lock(&s->elock);
	j->erase_seq = s->erase_seq;
	int missing = store_job_request(s->st, j->id, &req, &rlen);
	pthread_mutex_unlock(&s->elock);
	if (missing) {
		snprintf(r->error, sizeof r->error, "request missing from the store");
		goto end;
	}
	if (spawn(s, &io)) {
		snprintf(r->error, sizeof r->error, "cannot start the solve process: %s",
			 strerror(errno));
		goto end;
	}
	pthread_mutex_lock(&s->jlock);
	j->child = io.pid;
	pthread_mutex_unlock(&s->jlock);
	/* header, then the request verbatim */
	msgpack_packer pk;
	msgpack_packer_init(&pk, &hdr, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 7);
	mp_pack_kv_str(&pk, "job", j->id);
	mp_pack_kv_str(&pk, "plan", j->plan);
	mp_pack_kv_str(&pk, "tenant", j->tenant);
	mp_pack_kv_str(&pk, "kind", j->kind);
	mp_pack_kv_int(&pk, "version", j->version);
	mp_pack_kv_int(&pk, "parent", j->parent_version);
	mp_pack_kv_num(&pk, "time_limit", j->time_limit);
	int wrc = write_all(io.in, hdr.data, hdr.size);
	if (!wrc)
		wrc = write_all(io.in, req, rlen);
	close(io.in);
	io.in = -1;

	wire_limits lim;
	wire_limits_default(&lim);
	lim.max_message = (size_t)1 << 30;
	lim.max_str = 1u << 30;
	double term_sent = 0;
	bool eof = false;
	int sent_reason = CANCEL_NONE;
	while (!eof) {
		pthread_mutex_lock(&s->jlock);
		int cancel = j->cancel;
		pthread_mutex_unlock(&s->jlock);
		if (cancel && !term_sent) {
			/* shutdown: kill, the job runs again after restart */
			kill(io.pid, cancel == CANCEL_SHUTDOWN ? SIGKILL : SIGTERM);
			term_sent = srv_mono();
			sent_reason = cancel;
		} else if (term_sent && srv_mono() - term_sent > KILL_GRACE) {
			kill(io.pid, SIGKILL);
		}
		struct pollfd pfd = {.fd = io.out, .events = POLLIN};
		int pr = poll(&pfd, 1, 100);
		if (pr <= 0)
			continue;
		if (cap - len < 65536) {
			cap = cap ? cap * 2 : 262144;
			buf = xrealloc(buf, cap);
		}
		ssize_t n = read(io.out, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			eof = true;
			break;
		}
		len += (size_t)n;
		size_t off = 0;
		for (;;) {
			size_t olen;
			char err[128];
			int rc = wire_scan(buf + off, len - off, &lim, &olen, err, sizeof err);
			if (rc)
				break;
			msgpack_unpacked u;
			msgpack_unpacked_init(&u);
			size_t o2 = 0;
			if (msgpack_unpack_next(&u, (const char *)buf + off, olen, &o2) ==
			    MSGPACK_UNPACK_SUCCESS)
				on_frame(s, j, &u.data, r);
			msgpack_unpacked_destroy(&u);
			off += olen;
		}
		memmove(buf, buf + off, len - off);
		len -= off;
	}
	int wst = 0;
	while (waitpid(io.pid, &wst, 0) < 0 && errno == EINTR)
		;
	io.pid = -1;
	pthread_mutex_lock(&s->jlock);
	if (j->user_cancel)
		sent_reason = CANCEL_USER; /* asked by a client: it ends cancelled, not queued */
	pthread_mutex_unlock(&s->jlock);
	if (sent_reason == CANCEL_SHUTDOWN) {
		snprintf(r->state, sizeof r->state, "queued");
	} else if (r->answer) {
		snprintf(r->state, sizeof r->state, "%s",
			 sent_reason == CANCEL_USER ? "cancelled" : "done");
		if (sent_reason == CANCEL_USER)
			snprintf(r->error, sizeof r->error, "cancelled; the best plan found is kept");
	} else if (sent_reason == CANCEL_USER) {
		snprintf(r->state, sizeof r->state, "cancelled");
		snprintf(r->error, sizeof r->error, "cancelled");
	} else {
		snprintf(r->state, sizeof r->state, "failed");
		if (!*r->error) {
			/* what the operator can act on: an address-space limit
			 * (solver_memory_mb) shows as an abort on a failed
			 * allocation, or as exec failing (127) when even the
			 * program does not fit */
			long mem_mb = __atomic_load_n(&s->solver_memory_mb, __ATOMIC_RELAXED);
			char hint[96] = "";
			if (mem_mb > 0)
				snprintf(hint, sizeof hint,
					 " (out of memory? solver_memory_mb is %ld MiB)", mem_mb);
			if (WIFSIGNALED(wst))
				snprintf(r->error, sizeof r->error,
					 "the solve process ended by signal %d%s%s", WTERMSIG(wst),
					 sent_reason == CANCEL_DEADLINE ? " past its time limit" : "",
					 WTERMSIG(wst) == SIGABRT || WTERMSIG(wst) == SIGSEGV ? hint
											   : "");
			else if (WIFEXITED(wst) && WEXITSTATUS(wst) == 127)
				snprintf(r->error, sizeof r->error,
					 "the solve process could not start (%s --solve-child)%s",
					 s->self_exe, hint);
			else
				snprintf(r->error, sizeof r->error,
					 "the solve process exited with status %d",
					 WIFEXITED(wst) ? WEXITSTATUS(wst) : -1);
		}
	}
	(void)wrc;
end:
	if (io.in >= 0)
		close(io.in);
	if (io.out >= 0)
		close(io.out);
	free(req);
	free(buf);
	msgpack_sbuffer_destroy(&hdr);
}

/* Erasures since the job read its request apply to its answer before it is
 * stored (srv->elock held). true when the whole tenant was erased: nothing
 * of the job is stored then. */
static bool scrub_answer(srv *s, job *j, run_result *r)
{
	bool tenant_gone = false;
	for (int k = 0; k < s->n_erasures; k++) {
		const erasure *e = &s->erasures[k];
		if (e->seq <= j->erase_seq || strcmp(e->tenant, j->tenant) != 0)
			continue;
		if (!e->learner) {
			tenant_gone = true;
			continue;
		}
		msgpack_sbuffer sb;
		if (tt_erase_learner(r->answer, r->alen, e->learner, &sb)) {
			free(r->answer);
			r->alen = sb.size;
			r->answer = (uint8_t *)msgpack_sbuffer_release(&sb);
			log_info("job %s: answer scrubbed of a learner erased while it ran", j->id);
		}
		msgpack_sbuffer_destroy(&sb);
	}
	return tenant_gone;
}

/* Forgets the erasures every running job's request already reflects
 * (srv->elock held; j is finishing). */
static void prune_erasures(srv *s, job *j)
{
	uint64_t keep_after = s->erase_seq;
	pthread_mutex_lock(&s->jlock);
	for (job *o = s->jobs; o; o = o->next_all)
		if (o != j && o->state == JOB_RUNNING && o->erase_seq < keep_after)
			keep_after = o->erase_seq;
	pthread_mutex_unlock(&s->jlock);
	int w = 0;
	for (int k = 0; k < s->n_erasures; k++) {
		if (s->erasures[k].seq <= keep_after)
			free(s->erasures[k].learner);
		else
			s->erasures[w++] = s->erasures[k];
	}
	s->n_erasures = w;
}

void jobs_note_erasure(srv *s, const char *tenant, const char *learner)
{
	if (s->n_erasures == s->cap_erasures) {
		s->cap_erasures = s->cap_erasures ? 2 * s->cap_erasures : 8;
		s->erasures = xrealloc(s->erasures, sizeof *s->erasures * (size_t)s->cap_erasures);
	}
	erasure *e = &s->erasures[s->n_erasures++];
	e->seq = ++s->erase_seq;
	snprintf(e->tenant, sizeof e->tenant, "%s", tenant);
	e->learner = learner ? xstrdup(learner) : NULL;
}

static void *worker(void *arg)
{
	srv *s = arg;
	for (;;) {
		pthread_mutex_lock(&s->jlock);
		while (!s->workers_stop && (!s->qhead || s->stopping))
			pthread_cond_wait(&s->jcond, &s->jlock);
		if (s->workers_stop) {
			pthread_mutex_unlock(&s->jlock);
			return NULL;
		}
		job *j = s->qhead;
		s->qhead = j->next_q;
		if (!s->qhead)
			s->qtail = NULL;
		j->next_q = NULL;
		s->n_queued--;
		s->n_running++;
		j->state = JOB_RUNNING;
		j->started = srv_mono();
		pthread_mutex_unlock(&s->jlock);

		run_result r = {0};
		double t0 = srv_mono();
		if (store_job_start(s->st, j->id) == RS_ENOTFOUND) {
			/* its row was cancelled before it reached the queue in memory
			 * (job.cancel of a row not yet held here): nothing to run */
			snprintf(r.state, sizeof r.state, "cancelled");
			snprintf(r.error, sizeof r.error, "cancelled before it started");
		} else {
			log_info("job %s: solving", j->id);
			run_job(s, j, &r);
		}
		double secs = srv_mono() - t0;
		if (strcmp(r.state, "queued") == 0 && !jobs_settle_interrupted(s, j)) {
			snprintf(r.state, sizeof r.state, "cancelled");
			snprintf(r.error, sizeof r.error, "cancelled");
		}
		if (strcmp(r.state, "queued") == 0) {
			/* interrupted by shutdown: stays queued in the store for the next start */
			if (jobs_requeue_interrupted(s, j)) {
				snprintf(r.state, sizeof r.state, "cancelled");
				snprintf(r.error, sizeof r.error, "cancelled before it ran again");
				log_info("job %s: interrupted by shutdown, then cancelled", j->id);
			} else {
				log_info("job %s: interrupted by shutdown, will run again", j->id);
			}
		} else {
			pthread_mutex_lock(&s->elock);
			bool erased = scrub_answer(s, j, &r);
			if (!erased && store_job_finish(s->st, j->id, r.state,
							*r.status ? r.status : NULL, r.objective,
							r.bound, r.gap, *r.error ? r.error : NULL,
							r.answer, r.alen))
				log_err("job %s: result could not be stored", j->id);
			prune_erasures(s, j);
			pthread_mutex_unlock(&s->elock);
			log_info("job %s: %s%s%s in %.2f s%s%s", j->id, r.state, *r.status ? ", " : "",
				 r.status, secs, *r.error ? ": " : "", r.error);
		}
		job_event *ev = xcalloc(1, sizeof *ev);
		ev->type = EV_DONE;
		ev->job = j;
		memcpy(ev->state, r.state, sizeof ev->state);
		memcpy(ev->status, r.status, sizeof ev->status);
		memcpy(ev->error, r.error, sizeof ev->error);
		ev->answer = r.answer;
		ev->alen = r.alen;
		pthread_mutex_lock(&s->jlock);
		j->state = JOB_DONE;
		j->child = 0;
		if (strcmp(r.state, "failed") == 0)
			s->stats.solve_failures++;
		else if (strcmp(r.state, "queued") != 0) {
			s->stats.solves++;
			s->stats.solve_seconds_total += secs;
			if (secs > s->stats.solve_seconds_max)
				s->stats.solve_seconds_max = secs;
		}
		pthread_mutex_unlock(&s->jlock);
		/* j belongs to the loop once posted. Post before the count drops: a
		 * stopping loop waits for n_running == 0, then closes the async handle. */
		post(s, ev);
		pthread_mutex_lock(&s->jlock);
		s->n_running--;
		pthread_cond_broadcast(&s->jcond);
		pthread_mutex_unlock(&s->jlock);
	}
}

int jobs_start(srv *s)
{
	long n = s->cfg.solver_threads;
	if (n <= 0)
		n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n <= 0)
		n = 1;
	s->workers = xcalloc((size_t)n, sizeof *s->workers);
	for (long i = 0; i < n; i++) {
		if (pthread_create(&s->workers[i], NULL, worker, s) != 0)
			return RS_EINTERNAL;
		s->n_workers++;
	}
	log_info("%d solver threads", s->n_workers);
	return 0;
}

void jobs_stop(srv *s)
{
	pthread_mutex_lock(&s->jlock);
	s->workers_stop = true;
	pthread_cond_broadcast(&s->jcond);
	pthread_mutex_unlock(&s->jlock);
	for (int i = 0; i < s->n_workers; i++)
		pthread_join(s->workers[i], NULL);
	free(s->workers);
	s->workers = NULL;
	s->n_workers = 0;
	for (int k = 0; k < s->n_erasures; k++)
		free(s->erasures[k].learner);
	free(s->erasures);
	s->erasures = NULL;
	s->n_erasures = s->cap_erasures = 0;
}
