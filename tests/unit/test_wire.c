/* test_wire.c: the bounded msgpack walker (daemon/wire.c): every msgpack
 * encoding, objects split at every byte, back-to-back objects, limits
 * refused from the header alone, 0xc1, and random objects from msgpack-c's
 * packer whose scanned length must equal the packed length. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h> /* after the four it needs */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <msgpack.h>

#include "rs_error.h"
#include "wire.h"

/* ---- helpers ---- */

/* Deterministic xorshift64* so failures reproduce. */
static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ull;
}

static uint32_t rng_below(uint64_t *s, uint32_t n) { return (uint32_t)(rng_next(s) >> 32) % n; }

static int scan_default(const void *buf, size_t len, size_t *obj_len, char *err, size_t errlen)
{
	return wire_scan(buf, len, NULL, obj_len, err, errlen);
}

/* Scan buf[0..len) with the given limits and expect code (and message). */
static void expect_scan(const void *buf, size_t len, const wire_limits *lim, int code,
			const char *msg)
{
	char err[128];
	size_t obj_len = 0;
	int rc = wire_scan(buf, len, lim, &obj_len, err, sizeof(err));

	if (rc != code)
		print_error("scan of %zu bytes: got %d (%s), want %d\n", len, rc, err, code);
	assert_int_equal(rc, code);
	if (msg)
		assert_string_equal(err, msg);
	if (code == 0)
		assert_int_equal(obj_len, len);
}

/* Feed buf[0..n) to a fresh scanner one byte at a time, copying the bytes
 * seen so far into a new allocation each step (the connection buffer moves). */
static void feed_bytewise(const uint8_t *buf, size_t n, size_t want_len)
{
	wire_scanner s;
	size_t obj_len = 0;
	uint8_t *copy = NULL;
	int rc = RS_EAGAIN;
	size_t k;

	assert_int_equal(wire_scanner_init(&s, NULL), 0);
	for (k = 0; k <= n; k++) {
		free(copy);
		copy = malloc(k ? k : 1);
		memcpy(copy, buf, k);
		rc = wire_scanner_feed(&s, copy, k, &obj_len);
		if (rc != RS_EAGAIN)
			break;
	}
	free(copy);
	assert_int_equal(rc, 0);
	assert_int_equal(obj_len, want_len);
	assert_int_equal(k, want_len); /* not a byte earlier, not later */
}

/* Everything that must hold for a valid object of n bytes at buf. */
static void check_object(const uint8_t *buf, size_t n)
{
	size_t obj_len = 0;
	char err[128];

	assert_int_equal(scan_default(buf, n, &obj_len, err, sizeof(err)), 0);
	assert_int_equal(obj_len, n);
	assert_string_equal(err, "");

	/* Trailing bytes (even 0xc1) belong to the next object. */
	uint8_t *more = malloc(n + 2);
	memcpy(more, buf, n);
	more[n] = 0xc1;
	more[n + 1] = 0xc0;
	assert_int_equal(scan_default(more, n + 2, &obj_len, NULL, 0), 0);
	assert_int_equal(obj_len, n);
	free(more);

	/* Every truncation asks for more; big objects: a sample of them. */
	size_t step = n <= 4096 ? 1 : 997;
	for (size_t k = 0; k < n; k += step)
		assert_int_equal(scan_default(buf, k, &obj_len, NULL, 0), RS_EAGAIN);
	for (size_t k = n > 16 ? n - 16 : 0; k < n; k++)
		assert_int_equal(scan_default(buf, k, &obj_len, NULL, 0), RS_EAGAIN);

	/* Split in two at every position: the same end. */
	for (size_t k = 0; k <= n; k += step) {
		wire_scanner s;
		wire_scanner_init(&s, NULL);
		int rc = wire_scanner_feed(&s, buf, k, &obj_len);
		assert_int_equal(rc, k == n ? 0 : RS_EAGAIN);
		obj_len = 0;
		assert_int_equal(wire_scanner_feed(&s, buf, n, &obj_len), 0);
		assert_int_equal(obj_len, n);
	}

	feed_bytewise(buf, n, n);

	/* And msgpack-c agrees. */
	msgpack_zone *z = msgpack_zone_new(MSGPACK_ZONE_CHUNK_SIZE);
	msgpack_object o;
	assert_int_equal(wire_unpack(buf, n, z, &o), 0);
	msgpack_zone_free(z);
}

