/* config.h: roosterd's configuration, parsed from one table.
 *
 * Every option has a name, type, default, limits and help text in
 * config.c's table; the parser, `roosterd -n` and `--help` all read that
 * table. The file format is `name = value` lines with `#` comments. */
#ifndef CONFIG_H
#define CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct cfg_token {
	char *tenant;
	char *token;
} cfg_token;

typedef struct config {
	char *socket;        /* Unix socket path */
	long socket_mode;    /* octal permission bits */
	char *state_dir;
	char *tcp_listen;    /* "" = off, else "HOST:PORT" */
	char *token_file;    /* lines "TENANT TOKEN" */
	long solver_threads; /* 0 = number of cores */
	double max_time_limit;
	double default_time_limit;
	bool default_time_limit_set; /* given in the file or on the command line */
	long max_message;
	long max_depth;
	long max_container;
	long max_string;
	long max_learners;
	long max_queue;
	long max_connections;
	long max_pending_per_conn;
	long max_buffered_mb;
	long max_unsent_mb;
	double message_timeout; /* seconds a started message may take to arrive */
	double auth_timeout;    /* seconds a TCP connection has to authenticate */
	long retention_days; /* 0 = keep forever */
	double shutdown_grace;
	long solver_memory_mb; /* address-space limit of one solve process, 0 = none */
	char *log_level;
	char *log_target;
	/* loaded from token_file */
	cfg_token *tokens;
	int n_tokens;
} config;

/* Defaults from the table. */
void config_init(config *c);
void config_free(config *c);
/* Parse FILE into c (on top of what is there). 0 or RS_ECONFIG with err set
 * ("roosterd.conf:7: max_message: 99 is below the minimum 1024"). */
int config_load(config *c, const char *path, char *err, size_t errlen);
/* Set one option by name from a string (command-line overrides). */
int config_set(config *c, const char *name, const char *value, char *err, size_t errlen);
/* Load tokens from c->token_file when set. */
int config_load_tokens(config *c, char *err, size_t errlen);
/* Print the table as help text. */
void config_help(FILE *out);
/* Tenant owning token (constant-time comparison over all tokens), or NULL. */
const char *config_token_tenant(const config *c, const char *token, size_t len);

#endif
