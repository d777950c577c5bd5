/* test_check_tt.c: the independent timetable checker on tiny hand-built
 * models: a valid plan passes with the objective computed by hand, and each
 * hard-constraint family is reported when exactly one thing is broken. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_tt.h"
#include "tt_model.h"
#include "xalloc.h"

#include "check_fixture.h"
#include "tt_fixture.h"

/* l-4 joins the running group G-old (groups[1]) instead of waiting. */
static void join_running(tt_solution *s)
{
	tt_group *g = &s->groups[1];
	assert_int_equal(g->running, 0);
	g->n_members = 1;
	g->members[0] = P4;
	s->n_unplaced = 0;
	/* 1385 - 1000 - 30 (l-4 no longer waits) + 10 (travel to L1) = 365 */
	s->objective = 365;
}

/* The answer lists G-old (groups[1]) as the request now has it. */
static void running_as_requested(tt_model *m, tt_solution *s)
{
	tt_group *g = &s->groups[1];
	assert_int_equal(g->running, 0);
	g->sessions = m->running[0].sessions;
	g->room = m->running[0].room;
	g->teacher = m->running[0].teacher;
	g->location = m->rooms[g->room].location;
}

static void dump(const tt_check_result *r)
{
	for (int i = 0; i < r->n_violations; i++)
		print_message("  violation %s: %s\n", r->violations[i].constraint,
			      r->violations[i].message);
}

static bool has_family(const tt_check_result *r, const char *fam)
{
	for (int i = 0; i < r->n_violations; i++)
		if (!strcmp(r->violations[i].constraint, fam))
			return true;
	return false;
}

/* Checks s against m; asserts the family is reported and, when only is
 * set, that it is the only family reported. */
static void expect(const tt_model *m, const tt_solution *s, const char *fam, bool only)
{
	tt_check_result r;
	assert_int_equal(tt_check(m, s, &r), 0);
	if (!has_family(&r, fam) || (only && r.n_violations == 0))
		dump(&r);
	assert_true(has_family(&r, fam));
	if (only)
		for (int i = 0; i < r.n_violations; i++)
			if (strcmp(r.violations[i].constraint, fam)) {
				dump(&r);
				fail_msg("unexpected family %s", r.violations[i].constraint);
			}
	for (int i = 0; i < r.n_violations; i++)
		assert_true(r.violations[i].message[0] != '\0');
	tt_check_free(&r);
}


/* ---- valid plans ---- */

static void valid_plan_passes(void **state)
{
	fx *f = *state;
	tt_check_result r;
	assert_int_equal(tt_check(&f->m, &f->s, &r), 0);
	dump(&r);
	assert_int_equal(r.n_violations, 0);
	assert_true(r.objective_matches);
	assert_float_equal(r.objective, 1385, 1e-9);
	assert_float_equal(r.terms.unplaced, 1000, 1e-9);
	assert_float_equal(r.terms.wait, 30, 1e-9);
	assert_float_equal(r.terms.group, 300, 1e-9);
	assert_float_equal(r.terms.spread, 0, 1e-9);
	assert_float_equal(r.terms.level, 20, 1e-9);
	assert_float_equal(r.terms.pref, 5, 1e-9);
	assert_float_equal(r.terms.travel, 30, 1e-9);
	assert_float_equal(r.terms.room_over, 0, 1e-9);
	tt_check_free(&r);
}

static void valid_join_running(void **state)
{
	fx *f = *state;
	join_running(&f->s);
	tt_check_result r;
	assert_int_equal(tt_check(&f->m, &f->s, &r), 0);
	dump(&r);
	assert_int_equal(r.n_violations, 0);
	assert_float_equal(r.objective, 365, 1e-9);
	assert_true(r.objective_matches);
	tt_check_free(&r);
}

