/* srv.h: the daemon's shared state: server, connections, calls and jobs.
 *
 * Threads: the libuv loop thread owns connections, listeners and the
 * waiter/watcher lists of jobs. Solver threads (jobs.c) own the job they
 * run and talk to the loop only through the event queue (jobs_post) and
 * uv_async. The libuv pool runs RPC handlers that touch the store. */
#ifndef SRV_H
#define SRV_H

#include "config.h"
#include "store.h"
#include "tt_decode.h"
#include "wire.h"

#include <msgpack.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <uv.h>

#define PROTOCOL_VERSION 1
#define ROOSTERD_VERSION "0.1.0"
#define TENANT_MAX 64

typedef struct srv srv;

typedef struct conn {
	union {
		uv_handle_t h;
		uv_stream_t s;
		uv_pipe_t pipe;
		uv_tcp_t tcp;
	} u;
	srv *srv;
	uint64_t id;
	bool is_tcp, authed, closing, paused;
	char tenant[TENANT_MAX + 8]; /* from the token on TCP */
	uint8_t *buf;
	size_t len, cap;
	double msg_started; /* monotonic time the unfinished message began, 0 = none */
	double opened;      /* monotonic time it was accepted */
	wire_scanner scan;
	int pending; /* calls not yet answered */
	int owed;    /* answers jobs owe it (wait: true), not yet written */
	int writes;  /* writes queued, not yet done */
	bool eof;    /* the client shut down its sending side */
	/* failed: the error is written and the sending side shut down; what
	 * the client still sends is read and dropped until it closes or
	 * linger_until passes, so the error is not lost to a reset */
	bool lingering;
	double linger_until;
	struct conn *next;
} conn;

enum job_state { JOB_QUEUED, JOB_RUNNING, JOB_DONE };
enum cancel_reason { CANCEL_NONE, CANCEL_USER, CANCEL_DEADLINE, CANCEL_SHUTDOWN };

typedef struct waiter {
	uint64_t conn_id;
	uint64_t msgid;
	bool respond;  /* a pending request gets the answer; else only notifications */
} waiter;

typedef struct erasure {
	uint64_t seq;
	char tenant[TENANT_MAX + 8];
	char *learner; /* NULL: the whole tenant */
} erasure;

typedef struct job {
	char id[STORE_ID_LEN], plan[STORE_ID_LEN], tenant[TENANT_MAX + 8], kind[32];
	double time_limit;
	int version;        /* of its plan: 1, or the next after a re-plan's parent */
	int parent_version; /* a re-plan's parent version, 0 for none */
	int state;          /* enum job_state; under srv->jlock */
	int cancel;         /* enum cancel_reason; under srv->jlock */
	bool user_cancel;   /* a client asked to cancel it (jlock): it must not run again */
	bool requeued;      /* a shutdown sent it back to the store's queue (jlock) */
	double started;     /* monotonic seconds */
	uint64_t erase_seq; /* erasures already in its request (srv->elock) */
	pid_t child;
	/* loop thread only */
	waiter *waiters;
	int n_waiters, cap_waiters;
	double last_incumbent, last_bound, last_gap, last_elapsed;
	struct job *next_all; /* srv->jobs list (under jlock) */
	struct job *next_q;   /* queue (under jlock) */
} job;

typedef struct job_event {
	enum { EV_PROGRESS, EV_DONE } type;
	job *job;
	/* EV_DONE: final state and the answer's bytes (may be NULL) */
	char state[16];
	char status[16];
	char error[256];
	uint8_t *answer;
	size_t alen;
	/* EV_PROGRESS */
	double incumbent, bound, gap, elapsed;
	char phase[24];
	struct job_event *next;
} job_event;

typedef struct srv_stats {
	uint64_t requests, errors, bad_streams, solves, solve_failures;
	double solve_seconds_total, solve_seconds_max;
} srv_stats;

struct srv {
	uv_loop_t *loop;
	config cfg;              /* loop thread only (SIGHUP replaces it) */
	long solver_memory_mb;   /* cfg's, for workers: __atomic loads and stores */
	char *config_path;
	store *st;
	wire_limits wlim;
	tt_limits tlim;
	char *self_exe;

	conn *conns;
	int n_conns;
	uint64_t next_conn_id;
	size_t buffered; /* sum of connection buffer capacities */
	size_t unsent;   /* bytes in writes not yet completed, all connections */
	int n_lingering; /* failed connections draining before their close */
	uv_handle_t *listeners[16];
	int n_listeners;
	bool unix_owned; /* we created cfg.socket and unlink it on exit */
	ino_t unix_ino;  /* (when it is still the one we bound) */
	dev_t unix_dev;

