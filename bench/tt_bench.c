/* tt_bench.c: benchmark driver for tt_solve (figures, not assertions).
 * Usage: tt_bench FILE.json [time_limit] [seed] [node_limit]
 * Reads a timetable request, solves it, runs the independent checker and
 * prints one line: status, objective, bound, gap, seconds, groups, waiting,
 * checker violations. */
#include <stdio.h>
#include <stdlib.h>

#include "check_tt.h"
#include "json_mp.h"
#include "tt_decode.h"
#include "tt_solve.h"

static void on_progress(void *ud, const tt_progress *p)
{
	if (getenv("TT_BENCH_PROGRESS"))
		fprintf(stderr, "  [%s] %.2fs inc %.1f bound %.1f gap %.4f\n", p->phase, p->elapsed,
			p->incumbent, p->bound, p->gap);
}

static void on_log(void *ud, int level, const char *msg)
{
	if (level >= 1 && getenv("TT_BENCH_PROGRESS"))
		fprintf(stderr, "  log: %s\n", msg);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE.json [time_limit] [seed] [node_limit]\n", argv[0]);
		return 2;
	}
	msgpack_sbuffer sb;
	msgpack_sbuffer_init(&sb);
	char err[256];
	if (json_file_to_msgpack(argv[1], &sb, err, sizeof err)) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	msgpack_unpacked up;
	msgpack_unpacked_init(&up);
	size_t off = 0;
	msgpack_unpack_next(&up, sb.data, sb.size, &off);
	tt_limits lim;
	tt_limits_default(&lim);
	lim.max_learners = 1000000;
	mp_ctx c;
	mp_init(&c);
	tt_model m;
	if (tt_decode(&up.data, &lim, &m, &c)) {
		fprintf(stderr, "decode: %s\n", c.err);
		return 1;
	}
	tt_params p = {.time_limit = argc > 2 ? atof(argv[2]) : 10,
		       .gap = 1e-4,
		       .seed = argc > 3 ? (unsigned)atoi(argv[3]) : 1,
		       .node_limit = argc > 4 ? atol(argv[4]) : 0,
		       .progress = on_progress,
		       .log = on_log};
	tt_solution s = {0};
	int rc = tt_solve(&m, &p, &s);
	if (rc) {
		fprintf(stderr, "tt_solve: %d\n", rc);
		return 1;
	}
	tt_check_result chk = {0};
	tt_check(&m, &s, &chk);
	int placed = 0;
	for (int g = 0; g < s.n_groups; g++)
		placed += s.groups[g].n_members;
	printf("%s learners=%d status=%s objective=%.1f bound=%.1f gap=%.4f seconds=%.2f nodes=%ld "
	       "groups=%d placed=%d waiting=%d violations=%d objective_matches=%d\n",
	       argv[1], m.n_learners, tt_status_name(s.status), s.objective, s.bound, s.gap, s.seconds,
	       s.nodes, s.n_groups, placed, s.n_unplaced, chk.n_violations, chk.objective_matches);
	for (int k = 0; k < chk.n_violations && k < 10; k++)
		printf("  violation %s: %s\n", chk.violations[k].constraint, chk.violations[k].message);
	if (!chk.objective_matches)
		printf("  checker objective %.3f (unplaced %.1f wait %.1f group %.1f spread %.1f level %.1f pref %.1f travel %.1f room_over %.1f)\n"
		       "  solver  terms      (unplaced %.1f wait %.1f group %.1f spread %.1f level %.1f pref %.1f travel %.1f room_over %.1f)\n",
		       chk.objective, chk.terms.unplaced, chk.terms.wait, chk.terms.group, chk.terms.spread,
		       chk.terms.level, chk.terms.pref, chk.terms.travel, chk.terms.room_over, s.terms.unplaced,
		       s.terms.wait, s.terms.group, s.terms.spread, s.terms.level, s.terms.pref, s.terms.travel,
		       s.terms.room_over);
	tt_check_free(&chk);
	tt_solution_free(&s);
	tt_model_free(&m);
	msgpack_unpacked_destroy(&up);
	msgpack_sbuffer_destroy(&sb);
	return 0;
}
