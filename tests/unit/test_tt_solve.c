/* test_tt_solve.c: tt_solve on tiny models where one constraint family alone
 * decides the answer, plus determinism, the time limit, infeasibility with
 * its conflict families, and the independent checker on every answer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>
#include <time.h>

#include "check_tt.h"
#include "tt_export.h"
#include "tt_fixture.h"
#include <glpk.h>
#include <unistd.h>
#include "tt_solve.h"
#include "tt_internal.h"

#define assert_near(a, b, eps) assert_true(fabs((double)(a) - (double)(b)) <= (eps))

static int rnd(uint64_t *x, int k)
{
	*x = *x * 6364136223846793005ULL + 1442695040888963407ULL;
	return (int)((*x >> 33) % (uint64_t)k);
}

static void solve_with(const tt_model *m, const tt_params *p, tt_solution *s)
{
	memset(s, 0, sizeof *s);
	assert_int_equal(tt_solve(m, p, s), 0);
	/* the independent checker agrees with every answer */
	tt_check_result chk = {0};
	assert_int_equal(tt_check(m, s, &chk), 0);
	if (chk.n_violations)
		print_error("violation %s: %s\n", chk.violations[0].constraint, chk.violations[0].message);
	assert_int_equal(chk.n_violations, 0);
	assert_true(chk.objective_matches);
	tt_check_free(&chk);
	assert_true(s->bound <= s->objective + 1e-6);
}

static void solve_tl(const tt_model *m, tt_solution *s, double tl)
{
	tt_params p = {.time_limit = tl, .gap = 1e-6, .seed = 1};
	solve_with(m, &p, s);
}

static void solve(const tt_model *m, tt_solution *s)
{
	solve_tl(m, s, 10);
}

static int n_new(const tt_solution *s)
{
	int n = 0;
	for (int g = 0; g < s->n_groups; g++)
		n += s->groups[g].running < 0;
	return n;
}

/* Groups of the answer with learners: new ones, and running groups that
 * some join (every running group is listed, joined or not). */
static int n_joined(const tt_solution *s)
{
	int n = 0;
	for (int g = 0; g < s->n_groups; g++)
		n += s->groups[g].n_members > 0;
	return n;
}

static int group_of(const tt_solution *s, int learner)
{
	for (int g = 0; g < s->n_groups; g++)
		for (int k = 0; k < s->groups[g].n_members; k++)
			if (s->groups[g].members[k] == learner)
				return g;
	return -1;
}

/* Under ASan (make SAN=1) the three longest tests take 3-4 times longer
 * (~86 of this binary's 142 s there). The sanitizer pass looks for memory
 * errors, which a few seeds of each kind meet as well as all of them: it
 * runs those seeds and leaves determinism and the sweeps' statistics to
 * the plain pass, which runs everything. */
#if defined(__SANITIZE_ADDRESS__)
#define TT_SAN 1
#else
#define TT_SAN 0
#endif

static void add_z(tt_model *m, int n, int level)
{
	for (int i = 0; i < n; i++)
		ttf_learner(m, TT_ROUTE_Z, level);
}

/* Z needs 3: two learners wait, three form one group. */
static void test_group_size_min(void **state)
{
	(void)state;
	tt_model m;
	tt_solution s;
	ttf_z_basic(&m, 3);
	add_z(&m, 2, 0);
	solve(&m, &s);
	assert_int_equal(n_joined(&s), 0);
	assert_int_equal(s.n_unplaced, 2);
	assert_int_equal(s.status, TT_OPTIMAL);
	assert_near(s.objective, 2 * m.w.unplaced, 1e-6);
	tt_solution_free(&s);
	ttf_learner(&m, TT_ROUTE_Z, 0);
	solve(&m, &s);
	assert_int_equal(n_new(&s), 1);
	assert_int_equal(s.groups[0].n_members, 3);
	assert_int_equal(s.n_unplaced, 0);
	assert_int_equal(s.status, TT_OPTIMAL);
	/* group 300, 3 x travel 10; sessions on days 0 and 2 avoid the spread cost */
	assert_near(s.objective, m.w.group + 30, 1e-6);
	tt_solution_free(&s);
	tt_model_free(&m);
}

/* The only pattern all three can attend is d0-am + d2-pm. */
static void test_availability(void **state)
{
	(void)state;
	tt_model m;
	tt_solution s;
	ttf_z_basic(&m, 3);
	add_z(&m, 3, 0);
	m.learners[0].avail = TTF_AM(0) | TTF_AM(1) | TTF_PM(2);
	m.learners[1].avail = TTF_AM(0) | TTF_PM(1) | TTF_PM(2);
	m.learners[2].avail = TTF_AM(0) | TTF_PM(2) | TTF_PM(0);
	solve(&m, &s);
	assert_int_equal(n_new(&s), 1);
	assert_int_equal(s.groups[0].sessions, TTF_AM(0) | TTF_PM(2));
	tt_solution_free(&s);
	m.learners[2].avail = TTF_AM(1) | TTF_PM(1);
	solve(&m, &s);
	assert_int_equal(n_joined(&s), 0);
	tt_solution_free(&s);
	tt_model_free(&m);
}

/* Two sessions on one day are refused unless same_day_ok. */
static void test_different_days(void **state)
{
	(void)state;
	tt_model m;
	tt_solution s;
	ttf_z_basic(&m, 3);
	add_z(&m, 3, 0);
	for (int i = 0; i < 3; i++)
		m.learners[i].avail = TTF_AM(1) | TTF_PM(1);
	solve(&m, &s);
	assert_int_equal(n_joined(&s), 0);
	tt_solution_free(&s);
	m.routes[TT_ROUTE_Z].same_day_ok = true;
	solve(&m, &s);
	assert_int_equal(n_new(&s), 1);
	assert_int_equal(s.groups[0].sessions, TTF_AM(1) | TTF_PM(1));
	tt_solution_free(&s);
	tt_model_free(&m);
}

/* A room of 4: five learners, the one who waited least is left waiting. */
static void test_room_capacity(void **state)
{
	(void)state;
	tt_model m;
	tt_solution s;
	ttf_z_basic(&m, 3);
	m.rooms[0].capacity = 4;
	add_z(&m, 5, 0);
	for (int i = 0; i < 5; i++)
		m.learners[i].weeks_waiting = 10 - i;
	m.learners[2].weeks_waiting = 1; /* shortest wait */
	solve(&m, &s);
	assert_int_equal(n_new(&s), 1);
	assert_int_equal(s.groups[0].n_members, 4);
	assert_int_equal(s.n_unplaced, 1);
	assert_int_equal(s.unplaced[0].learner, 2);
	assert_int_equal(s.status, TT_OPTIMAL);
	tt_solution_free(&s);
	m.rooms[0].capacity = 8;
	solve(&m, &s);
	assert_int_equal(s.n_unplaced, 0);
	tt_solution_free(&s);
	tt_model_free(&m);
}

/* A location closed on a dagdeel holds no session then: three learners who
 * can only come on the first two mornings form a group once it opens. */
static void test_location_closed(void **state)
{
	(void)state;
	tt_model m;
	tt_solution s;
	ttf_z_basic(&m, 3);
	add_z(&m, 3, 0);
	for (int i = 0; i < 3; i++)
		m.learners[i].avail = TTF_AM(0) | TTF_AM(1);
	m.locations[0].closed = TTF_AM(1);
	solve(&m, &s);
	assert_int_equal(n_joined(&s), 0);
	assert_int_equal(s.n_unplaced, 3);
	tt_solution_free(&s);
	m.locations[0].closed = TTF_PM(1);
	solve(&m, &s);
	assert_int_equal(n_new(&s), 1);
	assert_int_equal(s.groups[0].sessions, TTF_AM(0) | TTF_AM(1));
	tt_solution_free(&s);
	tt_model_free(&m);
}

/* Learners meet only where they can travel: with L0 out of reach the group
 * is at L1; with both out of reach nobody is placed. */
static void test_learner_travel(void **state)
{
	(void)state;
	tt_model m;
	tt_solution s;
	ttf_z_basic(&m, 3);
	int l1 = ttf_location(&m);
	ttf_room(&m, l1, 8, ttf_all(&m));
	add_z(&m, 3, 0);
	for (int i = 0; i < 3; i++)
		m.learners[i].travel[0] = -1;
	solve(&m, &s);
	assert_int_equal(n_new(&s), 1);
	assert_int_equal(s.groups[0].location, l1);
	tt_solution_free(&s);
	for (int i = 0; i < 3; i++)
		m.learners[i].travel[l1] = -1;
	solve(&m, &s);
	assert_int_equal(n_joined(&s), 0);
	assert_int_equal(s.n_unplaced, 3);
	tt_solution_free(&s);
	tt_model_free(&m);
}

/* A teacher teaches only at the locations they reach: the only room is at
 * L0, the only teacher reaches L1 alone, so no group until they reach L0. */
static void test_teacher_locations(void **state)
{
	(void)state;
	tt_model m;
	tt_solution s;
	ttf_z_basic(&m, 3);
	ttf_location(&m);
	add_z(&m, 3, 0);
	m.teachers[0].locations = 1u << 1;
	solve(&m, &s);
	assert_int_equal(n_joined(&s), 0);
	tt_solution_free(&s);
	m.teachers[0].locations = 1u << 0 | 1u << 1;
	solve(&m, &s);
	assert_int_equal(n_new(&s), 1);
	assert_int_equal(s.groups[0].location, 0);
	tt_solution_free(&s);
	tt_model_free(&m);
}

/* The route maximum caps a group where the room would not: ten learners on
 * one pattern, a room of 12 and one teacher; Z at most 8 leaves 2 waiting,
 * at most 10 seats all. */
static void test_route_max_size(void **state)
{
	(void)state;
	tt_model m;
	tt_solution s;
	ttf_z_basic(&m, 3);
	m.rooms[0].capacity = 12;
	add_z(&m, 10, 0);
	for (int i = 0; i < 10; i++)
		m.learners[i].avail = TTF_AM(0) | TTF_AM(2);
	solve(&m, &s);
	assert_int_equal(n_new(&s), 1);
	assert_int_equal(s.groups[0].n_members, 8);
	assert_int_equal(s.n_unplaced, 2);
	tt_solution_free(&s);
	m.routes[TT_ROUTE_Z].max_size = 10;
	solve(&m, &s);
	assert_int_equal(n_new(&s), 1);
	assert_int_equal(s.groups[0].n_members, 10);
	assert_int_equal(s.n_unplaced, 0);
	tt_solution_free(&s);
	tt_model_free(&m);
}

static double export_optimum(const tt_model *m);

/* Soft room capacity: a room of 4 and five learners. A seat over costs 5,
 * less than a learner waiting, so all five sit (room_over 5); at 5 000 a
 * seat the fifth waits, as under the hard rule. */
static void test_room_capacity_soft(void **state)
{
	(void)state;
	tt_model m;
	tt_solution s;
	ttf_z_basic(&m, 3);
	m.rooms[0].capacity = 4;
	add_z(&m, 5, 0);
	m.room_capacity_soft = true;
	m.room_seat_penalty = 5;
	solve(&m, &s);
	assert_int_equal(n_new(&s), 1);
	assert_int_equal(s.groups[0].n_members, 5);
	assert_near(s.terms.room_over, 5, 1e-9);
	/* the straightforward model counts the seat over too */
	assert_near(export_optimum(&m), s.objective, 1e-6);
	/* and so does the bound: the plan is proven optimal */
	assert_int_equal(s.status, TT_OPTIMAL);
	assert_near(s.bound, s.objective, 1e-6);
	tt_solution_free(&s);
	m.room_seat_penalty = 5000;
	solve(&m, &s);
	assert_int_equal(s.groups[0].n_members, 4);
	assert_int_equal(s.n_unplaced, 1);
	assert_near(s.terms.room_over, 0, 1e-9);
	tt_solution_free(&s);
	tt_model_free(&m);
	/* a running group already past its room of 4 (5 members) and nobody
	 * to join: the answer counts its seat over as the checker does (solve
	 * asserts the checker's objective matches) */
	ttf_z_basic(&m, 3);
	m.rooms[0].capacity = 4;
	ttf_running(&m, TT_ROUTE_Z, 0, TTF_AM(0) | TTF_AM(2), 0, 0, 5, true);
	m.room_capacity_soft = true;
	m.room_seat_penalty = 7;
	solve(&m, &s);
	assert_int_equal(n_joined(&s), 0);
	assert_near(s.terms.room_over, 7, 1e-9);
	assert_near(export_optimum(&m), s.objective, 1e-6);
	tt_solution_free(&s);
	tt_model_free(&m);
	/* the same for a running group whose room of 4 is full: a joiner sits
	 * at 5 a seat over and waits at 5 000 */
	ttf_z_basic(&m, 3);
	m.rooms[0].capacity = 4;
	ttf_running(&m, TT_ROUTE_Z, 0, TTF_AM(0) | TTF_AM(2), 0, 0, 4, true);
	ttf_learner(&m, TT_ROUTE_Z, 0);
	m.room_capacity_soft = true;
	m.room_seat_penalty = 5;
	solve(&m, &s);
	assert_int_equal(s.n_groups, 1);
	assert_int_equal(s.groups[0].running, 0);
	assert_near(s.terms.room_over, 5, 1e-9);
	assert_near(export_optimum(&m), s.objective, 1e-6);
	tt_solution_free(&s);
	m.room_seat_penalty = 5000;
	solve(&m, &s);
	assert_int_equal(n_joined(&s), 0);
	assert_int_equal(s.n_unplaced, 1);
	tt_solution_free(&s);
	tt_model_free(&m);
}

/* Groups of at most 4, one common pattern: one room holds one group. */
static void test_room_one_group_per_dagdeel(void **state)
{
	(void)state;
	tt_model m;
	tt_solution s;
	ttf_z_basic(&m, 3);
	ttf_teacher(&m);
	m.routes[TT_ROUTE_Z].max_size = 4;
	add_z(&m, 6, 0);
	for (int i = 0; i < 6; i++)
		m.learners[i].avail = TTF_AM(0) | TTF_AM(2);
	solve(&m, &s);
	assert_int_equal(n_new(&s), 1);
	assert_int_equal(s.n_unplaced, 2);
	tt_solution_free(&s);
	ttf_room(&m, 0, 8, ttf_all(&m));
	solve(&m, &s);
	assert_int_equal(n_new(&s), 2);
	assert_int_equal(s.n_unplaced, 0);
	assert_int_not_equal(s.groups[0].room, s.groups[1].room);
	assert_int_not_equal(s.groups[0].teacher, s.groups[1].teacher);
	tt_solution_free(&s);
	tt_model_free(&m);
}

/* The straightforward model's optimum by GLPK (false when not proven in 20 s). */
static bool glpsol_optimum(const tt_model *m, double *opt);

/* Explains s (as the daemon does) and looks for a reason with the words. */
static bool reason_says(const tt_model *m, tt_solution *s, int learner, int code,
			const char *words)
{
	tt_explain(m, s);
	for (int k = 0; k < s->n_unplaced; k++) {
		if (s->unplaced[k].learner != learner)
			continue;
		for (int r = 0; r < s->unplaced[k].n_reasons; r++)
			if (s->unplaced[k].reasons[r].code == code &&
			    strstr(s->unplaced[k].reasons[r].text, words))
				return true;
	}
	return false;
}

/* A route's hours a week choose among dagdelen of different lengths:
 * mornings of 3 h, afternoons of 2 h, a Z group meets twice. */
static void test_route_hours(void **state)
{
	(void)state;
	tt_model m;
	tt_solution s;
	ttf_z_basic(&m, 3);
	for (int d = 0; d < 3; d++)
		m.dagdelen[2 * d + 1].end_min = 15 * 60;
	add_z(&m, 3, 0);
	tt_route *rt = &m.routes[TT_ROUTE_Z];
	rt->min_minutes = 6 * 60;
	solve(&m, &s);
	assert_int_equal(n_new(&s), 1);
	assert_int_equal(tt_mask_minutes(&m, s.groups[0].sessions), 6 * 60);
	assert_int_equal(s.groups[0].sessions & (TTF_PM(0) | TTF_PM(1) | TTF_PM(2)), 0);
	tt_solution_free(&s);
	rt->min_minutes = -1;
	rt->max_minutes = 4 * 60;
	solve(&m, &s);
	assert_int_equal(n_new(&s), 1);
	assert_int_equal(s.groups[0].sessions & (TTF_AM(0) | TTF_AM(1) | TTF_AM(2)), 0);
	tt_solution_free(&s);
	rt->min_minutes = rt->max_minutes = 5 * 60;
	solve(&m, &s);
	assert_int_equal(n_new(&s), 1);
	assert_int_equal(tt_mask_minutes(&m, s.groups[0].sessions), 5 * 60);
	tt_solution_free(&s);
	/* mornings only and at most 5 h: no group, and the reason says so */
	for (int i = 0; i < 3; i++)
		m.learners[i].avail = TTF_AM(0) | TTF_AM(1) | TTF_AM(2);
	rt->min_minutes = -1;
	solve(&m, &s);
	assert_int_equal(n_joined(&s), 0);
	assert_true(reason_says(&m, &s, 0, TT_R_NO_PATTERN,
				"no set of 2 dagdelen on different days of at most 5 h a week"));
	/* the exported straightforward model has the hours too */
	double opt;
	assert_true(glpsol_optimum(&m, &opt));
	assert_near(opt, s.objective, 1e-6);
	tt_solution_free(&s);
	tt_model_free(&m);
	/* hours no pattern can meet end the pattern search at once: 32
	 * dagdelen, 16 sessions (C(32, 16) sets) of at most 10 h; with a
	 * must-place learner the deletion filter also runs it with the
	 * same-day rule off */
	ttf_z_basic(&m, 16);
	add_z(&m, 3, 0);
	m.learners[0].must_place = true;
	rt = &m.routes[TT_ROUTE_Z];
	rt->sessions = 16;
	rt->max_minutes = 600;
	memset(&s, 0, sizeof s);
	tt_params p = {.time_limit = 10, .gap = 1e-6, .seed = 1};
	assert_int_equal(tt_solve(&m, &p, &s), 0);
	assert_int_equal(s.status, TT_INFEASIBLE);
	assert_int_equal(n_joined(&s), 0);
	tt_solution_free(&s);
	/* the hours fit only late in the week: 12 dagdelen of 3 h, 4 of 1 h,
	 * 16 of 2 h, 11 sessions of exactly 18 h (all four 1-hour ones and 7
	 * of 2 h): the search must reach them rather than exhaust itself on
	 * the 3-hour ones */
	for (int t = 0; t < 32; t++) {
		int len = t < 12 ? 180 : t < 16 ? 60 : 120;
		m.dagdelen[t].end_min = m.dagdelen[t].start_min + len;
	}
	rt->sessions = 11;
	rt->same_day_ok = true;
	rt->min_minutes = rt->max_minutes = 18 * 60;
	m.teachers[0].max_load = 40;
	m.teachers[0].max_per_day = 3;
	solve_tl(&m, &s, 3);
	assert_int_not_equal(s.status, TT_INFEASIBLE);
	assert_int_equal(n_new(&s), 1);
	assert_int_equal(tt_mask_minutes(&m, s.groups[0].sessions), 18 * 60);
	tt_solution_free(&s);
	tt_model_free(&m);
}

/* The pace term: three slow and three fast Z learners. Without a pace
 * weight they form one group of six; at 40 a step one group (6 steps at
 * any pace: 240 + 300) still beats two (600); at 200 they form two groups,
 * each of its learners' pace. glpsol agrees on the exported model. */
static void test_pace(void **state)
{
	(void)state;
	tt_model m;
	tt_solution s;
	ttf_z_two(&m, 3);
	add_z(&m, 6, 0);
	for (int i = 0; i < 6; i++) {
		m.learners[i].pace = i < 3 ? 0 : 2;
		m.learners[i].avail = TTF_AM(0) | TTF_AM(2);
	}
	solve(&m, &s);
	assert_int_equal(n_new(&s), 1);
	assert_near(s.terms.pace, 0, 1e-9);
	tt_solution_free(&s);
	m.w.pace = 40;
	solve(&m, &s);
	assert_int_equal(n_new(&s), 1);
	assert_near(s.terms.pace, 240, 1e-9); /* 6 steps at any pace of the group */
	tt_solution_free(&s);
	m.w.pace = 200;
	solve(&m, &s);
	assert_int_equal(n_new(&s), 2);
	assert_near(s.terms.pace, 0, 1e-9);
	for (int g = 0; g < 2; g++)
		for (int k = 0; k < s.groups[g].n_members; k++)
			assert_int_equal(m.learners[s.groups[g].members[k]].pace, s.groups[g].pace);
	double opt;
	assert_true(glpsol_optimum(&m, &opt));
	assert_near(opt, s.objective, 1e-6);
	tt_solution_free(&s);
	tt_model_free(&m);
}