/* ---- one sample of every encoding ---- */

static void pack_blob(msgpack_packer *pk, int kind, size_t len, int8_t type)
{
	uint8_t *b = malloc(len ? len : 1);
	for (size_t i = 0; i < len; i++)
		b[i] = (uint8_t)(i * 7 + 0xc1); /* includes 0xc1 bytes */
	if (kind == 's') {
		msgpack_pack_str(pk, len);
		msgpack_pack_str_body(pk, b, len);
	} else if (kind == 'b') {
		msgpack_pack_bin(pk, len);
		msgpack_pack_bin_body(pk, b, len);
	} else {
		msgpack_pack_ext(pk, len, type);
		msgpack_pack_ext_body(pk, b, len);
	}
	free(b);
}

/* Pack sample i; returns the first byte it must start with, -1 past the end. */
static int pack_sample(int i, msgpack_packer *pk)
{
	switch (i) {
	case 0:
		msgpack_pack_nil(pk);
		return 0xc0;
	case 1:
		msgpack_pack_false(pk);
		return 0xc2;
	case 2:
		msgpack_pack_true(pk);
		return 0xc3;
	case 3:
		msgpack_pack_int(pk, 0);
		return 0x00;
	case 4:
		msgpack_pack_int(pk, 127);
		return 0x7f;
	case 5:
		msgpack_pack_int(pk, -1);
		return 0xff;
	case 6:
		msgpack_pack_int(pk, -32);
		return 0xe0;
	case 7:
		msgpack_pack_fix_uint8(pk, 200);
		return 0xcc;
	case 8:
		msgpack_pack_fix_uint16(pk, 60000);
		return 0xcd;
	case 9:
		msgpack_pack_fix_uint32(pk, 4000000000u);
		return 0xce;
	case 10:
		msgpack_pack_fix_uint64(pk, UINT64_MAX);
		return 0xcf;
	case 11:
		msgpack_pack_fix_int8(pk, -100);
		return 0xd0;
	case 12:
		msgpack_pack_fix_int16(pk, -30000);
		return 0xd1;
	case 13:
		msgpack_pack_fix_int32(pk, INT32_MIN);
		return 0xd2;
	case 14:
		msgpack_pack_fix_int64(pk, INT64_MIN);
		return 0xd3;
	case 15:
		msgpack_pack_float(pk, 1.5f);
		return 0xca;
	case 16:
		msgpack_pack_double(pk, -2.25);
		return 0xcb;
	case 17:
		pack_blob(pk, 's', 0, 0);
		return 0xa0;
	case 18:
		pack_blob(pk, 's', 31, 0);
		return 0xbf;
	case 19:
		pack_blob(pk, 's', 40, 0);
		return 0xd9;
	case 20:
		pack_blob(pk, 's', 300, 0);
		return 0xda;
	case 21:
		pack_blob(pk, 's', 70000, 0);
		return 0xdb;
	case 22:
		pack_blob(pk, 'b', 0, 0);
		return 0xc4;
	case 23:
		pack_blob(pk, 'b', 3, 0);
		return 0xc4;
	case 24:
		pack_blob(pk, 'b', 300, 0);
		return 0xc5;
	case 25:
		pack_blob(pk, 'b', 70000, 0);
		return 0xc6;
	case 26:
		msgpack_pack_array(pk, 0);
		return 0x90;
	case 27:
		msgpack_pack_array(pk, 3);
		msgpack_pack_int(pk, 1);
		pack_blob(pk, 's', 2, 0);
		msgpack_pack_nil(pk);
		return 0x93;
	case 28:
		msgpack_pack_array(pk, 20);
		for (int k = 0; k < 20; k++)
			msgpack_pack_fix_uint16(pk, (uint16_t)k);
		return 0xdc;
	case 29:
		msgpack_pack_array(pk, 65536);
		for (int k = 0; k < 65536; k++)
			msgpack_pack_nil(pk);
		return 0xdd;
	case 30:
		msgpack_pack_map(pk, 0);
		return 0x80;
	case 31:
		msgpack_pack_map(pk, 2);
		pack_blob(pk, 's', 1, 0);
		msgpack_pack_true(pk);
		msgpack_pack_int(pk, 5);
		msgpack_pack_array(pk, 0);
		return 0x82;
	case 32:
		msgpack_pack_map(pk, 20);
		for (int k = 0; k < 20; k++) {
			msgpack_pack_int(pk, k);
			msgpack_pack_double(pk, k);
		}
		return 0xde;
	case 33:
		msgpack_pack_map(pk, 65536);
		for (int k = 0; k < 65536; k++) {
			msgpack_pack_int(pk, k & 0x7f);
			msgpack_pack_nil(pk);
		}
		return 0xdf;
	case 34:
		pack_blob(pk, 'e', 1, 1);
		return 0xd4;
	case 35:
		pack_blob(pk, 'e', 2, -1);
		return 0xd5;
	case 36:
		pack_blob(pk, 'e', 4, 3);
		return 0xd6;
	case 37:
		pack_blob(pk, 'e', 8, -1);
		return 0xd7;
	case 38:
		pack_blob(pk, 'e', 16, 127);
		return 0xd8;
	case 39:
		pack_blob(pk, 'e', 0, 5);
		return 0xc7;
	case 40:
		pack_blob(pk, 'e', 3, -128);
		return 0xc7;
	case 41:
		pack_blob(pk, 'e', 300, 9);
		return 0xc8;
	case 42:
		pack_blob(pk, 'e', 70000, 9);
		return 0xc9;
	case 43: /* everything nested: {"a": [1, {"b": bin}], 2: [[], {}]} */
		msgpack_pack_map(pk, 2);
		pack_blob(pk, 's', 1, 0);
		msgpack_pack_array(pk, 2);
		msgpack_pack_int(pk, 1);
		msgpack_pack_map(pk, 1);
		pack_blob(pk, 's', 1, 0);
		pack_blob(pk, 'b', 5, 0);
		msgpack_pack_int(pk, 2);
		msgpack_pack_array(pk, 2);
		msgpack_pack_array(pk, 0);
		msgpack_pack_map(pk, 0);
		return 0x82;
	default:
		return -1;
	}
}