static void spread_counts_consecutive_pairs(void **state)
{
	fx *f = *state;
	f->m.running[0].sessions = BIT(WED_AM) | BIT(FRI_AM); /* out of the way */
	running_as_requested(&f->m, &f->s);
	/* mon-am + tue-am: one pair on consecutive days (mon, tue); l-1 still has
	 * one session outside mon-am */
	f->s.groups[0].sessions = BIT(MON_AM) | BIT(TUE_AM);
	f->s.objective = 1385 + 20;
	tt_check_result r;
	assert_int_equal(tt_check(&f->m, &f->s, &r), 0);
	dump(&r);
	assert_int_equal(r.n_violations, 0);
	assert_float_equal(r.terms.spread, 20, 1e-9);
	assert_true(r.objective_matches);
	tt_check_free(&r);
	/* three sessions mon-am, mon-pm, tue-am (same day allowed): the pairs
	 * (mon-am, tue-am) and (mon-pm, tue-am) count 2; l-1 has 2 outside */
	f->m.routes[TT_ROUTE_Z].sessions = 3;
	f->m.routes[TT_ROUTE_Z].same_day_ok = true;
	f->s.groups[0].sessions = BIT(MON_AM) | BIT(MON_PM) | BIT(TUE_AM);
	f->s.objective = 1385 + 40 + 5;
	assert_int_equal(tt_check(&f->m, &f->s, &r), 0);
	dump(&r);
	assert_int_equal(r.n_violations, 0);
	assert_float_equal(r.terms.spread, 40, 1e-9);
	assert_true(r.objective_matches);
	tt_check_free(&r);
}

/* The pace term: w.pace per step between a member's pace and the group's
 * (g1 is slow; l-1 average, l-3 fast: 1 + 2 steps), running groups keep
 * their pace. */
static void pace_term_counted(void **state)
{
	fx *f = *state;
	f->m.w.pace = 10;
	f->m.learners[P1].pace = 1;
	f->m.learners[P2].pace = 0;
	f->m.learners[P3].pace = 2;
	f->s.groups[0].pace = 0;
	tt_check_result r;
	assert_int_equal(tt_check(&f->m, &f->s, &r), 0);
	assert_false(r.objective_matches);
	assert_float_equal(r.objective, 1385 + 30, 1e-9);
	assert_float_equal(r.terms.pace, 30, 1e-9);
	tt_check_free(&r);
	f->s.groups[0].pace = 1; /* average: 0 + 1 + 1 steps */
	f->s.objective = 1385 + 20;
	assert_int_equal(tt_check(&f->m, &f->s, &r), 0);
	assert_int_equal(r.n_violations, 0);
	assert_true(r.objective_matches);
	tt_check_free(&r);
	f->s.groups[0].pace = 3;
	expect(&f->m, &f->s, "group_fields", false);
	f->s.groups[0].pace = 1;
	f->m.running[0].pace = 2;
	join_running(&f->s); /* l-4 (slow) joins G-old (fast) */
	f->s.groups[1].pace = 2;
	f->s.objective = 365 + 20 + 20;
	assert_int_equal(tt_check(&f->m, &f->s, &r), 0);
	assert_int_equal(r.n_violations, 0);
	assert_true(r.objective_matches);
	tt_check_free(&r);
	f->s.groups[1].pace = 1;
	expect(&f->m, &f->s, "group_fields", true);
}

static void objective_mismatch(void **state)
{
	fx *f = *state;
	f->s.objective = 1384;
	tt_check_result r;
	assert_int_equal(tt_check(&f->m, &f->s, &r), 0);
	assert_int_equal(r.n_violations, 0);
	assert_false(r.objective_matches);
	assert_float_equal(r.objective, 1385, 1e-9);
	tt_check_free(&r);
	/* within the tolerance: 1e-6 relative */
	f->s.objective = 1385 + 1e-4;
	assert_int_equal(tt_check(&f->m, &f->s, &r), 0);
	assert_true(r.objective_matches);
	tt_check_free(&r);
}

static void infeasible_has_no_plan(void **state)
{
	fx *f = *state;
	f->m.learners[P4].must_place = true;
	char *fams[] = {"childcare", "room_capacity"};
	tt_solution s = {.status = TT_INFEASIBLE, .objective = 0, .n_conflicts = 2,
			 .conflicts = fams};
	tt_check_result r;
	assert_int_equal(tt_check(&f->m, &s, &r), 0);
	assert_int_equal(r.n_violations, 0);
	assert_true(r.objective_matches);
	tt_check_free(&r);
}

/* An infeasible answer that carries a plan has the plan checked; the
 * must-place learners it leaves out are what it says. */
