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

/* ---- builder: a week of 7 dagdelen, 2 locations, 2 rooms, 2 teachers,
 * one childcare provider, 4 Z-route learners, one running group ---- */

enum { MON_AM, MON_PM, TUE_AM, WED_AM, THU_AM, FRI_AM, MON_EV, N_DD };
enum { L1, L2 };
enum { R1, R2 };
enum { T1, T2 };
enum { K1 };
enum { P1, P2, P3, P4 }; /* learners l-1..l-4 */

#define BIT(t) ((tt_mask)1 << (t))
#define ALL_DD (BIT(N_DD) - 1)

static void set_dagdeel(tt_dagdeel *d, const char *id, int day, int start, int end)
{
	d->id = xstrdup(id);
	d->day = day;
	d->start_min = start;
	d->end_min = end;
}

static void base_model(tt_model *m)
{
	memset(m, 0, sizeof *m);
	tt_model_defaults(m);
	m->n_dagdelen = N_DD;
	m->dagdelen = xcalloc(N_DD, sizeof *m->dagdelen);
	set_dagdeel(&m->dagdelen[MON_AM], "mon-am", 0, 9 * 60, 12 * 60);
	set_dagdeel(&m->dagdelen[MON_PM], "mon-pm", 0, 13 * 60, 16 * 60);
	set_dagdeel(&m->dagdelen[TUE_AM], "tue-am", 1, 9 * 60, 12 * 60);
	set_dagdeel(&m->dagdelen[WED_AM], "wed-am", 2, 9 * 60, 12 * 60);
	set_dagdeel(&m->dagdelen[THU_AM], "thu-am", 3, 9 * 60, 12 * 60);
	set_dagdeel(&m->dagdelen[FRI_AM], "fri-am", 4, 9 * 60, 12 * 60);
	set_dagdeel(&m->dagdelen[MON_EV], "mon-ev", 0, 18 * 60, 21 * 60);

	m->n_locations = 2;
	m->locations = xcalloc(2, sizeof *m->locations);
	m->locations[L1] = (tt_location){.id = xstrdup("L1"), .name = xstrdup("De Brug")};
	m->locations[L2] = (tt_location){.id = xstrdup("L2"), .name = xstrdup("Het Plein")};

	m->n_rooms = 2;
	m->rooms = xcalloc(2, sizeof *m->rooms);
	m->rooms[R1] = (tt_room){.id = xstrdup("R1"), .name = xstrdup("Lokaal 1"), .location = L1,
				 .capacity = 10, .avail = ALL_DD};
	m->rooms[R2] = (tt_room){.id = xstrdup("R2"), .name = xstrdup("Lokaal 2"), .location = L2,
				 .capacity = 10, .avail = ALL_DD};

	m->n_teachers = 2;
	m->teachers = xcalloc(2, sizeof *m->teachers);
	m->teachers[T1] = (tt_teacher){.id = xstrdup("T1"), .name = xstrdup("Docent A"),
				       .quals = TT_QUAL_NT2 | TT_QUAL_Z | TT_QUAL_ALFA,
				       .max_dagdelen = 10, .max_per_day = 2, .avail = ALL_DD,
				       .locations = 3};
	m->teachers[T2] = (tt_teacher){.id = xstrdup("T2"), .name = xstrdup("Docent B"),
				       .quals = TT_QUAL_NT2, .max_dagdelen = 10, .max_per_day = 2,
				       .avail = ALL_DD, .locations = 3};

	m->n_childcare = 1;
	m->childcare = xcalloc(1, sizeof *m->childcare);
	tt_childcare *k = &m->childcare[K1];
	k->id = xstrdup("K1");
	k->name = xstrdup("KDV Het Anker");
	k->places = xcalloc(N_DD, sizeof(int));
	for (int t = 0; t < N_DD; t++)
		k->places[t] = 2;
	for (int d = 0; d < 7; d++) {
		k->open_min[d] = d < 5 ? 7 * 60 + 30 : -1;
		k->close_min[d] = d < 5 ? 18 * 60 : -1;
	}
	k->travel = xcalloc(2, sizeof(int));
	k->travel[L1] = 10;
	k->travel[L2] = -1;

	m->n_learners = 4;
	m->learners = xcalloc(4, sizeof *m->learners);
	for (int i = 0; i < 4; i++) {
		tt_learner *l = &m->learners[i];
		char id[16];
		snprintf(id, sizeof id, "l-%d", i + 1);
		l->id = xstrdup(id);
		l->route = TT_ROUTE_Z;
		l->level = 0;
		l->gender = TT_GENDER_F;
		l->avail = ALL_DD;
		l->travel = xcalloc(2, sizeof(int));
		l->travel[L1] = 10;
		l->travel[L2] = 30;
		l->household = l->childcare = l->school_close_min = l->mother_tongue = -1;
	}
	m->learners[P1].pref = BIT(MON_AM);
	m->learners[P2].level = 1;
	m->learners[P2].gender = TT_GENDER_M;
	m->learners[P3].young_children = 1;
	m->learners[P3].childcare = K1;
	m->learners[P4].weeks_waiting = 3;

	m->n_running = 1;
	m->running = xcalloc(1, sizeof *m->running);
	m->running[0] = (tt_running){.id = xstrdup("G-old"), .route = TT_ROUTE_Z, .level = 0,
				     .sessions = BIT(TUE_AM) | BIT(THU_AM), .room = R1,
				     .teacher = T1, .n_members = 4, .may_join = true};
}

