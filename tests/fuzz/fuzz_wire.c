/* fuzz_wire.c: libFuzzer target for the bounded msgpack walker
 * (daemon/wire.c), with msgpack-c as the oracle.
 *
 * Input: 4 bytes choosing small limits, then the bytes of a stream. Checks
 * that the one-shot scan, the incremental scanner fed in pieces, and a scan
 * under the (larger) default limits agree; that a complete object unpacks
 * with msgpack-c consuming exactly obj_len bytes; that "need more bytes"
 * and "0xc1" are what msgpack-c says too. msgpack-c only ever sees input
 * the walker bounded by the small limits, so its allocations stay small.
 *
 * fuzz-sources: daemon/wire.c
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <msgpack.h>

#include "rs_error.h"
#include "wire.h"

#define FUZZ_CHECK(cond)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_wire: check failed at line %d: %s\n", __LINE__,      \
				#cond);                                                            \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wire_limits lim;

	if (size < 4)
		return 0;
	lim.max_message = 1 + (size_t)data[0] * 16; /* 1 .. 4081 */
	lim.max_depth = data[1] % (WIRE_DEPTH_MAX + 1);
	lim.max_container = data[2];
	lim.max_str = (uint32_t)data[3] * 2;
	const uint8_t *buf = data + 4;
	size_t len = size - 4;

	/* One-shot. */
	char err[128];
	size_t obj_len = 0;
	int rc = wire_scan(buf, len, &lim, &obj_len, err, sizeof(err));

	FUZZ_CHECK(rc == 0 || rc == RS_EAGAIN || rc == RS_ETOOLARGE || rc == RS_EMALFORMED);
	if (rc == 0)
		FUZZ_CHECK(obj_len >= 1 && obj_len <= len && obj_len <= lim.max_message);
	FUZZ_CHECK((rc == 0 || rc == RS_EAGAIN) == (err[0] == '\0'));

	/* Incremental, in pieces of 1..8 bytes, into a buffer that moves. */
	wire_scanner s;
	size_t have = 0, inc_len = 0;
	int inc = RS_EAGAIN;
	unsigned step = 0;

	FUZZ_CHECK(wire_scanner_init(&s, &lim) == 0);
	while (inc == RS_EAGAIN && have < len) {
		have += 1 + (data[step++ % size] & 7);
		if (have > len)
			have = len;
		uint8_t *copy = malloc(have);
		memcpy(copy, buf, have);
		inc = wire_scanner_feed(&s, copy, have, &inc_len);
		free(copy);
	}
	if (len == 0)
		inc = wire_scanner_feed(&s, buf, 0, &inc_len);
	FUZZ_CHECK(inc == rc);
	FUZZ_CHECK(strcmp(wire_scanner_error(&s), err) == 0);
	if (rc == 0) {
		FUZZ_CHECK(inc_len == obj_len);
		/* Complete answers repeat; reset starts afresh on the rest. */
		FUZZ_CHECK(wire_scanner_feed(&s, buf, len, &inc_len) == 0 && inc_len == obj_len);
		wire_scanner_reset(&s);
		size_t next_len = 0, one_len = 0;
		int next = wire_scanner_feed(&s, buf + obj_len, len - obj_len, &next_len);
		int one = wire_scan(buf + obj_len, len - obj_len, &lim, &one_len, NULL, 0);
		FUZZ_CHECK(next == one && (next != 0 || next_len == one_len));
	}

	/* Larger limits accept whatever smaller ones accepted, and meet the
	 * same 0xc1 or the same need for more bytes. */
	size_t def_len = 0;
	int def = wire_scan(buf, len, NULL, &def_len, NULL, 0);

	if (rc == 0)
		FUZZ_CHECK(def == 0 && def_len == obj_len);
	if (rc == RS_EAGAIN || rc == RS_EMALFORMED)
		FUZZ_CHECK(def == rc);

	/* msgpack-c agrees. Never reached for RS_ETOOLARGE: that is the input
	 * whose claims would make it allocate without bound. */
	if (rc == RS_ETOOLARGE)
		return 0;
	msgpack_zone *z = msgpack_zone_new(MSGPACK_ZONE_CHUNK_SIZE);
	msgpack_object o;
	size_t off = 0;
	msgpack_unpack_return ur = msgpack_unpack((const char *)buf, len, &off, z, &o);

	switch (rc) {
	case 0:
		FUZZ_CHECK(ur == MSGPACK_UNPACK_SUCCESS || ur == MSGPACK_UNPACK_EXTRA_BYTES);
		FUZZ_CHECK(off == obj_len);
		msgpack_zone_clear(z);
		FUZZ_CHECK(wire_unpack(buf, obj_len, z, &o) == 0);
		break;
	case RS_EAGAIN:
		FUZZ_CHECK(ur == MSGPACK_UNPACK_CONTINUE);
		break;
	default: /* RS_EMALFORMED */
		FUZZ_CHECK(ur == MSGPACK_UNPACK_PARSE_ERROR);
		break;
	}
	msgpack_zone_free(z);
	return 0;
}