static void infeasible_plan_checked(void **state)
{
	fx *f = *state;
	f->m.learners[P4].must_place = true;
	f->s.status = TT_INFEASIBLE;
	f->s.n_conflicts = 1;
	f->s.conflicts = xcalloc(1, sizeof *f->s.conflicts);
	f->s.conflicts[0] = xstrdup("group_size");
	tt_check_result r;
	assert_int_equal(tt_check(&f->m, &f->s, &r), 0);
	dump(&r);
	assert_int_equal(r.n_violations, 0);
	assert_true(r.objective_matches);
	tt_check_free(&r);
	f->s.groups[0].sessions = BIT(MON_AM) | BIT(MON_PM);
	expect(&f->m, &f->s, "sessions", true);
	f->s.objective = 1;
	assert_int_equal(tt_check(&f->m, &f->s, &r), 0);
	assert_false(r.objective_matches);
	tt_check_free(&r);	/* a plan that places every must-place learner contradicts "infeasible" */
	f->s.groups[0].sessions = BIT(MON_AM) | BIT(WED_AM);
	f->s.objective = 1385;
	f->m.learners[P4].must_place = false;
	f->m.learners[P1].must_place = true;
	expect(&f->m, &f->s, "infeasible", true);
}

/* An infeasible answer whose claims and plan are both wrong gets one list
 * of violations: the claims' entries, then the plan's, and the count of
 * those past the listed ones. */
static void infeasible_claims_and_plan_one_list(void **state)
{
	fx *f = *state;
	f->m.learners[P4].must_place = true;
	f->s.status = TT_INFEASIBLE;
	enum { N = 40 }; /* 40 unknown + 780 named twice: more than are listed */
	f->s.n_conflicts = N;
	f->s.conflicts = xcalloc(N, sizeof *f->s.conflicts);
	for (int k = 0; k < N; k++)
		f->s.conflicts[k] = xstrdup("no_such_family");
	f->s.groups[0].sessions = BIT(MON_AM) | BIT(MON_PM);
	tt_check_result r;
	assert_int_equal(tt_check(&f->m, &f->s, &r), 0);
	assert_true(has_family(&r, "infeasible"));
	assert_true(has_family(&r, "more"));
	assert_string_equal(r.violations[r.n_violations - 1].constraint, "more");
	for (int i = 0; i < r.n_violations; i++)
		assert_non_null(r.violations[i].message);
	tt_check_free(&r);
	/* fewer claims (16: no must-place learner, 5 unknown, 10 named
	 * twice): the plan's violations are listed after them */
	for (int k = 5; k < N; k++)
		free(f->s.conflicts[k]);
	f->s.n_conflicts = 5;
	f->m.learners[P4].must_place = false;
	assert_int_equal(tt_check(&f->m, &f->s, &r), 0);
	dump(&r);
	assert_true(has_family(&r, "infeasible"));
	assert_true(has_family(&r, "sessions"));
	assert_false(has_family(&r, "more"));
	assert_true(r.n_violations > 16);
	tt_check_free(&r);
}

/* The answer's terms, bound and gap, when it states them, are checked. */
static void v_claims(void **state)
{
	fx *f = *state;
	f->s.claims = true;
	f->s.terms = (tt_terms){.unplaced = 1000, .wait = 30, .group = 300, .level = 20, .pref = 5,
				.travel = 30};
	f->s.bound = 1300;
	f->s.gap = 85.0 / 1385;
	tt_check_result r;
	assert_int_equal(tt_check(&f->m, &f->s, &r), 0);
	dump(&r);
	assert_int_equal(r.n_violations, 0);
	tt_check_free(&r);
	f->s.terms.travel = 25;
	f->s.terms.pref = 10; /* the sum still matches */
	expect(&f->m, &f->s, "objective_terms", true);
	f->s.terms.travel = 30;
	f->s.terms.pref = 5;
	f->s.bound = 1400;
	f->s.gap = -15.0 / 1385;
	expect(&f->m, &f->s, "bound", true);
	f->s.bound = 1300;
	f->s.gap = 0;
	expect(&f->m, &f->s, "bound", true);
}

/* An infeasible answer needs a must-place learner, and its conflicts name
 * known families, each once. */
static void v_infeasible_claims(void **state)
{
	fx *f = *state;
	char *fams[] = {"childcare", "weather", "childcare"};
	tt_solution s = {.status = TT_INFEASIBLE, .objective = 0, .n_conflicts = 1,
			 .conflicts = fams};
	tt_check_result r;
	assert_int_equal(tt_check(&f->m, &s, &r), 0); /* nobody must be placed */
	assert_int_equal(r.n_violations, 1);
	assert_string_equal(r.violations[0].constraint, "infeasible");
	tt_check_free(&r);
	f->m.learners[P1].must_place = true;
	assert_int_equal(tt_check(&f->m, &s, &r), 0);
	assert_int_equal(r.n_violations, 0);
	tt_check_free(&r);
	s.n_conflicts = 3; /* an unknown family and one named twice */
	assert_int_equal(tt_check(&f->m, &s, &r), 0);
	assert_int_equal(r.n_violations, 2);
	assert_non_null(strstr(r.violations[0].message, "weather"));
	assert_non_null(strstr(r.violations[1].message, "twice"));
	tt_check_free(&r);
}

