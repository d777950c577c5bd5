/* store.c: sqlite job store: schema, migrations, jobs, plan versions, erasure, retention. */
#include "store.h"

#include "log.h"
#include "mp.h"
#include "rs_error.h"
#include "tt_erase.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <msgpack.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct store {
	sqlite3 *db;
	pthread_mutex_t lock;
	int lock_fd; /* roosterd.lock, flock'd: one daemon per state directory */
};

/* Each entry migrates from version i to i + 1. */
static const char *const migrations[] = {
	/* 0 → 1 */
	"CREATE TABLE jobs ("
	" id TEXT PRIMARY KEY, tenant TEXT NOT NULL, kind TEXT NOT NULL,"
	" state TEXT NOT NULL, idem_key TEXT, created REAL NOT NULL, started REAL,"
	" finished REAL, time_limit REAL, attempts INTEGER NOT NULL DEFAULT 0,"
	" request BLOB NOT NULL, status TEXT, objective REAL, bound REAL, gap REAL,"
	" error TEXT, plan_id TEXT NOT NULL, plan_version INTEGER NOT NULL,"
	" parent_plan TEXT);"
	"CREATE UNIQUE INDEX jobs_idem ON jobs(tenant, idem_key) WHERE idem_key IS NOT NULL;"
	"CREATE INDEX jobs_tenant ON jobs(tenant, created);"
	"CREATE INDEX jobs_state ON jobs(state);"
	"CREATE TABLE plans ("
	" id TEXT NOT NULL, version INTEGER NOT NULL, tenant TEXT NOT NULL, kind TEXT NOT NULL,"
	" parent_id TEXT, parent_version INTEGER, job_id TEXT NOT NULL, created REAL NOT NULL,"
	" answer BLOB NOT NULL, PRIMARY KEY (id, version));"
	"CREATE INDEX plans_tenant ON plans(tenant, created);",
	/* 1 → 2: a re-plan records the version it started from */
	"ALTER TABLE jobs ADD COLUMN parent_version INTEGER;",
	/* 2 → 3: what an idempotency key was first sent with; figures and a
	 * status only where an answer was stored (a job cancelled before it
	 * ran had status 'cancelled' and 0, 0, 0) */
	"ALTER TABLE jobs ADD COLUMN req_hash TEXT;"
	"UPDATE jobs SET status = NULL WHERE state = 'cancelled' AND started IS NULL;"
	"UPDATE jobs SET objective = NULL, bound = NULL, gap = NULL"
	" WHERE NOT EXISTS (SELECT 1 FROM plans WHERE plans.job_id = jobs.id);",
};
#define N_MIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

double store_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void store_new_id(const char *prefix, char *buf)
{
	unsigned char r[12];
	if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r) {
		/* fall back to time and a counter: still unique within this process */
		static unsigned long ctr;
		unsigned long long t = (unsigned long long)(store_now() * 1e6);
		memcpy(r, &t, 8);
		unsigned long c = __atomic_add_fetch(&ctr, 1, __ATOMIC_RELAXED);
		memcpy(r + 8, &c, 4);
	}
	int n = snprintf(buf, STORE_ID_LEN, "%s-", prefix);
	for (size_t i = 0; i < sizeof r && n + 2 < STORE_ID_LEN; i++)
		n += snprintf(buf + n, STORE_ID_LEN - (size_t)n, "%02x", r[i]);
}

static int exec(store *s, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		log_err("store: %s", msg ? msg : "sqlite error");
		sqlite3_free(msg);
		return RS_EIO;
	}
	return 0;
}

