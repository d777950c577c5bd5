/* fuzz_diff.c: libFuzzer target for tt_diff, the comparison of two answers.
 *
 * The bytes are one answer, compared with a fixed one (the corpus's
 * answer-tiny.mp, read once) in both directions, as `rooster diff` and
 * plan.diff read stored or saved answers. Each call must return an error
 * with a message and pack nothing, or a diff whose counts add up: every
 * learner counted once, every change but "unchanged" listed, every teacher
 * counted listed.
 *
 * The same bytes as a placement answer go through pm_diff against
 * themselves: an error packs nothing, and a diff says every participant is
 * unchanged.
 *
 * fuzz-sources: daemon/wire.c solver/mp.c solver/strmap.c solver/xalloc.c solver/rs_error.c solver/tt_diff.c solver/pm_diff.c
 */
#include "mp.h"
#include "rs_error.h"
#include "pm_diff.h"
#include "tt_diff.h"
#include "fuzz_unpack.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *g_fixed;
static size_t g_fixed_len;
static msgpack_zone *g_zone;
static msgpack_object g_answer;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	const char *path = "tests/fuzz/corpus/fuzz_check/answer-tiny.mp";
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "fuzz_diff: run from the project root (%s)\n", path);
		abort();
	}
	g_fixed = malloc(1 << 20);
	g_fixed_len = fread(g_fixed, 1, 1 << 20, f);
	fclose(f);
	g_zone = msgpack_zone_new(MSGPACK_ZONE_CHUNK_SIZE);
	if (!fuzz_unpack((const uint8_t *)g_fixed, g_fixed_len, g_zone, &g_answer))
		abort();
	return 0;
}

static int64_t get_int(const msgpack_object *m, const char *k)
{
	const msgpack_object *o = mp_get(m, k);
	if (!o || o->type != MSGPACK_OBJECT_POSITIVE_INTEGER)
		abort();
	return (int64_t)o->via.u64;
}

static unsigned size_seen;

/* A differ's result: an error says what is wrong and packs nothing
 * (false); a diff is one whole msgpack object, unpacked into u (true; the
 * caller destroys u and sb). */
static bool diffed(int rc, const mp_ctx *c, msgpack_sbuffer *sb, msgpack_unpacked *u)
{
	if (rc) {
		if (!c->err[0] || sb->size)
			abort();
		msgpack_sbuffer_destroy(sb);
		return false;
	}
	msgpack_unpacked_init(u);
	size_t off = 0;
	if (msgpack_unpack_next(u, sb->data, sb->size, &off) != MSGPACK_UNPACK_SUCCESS ||
	    off != sb->size)
		abort();
	return true;
}

static void one(const msgpack_object *a, const msgpack_object *b)
{
	msgpack_sbuffer sb;
	msgpack_sbuffer_init(&sb);
	msgpack_packer pk;
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	mp_ctx c;
	mp_init(&c);
	msgpack_unpacked u;
	if (!diffed(tt_diff(a, b, size_seen++ % 2 == 0, &pk, &c), &c, &sb, &u))
		return;
	const msgpack_object *sum = mp_get(&u.data, "summary");
	const msgpack_object *ls = mp_get(&u.data, "learners");
	const msgpack_object *ts = mp_get(&u.data, "teachers");
	if (!sum || !ls || ls->type != MSGPACK_OBJECT_ARRAY || !ts ||
	    ts->type != MSGPACK_OBJECT_ARRAY)
		abort();
	int64_t all = get_int(sum, "waiting"), listed = 0;
	for (int ch = 0; ch < TT_CH_N; ch++) {
		int64_t n = get_int(sum, tt_change_name(ch));
		all += n;
		if (ch != TT_CH_UNCHANGED)
			listed += n;
	}
	if (all != get_int(sum, "learners") || listed != (int64_t)ls->via.array.size ||
	    get_int(sum, "teachers_changed") != (int64_t)ts->via.array.size)
		abort();
	msgpack_unpacked_destroy(&u);
	msgpack_sbuffer_destroy(&sb);
}

static void same_placement(const msgpack_object *a)
{
	msgpack_sbuffer sb;
	msgpack_sbuffer_init(&sb);
	msgpack_packer pk;
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	mp_ctx c;
	mp_init(&c);
	msgpack_unpacked u;
	if (!diffed(pm_diff(a, a, &pk, &c), &c, &sb, &u))
		return;
	const msgpack_object *sum = mp_get(&u.data, "summary"), *ps = mp_get(&u.data, "participants");
	if (!sum || !ps || ps->type != MSGPACK_OBJECT_ARRAY || ps->via.array.size ||
	    get_int(sum, "unchanged") != get_int(sum, "participants"))
		abort();
	msgpack_unpacked_destroy(&u);
	msgpack_sbuffer_destroy(&sb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	msgpack_zone *zone = msgpack_zone_new(MSGPACK_ZONE_CHUNK_SIZE);
	msgpack_object o;
	if (fuzz_unpack(data, size, zone, &o)) {
		one(&g_answer, &o);
		one(&o, &g_answer);
		one(&o, &o);
		same_placement(&o);
	}
	msgpack_zone_free(zone);
	return 0;
}