/* ---- one violation per family ---- */

static void v_group_size_new(void **state)
{
	fx *f = *state;
	/* l-3 leaves g1: 2 learners, Z minimum is 3 */
	f->s.groups[0].n_members = 2;
	f->s.unplaced[f->s.n_unplaced++].learner = P3;
	expect(&f->m, &f->s, "group_size", true);
}

static void v_group_size_running_full(void **state)
{
	fx *f = *state;
	f->m.running[0].n_members = 8; /* Z maximum 8; room holds 10 */
	join_running(&f->s);
	expect(&f->m, &f->s, "group_size", true);
}

static void v_group_size_running_closed(void **state)
{
	fx *f = *state;
	f->m.running[0].may_join = false;
	join_running(&f->s);
	expect(&f->m, &f->s, "group_size", true);
}

static void v_learner_twice(void **state)
{
	fx *f = *state;
	f->s.groups[0].members[3] = P4; /* l-4 in g1 and in the unplaced list */
	f->s.groups[0].n_members = 4;
	expect(&f->m, &f->s, "one_group_per_learner", true);
}

static void v_learner_in_two_groups(void **state)
{
	fx *f = *state;
	join_running(&f->s);
	f->s.groups[1].members[1] = P1; /* l-1 also joins G-old */
	f->s.groups[1].n_members = 2;
	expect(&f->m, &f->s, "one_group_per_learner", false);
}

static void v_learner_missing(void **state)
{
	fx *f = *state;
	f->s.n_unplaced = 0; /* l-4 nowhere */
	expect(&f->m, &f->s, "one_group_per_learner", true);
}

static void v_must_place(void **state)
{
	fx *f = *state;
	f->m.learners[P4].must_place = true;
	expect(&f->m, &f->s, "must_place", true);
}

/* The answer gives a running group more newcomers than its free seats. */
static void v_group_size_free_seats(void **state)
{
	fx *f = *state;
	join_running(&f->s);
	f->m.running[0].has_free_seats = true;
	f->m.running[0].free_seats = 1;
	tt_check_result r;
	assert_int_equal(tt_check(&f->m, &f->s, &r), 0);
	assert_int_equal(r.n_violations, 0);
	tt_check_free(&r);
	f->m.running[0].free_seats = 0;
	expect(&f->m, &f->s, "group_size", true);
}

/* An alfa learner joins a non-alfa running group (alfa learners may mix
 * on this route) whose teacher lacks the alfa qualification. */
static void v_teacher_qualified_joiner(void **state)
{
	fx *f = *state;
	f->m.routes[TT_ROUTE_Z].alfa_separate = false;
	f->m.learners[P4].alfa = true;
	join_running(&f->s);
	tt_check_result r;
	assert_int_equal(tt_check(&f->m, &f->s, &r), 0);
	assert_false(has_family(&r, "teacher_qualified")); /* T1 is alfa-qualified */
	tt_check_free(&r);
	f->m.running[0].teacher = T2;
	f->s.groups[1].teacher = T2; /* the answer lists the group with its teacher */
	expect(&f->m, &f->s, "teacher_qualified", true);
}

/* An answer lists every running group, joined or not. */
static void v_running_group_missing(void **state)
{
	fx *f = *state;
	f->s.n_groups = 1; /* G-old (groups[1]) left out; freed by the teardown */
	expect(&f->m, &f->s, "group_fields", true);
	f->s.n_groups = 2;
}

/* The answer's statements besides its claims of terms: the bound at most
 * the objective, optimal only within the wanted gap, its counts. */