static void test_every_type(void **state)
{
	int seen[256] = {0};

	for (int i = 0;; i++) {
		msgpack_sbuffer sb;
		msgpack_packer pk;
		msgpack_sbuffer_init(&sb);
		msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
		int first = pack_sample(i, &pk);
		if (first < 0) {
			msgpack_sbuffer_destroy(&sb);
			break;
		}
		assert_true(sb.size > 0);
		if ((uint8_t)sb.data[0] != first)
			print_error("sample %d starts with 0x%02x, want 0x%02x\n", i,
				    (uint8_t)sb.data[0], first);
		assert_int_equal((uint8_t)sb.data[0], first);
		seen[first] = 1;
		check_object((const uint8_t *)sb.data, sb.size);
		msgpack_sbuffer_destroy(&sb);
	}
	/* Every non-fix type byte was exercised. */
	for (int b = 0xc0; b <= 0xdf; b++)
		if (b != 0xc1 && !seen[b]) {
			print_error("type byte 0x%02x not covered\n", b);
			fail();
		}
}

/* The rest of the fix ranges, by hand: every fixint, fixstr, fixarray and
 * fixmap length. */
static void test_fix_ranges(void **state)
{
	uint8_t buf[64];

	for (int b = 0; b <= 0x7f; b++) {
		buf[0] = (uint8_t)b;
		expect_scan(buf, 1, NULL, 0, NULL);
	}
	for (int b = 0xe0; b <= 0xff; b++) {
		buf[0] = (uint8_t)b;
		expect_scan(buf, 1, NULL, 0, NULL);
	}
	for (int n = 0; n < 32; n++) {
		buf[0] = (uint8_t)(0xa0 | n);
		memset(buf + 1, 0xc1, (size_t)n);
		check_object(buf, 1 + (size_t)n);
	}
	for (int n = 0; n < 16; n++) {
		buf[0] = (uint8_t)(0x90 | n);
		memset(buf + 1, 0xc0, (size_t)n);
		check_object(buf, 1 + (size_t)n);
		buf[0] = (uint8_t)(0x80 | n);
		memset(buf + 1, 0x01, 2 * (size_t)n);
		check_object(buf, 1 + 2 * (size_t)n);
	}
}

/* ---- streams ---- */

