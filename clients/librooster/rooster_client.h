/* rooster_client.h: librooster, the C client of roosterd (msgpack-rpc over a socket).
 *
 * A client holds one connection. rooster_call() sends one request and blocks
 * until its response, handing every notification that arrives meanwhile
 * (job.accepted, job.progress, job.done) to the notify callback. Results and
 * notification params are msgpack objects owned by the client and valid
 * until the next call on it (copy what you keep). Not thread-safe: use one
 * client per thread.
 *
 *   rooster_client *c;
 *   rooster_error e;
 *   if (rooster_connect_unix("/run/roosterd/roosterd.sock", &c, &e)) ...
 *   msgpack_object res;
 *   rooster_call(c, "server.hello", NULL, 0, &res, &e);
 *   rooster_close(c);
 */
#ifndef ROOSTER_CLIENT_H
#define ROOSTER_CLIENT_H

#include <msgpack.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct rooster_client rooster_client;

typedef struct rooster_error {
	int code;           /* RS_E* (rs_error.h); 0 = none */
	char name[32];      /* "E_BAD_REQUEST" */
	char message[512];
	char field[256];    /* path of the bad field, when the server named one */
} rooster_error;

/* Called for each notification during a call; params is the first element
 * of the notification's params array (or nil). */
typedef void (*rooster_notify_cb)(void *ud, const char *method, const msgpack_object *params);
/* Polled about five times a second while a call waits; non-zero makes the
 * call return RS_ECANCELLED (the request stays on the server). */
typedef int (*rooster_interrupt_cb)(void *ud);

int rooster_connect_unix(const char *path, rooster_client **out, rooster_error *err);
/* TCP; authenticates with token (server.auth) before returning. */
int rooster_connect_tcp(const char *host, int port, const char *token, rooster_client **out,
			rooster_error *err);
void rooster_close(rooster_client *c);

void rooster_on_notify(rooster_client *c, rooster_notify_cb cb, void *ud);
void rooster_on_interrupt(rooster_client *c, rooster_interrupt_cb cb, void *ud);

/* Send [0, id, method, [params]] where params is one packed msgpack map
 * (NULL = {}), and wait for the response. 0: *result is set. A server
 * error returns its code and fills err (code, name, message, field). */
int rooster_call(rooster_client *c, const char *method, const void *params, size_t plen,
		 msgpack_object *result, rooster_error *err);

/* Job helpers: call a job method ("job.status", "job.result", "job.cancel",
 * "job.watch") for job id `job`; tenant may be NULL (the default, or the
 * token's on TCP); wait asks job.result to wait for the end. */
int rooster_job(rooster_client *c, const char *method, const char *job, const char *tenant,
		bool wait, msgpack_object *result, rooster_error *err);

/* Fill err from a server error map {code, name, message, data: {field}}; err may be NULL. */
void rooster_error_from(const msgpack_object *e, rooster_error *err);

/* Helpers for job ids in results: copy a string field of a map into buf. */
int rooster_get_str(const msgpack_object *map, const char *key, char *buf, size_t n);

#endif
