/* config.c: the option table and its parser. */
#include "config.h"

#include "rs_error.h"
#include "xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum opt_type { T_STR, T_INT, T_OCT, T_NUM, T_LEVEL, T_TARGET };

typedef struct opt {
	const char *name;
	enum opt_type type;
	size_t off;
	const char *dflt;
	double min, max;
	const char *help;
} opt;

#define O(f) offsetof(config, f)
static const opt opts[] = {
	{"socket", T_STR, O(socket), "/run/roosterd/roosterd.sock", 0, 0, "Unix socket path"},
	{"socket_mode", T_OCT, O(socket_mode), "0660", 0, 0777, "permissions of the Unix socket"},
	{"state_dir", T_STR, O(state_dir), "/var/lib/roosterd", 0, 0,
	 "directory of the job store (created 0700)"},
	{"tcp_listen", T_STR, O(tcp_listen), "", 0, 0,
	 "HOST:PORT for TCP clients (token required); empty = off"},
	{"token_file", T_STR, O(token_file), "", 0, 0, "file of 'TENANT TOKEN' lines for TCP clients"},
	{"solver_threads", T_INT, O(solver_threads), "0", 0, 256, "solver threads; 0 = one per core"},
	{"max_time_limit", T_NUM, O(max_time_limit), "600", 1, 86400, "cap on a request's time_limit (s)"},
	{"default_time_limit", T_NUM, O(default_time_limit), "30", 1, 86400,
	 "time_limit when a request gives none (s); when not set, at most max_time_limit"},
	{"max_message", T_INT, O(max_message), "16777216", 1024, 1073741824, "bytes of one message"},
	{"max_depth", T_INT, O(max_depth), "32", 4, 32, "nesting depth of one message"},
	{"max_container", T_INT, O(max_container), "1000000", 16, 100000000,
	 "entries of one array or map"},
	{"max_string", T_INT, O(max_string), "1048576", 64, 1073741824, "bytes of one string"},
	{"max_learners", T_INT, O(max_learners), "20000", 1, 1000000, "learners in one request"},
	{"max_queue", T_INT, O(max_queue), "1000", 1, 1000000, "queued jobs before E_BUSY"},
	{"max_connections", T_INT, O(max_connections), "1024", 1, 100000, "open client connections"},
	{"max_buffered_mb", T_INT, O(max_buffered_mb), "512", 16, 1048576,
	 "MiB of unfinished incoming messages over all connections (past it: E_BUSY, closed)"},
	{"max_unsent_mb", T_INT, O(max_unsent_mb), "1024", 1, 1048576,
	 "MiB of answers written but not yet taken by clients, over all connections"},
	{"message_timeout", T_NUM, O(message_timeout), "60", 1, 86400,
	 "seconds a message may take from its first byte to its last"},
	{"auth_timeout", T_NUM, O(auth_timeout), "10", 1, 3600,
	 "seconds a TCP connection has to authenticate (server.auth) before it is closed"},
	{"max_pending_per_conn", T_INT, O(max_pending_per_conn), "64", 1, 100000,
	 "unanswered requests per connection before it stops being read"},
	{"retention_days", T_INT, O(retention_days), "0", 0, 36500,
	 "purge jobs and plans older than this (0 = keep)"},
	{"shutdown_grace", T_NUM, O(shutdown_grace), "20", 0, 3600,
	 "seconds SIGTERM waits for running solves"},
	{"solver_memory_mb", T_INT, O(solver_memory_mb), "4096", 0, 1048576,
	 "address-space limit of one solve process (MiB, 0 = none)"},
	{"log_level", T_LEVEL, O(log_level), "info", 0, 0, "debug, info, warn or error"},
	{"log_target", T_TARGET, O(log_target), "stderr", 0, 0, "stderr or syslog"},
};
#define N_OPTS (sizeof opts / sizeof opts[0])

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return RS_ECONFIG;
}

static int set_opt(config *c, const opt *o, const char *v, char *err, size_t errlen)
{
	void *p = (char *)c + o->off;
	char *end;
	errno = 0;
	switch (o->type) {
	case T_STR:
	case T_LEVEL:
	case T_TARGET:
		if (o->type == T_LEVEL && strcmp(v, "debug") && strcmp(v, "info") &&
		    strcmp(v, "warn") && strcmp(v, "error"))
			return fail(err, errlen, "%s: '%s' is not one of debug, info, warn, error",
				    o->name, v);
		if (o->type == T_TARGET && strcmp(v, "stderr") && strcmp(v, "syslog"))
			return fail(err, errlen, "%s: '%s' is not stderr or syslog", o->name, v);
		free(*(char **)p);
		*(char **)p = xstrdup(v);
		return 0;
	case T_INT:
	case T_OCT: {
		long n = strtol(v, &end, o->type == T_OCT ? 8 : 10);
		if (errno || end == v || *end)
			return fail(err, errlen, "%s: '%s' is not %s", o->name, v,
				    o->type == T_OCT ? "an octal number" : "an integer");
		if (n < o->min || n > o->max)
			return fail(err, errlen, "%s: %s is outside the limits %.0f..%.0f", o->name,
				    v, o->min, o->max);
		*(long *)p = n;
		return 0;
	}
	case T_NUM: {
		double n = strtod(v, &end);
		if (errno || end == v || *end)
			return fail(err, errlen, "%s: '%s' is not a number", o->name, v);
		if (n < o->min || n > o->max)
			return fail(err, errlen, "%s: %s is outside the limits %g..%g", o->name, v,
				    o->min, o->max);
		*(double *)p = n;
		return 0;
	}
	}
	return RS_EINTERNAL;
}

