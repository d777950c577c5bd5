/* wire.c: bounded msgpack wire walker (see wire.h): checks one object's
 * headers against wire_limits without allocating, then unpacks it. */
#include "wire.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <msgpack/unpack_define.h> /* MSGPACK_EMBED_STACK_SIZE */

#include "rs_error.h"

_Static_assert(WIRE_DEPTH_MAX <= MSGPACK_EMBED_STACK_SIZE,
	       "the walker must not accept nesting msgpack-c cannot unpack");

/* What a header announces. */
enum wire_kind {
	WIRE_K_SCALAR, /* fixed-size value: hdr + payload bytes */
	WIRE_K_STR,
	WIRE_K_BIN,
	WIRE_K_EXT,
	WIRE_K_ARRAY,
	WIRE_K_MAP,
};

void wire_limits_default(wire_limits *l)
{
	l->max_message = WIRE_DEFAULT_MAX_MESSAGE;
	l->max_depth = WIRE_DEFAULT_MAX_DEPTH;
	l->max_container = WIRE_DEFAULT_MAX_CONTAINER;
	l->max_str = WIRE_DEFAULT_MAX_STR;
}

int wire_scanner_init(wire_scanner *s, const wire_limits *lim)
{
	memset(s, 0, sizeof(*s));
	if (lim)
		s->lim = *lim;
	else
		wire_limits_default(&s->lim);
	if (s->lim.max_depth > WIRE_DEPTH_MAX) {
		snprintf(s->errmsg, sizeof(s->errmsg),
			 "max_depth %u exceeds the walker's ceiling %u", s->lim.max_depth,
			 WIRE_DEPTH_MAX);
		s->state = RS_ECONFIG;
		return RS_ECONFIG;
	}
	return 0;
}

void wire_scanner_reset(wire_scanner *s)
{
	/* left[] needs no clearing: only left[0..depth) is ever read. */
	if (s->state == RS_ECONFIG)
		return; /* a bad max_depth stays refused */
	s->pos = 0;
	s->pending = 0;
	s->depth = 0;
	s->state = 0;
	s->errmsg[0] = '\0';
}

const char *wire_scanner_error(const wire_scanner *s) { return s->errmsg; }

static int wire_fail(wire_scanner *s, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int wire_fail(wire_scanner *s, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->errmsg, sizeof(s->errmsg), fmt, ap);
	va_end(ap);
	s->state = code;
	return code;
}

static inline uint32_t wire_be16(const uint8_t *p) { return (uint32_t)p[0] << 8 | p[1]; }

static inline uint32_t wire_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline uint64_t wire_sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* Decode the header at p (avail >= 1 bytes). Sets *hdr (bytes to read),
 * *payload (bytes after the header to skip: fixed data, the ext type byte,
 * str/bin/ext data), *size (str/bin/ext data length or container count:
 * elements, or pairs for a map). Returns the kind; -1 for 0xc1; -2 when the
 * header is not all in p[0..avail). */
static inline int wire_header(const uint8_t *p, size_t avail, size_t *hdr, uint64_t *payload,
			      uint32_t *size)
{
	uint8_t b = p[0];

	*hdr = 1;
	*payload = 0;
	*size = 0;
	if (b <= 0x7f || b >= 0xe0)
		return WIRE_K_SCALAR;
	if (b <= 0x8f) {
		*size = b & 0x0f;
		return WIRE_K_MAP;
	}
	if (b <= 0x9f) {
		*size = b & 0x0f;
		return WIRE_K_ARRAY;
	}
	if (b <= 0xbf) {
		*size = b & 0x1f;
		*payload = *size;
		return WIRE_K_STR;
	}
	switch (b) {
	case 0xc0: /* nil */
	case 0xc2: /* false */
	case 0xc3: /* true */
		return WIRE_K_SCALAR;
	case 0xc1:
		return -1;
	case 0xcc: /* uint8 */
	case 0xd0: /* int8 */
		*payload = 1;
		return WIRE_K_SCALAR;
	case 0xcd:
	case 0xd1:
		*payload = 2;
		return WIRE_K_SCALAR;
	case 0xca: /* float32 */
	case 0xce:
	case 0xd2:
		*payload = 4;
		return WIRE_K_SCALAR;
	case 0xcb: /* float64 */
	case 0xcf:
	case 0xd3:
		*payload = 8;
		return WIRE_K_SCALAR;
	case 0xd4: /* fixext 1, 2, 4, 8, 16: type byte + data */
	case 0xd5:
	case 0xd6:
	case 0xd7:
	case 0xd8:
		*size = 1u << (b - 0xd4);
		*payload = 1 + (uint64_t)*size;
		return WIRE_K_EXT;
	default:
		break;
	}
	/* The rest carry a big-endian length of 1, 2 or 4 bytes. */
	static const uint8_t lenbytes[3] = {1, 2, 4};
	int kind;
	size_t n;
	uint64_t extra = 0;

	switch (b) {
	case 0xc4:
	case 0xc5:
	case 0xc6:
		kind = WIRE_K_BIN;
		n = lenbytes[b - 0xc4];
		break;
	case 0xc7:
	case 0xc8:
	case 0xc9:
		kind = WIRE_K_EXT;
		n = lenbytes[b - 0xc7];
		extra = 1; /* type byte */
		break;
	case 0xd9:
	case 0xda:
	case 0xdb:
		kind = WIRE_K_STR;
		n = lenbytes[b - 0xd9];
		break;
	case 0xdc:
	case 0xdd:
		kind = WIRE_K_ARRAY;
		n = 2u << (b - 0xdc);
		break;
	default: /* 0xde, 0xdf */
		kind = WIRE_K_MAP;
		n = 2u << (b - 0xde);
		break;
	}
	if (avail < 1 + n)
		return -2;
	*hdr = 1 + n;
	*size = n == 1 ? p[1] : n == 2 ? wire_be16(p + 1) : wire_be32(p + 1);
	if (kind != WIRE_K_ARRAY && kind != WIRE_K_MAP)
		*payload = *size + extra;
	return kind;
}