static int user_version(store *s)
{
	sqlite3_stmt *st;
	int v = -1;
	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int migrate(store *s)
{
	int v = user_version(s);
	if (v < 0)
		return RS_EIO;
	if (v > N_MIGRATIONS) {
		log_err("store: schema version %d is newer than this roosterd (%d)", v,
			N_MIGRATIONS);
		return RS_EIO;
	}
	for (; v < N_MIGRATIONS; v++) {
		char pragma[64];
		snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d;", v + 1);
		if (exec(s, "BEGIN IMMEDIATE") || exec(s, migrations[v]) || exec(s, pragma) ||
		    exec(s, "COMMIT")) {
			exec(s, "ROLLBACK");
			return RS_EIO;
		}
		log_info("store: migrated schema to version %d", v + 1);
	}
	return 0;
}

int store_open(const char *dir, store **out, char *err, size_t errlen)
{
	*out = NULL;
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		snprintf(err, errlen, "state_dir %s: %s", dir, strerror(errno));
		return RS_EIO;
	}
	if (chmod(dir, 0700) != 0) {
		snprintf(err, errlen, "state_dir %s: cannot set mode 0700: %s", dir,
			 strerror(errno));
		return RS_EIO;
	}
	/* a second daemon on the same directory would run the first one's
	 * jobs again (it takes them for a crash's) */
	char *lpath = xasprintf("%s/roosterd.lock", dir);
	int fd = open(lpath, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	free(lpath);
	if (fd < 0) {
		snprintf(err, errlen, "state_dir %s: roosterd.lock: %s", dir, strerror(errno));
		return RS_EIO;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		char pid[32] = "";
		ssize_t n = pread(fd, pid, sizeof pid - 1, 0);
		pid[n > 0 ? n : 0] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		snprintf(err, errlen, "state_dir %s is in use by another roosterd%s%s%s", dir,
			 *pid ? " (pid " : "", pid, *pid ? ")" : "");
		close(fd);
		return RS_EBUSY;
	}
	char pid[32];
	int pn = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	bool wrote = ftruncate(fd, 0) == 0 && pwrite(fd, pid, (size_t)pn, 0) == pn;
	(void)wrote; /* the pid serves the message above only */
	char *path = xasprintf("%s/roosterd.db", dir);
	store *s = xcalloc(1, sizeof *s);
	s->lock_fd = fd;
	pthread_mutex_init(&s->lock, NULL);
	int rc = sqlite3_open_v2(path, &s->db,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
				 NULL);
	free(path);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "store: %s", s->db ? sqlite3_errmsg(s->db) : "cannot open");
		store_close(s);
		return RS_EIO;
	}
	sqlite3_busy_timeout(s->db, 5000);
	if (exec(s, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA secure_delete=ON;"
		    "PRAGMA foreign_keys=ON;") ||
	    migrate(s)) {
		snprintf(err, errlen, "store: cannot prepare the database in %s", dir);
		store_close(s);
		return RS_EIO;
	}
	*out = s;
	return 0;
}

void store_close(store *s)
{
	if (!s)
		return;
	if (s->db) {
		sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
		sqlite3_close(s->db);
	}
	pthread_mutex_destroy(&s->lock);
	close(s->lock_fd); /* and the lock with it */
	free(s);
}

int store_schema_version(store *s)
{
	pthread_mutex_lock(&s->lock);
	int v = user_version(s);
	pthread_mutex_unlock(&s->lock);
	return v;
}

static void cpy(char *dst, size_t n, const unsigned char *src)
{
	snprintf(dst, n, "%s", src ? (const char *)src : "");
}

#define JOB_COLS                                                                             \
	"id, tenant, kind, state, status, plan_id, plan_version, created, started, finished,"  \
	" objective, bound, gap, time_limit, attempts, error, parent_version, req_hash"

static void row_job(sqlite3_stmt *st, store_job *j)
{
	memset(j, 0, sizeof *j);
	cpy(j->id, sizeof j->id, sqlite3_column_text(st, 0));
	cpy(j->tenant, sizeof j->tenant, sqlite3_column_text(st, 1));
	cpy(j->kind, sizeof j->kind, sqlite3_column_text(st, 2));
	cpy(j->state, sizeof j->state, sqlite3_column_text(st, 3));
	cpy(j->status, sizeof j->status, sqlite3_column_text(st, 4));
	cpy(j->plan, sizeof j->plan, sqlite3_column_text(st, 5));
	j->version = sqlite3_column_int(st, 6);
	j->created = sqlite3_column_double(st, 7);
	j->started = sqlite3_column_double(st, 8);
	j->finished = sqlite3_column_double(st, 9);
	j->objective = sqlite3_column_double(st, 10);
	j->bound = sqlite3_column_double(st, 11);
	j->gap = sqlite3_column_double(st, 12);
	j->time_limit = sqlite3_column_double(st, 13);
	j->attempts = sqlite3_column_int(st, 14);
	cpy(j->error, sizeof j->error, sqlite3_column_text(st, 15));
	j->parent_version = sqlite3_column_int(st, 16);
	cpy(j->req_hash, sizeof j->req_hash, sqlite3_column_text(st, 17));
	j->has_figures = sqlite3_column_type(st, 10) != SQLITE_NULL;
}