/* A learner who needs a step-free room takes the group there: two rooms
 * at one location, one pattern; the group meets in R1, the step-free one,
 * and with no step-free room the three are too few without that learner
 * (which the others' reason says). */
static void test_room_facilities_learner(void **state)
{
	(void)state;
	tt_model m;
	tt_solution s;
	ttf_z_basic(&m, 3);
	ttf_facilities(&m);
	int r1 = ttf_room(&m, 0, 8, ttf_all(&m));
	add_z(&m, 3, 0);
	for (int i = 0; i < 3; i++)
		m.learners[i].avail = TTF_AM(0) | TTF_AM(2);
	m.learners[0].room_needs = 1;
	m.rooms[r1].facilities = 1;
	m.rooms[0].capacity = 9; /* the cheaper pick by size, were needs ignored */
	solve(&m, &s);
	assert_int_equal(n_new(&s), 1);
	assert_int_equal(s.groups[0].room, r1);
	assert_int_equal(s.groups[0].n_members, 3);
	tt_solution_free(&s);
	m.rooms[r1].facilities = 2;
	solve(&m, &s);
	assert_int_equal(n_joined(&s), 0);
	assert_true(reason_says(&m, &s, 0, TT_R_ROOM, "has step_free, which this learner needs"));
	/* the other two are too few without the one no room serves */
	assert_true(reason_says(&m, &s, 1, TT_R_GROUP_SIZE, "only 2 learners at level A0"));
	double opt;
	assert_true(glpsol_optimum(&m, &opt));
	assert_near(opt, s.objective, 1e-6);
	tt_solution_free(&s);
	tt_model_free(&m);
}

/* Two need sets in one group: one learner needs step-free access, another
 * computers; a group of three holds both only in a room with both, also
 * when rooms with one of the two stand beside it. */
static void test_room_facilities_two_sets(void **state)
{
	(void)state;
	tt_model m;
	tt_solution s;
	ttf_z_basic(&m, 3);
	ttf_facilities(&m);
	int r1 = ttf_room(&m, 0, 8, ttf_all(&m));
	int r2 = ttf_room(&m, 0, 8, ttf_all(&m));
	m.rooms[0].facilities = 0;
	m.rooms[r1].facilities = 1;
	m.rooms[r2].facilities = 2;
	add_z(&m, 3, 0);
	for (int i = 0; i < 3; i++)
		m.learners[i].avail = TTF_AM(0) | TTF_AM(2);
	m.learners[0].room_needs = 1;
	m.learners[1].room_needs = 2;
	solve(&m, &s);
	assert_int_equal(n_joined(&s), 0);
	tt_solution_free(&s);
	m.rooms[r2].facilities = 3;
	solve(&m, &s);
	assert_int_equal(n_new(&s), 1);
	assert_int_equal(s.groups[0].room, r2);
	assert_int_equal(s.groups[0].n_members, 3);
	tt_solution_free(&s);
	int r3 = ttf_room(&m, 0, 8, ttf_all(&m));
	m.rooms[r3].facilities = 2;
	solve(&m, &s);
	assert_int_equal(n_new(&s), 1);
	assert_int_equal(s.groups[0].room, r2);
	assert_int_equal(s.groups[0].n_members, 3);
	tt_solution_free(&s);
	tt_model_free(&m);
}

/* A route's room needs bind its new groups, and a learner who needs a
 * facility joins only a running group whose room has it. */
static void test_room_facilities_route_and_running(void **state)
{
	(void)state;
	tt_model m;
	tt_solution s;
	double opt;
	ttf_z_basic(&m, 3);
	ttf_facilities(&m);
	int r1 = ttf_room(&m, 0, 8, ttf_all(&m));
	m.rooms[r1].capacity = 9;
	m.rooms[r1].facilities = 2;
	m.routes[TT_ROUTE_Z].room_needs = 2;
	add_z(&m, 3, 0);
	solve(&m, &s);
	assert_int_equal(n_new(&s), 1);
	assert_int_equal(s.groups[0].room, r1);
	tt_solution_free(&s);
	m.rooms[r1].facilities = 1;
	solve(&m, &s);
	assert_int_equal(n_joined(&s), 0);
	assert_true(reason_says(&m, &s, 0, TT_R_ROOM, "computers, which route Z needs"));
	assert_true(glpsol_optimum(&m, &opt));
	assert_near(opt, s.objective, 1e-6);
	tt_solution_free(&s);
	tt_model_free(&m);

	ttf_z_basic(&m, 3);
	ttf_facilities(&m);
	ttf_running(&m, TT_ROUTE_Z, 0, TTF_AM(0) | TTF_AM(2), 0, 0, 5, true);
	ttf_learner(&m, TT_ROUTE_Z, 0);
	m.learners[0].room_needs = 1;
	solve(&m, &s);
	assert_int_equal(n_joined(&s), 0);
	assert_int_equal(s.n_unplaced, 1);
	tt_solution_free(&s);
	m.rooms[0].facilities = 1;
	solve(&m, &s);
	assert_int_equal(s.n_groups, 1);
	assert_int_equal(s.groups[0].running, 0);
	tt_solution_free(&s);
	/* the route needs computers, which the running group's room lacks:
	 * the route's needs do not bind a running group, so a learner kept
	 * out because it is full is not told about computers */
	m.routes[TT_ROUTE_Z].room_needs = 2;
	m.running[0].n_members = 8;
	add_z(&m, 3, 0); /* enough for a new group, were there a room for one */
	solve(&m, &s);
	assert_int_equal(n_joined(&s), 0);
	assert_true(reason_says(&m, &s, 0, TT_R_GROUP_SIZE, "every running group that fits is full"));
	assert_false(reason_says(&m, &s, 0, TT_R_ROOM, "computers"));
	assert_false(reason_says(&m, &s, 0, TT_R_ROOM, "seats the minimum"));
	tt_solution_free(&s);
	tt_model_free(&m);
}

/* Z needs nt2+z; alfa learners also need alfa. */
static void test_teacher_qualification(void **state)
{
	(void)state;
	tt_model m;
	tt_solution s;
	ttf_z_basic(&m, 3);
	m.teachers[0].quals = TT_QUAL_NT2 | TT_QUAL_ALFA;
	add_z(&m, 3, 0);
	solve(&m, &s);
	assert_int_equal(n_joined(&s), 0);
	tt_solution_free(&s);
	m.teachers[0].quals = TT_QUAL_NT2 | TT_QUAL_Z;
	solve(&m, &s);
	assert_int_equal(n_new(&s), 1);
	tt_solution_free(&s);
	for (int i = 0; i < 3; i++)
		m.learners[i].alfa = true;
	solve(&m, &s);
	assert_int_equal(n_joined(&s), 0);
	tt_solution_free(&s);
	int t = ttf_teacher(&m);
	solve(&m, &s);
	assert_int_equal(n_new(&s), 1);
	assert_int_equal(s.groups[0].teacher, t);
	assert_true(s.groups[0].alfa);
	tt_solution_free(&s);
	tt_model_free(&m);
}

/* The teacher only comes on d1-am and d2-pm: the group meets then. */
static void test_teacher_availability(void **state)
{
	(void)state;
	tt_model m;
	tt_solution s;
	ttf_z_basic(&m, 3);
	m.teachers[0].avail = TTF_AM(1) | TTF_PM(2);
	add_z(&m, 3, 0);
	solve(&m, &s);
	assert_int_equal(n_new(&s), 1);
	assert_int_equal(s.groups[0].sessions, TTF_AM(1) | TTF_PM(2));
	tt_solution_free(&s);
	m.teachers[0].avail = TTF_AM(1) | TTF_PM(1);
	solve(&m, &s);
	assert_int_equal(n_joined(&s), 0);
	tt_solution_free(&s);
	tt_model_free(&m);
}

/* Two groups forced onto d0/d1 am and d0/d1 pm, one teacher. */
static void two_cohorts(tt_model *m)
{
	ttf_z_basic(m, 2);
	ttf_room(m, 0, 8, ttf_all(m));
	add_z(m, 6, 0);
	for (int i = 0; i < 3; i++)
		m->learners[i].avail = TTF_AM(0) | TTF_AM(1);
	for (int i = 3; i < 6; i++)
		m->learners[i].avail = TTF_PM(0) | TTF_PM(1);
}

static void test_teacher_max_per_day(void **state)
{
	(void)state;
	tt_model m;
	tt_solution s;
	two_cohorts(&m);
	m.teachers[0].max_per_day = 1;
	solve(&m, &s);
	assert_int_equal(n_new(&s), 1);
	assert_int_equal(s.n_unplaced, 3);
	tt_solution_free(&s);
	m.teachers[0].max_per_day = 2;
	solve(&m, &s);
	assert_int_equal(n_new(&s), 2);
	assert_int_equal(s.n_unplaced, 0);
	tt_solution_free(&s);
	tt_model_free(&m);
}

static void test_teacher_contract(void **state)
{
	(void)state;
	tt_model m;
	tt_solution s;
	two_cohorts(&m);
	m.teachers[0].max_load = 3;
	solve(&m, &s);
	assert_int_equal(n_new(&s), 1);
	tt_solution_free(&s);
	m.teachers[0].max_load = 4;
	solve(&m, &s);
	assert_int_equal(n_new(&s), 2);
	tt_solution_free(&s);
	tt_model_free(&m);
}

/* Contract hours count lesson minutes, not dagdelen: with two-hour
 * afternoons the mornings' group takes 6 hours of the teacher's week and
 * the afternoons' 4, so a 9-hour contract holds one group (four dagdelen
 * of the shortest length would have let both in) and 10 hours hold both. */
static void test_teacher_contract_minutes(void **state)
{
	(void)state;
	tt_model m;
	tt_solution s;
	two_cohorts(&m);
	for (int d = 0; d < 2; d++)
		m.dagdelen[2 * d + 1].end_min = 15 * 60;
	assert_int_equal(tt_load_unit(&m), 60);
	m.teachers[0].max_load = 9;
	solve(&m, &s);
	assert_int_equal(n_new(&s), 1);
	assert_int_equal(s.n_unplaced, 3);
	tt_solution_free(&s);
	m.teachers[0].max_load = 10;
	solve(&m, &s);
	assert_int_equal(n_new(&s), 2);
	assert_int_equal(s.n_unplaced, 0);
	tt_solution_free(&s);
	tt_model_free(&m);
}

/* Levels 0, 0, 2 cannot share a group with spread 1; 0, 0, 1 can (level 0). */
static void test_level_spread(void **state)
{
	(void)state;
	tt_model m;
	tt_solution s;
	ttf_z_basic(&m, 3);
	add_z(&m, 2, 0);
	ttf_learner(&m, TT_ROUTE_Z, 2);
	solve(&m, &s);
	assert_int_equal(n_joined(&s), 0);
	tt_solution_free(&s);
	m.learners[2].level = 1;
	solve(&m, &s);
	assert_int_equal(n_new(&s), 1);
	assert_int_equal(s.groups[0].level, 0);
	assert_near(s.terms.level, m.w.level, 1e-9);
	tt_solution_free(&s);
	tt_model_free(&m);
}

static void test_alfa_separation(void **state)
{
	(void)state;
	tt_model m;
	tt_solution s;
	ttf_z_basic(&m, 3);
	add_z(&m, 3, 0);
	m.learners[0].alfa = m.learners[1].alfa = true;
	solve(&m, &s);
	assert_int_equal(n_joined(&s), 0);
	tt_solution_free(&s);
	m.routes[TT_ROUTE_Z].alfa_separate = false;
	solve(&m, &s);
	assert_int_equal(n_new(&s), 1);
	assert_true(s.groups[0].alfa);
	tt_solution_free(&s);
	tt_model_free(&m);
	/* mixing allowed, but an alfa learner joins a non-alfa running group
	 * only under an alfa-qualified teacher: here the group's teacher is
	 * not, so the lone learner waits, and the straightforward model (which
	 * once let them join) agrees */
	ttf_z_basic(&m, 3);
	m.routes[TT_ROUTE_Z].alfa_separate = false;
	int h = ttf_teacher(&m);
	m.teachers[h].quals = TT_QUAL_NT2 | TT_QUAL_Z;
	ttf_running(&m, TT_ROUTE_Z, 0, TTF_AM(0) | TTF_AM(2), 0, h, 4, true);
	ttf_learner(&m, TT_ROUTE_Z, 0);
	m.learners[0].alfa = true;
	solve(&m, &s);
	assert_int_equal(s.n_unplaced, 1);
	assert_near(export_optimum(&m), s.objective, 1e-6);
	tt_solution_free(&s);
	m.teachers[h].quals |= TT_QUAL_ALFA;
	solve(&m, &s);
	assert_int_equal(s.n_unplaced, 0);
	assert_near(export_optimum(&m), s.objective, 1e-6);
	tt_solution_free(&s);
	tt_model_free(&m);
}

/* A woman who wants a women-only group never sits with men. */
static void test_women_only(void **state)
{
	(void)state;
	tt_model m;
	tt_solution s;
	ttf_z_basic(&m, 3);
	add_z(&m, 3, 0);
	m.learners[0].gender = TT_GENDER_F;
	m.learners[0].women_only = true;
	solve(&m, &s);
	assert_int_equal(n_joined(&s), 0);
	tt_solution_free(&s);
	m.learners[1].gender = m.learners[2].gender = TT_GENDER_F;
	solve(&m, &s);
	assert_int_equal(n_new(&s), 1);
	assert_true(s.groups[0].women_only);
	tt_solution_free(&s);
	/* other women may sit with men */
	m.learners[0].women_only = false;
	m.learners[2].gender = TT_GENDER_M;
	solve(&m, &s);
	assert_int_equal(n_new(&s), 1);
	assert_false(s.groups[0].women_only);
	tt_solution_free(&s);
	tt_model_free(&m);
}

static void test_childcare_places(void **state)
{
	(void)state;
	tt_model m;
	tt_solution s;
	ttf_z_basic(&m, 3);
	int k = ttf_childcare(&m, 2, 5);
	add_z(&m, 3, 0);
	for (int i = 0; i < 3; i++)
		m.learners[i].young_children = 1, m.learners[i].childcare = k;
	solve(&m, &s);
	assert_int_equal(n_joined(&s), 0);
	tt_solution_free(&s);
	m.childcare[k].places[TTF_AM(2) == 0 ? 0 : 4] = 3; /* d2-am */
	m.childcare[k].places[0] = 3;                      /* d0-am */
	solve(&m, &s);
	assert_int_equal(n_new(&s), 1);
	assert_int_equal(s.groups[0].sessions, TTF_AM(0) | TTF_AM(2));
	tt_solution_free(&s);
	m.learners[0].childcare = -1; /* no confirmed place: cannot attend */
	solve(&m, &s);
	assert_int_equal(n_joined(&s), 0);
	tt_solution_free(&s);
	tt_model_free(&m);
}

/* Open 08:00-12:30: a 09:00-12:00 lesson needs travel <= 30 both ways, and
 * the afternoon is closed. */
static void test_childcare_hours_travel(void **state)
{
	(void)state;
	tt_model m;
	tt_solution s;
	ttf_z_basic(&m, 3);
	int k = ttf_childcare(&m, 5, 45);
	for (int d = 0; d < 7; d++)
		m.childcare[k].open_min[d] = 8 * 60, m.childcare[k].close_min[d] = 12 * 60 + 30;
	add_z(&m, 3, 0);
	m.learners[0].young_children = 1;
	m.learners[0].childcare = k;
	solve(&m, &s);
	assert_int_equal(n_joined(&s), 0);
	tt_solution_free(&s);
	m.childcare[k].travel[0] = 30;
	solve(&m, &s);
	assert_int_equal(n_new(&s), 1);
	assert_int_equal(s.groups[0].sessions & (TTF_PM(0) | TTF_PM(1) | TTF_PM(2)), 0);
	tt_solution_free(&s);
	tt_model_free(&m);
}

/* School closes 12:05, lessons end 12:00, the learner travels 10 minutes:
 * mornings are out, afternoons (starting after closing) are fine. */
static void test_school_closing(void **state)
{
	(void)state;
	tt_model m;
	tt_solution s;
	ttf_z_basic(&m, 3);
	add_z(&m, 3, 0);
	for (int i = 0; i < 3; i++)
		m.learners[i].avail = TTF_AM(0) | TTF_AM(1) | TTF_AM(2);
	m.learners[1].school_close_min = 12 * 60 + 5;
	solve(&m, &s);
	assert_int_equal(n_joined(&s), 0);
	tt_solution_free(&s);
	m.learners[1].school_close_min = 12 * 60 + 10;
	solve(&m, &s);
	assert_int_equal(n_new(&s), 1);
	tt_solution_free(&s);
	m.learners[1].school_close_min = 12 * 60 + 5;
	for (int i = 0; i < 3; i++)
		m.learners[i].avail = ttf_all(&m);
	solve(&m, &s);
	assert_int_equal(n_new(&s), 1);
	assert_int_equal(s.groups[0].sessions & (TTF_AM(0) | TTF_AM(1) | TTF_AM(2)), 0);
	tt_solution_free(&s);
	tt_model_free(&m);
}

/* Weekly hours: a Z group meets twice; 3 h dagdelen need 6 h a week. With
 * 2 h afternoons a learner who can take 5 h only fits groups with one. */
static void test_weekly_hours(void **state)
{
	(void)state;
	tt_model m;
	tt_solution s;
	ttf_z_basic(&m, 3);
	add_z(&m, 3, 0);
	m.learners[1].weekly_min = 300;
	solve(&m, &s);
	assert_int_equal(n_joined(&s), 0);
	tt_solution_free(&s);
	m.learners[1].weekly_min = 360;
	solve(&m, &s);
	assert_int_equal(n_new(&s), 1);
	tt_solution_free(&s);
	for (int t = 0; t < m.n_dagdelen; t++)
		if (m.dagdelen[t].start_min >= 13 * 60)
			m.dagdelen[t].end_min = m.dagdelen[t].start_min + 120;
	m.learners[1].weekly_min = 300;
	solve(&m, &s);
	assert_int_equal(n_new(&s), 1);
	int minutes = 0;
	for (int t = 0; t < m.n_dagdelen; t++)
		if (s.groups[0].sessions >> t & 1)
			minutes += m.dagdelen[t].end_min - m.dagdelen[t].start_min;
	assert_true(minutes <= 300);
	tt_solution_free(&s);
	tt_model_free(&m);
}

/* A learner's module group (MAP on every morning) keeps the group to the
 * afternoons; with the afternoons taken too there is no group. */
static void test_module_groups(void **state)
{
	(void)state;
	tt_model m;
	tt_solution s;
	ttf_z_basic(&m, 3);
	add_z(&m, 3, 0);
	int one = 1;
	ttf_module(&m, TTF_AM(0) | TTF_AM(1) | TTF_AM(2), &one, 1);
	solve(&m, &s);
	assert_int_equal(n_new(&s), 1);
	assert_int_equal(s.groups[0].sessions & (TTF_AM(0) | TTF_AM(1) | TTF_AM(2)), 0);
	tt_solution_free(&s);
	ttf_module(&m, TTF_PM(0) | TTF_PM(1), &one, 1);
	solve(&m, &s);
	assert_int_equal(n_joined(&s), 0);
	tt_solution_free(&s);
	tt_model_free(&m);
}

/* Partners who must be apart cannot both be in the only possible group. */
static void test_household_apart(void **state)
{
	(void)state;
	tt_model m;
	tt_solution s;
	ttf_z_basic(&m, 3);
	add_z(&m, 3, 0);
	m.n_households = 1;
	m.learners[0].household = m.learners[1].household = 0;
	m.learners[0].partners_apart = true;
	solve(&m, &s);
	assert_int_equal(n_joined(&s), 0);
	tt_solution_free(&s);
	ttf_learner(&m, TT_ROUTE_Z, 0);
	solve(&m, &s);
	assert_int_equal(n_new(&s), 1);
	assert_true(group_of(&s, 0) < 0 || group_of(&s, 1) < 0);
	tt_solution_free(&s);
	m.learners[0].partners_apart = false;
	solve(&m, &s);
	assert_int_equal(s.n_unplaced, 0);
	tt_solution_free(&s);
	tt_model_free(&m);
}

