/* pm_run.c: runs the placement matcher in-process; a developer's and the
 * benchmarks' tool (make build/pm_run). Not installed.
 *
 *   build/pm_run REQUEST.json [time_limit] [node_limit]
 *   build/pm_run --gap FILE INDEX [time_limit] [node_limit]
 *
 * --gap reads problem INDEX (0-based) of an OR-Library generalised
 * assignment file (gap1..12, gapa..d; Yagiura's type E files hold one
 * problem without the count line) as a minimisation: agents are placements
 * with hours_capacity b_i, jobs are must_place participants with pair hours
 * a_ij and costs c_ij. Prints one line:
 *   status objective bound gap seconds nodes checker
 * PM_RUN_LP=FILE writes the integer program (for glpsol and cbc);
 * PM_RUN_MIP_OPTIONS=N sets pm_params.mip_options (-1: the large path always);
 * PM_RUN_ANSWER=FILE writes the answer as JSON. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_mp.h"
#include "lp.h"
#include "pm.h"
#include "xalloc.h"

static int read_gap(const char *path, int index, pm_model *m)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	/* all numbers of the file; a first line with one number counts problems */
	size_t n = 0, cap = 1 << 16;
	long *v = xmalloc(sizeof(long) * cap);
	char line[1 << 16];
	int first_line_count = -1;
	while (fgets(line, sizeof line, f)) {
		int on_line = 0;
		for (char *s = strtok(line, " \t\r\n"); s; s = strtok(NULL, " \t\r\n")) {
			if (n == cap)
				v = xrealloc(v, sizeof(long) * (cap *= 2));
			v[n++] = strtol(s, NULL, 10);
			on_line++;
		}
		if (first_line_count < 0 && on_line)
			first_line_count = on_line;
	}
	fclose(f);
	size_t at = first_line_count == 1 ? 1 : 0;
	int problems = first_line_count == 1 ? (int)v[0] : 1;
	if (index >= problems) {
		free(v);
		return -1;
	}
	for (int k = 0;; k++) {
		if (at + 2 > n)
			break;
		long agents = v[at], jobs = v[at + 1];
		size_t size = 2 + 2 * (size_t)(agents * jobs) + (size_t)agents;
		if (k < index) {
			at += size;
			continue;
		}
		if (at + size > n)
			break;
		memset(m, 0, sizeof *m);
		m->n_dagdelen = 1;
		m->dagdelen = xcalloc(1, sizeof *m->dagdelen);
		m->dagdelen[0] = (pm_dagdeel){.id = xstrdup("week"), .day = 0, .start_min = 0,
					      .end_min = 60};
		m->n_locations = 1;
		m->locations = xcalloc(1, sizeof *m->locations);
		m->locations[0] = (pm_location){.id = xstrdup("site"), .name = xstrdup("site")};
		m->n_placements = (int)agents;
		m->placements = xcalloc((size_t)agents, sizeof *m->placements);
		m->n_participants = (int)jobs;
		m->participants = xcalloc((size_t)jobs, sizeof *m->participants);
		m->pair_hours = xmalloc(sizeof(double) * (size_t)(agents * jobs));
		m->pair_cost = xmalloc(sizeof(double) * (size_t)(agents * jobs));
		const long *c = &v[at + 2], *a = c + agents * jobs, *b = a + agents * jobs;
		for (long i = 0; i < agents; i++) {
			char id[32];
			snprintf(id, sizeof id, "agent-%ld", i + 1);
			m->placements[i] = (pm_placement){.id = xstrdup(id), .name = xstrdup(id),
							  .capacity = (int)jobs,
							  .hours_capacity = (double)b[i],
							  .dagdelen = 1,
							  .max_hours = PM_NO_LIMIT,
							  .max_per_dagdeel = (int)jobs,
							  .coach_hours = PM_NO_LIMIT,
							  .max_same_tongue = -1};
			for (long j = 0; j < jobs; j++) {
				m->pair_hours[j * agents + i] = (double)a[i * jobs + j];
				m->pair_cost[j * agents + i] = (double)c[i * jobs + j];
			}
		}
		for (long j = 0; j < jobs; j++) {
			char id[32];
			snprintf(id, sizeof id, "job-%ld", j + 1);
			m->participants[j] = (pm_participant){.id = xstrdup(id), .tongue = -1,
							      .current = -1, .must_place = true,
							      .max_hours = 1e9, .target_hours = 0};
		}
		m->w = (pm_weights){.unplaced = 0};
		free(v);
		return 0;
	}
	free(v);
	return -1;
}

