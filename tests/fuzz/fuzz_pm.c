/* fuzz_pm.c: libFuzzer target for placement requests.
 *
 * Bytes pass the wire walker's unpacking and go to pm_decode; a request that
 * decodes small enough is solved (a short work limit), explained, checked
 * and encoded, and the same bytes are read as an answer against it
 * (pm_decode_solution, for the offline checker). Whatever the bytes: 0 or
 * an error with a message, a matching the checker passes, no crash or leak.
 *
 * fuzz-sources: daemon/wire.c solver/mp.c solver/strmap.c solver/xalloc.c solver/rs_error.c solver/tt_decode.c solver/tt_model.c solver/lp.c solver/pm_decode.c solver/pm_pair.c solver/pm_solve.c solver/pm_explain.c solver/pm_encode.c solver/check_pm.c
 */
#include "pm.h"
#include "rs_error.h"
#include "fuzz_unpack.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	msgpack_zone *zone = msgpack_zone_new(MSGPACK_ZONE_CHUNK_SIZE);
	msgpack_object o;
	if (fuzz_unpack(data, size, zone, &o)) {
		pm_limits lim;
		pm_limits_default(&lim);
		lim.max_participants = 40;
		lim.max_placements = 20;
		mp_ctx c;
		mp_init(&c);
		pm_model m;
		int rc = pm_decode(&o, &lim, &m, &c);
		if (rc && !c.err[0])
			abort(); /* an error must say what is wrong */
		if (!rc) {
			pm_params p = {.time_limit = 5, .node_limit = 20};
			pm_solution s;
			if (pm_solve(&m, &p, &s) == 0) {
				pm_explain(&m, &s);
				pm_check_result chk;
				pm_check(&m, &s, &chk);
				if (strcmp(s.status, "infeasible") != 0 && strcmp(s.status, "time_limit") != 0 &&
				    (chk.n_violations || !chk.objective_matches))
					abort(); /* every answer leaves through the checker clean */
				msgpack_sbuffer sb;
				msgpack_sbuffer_init(&sb);
				msgpack_packer pk;
				msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
				pm_encode_answer(&pk, &m, &s, &chk, NULL);
				msgpack_sbuffer_destroy(&sb);
				pm_check_free(&chk);
				pm_solution_free(&s);
			}
			mp_init(&c);
			if (pm_decode_solution(&o, &m, &s, &c) == 0) {
				pm_check_result chk;
				pm_check(&m, &s, &chk);
				pm_check_free(&chk);
				pm_solution_free(&s);
			}
			pm_model_free(&m);
		}
	}
	msgpack_zone_free(zone);
	return 0;
}