/* A partner already in a running group: a learner of that household kept
 * apart stays off its dagdelen (and says so); the checker catches a plan
 * that puts them there. */
static void test_household_running_partner(void **state)
{
	(void)state;
	tt_model m;
	tt_solution s;
	ttf_z_basic(&m, 3);
	int room = ttf_room(&m, 0, 8, ttf_all(&m)), teacher = ttf_teacher(&m);
	int g = ttf_running(&m, TT_ROUTE_Z, 0, TTF_AM(0) | TTF_AM(2), room, teacher, 5, false);
	add_z(&m, 4, 0);
	for (int i = 0; i < 4; i++)
		m.learners[i].avail = TTF_AM(0) | TTF_AM(1);
	m.n_households = 1;
	m.learners[0].household = 0;
	m.learners[0].partners_apart = true;
	m.running[g].households = xcalloc(1, sizeof(int));
	m.running[g].n_households = 1;
	solve(&m, &s);
	assert_int_equal(group_of(&s, 0), -1);
	assert_true(group_of(&s, 1) >= 0 && group_of(&s, 2) >= 0 && group_of(&s, 3) >= 0);
	tt_explain(&m, &s);
	assert_int_equal(s.n_unplaced, 1);
	assert_true(s.unplaced[0].n_reasons > 0);
	assert_int_equal(s.unplaced[0].reasons[0].code, TT_R_HOUSEHOLD);
	assert_non_null(strstr(s.unplaced[0].reasons[0].text, "running group G0"));
	tt_solution_free(&s);
	/* without the wish all four meet on mon and tue mornings */
	m.learners[0].partners_apart = false;
	solve(&m, &s);
	assert_int_equal(s.n_unplaced, 0);
	m.learners[0].partners_apart = true;
	tt_check_result chk = {0};
	assert_int_equal(tt_check(&m, &s, &chk), 0);
	assert_int_equal(chk.n_violations, 1);
	assert_string_equal(chk.violations[0].constraint, "household");
	assert_non_null(strstr(chk.violations[0].message, "running group G0"));
	tt_check_free(&chk);
	tt_solution_free(&s);
	tt_model_free(&m);
}

/* One learner joins a running group that still takes joiners. */
static void test_running_join(void **state)
{
	(void)state;
	tt_model m;
	tt_solution s;
	ttf_z_basic(&m, 3);
	ttf_running(&m, TT_ROUTE_Z, 0, TTF_AM(0) | TTF_AM(2), 0, 0, 5, true);
	ttf_learner(&m, TT_ROUTE_Z, 1);
	solve(&m, &s);
	assert_int_equal(s.n_groups, 1);
	assert_int_equal(s.groups[0].running, 0);
	assert_int_equal(s.groups[0].n_members, 1);
	assert_int_equal(s.groups[0].members[0], 0);
	assert_near(s.objective, m.w.level + 10, 1e-6);
	tt_solution_free(&s);
	m.running[0].n_members = 8; /* full */
	solve(&m, &s);
	assert_int_equal(n_joined(&s), 0);
	/* listed all the same, with its week, room and teacher */
	assert_int_equal(s.n_groups, 1);
	assert_int_equal(s.groups[0].running, 0);
	assert_int_equal(s.groups[0].n_members, 0);
	assert_true(s.groups[0].sessions == m.running[0].sessions);
	assert_int_equal(s.groups[0].room, m.running[0].room);
	assert_int_equal(s.groups[0].teacher, m.running[0].teacher);
	tt_solution_free(&s);
	m.running[0].n_members = 5;
	m.running[0].may_join = false;
	solve(&m, &s);
	assert_int_equal(n_joined(&s), 0);
	tt_solution_free(&s);
	tt_model_free(&m);
}

/* free_seats caps the newcomers a running group takes: two Z learners who
 * can only join (too few for a new group of 3) both join with 2 free seats
 * and one joins with 1. */
static void test_running_free_seats(void **state)
{
	(void)state;
	tt_model m;
	tt_solution s;
	ttf_z_basic(&m, 3);
	ttf_running(&m, TT_ROUTE_Z, 0, TTF_AM(0) | TTF_AM(2), 0, 0, 5, true);
	ttf_learner(&m, TT_ROUTE_Z, 0);
	ttf_learner(&m, TT_ROUTE_Z, 0);
	m.running[0].has_free_seats = true;
	m.running[0].free_seats = 2;
	solve(&m, &s);
	assert_int_equal(s.n_groups, 1);
	assert_int_equal(s.groups[0].n_members, 2);
	tt_solution_free(&s);
	m.running[0].free_seats = 1;
	solve(&m, &s);
	assert_int_equal(s.n_groups, 1);
	assert_int_equal(s.groups[0].n_members, 1);
	assert_int_equal(s.n_unplaced, 1);
	tt_solution_free(&s);
	tt_model_free(&m);
}

/* A reproducible medium instance: 3 locations, B1 and Z learners. */
static void random_model(tt_model *m, int n, unsigned seed)
{
	uint64_t x = seed * 2654435761u + 1;
#define RND(k) rnd(&x, (k))
	ttf_init(m, 5);
	for (int l = 0; l < 3; l++)
		ttf_location(m);
	for (int r = 0; r < 9; r++)
		ttf_room(m, r % 3, 8 + RND(14), ttf_all(m) & ~(RND(2) ? TTF_PM(RND(5)) : 0));
	for (int t = 0; t < 10; t++) {
		int k = ttf_teacher(m);
		m->teachers[k].quals = TT_QUAL_NT2 | (RND(2) ? TT_QUAL_Z : 0) | (RND(3) ? 0 : TT_QUAL_ALFA);
		m->teachers[k].max_load = 4 + RND(6);
		m->teachers[k].locations = (uint64_t)1 << RND(3) | (uint64_t)1 << RND(3);
	}
	ttf_childcare(m, 4, 15);
	m->routes[TT_ROUTE_B1].min_size = 6;
	for (int i = 0; i < n; i++) {
		int k = ttf_learner(m, RND(3) ? TT_ROUTE_B1 : TT_ROUTE_Z, RND(3));
		tt_learner *l = &m->learners[k];
		l->alfa = RND(5) == 0;
		l->gender = RND(2) ? TT_GENDER_F : TT_GENDER_M;
		l->women_only = l->gender == TT_GENDER_F && RND(6) == 0;
		l->avail = ttf_all(m) & ~(RND(2) ? 0 : (TTF_AM(RND(5)) | TTF_PM(RND(5))));
		l->pref = RND(3) ? 0 : (TTF_AM(0) | TTF_AM(1) | TTF_AM(2) | TTF_AM(3) | TTF_AM(4));
		for (int q = 0; q < 3; q++)
			l->travel[q] = RND(3) ? 10 + RND(40) : -1;
		l->travel[RND(3)] = 15;
		l->weeks_waiting = RND(20);
		if (RND(8) == 0)
			l->young_children = 1, l->childcare = 0;
	}
#undef RND
}

/* Families on a random model: pairs of neighbours become households whose
 * partners are kept apart (those where rnd(x, pair_k) != 0), the first
 * provider gets rnd(x, places_k) places per dagdeel, and one learner in
 * parent_k brings one or two young children to it. */
static void add_families(tt_model *m, uint64_t *x, int pair_k, int places_k, int parent_k)
{
	m->n_households = m->n_learners / 2;
	for (int i = 0; i + 1 < m->n_learners; i += 2)
		if (rnd(x, pair_k)) {
			m->learners[i].household = m->learners[i + 1].household = i / 2;
			m->learners[i].partners_apart = true;
		}
	for (int t = 0; t < m->n_dagdelen; t++)
		m->childcare[0].places[t] = rnd(x, places_k);
	for (int i = 0; i < m->n_learners; i++)
		if (rnd(x, parent_k) == 0)
			m->learners[i].young_children = 1 + rnd(x, 2), m->learners[i].childcare = 0;
}

/* Same request, seed and work limit: the same answer. The time limit is
 * far above the work (~22 s here unloaded: stage 1 takes most), so a
 * loaded machine's clock does not cut a phase. */
static void test_determinism(void **state)
{
	(void)state;
	if (TT_SAN)
		skip(); /* the plain pass checks it */
	tt_model m;
	random_model(&m, 60, 7);
	/* both thread modes: with threads 1 every phase runs on the solving
	 * thread, and none may end on the clock before its count */
	for (int th = 0; th <= 1; th++) {
		tt_solution a, b;
		tt_params p = {.time_limit = 300, .gap = 1e-4, .seed = 3, .node_limit = 200,
			       .threads = th};
		memset(&a, 0, sizeof a);
		memset(&b, 0, sizeof b);
		assert_int_equal(tt_solve(&m, &p, &a), 0);
		assert_int_equal(tt_solve(&m, &p, &b), 0);
		assert_true(a.n_groups > 0);
		assert_int_not_equal(a.status, TT_TIME_LIMIT);
		assert_int_equal(a.status, b.status);
		assert_int_equal(a.n_groups, b.n_groups);
		assert_near(a.objective, b.objective, 1e-9);
		assert_near(a.bound, b.bound, 1e-9);
		for (int g = 0; g < a.n_groups; g++) {
			assert_int_equal(a.groups[g].sessions, b.groups[g].sessions);
			assert_int_equal(a.groups[g].room, b.groups[g].room);
			assert_int_equal(a.groups[g].teacher, b.groups[g].teacher);
			assert_int_equal(a.groups[g].n_members, b.groups[g].n_members);
			assert_memory_equal(a.groups[g].members, b.groups[g].members,
					    (size_t)a.groups[g].n_members * sizeof(int));
		}
		tt_check_result chk = {0};
		tt_check(&m, &a, &chk);
		assert_int_equal(chk.n_violations, 0);
		assert_true(chk.objective_matches);
		tt_check_free(&chk);
		tt_solution_free(&a);
		tt_solution_free(&b);
	}
	tt_model_free(&m);
}

/* The change of learner i in s's start changes, or NULL. */
static const tt_start_change *change_of(const tt_solution *s, int i)
{
	for (int k = 0; k < s->start.n_changed; k++)
		if (s->start.changed[k].learner == i)
			return &s->start.changed[k];
	return NULL;
}

static void assert_change(const tt_solution *s, int i, const char *rule, const char *words)
{
	const tt_start_change *c = change_of(s, i);
	if (!c || strcmp(c->rule, rule) != 0 || !strstr(c->reason, words))
		print_error("learner %d: %s: %s\n", i, c ? c->rule : "-", c ? c->reason : "-");
	assert_non_null(c);
	assert_string_equal(c->rule, rule);
	assert_non_null(strstr(c->reason, words));
}

/* m's start: the groups of answer a, as a request's `start` would give them. */
static void start_from(tt_model *m, const tt_solution *a)
{
	for (int q = 0; q < m->n_start; q++)
		free(m->start[q].members);
	free(m->start);
	m->start = NULL;
	m->n_start = 0;
	for (int q = 0; q < a->n_groups; q++) {
		const tt_group *g = &a->groups[q];
		int k = ttf_start(m, g->running, g->sessions, g->location, g->room, g->teacher,
				  g->members, g->n_members);
		tt_start_group *sg = &m->start[k];
		sg->route = g->route, sg->level = g->level, sg->pace = g->pace;
		sg->alfa = g->alfa, sg->women_only = g->women_only;
	}
	m->has_start = true; /* (also with no group) */
}

/* An answer given back as the start is taken whole (every group with its
 * room and teacher, nobody left out), costs what it cost, and the new
 * answer is no worse; a solve that is cut short keeps it. */
static void test_start_answer(void **state)
{
	(void)state;
	tt_model m;
	random_model(&m, 30, 7);
	tt_params p = {.time_limit = 20, .gap = 1e-4, .seed = 3, .node_limit = 10};
	tt_solution a, b;
	solve_with(&m, &p, &a);
	assert_false(a.start.used);
	assert_true(n_new(&a) > 0);
	start_from(&m, &a);
	/* with a different seed, whose own plan differs */
	p.seed = 4;
	solve_with(&m, &p, &b);
	assert_true(b.start.used);
	assert_int_equal(b.start.groups, n_new(&a));
	assert_int_equal(b.start.kept, n_new(&a));
	assert_int_equal(b.start.restaffed, 0);
	assert_int_equal(b.start.dropped, 0);
	assert_int_equal(b.start.left_out, 0);
	assert_int_equal(b.start.unknown, 0);
	assert_near(b.start.objective, a.objective, 1e-6);
	assert_true(b.objective <= a.objective + 1e-6);
	tt_solution_free(&b);
	/* no time for more than the greedy and a few moves: the start is
	 * kept */
	tt_params q = {.time_limit = 0.05, .gap = 1e-4, .seed = 9, .threads = 1};
	solve_with(&m, &q, &b);
	assert_true(b.objective <= a.objective + 1e-6);
	tt_solution_free(&b);
	tt_solution_free(&a);
	tt_model_free(&m);
}

/* A start that no longer fits is repaired: a group whose room is taken
 * keeps its members and gets another room, a member who cannot come
 * waits, a group short of its minimum size is topped up by a waiting
 * learner no later group lists (the one left out before), a group meeting
 * on a dagdeel the request no longer has is dropped; the answer passes the
 * checker. */
static void test_start_repair(void **state)
{
	(void)state;
	tt_model m;
	tt_solution s;
	ttf_z_two(&m, 3);
	add_z(&m, 10, 0);
	tt_mask pat = TTF_AM(0) | TTF_AM(2);
	m.learners[6].avail = ttf_all(&m) & ~TTF_AM(0);
	static const int mem[4][4] = {{0, 1, 2}, {3, 4, 5, 6}, {7, 8}, {9}};
	static const int nmem[4] = {3, 4, 2, 1};
	for (int q = 0; q < 4; q++) {
		ttf_start(&m, -1, pat, 0, q == 2, q == 1, mem[q], nmem[q]);
		m.start[q].route = TT_ROUTE_Z, m.start[q].level = 0;
	}
	m.start[2].sessions = TTF_AM(1) | TTF_PM(2);
	m.start[3].sessions_lost = true;
	solve(&m, &s);
	assert_true(s.start.used);
	assert_int_equal(s.start.groups, 4);
	assert_int_equal(s.start.kept, 2);      /* groups 0 and 2 */
	assert_int_equal(s.start.restaffed, 1); /* group 1: room 0 is group 0's */
	assert_int_equal(s.start.dropped, 1);   /* group 3: a dagdeel gone */
	assert_int_equal(s.start.topped_up, 1); /* learner 6 joins group 2 */
	/* learner 9, left out by the dropped group, takes a free seat when
	 * the start is completed */
	assert_int_equal(s.start.left_out, 0);
	/* what became of each, and why */
	assert_int_equal(s.start.n_out, 4);
	static const int fate[4] = {TT_SG_KEPT, TT_SG_RESTAFFED, TT_SG_KEPT, TT_SG_DROPPED};
	for (int k = 0; k < 4; k++) {
		assert_int_equal(s.start.out[k].q, k);
		assert_int_equal(s.start.out[k].fate, fate[k]);
	}
	assert_string_equal(s.start.out[1].reason,
			    "its room or teacher is taken or no longer fits");
	assert_string_equal(s.start.out[3].reason, "one of its dagdelen is not in this request");
	assert_true(s.start.objective >= s.objective - 1e-6);
	/* all ten fit in two groups, which the solve finds from there */
	assert_int_equal(s.n_unplaced, 0);
	assert_int_equal(s.status, TT_OPTIMAL);
	tt_solution_free(&s);
	/* with the start plan alone (no time for anything else) the repaired
	 * start still passes the checker */
	tt_params q = {.time_limit = 0.05, .gap = 1e-4, .seed = 1, .threads = 1};
	solve_with(&m, &q, &s);
	assert_int_equal(s.start.kept, 2);
	tt_solution_free(&s);
	/* group 2 with learner 7 alone, group 3 as 9 and 8 on d0-pm and d2-pm
	 * (dagdelen it can have): 8 and 9, listed by that group still to
	 * come, are not taken for group 2, so 7 and 6 are too few; group 3
	 * then takes 6; with group 3 gone 6 and 8 join group 2 */
	m.start[2].n_members = 1;
	m.start[3].members[1] = 8; /* (ttf_start leaves a slot spare) */
	m.start[3].n_members = 2;
	m.start[3].sessions_lost = false;
	m.start[3].sessions = TTF_PM(0) | TTF_PM(2);
	m.start[3].room = m.start[3].teacher = 1;
	solve_with(&m, &q, &s);
	assert_int_equal(s.start.topped_up, 1);
	assert_int_equal(s.start.dropped, 1);
	assert_int_equal(s.start.kept, 2);
	/* group 2: learner 7 and the topped-up 6, one short of Z's minimum */
	assert_int_equal(s.start.out[2].fate, TT_SG_DROPPED);
	assert_string_equal(s.start.out[2].reason,
			    "1 of its learners could stay (availability, childcare, partners, "
			    "earlier groups) and 1 joined from the waiting list: minimum group "
			    "size 3");
	assert_true(group_of(&s, 6) >= 0 && group_of(&s, 6) == group_of(&s, 9));
	tt_solution_free(&s);
	m.n_start = 3;
	solve_with(&m, &q, &s);
	assert_int_equal(s.start.topped_up, 2);
	assert_int_equal(s.start.kept, 2);
	assert_int_equal(s.start.dropped, 0);
	tt_solution_free(&s);
	/* a group none of whose learners waits any more (the decoder left
	 * them out: in a running group now, or gone) */
	m.start[0].n_members = 0;
	solve_with(&m, &q, &s);
	assert_int_equal(s.start.out[0].fate, TT_SG_DROPPED);
	assert_string_equal(s.start.out[0].reason, "none of its learners is waiting in this "
						   "request (in a running group now, or gone)");
	tt_solution_free(&s);
	m.n_start = 4; /* all four freed */
	tt_model_free(&m);
}

/* A re-plan keeps its groups' ids: the new group that carries on a start
 * group (same dagdelen and location, most of its learners) has its id;
 * the other new groups are numbered on from the highest the plan gave
 * (the start's group_seq, or its ids), so an id never names another class
 * in a later version. */
static void test_start_names(void **state)
{
	(void)state;
	tt_model m;
	tt_solution s;
	ttf_z_two(&m, 3);
	ttf_running(&m, TT_ROUTE_Z, 0, TTF_PM(0) | TTF_PM(1), 1, 1, 3, false);
	free(m.running[0].id);
	m.running[0].id = xstrdup("g1");
	add_z(&m, 9, 0);
	static const int a[] = {0, 1, 2}, b[] = {3, 4, 5};
	ttf_start(&m, -1, TTF_AM(0) | TTF_AM(2), 0, 0, 0, a, 3);
	ttf_start(&m, -1, TTF_AM(1) | TTF_PM(2), 0, 0, 0, b, 3);
	m.start[0].id = xstrdup("g7");
	m.start[1].id = xstrdup("g3");
	m.start[1].sessions_lost = true; /* dropped: 3, 4, 5 regroup */
	for (int i = 0; i < 9; i++) /* apart from 0-2, only afternoons */
		if (i >= 3)
			m.learners[i].avail = TTF_PM(0) | TTF_PM(1) | TTF_PM(2);
	solve(&m, &s);
	assert_int_equal(s.n_unplaced, 0);
	char buf[32];
	int k0 = group_of(&s, 0), k3 = group_of(&s, 3);
	assert_true(k0 >= 0 && k3 >= 0 && k0 != k3);
	assert_string_equal(tt_group_name(&m, &s, k0, buf, sizeof buf), "g7");
	/* numbered on from the highest the start has (g7): never an id an
	 * earlier version gave, the dropped g3 included */
	assert_string_equal(tt_group_name(&m, &s, k3, buf, sizeof buf), "g8");
	assert_int_equal(tt_group_seq(&s), 8);
	tt_solution_free(&s);
	/* the start says its plan gave up to g11 (group_seq): on from there */
	m.start_seq = 11;
	solve(&m, &s);
	k0 = group_of(&s, 0), k3 = group_of(&s, 3);
	assert_string_equal(tt_group_name(&m, &s, k0, buf, sizeof buf), "g7");
	assert_string_equal(tt_group_name(&m, &s, k3, buf, sizeof buf), "g12");
	assert_int_equal(tt_group_seq(&s), 12);
	tt_solution_free(&s);
	/* a start with no group left still numbers on from its group_seq */
	int n_start = m.n_start;
	m.n_start = 0;
	m.start_seq = 5;
	solve(&m, &s);
	for (int k = 0; k < s.n_groups; k++)
		if (s.groups[k].running < 0)
			assert_true(atoi(tt_group_name(&m, &s, k, buf, sizeof buf) + 1) > 5);
	assert_true(tt_group_seq(&s) > 5);
	tt_solution_free(&s);
	m.n_start = n_start;
	m.start_seq = 0;
	/* without a start the ids are as always: g<k+1>, g1 taken by the
	 * running group */
	m.has_start = false;
	int ns = m.n_start;
	m.n_start = 0;
	solve(&m, &s);
	assert_null(s.names);
	int last = 0;
	for (int k = 0; k < s.n_groups; k++)
		if (s.groups[k].running < 0) {
			if (k == 0)
				assert_string_equal(tt_group_name(&m, &s, k, buf, sizeof buf),
						    "g1.2");
			last = k + 1;
		}
	assert_int_equal(tt_group_seq(&s), last);
	tt_solution_free(&s);
	m.n_start = ns;
	tt_model_free(&m);
}

