/* check_fixture.h: the small hand-built model and plan the checker and explanation
 * tests share: 7 dagdelen, 2 locations, 2 rooms, 2 teachers, one childcare
 * provider, 4 Z-route learners and the running group G-old. Static functions;
 * include once per test file. */
#ifndef CHECK_FIXTURE_H
#define CHECK_FIXTURE_H

#include "check_tt.h"
#include "tt_model.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

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
				       .max_load = 10, .max_per_day = 2, .avail = ALL_DD,
				       .locations = 3};
	m->teachers[T2] = (tt_teacher){.id = xstrdup("T2"), .name = xstrdup("Docent B"),
				       .quals = TT_QUAL_NT2, .max_load = 10, .max_per_day = 2,
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
		l->weekly_min = -1;
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

/* g1: Z A0 on mon-am + wed-am at L1 in R1 with T1: l-1, l-2, l-3; l-4 waits.
 * G-old is listed too (an answer lists every running group), nobody joins. */
static void base_plan(tt_solution *s)
{
	memset(s, 0, sizeof *s);
	s->status = TT_OPTIMAL;
	s->n_groups = 2;
	s->groups = xcalloc(3, sizeof *s->groups);
	s->groups[1] = (tt_group){.running = 0, .route = TT_ROUTE_Z, .level = 0,
				  .sessions = BIT(TUE_AM) | BIT(THU_AM), .location = L1,
				  .room = R1, .teacher = T1, .members = xcalloc(8, sizeof(int))};
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

/* Learner i also attends module group `id` (PVT) on `sessions`. */
static inline void add_module(tt_model *m, const char *id, tt_mask sessions, int i)
{
	m->modules = xrealloc(m->modules, (size_t)(m->n_modules + 1) * sizeof *m->modules);
	m->modules[m->n_modules++] = (tt_module_group){.id = xstrdup(id), .module = xstrdup("PVT"),
						       .sessions = sessions, .n_members = 1,
						       .members = xmalloc(sizeof(int))};
	m->modules[m->n_modules - 1].members[0] = i;
	m->learners[i].busy |= sessions;
}

/* cmocka setup and teardown: the base model and plan, fresh for every test. */
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

#endif