static void v_status_bound_counts(void **state)
{
	fx *f = *state;
	f->s.bound = 1385;
	f->s.gap_wanted = 1e-4;
	tt_check_result r;
	assert_int_equal(tt_check(&f->m, &f->s, &r), 0);
	dump(&r);
	assert_int_equal(r.n_violations, 0);
	tt_check_free(&r);
	f->s.bound = 1400;
	expect(&f->m, &f->s, "bound", true);
	f->s.bound = 1300; /* gap 6 %, status optimal */
	expect(&f->m, &f->s, "status", true);
	f->s.status = TT_TIME_LIMIT;
	assert_int_equal(tt_check(&f->m, &f->s, &r), 0);
	assert_int_equal(r.n_violations, 0);
	tt_check_free(&r);
	f->s.said_counts = true;
	f->s.said_placed = 3;
	f->s.said_learners = 4;
	assert_int_equal(tt_check(&f->m, &f->s, &r), 0);
	assert_int_equal(r.n_violations, 0);
	tt_check_free(&r);
	f->s.said_placed = 4;
	expect(&f->m, &f->s, "counts", true);
}

static void v_group_fields_running(void **state)
{
	fx *f = *state;
	join_running(&f->s);
	f->s.groups[1].teacher = T2; /* a running group keeps its teacher */
	expect(&f->m, &f->s, "group_fields", true);
}

static void v_sessions_count(void **state)
{
	fx *f = *state;
	f->s.groups[0].sessions |= BIT(FRI_AM); /* 3 sessions, Z has 2 */
	f->m.learners[P1].pref = 0;
	expect(&f->m, &f->s, "sessions", true);
}

static void v_sessions_same_day(void **state)
{
	fx *f = *state;
	f->s.groups[0].sessions = BIT(MON_AM) | BIT(MON_PM);
	expect(&f->m, &f->s, "sessions", true);
}

static void v_level_spread(void **state)
{
	fx *f = *state;
	f->m.learners[P2].level = 2; /* group A0, spread 1 */
	expect(&f->m, &f->s, "level_spread", true);
}

static void v_level_route(void **state)
{
	fx *f = *state;
	f->m.learners[P2].route = TT_ROUTE_B1;
	expect(&f->m, &f->s, "level_spread", true);
}

static void v_alfa_separation(void **state)
{
	fx *f = *state;
	f->m.learners[P1].alfa = true;
	expect(&f->m, &f->s, "alfa_separation", true);
}

static void v_women_only_group(void **state)
{
	fx *f = *state;
	f->s.groups[0].women_only = true; /* l-2 is a man */
	expect(&f->m, &f->s, "women_only", true);
}

static void v_women_only_wish(void **state)
{
	fx *f = *state;
	f->m.learners[P1].women_only = true; /* g1 is not women-only */
	expect(&f->m, &f->s, "women_only", true);
}

static void v_availability(void **state)
{
	fx *f = *state;
	f->m.learners[P2].avail &= ~BIT(WED_AM);
	expect(&f->m, &f->s, "availability", true);
}

static void v_travel(void **state)
{
	fx *f = *state;
	f->m.learners[P2].travel[L1] = -1;
	f->s.objective -= 10; /* the unreachable minutes count nothing */
	expect(&f->m, &f->s, "travel", true);
}

static void v_location_closed(void **state)
{
	fx *f = *state;
	f->m.locations[L1].closed = BIT(WED_AM);
	expect(&f->m, &f->s, "location_closed", true);
}

static void v_room_location(void **state)
{
	fx *f = *state;
	f->s.groups[0].room = R2; /* R2 is at L2 */
	expect(&f->m, &f->s, "room_location", true);
}

static void v_room_available(void **state)
{
	fx *f = *state;
	f->m.rooms[R1].avail &= ~BIT(MON_AM);
	expect(&f->m, &f->s, "room_available", true);
}

static void v_room_capacity(void **state)
{
	fx *f = *state;
	f->m.rooms[R1].capacity = 2;
	expect(&f->m, &f->s, "room_capacity", true);
}

/* g1 meets mon-am + wed-am, 6 h: within 6..6, outside 6.5..any and 0..5. */
static void v_route_hours(void **state)
{
	fx *f = *state;
	tt_route *rt = &f->m.routes[TT_ROUTE_Z];
	rt->min_minutes = rt->max_minutes = 360;
	tt_check_result r;
	assert_int_equal(tt_check(&f->m, &f->s, &r), 0);
	assert_int_equal(r.n_violations, 0);
	tt_check_free(&r);
	rt->min_minutes = 390;
	rt->max_minutes = -1;
	expect(&f->m, &f->s, "route_hours", true);
	rt->min_minutes = -1;
	rt->max_minutes = 300;
	expect(&f->m, &f->s, "route_hours", true);
	assert_int_equal(tt_check(&f->m, &f->s, &r), 0);
	assert_non_null(strstr(r.violations[0].message, "meets 6 h a week; route Z allows 0 to 5 h"));
	tt_check_free(&r);
}