/* Two start groups on the same dagdelen merge into one (a group less),
 * which keeps the id of the one whose learners it holds most of; a learner
 * of the other who prefers the afternoons joins a running group there. Its
 * reason names the merged group under its id now, not as its own. */
static void test_start_merged_reason(void **state)
{
	(void)state;
	tt_model m;
	tt_solution s;
	ttf_z_two(&m, 3);
	ttf_running(&m, TT_ROUTE_Z, 0, TTF_PM(0) | TTF_PM(1), 1, 1, 3, true);
	add_z(&m, 6, 0);
	m.learners[5].pref = TTF_PM(0) | TTF_PM(1) | TTF_PM(2);
	static const int a[] = {0, 1, 2}, b[] = {3, 4, 5};
	tt_mask am = TTF_AM(0) | TTF_AM(2);
	ttf_start(&m, -1, am, 0, 0, 0, a, 3);
	ttf_start(&m, -1, am, 0, 1, 1, b, 3);
	m.start[0].id = xstrdup("g1");
	m.start[1].id = xstrdup("g2");
	m.w.moved = 100; /* (at 0 all six would move to the afternoons) */
	m.w.pref = 100;  /* 200 for her in the mornings */
	solve(&m, &s);
	tt_explain(&m, &s);
	int k = group_of(&s, 0);
	char buf[32];
	assert_int_equal(group_of(&s, 3), k);
	assert_int_equal(s.groups[k].sessions, am);
	assert_string_equal(tt_group_name(&m, &s, k, buf, sizeof buf), "g1");
	assert_true(s.groups[group_of(&s, 5)].running == 0);
	assert_change(&s, 5, "optimised",
		      "the group of g2's learners (g1 now) still meets on Mon morning, Wed "
		      "morning, but the plan that scored best gives this learner other lessons");
	assert_int_equal(s.start.n_changed, 1);
	tt_solution_free(&s);
	tt_model_free(&m);
}

/* A start group no teacher can take any more is dropped for its teacher,
 * not its room (the room is free all week): its own teacher's missing
 * dagdeel is named, or that it is gone; its learners are told so. */
static void test_start_no_teacher(void **state)
{
	(void)state;
	tt_model m;
	tt_solution s;
	ttf_z_basic(&m, 3);
	add_z(&m, 3, 0);
	m.teachers[0].avail &= ~TTF_AM(2);
	static const int three[] = {0, 1, 2};
	ttf_start(&m, -1, TTF_AM(0) | TTF_AM(2), 0, 0, 0, three, 3);
	m.start[0].id = xstrdup("g1");
	tt_params q = {.time_limit = 0.05, .gap = 1e-4, .seed = 1, .threads = 1};
	solve_with(&m, &q, &s);
	tt_explain(&m, &s);
	assert_int_equal(s.start.dropped, 1);
	assert_string_equal(s.start.out[0].reason,
			    "no qualified teacher is free on all of its dagdelen at location L0 "
			    "(its teacher T0 is not available on d2-am)");
	assert_change(&s, 0, "group_dropped", "group g1 was dropped: no qualified teacher");
	tt_solution_free(&s);
	/* the teacher gone from the request (the decoder names it) */
	m.start[0].teacher = -1;
	m.start[0].teacher_gone = xstrdup("T9");
	solve_with(&m, &q, &s);
	assert_string_equal(s.start.out[0].reason,
			    "no qualified teacher is free on all of its dagdelen at location L0 "
			    "(its teacher T9 is not in this request)");
	tt_solution_free(&s);
	tt_model_free(&m);
	/* what running groups hold counts: the only teacher teaching one on
	 * d2-am (in another room), then the only room holding one then */
	for (int held = 0; held < 2; held++) {
		ttf_z_two(&m, 3);
		add_z(&m, 3, 0);
		if (held == 0) /* T0 in R1; T1 cannot teach Z */
			m.teachers[1].quals = TT_QUAL_NT2;
		ttf_running(&m, TT_ROUTE_Z, 0, TTF_AM(2), held ? 0 : 1, held ? 1 : 0, 3, false);
		if (held == 1) /* G0 in R0; R1 elsewhere */
			m.rooms[1].location = ttf_location(&m);
		ttf_start(&m, -1, TTF_AM(0) | TTF_AM(2), 0, 0, 0, three, 3);
		m.start[0].id = xstrdup("g1");
		m.start[0].route = TT_ROUTE_Z;
		solve_with(&m, &q, &s);
		assert_int_equal(s.start.dropped, 1);
		assert_string_equal(s.start.out[0].reason,
				    held ? "no room at location L0 is free on all of its dagdelen"
					 : "no qualified teacher is free on all of its dagdelen at "
					   "location L0 (its teacher T0 teaches running group G0 then)");
		tt_solution_free(&s);
		tt_model_free(&m);
	}
}

/* Joiners of a running group in the start take its free seats in the
 * order listed (three seats: the fourth waits), a running group the
 * request no longer has places nobody; the answer passes the checker. */
static void test_start_running(void **state)
{
	(void)state;
	tt_model m;
	tt_solution s;
	ttf_z_basic(&m, 3);
	ttf_running(&m, TT_ROUTE_Z, 0, TTF_AM(0) | TTF_AM(2), 0, 0, 5, true);
	add_z(&m, 5, 0);
	static const int joiners[] = {0, 1, 2, 3}, gone[] = {4}, newcomer[] = {5};
	ttf_start(&m, 0, 0, -1, -1, -1, joiners, 4);
	ttf_start(&m, -2, 0, -1, -1, -1, gone, 1); /* a running group no longer there */
	tt_params q = {.time_limit = 0.05, .gap = 1e-4, .seed = 1, .threads = 1};
	solve_with(&m, &q, &s);
	assert_int_equal(s.start.groups, 0);
	assert_int_equal(s.start.left_out, 2); /* learners 3 and 4 */
	/* three joiners (their option costs) and two waiting */
	assert_true(s.start.objective >= 2 * m.w.unplaced);
	assert_true(s.start.objective < 3 * m.w.unplaced);
	tt_solution_free(&s);
	/* a new group of one newcomer on other dagdelen: the two the running
	 * entries could not seat top it up (no new group lists them) */
	ttf_learner(&m, TT_ROUTE_Z, 0);
	ttf_start(&m, -1, TTF_AM(1) | TTF_PM(2), 0, 0, 0, newcomer, 1);
	solve_with(&m, &q, &s);
	assert_int_equal(s.start.groups, 1);
	assert_int_equal(s.start.kept, 1);
	assert_int_equal(s.start.topped_up, 2);
	assert_int_equal(s.start.left_out, 0);
	tt_solution_free(&s);
	tt_model_free(&m);
}

/* Members of a start group are booked one by one: of two parents sharing
 * one childcare place a dagdeel, and of two partners kept apart, the
 * first listed stays and the second waits, so the repaired start is
 * valid (the checker passes it) even where the start was not. */
static void test_start_families(void **state)
{
	(void)state;
	tt_model m;
	tt_solution s;
	ttf_z_basic(&m, 3);
	int k = ttf_childcare(&m, 1, 5);
	add_z(&m, 5, 0);
	m.learners[0].young_children = m.learners[1].young_children = 1;
	m.learners[0].childcare = m.learners[1].childcare = k;
	m.n_households = 1;
	m.learners[2].household = m.learners[3].household = 0;
	m.learners[2].partners_apart = true;
	static const int five[] = {0, 1, 2, 3, 4};
	ttf_start(&m, -1, TTF_AM(0) | TTF_AM(2), 0, 0, 0, five, 5);
	tt_params q = {.time_limit = 0.05, .gap = 1e-4, .seed = 1, .threads = 1};
	solve_with(&m, &q, &s);
	assert_int_equal(s.start.kept, 1);
	assert_int_equal(s.start.left_out, 2); /* learners 1 and 3 */
	/* one group of learners 0, 2 and 4 (1 and 3 cannot join it, and are
	 * too few for a group of their own) */
	assert_int_equal(n_new(&s), 1);
	assert_int_equal(s.groups[0].n_members, 3);
	assert_true(group_of(&s, 1) < 0 && group_of(&s, 3) < 0);
	tt_solution_free(&s);
	/* the group as 0 and 2 only, short of its minimum of 3: the top-up
	 * passes over 1 (no childcare place left) and 3 (2's partner) and
	 * takes 4 */
	m.start[0].members[1] = 2;
	m.start[0].n_members = 2;
	solve_with(&m, &q, &s);
	assert_int_equal(s.start.kept, 1);
	assert_int_equal(s.start.topped_up, 1);
	assert_true(group_of(&s, 1) < 0 && group_of(&s, 3) < 0);
	assert_true(group_of(&s, 4) >= 0);
	tt_solution_free(&s);
	tt_model_free(&m);
}

/* A start group whose room is taken is handed to stage 2; when no room is
 * left for it there, the answer counts it dropped, not restaffed, and its
 * members as left out when no other seat takes them. */
static void test_start_unstaffable(void **state)
{
	(void)state;
	tt_model m;
	tt_solution s;
	ttf_z_two(&m, 3);
	add_z(&m, 9, 0);
	/* all nine can come on d0-am and d2-am only; groups of at most 3 */
	for (int i = 0; i < 9; i++)
		m.learners[i].avail = TTF_AM(0) | TTF_AM(2);
	m.routes[TT_ROUTE_Z].max_size = 3;
	for (int q = 0; q < 3; q++) {
		const int three[] = {3 * q, 3 * q + 1, 3 * q + 2};
		ttf_start(&m, -1, TTF_AM(0) | TTF_AM(2), 0, q == 1, q == 1, three, 3);
	}
	tt_params q = {.time_limit = 0.05, .gap = 1e-4, .seed = 1, .threads = 1};
	solve_with(&m, &q, &s);
	assert_int_equal(s.start.groups, 3);
	assert_int_equal(s.start.kept, 2);
	assert_int_equal(s.start.restaffed, 0);
	assert_int_equal(s.start.dropped, 1);
	assert_int_equal(s.start.left_out, 3); /* two rooms of 3 seats: no place */
	assert_int_equal(n_new(&s), 2);
	/* each group's outcome, in the start's order: the third was taken for
	 * stage 2 to staff, and stage 2 had nothing left */
	assert_int_equal(s.start.n_out, 3);
	assert_int_equal(s.start.out[0].fate, TT_SG_KEPT);
	assert_null(s.start.out[0].reason);
	assert_int_equal(s.start.out[1].fate, TT_SG_KEPT);
	assert_int_equal(s.start.out[2].fate, TT_SG_DROPPED);
	assert_string_equal(s.start.out[2].reason, "no room or teacher was left for it");
	tt_solution_free(&s);
	tt_model_free(&m);
}

/* Two start groups of one cell both lost their room, and stage 2 finds a
 * room for one: the cell keeps the learners who waited longest (the
 * second group's), so the second is the one carried on and the first is
 * named dropped, whatever their order in the start. */
static void test_start_restaffed_one_of_two(void **state)
{
	(void)state;
	for (int order = 0; order < 2; order++) {
		tt_model m;
		tt_solution s;
		ttf_z_basic(&m, 3);
		add_z(&m, 6, 0);
		m.routes[TT_ROUTE_Z].max_size = 3;
		for (int i = 0; i < 6; i++) {
			m.learners[i].avail = TTF_AM(0) | TTF_AM(2);
			m.learners[i].weeks_waiting = i < 3 ? 1 : 20;
		}
		static const int early[] = {0, 1, 2}, long_waiting[] = {3, 4, 5};
		for (int k = 0; k < 2; k++) {
			bool lw = (k == 0) == (order == 1);
			int q = ttf_start(&m, -1, TTF_AM(0) | TTF_AM(2), 0, -1, 0,
					  lw ? long_waiting : early, 3);
			m.start[q].id = xstrdup(lw ? "gB" : "gA");
			m.start[q].room_gone = xstrdup("R9");
		}
		tt_params p = {.time_limit = 0.05, .gap = 1e-4, .seed = 1, .threads = 1};
		solve_with(&m, &p, &s);
		assert_int_equal(s.start.restaffed, 1);
		assert_int_equal(s.start.dropped, 1);
		int a = order == 0 ? 0 : 1, b = 1 - a; /* outcomes of gA and gB */
		assert_int_equal(s.start.out[a].fate, TT_SG_DROPPED);
		assert_string_equal(s.start.out[a].reason, "no room or teacher was left for it");
		assert_int_equal(s.start.out[b].fate, TT_SG_RESTAFFED);
		assert_string_equal(s.start.out[b].reason, "its room R9 is not in this request");
		assert_int_equal(n_new(&s), 1);
		for (int i = 0; i < 6; i++)
			assert_int_equal(group_of(&s, i) >= 0, i >= 3);
		tt_solution_free(&s);
		tt_model_free(&m);
	}
}

/* A start group that must be staffed anew keeps what it can of its room
 * and teacher. Without a start the solve gives the group R0 (8 seats) and
 * T0; the start had R1 (12 seats) and, later, T1 (T0's twin). Its teacher
 * gone, it keeps R1; its room gone, it keeps T1. The objective does not
 * tell these apart, so only the start does. */
static void test_start_keeps_staff(void **state)
{
	(void)state;
	tt_model m;
	tt_solution s;
	ttf_z_basic(&m, 3);
	ttf_room(&m, 0, 12, ttf_all(&m));
	int t1 = ttf_teacher(&m); /* as T0, listed after it */
	add_z(&m, 5, 0);
	static const int five[] = {0, 1, 2, 3, 4};
	tt_mask am = TTF_AM(0) | TTF_AM(2);
	ttf_start(&m, -1, am, 0, 1, -1, five, 5); /* its teacher gone */
	m.w.moved = 1; /* on its dagdelen (other patterns cost the same) */
	for (int pass = 0; pass < 2; pass++) {
		tt_params q = {.time_limit = pass ? 2 : 0.05, .gap = 1e-4, .seed = 1, .threads = 1};
		solve_with(&m, &q, &s);
		assert_int_equal(n_new(&s), 1);
		assert_int_equal(s.start.restaffed, 1);
		assert_int_equal(s.groups[0].room, 1);
		tt_solution_free(&s);
	}
	m.start[0].room = -1; /* its room gone, its teacher there */
	m.start[0].teacher = t1;
	for (int pass = 0; pass < 2; pass++) {
		tt_params q = {.time_limit = pass ? 2 : 0.05, .gap = 1e-4, .seed = 1, .threads = 1};
		solve_with(&m, &q, &s);
		assert_int_equal(n_new(&s), 1);
		assert_int_equal(s.groups[0].teacher, t1);
		tt_solution_free(&s);
	}
	/* without a start the heuristics' own picks: the baseline above */
	m.has_start = false;
	m.w.moved = 0;
	solve(&m, &s);
	assert_int_equal(n_new(&s), 1);
	assert_int_equal(s.groups[0].room, 0);
	assert_int_equal(s.groups[0].teacher, 0);
	tt_solution_free(&s);
	m.has_start = true;
	tt_model_free(&m);
}

/* Two start groups on the same dagdelen at one location, in R0 with T0 and
 * in R1 with T1, that a plan has in each other's rooms and with each
 * other's teachers: tt_start_restaff gives each its own back (nothing in
 * the objective tells the two plans apart). A plan already on the start's
 * rooms and teachers is left alone. */
static void test_start_restaff(void **state)
{
	(void)state;
	tt_model m;
	ttf_z_two(&m, 3);
	add_z(&m, 3, 0);
	add_z(&m, 3, 1);
	tt_mask am = TTF_AM(0) | TTF_AM(2);
	static const int a[] = {0, 1, 2}, b[] = {3, 4, 5};
	ttf_start(&m, -1, am, 0, 0, 0, a, 3);
	ttf_start(&m, -1, am, 0, 1, 1, b, 3);
	m.start[0].level = 0, m.start[1].level = 1;
	tt_prep pp;
	assert_int_equal(tt_prep_build(&pp, &m, 0), 0);
	int cell[2] = {-1, -1};
	for (int c = 0; c < pp.n_cells; c++)
		for (int q = 0; q < 2; q++)
			if (pp.cells[c].alive && pp.cells[c].mask == am && pp.cells[c].level == q &&
			    tt_start_match(&pp.cells[c], &m.start[q]) == 5 && cell[q] < 0)
				cell[q] = c;
	assert_true(cell[0] >= 0 && cell[1] >= 0);
	tt_plan pl;
	tt_plan_init(&pl, m.n_learners);
	tt_plan_add_group(&pl, cell[0], 1, 1); /* each in the other's room */
	tt_plan_add_group(&pl, cell[1], 0, 0);
	for (int i = 0; i < 6; i++)
		pl.asg[i] = cell[i / 3];
	lp_ctl ctl = {.deadline = lp_now() + 10};
	double before = tt_plan_cost(&pp, &pl);
	assert_true(tt_start_restaff(&pp, &ctl, &pl));
	assert_int_equal(pl.n_groups, 2);
	for (int g = 0; g < 2; g++) {
		int q = pl.g[g].cell == cell[0] ? 0 : 1;
		assert_int_equal(pl.g[g].room, m.start[q].room);
		assert_int_equal(pl.g[g].teacher, m.start[q].teacher);
	}
	for (int i = 0; i < 6; i++)
		assert_int_equal(pl.asg[i], cell[i / 3]);
	assert_true(tt_plan_cost(&pp, &pl) == before);
	assert_false(tt_start_restaff(&pp, &ctl, &pl)); /* nothing left to give back */
	tt_plan_free(&pl);
	tt_prep_free(&pp);
	tt_model_free(&m);
}

/* The moved weight: three learners of a start group on d0-am and d2-am
 * prefer the afternoons (pref 5 a session outside: 30 for the three). With
 * moved 100 the group stays (moving would cost 300); with moved 1 it moves
 * (3), and the answer's moved term says so; without a start nothing is
 * moved. The checker recomputes the term (solve_with). */
static void test_start_moved(void **state)
{
	(void)state;
	tt_model m;
	tt_solution s;
	ttf_z_basic(&m, 3);
	add_z(&m, 3, 0);
	for (int i = 0; i < 3; i++)
		m.learners[i].pref = TTF_PM(0) | TTF_PM(1) | TTF_PM(2);
	tt_mask am = TTF_AM(0) | TTF_AM(2), pm = TTF_PM(0) | TTF_PM(2);
	static const int three[] = {0, 1, 2};
	ttf_start(&m, -1, am, 0, 0, 0, three, 3);
	m.w.moved = 100;
	solve(&m, &s);
	assert_int_equal(s.status, TT_OPTIMAL);
	assert_int_equal(n_new(&s), 1);
	assert_int_equal(s.groups[0].sessions, am);
	assert_near(s.terms.moved, 0, 1e-9);
	assert_near(s.terms.pref, 30, 1e-9);
	/* the straightforward model prices a move the same way */
	assert_near(export_optimum(&m), s.objective, 1e-6);
	tt_solution_free(&s);
	m.w.moved = 1;
	solve(&m, &s);
	assert_int_equal(s.status, TT_OPTIMAL);
	assert_int_equal(s.groups[0].sessions, pm);
	assert_near(s.terms.moved, 3, 1e-9);
	assert_near(s.terms.pref, 0, 1e-9);
	assert_near(export_optimum(&m), s.objective, 1e-6);
	/* nothing keeps them from the group but the plan's score */
	tt_explain(&m, &s);
	assert_int_equal(s.start.n_changed, 3);
	for (int i = 0; i < 3; i++)
		assert_change(&s, i, "optimised",
			      "the plan that scored best no longer has group (unnamed) (Mon "
			      "morning, Wed morning at location L0) and gives this learner other "
			      "lessons");
	assert_non_null(strstr(s.start.changed[0].reason,
			       "weights.moved: each learner whose lessons change costs 1)"));
	tt_solution_free(&s);
	/* a learner it lists left waiting pays it too: a fourth learner who
	 * cannot come any more (its availability gone) */
	m.w.moved = 100;
	ttf_learner(&m, TT_ROUTE_Z, 0);
	m.learners[3].avail = 0;
	m.start[0].members = xrealloc(m.start[0].members, 4 * sizeof(int));
	m.start[0].members[3] = 3;
	m.start[0].n_members = 4;
	solve(&m, &s);
	assert_int_equal(s.n_unplaced, 1);
	assert_near(s.terms.moved, 100, 1e-9);
	assert_near(export_optimum(&m), s.objective, 1e-6);
	tt_solution_free(&s);
	/* no start, no one to move */
	m.has_start = false;
	m.n_start = 0;
	solve(&m, &s);
	assert_near(s.terms.moved, 0, 1e-9);
	tt_solution_free(&s);
	m.n_start = 1; /* (freed with the model) */
	tt_model_free(&m);
}