static void test_back_to_back(void **state)
{
	msgpack_sbuffer sb;
	msgpack_packer pk;
	size_t ends[3];

	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_array(&pk, 2);
	msgpack_pack_int(&pk, 1);
	pack_blob(&pk, 's', 300, 0);
	ends[0] = sb.size;
	msgpack_pack_nil(&pk);
	ends[1] = sb.size;
	msgpack_pack_map(&pk, 1);
	pack_blob(&pk, 'b', 3, 0);
	pack_blob(&pk, 'e', 4, 1);
	ends[2] = sb.size;

	const uint8_t *buf = (const uint8_t *)sb.data;

	/* One-shot scans, object after object. */
	size_t start = 0, obj_len;
	for (int i = 0; i < 3; i++) {
		assert_int_equal(scan_default(buf + start, sb.size - start, &obj_len, NULL, 0), 0);
		start += obj_len;
		assert_int_equal(start, ends[i]);
	}
	assert_int_equal(scan_default(buf + start, 0, &obj_len, NULL, 0), RS_EAGAIN);

	/* A connection: bytes arrive 7 at a time, objects consumed as they
	 * complete, the scanner reset after each. */
	wire_scanner s;
	wire_scanner_init(&s, NULL);
	size_t have = 0, consumed = 0;
	int got = 0;
	while (have < sb.size) {
		have = have + 7 < sb.size ? have + 7 : sb.size;
		while (wire_scanner_feed(&s, buf + consumed, have - consumed, &obj_len) == 0) {
			/* A complete answer repeats until reset. */
			size_t again = 0;
			assert_int_equal(
			    wire_scanner_feed(&s, buf + consumed, have - consumed, &again), 0);
			assert_int_equal(again, obj_len);
			consumed += obj_len;
			assert_int_equal(consumed, ends[got]);
			got++;
			wire_scanner_reset(&s);
		}
	}
	assert_int_equal(got, 3);
	msgpack_sbuffer_destroy(&sb);
}

