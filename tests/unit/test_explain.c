/* test_explain.c: reasons for unplaced learners on tiny hand-built models:
 * one test per reason code, asserting the code and that the text names the
 * constraint with its dagdeel, location or provider. */
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


/* Explains the plan; asserts l-4 (the only unplaced learner) got a reason
 * with code and every needle in its text; returns that text. */
static const char *expect_reason(fx *f, int code, const char *needle1, const char *needle2)
{
	tt_explain(&f->m, &f->s);
	assert_int_equal(f->s.n_unplaced, 1);
	const tt_unplaced *u = &f->s.unplaced[0];
	assert_int_equal(u->learner, P4);
	for (int r = 0; r < u->n_reasons; r++)
		print_message("  reason %d: %s\n", u->reasons[r].code, u->reasons[r].text);
	for (int r = 0; r < u->n_reasons; r++) {
		if (u->reasons[r].code != code)
			continue;
		if (needle1)
			assert_non_null(strstr(u->reasons[r].text, needle1));
		if (needle2)
			assert_non_null(strstr(u->reasons[r].text, needle2));
		return u->reasons[r].text;
	}
	fail_msg("no reason with code %d", code);
	return NULL;
}

static void r_no_pattern(void **state)
{
	fx *f = *state;
	f->m.learners[P4].avail = BIT(MON_PM) | BIT(MON_EV); /* Monday only; Z needs 2 days */
	expect_reason(f, TT_R_NO_PATTERN, "no set of 2 dagdelen on different days",
		      "Mon afternoon, Mon evening");
	assert_int_equal(f->s.unplaced[0].n_reasons, 1);
}

/* A route of more sessions than the week has days: the route is named,
 * not the learner's availability. */
static void r_route_longer_than_week(void **state)
{
	fx *f = *state;
	f->m.routes[TT_ROUTE_Z].sessions = 6;
	f->m.running[0].route = TT_ROUTE_B1; /* no running group of hers */
	expect_reason(f, TT_R_NO_PATTERN, "route Z meets 6 dagdelen a week on different days",
		      "(routes.Z.sessions)");
	/* a running Z group she may join: not the route, but what keeps her
	 * from that group (its seats) */
	f->m.running[0].route = TT_ROUTE_Z;
	f->m.running[0].has_free_seats = true;
	f->m.running[0].free_seats = 0;
	tt_explain(&f->m, &f->s);
	for (int r = 0; r < f->s.unplaced[0].n_reasons; r++)
		assert_null(strstr(f->s.unplaced[0].reasons[r].text, "routes.Z.sessions"));
	expect_reason(f, TT_R_RUNNING_JOIN, "running group G-old", "free_seats 0");
	/* one she cannot attend (not available on Thursday morning): the route */
	f->m.running[0].has_free_seats = false;
	f->m.learners[P4].avail &= ~BIT(THU_AM);
	expect_reason(f, TT_R_NO_PATTERN, "route Z meets 6 dagdelen", "(routes.Z.sessions)");
}

/* Two dagdelen in one part of a day (a morning split in two) are told
 * apart by their start times, not both called "Mon morning". */
static void r_dagdeel_names_shared_part(void **state)
{
	fx *f = *state;
	f->m.dagdelen[MON_PM].start_min = 10 * 60 + 30; /* a second Monday morning */
	f->m.learners[P4].avail = BIT(MON_PM) | BIT(MON_AM) | BIT(MON_EV);
	const char *t = expect_reason(f, TT_R_NO_PATTERN, "Mon 09:00", "Mon 10:30");
	assert_non_null(strstr(t, "Mon evening"));
	assert_null(strstr(t, "morning"));
}

static void r_no_pattern_same_day_allowed(void **state)
{
	fx *f = *state;
	f->m.routes[TT_ROUTE_Z].same_day_ok = true;
	f->m.learners[P4].avail = BIT(MON_EV);
	expect_reason(f, TT_R_NO_PATTERN, "no set of 2 dagdelen", "Mon evening");
}

static void r_no_location_unreachable(void **state)
{
	fx *f = *state;
	f->m.learners[P4].travel[L1] = -1;
	f->m.learners[P4].travel[L2] = -1;
	expect_reason(f, TT_R_NO_LOCATION, "location", NULL);
}