static int get_locked(store *s, const char *tenant, const char *id, store_job *out)
{
	sqlite3_stmt *st;
	int rc = RS_ENOTFOUND;
	if (sqlite3_prepare_v2(s->db,
			       "SELECT " JOB_COLS " FROM jobs WHERE id = ?1 AND"
			       " (?2 IS NULL OR tenant = ?2)",
			       -1, &st, NULL) != SQLITE_OK)
		return RS_EIO;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if (tenant)
		sqlite3_bind_text(st, 2, tenant, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		row_job(st, out);
		rc = 0;
	}
	sqlite3_finalize(st);
	return rc;
}

/* The tenant's job stored under idem_key into *out: 0, RS_ENOTFOUND or
 * RS_EIO. With s->lock held. */
static int by_key_locked(store *s, const char *tenant, const char *idem_key, store_job *out)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "SELECT id FROM jobs WHERE tenant = ?1 AND idem_key = ?2", -1,
			       &st, NULL) != SQLITE_OK)
		return RS_EIO;
	sqlite3_bind_text(st, 1, tenant, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, idem_key, -1, SQLITE_STATIC);
	char id[STORE_ID_LEN] = "";
	if (sqlite3_step(st) == SQLITE_ROW)
		cpy(id, sizeof id, sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return *id ? get_locked(s, NULL, id, out) : RS_ENOTFOUND;
}

int store_job_by_key(store *s, const char *tenant, const char *idem_key, store_job *out)
{
	pthread_mutex_lock(&s->lock);
	int rc = by_key_locked(s, tenant, idem_key, out);
	pthread_mutex_unlock(&s->lock);
	return rc;
}

