/* rooster_async.h: librooster's asynchronous client on a libuv loop.
 *
 * For case systems that already run a libuv loop: calls return at once and
 * their callback runs on the loop when the response arrives; many calls may
 * be in flight on one connection (responses are matched by msgid, in any
 * order). The result and notification objects passed to callbacks are valid
 * only during the callback.
 *
 *   rooster_async *a;
 *   rooster_async_open(loop, "/run/roosterd/roosterd.sock", on_open, ud, &a);
 *   ... in on_open: rooster_async_call(a, "server.hello", NULL, 0, on_hello, ud);
 *   ... rooster_async_close(a);   // pending callbacks get RS_ESHUTDOWN
 */
#ifndef ROOSTER_ASYNC_H
#define ROOSTER_ASYNC_H

#include "rooster_client.h"

#include <uv.h>

typedef struct rooster_async rooster_async;

typedef void (*rooster_open_cb)(rooster_async *a, int rc, void *ud);
/* rc 0: result set; else err says what went wrong (a server error keeps its code). */
typedef void (*rooster_result_cb)(rooster_async *a, int rc, const msgpack_object *result,
				  const rooster_error *err, void *ud);

/* Connect to a Unix socket; cb runs on the loop with 0 or RS_EIO. *out is
 * valid at once (close it to give up). SIGPIPE, when at its default (which
 * ends the process on a write to a server that went away), is set to be
 * ignored: the failed write then fails the calls waiting, with RS_EIO. */
int rooster_async_open(uv_loop_t *loop, const char *path, rooster_open_cb cb, void *ud,
		       rooster_async **out);
void rooster_async_on_notify(rooster_async *a, rooster_notify_cb cb, void *ud);
/* Queue one request; params is one packed map or NULL. RS_EIO (and no
 * callback) once the server has closed the connection: open a new one. */
int rooster_async_call(rooster_async *a, const char *method, const void *params, size_t plen,
		       rooster_result_cb cb, void *ud);
/* Close; callbacks of calls still pending run with RS_ESHUTDOWN. Frees a
 * once the loop has closed the handle. */
void rooster_async_close(rooster_async *a);

#endif