static void r_no_location_closed(void **state)
{
	fx *f = *state;
	f->m.learners[P4].travel[L2] = -1;
	f->m.locations[L1].closed = ALL_DD & ~BIT(FRI_AM); /* open Friday morning only */
	expect_reason(f, TT_R_NO_LOCATION, "L1", "closed");
}

static void r_childcare_places(void **state)
{
	fx *f = *state;
	tt_learner *l = &f->m.learners[P4];
	l->young_children = 1;
	l->childcare = K1;
	/* one place on mon-am and wed-am, taken by l-3 of g1; none elsewhere;
	 * K1 cannot reach L2 */
	for (int t = 0; t < N_DD; t++)
		f->m.childcare[K1].places[t] = t == MON_AM || t == WED_AM ? 1 : 0;
	const char *txt = expect_reason(f, TT_R_CHILDCARE, NULL, NULL);
	assert_non_null(strstr(txt, "no childcare place on Mon morning at location L1 "
				    "(provider K1 has 0 free)"));
	/* two children need two places: one free is not enough, and says so */
	l->young_children = 2;
	for (int t = 0; t < N_DD; t++)
		f->m.childcare[K1].places[t] = t == MON_AM || t == WED_AM ? 2 : 0;
	txt = expect_reason(f, TT_R_CHILDCARE, NULL, NULL);
	assert_non_null(strstr(txt, "no childcare places on Mon morning at location L1 for 2 "
				    "children (provider K1 has 1 free)"));
}

static void r_childcare_hours(void **state)
{
	fx *f = *state;
	tt_learner *l = &f->m.learners[P4];
	l->young_children = 1;
	l->childcare = K1;
	l->travel[L2] = -1;
	l->avail = BIT(MON_PM) | BIT(WED_AM);
	f->m.childcare[K1].close_min[0] = 15 * 60; /* Mon: closes before 16:00 + 10 min */
	expect_reason(f, TT_R_CHILDCARE, "Mon afternoon at location L1", "provider K1 is open 07:30-15:00");
}

/* Every dagdeel is 3 h and a Z group meets twice: 5 h a week is too few. */
static void r_weekly_hours(void **state)
{
	fx *f = *state;
	f->m.learners[P4].weekly_min = 300;
	const char *txt = expect_reason(f, TT_R_NO_PATTERN, "can take 5 h of lessons a week",
					"a Z group meets 2 dagdelen, at least 6 h");
	assert_non_null(txt);
	assert_int_equal(f->s.unplaced[0].n_reasons, 1);
}

/* P4's PVT group takes every morning: Monday afternoon and evening alone
 * cannot hold a Z group (two sessions on different days). */
static void r_module_groups(void **state)
{
	fx *f = *state;
	add_module(&f->m, "PVT-1",
		   BIT(MON_AM) | BIT(TUE_AM) | BIT(WED_AM) | BIT(THU_AM) | BIT(FRI_AM), P4);
	const char *txt = expect_reason(f, TT_R_NO_PATTERN, "PVT group PVT-1 (", "leave no set of 2");
	assert_non_null(strstr(txt, "Tue morning"));
}

static void r_childcare_no_provider(void **state)
{
	fx *f = *state;
	f->m.learners[P4].young_children = 2;
	expect_reason(f, TT_R_CHILDCARE, "no childcare provider is confirmed", NULL);
	assert_int_equal(f->s.unplaced[0].n_reasons, 1);
}

static void r_school(void **state)
{
	fx *f = *state;
	f->m.learners[P4].school_close_min = 11 * 60; /* every lesson ends 12:00 or later */
	expect_reason(f, TT_R_SCHOOL, "school closing (11:00)", "Mon morning at location L1");
}

static void r_household(void **state)
{
	fx *f = *state;
	f->m.n_households = 1;
	f->m.learners[P1].household = 0;
	f->m.learners[P4].household = 0;
	f->m.learners[P4].partners_apart = true;
	f->m.learners[P4].avail = BIT(MON_AM) | BIT(WED_AM); /* l-1 of g1 holds both */
	expect_reason(f, TT_R_HOUSEHOLD, "partner l-1", "Mon morning, Wed morning");
}

/* The partner's dagdelen leave l-4 a pattern (tue-am + fri-am), but the
 * learners she could form a group with come only when the partner does:
 * the household is the reason, not the group size. */