static void v_room_facilities_route(void **state)
{
	fx *f = *state;
	ttf_facilities(&f->m);
	f->m.routes[TT_ROUTE_Z].room_needs = 2;
	f->m.rooms[R1].facilities = 1;
	expect(&f->m, &f->s, "room_facilities", true);
	tt_check_result r;
	assert_int_equal(tt_check(&f->m, &f->s, &r), 0);
	assert_int_equal(r.n_violations, 1);
	assert_non_null(strstr(r.violations[0].message, "room R1 lacks computers, which route Z"));
	tt_check_free(&r);
	f->m.rooms[R1].facilities = 3;
	assert_int_equal(tt_check(&f->m, &f->s, &r), 0);
	assert_int_equal(r.n_violations, 0);
	tt_check_free(&r);
}

/* A learner's needs bind the groups they join, new or running, but not the
 * running group's own room otherwise. */
static void v_room_facilities_learner(void **state)
{
	fx *f = *state;
	ttf_facilities(&f->m);
	f->m.learners[P2].room_needs = 1;
	expect(&f->m, &f->s, "room_facilities", true);
	f->m.rooms[R1].facilities = 1;
	tt_check_result r;
	assert_int_equal(tt_check(&f->m, &f->s, &r), 0);
	assert_int_equal(r.n_violations, 0);
	tt_check_free(&r);
	f->m.rooms[R1].facilities = 0;
	f->m.learners[P2].room_needs = 0;
	f->m.learners[P4].room_needs = 1;
	join_running(&f->s);
	expect(&f->m, &f->s, "room_facilities", true);
}

static void soft_room_capacity_costs(void **state)
{
	fx *f = *state;
	f->m.rooms[R1].capacity = 2;
	f->m.room_capacity_soft = true;
	f->m.room_seat_penalty = 7;
	/* g1 has 3 in a room of 2: 1 seat over; G-old has 4 in R1: 2 more */
	f->s.objective = 1385 + 7 * 3;
	tt_check_result r;
	assert_int_equal(tt_check(&f->m, &f->s, &r), 0);
	dump(&r);
	assert_int_equal(r.n_violations, 0);
	assert_float_equal(r.terms.room_over, 21, 1e-9);
	assert_true(r.objective_matches);
	tt_check_free(&r);
}

static void v_room_clash(void **state)
{
	fx *f = *state;
	f->m.running[0].sessions = BIT(MON_AM) | BIT(THU_AM); /* R1 on mon-am */
	f->m.running[0].teacher = T2;
	running_as_requested(&f->m, &f->s);
	expect(&f->m, &f->s, "room_clash", true);
}

static void v_teacher_qualified(void **state)
{
	fx *f = *state;
	f->s.groups[0].teacher = T2; /* no Z qualification */
	expect(&f->m, &f->s, "teacher_qualified", true);
}

static void v_teacher_qualified_alfa(void **state)
{
	fx *f = *state;
	f->m.teachers[T1].quals = TT_QUAL_NT2 | TT_QUAL_Z;
	f->s.groups[0].alfa = true;
	for (int i = 0; i < 3; i++)
		f->m.learners[i].alfa = true;
	expect(&f->m, &f->s, "teacher_qualified", true);
}

static void v_teacher_available(void **state)
{
	fx *f = *state;
	f->m.teachers[T1].avail &= ~BIT(WED_AM);
	expect(&f->m, &f->s, "teacher_available", true);
}

static void v_teacher_location(void **state)
{
	fx *f = *state;
	f->m.teachers[T1].locations = 1u << L2;
	expect(&f->m, &f->s, "teacher_location", true);
}

static void v_teacher_clash(void **state)
{
	fx *f = *state;
	f->m.running[0].sessions = BIT(WED_AM) | BIT(FRI_AM); /* T1 on wed-am */
	f->m.running[0].room = R2;
	running_as_requested(&f->m, &f->s);
	expect(&f->m, &f->s, "teacher_clash", true);
}

static void v_teacher_load_week(void **state)
{
	fx *f = *state;
	f->m.teachers[T1].max_load = 3; /* G-old 2 + g1 2 */
	expect(&f->m, &f->s, "teacher_load", true);
}

