/* store.h: the durable job store (sqlite, WAL) in the state directory.
 *
 * Holds requests verbatim, jobs and their states, answers as plan versions
 * with their parent (re-plans form a history), per tenant. A job is
 * acknowledged only after store_job_insert() returned: the row is committed
 * with synchronous=FULL. All functions are thread-safe (one mutex); they are
 * called from the libuv pool and the solver threads, never the event loop.
 * Blobs handed out are malloc'd copies the caller frees. */
#ifndef STORE_H
#define STORE_H

#include <stdbool.h>
#include <stddef.h>

#define STORE_ID_LEN 40

typedef struct store store;

typedef struct store_job {
	char id[STORE_ID_LEN];
	char tenant[72];
	char kind[32];
	char state[16];  /* queued, running, done, failed, cancelled */
	char status[16]; /* of the answer: optimal, feasible, infeasible, time_limit, cancelled */
	char plan[STORE_ID_LEN];
	int version;
	int parent_version; /* the version a re-plan started from, 0 for none */
	double created, started, finished; /* unix seconds, 0 when not yet */
	double objective, bound, gap;
	double time_limit;
	int attempts;
	char error[256];
	bool has_figures; /* objective, bound and gap known (an answer was stored) */
	char req_hash[24]; /* what its idempotency key was sent with; "" unknown */
} store_job;

typedef struct store_erased {
	int jobs, plans;      /* rows deleted */
	int requests_edited;  /* requests the person was removed from */
	int answers_edited;   /* answers the person was removed from */
} store_erased;

int store_open(const char *dir, store **out, char *err, size_t errlen);
void store_close(store *s);
/* Current schema version (migrations run in store_open). */
int store_schema_version(store *s);

/* The stored plan version a re-plan starts from. */
typedef struct store_parent {
	const char *plan;
	int version;
} store_parent;

/* Insert a queued job; with idem_key, an existing (tenant, key) returns that
 * job instead (*existing = true; the caller compares out->req_hash with
 * req_hash, the digest of what was sent, to tell a retry from a reuse). Without parent the job makes version 1 of
 * a new plan; with one, the next version of parent->plan, which must be a
 * stored version of the tenant's (RS_ENOTFOUND otherwise: erased since). */
int store_job_insert(store *s, const char *tenant, const char *kind, const char *idem_key,
		     const char *req_hash, const void *req, size_t len, double time_limit,
		     const store_parent *parent, store_job *out, bool *existing);
/* The tenant's job stored under idem_key: 0, RS_ENOTFOUND or RS_EIO. */
int store_job_by_key(store *s, const char *tenant, const char *idem_key, store_job *out);
/* tenant NULL = any tenant (Unix-socket admin); RS_ENOTFOUND when absent. */
int store_job_get(store *s, const char *tenant, const char *id, store_job *out);
int store_job_request(store *s, const char *id, void **buf, size_t *len);
/* Marks a queued (or, after a crash, running) job running; RS_ENOTFOUND
 * when its row is neither, e.g. cancelled before this process held it. */
int store_job_start(store *s, const char *id);
/* A job a shutdown interrupted: queued again, and the start it had does
 * not count towards the 3 attempts a crashing request gets. */
int store_job_requeue(store *s, const char *id);
/* Cancels a job no solver of this process will run (tenant NULL = any):
 * its row queued, or running while a shutdown sends it back. 1 when it was
 * cancelled, 0 when no such row, RS_EIO. */
int store_job_cancel_unrun(store *s, const char *tenant, const char *id);
/* Final state; answer may be NULL (failed). Writes the plan version with it. */
int store_job_finish(store *s, const char *id, const char *state, const char *status,
		     double objective, double bound, double gap, const char *error,
		     const void *answer, size_t alen);
int store_job_answer(store *s, const char *tenant, const char *id, void **buf, size_t *len);
/* Jobs still queued or running (after a crash): callback per job, oldest first. */
int store_jobs_unfinished(store *s, void (*cb)(void *ud, const store_job *j), void *ud);
int store_job_list(store *s, const char *tenant, const char *state, int limit,
		   void (*cb)(void *ud, const store_job *j), void *ud);
int store_plan_get(store *s, const char *tenant, const char *plan, int version, void **buf,
		   size_t *len);
/* One stored version of a plan, for plan.history. */
typedef struct store_version {
	int version, parent_version; /* parent_version 0: not a re-plan */
	char job[STORE_ID_LEN];
	char status[16]; /* "" when its job row is gone (retention) */
	double created;
	bool has_figures; /* objective, bound and gap known */
	double objective, bound, gap;
} store_version;
/* Calls cb for each stored version of plan (of tenant, NULL = any), oldest
 * first; RS_ENOTFOUND when there is none. v is valid during the call. */
int store_plan_history(store *s, const char *tenant, const char *plan,
		       void (*cb)(void *ud, const store_version *v), void *ud);
/* Count jobs per state: queued, running, done, failed, cancelled. */
int store_job_counts(store *s, long counts[5]);

int store_erase_tenant(store *s, const char *tenant, store_erased *out);
int store_erase_learner(store *s, const char *tenant, const char *learner, store_erased *out);
/* Delete finished jobs and plans older than cutoff (unix seconds). */
int store_purge(store *s, double cutoff, int *jobs, int *plans);

/* Random id "<prefix>-<24 hex>" into buf[STORE_ID_LEN]. */
void store_new_id(const char *prefix, char *buf);
double store_now(void);

#endif