/* Every learner the start placed whose lessons change gets a rule and a
 * reason: first its own fields and dagdelen against its earlier group
 * (availability, route, women-only, childcare, level), then what became
 * of the group (dropped, a running group closed to newcomers); learners
 * still in their group get none. */
static void test_start_changes(void **state)
{
	(void)state;
	tt_model m;
	tt_solution s;
	ttf_z_basic(&m, 3);
	int k = ttf_childcare(&m, 1, 5);
	int run = ttf_running(&m, TT_ROUTE_Z, 0, TTF_PM(0) | TTF_PM(1), 0, 0, 3, false);
	add_z(&m, 10, 0);
	static const int g1[] = {0, 1, 2, 3, 4, 5, 6, 7}, g2[] = {8}, joiner[] = {9};
	ttf_start(&m, -1, TTF_AM(0) | TTF_AM(2), 0, 0, 0, g1, 8);
	ttf_start(&m, -1, TTF_AM(1) | TTF_PM(2), 0, 0, 0, g2, 1);
	ttf_start(&m, run, 0, -1, -1, -1, joiner, 1);
	m.start[1].sessions_lost = true;
	for (int q = 0; q < 3; q++) {
		m.start[q].id = xasprintf("g%d", q + 1);
		if (q < 2)
			m.start[q].route = TT_ROUTE_Z, m.start[q].level = 0,
			m.start[q].alfa = m.start[q].women_only = 0;
	}
	m.learners[0].avail &= ~TTF_AM(0);
	m.learners[1].route = TT_ROUTE_B1;
	m.learners[2].gender = TT_GENDER_F;
	m.learners[2].women_only = true;
	m.learners[3].young_children = 1;
	m.learners[3].childcare = k;
	m.childcare[k].places[4] = 0; /* d2-am */
	m.learners[4].level = 2;
	/* (at 100, 5-7 move to one group with 0, 3, 8 and 9: one group less) */
	m.w.moved = 1000;
	solve(&m, &s);
	/* the straightforward model agrees: a group whose dagdeel is gone and a
	 * running group closed to newcomers move their learners at any price */
	assert_int_equal(s.status, TT_OPTIMAL);
	assert_near(export_optimum(&m), s.objective, 1e-6);
	tt_explain(&m, &s);
	assert_int_equal(s.start.kept, 1);
	assert_int_equal(s.start.dropped, 1);
	assert_change(&s, 0, "availability", "not available on Mon morning, when group g1 meets");
	assert_change(&s, 1, "route", "route is B1 now; group g1 is a Z group");
	assert_change(&s, 2, "women_only", "wishes a women-only group; group g1 is mixed");
	assert_change(&s, 3, "childcare",
		      "no childcare place on Wed morning at location L0 (provider K0 has 0 free), "
		      "when group g1 meets");
	assert_change(&s, 4, "level_spread", "level A2 now; group g1 takes levels A0-A1");
	assert_change(&s, 8, "group_dropped",
		      "group g2 was dropped: one of its dagdelen is not in this request");
	assert_change(&s, 9, "running_join", "running group G0 started 4 weeks or more");
	for (int i = 5; i < 8; i++)
		assert_null(change_of(&s, i));
	assert_int_equal(s.start.n_changed, 7);
	/* explained again (as a caller may): the same, nothing kept twice */
	tt_explain(&m, &s);
	assert_int_equal(s.start.n_changed, 7);
	tt_solution_free(&s);
	/* the same learners with nothing changed but learner 0's dagdelen:
	 * the others stay and have no entry */
	for (int i = 1; i < 5; i++) {
		m.learners[i].route = TT_ROUTE_Z, m.learners[i].level = 0;
		m.learners[i].women_only = false, m.learners[i].young_children = 0;
	}
	solve(&m, &s);
	assert_int_equal(s.status, TT_OPTIMAL);
	assert_near(export_optimum(&m), s.objective, 1e-6);
	tt_explain(&m, &s);
	assert_change(&s, 0, "availability", "Mon morning");
	for (int i = 1; i < 8; i++)
		assert_null(change_of(&s, i));
	tt_solution_free(&s);
	tt_model_free(&m);
}