static const char *wire_kind_name(int kind)
{
	switch (kind) {
	case WIRE_K_STR:
		return "string";
	case WIRE_K_BIN:
		return "binary";
	default:
		return "ext";
	}
}

int wire_scanner_feed(wire_scanner *s, const uint8_t *buf, size_t len, size_t *obj_len)
{
	const wire_limits *lim = &s->lim;

	if (s->state < 0)
		return s->state;
	while (s->state == 0) {
		if (s->pos >= len)
			return RS_EAGAIN;

		size_t hdr;
		uint64_t payload;
		uint32_t size;
		int kind = wire_header(buf + s->pos, len - s->pos, &hdr, &payload, &size);

		if (kind == -2)
			return RS_EAGAIN; /* header split; re-read it next time */
		if (kind == -1)
			return wire_fail(s, RS_EMALFORMED, "reserved byte 0xc1 at offset %zu",
					 s->pos);

		/* Elements this header opens (a map's pairs count twice). */
		uint64_t elems = 0;

		switch (kind) {
		case WIRE_K_STR:
		case WIRE_K_BIN:
		case WIRE_K_EXT:
			if (size > lim->max_str)
				return wire_fail(s, RS_ETOOLARGE,
						 "%s of %" PRIu32 " bytes exceeds max_string %" PRIu32,
						 wire_kind_name(kind), size, lim->max_str);
			/* msgpack-c stores an ext's length plus its type byte in
			 * 32 bits and wraps to 0 for this one. */
			if (kind == WIRE_K_EXT && size == UINT32_MAX)
				return wire_fail(
				    s, RS_ETOOLARGE,
				    "ext of %" PRIu32 " bytes exceeds msgpack-c's limit", size);
			break;
		case WIRE_K_ARRAY:
		case WIRE_K_MAP:
			if (size > lim->max_container)
				return wire_fail(
				    s, RS_ETOOLARGE,
				    "%s of %" PRIu32 " %s exceeds max_container %" PRIu32,
				    kind == WIRE_K_MAP ? "map" : "array", size,
				    kind == WIRE_K_MAP ? "pairs" : "elements", lim->max_container);
			if (s->depth + 1 > lim->max_depth)
				return wire_fail(s, RS_ETOOLARGE,
						 "nesting depth %u exceeds max_depth %u",
						 s->depth + 1, lim->max_depth);
			elems = kind == WIRE_K_MAP ? 2 * (uint64_t)size : size;
			break;
		default:
			break;
		}

		/* The least the object can still be: this header and its payload,
		 * one byte per element it opens, one byte per element announced
		 * and not yet started. Invariant: pos + pending <= max_message. */
		uint64_t pending = s->pending - (s->depth > 0);
		uint64_t room = (uint64_t)lim->max_message - s->pos;
		uint64_t need = hdr + payload + elems; /* < 2^35, no overflow */

		if (pending > room || need > room - pending)
			return wire_fail(
			    s, RS_ETOOLARGE,
			    "message of at least %" PRIu64 " bytes exceeds max_message %zu",
			    wire_sat_add(wire_sat_add(s->pos, pending), need), lim->max_message);

		/* Commit: the element has started. */
		if (s->depth > 0) {
			s->left[s->depth - 1]--;
			s->pending--;
		}
		s->pos += hdr + (size_t)payload;
		if (elems > 0) {
			s->left[s->depth++] = elems;
			s->pending += elems;
			continue;
		}
		/* A leaf ended: close every container it completed. */
		while (s->depth > 0 && s->left[s->depth - 1] == 0)
			s->depth--;
		if (s->depth == 0)
			s->state = 1;
	}
	/* Complete once the last payload's bytes are here too. */
	if (s->pos > len)
		return RS_EAGAIN;
	if (obj_len)
		*obj_len = s->pos;
	return 0;
}

int wire_scan(const uint8_t *buf, size_t len, const wire_limits *lim, size_t *obj_len, char *errmsg,
	      size_t errlen)
{
	wire_scanner s;
	int rc = wire_scanner_init(&s, lim);

	if (rc == 0)
		rc = wire_scanner_feed(&s, buf, len, obj_len);
	if (errlen > 0)
		snprintf(errmsg, errlen, "%s", s.errmsg);
	return rc;
}

int wire_unpack(const uint8_t *buf, size_t obj_len, msgpack_zone *zone, msgpack_object *out)
{
	size_t off = 0;

	if (!zone || !out)
		return RS_EINTERNAL;
	switch (msgpack_unpack((const char *)buf, obj_len, &off, zone, out)) {
	case MSGPACK_UNPACK_SUCCESS:
		return off == obj_len ? 0 : RS_EMALFORMED;
	case MSGPACK_UNPACK_CONTINUE:
		return RS_EAGAIN;
	case MSGPACK_UNPACK_NOMEM_ERROR:
		return RS_ENOMEM;
	case MSGPACK_UNPACK_EXTRA_BYTES:
	case MSGPACK_UNPACK_PARSE_ERROR:
	default:
		return RS_EMALFORMED;
	}
}
