/* fuzz_check.c: libFuzzer target for the offline checker's input side.
 *
 * The request is fixed (tests/data/tiny.json, read once); the bytes are an
 * answer, as `rooster check REQUEST ANSWER` reads it: unpacked, decoded by
 * tt_decode_solution against the request, then checked by tt_check. Each
 * must return an error with a message or a verdict, never crash or leak.
 *
 * fuzz-sources: daemon/wire.c solver/mp.c solver/strmap.c solver/xalloc.c solver/rs_error.c solver/tt_model.c solver/tt_decode.c solver/tt_encode.c solver/check_tt.c clients/librooster/json_mp.c
 */
#include "check_tt.h"
#include "json_mp.h"
#include "rs_error.h"
#include "tt_decode.h"
#include "fuzz_unpack.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static tt_model g_model;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	char err[256];
	msgpack_sbuffer sb;
	msgpack_sbuffer_init(&sb);
	if (json_file_to_msgpack("tests/data/tiny.json", &sb, err, sizeof err) != 0) {
		fprintf(stderr, "fuzz_check: run from the project root: %s\n", err);
		abort();
	}
	msgpack_unpacked u;
	msgpack_unpacked_init(&u);
	size_t off = 0;
	tt_limits lim;
	tt_limits_default(&lim);
	mp_ctx c;
	mp_init(&c);
	if (msgpack_unpack_next(&u, sb.data, sb.size, &off) != MSGPACK_UNPACK_SUCCESS ||
	    tt_decode(&u.data, &lim, &g_model, &c) != 0)
		abort();
	msgpack_unpacked_destroy(&u);
	msgpack_sbuffer_destroy(&sb);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	msgpack_zone *zone = msgpack_zone_new(MSGPACK_ZONE_CHUNK_SIZE);
	msgpack_object o;
	if (fuzz_unpack(data, size, zone, &o)) {
		mp_ctx c;
		mp_init(&c);
		tt_solution s;
		int rc = tt_decode_solution(&o, &g_model, &s, &c);
		if (rc && !c.err[0])
			abort(); /* an error must say what is wrong */
		if (!rc) {
			s.gap_wanted = 1e-4;
			tt_check_result r;
			if (tt_check(&g_model, &s, &r) == 0)
				tt_check_free(&r);
			tt_solution_free(&s);
		}
	}
	msgpack_zone_free(zone);
	return 0;
}