/* g1: Z A0 on mon-am + wed-am at L1 in R1 with T1: l-1, l-2, l-3; l-4 waits. */
static void base_plan(tt_solution *s)
{
	memset(s, 0, sizeof *s);
	s->status = TT_OPTIMAL;
	s->n_groups = 1;
	s->groups = xcalloc(2, sizeof *s->groups);
	tt_group *g = &s->groups[0];
	*g = (tt_group){.running = -1, .route = TT_ROUTE_Z, .level = 0,
			.sessions = BIT(MON_AM) | BIT(WED_AM), .location = L1, .room = R1,
			.teacher = T1, .n_members = 3};
	g->members = xcalloc(8, sizeof(int));
	g->members[0] = P1;
	g->members[1] = P2;
	g->members[2] = P3;
	s->n_unplaced = 1;
	s->unplaced = xcalloc(4, sizeof *s->unplaced);
	s->unplaced[0].learner = P4;
	/* by hand:
	 *   unplaced  1000 x 1 (l-4)                                   = 1000
	 *   wait        10 x 3 weeks (l-4)                             =   30
	 *   group      300 x 1 new group                               =  300
	 *   spread      20 x 0 (mon and wed are not consecutive days)  =    0
	 *   level       20 x (0 + 1 + 0) (l-2 is A1 in an A0 group)    =   20
	 *   pref         5 x 1 (l-1 prefers mon-am only: wed-am out)   =    5
	 *   travel       1 x (10 + 10 + 10) minutes to L1              =   30
	 *   total                                                        1385 */
	s->objective = 1385;
}

typedef struct fx {
	tt_model m;
	tt_solution s;
} fx;

static int setup(void **state)
{
	fx *f = xcalloc(1, sizeof *f);
	base_model(&f->m);
	base_plan(&f->s);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	tt_solution_free(&f->s);
	tt_model_free(&f->m);
	free(f);
	return 0;
}

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

static void r_group_size(void **state)
{
	fx *f = *state;
	/* l-4 is alfa: nobody else is, and G-old is not an alfa group */
	f->m.learners[P4].alfa = true;
	expect_reason(f, TT_R_GROUP_SIZE, "no other learner at level A0-A1 alfa (route Z)",
		      "minimum group size 3");
}

static void r_group_size_counts(void **state)
{
	fx *f = *state;
	f->m.learners[P4].alfa = true;
	f->m.learners[P1].alfa = true; /* one alfa partner, available all week */
	f->m.learners[P1].avail = BIT(TUE_AM) | BIT(FRI_AM);
	expect_reason(f, TT_R_GROUP_SIZE,
		      "only 2 learners at level A0-A1 alfa (route Z) available on Tue morning, Fri "
		      "morning: minimum group size 3",
		      NULL);
}

static void r_room(void **state)
{
	fx *f = *state;
	f->m.running[0].may_join = false;
	f->m.learners[P4].travel[L2] = -1;
	/* R1 is open only when g1 or G-old holds it */
	f->m.rooms[R1].avail = BIT(MON_AM) | BIT(WED_AM) | BIT(TUE_AM) | BIT(THU_AM);
	expect_reason(f, TT_R_ROOM, "no room free on Mon morning at location L1", NULL);
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
	expect_reason(f, TT_R_TEACHER, "no alfa-qualified teacher free on Mon morning at location L1",
		      NULL);
}

static void r_optimised(void **state)
{
	fx *f = *state;
	/* l-4 fits G-old (tue-am, thu-am, 4 of 8): nothing forbids placing her */
	expect_reason(f, TT_R_OPTIMISED, "placing others scored better", "unplaced 1000 + wait 30 (3 weeks)");
}

static void r_optimised_new_group(void **state)
{
	fx *f = *state;
	f->m.running[0].may_join = false; /* a new group with l-4 is possible */
	expect_reason(f, TT_R_OPTIMISED, "could join a group", NULL);
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
		T(r_no_pattern_same_day_allowed),
		T(r_no_location_unreachable),
		T(r_no_location_closed),
		T(r_childcare_places),
		T(r_childcare_hours),
		T(r_childcare_no_provider),
		T(r_school),
		T(r_household),
		T(r_group_size),
		T(r_group_size_counts),
		T(r_room),
		T(r_room_too_small),
		T(r_teacher),
		T(r_teacher_alfa),
		T(r_optimised),
		T(r_optimised_new_group),
		T(old_reasons_are_replaced),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