/* Contract hours count lesson minutes: with a two-hour evening the unit is
 * an hour, and T1's four three-hour sessions (G-old and g1) take 12 hours. */
static void v_teacher_load_minutes(void **state)
{
	fx *f = *state;
	f->m.dagdelen[MON_EV].end_min = 20 * 60;
	assert_int_equal(tt_load_unit(&f->m), 60);
	f->m.teachers[T1].max_load = 12;
	tt_check_result r;
	assert_int_equal(tt_check(&f->m, &f->s, &r), 0);
	assert_false(has_family(&r, "teacher_load"));
	tt_check_free(&r);
	f->m.teachers[T1].max_load = 11;
	assert_int_equal(tt_check(&f->m, &f->s, &r), 0);
	assert_true(has_family(&r, "teacher_load"));
	bool said = false;
	for (int i = 0; i < r.n_violations; i++)
		said |= strstr(r.violations[i].message, "12.0 hours a week; contract allows 11.0") != NULL;
	assert_true(said);
	tt_check_free(&r);
}

static void v_teacher_load_day(void **state)
{
	fx *f = *state;
	f->m.running[0].sessions = BIT(MON_PM) | BIT(MON_EV); /* T1: 3 on monday */
	running_as_requested(&f->m, &f->s);
	f->m.rooms[R1].avail = ALL_DD;
	expect(&f->m, &f->s, "teacher_load", true);
}

/* A day over the limit by the running groups alone is input: reported
 * only when a new group meets that day too. */
static void teacher_day_running_only(void **state)
{
	fx *f = *state;
	f->m.teachers[T1].max_per_day = 1;
	f->m.running[0].sessions = BIT(MON_PM) | BIT(MON_EV); /* T1: 2 on monday */
	running_as_requested(&f->m, &f->s);
	f->s.groups[0].sessions = BIT(WED_AM) | BIT(FRI_AM);
	tt_check_result r;
	assert_int_equal(tt_check(&f->m, &f->s, &r), 0);
	dump(&r);
	assert_false(has_family(&r, "teacher_load"));
	tt_check_free(&r);
	f->s.groups[0].sessions = BIT(MON_AM) | BIT(WED_AM); /* and the new group too */
	expect(&f->m, &f->s, "teacher_load", true);
}

static void v_childcare_places(void **state)
{
	fx *f = *state;
	f->m.childcare[K1].places[WED_AM] = 0;
	expect(&f->m, &f->s, "childcare", true);
}

static void v_childcare_hours(void **state)
{
	fx *f = *state;
	f->m.childcare[K1].close_min[2] = 12 * 60; /* wed: lesson ends 12:00 + 10 min travel */
	expect(&f->m, &f->s, "childcare", true);
}

static void v_childcare_none(void **state)
{
	fx *f = *state;
	f->m.learners[P3].childcare = -1;
	expect(&f->m, &f->s, "childcare", true);
}

static void v_school(void **state)
{
	fx *f = *state;
	f->m.learners[P1].school_close_min = 12 * 60 + 5; /* 12:00 + 10 min > 12:05 */
	expect(&f->m, &f->s, "school", true);
}

/* g1 meets mon-am and wed-am, 2 x 3 h: 359 minutes a week are too few. */
static void v_weekly_hours(void **state)
{
	fx *f = *state;
	f->m.learners[P1].weekly_min = 359;
	expect(&f->m, &f->s, "weekly_hours", true);
}

static void weekly_hours_enough(void **state)
{
	fx *f = *state;
	f->m.learners[P1].weekly_min = 360;
	tt_check_result r;
	assert_int_equal(tt_check(&f->m, &f->s, &r), 0);
	dump(&r);
	assert_int_equal(r.n_violations, 0);
	tt_check_free(&r);
}

/* g1 meets mon-am and wed-am: P1's PVT group on Wednesday morning clashes. */
static void v_module_overlap(void **state)
{
	fx *f = *state;
	add_module(&f->m, "PVT-1", BIT(WED_AM), P1);
	expect(&f->m, &f->s, "module_overlap", true);
}

static void module_apart(void **state)
{
	fx *f = *state;
	add_module(&f->m, "PVT-1", BIT(TUE_AM) | BIT(FRI_AM), P1);
	tt_check_result r;
	assert_int_equal(tt_check(&f->m, &f->s, &r), 0);
	dump(&r);
	assert_int_equal(r.n_violations, 0);
	tt_check_free(&r);
}