int store_job_insert(store *s, const char *tenant, const char *kind, const char *idem_key,
		     const char *req_hash, const void *req, size_t len, double time_limit,
		     const store_parent *parent, store_job *out, bool *existing)
{
	int rc = 0;
	*existing = false;
	pthread_mutex_lock(&s->lock);
	if (idem_key) {
		rc = by_key_locked(s, tenant, idem_key, out);
		if (rc != RS_ENOTFOUND) {
			*existing = rc == 0;
			goto end;
		}
		rc = 0;
	}
	char id[STORE_ID_LEN], plan[STORE_ID_LEN];
	store_new_id("j", id);
	store_new_id("p", plan);
	int version = 1;
	sqlite3_stmt *st;
	if (parent) {
		/* the parent version must still be there (a tenant.erase may
		 * have come since the caller read it) */
		if (sqlite3_prepare_v2(s->db,
				       "SELECT 1 FROM plans WHERE id = ?1 AND version = ?2 AND"
				       " tenant = ?3",
				       -1, &st, NULL) != SQLITE_OK) {
			rc = RS_EIO;
			goto end;
		}
		sqlite3_bind_text(st, 1, parent->plan, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 2, parent->version);
		sqlite3_bind_text(st, 3, tenant, -1, SQLITE_STATIC);
		bool there = sqlite3_step(st) == SQLITE_ROW;
		sqlite3_finalize(st);
		if (!there) {
			rc = RS_ENOTFOUND;
			goto end;
		}
		/* the next version of the parent's plan: one past every version
		 * its jobs took (a failed job's number is not given again) */
		cpy(plan, sizeof plan, (const unsigned char *)parent->plan);
		if (sqlite3_prepare_v2(s->db,
				       "SELECT MAX(v) FROM (SELECT plan_version v FROM jobs"
				       " WHERE plan_id = ?1 UNION ALL SELECT version FROM plans"
				       " WHERE id = ?1)",
				       -1, &st, NULL) != SQLITE_OK) {
			rc = RS_EIO;
			goto end;
		}
		sqlite3_bind_text(st, 1, plan, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			version = sqlite3_column_int(st, 0) + 1;
		sqlite3_finalize(st);
	}
	if (sqlite3_prepare_v2(s->db,
			       "INSERT INTO jobs (id, tenant, kind, state, idem_key, created,"
			       " time_limit, request, plan_id, plan_version, parent_plan,"
			       " parent_version, req_hash)"
			       " VALUES (?1, ?2, ?3, 'queued', ?4, ?5, ?6, ?7, ?8, ?10, ?9, ?11, ?12)",
			       -1, &st, NULL) != SQLITE_OK) {
		rc = RS_EIO;
		goto end;
	}
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, tenant, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, kind, -1, SQLITE_STATIC);
	if (idem_key)
		sqlite3_bind_text(st, 4, idem_key, -1, SQLITE_STATIC);
	sqlite3_bind_double(st, 5, store_now());
	sqlite3_bind_double(st, 6, time_limit);
	sqlite3_bind_blob(st, 7, req, (int)len, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, plan, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 10, version);
	if (parent) {
		sqlite3_bind_text(st, 9, parent->plan, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 11, parent->version);
	}
	if (req_hash)
		sqlite3_bind_text(st, 12, req_hash, -1, SQLITE_STATIC);
	int step = sqlite3_step(st);
	sqlite3_finalize(st);
	if (step != SQLITE_DONE) {
		log_err("store: insert job: %s", sqlite3_errmsg(s->db));
		rc = RS_EIO;
		goto end;
	}
	rc = get_locked(s, NULL, id, out);
end:
	pthread_mutex_unlock(&s->lock);
	return rc;
}

int store_job_get(store *s, const char *tenant, const char *id, store_job *out)
{
	pthread_mutex_lock(&s->lock);
	int rc = get_locked(s, tenant, id, out);
	pthread_mutex_unlock(&s->lock);
	return rc;
}

static int get_blob(store *s, const char *sql, const char *a, const char *b, int c, void **buf,
		    size_t *len)
{
	sqlite3_stmt *st;
	int rc = RS_ENOTFOUND;
	*buf = NULL;
	*len = 0;
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		pthread_mutex_unlock(&s->lock);
		return RS_EIO;
	}
	sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
	if (b)
		sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, c);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_BLOB) {
		*len = (size_t)sqlite3_column_bytes(st, 0);
		*buf = xmalloc(*len);
		memcpy(*buf, sqlite3_column_blob(st, 0), *len);
		rc = 0;
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return rc;
}

int store_job_request(store *s, const char *id, void **buf, size_t *len)
{
	return get_blob(s, "SELECT request FROM jobs WHERE id = ?1 AND ?3 = 0", id, NULL, 0, buf,
			len);
}

int store_job_answer(store *s, const char *tenant, const char *id, void **buf, size_t *len)
{
	return get_blob(s,
			"SELECT p.answer FROM jobs j JOIN plans p ON p.id = j.plan_id AND"
			" p.version = j.plan_version WHERE j.id = ?1 AND (?2 IS NULL OR"
			" j.tenant = ?2) AND ?3 = 0",
			id, tenant, 0, buf, len);
}

int store_plan_get(store *s, const char *tenant, const char *plan, int version, void **buf,
		   size_t *len)
{
	return get_blob(s,
			"SELECT answer FROM plans WHERE id = ?1 AND (?2 IS NULL OR tenant = ?2)"
			" AND (?3 = 0 OR version = ?3) ORDER BY version DESC LIMIT 1",
			plan, tenant, version, buf, len);
}