static void test_truncated(void **state)
{
	/* Headers cut inside their length bytes, payloads cut short. */
	static const uint8_t cases[][6] = {
	    {1, 0xcd},	     {2, 0xcf, 0},	     {3, 0xdb, 0, 0},	    {4, 0xdd, 0, 0, 0},
	    {3, 0xc8, 0, 1}, {4, 0xd9, 3, 'a', 'b'}, {2, 0x92, 0xc0},	    {3, 0x81, 0xc0, 0x91},
	    {2, 0xd8, 1},    {4, 0xc7, 2, 1, 0},     {5, 0xcb, 0, 0, 0, 0}, {0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_scan(cases[i] + 1, cases[i][0], NULL, RS_EAGAIN, "");
}

/* ---- limits ---- */

static void test_str32_4gib_claim(void **state)
{
	const uint8_t hdr[] = {0xdb, 0xff, 0xff, 0xff, 0xff};

	/* Header not complete yet: nothing to judge. */
	expect_scan(hdr, 4, NULL, RS_EAGAIN, "");
	/* Refused with the header alone. */
	expect_scan(hdr, 5, NULL, RS_ETOOLARGE,
		    "string of 4294967295 bytes exceeds max_string 16777216");

	uint8_t b[5];
	memcpy(b, hdr, 5);
	b[0] = 0xc6;
	expect_scan(b, 5, NULL, RS_ETOOLARGE,
		    "binary of 4294967295 bytes exceeds max_string 16777216");
	b[0] = 0xc9;
	expect_scan(b, 5, NULL, RS_ETOOLARGE, "ext of 4294967295 bytes exceeds max_string 16777216");

	/* Within max_str but, with the header, past max_message. */
	wire_limits l;
	wire_limits_default(&l);
	l.max_str = UINT32_MAX;
	const uint8_t s16m[] = {0xdb, 0x01, 0x00, 0x00, 0x00};
	expect_scan(s16m, 5, &l, RS_ETOOLARGE,
		    "message of at least 16777221 bytes exceeds max_message 16777216");
	expect_scan(hdr, 5, &l, RS_ETOOLARGE,
		    "message of at least 4294967300 bytes exceeds max_message 16777216");

	/* msgpack-c cannot hold an ext32 of 2^32-1 bytes, whatever the limits. */
	l.max_message = SIZE_MAX;
	const uint8_t e32[] = {0xc9, 0xff, 0xff, 0xff, 0xff, 0x01};
	expect_scan(e32, 6, &l, RS_ETOOLARGE, "ext of 4294967295 bytes exceeds msgpack-c's limit");
	/* With huge limits a huge claim just waits (no overflow anywhere). */
	expect_scan(hdr, 5, &l, RS_EAGAIN, "");
	const uint8_t m32[] = {0xdf, 0xff, 0xff, 0xff, 0xff};
	l.max_container = UINT32_MAX;
	expect_scan(m32, 5, &l, RS_EAGAIN, "");
}

static void test_map32_claim(void **state)
{
	const uint8_t m32[] = {0xdf, 0xff, 0xff, 0xff, 0xff};
	const uint8_t a32[] = {0xdd, 0xff, 0xff, 0xff, 0xff};
	wire_limits l;

	expect_scan(m32, 5, NULL, RS_ETOOLARGE,
		    "map of 4294967295 pairs exceeds max_container 1000000");
	expect_scan(a32, 5, NULL, RS_ETOOLARGE,
		    "array of 4294967295 elements exceeds max_container 1000000");

	/* Allowed by max_container: still needs one byte per element. */
	wire_limits_default(&l);
	l.max_container = UINT32_MAX;
	expect_scan(m32, 5, &l, RS_ETOOLARGE,
		    "message of at least 8589934595 bytes exceeds max_message 16777216");
	expect_scan(a32, 5, &l, RS_ETOOLARGE,
		    "message of at least 4294967300 bytes exceeds max_message 16777216");

	/* The scanner too, fed the 5 header bytes only. */
	wire_scanner s;
	wire_scanner_init(&s, NULL);
	assert_int_equal(wire_scanner_feed(&s, m32, 3, NULL), RS_EAGAIN);
	assert_int_equal(wire_scanner_feed(&s, m32, 5, NULL), RS_ETOOLARGE);
	assert_string_equal(wire_scanner_error(&s),
			    "map of 4294967295 pairs exceeds max_container 1000000");
	/* Sticky until reset. */
	assert_int_equal(wire_scanner_feed(&s, m32, 5, NULL), RS_ETOOLARGE);
	wire_scanner_reset(&s);
	assert_string_equal(wire_scanner_error(&s), "");
	const uint8_t nil = 0xc0;
	size_t n = 0;
	assert_int_equal(wire_scanner_feed(&s, &nil, 1, &n), 0);
	assert_int_equal(n, 1);
}

static void test_depth(void **state)
{
	uint8_t deep[1001];
	wire_limits l;

	memset(deep, 0x91, 1000);
	deep[1000] = 0xc0;
	expect_scan(deep, 1001, NULL, RS_ETOOLARGE, "nesting depth 33 exceeds max_depth 32");
	/* Refused as soon as the 33rd header is in. */
	expect_scan(deep, 33, NULL, RS_ETOOLARGE, "nesting depth 33 exceeds max_depth 32");
	expect_scan(deep, 32, NULL, RS_EAGAIN, "");

	/* 32 levels is fine, and msgpack-c unpacks it. */
	deep[32] = 0xc0;
	check_object(deep, 33);
	/* An empty container counts as a level. */
	deep[32] = 0x90;
	expect_scan(deep, 33, NULL, RS_ETOOLARGE, "nesting depth 33 exceeds max_depth 32");
	deep[32] = 0x80;
	expect_scan(deep, 33, NULL, RS_ETOOLARGE, "nesting depth 33 exceeds max_depth 32");

	/* Why 32 is the ceiling: msgpack-c itself refuses a 33rd level. */
	deep[32] = 0x91;
	deep[33] = 0xc0;
	msgpack_zone *z = msgpack_zone_new(MSGPACK_ZONE_CHUNK_SIZE);
	msgpack_object o;
	size_t off = 0;
	assert_int_not_equal(msgpack_unpack((const char *)deep, 34, &off, z, &o),
			     MSGPACK_UNPACK_SUCCESS);
	msgpack_zone_free(z);

	wire_limits_default(&l);
	l.max_depth = 2;
	const uint8_t two[] = {0x91, 0x81, 0x01, 0x02};
	expect_scan(two, 4, &l, 0, NULL);
	const uint8_t three[] = {0x92, 0x01, 0x91, 0x90};
	expect_scan(three, 4, &l, RS_ETOOLARGE, "nesting depth 3 exceeds max_depth 2");
	l.max_depth = 0;
	expect_scan(three + 1, 1, &l, 0, NULL);
	expect_scan(three + 3, 1, &l, RS_ETOOLARGE, "nesting depth 1 exceeds max_depth 0");

	/* Deeper than the walker (and msgpack-c) can go: a configuration error. */
	wire_scanner s;
	l.max_depth = WIRE_DEPTH_MAX + 1;
	assert_int_equal(wire_scanner_init(&s, &l), RS_ECONFIG);
	wire_scanner_reset(&s);
	assert_int_equal(wire_scanner_feed(&s, deep, 1, NULL), RS_ECONFIG);
	expect_scan(deep, 1, &l, RS_ECONFIG, "max_depth 33 exceeds the walker's ceiling 32");
}

static void test_boundaries(void **state)
{
	wire_limits l;
	uint8_t buf[32];

	wire_limits_default(&l);
	l.max_message = 10;
	buf[0] = 0x99;
	memset(buf + 1, 0xc0, 9);
	expect_scan(buf, 10, &l, 0, NULL);
	buf[0] = 0x9a;
	expect_scan(buf, 1, &l, RS_ETOOLARGE,
		    "message of at least 11 bytes exceeds max_message 10");
	/* Pending siblings count: [str8 x 8, ?] needs 1+1+8+1 bytes. */
	const uint8_t sib[] = {0x92, 0xa8};
	expect_scan(sib, 2, &l, RS_ETOOLARGE,
		    "message of at least 11 bytes exceeds max_message 10");
	const uint8_t sib_ok[] = {0x92, 0xa7, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 0xc0};
	expect_scan(sib_ok, 10, &l, 0, NULL);
	/* A scalar's fixed payload counts too. */
	const uint8_t f64[] = {0x91, 0xcb};
	expect_scan(f64, 2, &l, RS_EAGAIN, "");
	const uint8_t f64b[] = {0x92, 0xcb};
	expect_scan(f64b, 2, &l, RS_ETOOLARGE,
		    "message of at least 11 bytes exceeds max_message 10");
	l.max_message = 0;
	expect_scan(buf + 1, 1, &l, RS_ETOOLARGE,
		    "message of at least 1 bytes exceeds max_message 0");

	wire_limits_default(&l);
	l.max_str = 3;
	const uint8_t s3[] = {0xa3, 'a', 'b', 'c'};
	expect_scan(s3, 4, &l, 0, NULL);
	const uint8_t s4[] = {0xd9, 0x04};
	expect_scan(s4, 2, &l, RS_ETOOLARGE, "string of 4 bytes exceeds max_string 3");
	const uint8_t x4[] = {0xd6, 0x01};
	expect_scan(x4, 2, &l, RS_ETOOLARGE, "ext of 4 bytes exceeds max_string 3");
	const uint8_t b4[] = {0xc4, 0x04};
	expect_scan(b4, 2, &l, RS_ETOOLARGE, "binary of 4 bytes exceeds max_string 3");

	wire_limits_default(&l);
	l.max_container = 2;
	const uint8_t a2[] = {0x92, 0x01, 0x02};
	expect_scan(a2, 3, &l, 0, NULL);
	const uint8_t a3[] = {0xdc, 0x00, 0x03};
	expect_scan(a3, 3, &l, RS_ETOOLARGE, "array of 3 elements exceeds max_container 2");
	const uint8_t m2[] = {0x82, 0x01, 0x02, 0x03, 0x04};
	expect_scan(m2, 5, &l, 0, NULL);
	const uint8_t m3[] = {0x83};
	expect_scan(m3, 1, &l, RS_ETOOLARGE, "map of 3 pairs exceeds max_container 2");
}

static void test_reserved_c1(void **state)
{
	const uint8_t top[] = {0xc1};
	expect_scan(top, 1, NULL, RS_EMALFORMED, "reserved byte 0xc1 at offset 0");
	const uint8_t nested[] = {0x92, 0xc0, 0xc1};
	expect_scan(nested, 3, NULL, RS_EMALFORMED, "reserved byte 0xc1 at offset 2");
	const uint8_t key[] = {0x81, 0xc1, 0xc0};
	expect_scan(key, 3, NULL, RS_EMALFORMED, "reserved byte 0xc1 at offset 1");
	/* Inside a payload it is just a byte. */
	const uint8_t inside[] = {0xa1, 0xc1};
	expect_scan(inside, 2, NULL, 0, NULL);

	/* Small errmsg buffers truncate; errlen 0 writes nothing. */
	char err[8];
	size_t n;
	assert_int_equal(wire_scan(top, 1, NULL, &n, err, sizeof(err)), RS_EMALFORMED);
	assert_string_equal(err, "reserve");
	assert_int_equal(wire_scan(top, 1, NULL, &n, NULL, 0), RS_EMALFORMED);
}

static void test_unpack_errors(void **state)
{
	const uint8_t two[] = {0x92, 0x01, 0xa1, 'x', 0xc0};
	msgpack_zone *z = msgpack_zone_new(MSGPACK_ZONE_CHUNK_SIZE);
	msgpack_object o;

	assert_int_equal(wire_unpack(two, 4, z, &o), 0);
	assert_int_equal(o.type, MSGPACK_OBJECT_ARRAY);
	assert_int_equal(o.via.array.size, 2);
	assert_int_equal(o.via.array.ptr[1].type, MSGPACK_OBJECT_STR);
	assert_ptr_equal(o.via.array.ptr[1].via.str.ptr,
			 (const char *)two + 3); /* points into buf */
	assert_int_equal(wire_unpack(two, 3, z, &o), RS_EAGAIN);
	assert_int_equal(wire_unpack(two, 5, z, &o), RS_EMALFORMED);
	assert_int_equal(wire_unpack(two, 4, NULL, &o), RS_EINTERNAL);
	const uint8_t bad[] = {0xc1};
	assert_int_equal(wire_unpack(bad, 1, z, &o), RS_EMALFORMED);
	msgpack_zone_free(z);
}

/* ---- property: random packed objects ---- */

static void gen(msgpack_packer *pk, uint64_t *r, int depth)
{
	uint32_t k = rng_below(r, depth < 6 ? 26 : 22);
	uint32_t n;

	switch (k) {
	case 0:
		msgpack_pack_nil(pk);
		break;
	case 1:
		rng_below(r, 2) ? msgpack_pack_true(pk) : msgpack_pack_false(pk);
		break;
	case 2:
		msgpack_pack_int64(pk, (int64_t)rng_next(r) >> rng_below(r, 64));
		break;
	case 3:
		msgpack_pack_uint64(pk, rng_next(r) >> rng_below(r, 64));
		break;
	case 4:
		msgpack_pack_fix_uint8(pk, (uint8_t)rng_next(r));
		break;
	case 5:
		msgpack_pack_fix_uint16(pk, (uint16_t)rng_next(r));
		break;
	case 6:
		msgpack_pack_fix_uint32(pk, (uint32_t)rng_next(r));
		break;
	case 7:
		msgpack_pack_fix_uint64(pk, rng_next(r));
		break;
	case 8:
		msgpack_pack_fix_int8(pk, (int8_t)rng_next(r));
		break;
	case 9:
		msgpack_pack_fix_int16(pk, (int16_t)rng_next(r));
		break;
	case 10:
		msgpack_pack_fix_int32(pk, (int32_t)rng_next(r));
		break;
	case 11:
		msgpack_pack_fix_int64(pk, (int64_t)rng_next(r));
		break;
	case 12:
		msgpack_pack_float(pk, (float)rng_below(r, 1000) / 7);
		break;
	case 13:
		msgpack_pack_double(pk, (double)rng_next(r) / 3);
		break;
	case 14:
	case 15:
	case 16:
	case 17:
	case 18:
	case 19:
	case 20:
	case 21: {
		/* str, bin, ext: lengths around every encoding boundary */
		static const uint32_t lens[] = {0, 1, 2, 4, 8, 16, 31, 32, 255, 256, 65535, 65536};
		uint32_t pick = rng_below(r, 40);
		n = pick < 12 ? lens[pick] : rng_below(r, pick < 36 ? 40 : 300);
		if (n >= 65535 && (depth > 1 || rng_below(r, 16)))
			n = 3; /* keep the big ones rare and shallow */
		int kind = k < 17 ? 's' : k < 19 ? 'b' : 'e';
		pack_blob(pk, kind, n, (int8_t)rng_next(r));
		break;
	}
	case 22:
	case 23:
		/* Sizes shrink with depth; wide containers hold scalars only
		 * (depth 6 draws no containers). */
		n = depth < 2 && rng_below(r, 8) == 0 ? rng_below(r, 300)
						      : rng_below(r, depth < 2 ? 18 : 5);
		if (depth == 0 && rng_below(r, 60) == 0)
			n = 65536 + rng_below(r, 100); /* array32 */
		msgpack_pack_array(pk, n);
		for (uint32_t i = 0; i < n; i++)
			if (n > 65535)
				msgpack_pack_int(pk, (int)rng_below(r, 200) - 100);
			else
				gen(pk, r, n > 17 ? 6 : depth + 1);
		break;
	default:
		n = depth < 2 && rng_below(r, 8) == 0 ? rng_below(r, 100)
						      : rng_below(r, depth < 2 ? 18 : 4);
		if (depth == 0 && rng_below(r, 60) == 0)
			n = 65536 + rng_below(r, 100); /* map32 */
		msgpack_pack_map(pk, n);
		for (uint32_t i = 0; i < 2 * n; i++)
			if (n > 65535)
				msgpack_pack_nil(pk);
			else
				gen(pk, r, n > 17 ? 6 : depth + 1);
		break;
	}
}

static void test_random_objects(void **state)
{
	uint64_t r = 0x5eed1234abcdull;
	msgpack_zone *z = msgpack_zone_new(MSGPACK_ZONE_CHUNK_SIZE);
	size_t total = 0;

	for (int i = 0; i < 4000; i++) {
		msgpack_sbuffer sb;
		msgpack_packer pk;
		msgpack_sbuffer_init(&sb);
		msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
		gen(&pk, &r, 0);
		/* A second object right behind: the first must end where it ends. */
		msgpack_pack_int(&pk, i);
		size_t packed;
		{
			/* the trailing int's size, packed alone */
			msgpack_sbuffer t;
			msgpack_packer tp;
			msgpack_sbuffer_init(&t);
			msgpack_packer_init(&tp, &t, msgpack_sbuffer_write);
			msgpack_pack_int(&tp, i);
			packed = sb.size - t.size;
			msgpack_sbuffer_destroy(&t);
		}
		const uint8_t *buf = (const uint8_t *)sb.data;
		size_t obj_len = 0;
		char err[128];
		int rc = scan_default(buf, sb.size, &obj_len, err, sizeof(err));
		if (rc != 0)
			print_error("object %d: %d %s\n", i, rc, err);
		assert_int_equal(rc, 0);
		assert_int_equal(obj_len, packed);

		/* Fed in random pieces: the same end. */
		wire_scanner s;
		wire_scanner_init(&s, NULL);
		size_t have = 0;
		do {
			have += 1 + rng_below(&r, 64);
			if (have > sb.size)
				have = sb.size;
			rc = wire_scanner_feed(&s, buf, have, &obj_len);
		} while (rc == RS_EAGAIN && have < sb.size);
		assert_int_equal(rc, 0);
		assert_int_equal(obj_len, packed);
		assert_true(have >= packed && have < packed + 64);

		/* Truncated by one byte: more needed. */
		assert_int_equal(scan_default(buf, packed - 1, &obj_len, NULL, 0), RS_EAGAIN);

		msgpack_object o;
		assert_int_equal(wire_unpack(buf, packed, z, &o), 0);
		msgpack_zone_clear(z);
		total += packed;
		msgpack_sbuffer_destroy(&sb);
	}
	msgpack_zone_free(z);
	print_message("random objects: 4000, %zu bytes\n", total);
}

/* A large message arriving in small pieces costs O(bytes), not O(bytes^2):
 * 1,000,000 one-byte elements fed 16 bytes at a time. */
static void test_streaming_linear(void **state)
{
	size_t n = 5 + 1000000;
	uint8_t *buf = malloc(n);
	buf[0] = 0xdd;
	buf[1] = 0x00;
	buf[2] = 0x0f;
	buf[3] = 0x42;
	buf[4] = 0x40;
	memset(buf + 5, 0x01, n - 5);
	wire_scanner s;
	wire_scanner_init(&s, NULL);
	size_t have = 0, obj_len = 0;
	int rc = RS_EAGAIN;
	while (rc == RS_EAGAIN) {
		have = have + 16 < n ? have + 16 : n;
		rc = wire_scanner_feed(&s, buf, have, &obj_len);
	}
	assert_int_equal(rc, 0);
	assert_int_equal(obj_len, n);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_type),
	    cmocka_unit_test(test_fix_ranges),
	    cmocka_unit_test(test_back_to_back),
	    cmocka_unit_test(test_truncated),
	    cmocka_unit_test(test_str32_4gib_claim),
	    cmocka_unit_test(test_map32_claim),
	    cmocka_unit_test(test_depth),
	    cmocka_unit_test(test_boundaries),
	    cmocka_unit_test(test_reserved_c1),
	    cmocka_unit_test(test_unpack_errors),
	    cmocka_unit_test(test_random_objects),
	    cmocka_unit_test(test_streaming_linear),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
