/* test_store.c: the job store: durability across reopen, idempotency, plans, erasure, purge. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mp.h"
#include "rs_error.h"
#include "store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static int setup(void **st)
{
	(void)st;
	snprintf(dir, sizeof dir, "/tmp/roosterd-store-XXXXXX");
	assert_non_null(mkdtemp(dir));
	return 0;
}

static int teardown(void **st)
{
	(void)st;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void pack_request(msgpack_sbuffer *sb, const char *learner)
{
	msgpack_packer pk;
	msgpack_packer_init(&pk, sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 2);
	mp_pack_kv_str(&pk, "tenant", "t1");
	mp_pack_str(&pk, "learners");
	msgpack_pack_array(&pk, 2);
	msgpack_pack_map(&pk, 1);
	mp_pack_kv_str(&pk, "id", learner);
	msgpack_pack_map(&pk, 1);
	mp_pack_kv_str(&pk, "id", "keep-me");
}

/* One store per state directory: a second open (another daemon) is refused
 * with the holder's pid, and the directory is free again once it closes. */
static void one_store_per_directory(void **st)
{
	(void)st;
	char err[256] = "";
	store *a, *b = NULL;
	assert_int_equal(store_open(dir, &a, err, sizeof err), 0);
	assert_int_equal(store_open(dir, &b, err, sizeof err), RS_EBUSY);
	assert_null(b);
	char want[64];
	snprintf(want, sizeof want, "in use by another roosterd (pid %ld)", (long)getpid());
	if (!strstr(err, want))
		fail_msg("message: %s", err);
	store_close(a);
	assert_int_equal(store_open(dir, &b, err, sizeof err), 0);
	store_close(b);
}

