/* test_client.c: librooster, blocking and on a libuv loop, against a real roosterd.
 *
 * Starts $ROOSTERD (default build/roosterd) on a temporary socket. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mp.h"
#include "rooster_async.h"
#include "rooster_client.h"
#include "rs_error.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[64], sock[128];
static pid_t daemon_pid;

static int start(void **st)
{
	(void)st;
	snprintf(dir, sizeof dir, "/tmp/roosterd-client-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(sock, sizeof sock, "%s/s.sock", dir);
	char state[128];
	snprintf(state, sizeof state, "%s/state", dir);
	const char *exe = getenv("ROOSTERD") ? getenv("ROOSTERD") : "build/roosterd";
	daemon_pid = fork();
	if (daemon_pid == 0) {
		freopen("/dev/null", "w", stderr);
		execl(exe, exe, "-f", "--socket", sock, "--state-dir", state, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 200; i++) {
		rooster_client *c;
		rooster_error e;
		if (rooster_connect_unix(sock, &c, &e) == 0) {
			rooster_close(c);
			return 0;
		}
		usleep(25000);
	}
	return -1;
}

static int stop(void **st)
{
	(void)st;
	kill(daemon_pid, SIGTERM);
	int status;
	waitpid(daemon_pid, &status, 0);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd) == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static void blocking_calls(void **st)
{
	(void)st;
	rooster_client *c;
	rooster_error e;
	assert_int_equal(rooster_connect_unix(sock, &c, &e), 0);
	msgpack_object res;
	assert_int_equal(rooster_call(c, "server.hello", NULL, 0, &res, &e), 0);
	char name[32];
	assert_int_equal(rooster_get_str(&res, "server", name, sizeof name), 0);
	assert_string_equal(name, "roosterd");
	/* a server error keeps its code, name and field */
	msgpack_sbuffer sb;
	msgpack_sbuffer_init(&sb);
	msgpack_packer pk;
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 1);
	mp_pack_kv_int(&pk, "job", 5);
	assert_int_equal(rooster_call(c, "job.status", sb.data, sb.size, &res, &e), RS_EBADREQ);
	assert_string_equal(e.name, "E_BAD_REQUEST");
	assert_string_equal(e.field, "job");
	msgpack_sbuffer_clear(&sb);
	msgpack_pack_map(&pk, 1);
	mp_pack_kv_str(&pk, "job", "j-none");
	assert_int_equal(rooster_call(c, "job.status", sb.data, sb.size, &res, &e), RS_ENOTFOUND);
	assert_int_equal(rooster_call(c, "no.such", NULL, 0, &res, &e), RS_ENOMETHOD);
	assert_int_equal(rooster_job(c, "job.result", "j-none", "t1", true, &res, &e), RS_ENOTFOUND);
	assert_int_equal(rooster_job(c, "job.cancel", "j-none", NULL, false, &res, &e),
			 RS_ENOTFOUND);
	/* the connection still serves */
	assert_int_equal(rooster_call(c, "server.stats", NULL, 0, &res, &e), 0);
	msgpack_sbuffer_destroy(&sb);
	rooster_close(c);
	assert_int_equal(rooster_connect_unix("/nonexistent/x.sock", &c, &e), RS_EIO);
}

typedef struct tally {
	int ok, errors, shutdown, opened;
	int last_code;
} tally;

static void on_result(rooster_async *a, int rc, const msgpack_object *res,
		      const rooster_error *err, void *ud)
{
	tally *t = ud;
	(void)a;
	if (rc == 0 && res && res->type == MSGPACK_OBJECT_MAP)
		t->ok++;
	else if (rc == RS_ESHUTDOWN)
		t->shutdown++;
	else {
		t->errors++;
		t->last_code = err ? err->code : 0;
	}
}

static void on_open(rooster_async *a, int rc, void *ud)
{
	tally *t = ud;
	t->opened = rc == 0 ? 1 : -1;
	if (rc)
		return;
	rooster_async_call(a, "server.hello", NULL, 0, on_result, t);
	rooster_async_call(a, "server.stats", NULL, 0, on_result, t);
	rooster_async_call(a, "job.list", NULL, 0, on_result, t);
	rooster_async_call(a, "nope.nope", NULL, 0, on_result, t);
}

static void async_calls(void **st)
{
	(void)st;
	uv_loop_t loop;
	uv_loop_init(&loop);
	tally t = {0};
	rooster_async *a;
	assert_int_equal(rooster_async_open(&loop, sock, on_open, &t, &a), 0);
	for (int i = 0; i < 500 && t.ok + t.errors < 4; i++)
		uv_run(&loop, UV_RUN_ONCE);
	assert_int_equal(t.opened, 1);
	assert_int_equal(t.ok, 3);
	assert_int_equal(t.errors, 1);
	assert_int_equal(t.last_code, RS_ENOMETHOD);
	/* a call still pending at close gets E_SHUTDOWN */
	rooster_async_call(a, "server.hello", NULL, 0, on_result, &t);
	rooster_async_close(a);
	assert_int_equal(t.shutdown, 1);
	uv_run(&loop, UV_RUN_DEFAULT);
	assert_int_equal(uv_loop_close(&loop), 0);
}

static void on_open_only(rooster_async *a, int rc, void *ud)
{
	(void)a;
	((tally *)ud)->opened = rc == 0 ? 1 : -1;
}

/* A server that accepts and goes away (a restart): a call made before the
 * client has seen it gets its callback with an error, one made after is
 * refused at once; neither hangs or ends the process with SIGPIPE. */
static void async_server_gone(void **st)
{
	(void)st;
	signal(SIGPIPE, SIG_DFL);
	char path[96];
	snprintf(path, sizeof path, "%.60s/gone.sock", dir);
	int l = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
	assert_int_equal(bind(l, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(listen(l, 4), 0);
	uv_loop_t loop;
	uv_loop_init(&loop);
	tally t = {0};
	rooster_async *a;
	assert_int_equal(rooster_async_open(&loop, path, on_open_only, &t, &a), 0);
	for (int i = 0; i < 2000 && !t.opened; i++) /* 10 s: generous on a loaded machine */
		uv_run(&loop, UV_RUN_NOWAIT), usleep(5000);
	assert_int_equal(t.opened, 1);
	int fd = accept(l, NULL, NULL);
	assert_true(fd >= 0);
	close(fd);
	/* sent before the client read the close: fails through its callback */
	assert_int_equal(rooster_async_call(a, "server.hello", NULL, 0, on_result, &t), 0);
	for (int i = 0; i < 2000 && t.errors == 0; i++)
		uv_run(&loop, UV_RUN_NOWAIT), usleep(5000);
	assert_int_equal(t.errors, 1);
	assert_int_equal(t.last_code, RS_EIO);
	/* after: refused at once, no callback */
	assert_int_equal(rooster_async_call(a, "server.hello", NULL, 0, on_result, &t), RS_EIO);
	rooster_async_close(a);
	uv_run(&loop, UV_RUN_DEFAULT);
	assert_int_equal(uv_loop_close(&loop), 0);
	assert_int_equal(t.errors + t.ok + t.shutdown, 1);
	close(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(blocking_calls),
		cmocka_unit_test(async_calls),
		cmocka_unit_test(async_server_gone),
	};
	return cmocka_run_group_tests_name("client", tests, start, stop);
}
