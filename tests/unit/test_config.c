/* test_config.c: the option table: defaults, limits, file errors, tokens. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "config.h"
#include "rs_error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *write_tmp(const char *text)
{
	static char path[64];
	snprintf(path, sizeof path, "/tmp/roosterd-cfg-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static void defaults(void **st)
{
	(void)st;
	config c;
	config_init(&c);
	assert_string_equal(c.socket, "/run/roosterd/roosterd.sock");
	assert_int_equal(c.max_message, 16 << 20);
	assert_int_equal(c.socket_mode, 0660);
	assert_int_equal(c.max_depth, 32);
	config_free(&c);
}

static void file_overrides_and_comments(void **st)
{
	(void)st;
	char *p = write_tmp("# comment\n  max_message = 2048 # trailing\n\nsocket_mode=0600\n"
			    "log_level = debug\ndefault_time_limit = 12.5\n");
	config c;
	config_init(&c);
	char err[256];
	assert_int_equal(config_load(&c, p, err, sizeof err), 0);
	assert_int_equal(c.max_message, 2048);
	assert_int_equal(c.socket_mode, 0600);
	assert_string_equal(c.log_level, "debug");
	assert_true(c.default_time_limit == 12.5);
	config_free(&c);
	unlink(p);
}

static void errors_name_line_field_and_limit(void **st)
{
	(void)st;
	char err[256];
	config c;
	config_init(&c);
	char *p = write_tmp("solver_threads = 2\nmax_message = 12\n");
	assert_int_equal(config_load(&c, p, err, sizeof err), RS_ECONFIG);
	assert_non_null(strstr(err, ":2: max_message"));
	assert_non_null(strstr(err, "1024"));
	unlink(p);
	p = write_tmp("no_such_option = 1\n");
	assert_int_equal(config_load(&c, p, err, sizeof err), RS_ECONFIG);
	assert_non_null(strstr(err, "unknown option 'no_such_option'"));
	unlink(p);
	p = write_tmp("max_queue = lots\n");
	assert_int_equal(config_load(&c, p, err, sizeof err), RS_ECONFIG);
	assert_non_null(strstr(err, "not an integer"));
	unlink(p);
	p = write_tmp("log_target = journal\n");
	assert_int_equal(config_load(&c, p, err, sizeof err), RS_ECONFIG);
	unlink(p);
	p = write_tmp("just words\n");
	assert_int_equal(config_load(&c, p, err, sizeof err), RS_ECONFIG);
	assert_non_null(strstr(err, "name = value"));
	unlink(p);
	assert_int_equal(config_set(&c, "max_depth", "33", err, sizeof err), RS_ECONFIG);
	config_free(&c);
}

/* c's tokens read from a token file holding text: config_load_tokens's result. */
static int tokens_from(config *c, const char *text, char *err, size_t errlen)
{
	char path[64];
	snprintf(path, sizeof path, "%s", write_tmp(text));
	assert_int_equal(config_set(c, "token_file", path, err, errlen), 0);
	int rc = config_load_tokens(c, err, errlen);
	unlink(path);
	return rc;
}

static void tokens_map_to_tenants(void **st)
{
	(void)st;
	char err[256];
	config c;
	config_init(&c);
	char *p = write_tmp("# tenants\ngemeente-a aaaaaaaaaaaaaaaa1\ngemeente-b bbbbbbbbbbbbbbbb2\n");
	char path[64];
	snprintf(path, sizeof path, "%s", p);
	assert_int_equal(config_set(&c, "token_file", path, err, sizeof err), 0);
	assert_int_equal(config_load_tokens(&c, err, sizeof err), 0);
	assert_int_equal(c.n_tokens, 2);
	assert_string_equal(config_token_tenant(&c, "bbbbbbbbbbbbbbbb2", 17), "gemeente-b");
	assert_null(config_token_tenant(&c, "bbbbbbbbbbbbbbbb", 16));
	assert_null(config_token_tenant(&c, "bbbbbbbbbbbbbbbb22", 18));
	assert_null(config_token_tenant(&c, "", 0));
	unlink(path);
	assert_int_equal(tokens_from(&c, "gemeente-c short\n", err, sizeof err), RS_ECONFIG);
	assert_non_null(strstr(err, "shorter than 16"));
	/* one token for two tenants: which one would it log in? */
	assert_int_equal(tokens_from(&c, "gemeente-a aaaaaaaaaaaaaaaa1\ngemeente-b aaaaaaaaaaaaaaaa1\n",
				     err, sizeof err),
			 RS_ECONFIG);
	assert_non_null(strstr(err, ":2: the token of tenant 'gemeente-b' is also tenant 'gemeente-a''s"));
	/* a tenant name requests could not use */
	assert_int_equal(tokens_from(&c, "bad/tenant aaaaaaaaaaaaaaaa1\n", err, sizeof err), RS_ECONFIG);
	assert_non_null(strstr(err, ":1: tenant 'bad/tenant' is not 1..64 characters"));
	/* two tokens for one tenant (a rotation) are fine */
	assert_int_equal(tokens_from(&c, "gemeente-a aaaaaaaaaaaaaaaa1\ngemeente-a aaaaaaaaaaaaaaaa2\n",
				     err, sizeof err),
			 0);
	assert_string_equal(config_token_tenant(&c, "aaaaaaaaaaaaaaaa2", 17), "gemeente-a");
	config_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults),
		cmocka_unit_test(file_overrides_and_comments),
		cmocka_unit_test(errors_name_line_field_and_limit),
		cmocka_unit_test(tokens_map_to_tenants),
	};
	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