static void school_closing_in_time(void **state)
{
	fx *f = *state;
	f->m.learners[P1].school_close_min = 12 * 60 + 10;
	tt_check_result r;
	assert_int_equal(tt_check(&f->m, &f->s, &r), 0);
	dump(&r);
	assert_int_equal(r.n_violations, 0);
	tt_check_free(&r);
}

/* A lesson that starts once school is out (an evening group) is not bound by it. */
static void school_after_closing_not_bound(void **state)
{
	fx *f = *state;
	f->m.learners[P1].school_close_min = 9 * 60; /* every session starts at 09:00 or later */
	tt_check_result r;
	assert_int_equal(tt_check(&f->m, &f->s, &r), 0);
	dump(&r);
	assert_int_equal(r.n_violations, 0);
	tt_check_free(&r);
	f->m.learners[P1].school_close_min = 9 * 60 + 1; /* now the 09:00 lesson is bound */
	expect(&f->m, &f->s, "school", true);
}

static void v_household(void **state)
{
	fx *f = *state;
	f->m.n_households = 1;
	f->m.learners[P1].household = 0;
	f->m.learners[P2].household = 0;
	f->m.learners[P2].partners_apart = true;
	expect(&f->m, &f->s, "household", true);
}

static void household_without_apart_is_fine(void **state)
{
	fx *f = *state;
	f->m.n_households = 1;
	f->m.learners[P1].household = 0;
	f->m.learners[P2].household = 0;
	tt_check_result r;
	assert_int_equal(tt_check(&f->m, &f->s, &r), 0);
	assert_int_equal(r.n_violations, 0);
	tt_check_free(&r);
}

static void messages_name_ids(void **state)
{
	fx *f = *state;
	f->m.rooms[R1].capacity = 2;
	tt_check_result r;
	assert_int_equal(tt_check(&f->m, &f->s, &r), 0);
	assert_int_equal(r.n_violations, 1);
	assert_string_equal(r.violations[0].message, "group g1: room R1 holds 2, group has 3");
	tt_check_free(&r);
}

static void bad_indices_do_not_crash(void **state)
{
	fx *f = *state;
	f->s.groups[0].room = 99;
	f->s.groups[0].members[0] = 77;
	tt_check_result r;
	assert_int_equal(tt_check(&f->m, &f->s, &r), 0);
	assert_true(has_family(&r, "group_fields"));
	tt_check_free(&r);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(valid_plan_passes),
		T(valid_join_running),
		T(spread_counts_consecutive_pairs),
		T(objective_mismatch),
		T(pace_term_counted),
		T(infeasible_has_no_plan),
	T(infeasible_plan_checked),
	T(infeasible_claims_and_plan_one_list),
	T(v_claims),
	T(teacher_day_running_only),
	T(v_infeasible_claims),
		T(v_group_size_new),
		T(v_group_size_running_full),
		T(v_group_size_running_closed),
		T(v_learner_twice),
		T(v_learner_in_two_groups),
		T(v_learner_missing),
		T(v_must_place),
		T(v_group_fields_running),
		T(v_running_group_missing),
		T(v_status_bound_counts),
	T(v_teacher_qualified_joiner),
	T(v_group_size_free_seats),
		T(v_sessions_count),
		T(v_sessions_same_day),
		T(v_level_spread),
		T(v_level_route),
		T(v_alfa_separation),
		T(v_women_only_group),
		T(v_women_only_wish),
		T(v_availability),
		T(v_travel),
		T(v_location_closed),
		T(v_room_location),
		T(v_room_available),
		T(v_room_capacity),
		T(v_room_facilities_route),
		T(v_route_hours),
		T(v_room_facilities_learner),
		T(soft_room_capacity_costs),
		T(v_room_clash),
		T(v_teacher_qualified),
		T(v_teacher_qualified_alfa),
		T(v_teacher_available),
		T(v_teacher_location),
		T(v_teacher_clash),
		T(v_teacher_load_week),
	T(v_teacher_load_minutes),
		T(v_teacher_load_day),
		T(v_childcare_places),
		T(v_childcare_hours),
		T(v_childcare_none),
		T(v_school),
		T(school_closing_in_time),
		T(v_weekly_hours),
		T(v_module_overlap),
		T(module_apart),
		T(weekly_hours_enough),
		T(school_after_closing_not_bound),
		T(v_household),
		T(household_without_apart_is_fine),
		T(messages_name_ids),
		T(bad_indices_do_not_crash),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