int store_plan_history(store *s, const char *tenant, const char *plan,
		       void (*cb)(void *ud, const store_version *v), void *ud)
{
	sqlite3_stmt *st;
	int rc = RS_ENOTFOUND;
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db,
			       "SELECT p.version, p.parent_version, p.job_id, p.created, j.status,"
			       " j.objective, j.bound, j.gap FROM plans p LEFT JOIN jobs j ON"
			       " j.id = p.job_id WHERE p.id = ?1 AND (?2 IS NULL OR p.tenant = ?2)"
			       " ORDER BY p.version",
			       -1, &st, NULL) != SQLITE_OK) {
		pthread_mutex_unlock(&s->lock);
		return RS_EIO;
	}
	sqlite3_bind_text(st, 1, plan, -1, SQLITE_STATIC);
	if (tenant)
		sqlite3_bind_text(st, 2, tenant, -1, SQLITE_STATIC);
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		store_version v = {.version = sqlite3_column_int(st, 0),
				   .parent_version = sqlite3_column_int(st, 1),
				   .created = sqlite3_column_double(st, 3),
				   .has_figures = sqlite3_column_type(st, 5) != SQLITE_NULL,
				   .objective = sqlite3_column_double(st, 5),
				   .bound = sqlite3_column_double(st, 6),
				   .gap = sqlite3_column_double(st, 7)};
		cpy(v.job, sizeof v.job, sqlite3_column_text(st, 2));
		cpy(v.status, sizeof v.status, sqlite3_column_text(st, 4));
		cb(ud, &v);
		rc = 0;
	}
	if (step != SQLITE_DONE)
		rc = RS_EIO;
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return rc;
}

int store_job_start(store *s, const char *id)
{
	sqlite3_stmt *st;
	int rc = 0;
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db,
			       "UPDATE jobs SET state = 'running', started = ?2,"
			       " attempts = attempts + 1 WHERE id = ?1"
			       " AND state IN ('queued', 'running')",
			       -1, &st, NULL) != SQLITE_OK) {
		rc = RS_EIO;
	} else {
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		sqlite3_bind_double(st, 2, store_now());
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = RS_EIO;
		else if (sqlite3_changes(s->db) == 0)
			rc = RS_ENOTFOUND;
		sqlite3_finalize(st);
	}
	pthread_mutex_unlock(&s->lock);
	return rc;
}

