/* fuzz_start.c: libFuzzer target for a request's `start` and its repair.
 *
 * The request is fixed (fixtures/zutphen.json, read once: 48 learners with
 * households kept apart, childcare places and running groups); the bytes are its
 * `start` (an earlier answer, as `rooster solve --start` sends it). The
 * request with that start is decoded; when it decodes, the start is rebuilt
 * as a plan (tt_start_plan), staffed and completed as the solver does
 * (stage 2, greedy extension, stage 3), and the independent checker must
 * find that plan valid with its objective, and the start's counts must add
 * up. Whatever the bytes: an error with a message or a valid plan.
 * (The sources it links, every solver file, are named on the line below.) */
// fuzz-sources: daemon/wire.c solver/*.c clients/librooster/json_mp.c
#include "check_tt.h"
#include "json_mp.h"
#include "lp.h"
#include "rs_error.h"
#include "tt_decode.h"
#include "tt_internal.h"
#include "fuzz_unpack.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static msgpack_sbuffer g_req;
static msgpack_unpacked g_unp;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	char err[256];
	msgpack_sbuffer_init(&g_req);
	if (json_file_to_msgpack("fixtures/zutphen.json", &g_req, err, sizeof err) != 0) {
		fprintf(stderr, "fuzz_start: run from the project root: %s\n", err);
		abort();
	}
	msgpack_unpacked_init(&g_unp);
	size_t off = 0;
	if (msgpack_unpack_next(&g_unp, g_req.data, g_req.size, &off) != MSGPACK_UNPACK_SUCCESS ||
	    g_unp.data.type != MSGPACK_OBJECT_MAP)
		abort();
	return 0;
}

static void check_changes(const tt_model *m, const tt_solution *s)
{
	static const char *const rules[] = {
	    "route",	  "level_spread", "alfa_separation", "women_only",   "availability",
	    "travel",	  "location_closed", "household",     "childcare",    "school",
	    "group_dropped", "running_join", "optimised"};
	int *first = malloc(((size_t)m->n_learners + 1) * sizeof *first);
	int *where = malloc(((size_t)m->n_learners + 1) * sizeof *where);
	char *seen = calloc((size_t)m->n_learners + 1, 1);
	tt_start_first(m, first);
	for (int i = 0; i < m->n_learners; i++)
		where[i] = -1;
	for (int g = 0; g < s->n_groups; g++)
		for (int k = 0; k < s->groups[g].n_members; k++)
			if (where[s->groups[g].members[k]] < 0)
				where[s->groups[g].members[k]] = g;
	for (int k = 0; k < s->start.n_changed; k++) {
		const tt_start_change *c = &s->start.changed[k];
		bool known = false;
		for (size_t q = 0; c->rule && q < sizeof rules / sizeof *rules; q++)
			known |= strcmp(c->rule, rules[q]) == 0;
		if (c->learner < 0 || c->learner >= m->n_learners || seen[c->learner] || !known ||
		    !c->reason || !c->reason[0] || c->q != first[c->learner] ||
		    c->placed != (where[c->learner] >= 0)) {
			fprintf(stderr, "fuzz_start: change %d: learner %d rule %s\n", k, c->learner,
				c->rule ? c->rule : "(null)");
			abort();
		}
		seen[c->learner] = 1;
	}
	for (int i = 0; i < m->n_learners; i++) {
		if (first[i] < 0) {
			if (seen[i])
				abort();
			continue;
		}
		int g = where[i];
		bool moves = g < 0 ? tt_start_moves(m, first[i], -1, 0, -1)
				   : tt_start_moves(m, first[i], s->groups[g].running,
						    s->groups[g].sessions,
						    s->groups[g].running >= 0 ? -1 : s->groups[g].location);
		if (moves != (seen[i] != 0)) {
			fprintf(stderr, "fuzz_start: learner %d moves %d, change listed %d\n", i, moves,
				seen[i]);
			abort();
		}
	}
	free(first);
	free(where);
	free(seen);
}

