/* tt_run.c: runs the timetable solver in-process on a JSON request and
 * prints its log and a one-line summary; a developer's tool for measuring
 * the solver's phases (make build/tt_run). Not installed.
 *
 *   build/tt_run REQUEST.json [time_limit] [seed] [node_limit] [threads]
 *
 * TT_RUN_ANSWER=FILE also writes the answer as JSON (as the daemon encodes
 * it, with the checker's verdict), for rooster diff and rooster check. */
#include <stdio.h>
#include <stdlib.h>

#include "json_mp.h"
#include "lp.h"
#include "tt_decode.h"
#include "tt_encode.h"
#include "tt_solve.h"
#include "check_tt.h"

static double t_start;

static void on_log(void *ud, int level, const char *msg)
{
	fprintf(stderr, "[%7.2f] %s\n", lp_now() - t_start, msg);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s REQUEST.json [time_limit] [seed] [node_limit] [threads]\n", argv[0]);
		return 2;
	}
	char err[256];
	msgpack_sbuffer sb;
	msgpack_sbuffer_init(&sb);
	if (json_file_to_msgpack(argv[1], &sb, err, sizeof err)) {
		fprintf(stderr, "%s: %s\n", argv[1], err);
		return 2;
	}
	msgpack_unpacked u;
	msgpack_unpacked_init(&u);
	if (msgpack_unpack_next(&u, sb.data, sb.size, NULL) != MSGPACK_UNPACK_SUCCESS) {
		fprintf(stderr, "%s: not a request\n", argv[1]);
		return 2;
	}
	tt_limits lim;
	tt_limits_default(&lim);
	tt_model m;
	mp_ctx c = {0};
	if (tt_decode(&u.data, &lim, &m, &c)) {
		fprintf(stderr, "%s: %s\n", argv[1], c.err);
		return 2;
	}
	tt_params p = {.time_limit = argc > 2 ? atof(argv[2]) : 10,
		       .seed = argc > 3 ? (unsigned)atoi(argv[3]) : 1,
		       .node_limit = argc > 4 ? atol(argv[4]) : 0,
		       .threads = argc > 5 ? atoi(argv[5]) : 0,
		       .log = on_log};
	t_start = lp_now();
	tt_solution s;
	int rc = tt_solve(&m, &p, &s);
	if (rc) {
		fprintf(stderr, "solver failed: %d\n", rc);
		return 1;
	}
	printf("%s objective %.1f bound %.1f gap %.2f %% unplaced %d groups %d time %.2f s\n",
	       tt_status_name(s.status), s.objective, s.bound, 100 * s.gap, s.n_unplaced, s.n_groups,
	       s.seconds);
	printf("terms unplaced %.0f wait %.0f group %.0f spread %.0f level %.0f pref %.0f travel %.0f room_over %.0f pace %.0f moved %.0f\n",
	       s.terms.unplaced, s.terms.wait, s.terms.group, s.terms.spread, s.terms.level, s.terms.pref,
	       s.terms.travel, s.terms.room_over, s.terms.pace, s.terms.moved);
	tt_explain(&m, &s);
	if (getenv("TT_RUN_ANSWER")) {
		tt_check_result chk;
		tt_check(&m, &s, &chk);
		msgpack_sbuffer ab;
		msgpack_sbuffer_init(&ab);
		msgpack_packer pk;
		msgpack_packer_init(&pk, &ab, msgpack_sbuffer_write);
		tt_answer_meta meta = {.plan = "tt_run", .version = 1};
		tt_encode_answer(&pk, &m, &s, &chk, &meta);
		msgpack_unpacked a;
		msgpack_unpacked_init(&a);
		msgpack_unpack_next(&a, ab.data, ab.size, NULL);
		json_t *j = msgpack_to_json(&a.data);
		if (json_dump_file(j, getenv("TT_RUN_ANSWER"), JSON_INDENT(1)))
			fprintf(stderr, "%s: could not write the answer\n", getenv("TT_RUN_ANSWER"));
		json_decref(j);
		msgpack_unpacked_destroy(&a);
		msgpack_sbuffer_destroy(&ab);
		printf("checker: %d violations, objective %s\n", chk.n_violations,
		       chk.objective_matches ? "matches" : "DIFFERS");
		tt_check_free(&chk);
	}
	int hist[16] = {0};
	for (int i = 0; i < s.n_unplaced; i++)
		if (s.unplaced[i].n_reasons > 0 && s.unplaced[i].reasons[0].code < 16)
			hist[s.unplaced[i].reasons[0].code]++;
	int must_waiting = 0;
	for (int i = 0; i < s.n_unplaced; i++)
		must_waiting += m.learners[s.unplaced[i].learner].must_place;
	printf("must-place learners waiting: %d\n", must_waiting);
	printf("unplaced by first reason:");
	for (int k = 0; k < 16; k++)
		if (hist[k])
			printf(" %d:%d", k, hist[k]);
	printf("\n");
	if (getenv("TT_RUN_GROUPS"))
		for (int g = 0; g < s.n_groups; g++) {
			const tt_group *gr = &s.groups[g];
			fprintf(stderr, "group %d: running %d route %d level %d alfa %d wo %d sessions %x location %d room %d teacher %d:",
				g, gr->running, gr->route, gr->level, gr->alfa, gr->women_only,
				(unsigned)gr->sessions, gr->location, gr->room, gr->teacher);
			for (int k = 0; k < gr->n_members; k++)
				fprintf(stderr, " %d", gr->members[k]);
			fprintf(stderr, "\n");
		}
	if (getenv("TT_RUN_REASONS"))
		for (int i = 0; i < s.n_unplaced; i++)
			for (int r = 0; r < s.unplaced[i].n_reasons; r++)
				fprintf(stderr, "learner %d: %s\n", s.unplaced[i].learner,
					s.unplaced[i].reasons[r].text);
	tt_solution_free(&s);
	tt_model_free(&m);
	msgpack_unpacked_destroy(&u);
	msgpack_sbuffer_destroy(&sb);
	return 0;
}