static void jobs_survive_reopen(void **st)
{
	(void)st;
	char err[256];
	store *s;
	assert_int_equal(store_open(dir, &s, err, sizeof err), 0);
	struct stat sb;
	assert_int_equal(stat(dir, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
	assert_int_equal(store_schema_version(s), 3);
	msgpack_sbuffer req;
	msgpack_sbuffer_init(&req);
	pack_request(&req, "alice-0001");
	store_job j, k;
	bool existing;
	assert_int_equal(store_job_insert(s, "t1", "timetable", "key-1", "h1", req.data, req.size, 10,
					  NULL, &j, &existing),
			 0);
	assert_false(existing);
	assert_string_equal(j.state, "queued");
	assert_int_equal(store_job_insert(s, "t1", "timetable", "key-1", "h1", req.data, req.size, 10,
					  NULL, &k, &existing),
			 0);
	assert_true(existing);
	assert_string_equal(k.id, j.id);
	/* the digest it was first sent with comes back, to tell a reuse */
	assert_string_equal(k.req_hash, "h1");
	assert_false(k.has_figures);
	/* another tenant with the same key is another job */
	assert_int_equal(store_job_insert(s, "t2", "timetable", "key-1", "h1", req.data, req.size, 10,
					  NULL, &k, &existing),
			 0);
	assert_false(existing);
	assert_string_not_equal(k.id, j.id);
	assert_int_equal(store_job_start(s, j.id), 0);
	store_close(s);

	/* "crash" and reopen: both jobs are unfinished, the running one counted an attempt */
	assert_int_equal(store_open(dir, &s, err, sizeof err), 0);
	store_job got;
	assert_int_equal(store_job_get(s, "t1", j.id, &got), 0);
	assert_string_equal(got.state, "running");
	assert_int_equal(got.attempts, 1);
	assert_int_equal(store_job_get(s, "t2", j.id, &got), RS_ENOTFOUND);
	void *blob;
	size_t len;
	assert_int_equal(store_job_request(s, j.id, &blob, &len), 0);
	assert_int_equal(len, req.size);
	assert_memory_equal(blob, req.data, len);
	free(blob);

	const char answer[] = "\x81\xa6status\xa7optimal";
	assert_int_equal(store_job_finish(s, j.id, "done", "optimal", 10, 9, 0.1, NULL, answer,
					  sizeof answer - 1),
			 0);
	assert_int_equal(store_job_answer(s, "t1", j.id, &blob, &len), 0);
	assert_int_equal(len, sizeof answer - 1);
	free(blob);
	assert_int_equal(store_plan_get(s, "t1", j.plan, 0, &blob, &len), 0);
	free(blob);
	assert_int_equal(store_plan_get(s, "t2", j.plan, 0, &blob, &len), RS_ENOTFOUND);
	long counts[5];
	assert_int_equal(store_job_counts(s, counts), 0);
	assert_int_equal(counts[0], 1); /* t2's job still queued */
	assert_int_equal(counts[2], 1);
	msgpack_sbuffer_destroy(&req);
	store_close(s);
}

/* A job a shutdown sent back to the queue, then cancelled: it stays
 * cancelled whichever of the two writes comes first, and only a queued or
 * running row of the caller's tenant is touched. */
static void cancel_of_a_requeued_job(void **st)
{
	(void)st;
	char err[256];
	store *s;
	assert_int_equal(store_open(dir, &s, err, sizeof err), 0);
	msgpack_sbuffer req;
	msgpack_sbuffer_init(&req);
	pack_request(&req, "alice-0001");
	store_job a, b, got;
	bool existing;
	assert_int_equal(store_job_insert(s, "t1", "timetable", NULL, NULL, req.data, req.size, 10, NULL,
					  &a, &existing),
			 0);
	assert_int_equal(store_job_insert(s, "t1", "timetable", NULL, NULL, req.data, req.size, 10, NULL,
					  &b, &existing),
			 0);
	/* a: requeued first, then cancelled */
	assert_int_equal(store_job_start(s, a.id), 0);
	assert_int_equal(store_job_requeue(s, a.id), 0);
	assert_int_equal(store_job_get(s, "t1", a.id, &got), 0);
	assert_string_equal(got.state, "queued");
	assert_int_equal(got.attempts, 0);
	assert_int_equal(store_job_cancel_unrun(s, "t2", a.id), 0); /* not t2's */
	assert_int_equal(store_job_cancel_unrun(s, "t1", a.id), 1);
	assert_int_equal(store_job_get(s, "t1", a.id, &got), 0);
	assert_string_equal(got.state, "cancelled");
	assert_int_equal(store_job_cancel_unrun(s, NULL, a.id), 0); /* already done */
	/* a worker that reaches it later does not start it */
	assert_int_equal(store_job_start(s, a.id), RS_ENOTFOUND);
	assert_int_equal(store_job_get(s, "t1", a.id, &got), 0);
	assert_string_equal(got.state, "cancelled");
	/* b: cancelled while its row still says running, then the requeue comes */
	assert_int_equal(store_job_start(s, b.id), 0);
	assert_int_equal(store_job_cancel_unrun(s, NULL, b.id), 1);
	assert_int_equal(store_job_requeue(s, b.id), 0);
	assert_int_equal(store_job_get(s, "t1", b.id, &got), 0);
	assert_string_equal(got.state, "cancelled");
	long counts[5];
	assert_int_equal(store_job_counts(s, counts), 0);
	assert_int_equal(counts[0] + counts[1], 0); /* nothing left to run after a restart */
	/* a finished job is not cancelled */
	store_job c;
	assert_int_equal(store_job_insert(s, "t1", "timetable", NULL, NULL, req.data, req.size, 10, NULL,
					  &c, &existing),
			 0);
	assert_int_equal(store_job_start(s, c.id), 0);
	assert_int_equal(store_job_finish(s, c.id, "failed", NULL, 0, 0, 0, "x", NULL, 0), 0);
	assert_int_equal(store_job_cancel_unrun(s, "t1", c.id), 0);
	assert_int_equal(store_job_get(s, "t1", c.id, &got), 0);
	assert_string_equal(got.state, "failed");
	msgpack_sbuffer_destroy(&req);
	store_close(s);
}

static bool file_has(const char *path, const char *needle)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	static char buf[1 << 20];
	size_t n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	return memmem(buf, n, needle, strlen(needle)) != NULL;
}

static void learner_erasure_scrubs_files(void **st)
{
	(void)st;
	char err[256];
	store *s;
	assert_int_equal(store_open(dir, &s, err, sizeof err), 0);
	msgpack_sbuffer req;
	msgpack_sbuffer_init(&req);
	pack_request(&req, "bob-4242");
	store_job j;
	bool existing;
	assert_int_equal(store_job_insert(s, "t1", "timetable", NULL, NULL, req.data, req.size, 10, NULL,
					  &j, &existing),
			 0);
	store_erased e;
	assert_int_equal(store_erase_learner(s, "t1", "bob-4242", &e), 0);
	assert_int_equal(e.requests_edited, 1);
	void *blob;
	size_t len;
	assert_int_equal(store_job_request(s, j.id, &blob, &len), 0);
	assert_null(memmem(blob, len, "bob-4242", 8));
	assert_non_null(memmem(blob, len, "keep-me", 7));
	free(blob);
	store_close(s);
	char path[128];
	snprintf(path, sizeof path, "%s/roosterd.db", dir);
	assert_false(file_has(path, "bob-4242"));
	assert_true(file_has(path, "keep-me"));
	msgpack_sbuffer_destroy(&req);
}

static void tenant_erasure_and_purge(void **st)
{
	(void)st;
	char err[256];
	store *s;
	assert_int_equal(store_open(dir, &s, err, sizeof err), 0);
	store_job j;
	bool existing;
	assert_int_equal(store_job_insert(s, "gone", "timetable", NULL, NULL, "\x80", 1, 10, NULL, &j,
					  &existing),
			 0);
	store_job_finish(s, j.id, "done", "optimal", 0, 0, 0, NULL, "\x80", 1);
	store_erased e;
	assert_int_equal(store_erase_tenant(s, "gone", &e), 0);
	assert_int_equal(e.jobs, 1);
	assert_int_equal(e.plans, 1);
	assert_int_equal(store_job_get(s, NULL, j.id, &j), RS_ENOTFOUND);
	/* purge: a cutoff in the future removes finished rows, never queued ones */
	store_job q, f;
	store_job_insert(s, "p", "timetable", NULL, NULL, "\x80", 1, 10, NULL, &q, &existing);
	store_job_insert(s, "p", "timetable", NULL, NULL, "\x80", 1, 10, NULL, &f, &existing);
	store_job_finish(s, f.id, "done", "optimal", 0, 0, 0, NULL, "\x80", 1);
	int jobs = 0, plans = 0;
	assert_int_equal(store_purge(s, store_now() + 10, &jobs, &plans), 0);
	assert_true(jobs >= 1);
	assert_true(plans >= 1);
	assert_int_equal(store_job_get(s, NULL, q.id, &q), 0);
	assert_int_equal(store_job_get(s, NULL, f.id, &f), RS_ENOTFOUND);
	store_close(s);
}

typedef struct seen {
	store_version v[8];
	int n;
} seen;

static void see(void *ud, const store_version *v)
{
	seen *s = ud;
	if (s->n < 8)
		s->v[s->n++] = *v;
}

/* A re-plan makes the next version of its parent's plan: numbers are never
 * given twice (not even a failed job's), each version keeps its parent, and
 * the history lists what is stored, oldest first, for its tenant only. */
static void plan_versions_follow_their_parent(void **st)
{
	(void)st;
	char err[256];
	store *s;
	assert_int_equal(store_open(dir, &s, err, sizeof err), 0);
	store_job a, b, c, d;
	bool existing;
	assert_int_equal(
	    store_job_insert(s, "t1", "timetable", NULL, NULL, "\x80", 1, 10, NULL, &a, &existing), 0);
	assert_int_equal(a.version, 1);
	assert_int_equal(store_job_finish(s, a.id, "done", "optimal", 100, 100, 0, NULL, "\x81\xa1v\x01", 4), 0);
	store_parent p1 = {a.plan, 1};
	assert_int_equal(
	    store_job_insert(s, "t1", "timetable", NULL, NULL, "\x80", 1, 10, &p1, &b, &existing), 0);
	assert_string_equal(b.plan, a.plan);
	assert_int_equal(b.version, 2);
	/* a second re-plan of version 1 while the first runs */
	assert_int_equal(
	    store_job_insert(s, "t1", "timetable", NULL, NULL, "\x80", 1, 10, &p1, &c, &existing), 0);
	assert_int_equal(c.version, 3);
	assert_int_equal(store_job_finish(s, b.id, "failed", NULL, 0, 0, 0, "x", NULL, 0), 0);
	assert_int_equal(store_job_finish(s, c.id, "done", "time_limit", 90, 80, 1.0 / 9, NULL, "\x81\xa1v\x03", 4), 0);
	store_close(s);
	/* after a restart the numbering goes on past the failed job's 2 */
	assert_int_equal(store_open(dir, &s, err, sizeof err), 0);
	store_parent p3 = {a.plan, 3};
	assert_int_equal(
	    store_job_insert(s, "t1", "timetable", NULL, NULL, "\x80", 1, 10, &p3, &d, &existing), 0);
	assert_int_equal(d.version, 4);
	/* a parent that is not stored (the failed 2), or not the tenant's, or
	 * erased since the caller read it: no job */
	store_job x;
	store_parent p2 = {a.plan, 2};
	assert_int_equal(
	    store_job_insert(s, "t1", "timetable", NULL, NULL, "\x80", 1, 10, &p2, &x, &existing),
	    RS_ENOTFOUND);
	assert_int_equal(
	    store_job_insert(s, "t2", "timetable", NULL, NULL, "\x80", 1, 10, &p3, &x, &existing),
	    RS_ENOTFOUND);
	seen h = {0};
	assert_int_equal(store_plan_history(s, "t1", a.plan, see, &h), 0);
	assert_int_equal(h.n, 2); /* 2 failed, 4 not finished */
	assert_int_equal(h.v[0].version, 1);
	assert_int_equal(h.v[0].parent_version, 0);
	assert_string_equal(h.v[0].job, a.id);
	assert_string_equal(h.v[0].status, "optimal");
	assert_int_equal(h.v[1].version, 3);
	assert_int_equal(h.v[1].parent_version, 1);
	assert_string_equal(h.v[1].status, "time_limit");
	assert_true(h.v[1].has_figures);
	assert_true(h.v[1].objective == 90 && h.v[1].bound == 80);
	void *blob;
	size_t len;
	assert_int_equal(store_plan_get(s, "t1", a.plan, 2, &blob, &len), RS_ENOTFOUND);
	assert_int_equal(store_plan_get(s, "t1", a.plan, 0, &blob, &len), 0);
	assert_int_equal(len, 4);
	assert_memory_equal(blob, "\x81\xa1v\x03", 4); /* the latest is version 3 */
	free(blob);
	seen o = {0};
	assert_int_equal(store_plan_history(s, "t2", a.plan, see, &o), RS_ENOTFOUND);
	assert_int_equal(store_plan_history(s, NULL, a.plan, see, &o), 0);
	assert_int_equal(o.n, 2);
	store_close(s);
}

/* A store written by a roosterd of schema 1 opens, migrates to 2 and keeps
 * its jobs; its plans have no parent. */
static void schema_1_store_migrates(void **st)
{
	(void)st;
	char path[128];
	snprintf(path, sizeof path, "%s/roosterd.db", dir);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	const char *v1 =
	    "CREATE TABLE jobs (id TEXT PRIMARY KEY, tenant TEXT NOT NULL, kind TEXT NOT NULL,"
	    " state TEXT NOT NULL, idem_key TEXT, created REAL NOT NULL, started REAL,"
	    " finished REAL, time_limit REAL, attempts INTEGER NOT NULL DEFAULT 0,"
	    " request BLOB NOT NULL, status TEXT, objective REAL, bound REAL, gap REAL,"
	    " error TEXT, plan_id TEXT NOT NULL, plan_version INTEGER NOT NULL,"
	    " parent_plan TEXT);"
	    "CREATE TABLE plans (id TEXT NOT NULL, version INTEGER NOT NULL, tenant TEXT NOT NULL,"
	    " kind TEXT NOT NULL, parent_id TEXT, parent_version INTEGER, job_id TEXT NOT NULL,"
	    " created REAL NOT NULL, answer BLOB NOT NULL, PRIMARY KEY (id, version));"
	    "INSERT INTO jobs (id, tenant, kind, state, created, request, plan_id, plan_version)"
	    " VALUES ('j-old', 't1', 'timetable', 'queued', 1, x'80', 'p-old', 1);"
	    /* cancelled before it ran, as schema 2 wrote it */
	    "INSERT INTO jobs (id, tenant, kind, state, created, request, plan_id, plan_version,"
	    " status, objective, bound, gap, finished)"
	    " VALUES ('j-never', 't1', 'timetable', 'cancelled', 1, x'80', 'p-never', 1,"
	    " 'cancelled', 0, 0, 0, 2);"
	    "PRAGMA user_version = 1;";
	assert_int_equal(sqlite3_exec(db, v1, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	char err[256];
	store *s;
	assert_int_equal(store_open(dir, &s, err, sizeof err), 0);
	assert_int_equal(store_schema_version(s), 3);
	store_job j;
	assert_int_equal(store_job_get(s, "t1", "j-old", &j), 0);
	assert_string_equal(j.state, "queued");
	assert_string_equal(j.req_hash, ""); /* rows from before schema 3: unknown */
	/* no answer: no status, no figures (they read as a perfect plan) */
	assert_int_equal(store_job_get(s, "t1", "j-never", &j), 0);
	assert_string_equal(j.status, "");
	assert_false(j.has_figures);
	assert_int_equal(store_job_finish(s, "j-old", "done", "optimal", 1, 1, 0, NULL, "\x80", 1), 0);
	seen h = {0};
	assert_int_equal(store_plan_history(s, "t1", "p-old", see, &h), 0);
	assert_int_equal(h.n, 1);
	assert_int_equal(h.v[0].parent_version, 0);
	store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(one_store_per_directory, setup, teardown),
		cmocka_unit_test_setup_teardown(jobs_survive_reopen, setup, teardown),
		cmocka_unit_test_setup_teardown(cancel_of_a_requeued_job, setup, teardown),
		cmocka_unit_test_setup_teardown(learner_erasure_scrubs_files, setup, teardown),
		cmocka_unit_test_setup_teardown(tenant_erasure_and_purge, setup, teardown),
		cmocka_unit_test_setup_teardown(plan_versions_follow_their_parent, setup, teardown),
		cmocka_unit_test_setup_teardown(schema_1_store_migrates, setup, teardown),
	};
	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
