/* wire.h: bounded msgpack wire walker, the gate in front of msgpack-c.
 *
 * msgpack-c allocates whatever a header claims (an array32 header makes it
 * reserve count * sizeof(msgpack_object) before a single element arrived), so
 * the daemon never hands it bytes that have not passed this walker. The
 * walker reads the headers of one incoming object without allocating, checks
 * nesting depth, container counts, str/bin/ext sizes and the total size
 * against wire_limits, and finds where the object ends. A claim is checked
 * against the bytes it implies as soon as its header is complete: every
 * announced element needs at least one byte, every str/bin/ext its payload,
 * so "array of 2^32 elements" is refused with the 5 header bytes in hand,
 * long before anyone waits for (or buffers) the rest.
 *
 * Once wire_scan()/wire_scanner_feed() returned 0 for buf[0..obj_len),
 * wire_unpack() turns those bytes into a msgpack_object. Every object that
 * passes the walker unpacks; the zone it needs is about 24 bytes
 * (sizeof(msgpack_object)) per input byte at worst, an array of nils or a
 * map of fixints, so max_message bounds it.
 *
 * Nothing here has global state; everything is reentrant. */
#ifndef WIRE_H
#define WIRE_H
#include <stddef.h>
#include <stdint.h>

#include <msgpack.h>

/* Hard ceiling on max_depth: msgpack-c's unpacker keeps a fixed stack of
 * MSGPACK_EMBED_STACK_SIZE (32) open containers and fails on a 33rd (even an
 * empty one), so the walker never accepts deeper nesting than that. Depth
 * counts containers: a top-level scalar has depth 0, a top-level array 1,
 * an array inside it 2. */
#define WIRE_DEPTH_MAX 32u

typedef struct wire_limits {
	size_t max_message;	/* bytes of one whole object; default 16 MiB */
	unsigned max_depth;	/* container nesting, <= WIRE_DEPTH_MAX; default 32 */
	uint32_t max_container; /* elements of one array or pairs of one map; default 1,000,000 */
	uint32_t max_str;	/* payload bytes of one str/bin/ext; default 16 MiB */
} wire_limits;

#define WIRE_DEFAULT_MAX_MESSAGE ((size_t)16 << 20)
#define WIRE_DEFAULT_MAX_DEPTH WIRE_DEPTH_MAX
#define WIRE_DEFAULT_MAX_CONTAINER 1000000u
#define WIRE_DEFAULT_MAX_STR (16u << 20)

/* Fill *l with the defaults above. */
void wire_limits_default(wire_limits *l);

/* Resumable scanner for one connection. Plain value, no heap: embed it in
 * the connection struct (about 400 bytes). Fields are private. */
typedef struct wire_scanner {
	wire_limits lim; /* copied at init */
	/* Offset of the next header; runs past the bytes fed while a payload
	 * is being skipped. */
	size_t pos;
	uint64_t pending; /* elements announced, not yet started, all containers */
	unsigned depth;	  /* open non-empty containers */
	int state;	  /* 0 scanning, 1 complete, < 0 sticky RS_E* */
	/* Elements not yet started, per open container (a map of n pairs: 2n). */
	uint64_t left[WIRE_DEPTH_MAX];
	char errmsg[112]; /* why state < 0; "" otherwise */
} wire_scanner;

/* Prepare s for the first object; copies *lim (NULL: defaults).
 * RS_ECONFIG when lim->max_depth > WIRE_DEPTH_MAX (s is then unusable). */
int wire_scanner_init(wire_scanner *s, const wire_limits *lim);

/* Continue scanning the object that starts at buf[0]; len is the number of
 * bytes available from buf, all of them (not just the new ones), and may
 * extend past the object. buf may move between calls (a growing connection
 * buffer is realloc'ed), but buf[0..len of the previous call) must hold the
 * same bytes. Header bytes are examined once (a header split between two
 * calls is re-read, at most 9 bytes); payloads are skipped, never read.
 * Returns
 *   0              a complete, valid object is buf[0..*obj_len)
 *   RS_EAGAIN      more bytes needed; nothing so far breaks a limit
 *   RS_ETOOLARGE   a limit is broken (wire_scanner_error() says which)
 *   RS_EMALFORMED  the reserved byte 0xc1 where a header was expected
 * Errors are sticky until wire_scanner_reset(); after 0 the same answer
 * repeats until reset. obj_len may be NULL. */
int wire_scanner_feed(wire_scanner *s, const uint8_t *buf, size_t len, size_t *obj_len);

/* After the object was consumed (or to abandon one): scan afresh; the next
 * call's buf is the byte after the consumed object. Keeps the limits. */
void wire_scanner_reset(wire_scanner *s);

/* Message of the sticky error, e.g. "nesting depth 33 exceeds max_depth 32";
 * "" when there is none. Owned by s, valid until the next reset/init. */
const char *wire_scanner_error(const wire_scanner *s);

/* One-shot: scan buf[0..len) from scratch with a scanner on the stack.
 * Same returns as wire_scanner_feed(), plus RS_ECONFIG for a bad max_depth.
 * lim NULL: defaults. On error the message is copied into errmsg[0..errlen)
 * (truncated, NUL-terminated; errmsg may be NULL when errlen is 0); on
 * success and RS_EAGAIN errmsg is "". Costs O(headers in buf) per call, so
 * a streaming reader calling it after every read should use the scanner. */
int wire_scan(const uint8_t *buf, size_t len, const wire_limits *lim, size_t *obj_len, char *errmsg,
	      size_t errlen);

/* Unpack the object buf[0..obj_len) that wire_scan/wire_scanner_feed just
 * accepted. *out's containers live in zone (caller-owned, e.g.
 * msgpack_zone_new(); free it when done with *out); its str/bin/ext
 * pointers point into buf, which must outlive *out. Returns 0;
 * RS_EMALFORMED when the bytes are not exactly one object (not scanned),
 * RS_EAGAIN when incomplete, RS_ENOMEM when the zone cannot grow,
 * RS_EINTERNAL for a NULL zone or out. */
int wire_unpack(const uint8_t *buf, size_t obj_len, msgpack_zone *zone, msgpack_object *out);

#endif