static void r_household_takes_the_group(void **state)
{
	fx *f = *state;
	f->m.running[0].may_join = false;
	f->m.n_households = 1;
	f->m.learners[P3].household = 0;
	f->m.learners[P4].household = 0;
	f->m.learners[P4].partners_apart = true;
	f->m.learners[P4].avail = BIT(MON_AM) | BIT(TUE_AM) | BIT(WED_AM) | BIT(FRI_AM);
	f->m.learners[P1].avail = BIT(MON_AM) | BIT(WED_AM);
	f->m.learners[P2].avail = BIT(MON_AM) | BIT(WED_AM);
	expect_reason(f, TT_R_HOUSEHOLD, "partner l-3", "no Z group can form");
}

/* A partner kept apart in a running group takes Tuesday and Thursday
 * morning from l-4 (alfa: nobody to group with either): besides the group
 * size, the answer names the running group where the partner is. */
static void r_household_running_partner(void **state)
{
	fx *f = *state;
	f->m.learners[P4].alfa = true;
	f->m.n_households = 1;
	f->m.learners[P4].household = 0;
	f->m.learners[P4].partners_apart = true;
	f->m.running[0].households = xcalloc(1, sizeof(int));
	f->m.running[0].n_households = 1;
	expect_reason(f, TT_R_GROUP_SIZE, "alfa (route Z)", "minimum group size 3");
	expect_reason(f, TT_R_HOUSEHOLD,
		      "a partner (household kept apart) is in running group G-old (Tue morning, "
		      "Thu morning)",
		      NULL);
	/* with only Monday morning left besides, no set of dagdelen at all:
	 * the household is the reason itself */
	f->m.learners[P4].avail = BIT(MON_AM) | BIT(TUE_AM) | BIT(THU_AM);
	expect_reason(f, TT_R_HOUSEHOLD,
		      "a partner (household kept apart) is in running group G-old (Tue morning, "
		      "Thu morning): the dagdelen left leave no set of 2 dagdelen on different days",
		      NULL);
}

static void r_group_size(void **state)
{
	fx *f = *state;
	/* l-4 is alfa: nobody else is, and G-old is not an alfa group */
	f->m.learners[P4].alfa = true;
	expect_reason(f, TT_R_GROUP_SIZE, "no other learner at level A0-A1 alfa (route Z)",
		      "minimum group size 3");
	/* T1 is alfa-qualified: the group size is the only reason */
	for (int r = 0; r < f->s.unplaced[0].n_reasons; r++)
		assert_int_not_equal(f->s.unplaced[0].reasons[r].code, TT_R_TEACHER);
	/* no teacher of the request could teach her group: said too */
	for (int t = 0; t < f->m.n_teachers; t++)
		f->m.teachers[t].quals &= ~TT_QUAL_ALFA;
	expect_reason(f, TT_R_GROUP_SIZE, "no other learner", NULL);
	expect_reason(f, TT_R_TEACHER, "no teacher in the request is alfa-qualified", NULL);
}

static void r_group_size_counts(void **state)
{
	fx *f = *state;
	f->m.learners[P4].alfa = true;
	f->m.learners[P1].alfa = true; /* one alfa partner, available all week */
	f->m.learners[P1].avail = BIT(TUE_AM) | BIT(FRI_AM);
	expect_reason(f, TT_R_GROUP_SIZE,
		      "only 2 learners at level A0-A1 alfa (route Z), this one included, share a "
		      "set of 2 dagdelen (the most on Tue morning, Fri morning): minimum group "
		      "size 3",
		      NULL);
}

static void r_room(void **state)
{
	fx *f = *state;
	f->m.running[0].may_join = false;
	f->m.learners[P4].travel[L2] = -1;
	/* R1 is open only when g1 or G-old holds it */
	f->m.rooms[R1].avail = BIT(MON_AM) | BIT(WED_AM) | BIT(TUE_AM) | BIT(THU_AM);
	expect_reason(f, TT_R_ROOM,
		      "no room seating the minimum group size of 3 is free on Mon morning at "
		      "location L1",
		      NULL);
	assert_int_equal(f->s.unplaced[0].n_reasons, 1);
}

