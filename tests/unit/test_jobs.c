/* test_jobs.c: a client's cancel of a running job against a shutdown that
 * stops the same solve. Whichever comes first, a job the daemon answered
 * "cancelling" for ends cancelled and is not queued for the next start. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "srv.h"

#include <string.h>

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(cancel_after_shutdown_kill, setup, teardown),
		cmocka_unit_test_setup_teardown(cancel_after_requeue, setup, teardown),
		cmocka_unit_test_setup_teardown(cancel_after_finish, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
