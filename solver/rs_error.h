/* rs_error.h: the one table of roosterd error codes.
 *
 * Every function that can fail returns 0 or a negative RS_E* code. The same
 * table gives the wire name (E_*) sent to clients and a default message.
 * Codes are stable: clients may switch on the number or the name. */
#ifndef RS_ERROR_H
#define RS_ERROR_H

/* X(enum, value, wire name, message) */
#define RS_ERROR_MAP(X)                                                                  \
	X(RS_EINTERNAL, -1, "E_INTERNAL", "internal error")                              \
	X(RS_ENOMEM, -2, "E_NOMEM", "out of memory")                                     \
	X(RS_EBADREQ, -3, "E_BAD_REQUEST", "bad request")                                \
	X(RS_ETOOLARGE, -4, "E_TOO_LARGE", "input exceeds a limit")                      \
	X(RS_EMALFORMED, -5, "E_MALFORMED", "bytes are not valid msgpack")               \
	X(RS_ENOMETHOD, -6, "E_NO_METHOD", "unknown method")                             \
	X(RS_ENOTFOUND, -7, "E_NOT_FOUND", "not found")                                  \
	X(RS_EBUSY, -8, "E_BUSY", "server busy, try again later")                        \
	X(RS_ECANCELLED, -9, "E_CANCELLED", "cancelled")                                 \
	X(RS_EAUTH, -10, "E_AUTH", "authentication required or failed")                  \
	X(RS_EIO, -11, "E_IO", "input/output error")                                     \
	X(RS_ESOLVER, -12, "E_SOLVER", "solver failure")                                 \
	X(RS_ECHECK, -13, "E_CHECK", "solution failed the independent checker")          \
	X(RS_EAGAIN, -14, "E_AGAIN", "incomplete input, more bytes needed")              \
	X(RS_ESHUTDOWN, -15, "E_SHUTDOWN", "server is shutting down")                    \
	X(RS_ECONFIG, -16, "E_CONFIG", "configuration error")                            \
	X(RS_EFORBIDDEN, -17, "E_FORBIDDEN", "not allowed for this tenant")                   \
	X(RS_ETIMEOUT, -18, "E_TIMEOUT", "a message took too long to arrive")

enum rs_error {
#define RS_ERR_ENUM(e, v, n, m) e = v,
	RS_ERROR_MAP(RS_ERR_ENUM)
#undef RS_ERR_ENUM
};

/* Wire name ("E_BAD_REQUEST") of a code; "E_UNKNOWN" for anything else. */
const char *rs_err_name(int code);
/* Default message of a code; static storage. */
const char *rs_err_message(int code);

#endif