static void r_room_too_small(void **state)
{
	fx *f = *state;
	f->m.running[0].may_join = false;
	f->m.learners[P4].travel[L2] = -1;
	f->m.rooms[R1].capacity = 2;
	expect_reason(f, TT_R_ROOM, "location L1", "minimum group size of 3");
}

static void r_teacher(void **state)
{
	fx *f = *state;
	f->m.running[0].may_join = false;
	/* T1 (the only Z teacher) is free only when it already teaches */
	f->m.teachers[T1].avail = BIT(MON_AM) | BIT(WED_AM) | BIT(TUE_AM) | BIT(THU_AM);
	expect_reason(f, TT_R_TEACHER, "no Z-qualified teacher free on Mon morning at location L1",
		      NULL);
	assert_int_equal(f->s.unplaced[0].n_reasons, 1);
}

static void r_teacher_alfa(void **state)
{
	fx *f = *state;
	f->m.running[0].may_join = false;
	f->m.teachers[T1].quals = TT_QUAL_NT2 | TT_QUAL_Z;
	/* l-4 and two others alfa: enough for a group, no alfa teacher */
	f->m.learners[P4].alfa = true;
	f->m.learners[P1].alfa = true;
	f->m.learners[P2].alfa = true;
	expect_reason(f, TT_R_TEACHER, "no teacher in the request is alfa-qualified", NULL);
}

/* The only Z teacher teaches at L2 only, which l-4 cannot reach. */
static void r_teacher_locations(void **state)
{
	fx *f = *state;
	f->m.running[0].may_join = false;
	f->m.teachers[T1].locations = 1u << L2;
	f->m.learners[P4].travel[L2] = -1;
	expect_reason(f, TT_R_TEACHER, "no Z-qualified teacher teaches at a location",
		      "teachers' locations");
}

/* Sessions may share a day, but T1 (busy with g1 on Monday morning) may
 * teach one more dagdeel that Monday: the day maximum is the reason. */
static void r_teacher_per_day(void **state)
{
	fx *f = *state;
	f->m.running[0].may_join = false;
	f->m.routes[TT_ROUTE_Z].same_day_ok = true;
	f->m.learners[P4].avail = f->m.learners[P2].avail = BIT(MON_PM) | BIT(MON_EV);
	f->m.learners[P4].level = 1;
	expect_reason(f, TT_R_TEACHER, "max_per_day", "Mon afternoon, Mon evening");
}

/* A women-only wish: the men who share her dagdelen do not count, and the
 * reason says why. */
static void r_group_size_women_only(void **state)
{
	fx *f = *state;
	f->m.running[0].may_join = false;
	f->m.learners[P4].women_only = true;
	for (int i = 0; i < 3; i++)
		f->m.learners[i].gender = TT_GENDER_M;
	expect_reason(f, TT_R_GROUP_SIZE, "women-only group", "this learner's wish");
}

static void r_optimised(void **state)
{
	fx *f = *state;
	/* l-4 fits G-old (tue-am, thu-am, 4 of 8): nothing forbids placing her */
	expect_reason(f, TT_R_OPTIMISED, "running group G-old has a seat",
		      "unplaced 1000 + wait 30 (3 weeks)");
}

/* G-old meets 9 h a week and l-4 takes at most 6: it is no seat for her
 * (a new group of 6 h would be), so what holds her is not "a seat". */
static void r_running_weekly_hours(void **state)
{
	fx *f = *state;
	f->m.running[0].sessions |= BIT(FRI_AM);
	f->m.learners[P4].weekly_min = 6 * 60;
	tt_explain(&f->m, &f->s);
	const tt_unplaced *u = &f->s.unplaced[0];
	assert_true(u->n_reasons > 0);
	for (int r = 0; r < u->n_reasons; r++) {
		print_message("  reason %d: %s\n", u->reasons[r].code, u->reasons[r].text);
		assert_int_not_equal(u->reasons[r].code, TT_R_OPTIMISED);
	}
}

/* An alfa learner may join a group that is not alfa only with an
 * alfa-qualified teacher: G-old's T1 is not, and no teacher is. */
static void r_running_alfa_teacher(void **state)
{
	fx *f = *state;
	f->m.routes[TT_ROUTE_Z].alfa_separate = false;
	f->m.learners[P4].alfa = true;
	f->m.teachers[T1].quals = TT_QUAL_NT2 | TT_QUAL_Z;
	f->m.teachers[T2].quals = TT_QUAL_NT2 | TT_QUAL_Z;
	expect_reason(f, TT_R_TEACHER, "alfa-qualified", NULL);
}

