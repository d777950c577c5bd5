/* test_jobs.c: a client's cancel of a running job against a shutdown that
 * stops the same solve. Whichever comes first, a job the daemon answered
 * "cancelling" for ends cancelled and is not queued for the next start. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "srv.h"
#include "store.h"

#include <msgpack.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static srv s;
static job j;

static int setup(void **st)
{
	(void)st;
	memset(&s, 0, sizeof s);
	memset(&j, 0, sizeof j);
	pthread_mutex_init(&s.jlock, NULL);
	snprintf(j.id, sizeof j.id, "j-0000000000000001");
	snprintf(j.tenant, sizeof j.tenant, "t1");
	j.state = JOB_RUNNING;
	s.jobs = &j;
	return 0;
}

static int teardown(void **st)
{
	(void)st;
	pthread_mutex_destroy(&s.jlock);
	return 0;
}

/* The shutdown's kill is on its way when the client's cancel arrives. */
static void cancel_after_shutdown_kill(void **st)
{
	(void)st;
	j.cancel = CANCEL_SHUTDOWN;
	assert_int_equal(jobs_cancel_id(&s, j.id, "t2", CANCEL_USER), -1); /* not t2's */
	assert_false(j.user_cancel);
	assert_int_equal(jobs_cancel_id(&s, j.id, "t1", CANCEL_USER), 1);
	assert_true(j.user_cancel);
	assert_int_equal(j.cancel, CANCEL_SHUTDOWN); /* the kill already sent stays */
	/* the solve ends interrupted: it must not go back to the queue */
	assert_false(jobs_settle_interrupted(&s, &j));
	assert_false(j.requeued);
}

/* The shutdown sent the job back first; a cancel then says where it is. */
static void cancel_after_requeue(void **st)
{
	(void)st;
	j.cancel = CANCEL_SHUTDOWN;
	assert_true(jobs_settle_interrupted(&s, &j));
	assert_true(j.requeued);
	assert_int_equal(jobs_cancel_id(&s, j.id, NULL, CANCEL_USER), 2);
	j.state = JOB_DONE; /* the worker is done with it, the loop not yet */
	assert_int_equal(jobs_cancel_id(&s, j.id, NULL, CANCEL_USER), 2);
}

/* A job that simply finished is not cancelled. */
static void cancel_after_finish(void **st)
{
	(void)st;
	j.state = JOB_DONE;
	assert_int_equal(jobs_cancel_id(&s, j.id, NULL, CANCEL_USER), 0);
	assert_false(j.user_cancel);
}

/* A store holding one job of tenant t1, started (its row says running),
 * and j pointing at it as the worker holds it during a shutdown. */
static char dir[64];

static int setup_store(void **st)
{
	setup(st);
	snprintf(dir, sizeof dir, "/tmp/test_jobs_XXXXXX");
	assert_non_null(mkdtemp(dir));
	char err[256];
	assert_int_equal(store_open(dir, &s.st, err, sizeof err), 0);
	msgpack_sbuffer req;
	msgpack_sbuffer_init(&req);
	msgpack_packer pk;
	msgpack_packer_init(&pk, &req, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 0);
	store_job row;
	bool existing;
	assert_int_equal(store_job_insert(s.st, "t1", "timetable", NULL, NULL, req.data, req.size, 10, NULL,
					  &row, &existing),
			 0);
	msgpack_sbuffer_destroy(&req);
	snprintf(j.id, sizeof j.id, "%s", row.id);
	assert_int_equal(store_job_start(s.st, j.id), 0);
	j.cancel = CANCEL_SHUTDOWN;
	return 0;
}

static int teardown_store(void **st)
{
	store_close(s.st);
	char cmd[96];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	return teardown(st);
}

static const char *row_state(void)
{
	static store_job got;
	assert_int_equal(store_job_get(s.st, "t1", j.id, &got), 0);
	return got.state;
}

/* The client's cancel lands between the settle and the worker's requeue:
 * the row is cancelled and the worker tells the waiters so, not "runs
 * again after restart". */
static void cancel_before_requeue_write(void **st)
{
	(void)st;
	assert_true(jobs_settle_interrupted(&s, &j));
	assert_int_equal(jobs_cancel_id(&s, j.id, "t1", CANCEL_USER), 2);
	assert_int_equal(store_job_cancel_unrun(s.st, "t1", j.id), 1);
	assert_true(jobs_requeue_interrupted(&s, &j));
	assert_string_equal(row_state(), "cancelled");
}

/* No cancel: the row is queued for the next start; a cancel after that
 * still reaches the row. */
static void requeue_then_cancel(void **st)
{
	(void)st;
	assert_true(jobs_settle_interrupted(&s, &j));
	assert_false(jobs_requeue_interrupted(&s, &j));
	assert_string_equal(row_state(), "queued");
	assert_int_equal(jobs_cancel_id(&s, j.id, "t1", CANCEL_USER), 2);
	assert_int_equal(store_job_cancel_unrun(s.st, "t1", j.id), 1);
	assert_string_equal(row_state(), "cancelled");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(cancel_after_shutdown_kill, setup, teardown),
		cmocka_unit_test_setup_teardown(cancel_after_requeue, setup, teardown),
		cmocka_unit_test_setup_teardown(cancel_after_finish, setup, teardown),
		cmocka_unit_test_setup_teardown(cancel_before_requeue_write, setup_store,
						teardown_store),
		cmocka_unit_test_setup_teardown(requeue_then_cancel, setup_store, teardown_store),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