int store_job_finish(store *s, const char *id, const char *state, const char *status,
		     double objective, double bound, double gap, const char *error,
		     const void *answer, size_t alen)
{
	sqlite3_stmt *st = NULL;
	int rc = 0;
	pthread_mutex_lock(&s->lock);
	if (exec(s, "BEGIN IMMEDIATE")) {
		rc = RS_EIO;
		goto end;
	}
	if (sqlite3_prepare_v2(s->db,
			       "UPDATE jobs SET state = ?2, status = ?3, objective = ?4, bound = ?5,"
			       " gap = ?6, error = ?7, finished = ?8 WHERE id = ?1",
			       -1, &st, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, state, -1, SQLITE_STATIC);
	if (status)
		sqlite3_bind_text(st, 3, status, -1, SQLITE_STATIC);
	if (answer) { /* no answer, no figures: they stay NULL */
		sqlite3_bind_double(st, 4, objective);
		sqlite3_bind_double(st, 5, bound);
		sqlite3_bind_double(st, 6, gap);
	}
	if (error)
		sqlite3_bind_text(st, 7, error, -1, SQLITE_STATIC);
	sqlite3_bind_double(st, 8, store_now());
	if (sqlite3_step(st) != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(st);
	st = NULL;
	if (answer) {
		if (sqlite3_prepare_v2(s->db,
				       "INSERT OR REPLACE INTO plans (id, version, tenant, kind,"
				       " parent_id, parent_version, job_id, created, answer)"
				       " SELECT plan_id, plan_version, tenant, kind, parent_plan, parent_version,"
				       " id, ?2, ?3 FROM jobs WHERE id = ?1",
				       -1, &st, NULL) != SQLITE_OK)
			goto fail;
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		sqlite3_bind_double(st, 2, store_now());
		sqlite3_bind_blob(st, 3, answer, (int)alen, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			goto fail;
		sqlite3_finalize(st);
		st = NULL;
	}
	if (exec(s, "COMMIT"))
		goto fail;
	goto end;
fail:
	log_err("store: finish job %s: %s", id, sqlite3_errmsg(s->db));
	sqlite3_finalize(st);
	exec(s, "ROLLBACK");
	rc = RS_EIO;
end:
	pthread_mutex_unlock(&s->lock);
	return rc;
}

static int each_job(store *s, const char *sql, const char *a, const char *b, int limit,
		    void (*cb)(void *, const store_job *), void *ud)
{
	sqlite3_stmt *st;
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		pthread_mutex_unlock(&s->lock);
		return RS_EIO;
	}
	if (a)
		sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
	if (b)
		sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, limit);
	store_job j;
	while (sqlite3_step(st) == SQLITE_ROW) {
		row_job(st, &j);
		cb(ud, &j);
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return 0;
}

int store_jobs_unfinished(store *s, void (*cb)(void *ud, const store_job *j), void *ud)
{
	return each_job(s,
			"SELECT " JOB_COLS " FROM jobs WHERE state IN ('queued', 'running')"
			" AND ?3 >= 0 ORDER BY created",
			NULL, NULL, 0, cb, ud);
}

int store_job_list(store *s, const char *tenant, const char *state, int limit,
		   void (*cb)(void *ud, const store_job *j), void *ud)
{
	return each_job(s,
			"SELECT " JOB_COLS " FROM jobs WHERE (?1 IS NULL OR tenant = ?1) AND"
			" (?2 IS NULL OR state = ?2) ORDER BY created DESC LIMIT ?3",
			tenant, state, limit, cb, ud);
}

int store_job_counts(store *s, long counts[5])
{
	static const char *const states[] = {"queued", "running", "done", "failed", "cancelled"};
	sqlite3_stmt *st;
	memset(counts, 0, 5 * sizeof(long));
	pthread_mutex_lock(&s->lock);
	int rc = sqlite3_prepare_v2(s->db, "SELECT state, count(*) FROM jobs GROUP BY state", -1,
				    &st, NULL) == SQLITE_OK
			 ? 0
			 : RS_EIO;
	while (!rc && sqlite3_step(st) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(st, 0);
		for (int i = 0; i < 5; i++)
			if (k && strcmp(k, states[i]) == 0)
				counts[i] = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return rc;
}

/* Run a statement with up to two text params; return changes or <0. */
static int run(store *s, const char *sql, const char *a, double d)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return RS_EIO;
	if (a)
		sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
	sqlite3_bind_double(st, 2, d);
	int rc = sqlite3_step(st) == SQLITE_DONE ? sqlite3_changes(s->db) : RS_EIO;
	sqlite3_finalize(st);
	return rc;
}

int store_job_requeue(store *s, const char *id)
{
	pthread_mutex_lock(&s->lock);
	int rc = run(s,
		     "UPDATE jobs SET state = 'queued', started = NULL,"
		     " attempts = MAX(attempts - 1, 0) WHERE id = ?1 AND state = 'running'"
		     " AND ?2 = 0",
		     id, 0);
	pthread_mutex_unlock(&s->lock);
	return rc < 0 ? rc : 0;
}

int store_job_cancel_unrun(store *s, const char *tenant, const char *id)
{
	sqlite3_stmt *st;
	int rc;
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db,
			       "UPDATE jobs SET state = 'cancelled', status = NULL, error = ?3,"
			       " finished = ?4 WHERE id = ?1 AND (?2 IS NULL OR tenant = ?2)"
			       " AND state IN ('queued', 'running')",
			       -1, &st, NULL) != SQLITE_OK) {
		pthread_mutex_unlock(&s->lock);
		return RS_EIO;
	}
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if (tenant)
		sqlite3_bind_text(st, 2, tenant, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, "cancelled before it ran again", -1, SQLITE_STATIC);
	sqlite3_bind_double(st, 4, store_now());
	rc = sqlite3_step(st) == SQLITE_DONE ? sqlite3_changes(s->db) : RS_EIO;
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return rc;
}