int main(int argc, char **argv)
{
	pm_model m;
	int arg = 2;
	if (argc >= 4 && strcmp(argv[1], "--gap") == 0) {
		if (read_gap(argv[2], atoi(argv[3]), &m)) {
			fprintf(stderr, "%s: no problem %s there\n", argv[2], argv[3]);
			return 2;
		}
		arg = 4;
	} else if (argc >= 2 && argv[1][0] != '-') {
		char err[256];
		msgpack_sbuffer sb;
		msgpack_sbuffer_init(&sb);
		if (json_file_to_msgpack(argv[1], &sb, err, sizeof err)) {
			fprintf(stderr, "%s: %s\n", argv[1], err);
			return 2;
		}
		msgpack_unpacked u;
		msgpack_unpacked_init(&u);
		msgpack_unpack_next(&u, sb.data, sb.size, NULL);
		pm_limits lim;
		pm_limits_default(&lim);
		mp_ctx c;
		mp_init(&c);
		if (pm_decode(&u.data, &lim, &m, &c)) {
			fprintf(stderr, "%s: %s: %s\n", argv[1], c.field, c.err);
			return 2;
		}
		msgpack_unpacked_destroy(&u);
		msgpack_sbuffer_destroy(&sb);
	} else {
		fprintf(stderr, "usage: %s REQUEST.json|--gap FILE INDEX [time_limit] [node_limit]\n",
			argv[0]);
		return 2;
	}
	const char *lp_path = getenv("PM_RUN_LP");
	if (lp_path && pm_export_lp(&m, lp_path)) {
		fprintf(stderr, "%s: cannot write\n", lp_path);
		return 2;
	}
	pm_params p = {.time_limit = argc > arg ? atof(argv[arg]) : 10,
		       .node_limit = argc > arg + 1 ? atol(argv[arg + 1]) : 0,
		       .mip_options = getenv("PM_RUN_MIP_OPTIONS") ? atol(getenv("PM_RUN_MIP_OPTIONS"))
								   : 0};
	pm_solution s;
	if (pm_solve(&m, &p, &s)) {
		fprintf(stderr, "the solver failed\n");
		return 1;
	}
	pm_explain(&m, &s);
	pm_check_result chk;
	pm_check(&m, &s, &chk);
	printf("%s %.1f %.1f %.4f %.2f %ld %s\n", s.status, s.objective, s.bound, s.gap, s.seconds,
	       s.nodes,
	       chk.n_violations ? chk.violations[0].constraint
	       : chk.objective_matches ? "ok"
				       : "objective");
	const char *ans = getenv("PM_RUN_ANSWER");
	if (ans) {
		msgpack_sbuffer sb;
		msgpack_sbuffer_init(&sb);
		msgpack_packer pk;
		msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
		pm_encode_answer(&pk, &m, &s, &chk, NULL);
		msgpack_unpacked u;
		msgpack_unpacked_init(&u);
		msgpack_unpack_next(&u, sb.data, sb.size, NULL);
		json_t *j = msgpack_to_json(&u.data);
		if (json_dump_file(j, ans, JSON_INDENT(1)))
			fprintf(stderr, "%s: cannot write\n", ans);
		json_decref(j);
		msgpack_unpacked_destroy(&u);
		msgpack_sbuffer_destroy(&sb);
	}
	pm_check_free(&chk);
	pm_solution_free(&s);
	pm_model_free(&m);
	return 0;
}
