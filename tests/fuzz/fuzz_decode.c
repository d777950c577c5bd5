/* fuzz_decode.c: libFuzzer target for the request decoders behind the wire walker.
 *
 * Bytes pass the walker with the daemon's default limits, are unpacked, and
 * go to tt_decode (timetable requests), ctt_from_request (ITC2007 requests)
 * and tt_decode_solution (answers, for the offline checker). Whatever the
 * bytes, each must return 0 or an error with a message, never crash or leak.
 *
 * fuzz-sources: daemon/wire.c solver/mp.c solver/strmap.c solver/xalloc.c solver/rs_error.c solver/tt_model.c solver/tt_decode.c solver/tt_encode.c solver/ctt_parse.c solver/ctt_check.c solver/ctt_request.c
 */
#include "ctt_request.h"
#include "rs_error.h"
#include "tt_decode.h"
#include "fuzz_unpack.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	msgpack_zone *zone = msgpack_zone_new(MSGPACK_ZONE_CHUNK_SIZE);
	msgpack_object o;
	if (fuzz_unpack(data, size, zone, &o)) {
		tt_limits lim;
		tt_limits_default(&lim);
		mp_ctx c;
		mp_init(&c);
		tt_model m;
		int rc = tt_decode(&o, &lim, &m, &c);
		if (rc && !c.err[0])
			abort(); /* an error must say what is wrong */
		if (!rc) {
			tt_solution s;
			mp_init(&c);
			if (tt_decode_solution(&o, &m, &s, &c) == 0)
				tt_solution_free(&s);
			tt_model_free(&m);
		}
		ctt_instance in;
		mp_init(&c);
		if (ctt_from_request(&o, &in, &c) == 0)
			ctt_instance_free(&in);
	}
	msgpack_zone_free(zone);
	return 0;
}