static double wall(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* A 1 s limit on an instance that is not solved to optimality in 1 s still
 * returns a checked plan soon after the limit. */
static void test_time_limit(void **state)
{
	(void)state;
	tt_model m;
	random_model(&m, 400, 11);
	tt_solution s;
	double t = wall();
	tt_params p = {.time_limit = 1, .gap = 0, .seed = 1};
	memset(&s, 0, sizeof s);
	assert_int_equal(tt_solve(&m, &p, &s), 0);
	double el = wall() - t;
	assert_true(el < 4.0);
	assert_true(s.n_groups > 0);
	assert_true(s.objective < m.n_learners * m.w.unplaced);
	assert_true(s.status == TT_TIME_LIMIT || s.status == TT_OPTIMAL || s.status == TT_FEASIBLE);
	tt_check_result chk = {0};
	tt_check(&m, &s, &chk);
	assert_int_equal(chk.n_violations, 0);
	tt_check_free(&chk);
	tt_solution_free(&s);
	tt_model_free(&m);
}

/* A cancel flag already set stops at once with a plan and status cancelled. */
static void test_cancel(void **state)
{
	(void)state;
	tt_model m;
	random_model(&m, 100, 5);
	volatile int cancel = 1;
	tt_params p = {.time_limit = 30, .gap = 0, .seed = 1, .cancel = &cancel};
	tt_solution s;
	memset(&s, 0, sizeof s);
	double t = wall();
	assert_int_equal(tt_solve(&m, &p, &s), 0);
	assert_true(wall() - t < 2.0);
	assert_int_equal(s.status, TT_CANCELLED);
	tt_solution_free(&s);
	tt_model_free(&m);
}

/* Solves m, whose learner 0 must be placed, and expects an infeasible
 * answer whose conflict families are exactly `want` (in family order). */
static void expect_conflicts(const tt_model *m, const char *const *want, int n_want)
{
	tt_solution s;
	memset(&s, 0, sizeof s);
	tt_params p = {.time_limit = 10, .gap = 1e-6, .seed = 1};
	assert_int_equal(tt_solve(m, &p, &s), 0);
	assert_int_equal(s.status, TT_INFEASIBLE);
	if (s.n_conflicts != n_want)
		for (int k = 0; k < s.n_conflicts; k++)
			print_message("conflict %s\n", s.conflicts[k]);
	assert_int_equal(s.n_conflicts, n_want);
	for (int k = 0; k < n_want; k++)
		assert_string_equal(s.conflicts[k], want[k]);
	assert_false(s.conflicts_partial);
	tt_check_result chk;
	assert_int_equal(tt_check(m, &s, &chk), 0);
	for (int k = 0; k < chk.n_violations; k++)
		print_message("violation %s: %s\n", chk.violations[k].constraint,
			      chk.violations[k].message);
	assert_int_equal(chk.n_violations, 0);
	tt_check_free(&chk);
	tt_solution_free(&s);
}

/* Two must-place partners kept apart among four Z learners (groups of 3),
 * all on three mornings: infeasible. With everyone available the partners
 * could meet apart but six learners would be needed for two groups, which
 * the aggregated MIP left open (the set stayed partial, availability in
 * it); the column-generation bound settles it: household and group size. */
static void test_conflicts_counted(void **state)
{
	(void)state;
	tt_model m;
	ttf_z_basic(&m, 5);
	add_z(&m, 4, 0);
	for (int i = 0; i < 4; i++)
		m.learners[i].avail = TTF_AM(0) | TTF_AM(2) | TTF_AM(4);
	m.n_households = 1;
	m.learners[0].household = m.learners[1].household = 0;
	m.learners[0].partners_apart = true;
	m.learners[0].must_place = m.learners[1].must_place = true;
	static const char *const want[] = {"household", "group_size"};
	expect_conflicts(&m, want, 2);
	tt_model_free(&m);
}

/* A must-place learner alone on the Z route: infeasible, and the conflict
 * names the minimum group size. */
static void test_infeasible_conflicts(void **state)
{
	(void)state;
	tt_model m;
	tt_solution s;
	ttf_z_basic(&m, 3);
	add_z(&m, 2, 0);
	m.learners[0].must_place = true;
	memset(&s, 0, sizeof s);
	tt_params p = {.time_limit = 10, .gap = 1e-6, .seed = 1};
	assert_int_equal(tt_solve(&m, &p, &s), 0);
	assert_int_equal(s.status, TT_INFEASIBLE);
	assert_int_equal(s.n_conflicts, 1);
	assert_string_equal(s.conflicts[0], "group_size");
	assert_false(s.conflicts_partial);
	tt_solution_free(&s);
	/* an irreducible set of three families: the must-place learner's
	 * childcare has places on the mornings of days 1 and 2 only, the other
	 * two learners come on the mornings of days 0 and 1 only, so no
	 * two-morning group holds all three. Without childcare they meet on
	 * days 0-1, without the minimum size the learner is alone on days 1-2,
	 * and with everyone available they meet on days 1-2: each of the three
	 * is needed; rooms, teachers, travel, school and households are not. */
	int k = ttf_childcare(&m, 0, 10);
	m.childcare[k].places[2] = 1; /* day 1 morning */
	m.childcare[k].places[4] = 1; /* day 2 morning */
	m.learners[0].young_children = 1;
	m.learners[0].childcare = k;
	ttf_learner(&m, TT_ROUTE_Z, 0);
	m.learners[1].avail = m.learners[2].avail = TTF_AM(0) | TTF_AM(1);
	memset(&s, 0, sizeof s);
	assert_int_equal(tt_solve(&m, &p, &s), 0);
	assert_int_equal(s.status, TT_INFEASIBLE);
	assert_int_equal(s.n_conflicts, 3);
	assert_string_equal(s.conflicts[0], "availability");
	assert_string_equal(s.conflicts[1], "childcare");
	assert_string_equal(s.conflicts[2], "group_size");
	assert_false(s.conflicts_partial);
	tt_solution_free(&s);
	tt_model_free(&m);
	/* two must-place parents who share one childcare place a dagdeel and
	 * come on days 0 and 1 only, and one more learner: a group needs all
	 * three, the parents two places. No single rule keeps either parent
	 * out (a place on each dagdeel, three learners to form a group): the
	 * reason says the rules together do and names the families, instead
	 * of saying the objective left them waiting */
	ttf_z_basic(&m, 3);
	add_z(&m, 3, 0);
	k = ttf_childcare(&m, 0, 10);
	for (int t = 0; t < m.n_dagdelen; t++)
		m.childcare[k].places[t] = 1;
	for (int i = 0; i < 2; i++) {
		m.learners[i].must_place = true;
		m.learners[i].young_children = 1;
		m.learners[i].childcare = k;
		m.learners[i].avail = TTF_AM(0) | TTF_AM(1);
	}
	memset(&s, 0, sizeof s);
	assert_int_equal(tt_solve(&m, &p, &s), 0);
	assert_int_equal(s.status, TT_INFEASIBLE);
	assert_int_equal(s.n_conflicts, 2);
	for (int i = 0; i < 2; i++)
		assert_true(reason_says(&m, &s, i, TT_R_CONFLICT,
					"conflicting rule families: childcare, group_size"));
	tt_solution_free(&s);
	tt_model_free(&m);
	/* rooms of 2 and three must-place learners, minimum size 3: room
	 * capacity and group size each needed, and the filter settles both
	 * (with capacity switched off the trial's plan used to stop at the
	 * room's 2 seats, and room_capacity was left undecided) */
	ttf_z_basic(&m, 3);
	for (int r = 0; r < m.n_rooms; r++)
		m.rooms[r].capacity = 2;
	add_z(&m, 3, 0);
	for (int i = 0; i < 3; i++)
		m.learners[i].must_place = true;
	expect_conflicts(&m, (const char *const[]){"room_capacity", "group_size"}, 2);
	tt_model_free(&m);
	/* room facilities: three learners, one must be placed and needs a
	 * step-free room, which the location lacks */
	ttf_z_basic(&m, 3);
	ttf_facilities(&m);
	add_z(&m, 3, 0);
	m.learners[0].must_place = true;
	m.learners[0].room_needs = 1;
	memset(&s, 0, sizeof s);
	assert_int_equal(tt_solve(&m, &p, &s), 0);
	assert_int_equal(s.status, TT_INFEASIBLE);
	assert_int_equal(s.n_conflicts, 1);
	assert_string_equal(s.conflicts[0], "room_facilities");
	tt_solution_free(&s);
	tt_model_free(&m);
	ttf_z_basic(&m, 3);
	add_z(&m, 2, 0);
	m.learners[0].must_place = true;
	ttf_learner(&m, TT_ROUTE_Z, 0);
	solve(&m, &s);
	assert_int_not_equal(s.status, TT_INFEASIBLE);
	assert_true(group_of(&s, 0) >= 0);
	tt_solution_free(&s);
	tt_model_free(&m);
}


/* The route and room rules are families of the conflict report too: each
 * instance is infeasible by one rule (with the minimum group size where
 * the must-place learner could otherwise be taught alone). */
static void test_conflict_rule_families(void **state)
{
	(void)state;
	tt_model m;
	/* level spread: an A2 learner with two A0 learners */
	ttf_z_basic(&m, 3);
	add_z(&m, 3, 0);
	m.learners[0].must_place = true;
	m.learners[0].level = 2;
	expect_conflicts(&m, (const char *const[]){"group_size", "level_spread"}, 2);
	/* alfa separation */
	m.learners[0].level = 0;
	m.learners[0].alfa = true;
	expect_conflicts(&m, (const char *const[]){"group_size", "alfa_separation"}, 2);
	/* a women-only wish among men */
	m.learners[0].alfa = false;
	m.learners[0].gender = TT_GENDER_F;
	m.learners[0].women_only = true;
	expect_conflicts(&m, (const char *const[]){"group_size", "women_only"}, 2);
	/* one day only: two sessions on it need the same-day rule off (or
	 * other days' availability) */
	m.learners[0].women_only = false;
	for (int i = 0; i < 3; i++)
		m.learners[i].avail = TTF_AM(1) | TTF_PM(1);
	expect_conflicts(&m, (const char *const[]){"availability", "same_day"}, 2);
	/* the room is available on one dagdeel */
	for (int i = 0; i < 3; i++)
		m.learners[i].avail = ttf_all(&m);
	m.rooms[0].avail = TTF_AM(0);
	expect_conflicts(&m, (const char *const[]){"room_availability"}, 1);
	/* the location is open on one dagdeel */
	m.rooms[0].avail = ttf_all(&m);
	m.locations[0].closed = ttf_all(&m) & ~TTF_AM(0);
	expect_conflicts(&m, (const char *const[]){"location_closed"}, 1);
	/* a route of at most 1 h a week: no pattern of 2 dagdelen fits */
	m.locations[0].closed = 0;
	m.routes[TT_ROUTE_Z].max_minutes = 60;
	expect_conflicts(&m, (const char *const[]){"route_hours"}, 1);
	m.routes[TT_ROUTE_Z].max_minutes = -1;
	/* a running group holds the room on the only dagdelen the learners
	 * have, and it is past its four weeks: joining it or other dagdelen */
	int g = ttf_running(&m, TT_ROUTE_Z, 0, TTF_AM(0) | TTF_AM(1), 0, 0, 5, false);
	for (int i = 0; i < 3; i++)
		m.learners[i].avail = TTF_AM(0) | TTF_AM(1);
	expect_conflicts(&m, (const char *const[]){"availability", "running_join"}, 2);
	/* young enough, but the request says it takes no newcomers */
	m.running[g].may_join = true;
	m.running[g].has_free_seats = true;
	m.running[g].free_seats = 0;
	expect_conflicts(&m, (const char *const[]){"availability", "running_join"}, 2);
	tt_model_free(&m);
	/* a teacher's dagdelen a day: one a day, two learners who can come on
	 * Monday only, one in the morning, one in the afternoon */
	ttf_z_basic(&m, 3);
	m.routes[TT_ROUTE_Z].sessions = 1;
	m.routes[TT_ROUTE_Z].min_size = 1;
	m.teachers[0].max_per_day = 1;
	add_z(&m, 2, 0);
	m.learners[0].avail = TTF_AM(0);
	m.learners[1].avail = TTF_PM(0);
	m.learners[0].must_place = m.learners[1].must_place = true;
	expect_conflicts(&m, (const char *const[]){"availability", "teacher"}, 2);
	tt_model_free(&m);
	/* one teacher for a whole pattern: T0 teaches Mon, Tue and Wed
	 * mornings, T1 Monday morning only; the two learners share Monday
	 * morning and need T0 there both. Each dagdeel has teachers enough
	 * (stage 1 finds a plan); the groups with their teachers do not. */
	ttf_z_basic(&m, 3);
	m.routes[TT_ROUTE_Z].min_size = 1;
	ttf_room(&m, 0, 8, ttf_all(&m));
	m.teachers[0].avail = TTF_AM(0) | TTF_AM(1) | TTF_AM(2);
	ttf_teacher(&m);
	m.teachers[1].avail = TTF_AM(0);
	add_z(&m, 2, 0);
	m.learners[0].avail = TTF_AM(0) | TTF_AM(1);
	m.learners[1].avail = TTF_AM(0) | TTF_AM(2);
	m.learners[0].must_place = m.learners[1].must_place = true;
	expect_conflicts(&m, (const char *const[]){"availability", "teacher"}, 2);
	tt_model_free(&m);
}

/* must_place outweighs waiting time: the must-place learner gets the seat. */
static void test_must_place_gets_seat(void **state)
{
	(void)state;
	tt_model m;
	tt_solution s;
	ttf_z_basic(&m, 3);
	m.rooms[0].capacity = 3;
	add_z(&m, 4, 0);
	for (int i = 0; i < 3; i++)
		m.learners[i].weeks_waiting = 20;
	m.learners[3].must_place = true;
	solve(&m, &s);
	assert_true(group_of(&s, 3) >= 0);
	assert_int_equal(s.n_unplaced, 1);
	tt_solution_free(&s);
	tt_model_free(&m);
}

/* Heavy weights do not make an ordinary learner a must-place one: at
 * wait_week 10^6 a learner waiting 20 weeks weighs 2 * 10^7, past the least
 * must weight, yet may still wait (a room of 3 for 4 learners; a fifth is
 * available nowhere), and the bound counts their wait. */
static void test_heavy_wait_not_must(void **state)
{
	(void)state;
	tt_model m;
	tt_solution s;
	ttf_z_basic(&m, 3);
	m.rooms[0].capacity = 3;
	add_z(&m, 5, 0);
	m.w.wait_week = 1e6;
	for (int i = 0; i < 5; i++)
		m.learners[i].weeks_waiting = 20 + i;
	m.learners[4].avail = 0;
	solve(&m, &s);
	assert_int_equal(s.status, TT_OPTIMAL);
	/* optimal: proven within the wanted gap (1e-6 of ~1.3e8, relative) */
	assert_true(s.bound >= s.objective * (1 - 1e-6) - 1e-6);
	assert_int_equal(s.n_unplaced, 2);
	assert_true(group_of(&s, 0) < 0); /* the shortest wait */
	assert_true(group_of(&s, 4) < 0);
	tt_solution_free(&s);
	tt_model_free(&m);
}

/* Two must-place learners of levels a group cannot mix, one teacher: the
 * greedy opens the group of the first on the mornings its members prefer,
 * which are the only dagdelen of the second, and leaves the second waiting.
 * The answer must not stop at that plan: the first's group moves to the
 * afternoons and both are placed (threads 1 and 2, and work-limited). */
static void test_greedy_leaves_must_out(void **state)
{
	(void)state;
	for (int run = 0; run < 3; run++) {
		tt_model m;
		tt_solution s;
		ttf_z_basic(&m, 3);
		tt_mask am = TTF_AM(0) | TTF_AM(2), pm = TTF_PM(0) | TTF_PM(2);
		for (int i = 0; i < 3; i++) {
			int k = ttf_learner(&m, TT_ROUTE_Z, 0);
			m.learners[k].avail = am | pm;
			m.learners[k].pref = am;
		}
		for (int i = 0; i < 3; i++) {
			int k = ttf_learner(&m, TT_ROUTE_Z, 3);
			m.learners[k].avail = am;
		}
		m.learners[0].must_place = m.learners[3].must_place = true;
		tt_prep pp;
		assert_int_equal(tt_prep_build(&pp, &m, 0), 0);
		tt_plan g;
		tt_greedy(&pp, 1, &g);
		assert_true(g.asg[0] >= 0);
		assert_int_equal(g.asg[3], -1); /* the case this test is about */
		tt_plan_free(&g);
		tt_prep_free(&pp);
		tt_params p = {.time_limit = 10, .gap = 1e-6, .seed = 1, .threads = run == 1 ? 1 : 2,
			       .node_limit = run == 2 ? 200 : 0};
		solve_with(&m, &p, &s);
		assert_int_equal(s.status, TT_OPTIMAL);
		assert_int_equal(s.n_unplaced, 0);
		assert_true(s.groups[group_of(&s, 0)].sessions == pm);
		assert_true(s.groups[group_of(&s, 3)].sessions == am);
		tt_solution_free(&s);
		tt_model_free(&m);
	}
}

/* A must-place learner is placed however much placing costs: at travel
 * 10^6 a minute, the group of three costs 9 * 10^7, more than the least
 * must weight, and leaving everyone waiting would be cheaper at that. */
static void test_must_place_costly(void **state)
{
	(void)state;
	for (int th = 1; th <= 2; th++) {
		tt_model m;
		tt_solution s;
		ttf_z_basic(&m, 3);
		add_z(&m, 3, 0);
		m.w.travel = 1e6;
		for (int i = 0; i < 3; i++)
			m.learners[i].travel[0] = 30;
		m.learners[0].must_place = true;
		tt_params p = {.time_limit = 10, .gap = 1e-6, .seed = 1, .threads = th};
		solve_with(&m, &p, &s);
		assert_int_equal(s.status, TT_OPTIMAL);
		assert_true(group_of(&s, 0) >= 0);
		assert_int_equal(s.n_unplaced, 0);
		tt_solution_free(&s);
		tt_model_free(&m);
	}
}

/* The optimum GLPK finds on the model tt_export_lp writes for m. */
static double export_optimum(const tt_model *m)
{
	char path[] = "/tmp/tt_export_XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(tt_export_lp(m, path), 0);
	glp_term_out(GLP_OFF);
	glp_prob *P = glp_create_prob();
	assert_int_equal(glp_read_lp(P, NULL, path), 0);
	unlink(path);
	assert_true(glp_get_num_cols(P) > 0);
	glp_iocp io;
	glp_init_iocp(&io);
	io.presolve = GLP_ON;
	io.msg_lev = GLP_MSG_OFF;
	assert_int_equal(glp_intopt(P, &io), 0);
	assert_int_equal(glp_mip_status(P), GLP_OPT);
	double v = glp_mip_obj_val(P);
	glp_delete_prob(P);
	glp_term_out(GLP_ON);
	return v;
}

/* The straightforward model written by tt_export_lp has the same optimum. */
static void test_export_lp(void **state)
{
	(void)state;
	tt_model m;
	tt_solution s;
	ttf_z_basic(&m, 3);
	ttf_room(&m, 0, 4, ttf_all(&m));
	add_z(&m, 5, 0);
	ttf_learner(&m, TT_ROUTE_Z, 1);
	m.learners[0].pref = TTF_AM(0) | TTF_AM(1);
	m.learners[1].weeks_waiting = 3;
	m.learners[2].avail = TTF_AM(0) | TTF_AM(1) | TTF_PM(2);
	solve(&m, &s);
	assert_near(export_optimum(&m), s.objective, 1e-6);
	tt_solution_free(&s);
	tt_model_free(&m);
	/* a running group already past its teacher's contract and day maximum
	 * stays; the exported model only keeps new groups from that teacher */
	ttf_z_basic(&m, 3);
	ttf_teacher(&m);
	m.teachers[0].max_load = 1;
	m.teachers[0].max_per_day = 1;
	ttf_running(&m, TT_ROUTE_Z, 0, TTF_AM(0) | TTF_PM(0) | TTF_AM(1), 0, 0, 4, false);
	add_z(&m, 3, 0);
	solve(&m, &s);
	assert_int_equal(s.n_unplaced, 0);
	assert_near(export_optimum(&m), s.objective, 1e-6);
	tt_solution_free(&s);
	tt_model_free(&m);
	/* no learners: still a file glpsol reads, objective 0 */
	ttf_z_basic(&m, 3);
	assert_near(export_optimum(&m), 0, 1e-9);
	tt_model_free(&m);
}

/* The plan passes the independent checker, priced as tt_plan_cost says. */
static void assert_plan_valid(const tt_prep *pp, const tt_plan *pl)
{
	tt_solution s = {0};
	tt_plan_to_solution(pp, pl, &s);
	assert_near(s.objective, tt_plan_cost(pp, pl), 1e-6);
	tt_check_result chk = {0};
	assert_int_equal(tt_check(pp->m, &s, &chk), 0);
	if (chk.n_violations)
		print_error("violation %s: %s\n", chk.violations[0].constraint, chk.violations[0].message);
	assert_int_equal(chk.n_violations, 0);
	assert_true(chk.objective_matches);
	tt_check_free(&chk);
	tt_solution_free(&s);
}

/* tt_prep_cost_cap is above the cost of every plan the solver's own
 * search passes through (greedy, local search) on random models, with
 * room capacity hard and soft, and nothing is below what it counts. */
static void test_cost_cap(void **state)
{
	(void)state;
	for (unsigned seed = 1; seed <= 4; seed++) {
		tt_model m;
		random_model(&m, 120, seed);
		if (seed % 2 == 0) {
			m.room_capacity_soft = true;
			m.room_seat_penalty = 400;
			for (int r = 0; r < m.n_rooms; r++)
				m.rooms[r].capacity = 3 + r % 4;
		}
		tt_prep pp;
		assert_int_equal(tt_prep_build(&pp, &m, 0), 0);
		double cap = tt_prep_cost_cap(&pp);
		tt_plan g;
		tt_greedy(&pp, seed, &g);
		assert_true(tt_plan_cost(&pp, &g) <= cap);
		lp_ctl ctl = {.deadline = lp_now() + 60};
		/* every learner waits: the plan with no group at all */
		tt_plan none;
		tt_plan_init(&none, m.n_learners);
		assert_true(tt_plan_cost(&pp, &none) <= cap);
		tt_lns(&pp, &ctl, seed, 2000, lp_now() + 60, &g);
		assert_true(tt_plan_cost(&pp, &g) <= cap);
		tt_plan_free(&g);
		tt_plan_free(&none);
		tt_prep_free(&pp);
		tt_model_free(&m);
	}
}

/* Local search never returns a plan costlier than the one it started from,
 * and what it returns is valid and priced exactly (stage 3 objective). */
static void test_local_search(void **state)
{
	(void)state;
	for (unsigned seed = 1; seed <= 3; seed++) {
		tt_model m;
		random_model(&m, 120, seed);
		tt_prep pp;
		assert_int_equal(tt_prep_build(&pp, &m, 0), 0);
		tt_plan g, l;
		tt_greedy(&pp, 1, &g);
		lp_ctl ctl = {.deadline = lp_now() + 60};
		tt_plan_init(&l, m.n_learners);
		tt_plan_copy(&l, &g);
		double c0 = tt_plan_cost(&pp, &g);
		long it = tt_lns(&pp, &ctl, seed, 3000, lp_now() + 60, &l);
		assert_true(it > 0);
		double c1 = tt_plan_cost(&pp, &l);
		assert_true(c1 <= c0 + 1e-9);
		assert_plan_valid(&pp, &l);
		tt_plan_free(&g);
		tt_plan_free(&l);
		tt_prep_free(&pp);
		tt_model_free(&m);
	}
}

/* The local search offers free seats after a move only to the learners who
 * may have gained one (freed by the move, eligible for a group it opened,
 * or sharing a childcare provider or a household with a freed learner).
 * The plans must be those of offering them to everyone: on random models
 * with partners kept apart (two pairs in three), two scarce childcare
 * providers and a running group that takes joiners, every seed ends at the
 * same plan both ways. Leaving out the freed learners, the provider's
 * parents or the partners from the list each fails it. */
static void test_lns_fill_some(void **state)
{
	(void)state;
	int differ_from_start = 0;
	for (unsigned seed = 1; seed <= 10; seed++) {
		if (TT_SAN && seed != 1 && seed != 7 && seed != 9)
			continue; /* one of each kind below */
		tt_model m;
		random_model(&m, 120, seed);
		if (seed > 6) { /* groups fill up: a pull frees seats in its donors' cells */
			m.routes[TT_ROUTE_B1].max_size = 7;
			m.routes[TT_ROUTE_Z].max_size = 4;
		}
		if (seed > 8) { /* seats past the rooms cost a penalty */
			m.room_capacity_soft = true;
			m.room_seat_penalty = 40;
			for (int r = 0; r < m.n_rooms; r++)
				m.rooms[r].capacity = 3 + r % 4;
		}
		uint64_t x = seed * 11 + 3;
		m.n_households = m.n_learners / 2;
		for (int i = 0; i + 1 < m.n_learners; i += 2)
			if (rnd(&x, 3) != 0) {
				m.learners[i].household = m.learners[i + 1].household = i / 2;
				m.learners[i].partners_apart = true;
			}
		ttf_childcare(&m, 1, 15);
		for (int c = 0; c < m.n_childcare; c++)
			for (int t = 0; t < m.n_dagdelen; t++)
				m.childcare[c].places[t] = rnd(&x, 4);
		for (int i = 0; i < m.n_learners; i++)
			if (rnd(&x, 4) == 0)
				m.learners[i].young_children = 1 + rnd(&x, 2),
				m.learners[i].childcare = rnd(&x, m.n_childcare);
		ttf_running(&m, TT_ROUTE_B1, 1, TTF_AM(0) | TTF_AM(2), 0, 0, 12, true);
		tt_prep pp;
		assert_int_equal(tt_prep_build(&pp, &m, 0), 0);
		tt_plan g, some, all;
		tt_greedy(&pp, 1, &g);
		tt_plan_init(&some, m.n_learners);
		tt_plan_init(&all, m.n_learners);
		tt_plan_copy(&some, &g);
		tt_plan_copy(&all, &g);
		lp_ctl ctl = {.deadline = lp_now() + 120};
		long a = tt_lns_run(&pp, &ctl, seed, 2000, lp_now() + 120, &some, false);
		long b = tt_lns_run(&pp, &ctl, seed, 2000, lp_now() + 120, &all, true);
		assert_int_equal(a, b);
		assert_int_equal(some.n_groups, all.n_groups);
		for (int k = 0; k < some.n_groups; k++) {
			assert_int_equal(some.g[k].cell, all.g[k].cell);
			assert_int_equal(some.g[k].room, all.g[k].room);
			assert_int_equal(some.g[k].teacher, all.g[k].teacher);
		}
		for (int i = 0; i < m.n_learners; i++)
			assert_int_equal(some.asg[i], all.asg[i]);
		differ_from_start += tt_plan_cost(&pp, &some) < tt_plan_cost(&pp, &g) - 1e-9;
		tt_plan_free(&g);
		tt_plan_free(&some);
		tt_plan_free(&all);
		tt_prep_free(&pp);
		tt_model_free(&m);
	}
	print_message("the search improved the greedy plan on %d of %d\n", differ_from_start,
		      TT_SAN ? 3 : 10);
	assert_true(TT_SAN || differ_from_start >= 5);
}

/* kept (resources kept through changes to pl) equals what pl uses, counted
 * afresh (the rows that are read: household dagdelen only where partners
 * are kept apart). */
static void assert_res_of_plan(const tt_prep *pp, const tt_res *kept, const tt_plan *pl)
{
	const tt_model *m = pp->m;
	tt_res fresh;
	tt_res_init(&fresh, pp);
	tt_res_of_plan(&fresh, pp, pl);
	for (int r = 0; r < m->n_rooms; r++)
		assert_int_equal(kept->room_busy[r], fresh.room_busy[r]);
	for (int t = 0; t < m->n_teachers; t++) {
		assert_int_equal(kept->teach_busy[t], fresh.teach_busy[t]);
		assert_int_equal(kept->teach_load[t], fresh.teach_load[t]);
		for (int d = 0; d < 7; d++)
			assert_int_equal(kept->teach_day[t * 7 + d], fresh.teach_day[t * 7 + d]);
	}
	for (int q = 0; q < m->n_childcare * pp->nd; q++)
		assert_int_equal(kept->cc_used[q], fresh.cc_used[q]);
	for (int k = 0; k < m->n_households; k++)
		if (pp->hh_apart[k])
			assert_int_equal(kept->hh_busy[k], fresh.hh_busy[k]);
	for (int r = 0; r < m->n_running; r++)
		assert_int_equal(kept->run_free[r], fresh.run_free[r]);
	tt_res_free(&fresh);
}

/* A pull opens a group no greedy opens: Z (3..8, two sessions) on two days;
 * five learners can come only on the mornings, two only on the afternoons,
 * two any time. The greedy seats the seven who fit the mornings' cell and
 * leaves the two afternoon learners waiting (two < 3); pulling one of the
 * morning group's flexible members into an afternoon group seats all
 * nine. With one morning learner instead, the greedy seats the afternoon
 * cell's four and the morning learner waits: that group can spare one
 * member, one short of a second group, so no pull (which would leave it
 * below its minimum). */
static void test_pull_cell(void **state)
{
	(void)state;
	for (int variant = 0; variant < 2; variant++) {
		tt_model m;
		ttf_z_basic(&m, 2);
		tt_mask am = TTF_AM(0) | TTF_AM(1), pm = TTF_PM(0) | TTF_PM(1);
		int n_am = variant == 0 ? 5 : 1;
		for (int i = 0; i < n_am + 2; i++) {
			int k = ttf_learner(&m, TT_ROUTE_Z, 0);
			m.learners[k].avail = i < n_am ? am : pm;
		}
		for (int i = 0; i < 2; i++)
			ttf_learner(&m, TT_ROUTE_Z, 0);
		tt_prep pp;
		assert_int_equal(tt_prep_build(&pp, &m, 0), 0);
		tt_plan pl;
		tt_greedy(&pp, 1, &pl);
		int waiting = -1, n_wait = 0;
		for (int i = 0; i < m.n_learners; i++)
			if (pl.asg[i] == -1)
				waiting = i, n_wait++;
		assert_int_equal(n_wait, variant == 0 ? 2 : 1);
		assert_int_equal(pl.n_groups, 1);
		tt_res res;
		tt_res_init(&res, &pp);
		tt_res_of_plan(&res, &pp, &pl);
		int *wcnt = calloc((size_t)pp.n_cells + 1, sizeof *wcnt);
		for (int i = 0; i < m.n_learners; i++)
			if (pl.asg[i] == -1)
				tt_wait_count(&pp, wcnt, i, 1);
		/* the waiting learner's one cell */
		int c = -1;
		for (int o = pp.opt_start[waiting]; o < pp.opt_start[waiting + 1]; o++)
			if (pp.opts[o].cell >= 0 && pp.cells[pp.opts[o].cell].alive)
				c = pp.opts[o].cell;
		assert_true(c >= 0);
		int moved[16], from[16];
		tt_pull *ps = tt_pull_new(&pp);
		double before = tt_plan_cost(&pp, &pl);
		int nm = tt_pull_cell(ps, &pp, &pl, &res, wcnt, c, moved, from);
		if (variant == 0) {
			assert_int_equal(nm, 1);
			assert_int_equal(from[0], pl.g[0].cell);
			assert_int_equal(pl.asg[moved[0]], c);
			assert_int_equal(pl.n_groups, 2);
			for (int i = 0; i < m.n_learners; i++)
				assert_true(pl.asg[i] >= 0);
			assert_true(tt_plan_cost(&pp, &pl) < before - m.w.unplaced);
			for (int q = 0; q < pp.n_cells; q++)
				assert_int_equal(wcnt[q], 0);
			assert_plan_valid(&pp, &pl);
		} else {
			assert_int_equal(nm, -1);
			assert_int_equal(pl.n_groups, 1);
			assert_int_equal(pl.asg[waiting], -1);
			assert_near(tt_plan_cost(&pp, &pl), before, 1e-9);
		}
		assert_res_of_plan(&pp, &res, &pl);
		tt_pull_free(ps);
		free(wcnt);
		tt_res_free(&res);
		tt_plan_free(&pl);
		tt_prep_free(&pp);
		tt_model_free(&m);
	}
}

/* Pulls on random models with partners kept apart and scarce childcare:
 * after every pull the plan passes the checker, the resources and waiting
 * counts kept through it are those of the plan counted afresh, and every
 * cell keeps its groups' minimum. */
static void test_pull_cell_random(void **state)
{
	(void)state;
	int pulls = 0, donors = 0;
	for (unsigned seed = 1; seed <= 4; seed++) {
		tt_model m;
		random_model(&m, 120, seed);
		uint64_t x = seed * 7 + 5;
		add_families(&m, &x, 2, 4, 4);
		tt_prep pp;
		assert_int_equal(tt_prep_build(&pp, &m, 0), 0);
		tt_plan pl;
		tt_greedy(&pp, 1, &pl);
		tt_res res;
		tt_res_init(&res, &pp);
		tt_res_of_plan(&res, &pp, &pl);
		int nc = pp.n_cells;
		int *wcnt = calloc((size_t)nc + 1, sizeof *wcnt);
		int *fresh = calloc((size_t)nc + 1, sizeof *fresh);
		int *moved = malloc((size_t)m.n_learners * sizeof *moved);
		int *from = malloc((size_t)m.n_learners * sizeof *from);
		for (int i = 0; i < m.n_learners; i++)
			if (pl.asg[i] == -1)
				tt_wait_count(&pp, wcnt, i, 1);
		tt_pull *ps = tt_pull_new(&pp);
		for (int c = 0; c < nc; c++) {
			int nm = tt_pull_cell(ps, &pp, &pl, &res, wcnt, c, moved, from);
			if (nm < 0)
				continue;
			pulls++;
			donors += nm;
			assert_plan_valid(&pp, &pl);
			assert_res_of_plan(&pp, &res, &pl);
			memset(fresh, 0, (size_t)nc * sizeof *fresh);
			for (int i = 0; i < m.n_learners; i++)
				if (pl.asg[i] == -1)
					tt_wait_count(&pp, fresh, i, 1);
			for (int q = 0; q < nc; q++)
				assert_int_equal(wcnt[q], fresh[q]);
		}
		tt_pull_free(ps);
		free(wcnt);
		free(fresh);
		free(moved);
		free(from);
		tt_res_free(&res);
		tt_plan_free(&pl);
		tt_prep_free(&pp);
		tt_model_free(&m);
	}
	print_message("%d pulls, %d members moved\n", pulls, donors);
	assert_true(pulls >= 4);
	assert_true(donors >= 4);
}

/* What the local search keeps through a move: resources counted for a plan
 * and then given back by the groups and learners a move ruins equal the
 * resources counted afresh for the plan without them (the rows that are
 * read: household dagdelen only where partners are kept apart). */
static void test_res_drop_inverse(void **state)
{
	(void)state;
	for (unsigned seed = 1; seed <= 4; seed++) {
		tt_model m;
		random_model(&m, 120, seed);
		uint64_t x = seed;
		m.n_households = m.n_learners / 2;
		for (int i = 0; i + 1 < m.n_learners; i += 2)
			if (rnd(&x, 3) == 0) {
				m.learners[i].household = m.learners[i + 1].household = i / 2;
				m.learners[i].partners_apart = rnd(&x, 2);
			}
		for (int i = 0; i < m.n_learners; i++)
			if (rnd(&x, 4) == 0)
				m.learners[i].young_children = 1 + rnd(&x, 2), m.learners[i].childcare = 0;
		tt_prep pp;
		assert_int_equal(tt_prep_build(&pp, &m, 0), 0);
		tt_plan g, h;
		tt_greedy(&pp, 1, &g);
		assert_true(g.n_groups >= 2);
		tt_res kept;
		tt_res_init(&kept, &pp);
		tt_res_of_plan(&kept, &pp, &g);
		/* h: g without its odd-numbered groups and their learners */
		tt_plan_init(&h, m.n_learners);
		tt_plan_copy(&h, &g);
		h.n_groups = 0;
		int dropped = 0;
		for (int k = 0; k < g.n_groups; k++) {
			const tt_pgroup *pg = &g.g[k];
			if (k % 2 == 0) {
				h.g[h.n_groups++] = *pg;
				continue;
			}
			tt_res_drop_group(&kept, &pp, &pp.cells[pg->cell], pg->room, pg->teacher);
			for (int i = 0; i < m.n_learners; i++)
				if (g.asg[i] == pg->cell) {
					tt_res_drop_learner(&kept, &pp, i, pp.cells[pg->cell].mask);
					h.asg[i] = -1;
					dropped++;
				}
		}
		assert_true(dropped > 0);
		assert_res_of_plan(&pp, &kept, &h);
		int nd = pp.nd;
		/* and a copy is the same */
		tt_res copy;
		tt_res_init(&copy, &pp);
		tt_res_copy(&copy, &kept);
		for (int q = 0; q < m.n_childcare * nd; q++)
			assert_int_equal(copy.cc_used[q], kept.cc_used[q]);
		for (int t = 0; t < m.n_teachers; t++)
			assert_int_equal(copy.teach_load[t], kept.teach_load[t]);
		tt_res_free(&copy);
		tt_res_free(&kept);
		tt_plan_free(&g);
		tt_plan_free(&h);
		tt_prep_free(&pp);
		tt_model_free(&m);
	}
}

/* The per-cell teacher lists hold exactly the teachers qualified, available
 * and reaching the cell's location within their contract (what fits with
 * nothing booked: these models have no running groups), and with bookings
 * the greedy's check on them (tt_teacher_free) agrees with the full one. */
static void test_cell_teachers(void **state)
{
	(void)state;
	for (unsigned seed = 1; seed <= 3; seed++) {
		tt_model m;
		random_model(&m, 80, seed);
		uint64_t x = seed;
		for (int t = 0; t < m.n_teachers; t++) /* a few dagdelen off */
			for (int k = 0; k < 3; k++)
				m.teachers[t].avail &= ~((tt_mask)1 << rnd(&x, m.n_dagdelen));
		tt_prep pp;
		assert_int_equal(tt_prep_build(&pp, &m, 0), 0);
		tt_res empty, busy;
		tt_res_init(&empty, &pp);
		tt_res_init(&busy, &pp);
		tt_plan g;
		tt_greedy(&pp, 1, &g);
		tt_res_of_plan(&busy, &pp, &g);
		int listed = 0, agreed = 0;
		for (int c = 0; c < pp.n_cells; c++) {
			const tt_cell *ce = &pp.cells[c];
			if (!ce->alive)
				continue;
			for (int t = 0; t < m.n_teachers; t++) {
				bool in = false;
				for (int q = pp.cteach_start[c]; q < pp.cteach_start[c + 1]; q++)
					in |= pp.cteach[q] == t;
				const tt_teacher *h = &m.teachers[t];
				bool may = (h->quals & ce->quals) == ce->quals &&
					   (h->avail & ce->mask) == ce->mask && (h->locations >> ce->loc & 1) &&
					   ce->load <= h->max_load;
				assert_int_equal(in, may);
				assert_int_equal(in, tt_teacher_fits(&pp, &empty, t, ce));
				listed += in;
				if (in) {
					assert_int_equal(tt_teacher_free(&pp, &busy, t, ce),
							 tt_teacher_fits(&pp, &busy, t, ce));
					agreed += !tt_teacher_free(&pp, &busy, t, ce);
				}
			}
		}
		assert_true(listed > 0);
		assert_true(agreed > 0); /* some listed teachers are booked in g */
		tt_res_free(&empty);
		tt_res_free(&busy);
		tt_plan_free(&g);
		tt_prep_free(&pp);
		tt_model_free(&m);
	}
}

/* The optimum of the straightforward model (tt_export_lp) by glpsol's
 * branch and bound, when it proves one within 20 s. */
static bool glpsol_optimum(const tt_model *m, double *opt)
{
	char path[] = "/tmp/tt_opt_XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(tt_export_lp(m, path), 0);
	glp_prob *P = glp_create_prob();
	assert_int_equal(glp_read_lp(P, NULL, path), 0);
	unlink(path);
	glp_iocp io;
	glp_init_iocp(&io);
	io.presolve = GLP_ON;
	io.msg_lev = GLP_MSG_OFF;
	io.tm_lim = 20000;
	glp_intopt(P, &io);
	bool ok = glp_mip_status(P) == GLP_OPT;
	if (ok)
		*opt = glp_mip_obj_val(P);
	glp_delete_prob(P);
	return ok;
}

/* glpsol's optimum of the straightforward model of m (when it proves one)
 * lies between s's bound and s's plan. */
static void assert_glpsol_between(const tt_model *m, const tt_solution *s)
{
	double opt;
	if (glpsol_optimum(m, &opt)) {
		assert_true(s->bound <= opt + 1e-6);
		assert_true(s->objective >= opt - 1e-6);
	}
}

/* The bound never exceeds the optimum: small random models cross-checked
 * against glpsol on the straightforward model (when it proves optimality). */
static void test_bound_valid(void **state)
{
	(void)state;
	glp_term_out(GLP_OFF);
	for (unsigned seed = 1; seed <= 4; seed++) {
		tt_model m;
		random_model(&m, 9, seed);
		tt_solution s;
		solve_tl(&m, &s, 5);
		assert_glpsol_between(&m, &s);
		tt_solution_free(&s);
		/* soft room capacity: small rooms, seats over at a price the
		 * bound counts too (the column generation prices each group in
		 * its cheapest room, over or not) */
		m.room_capacity_soft = true;
		m.room_seat_penalty = 15;
		for (int r = 0; r < m.n_rooms; r++)
			m.rooms[r].capacity = 1 + r % 2;
		solve_tl(&m, &s, 5);
		print_message("soft seed %u: objective %.1f bound %.1f room_over %.1f\n", seed,
			      s.objective, s.bound, s.terms.room_over);
		assert_glpsol_between(&m, &s);
		/* proven: the bound counts the seats over (seeds 1-3 have some;
		 * when it left them out, only seed 4 was proven) */
		assert_int_equal(s.status, TT_OPTIMAL);
		tt_solution_free(&s);
		tt_model_free(&m);
	}
	glp_term_out(GLP_ON);
}

/* The straightforward model honours weekly hours and module groups too: on
 * random models where every third learner can take 5 h (no group: Z meets
 * 2 x 3 h, B1 3 x 3 h) and every third has a module group on three
 * mornings, glpsol's optimum of the exported LP lies between roosterd's
 * bound and its plan, roosterd's plans keep the limits (checker), and the
 * limits cost something (the plans without them are cheaper). */
static void test_weekly_hours_export(void **state)
{
	(void)state;
	glp_term_out(GLP_OFF);
	static const unsigned seeds[] = {1, 3, 11};
	for (int k = 0; k < 3; k++) {
		tt_model m;
		random_model(&m, 9, seeds[k]);
		tt_solution s;
		solve_tl(&m, &s, 5);
		double free_obj = s.objective;
		tt_solution_free(&s);
		for (int i = 0; i < m.n_learners; i += 3)
			m.learners[i].weekly_min = 300;
		for (int i = 1; i < m.n_learners; i += 3) /* and module groups on Mon-Wed mornings */
			ttf_module(&m, TTF_AM(0) | TTF_AM(1) | TTF_AM(2), &i, 1);
		solve_tl(&m, &s, 5);
		assert_true(s.objective > free_obj + 1e-6); /* solve_tl ran the checker */
		assert_glpsol_between(&m, &s);
		tt_solution_free(&s);
		tt_model_free(&m);
	}
	glp_term_out(GLP_ON);
}

static void count_second_thread(void *ud, int level, const char *msg)
{
	(void)level;
	if (strstr(msg, "Lagrangian bound (second thread)"))
		++*(int *)ud;
}

/* Too large for one master in 1.5 s (300 learners): the subgradient bound
 * runs on a second thread beside the local search (threads 0), or after it
 * on one thread (threads 1). Both answers pass the checker, each bound lies
 * below both plans, and the second thread was joined and reported. */
static void test_subgradient_thread(void **state)
{
	(void)state;
	tt_model m;
	random_model(&m, 300, 5);
	tt_solution s[2];
	int seen[2] = {0, 0};
	for (int k = 0; k < 2; k++) {
		tt_params p = {.time_limit = 1.5, .gap = 1e-6, .seed = 1, .threads = k ? 1 : 0,
			       .log = count_second_thread, .ud = &seen[k]};
		memset(&s[k], 0, sizeof s[k]);
		assert_int_equal(tt_solve(&m, &p, &s[k]), 0);
		tt_check_result chk = {0};
		assert_int_equal(tt_check(&m, &s[k], &chk), 0);
		assert_int_equal(chk.n_violations, 0);
		tt_check_free(&chk);
	}
	assert_int_equal(seen[0], 1);
	assert_int_equal(seen[1], 0);
	for (int a = 0; a < 2; a++)
		for (int b = 0; b < 2; b++)
			assert_true(s[a].bound <= s[b].objective + 1e-6);
	tt_solution_free(&s[0]);
	tt_solution_free(&s[1]);
	tt_model_free(&m);
}

/* A dive's plan: it costs no less than the bound and the checker accepts it. */
static void assert_dive_plan(const tt_model *m, const tt_prep *pp, const tt_plan *dive,
			     double bound)
{
	tt_solution s = {0};
	tt_plan_to_solution(pp, dive, &s);
	assert_true(s.objective >= bound - 1e-6);
	tt_check_result chk = {0};
	assert_int_equal(tt_check(m, &s, &chk), 0);
	assert_int_equal(chk.n_violations, 0);
	tt_check_free(&chk);
	tt_solution_free(&s);
}

/* Column generation and its dive on m with r's inputs (the bound phase
 * until 60 s, the dive until 120 s at most): the dive returns a plan and
 * assert_dive_plan accepts it; r holds the result. */
static void colgen_dive(const tt_model *m, tt_cg_result *r)
{
	tt_prep pp;
	assert_int_equal(tt_prep_build(&pp, m, 0), 0);
	lp_ctl ctl = {.deadline = lp_now() + 120};
	tt_plan dive;
	assert_int_equal(tt_colgen(&pp, &ctl, NULL, lp_now() + 60, &dive, r), 0);
	assert_true(r->has_plan);
	assert_dive_plan(m, &pp, &dive, r->bound);
	tt_plan_free(&dive);
	tt_prep_free(&pp);
}

/* Column generation: its bound never exceeds the optimum (glpsol on the
 * straightforward model), is no weaker than the per-learner bound once it
 * converged, and its dive returns a plan that passes the checker. The
 * subgradient version of the same bound starts at the per-learner bound
 * and never exceeds the optimum either. */
static void test_colgen(void **state)
{
	(void)state;
	glp_term_out(GLP_OFF);
	int compared = 0;
	for (unsigned seed = 1; seed <= 6; seed++) {
		tt_model m;
		random_model(&m, 10, seed);
		tt_prep pp;
		assert_int_equal(tt_prep_build(&pp, &m, 0), 0);
		lp_ctl ctl = {.deadline = lp_now() + 60};
		tt_cg_result r = {0};
		tt_plan dive;
		assert_int_equal(tt_colgen(&pp, &ctl, NULL, lp_now() + 30, &dive, &r), 0);
		assert_true(r.converged);
		assert_true(r.bound >= tt_prep_bound(&pp) - 1e-6);
		long its = 0;
		_Atomic double ub = r.bound * 1.2 + 1;
		double lg = tt_lagrange(&pp, &ctl, &ub, 200, &its);
		assert_true(its > 0);
		assert_true(lg >= tt_prep_bound(&pp) - 1e-6);
		assert_true(r.has_plan);
		assert_dive_plan(&m, &pp, &dive, r.bound);
		double opt;
		if (glpsol_optimum(&m, &opt)) {
			assert_true(r.bound <= opt + 1e-6);
			assert_true(lg <= opt + 1e-6);
			compared++;
		}
		tt_plan_free(&dive);
		tt_prep_free(&pp);
		tt_model_free(&m);
	}
	assert_true(compared >= 3);
	glp_term_out(GLP_ON);
}

/* Clusters in turn: six Z learners with most of their options at location 0
 * (a room of 3 all week, a teacher for one group) and one pattern at
 * location 1 (a room of 8, its own teacher). Location 0's cluster places 3;
 * the other 3 join location 1's cluster, which comes after, and form a
 * group there: the dive's plan places all six (it placed 3 when a learner
 * stayed in the cluster it started in). */
static void test_colgen_clusters_spill(void **state)
{
	(void)state;
	glp_term_out(GLP_OFF);
	tt_model m;
	ttf_init(&m, 3);
	int l0 = ttf_location(&m), l1 = ttf_location(&m);
	ttf_room(&m, l0, 3, ttf_all(&m));
	ttf_room(&m, l1, 8, TTF_AM(0) | TTF_AM(1));
	for (int l = 0; l < 2; l++) {
		int h = ttf_teacher(&m);
		m.teachers[h].locations = (uint64_t)1 << l;
		m.teachers[h].max_load = 2;
	}
	for (int i = 0; i < 6; i++)
		ttf_learner(&m, TT_ROUTE_Z, 0);
	tt_prep pp;
	assert_int_equal(tt_prep_build(&pp, &m, 0), 0);
	lp_ctl ctl = {.deadline = lp_now() + 60};
	tt_cg_result r = {.cluster_opts = 1};
	tt_plan dive;
	assert_int_equal(tt_colgen(&pp, &ctl, NULL, lp_now() + 30, &dive, &r), 0);
	assert_int_equal(r.clusters, 2);
	assert_true(r.has_plan);
	assert_dive_plan(&m, &pp, &dive, r.bound);
	int placed = 0, at1 = 0;
	for (int i = 0; i < m.n_learners; i++) {
		placed += dive.asg[i] != -1;
		at1 += dive.asg[i] >= 0 && pp.cells[dive.asg[i]].loc == l1;
	}
	assert_int_equal(placed, 6);
	assert_int_equal(at1, 3);
	tt_plan_free(&dive);
	tt_prep_free(&pp);
	tt_model_free(&m);
	glp_term_out(GLP_ON);
}

/* Column generation per cluster of locations (here every location its own
 * cluster): the clusters' duals side by side give a bound no higher than
 * glpsol's optimum, and the dives' groups form one plan the checker
 * accepts (learners and teachers are each used by one cluster only; rows
 * they share, such as childcare places, keep what earlier clusters fixed). */
static void test_colgen_clusters(void **state)
{
	(void)state;
	glp_term_out(GLP_OFF);
	int compared = 0, split = 0;
	for (unsigned seed = 1; seed <= 16; seed++) {
		tt_model m;
		random_model(&m, 16, seed);
		tt_prep pp;
		assert_int_equal(tt_prep_build(&pp, &m, 0), 0);
		lp_ctl ctl = {.deadline = lp_now() + 60};
		tt_cg_result r = {.cluster_opts = 1};
		tt_plan dive;
		tt_plan greedy;
		tt_greedy(&pp, seed, &greedy);
		assert_int_equal(tt_colgen(&pp, &ctl, &greedy, lp_now() + 30, &dive, &r), 0);
		split += r.clusters >= 2;
		assert_true(r.clusters_converged <= r.clusters);
		assert_true(r.has_plan);
		assert_true(isfinite(r.bound));
		assert_dive_plan(&m, &pp, &dive, r.bound);
		double opt;
		if (glpsol_optimum(&m, &opt)) {
			assert_true(r.bound <= opt + 1e-6);
			compared++;
		}
		tt_plan_free(&dive);
		tt_plan_free(&greedy);
		tt_prep_free(&pp);
		tt_model_free(&m);
	}
	assert_true(split >= 8);
	assert_true(compared >= 8);
	glp_term_out(GLP_ON);
}

/* Two parents who can only come on three mornings, two sessions each: either
 * (kind 0) partners kept apart, or (kind 1) one childcare place a dagdeel.
 * Only one of them can be placed; the LP without cuts seats them 3/4 each. */
static void cut_model(tt_model *m, int kind)
{
	ttf_init(m, 3);
	int loc = ttf_location(m);
	for (int r = 0; r < 3; r++) {
		ttf_room(m, loc, 8, ttf_all(m));
		ttf_teacher(m);
	}
	ttf_childcare(m, 1, 0);
	m->n_households = 1;
	for (int i = 0; i < 6; i++) {
		int k = ttf_learner(m, TT_ROUTE_Z, 0);
		m->learners[k].avail = TTF_AM(0) | TTF_AM(1) | TTF_AM(2);
	}
	for (int i = 0; i < 2; i++) {
		if (kind == 0) {
			m->learners[i].household = 0;
			m->learners[i].partners_apart = true;
		} else {
			m->learners[i].young_children = 1;
			m->learners[i].childcare = 0;
		}
	}
}

/* The bound-only run's bound (with cuts unless no_cuts). */
static double colgen_bound(const tt_model *m, bool no_cuts, tt_cg_result *r)
{
	tt_prep pp;
	assert_int_equal(tt_prep_build(&pp, m, 0), 0);
	lp_ctl ctl = {.deadline = lp_now() + 60};
	*r = (tt_cg_result){.no_cuts = no_cuts};
	assert_int_equal(tt_colgen(&pp, &ctl, NULL, lp_now() + 60, NULL, r), 0);
	assert_true(r->converged);
	assert_false(r->has_plan);
	assert_true(no_cuts ? r->cuts == 0 : r->cuts >= 0);
	tt_prep_free(&pp);
	return r->bound;
}

/* The household and childcare cuts: on cut_model they close the gap the
 * LP leaves (a quarter of a wait each side), and on random models with
 * households and scarce childcare the bound with them never exceeds
 * glpsol's optimum. */
static void test_colgen_cuts(void **state)
{
	(void)state;
	glp_term_out(GLP_OFF);
	for (int kind = 0; kind < 2; kind++) {
		tt_model m;
		cut_model(&m, kind);
		tt_cg_result a, b;
		double with = colgen_bound(&m, false, &a), without = colgen_bound(&m, true, &b);
		double opt;
		assert_true(glpsol_optimum(&m, &opt));
		assert_true(with <= opt + 1e-6);
		assert_true(without < opt - 1);
		assert_true(with > without + 1);
		assert_true(a.cuts >= 1);
		tt_model_free(&m);
	}
	int compared = 0, raised = 0;
	for (unsigned seed = 1; seed <= 10; seed++) {
		tt_model m;
		random_model(&m, 14, seed);
		uint64_t x = seed;
		m.n_households = m.n_learners / 2;
		for (int i = 0; i + 1 < m.n_learners; i += 2)
			if (rnd(&x, 2)) {
				m.learners[i].household = m.learners[i + 1].household = i / 2;
				m.learners[i].partners_apart = true;
				for (int k = i; k < i + 2; k++)
					m.learners[k].avail = TTF_AM(0) | TTF_AM(1) | TTF_AM(2) | TTF_AM(3) | TTF_AM(4);
			}
		for (int t = 0; t < m.n_dagdelen; t++)
			m.childcare[0].places[t] = 1 + rnd(&x, 2);
		for (int i = 0; i < m.n_learners; i++)
			if (rnd(&x, 3) == 0)
				m.learners[i].young_children = 1, m.learners[i].childcare = 0;
		tt_cg_result a, b;
		double with = colgen_bound(&m, false, &a), without = colgen_bound(&m, true, &b);
		assert_true(with >= without - 1e-6);
		raised += with > without + 1e-6;
		double opt;
		if (glpsol_optimum(&m, &opt)) {
			assert_true(with <= opt + 1e-6);
			compared++;
		}
		tt_model_free(&m);
	}
	print_message("cuts raised the bound on %d of 10, compared %d\n", raised, compared);
	assert_true(compared >= 5);
	glp_term_out(GLP_ON);
}

/* Five Z learners (groups of 3..8, two sessions on different days), each
 * available on four of five mornings (learner i misses day (i + 4) mod 5):
 * each of the ten patterns of two mornings fits three of them, so a plan
 * opens one group and two learners wait, while the LP opens the ten groups
 * at 1/6 and seats all five. The cell-set cut (the ten cells' groups <=
 * floor(5 / 3) = 1) closes that gap; without cuts the bound stays below
 * glpsol's optimum. */
static void test_colgen_set_cuts(void **state)
{
	(void)state;
	glp_term_out(GLP_OFF);
	tt_model m;
	ttf_init(&m, 5);
	int loc = ttf_location(&m);
	for (int r = 0; r < 5; r++) {
		ttf_room(&m, loc, 8, ttf_all(&m));
		ttf_teacher(&m);
	}
	for (int i = 0; i < 5; i++) {
		int k = ttf_learner(&m, TT_ROUTE_Z, 0);
		m.learners[k].avail = 0;
		for (int d = 0; d < 4; d++)
			m.learners[k].avail |= TTF_AM((i + d) % 5);
	}
	tt_cg_result a, b;
	double with = colgen_bound(&m, false, &a), without = colgen_bound(&m, true, &b), opt;
	assert_true(glpsol_optimum(&m, &opt));
	print_message("set cuts: %d, bound %.2f (without cuts %.2f), optimum %.2f\n", a.set_cuts, with,
		      without, opt);
	assert_true(a.set_cuts >= 1);
	assert_int_equal(b.set_cuts, 0);
	assert_true(without < opt - 1);
	assert_true(with <= opt + 1e-6);
	assert_true(with > without + 1);
	tt_model_free(&m);
	/* random sparse mornings: the bound with the cuts never passes the
	 * optimum */
	int compared = 0, cut = 0;
	for (unsigned seed = 1; seed <= 12; seed++) {
		uint64_t x = seed;
		ttf_init(&m, 5);
		loc = ttf_location(&m);
		for (int r = 0; r < 3; r++) {
			ttf_room(&m, loc, 6 + rnd(&x, 3), ttf_all(&m));
			ttf_teacher(&m);
		}
		for (int i = 0, n = 5 + rnd(&x, 6); i < n; i++) {
			int k = ttf_learner(&m, TT_ROUTE_Z, rnd(&x, 2));
			m.learners[k].weeks_waiting = rnd(&x, 30);
			m.learners[k].avail = 0;
			for (int d = 0; d < 5; d++)
				if (rnd(&x, 3))
					m.learners[k].avail |= rnd(&x, 4) ? TTF_AM(d) : TTF_PM(d);
		}
		with = colgen_bound(&m, false, &a);
		cut += a.set_cuts > 0;
		if (glpsol_optimum(&m, &opt)) {
			assert_true(with <= opt + 1e-6);
			compared++;
		}
		tt_model_free(&m);
	}
	print_message("random: set cuts on %d of 12, compared %d\n", cut, compared);
	assert_true(compared >= 8);
	glp_term_out(GLP_ON);
}

/* The subgradient's multipliers on resource rows: on cut_model (partners
 * apart, or one childcare place a dagdeel) learner multipliers alone can
 * reach no more than a bound that seats both parents, the per-learner
 * bound; with the household's or provider's rows priced the bound rises
 * to the LP's (the master without cuts). On random models with households
 * and scarce childcare it never exceeds glpsol's optimum. */
static void test_subgradient_resources(void **state)
{
	(void)state;
	glp_term_out(GLP_OFF);
	for (int kind = 0; kind < 2; kind++) {
		tt_model m;
		cut_model(&m, kind);
		tt_cg_result r;
		double lp = colgen_bound(&m, true, &r), opt;
		assert_true(glpsol_optimum(&m, &opt));
		tt_prep pp;
		assert_int_equal(tt_prep_build(&pp, &m, 0), 0);
		lp_ctl ctl = {.deadline = lp_now() + 60};
		_Atomic double ub = opt;
		long its = 0;
		double lg = tt_lagrange(&pp, &ctl, &ub, 2000, &its);
		print_message("kind %d: per-learner %.1f subgradient %.1f (%ld iterations) LP %.1f optimum %.1f\n",
			      kind, tt_prep_bound(&pp), lg, its, lp, opt);
		assert_true(lp > tt_prep_bound(&pp) + 1);
		assert_true(lg >= lp - 0.05 * (lp - tt_prep_bound(&pp)));
		/* no multipliers do better than the LP (these 2 000 iterations
		 * restart from the best multipliers once, at ~1 600) */
		assert_true(lg <= lp + 1e-6);
		assert_true(lg <= opt + 1e-6);
		tt_prep_free(&pp);
		tt_model_free(&m);
	}
	int compared = 0;
	for (unsigned seed = 1; seed <= 10; seed++) {
		tt_model m;
		random_model(&m, 14, seed);
		uint64_t x = seed * 7 + 1;
		add_families(&m, &x, 2, 3, 3);
		double opt;
		if (glpsol_optimum(&m, &opt)) {
			tt_prep pp;
			assert_int_equal(tt_prep_build(&pp, &m, 0), 0);
			lp_ctl ctl = {.deadline = lp_now() + 60};
			_Atomic double ub = opt * 1.1 + 1;
			long its = 0;
			double lg = tt_lagrange(&pp, &ctl, &ub, 1000, &its);
			assert_true(lg >= tt_prep_bound(&pp) - 1e-6);
			assert_true(lg <= opt + 1e-6);
			compared++;
			tt_prep_free(&pp);
		}
		tt_model_free(&m);
	}
	assert_true(compared >= 5);
	glp_term_out(GLP_ON);
}

static int harvests;

/* The bound run on pp with the greedy plan as the incumbent: its bound,
 * with or without branching on group counts (*nodes: nodes solved). */
static double branch_bound(const tt_prep *pp, unsigned seed, bool no_branch, int *nodes,
			   double *inc)
{
	tt_plan greedy;
	tt_greedy(pp, seed, &greedy);
	*inc = tt_plan_cost(pp, &greedy);
	lp_ctl ctl = {.deadline = lp_now() + 60};
	tt_plan hv;
	tt_plan_init(&hv, pp->m->n_learners);
	tt_cg_result r = {.stop_at = *inc, .no_branch = no_branch, .harvest = &hv};
	assert_int_equal(tt_colgen(pp, &ctl, &greedy, lp_now() + 60, NULL, &r), 0);
	assert_true(r.converged);
	assert_true(r.bound <= *inc + 1e-6);
	*nodes = r.nodes;
	if (r.harvested) {
		/* an integral node's groups: a valid plan, no cheaper than the bound */
		assert_true(r.harvest_lp >= r.bound - 1e-6);
		assert_dive_plan(pp->m, pp, &hv, r.bound);
		harvests++;
	}
	tt_plan_free(&hv);
	tt_plan_free(&greedy);
	return r.bound;
}

/* Branching on group counts in the bound run. One teacher with five
 * dagdelen a week, rooms of 4 and 9 Z learners: the LP opens 2.25 groups
 * of two sessions and seats everyone, a plan has two groups of 4 and one
 * learner waiting; branching on the number of Z groups (<= 2 or >= 3) closes that
 * gap. On random models the bound with branching is never below the LP's
 * nor above glpsol's optimum. */
static void test_colgen_branch(void **state)
{
	(void)state;
	glp_term_out(GLP_OFF);
	tt_model m;
	ttf_z_basic(&m, 3);
	m.teachers[0].max_load = 5;
	m.rooms[0].capacity = 4;
	ttf_room(&m, 0, 4, ttf_all(&m));
	add_z(&m, 9, 0);
	tt_prep pp;
	assert_int_equal(tt_prep_build(&pp, &m, 0), 0);
	int nodes;
	double inc, opt;
	double with = branch_bound(&pp, 1, false, &nodes, &inc);
	assert_true(nodes >= 2);
	double without = branch_bound(&pp, 1, true, &nodes, &inc);
	assert_int_equal(nodes, 0);
	assert_true(glpsol_optimum(&m, &opt));
	assert_true(without < opt - 1);
	assert_true(with <= opt + 1e-6);
	print_message("with %.2f without %.2f opt %.2f inc %.2f\n", with, without, opt, inc);
	assert_true(with >= opt - 1e-6);
	tt_prep_free(&pp);
	tt_model_free(&m);
	int compared = 0;
	for (unsigned seed = 1; seed <= 12; seed++) {
		random_model(&m, 14, seed);
		assert_int_equal(tt_prep_build(&pp, &m, 0), 0);
		with = branch_bound(&pp, seed, false, &nodes, &inc);
		without = branch_bound(&pp, seed, true, &nodes, &inc);
		assert_true(with >= without - 1e-6);
		if (glpsol_optimum(&m, &opt)) {
			assert_true(with <= opt + 1e-6);
			compared++;
		}
		tt_prep_free(&pp);
		tt_model_free(&m);
	}
	assert_true(compared >= 6);
	print_message("integral nodes harvested: %d\n", harvests);
	glp_term_out(GLP_ON);
}

/* Random models whose teachers have 3-5 dagdelen a week (groups take 2-3
 * of them). Column generation converges on each: smoothed duals once
 * priced groups the LP's duals price above zero, cg_purge (over 1 000
 * groups) dropped them and the next round brought them back, so 14 of 38
 * masters ran to their 30 s deadline. The dive ends in a few steps: once
 * the groups fixed left a teacher too few dagdelen, the LP took a group of
 * that teacher fractionally, cg_fix closed it and pricing offered it again
 * with other members (seeds 3, 9, 24 and 39: 177, 2 887, 1 424 and 973
 * steps);
 * after CG_DIVE_STALE steps that fix nothing it prices and keeps only
 * groups that fit. */
static void test_colgen_tight_teachers(void **state)
{
	(void)state;
	glp_term_out(GLP_OFF);
	int strict = 0;
	for (unsigned seed = 1; seed <= 40; seed++) {
		if (TT_SAN && seed != 3 && seed != 9 && seed != 24 && seed != 39)
			continue; /* the seeds that once cycled (above) */
		if (seed > 20 && seed != 24 && seed != 39)
			continue; /* (seeds 21-40 took 5 s of the suite and add no strict dive) */
		tt_model m;
		random_model(&m, 20 + (int)(seed % 5) * 10, seed);
		for (int t = 0; t < m.n_teachers; t++)
			m.teachers[t].max_load = 3 + (int)(seed % 3);
		tt_cg_result r = {0};
		colgen_dive(&m, &r);
		assert_true(r.converged);
		assert_true(r.rounds <= 1000);
		assert_true(r.dive_steps <= 40);
		strict += r.dive_strict > 0;
		tt_model_free(&m);
	}
	print_message("strict dives: %d of %d\n", strict, TT_SAN ? 4 : 22);
	assert_true(TT_SAN || strict >= 3);
	glp_term_out(GLP_ON);
}

/* A dive from an LP stopped after 2 rounds (not converged: it fixes several
 * fractional groups per step) still yields a plan the checker accepts. */
static void test_colgen_dive_unconverged(void **state)
{
	(void)state;
	glp_term_out(GLP_OFF);
	int unconverged = 0;
	for (unsigned seed = 1; seed <= 8; seed++) {
		tt_model m;
		random_model(&m, 16, seed);
		tt_cg_result r = {.max_rounds = 2};
		colgen_dive(&m, &r);
		unconverged += !r.converged;
		assert_true(r.rounds <= 2);
		tt_model_free(&m);
	}
	assert_true(unconverged >= 4);
	glp_term_out(GLP_ON);
}

/* random_model(m, n, seed), its prep, and a first master with its dive
 * that converges and keeps its group columns in pool (r its result). */
static void first_master(tt_model *m, int n, unsigned seed, tt_prep *pp, lp_ctl *ctl,
			 tt_colpool *pool, tt_cg_result *r)
{
	random_model(m, n, seed);
	assert_int_equal(tt_prep_build(pp, m, 0), 0);
	*ctl = (lp_ctl){.deadline = lp_now() + 120};
	*r = (tt_cg_result){.keep = pool};
	tt_plan dive;
	assert_int_equal(tt_colgen(pp, ctl, NULL, lp_now() + 60, &dive, r), 0);
	assert_true(r->converged);
	assert_true(r->has_plan);
	assert_dive_plan(m, pp, &dive, r->bound);
	tt_plan_free(&dive);
}

/* A warm start: a master that starts from another's converged group
 * columns (tt_cg_result.keep, then .warm) converges at once to the same LP
 * value, where the first took many rounds. */
static void test_colgen_warm_start(void **state)
{
	(void)state;
	glp_term_out(GLP_OFF);
	int saved = 0;
	for (unsigned seed = 1; seed <= 6; seed++) {
		tt_model m;
		tt_prep pp;
		tt_colpool pool = {0};
		tt_cg_result r;
		lp_ctl ctl;
		first_master(&m, 16, seed, &pp, &ctl, &pool, &r);
		tt_cg_result r2 = {.warm = &pool, .no_cuts = true, .no_branch = true};
		ctl.deadline = lp_now() + 120;
		assert_int_equal(tt_colgen(&pp, &ctl, NULL, lp_now() + 60, NULL, &r2), 0);
		assert_true(r2.converged);
		assert_true(fabs(r2.lp - r.lp) <= 1e-6 * (1 + fabs(r.lp)));
		assert_true(r2.rounds <= 2);
		saved += pool.n > 0 && r.rounds > r2.rounds + 2;
		tt_colpool_free(&pool);
		tt_prep_free(&pp);
		tt_model_free(&m);
	}
	print_message("warm starts that saved rounds: %d of 6\n", saved);
	assert_true(saved >= 3);
	glp_term_out(GLP_ON);
}

/* Dives with a seed (the restarts' other dives): from the first master's
 * columns each seed's dive returns a plan the checker accepts, the same
 * seed gives the same plan, and the seeds do not all give the same one. */
static void test_colgen_dive_seed(void **state)
{
	(void)state;
	glp_term_out(GLP_OFF);
	int varied = 0;
	for (unsigned seed = 1; seed <= 4; seed++) {
		tt_model m;
		tt_prep pp;
		tt_colpool pool = {0};
		tt_cg_result r;
		lp_ctl ctl;
		first_master(&m, 40, seed, &pp, &ctl, &pool, &r);
		tt_plan dive;
		double cost[5];
		for (unsigned ds = 1; ds <= 5; ds++) {
			double c2[2];
			for (int rep = 0; rep < 2; rep++) {
				tt_cg_result r2 = {.warm = &pool, .dive_seed = ds <= 4 ? ds : 1, .no_cuts = true,
						   .no_branch = true};
				ctl.deadline = lp_now() + 120;
				assert_int_equal(tt_colgen(&pp, &ctl, NULL, lp_now() + 60, &dive, &r2), 0);
				assert_true(r2.has_plan);
				assert_dive_plan(&m, &pp, &dive, r.bound);
				c2[rep] = tt_plan_cost(&pp, &dive);
				tt_plan_free(&dive);
			}
			assert_true(c2[0] == c2[1]);
			cost[ds - 1] = c2[0];
		}
		assert_true(cost[4] == cost[0]);
		bool differ = false;
		for (int q = 1; q < 4; q++)
			differ |= cost[q] != cost[0];
		varied += differ;
		tt_colpool_free(&pool);
		tt_prep_free(&pp);
		tt_model_free(&m);
	}
	print_message("models whose seeded dives differ: %d of 4\n", varied);
	assert_true(varied >= 1);
	glp_term_out(GLP_ON);
}

static void count_check(void *ud)
{
	++*(int *)ud;
}

/* The convergence check (one master, on the clock): past check_at, a bound
 * phase whose bound is more than check_gap below the LP stops at once,
 * calls on_check once, and the dive still yields a plan the checker
 * accepts; with a check_gap no distance exceeds, the phase converges. */
static void test_colgen_convergence_check(void **state)
{
	(void)state;
	glp_term_out(GLP_OFF);
	int fired = 0;
	for (unsigned seed = 1; seed <= 8; seed++) {
		tt_model m;
		random_model(&m, 16, seed);
		int calls = 0;
		tt_cg_result r = {.check_at = lp_now(), .check_gap = 0, .on_check = count_check,
				  .check_ud = &calls};
		colgen_dive(&m, &r);
		assert_int_equal(calls, r.checked_out ? 1 : 0);
		if (r.checked_out) {
			fired++;
			assert_int_equal(r.rounds, 1);
			assert_false(r.converged);
		}
		calls = 0;
		tt_cg_result r2 = {.check_at = lp_now(), .check_gap = 1e9, .on_check = count_check,
				   .check_ud = &calls};
		colgen_dive(&m, &r2);
		assert_false(r2.checked_out);
		assert_int_equal(calls, 0);
		assert_true(r2.converged);
		tt_model_free(&m);
	}
	assert_true(fired >= 4);
	glp_term_out(GLP_ON);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_group_size_min),
		cmocka_unit_test(test_availability),
		cmocka_unit_test(test_different_days),
		cmocka_unit_test(test_room_capacity),
		cmocka_unit_test(test_location_closed),
		cmocka_unit_test(test_learner_travel),
		cmocka_unit_test(test_teacher_locations),
		cmocka_unit_test(test_route_max_size),
		cmocka_unit_test(test_room_capacity_soft),
		cmocka_unit_test(test_room_one_group_per_dagdeel),
		cmocka_unit_test(test_teacher_qualification),
		cmocka_unit_test(test_teacher_availability),
		cmocka_unit_test(test_teacher_max_per_day),
		cmocka_unit_test(test_teacher_contract),
		cmocka_unit_test(test_teacher_contract_minutes),
		cmocka_unit_test(test_level_spread),
		cmocka_unit_test(test_alfa_separation),
		cmocka_unit_test(test_women_only),
		cmocka_unit_test(test_childcare_places),
		cmocka_unit_test(test_childcare_hours_travel),
		cmocka_unit_test(test_school_closing),
		cmocka_unit_test(test_weekly_hours),
		cmocka_unit_test(test_module_groups),
		cmocka_unit_test(test_household_apart),
		cmocka_unit_test(test_household_running_partner),
		cmocka_unit_test(test_running_join),
		cmocka_unit_test(test_route_hours),
		cmocka_unit_test(test_pace),
		cmocka_unit_test(test_room_facilities_learner),
		cmocka_unit_test(test_room_facilities_two_sets),
		cmocka_unit_test(test_room_facilities_route_and_running),
		cmocka_unit_test(test_running_free_seats),
		cmocka_unit_test(test_determinism),
		cmocka_unit_test(test_start_answer),
		cmocka_unit_test(test_start_repair),
		cmocka_unit_test(test_start_running),
		cmocka_unit_test(test_start_families),
		cmocka_unit_test(test_start_unstaffable),
		cmocka_unit_test(test_start_keeps_staff),
		cmocka_unit_test(test_start_restaff),
		cmocka_unit_test(test_start_moved),
		cmocka_unit_test(test_start_restaffed_one_of_two),
		cmocka_unit_test(test_start_changes),
		cmocka_unit_test(test_start_no_teacher),
		cmocka_unit_test(test_start_names),
		cmocka_unit_test(test_start_merged_reason),
		cmocka_unit_test(test_time_limit),
		cmocka_unit_test(test_cancel),
		cmocka_unit_test(test_infeasible_conflicts),
		cmocka_unit_test(test_conflicts_counted),
		cmocka_unit_test(test_conflict_rule_families),
		cmocka_unit_test(test_must_place_gets_seat),
		cmocka_unit_test(test_heavy_wait_not_must),
		cmocka_unit_test(test_must_place_costly),
		cmocka_unit_test(test_greedy_leaves_must_out),
		cmocka_unit_test(test_export_lp),
		cmocka_unit_test(test_local_search),
		cmocka_unit_test(test_cost_cap),
		cmocka_unit_test(test_lns_fill_some),
		cmocka_unit_test(test_res_drop_inverse),
		cmocka_unit_test(test_pull_cell),
		cmocka_unit_test(test_pull_cell_random),
		cmocka_unit_test(test_cell_teachers),
		cmocka_unit_test(test_bound_valid),
		cmocka_unit_test(test_weekly_hours_export),
		cmocka_unit_test(test_subgradient_thread),
		cmocka_unit_test(test_subgradient_resources),
		cmocka_unit_test(test_colgen),
		cmocka_unit_test(test_colgen_clusters),
		cmocka_unit_test(test_colgen_clusters_spill),
		cmocka_unit_test(test_colgen_dive_unconverged),
		cmocka_unit_test(test_colgen_convergence_check),
		cmocka_unit_test(test_colgen_warm_start),
		cmocka_unit_test(test_colgen_tight_teachers),
		cmocka_unit_test(test_colgen_cuts),
		cmocka_unit_test(test_colgen_set_cuts),
		cmocka_unit_test(test_colgen_dive_seed),
		cmocka_unit_test(test_colgen_branch),
	};
	if (getenv("TT_TEST_FILTER"))
		cmocka_set_test_filter(getenv("TT_TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