/* A teacher free on the dagdelen but short of contract hours: with a 2 h
 * Monday evening the load unit is an hour; T1 is past its 10 h (G-old and
 * g1), T2 has 4 h and the shortest pattern l-4 could meet is 5 h. */
static void r_teacher_contract(void **state)
{
	fx *f = *state;
	f->m.running[0].may_join = false;
	f->m.dagdelen[MON_EV].end_min = 20 * 60;
	f->m.teachers[T2].quals |= TT_QUAL_Z;
	f->m.teachers[T2].max_load = 4;
	expect_reason(f, TT_R_TEACHER, "too few contract hours left for a Z group", NULL);
	f->m.teachers[T2].max_load = 5; /* mon-ev + fri-am fits */
	tt_explain(&f->m, &f->s);
	for (int r = 0; r < f->s.unplaced[0].n_reasons; r++)
		assert_int_not_equal(f->s.unplaced[0].reasons[r].code, TT_R_TEACHER);
}

/* l-4 can come only when G-old meets, and nobody else can then: no new
 * group, and each rule that closes G-old to her is named. */
static void r_running_closed(void **state)
{
	fx *f = *state;
	tt_mask when = BIT(TUE_AM) | BIT(THU_AM);
	f->m.learners[P4].avail = when;
	for (int i = 0; i < 3; i++)
		f->m.learners[i].avail &= ~when;
	tt_running *g = &f->m.running[0];
	g->may_join = false;
	expect_reason(f, TT_R_RUNNING_JOIN, "running group G-old", "first 4 weeks");
	g->may_join = true;
	g->n_members = 8;
	expect_reason(f, TT_R_RUNNING_JOIN, "has 8 learners", "route maximum is 8");
	g->n_members = 4;
	g->has_free_seats = true;
	expect_reason(f, TT_R_RUNNING_JOIN, "takes no newcomers (free_seats 0)", NULL);
	g->has_free_seats = false;
	f->m.rooms[R1].capacity = 4;
	expect_reason(f, TT_R_RUNNING_JOIN, "has 4 learners and its room R1 seats 4", NULL);
	f->m.rooms[R1].capacity = 10;
	f->m.routes[TT_ROUTE_Z].alfa_separate = false;
	f->m.learners[P4].alfa = true;
	f->m.teachers[T1].quals = TT_QUAL_NT2 | TT_QUAL_Z;
	expect_reason(f, TT_R_RUNNING_JOIN, "teacher T1 is not alfa-qualified", NULL);
}

static void r_optimised_new_group(void **state)
{
	fx *f = *state;
	f->m.running[0].may_join = false;
	/* g1 (3 of 8) has a seat she may take */
	expect_reason(f, TT_R_OPTIMISED, "new group g1 has a seat", NULL);
	/* with g1 full (R1 seats 3): the four who could meet are too few for
	 * a second group, and l-3's childcare cannot reach L2 (R2 seats 10),
	 * so g1's room is what keeps l-4 out, not a free room or teacher */
	f->m.rooms[R1].capacity = 3;
	expect_reason(f, TT_R_ROOM,
		      "group g1 (Mon morning, Wed morning at location L1) is full: its room R1 "
		      "seats 3; the 4 learners who could meet with this one",
		      "minimum group size 3");
	/* the route maximum, not the room, fills it */
	f->m.rooms[R1].capacity = 10;
	f->m.routes[TT_ROUTE_Z].max_size = 3;
	expect_reason(f, TT_R_GROUP_SIZE, "group g1 (Mon morning, Wed morning at location L1) "
					  "is full at the route maximum of 3",
		      NULL);
	/* with groups of 2 the four could form a second group: not this */
	f->m.routes[TT_ROUTE_Z].min_size = 2;
	tt_explain(&f->m, &f->s);
	for (int r = 0; r < f->s.unplaced[0].n_reasons; r++)
		assert_null(strstr(f->s.unplaced[0].reasons[r].text, "is full"));
}

/* A learner of another level band: g1 (A0) is full, but l-4 (A1) could
 * meet l-5 and l-6 (A2) in a group of their own; T1's contract, not g1's
 * room, keeps them out. The full-group reason counts learners of every
 * band within the spread, so it is not given. */