static void check_start(const tt_model *m)
{
	tt_prep pp;
	if (tt_prep_build(&pp, m, 0) != 0)
		abort();
	tt_plan pl;
	tt_start_info info;
	tt_start_plan(&pp, &pl, &info);
	if (!info.used || info.kept + info.restaffed + info.dropped != info.groups ||
	    info.topped_up > m->n_learners || info.unknown != m->start_unknown) {
		fprintf(stderr, "fuzz_start: counts %d = %d + %d + %d, left out %d, unknown %d / %d\n",
			info.groups, info.kept, info.restaffed, info.dropped, info.left_out,
			info.unknown, m->start_unknown);
		abort();
	}
	lp_ctl ctl = {.deadline = lp_now() + 60};
	int dropped = 0;
	if (tt_stage2(&pp, &ctl, &pl, &dropped) != 0)
		abort();
	tt_start_staffed(&pp, &pl, &info);
	if (info.kept + info.restaffed + info.dropped != info.groups || info.restaffed < 0)
		abort();
	/* the outcomes say the same, one per group, a reason for each not
	 * kept; the plan's groups are those taken */
	int fates[3] = {0, 0, 0};
	for (int k = 0; k < info.n_out; k++) {
		const tt_start_outcome *oc = &info.out[k];
		if (oc->fate < 0 || oc->fate > 2 || (oc->fate == TT_SG_KEPT) != !oc->reason)
			abort();
		fates[oc->fate]++;
	}
	if (info.n_out != info.groups || fates[TT_SG_KEPT] != info.kept ||
	    fates[TT_SG_RESTAFFED] != info.restaffed || fates[TT_SG_DROPPED] != info.dropped ||
	    pl.n_groups != info.kept + info.restaffed) {
		fprintf(stderr, "fuzz_start: outcomes %d/%d/%d of %d, counts %d/%d/%d, %d groups\n",
			fates[0], fates[1], fates[2], info.n_out, info.kept, info.restaffed,
			info.dropped, pl.n_groups);
		abort();
	}
	/* as tt_finish: stage 2 again (nothing left to staff), the greedy */
	if (tt_stage2(&pp, &ctl, &pl, &dropped) != 0)
		abort();
	tt_greedy_extend(&pp, &pl, NULL, 0, 0.0);
	int left = tt_start_left_out(&pp, &pl);
	if (left < 0 || left > m->n_learners)
		abort();
	tt_solution s = {0};
	tt_plan_to_solution(&pp, &pl, &s);
	tt_check_result r;
	if (tt_check(m, &s, &r) != 0)
		abort();
	if (r.n_violations || !r.objective_matches) {
		fprintf(stderr, "fuzz_start: %s: %s\n",
			r.n_violations ? r.violations[0].constraint : "objective",
			r.n_violations ? r.violations[0].message : "differs");
		abort();
	}
	tt_check_free(&r);
	/* the explanations: one change, with a known rule and a reason, for
	 * exactly the learners the start placed whose lessons change */
	s.start = info; /* (the solution frees it) */
	s.start.used = true;
	/* the re-plan's ids: every new group named, no two alike, none a
	 * running group's, and numbered past the start's group_seq */
	tt_name_groups(m, &s);
	for (int k = 0; k < s.n_groups; k++) {
		if (s.groups[k].running >= 0)
			continue;
		const char *nk = s.names ? s.names[k] : NULL;
		if (!nk || !*nk)
			abort();
		for (int r = 0; r < m->n_running; r++)
			if (!strcmp(m->running[r].id, nk))
				abort();
		for (int j = 0; j < k; j++)
			if (s.groups[j].running < 0 && !strcmp(s.names[j], nk))
				abort();
	}
	if (s.n_groups && m->n_start && s.group_seq < m->start_seq)
		abort();
	tt_explain(m, &s);
	check_changes(m, &s);
	tt_solution_free(&s);
	tt_plan_free(&pl);
	tt_prep_free(&pp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	msgpack_zone *zone = msgpack_zone_new(MSGPACK_ZONE_CHUNK_SIZE);
	msgpack_object st;
	if (fuzz_unpack(data, size, zone, &st)) {
		/* the request's fields and "start": the bytes */
		const msgpack_object_map *rm = &g_unp.data.via.map;
		msgpack_object_kv *kv = malloc((rm->size + 1) * sizeof *kv);
		memcpy(kv, rm->ptr, rm->size * sizeof *kv);
		kv[rm->size].key = (msgpack_object){.type = MSGPACK_OBJECT_STR,
						   .via.str = {.size = 5, .ptr = "start"}};
		kv[rm->size].val = st;
		msgpack_object req = {.type = MSGPACK_OBJECT_MAP,
				      .via.map = {.size = rm->size + 1, .ptr = kv}};
		tt_limits lim;
		tt_limits_default(&lim);
		mp_ctx c;
		mp_init(&c);
		tt_model m;
		int rc = tt_decode(&req, &lim, &m, &c);
		if (rc && !c.err[0])
			abort(); /* an error must say what is wrong */
		if (!rc) {
			if (m.has_start) /* (a null start is none) */
				check_start(&m);
			tt_model_free(&m);
		}
		free(kv);
	}
	msgpack_zone_free(zone);
	return 0;
}