void config_init(config *c)
{
	memset(c, 0, sizeof *c);
	char err[256];
	for (size_t i = 0; i < N_OPTS; i++)
		if (set_opt(c, &opts[i], opts[i].dflt, err, sizeof err))
			abort(); /* a bad default is a programming error */
}

void config_free(config *c)
{
	for (size_t i = 0; i < N_OPTS; i++)
		if (opts[i].type == T_STR || opts[i].type == T_LEVEL || opts[i].type == T_TARGET)
			free(*(char **)((char *)c + opts[i].off));
	for (int i = 0; i < c->n_tokens; i++) {
		free(c->tokens[i].tenant);
		free(c->tokens[i].token);
	}
	free(c->tokens);
	memset(c, 0, sizeof *c);
}

int config_set(config *c, const char *name, const char *value, char *err, size_t errlen)
{
	for (size_t i = 0; i < N_OPTS; i++)
		if (strcmp(opts[i].name, name) == 0) {
			int rc = set_opt(c, &opts[i], value, err, errlen);
			if (!rc && strcmp(name, "default_time_limit") == 0)
				c->default_time_limit_set = true;
			return rc;
		}
	return fail(err, errlen, "unknown option '%s'", name);
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	char *e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

int config_load(config *c, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return fail(err, errlen, "%s: %s", path, strerror(errno));
	char line[4096];
	int lineno = 0, rc = 0;
	while (!rc && fgets(line, sizeof line, f)) {
		lineno++;
		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		char *s = trim(line);
		if (!*s)
			continue;
		char *eq = strchr(s, '=');
		if (!eq) {
			rc = fail(err, errlen, "%s:%d: expected 'name = value'", path, lineno);
			break;
		}
		*eq = '\0';
		char sub[256];
		rc = config_set(c, trim(s), trim(eq + 1), sub, sizeof sub);
		if (rc)
			fail(err, errlen, "%s:%d: %s", path, lineno, sub);
	}
	fclose(f);
	return rc;
}

int config_load_tokens(config *c, char *err, size_t errlen)
{
	for (int i = 0; i < c->n_tokens; i++) {
		free(c->tokens[i].tenant);
		free(c->tokens[i].token);
	}
	free(c->tokens);
	c->tokens = NULL;
	c->n_tokens = 0;
	if (!c->token_file || !*c->token_file)
		return 0;
	FILE *f = fopen(c->token_file, "r");
	if (!f)
		return fail(err, errlen, "token_file %s: %s", c->token_file, strerror(errno));
	char line[1024];
	int lineno = 0, rc = 0;
	while (fgets(line, sizeof line, f)) {
		lineno++;
		char *s = trim(line);
		if (!*s || *s == '#')
			continue;
		char *sp = s + strcspn(s, " \t");
		if (!*sp) {
			rc = fail(err, errlen, "%s:%d: expected 'TENANT TOKEN'", c->token_file,
				  lineno);
			break;
		}
		*sp = '\0';
		char *tok = trim(sp + 1);
		size_t tl = strlen(s);
		if (tl > 64 || s[strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
					   "0123456789_.-")]) {
			/* the rule requests' tenant fields follow (docs/protocol.md) */
			rc = fail(err, errlen,
				  "%s:%d: tenant '%s' is not 1..64 characters of A-Z a-z 0-9 _ . -",
				  c->token_file, lineno, s);
			break;
		}
		if (strlen(tok) < 16) {
			rc = fail(err, errlen, "%s:%d: token shorter than 16 characters",
				  c->token_file, lineno);
			break;
		}
		for (int k = 0; k < c->n_tokens && !rc; k++)
			if (strcmp(c->tokens[k].token, tok) == 0)
				rc = fail(err, errlen,
					  "%s:%d: the token of tenant '%s' is also tenant '%s''s: a "
					  "token names one tenant",
					  c->token_file, lineno, s, c->tokens[k].tenant);
		if (rc)
			break;
		c->tokens = xrealloc(c->tokens, sizeof *c->tokens * (size_t)(c->n_tokens + 1));
		c->tokens[c->n_tokens].tenant = xstrdup(s);
		c->tokens[c->n_tokens].token = xstrdup(tok);
		c->n_tokens++;
	}
	fclose(f);
	return rc;
}

/* Compare in time independent of where the strings differ. */
static int ct_equal(const char *a, size_t alen, const char *b, size_t blen)
{
	unsigned char d = (unsigned char)(alen != blen);
	size_t n = alen > blen ? alen : blen;
	for (size_t i = 0; i < n; i++) {
		unsigned char x = i < alen ? (unsigned char)a[i] : 0;
		unsigned char y = i < blen ? (unsigned char)b[i] : 0;
		d |= x ^ y;
	}
	return d == 0;
}

const char *config_token_tenant(const config *c, const char *token, size_t len)
{
	const char *found = NULL;
	for (int i = 0; i < c->n_tokens; i++)
		if (ct_equal(c->tokens[i].token, strlen(c->tokens[i].token), token, len) && !found)
			found = c->tokens[i].tenant;
	return found;
}

void config_help(FILE *out)
{
	fprintf(out, "Configuration options (file lines 'name = value'):\n");
	for (size_t i = 0; i < N_OPTS; i++) {
		const opt *o = &opts[i];
		if (o->type == T_INT) /* exact: the parser takes integers only */
			fprintf(out, "  %-22s %s (default %s, %.0f..%.0f)\n", o->name, o->help,
				o->dflt, o->min, o->max);
		else if (o->type == T_NUM)
			fprintf(out, "  %-22s %s (default %s, %g..%g)\n", o->name, o->help, o->dflt,
				o->min, o->max);
		else
			fprintf(out, "  %-22s %s (default '%s')\n", o->name, o->help, o->dflt);
	}
}