static void r_full_group_other_band(void **state)
{
	fx *f = *state;
	f->m.running[0].may_join = false;
	f->m.rooms[R1].capacity = 3;
	f->m.learners[P2].level = 0;
	f->m.learners[P4].level = 1;
	for (int k = 0; k < 2; k++) {
		int j = f->m.n_learners++;
		f->m.learners = xrealloc(f->m.learners, (size_t)f->m.n_learners * sizeof *f->m.learners);
		tt_learner *o = &f->m.learners[j];
		*o = f->m.learners[P2];
		o->id = xasprintf("l-%d", j + 1);
		o->level = 2;
		o->pref = 0;
		o->travel = xcalloc(2, sizeof(int));
		o->travel[L1] = 10;
		o->travel[L2] = 30;
		f->s.unplaced[f->s.n_unplaced++].learner = j;
	}
	f->m.teachers[T1].max_load = 4; /* g1 and G-old: no hours left */
	tt_explain(&f->m, &f->s);
	const tt_unplaced *u = &f->s.unplaced[0];
	assert_int_equal(u->learner, P4);
	bool teacher = false;
	for (int r = 0; r < u->n_reasons; r++) {
		print_message("  reason %d: %s\n", u->reasons[r].code, u->reasons[r].text);
		assert_null(strstr(u->reasons[r].text, "is full"));
		teacher |= u->reasons[r].code == TT_R_TEACHER;
	}
	assert_true(teacher);
}

/* g1 has a seat; one rule keeps l-4 out of it: her partner is in it, or
 * the childcare places of its dagdelen are taken. */
static void r_plan_seat_held(void **state)
{
	fx *f = *state;
	f->m.running[0].may_join = false;
	f->m.n_households = 1;
	f->m.learners[P1].household = f->m.learners[P4].household = 0;
	f->m.learners[P4].partners_apart = true;
	expect_reason(f, TT_R_HOUSEHOLD, "new group g1 has a seat, but partner l-1",
		      "Mon morning, Wed morning");
	f->m.learners[P4].partners_apart = false;
	f->m.learners[P4].young_children = 1;
	f->m.learners[P4].childcare = K1;
	f->m.childcare[K1].places[MON_AM] = 1; /* l-3's child has it */
	expect_reason(f, TT_R_CHILDCARE, "new group g1 has a seat, but no childcare place on Mon "
					 "morning",
		      NULL);
}

static void old_reasons_are_replaced(void **state)
{
	fx *f = *state;
	tt_unplaced *u = &f->s.unplaced[0];
	u->reasons = xcalloc(2, sizeof *u->reasons);
	u->n_reasons = 2;
	u->reasons[0] = (tt_reason){.code = TT_R_ROOM, .text = xstrdup("stale")};
	u->reasons[1] = (tt_reason){.code = TT_R_ROOM, .text = xstrdup("stale too")};
	tt_explain(&f->m, &f->s);
	tt_explain(&f->m, &f->s);
	assert_int_equal(u->n_reasons, 1);
	assert_int_equal(u->reasons[0].code, TT_R_OPTIMISED);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(r_no_pattern),
		T(r_dagdeel_names_shared_part),
		T(r_no_pattern_same_day_allowed),
		T(r_no_location_unreachable),
		T(r_no_location_closed),
		T(r_childcare_places),
		T(r_childcare_hours),
		T(r_childcare_no_provider),
		T(r_weekly_hours),
		T(r_module_groups),
		T(r_school),
		T(r_household),
		T(r_household_takes_the_group),
		T(r_household_running_partner),
		T(r_route_longer_than_week),
		T(r_group_size),
		T(r_group_size_counts),
		T(r_room),
		T(r_room_too_small),
		T(r_teacher),
		T(r_teacher_alfa),
		T(r_teacher_locations),
		T(r_teacher_per_day),
		T(r_group_size_women_only),
		T(r_optimised),
		T(r_running_closed),
		T(r_optimised_new_group),
		T(r_full_group_other_band),
		T(r_plan_seat_held),
		T(r_running_weekly_hours),
		T(r_running_alfa_teacher),
		T(r_teacher_contract),
		T(old_reasons_are_replaced),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
