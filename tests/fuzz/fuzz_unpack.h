/* fuzz_unpack.h: the first step of the decoder targets, as the daemon takes
 * a message: the bytes pass the wire walker under the default limits and
 * the first object is unpacked into zone. */
#ifndef FUZZ_UNPACK_H
#define FUZZ_UNPACK_H

#include "wire.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* true with *o set when the bytes begin with an object the walker takes */
static inline bool fuzz_unpack(const uint8_t *data, size_t size, msgpack_zone *zone,
			       msgpack_object *o)
{
	size_t len;
	char err[128];
	return wire_scan(data, size, NULL, &len, err, sizeof err) == 0 &&
	       wire_unpack(data, len, zone, o) == 0;
}

#endif