	/* jobs: under jlock */
	pthread_mutex_t jlock;
	pthread_cond_t jcond;
	job *jobs;          /* all jobs in memory (queued, running, done-unreported) */
	job *qhead, *qtail; /* queued */
	int n_queued, n_running;
	pthread_t *workers;
	int n_workers;
	bool workers_stop;

	/* Erasures made while jobs run (memory only, never stored): a job
	 * that read its request before an erasure has its answer scrubbed
	 * before it is stored. elock orders erasures against job starts and
	 * answer stores. */
	pthread_mutex_t elock;
	erasure *erasures;
	int n_erasures, cap_erasures;
	uint64_t erase_seq;

	/* events from workers to the loop */
	pthread_mutex_t evlock;
	job_event *evhead, *evtail;
	uv_async_t async;

	uv_signal_t sig_term, sig_int, sig_hup;
	uv_timer_t tick;
	bool stopping;
	double stop_began;
	double drain_began; /* connections asked to close after the last answers */
	unsigned long long watchdog_usec;
	double last_watchdog, last_purge;

	srv_stats stats;
};

/* server.c */
int srv_listen(srv *s);
void srv_close_listeners(srv *s);
conn *srv_conn_find(srv *s, uint64_t id);
void conn_write(conn *c, const void *data, size_t len);
/* [1, msgid, nil, result-bytes] */
void conn_respond(conn *c, uint64_t msgid, const void *result, size_t rlen);
/* [1, msgid, {code, name, message, data}, nil] */
void conn_respond_error(conn *c, uint64_t msgid, int code, const char *message, const char *field);
/* [2, method, [params-bytes]] */
void conn_notify(conn *c, const char *method, const void *params, size_t plen);
/* Send [2, "error", [{code, name, message, data}]]; the connection stays. */
void conn_notify_error(conn *c, int code, const char *message);
/* Send [2, "error", [{...}]] and close. */
void conn_fail(conn *c, int code, const char *message);
void conn_call_done(conn *c); /* a pending call was answered: maybe resume reading */
void conn_owe(conn *c);       /* a job will answer a call of c (wait: true) */
void conn_owed_done(conn *c); /* ... and did */
void srv_close_all(srv *s);
void srv_conn_close(conn *c);
/* Close connections whose unfinished message is older than message_timeout. */
void srv_expire(srv *s, double now);
/* Monotonic seconds. */
double srv_mono(void);

/* rpc.c */
void rpc_dispatch(conn *c, const uint8_t *bytes, size_t len);

/* jobs.c */
int jobs_start(srv *s);
void jobs_stop(srv *s); /* joins workers */
/* Create the in-memory job for a stored row and queue it. Loop thread. */
job *jobs_enqueue(srv *s, const store_job *row);
job *jobs_find(srv *s, const char *id);
void jobs_add_waiter(job *j, uint64_t conn_id, uint64_t msgid, bool respond);
/* The job.done notification's map: {job, state, status, plan}; an empty
 * status and a NULL plan pack as nil. */
void jobs_pack_done(msgpack_packer *pk, const char *job, const char *state, const char *status,
		    const char *plan);
/* Cancels job id (of tenant, unless NULL): 1 when it was queued (now
 * cancelled) or running (told to stop), 2 when a shutdown sent it back to
 * the queue (the caller cancels its row: store_job_cancel_unrun), 0 when it
 * had finished, -1 when there is no such job in memory. Any thread; a queued
 * job's row is written on the calling thread. */
int jobs_cancel_id(srv *s, const char *id, const char *tenant, int reason);
/* A solve a shutdown interrupted: true when it goes back to the queue, false
 * when a client cancelled it meanwhile (it ends cancelled). Later cancels
 * of a job sent back find it requeued (jobs_cancel_id returns 2). */
bool jobs_settle_interrupted(srv *s, job *j);
/* After jobs_settle_interrupted said yes: the job's row goes back to the
 * queue (only while it still says running). True when a client's cancel
 * came in the meantime: its row is cancelled by that cancel, and the job
 * ends cancelled instead of "runs again after restart". */
bool jobs_requeue_interrupted(srv *s, job *j);
/* An erasure is about to be made (srv->elock held through it): answers of
 * jobs that read their request earlier are scrubbed before they are stored. */
void jobs_note_erasure(srv *s, const char *tenant, const char *learner);
void jobs_recover(srv *s);
void jobs_tick(srv *s); /* deadlines; loop thread */
/* At shutdown: E_SHUTDOWN to clients waiting on jobs that never started. */
void jobs_shutdown_waiters(srv *s);
void jobs_on_async(uv_async_t *a);

/* child.c: the solve process (`roosterd --solve-child`) */
int child_main(void);

#endif