/* After deleting personal data: push it out of the WAL too. */
static void scrub(store *s)
{
	sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
}

int store_erase_tenant(store *s, const char *tenant, store_erased *out)
{
	memset(out, 0, sizeof *out);
	pthread_mutex_lock(&s->lock);
	int rc = exec(s, "BEGIN IMMEDIATE");
	int p = rc ? rc : run(s, "DELETE FROM plans WHERE tenant = ?1", tenant, 0);
	int j = p < 0 ? p : run(s, "DELETE FROM jobs WHERE tenant = ?1", tenant, 0);
	if (p < 0 || j < 0) {
		exec(s, "ROLLBACK");
		rc = RS_EIO;
	} else {
		rc = exec(s, "COMMIT");
		out->plans = p, out->jobs = j;
		scrub(s);
	}
	pthread_mutex_unlock(&s->lock);
	return rc;
}

/* Rewrite every blob of `col` in `table` for tenant that mentions learner. */
static int erase_in(store *s, const char *table, const char *col, const char *tenant,
		    const char *learner, int *edited)
{
	char *sel = xasprintf("SELECT rowid, %s FROM %s WHERE tenant = ?1", col, table);
	char *upd = xasprintf("UPDATE %s SET %s = ?2 WHERE rowid = ?1", table, col);
	sqlite3_stmt *st = NULL, *up = NULL;
	int rc = 0;
	if (sqlite3_prepare_v2(s->db, sel, -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, upd, -1, &up, NULL) != SQLITE_OK) {
		rc = RS_EIO;
		goto end;
	}
	sqlite3_bind_text(st, 1, tenant, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const void *b = sqlite3_column_blob(st, 1);
		size_t n = (size_t)sqlite3_column_bytes(st, 1);
		msgpack_sbuffer sb;
		if (!tt_erase_learner(b, n, learner, &sb)) {
			msgpack_sbuffer_destroy(&sb);
			continue;
		}
		sqlite3_reset(up);
		sqlite3_bind_int64(up, 1, sqlite3_column_int64(st, 0));
		sqlite3_bind_blob(up, 2, sb.data, (int)sb.size, SQLITE_TRANSIENT);
		int step = sqlite3_step(up);
		msgpack_sbuffer_destroy(&sb);
		if (step != SQLITE_DONE) {
			rc = RS_EIO;
			break;
		}
		(*edited)++;
	}
end:
	sqlite3_finalize(st);
	sqlite3_finalize(up);
	free(sel);
	free(upd);
	return rc;
}

int store_erase_learner(store *s, const char *tenant, const char *learner, store_erased *out)
{
	memset(out, 0, sizeof *out);
	pthread_mutex_lock(&s->lock);
	int rc = exec(s, "BEGIN IMMEDIATE");
	if (!rc)
		rc = erase_in(s, "jobs", "request", tenant, learner,
			      &out->requests_edited);
	if (!rc)
		rc = erase_in(s, "plans", "answer", tenant, learner,
			      &out->answers_edited);
	if (rc) {
		exec(s, "ROLLBACK");
	} else {
		rc = exec(s, "COMMIT");
		scrub(s);
	}
	pthread_mutex_unlock(&s->lock);
	return rc;
}

int store_purge(store *s, double cutoff, int *jobs, int *plans)
{
	pthread_mutex_lock(&s->lock);
	int rc = exec(s, "BEGIN IMMEDIATE");
	int p = rc ? rc : run(s, "DELETE FROM plans WHERE created < ?2 AND ?1 IS NULL", NULL, cutoff);
	int j = p < 0 ? p
		      : run(s,
			    "DELETE FROM jobs WHERE state NOT IN ('queued', 'running') AND"
			    " created < ?2 AND ?1 IS NULL",
			    NULL, cutoff);
	if (p < 0 || j < 0) {
		exec(s, "ROLLBACK");
		rc = RS_EIO;
	} else {
		rc = exec(s, "COMMIT");
		*plans = p, *jobs = j;
		if (p || j)
			scrub(s);
	}
	pthread_mutex_unlock(&s->lock);
	return rc;
}
