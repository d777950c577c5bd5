/* tt_fixture.h: builders for tiny tt_model instances in unit tests (solver,
 * checker, explanation). Everything is allocated so tt_model_free() releases
 * it. Order: ttf_init, then locations, then rooms/teachers/childcare, then
 * learners and running groups (learners size their travel array from the
 * locations present). Defaults: dagdelen "dN-am" 09:00-12:00 and "dN-pm"
 * 13:00-16:00 on days 0..n_days-1; route defaults from tt_model_defaults;
 * learners are men, level A0, available everywhere, 10 minutes from every
 * location, no children, not waiting. */
#ifndef TT_FIXTURE_H
#define TT_FIXTURE_H

#include <stdlib.h>
#include <string.h>

#include "tt_model.h"
#include "xalloc.h"

#define TTF_AM(day) ((tt_mask)1 << (2 * (day)))
#define TTF_PM(day) ((tt_mask)1 << (2 * (day) + 1))

static inline void ttf_init(tt_model *m, int n_days)
{
	memset(m, 0, sizeof *m);
	tt_model_defaults(m);
	m->term_start = xstrdup("2027-01-04");
	m->term_end = xstrdup("2027-06-25");
	m->as_of = xstrdup("2026-12-14");
	m->tz = xstrdup("Europe/Amsterdam");
	m->n_dagdelen = 2 * n_days;
	m->dagdelen = xcalloc((size_t)m->n_dagdelen, sizeof *m->dagdelen);
	for (int d = 0; d < n_days; d++)
		for (int h = 0; h < 2; h++) {
			tt_dagdeel *t = &m->dagdelen[2 * d + h];
			t->id = xasprintf("d%d-%s", d, h ? "pm" : "am");
			t->day = d;
			t->start_min = h ? 13 * 60 : 9 * 60;
			t->end_min = h ? 16 * 60 : 12 * 60;
		}
}

static inline tt_mask ttf_all(const tt_model *m)
{
	return m->n_dagdelen >= 32 ? 0xffffffffu : (((tt_mask)1 << m->n_dagdelen) - 1);
}

static inline int ttf_location(tt_model *m)
{
	int k = m->n_locations++;
	m->locations = xrealloc(m->locations, (size_t)m->n_locations * sizeof *m->locations);
	m->locations[k] = (tt_location){.id = xasprintf("L%d", k), .name = xasprintf("Location %d", k)};
	return k;
}

static inline int ttf_room(tt_model *m, int loc, int capacity, tt_mask avail)
{
	int k = m->n_rooms++;
	m->rooms = xrealloc(m->rooms, (size_t)m->n_rooms * sizeof *m->rooms);
	m->rooms[k] = (tt_room){.id = xasprintf("R%d", k), .name = xasprintf("Room %d", k),
				.location = loc, .capacity = capacity, .avail = avail};
	return k;
}

/* All qualifications, all dagdelen, every location, 20 dagdelen, 2 a day. */
static inline int ttf_teacher(tt_model *m)
{
	int k = m->n_teachers++;
	m->teachers = xrealloc(m->teachers, (size_t)m->n_teachers * sizeof *m->teachers);
	m->teachers[k] = (tt_teacher){.id = xasprintf("T%d", k), .name = xasprintf("Teacher %d", k),
				      .quals = TT_QUAL_NT2 | TT_QUAL_ALFA | TT_QUAL_Z,
				      .max_load = 20, .max_per_day = 2, .avail = ttf_all(m),
				      .locations = ~(uint64_t)0};
	return k;
}

/* Open 07:00-18:00 every day, `places` on every dagdeel, `travel` minutes
 * to every location. */
static inline int ttf_childcare(tt_model *m, int places, int travel)
{
	int k = m->n_childcare++;
	m->childcare = xrealloc(m->childcare, (size_t)m->n_childcare * sizeof *m->childcare);
	tt_childcare *c = &m->childcare[k];
	memset(c, 0, sizeof *c);
	c->id = xasprintf("K%d", k);
	c->name = xasprintf("Childcare %d", k);
	c->places = xcalloc((size_t)m->n_dagdelen + 1, sizeof *c->places);
	for (int t = 0; t < m->n_dagdelen; t++)
		c->places[t] = places;
	for (int d = 0; d < 7; d++)
		c->open_min[d] = 7 * 60, c->close_min[d] = 18 * 60;
	c->travel = xcalloc((size_t)m->n_locations + 1, sizeof *c->travel);
	for (int l = 0; l < m->n_locations; l++)
		c->travel[l] = travel;
	return k;
}

static inline int ttf_learner(tt_model *m, int route, int level)
{
	int k = m->n_learners++;
	m->learners = xrealloc(m->learners, (size_t)m->n_learners * sizeof *m->learners);
	tt_learner *l = &m->learners[k];
	memset(l, 0, sizeof *l);
	l->id = xasprintf("l%03d", k);
	l->route = route;
	l->level = level;
	l->pace = 1;
	l->gender = TT_GENDER_M;
	l->avail = ttf_all(m);
	l->travel = xcalloc((size_t)m->n_locations + 1, sizeof *l->travel);
	for (int i = 0; i < m->n_locations; i++)
		l->travel[i] = 10;
	l->household = -1;
	l->childcare = -1;
	l->school_close_min = -1;
	l->weekly_min = -1;
	l->mother_tongue = -1;
	return k;
}

/* A module group on `sessions` with the given learners. */
static inline int ttf_module(tt_model *m, tt_mask sessions, const int *members, int n)
{
	int k = m->n_modules++;
	m->modules = xrealloc(m->modules, (size_t)m->n_modules * sizeof *m->modules);
	tt_module_group *g = &m->modules[k];
	memset(g, 0, sizeof *g);
	g->id = xasprintf("M%d", k + 1);
	g->module = xasprintf("MAP");
	g->sessions = sessions;
	g->members = xmalloc(((size_t)n + 1) * sizeof *g->members);
	for (int q = 0; q < n; q++) {
		g->members[g->n_members++] = members[q];
		m->learners[members[q]].busy |= sessions;
	}
	return k;
}

static inline int ttf_running(tt_model *m, int route, int level, tt_mask sessions, int room,
			      int teacher, int n_members, bool may_join)
{
	int k = m->n_running++;
	m->running = xrealloc(m->running, (size_t)m->n_running * sizeof *m->running);
	m->running[k] = (tt_running){.id = xasprintf("G%d", k), .route = route, .level = level,
				     .sessions = sessions, .room = room, .teacher = teacher,
				     .n_members = n_members, .may_join = may_join};
	return k;
}

/* Appends a group to m's start (an earlier answer's group: a new one when
 * running is -1, else joiners of that running group) with members[0..n)
 * and nothing else stated (route, level, pace, alfa, women-only -1). */
static inline int ttf_start(tt_model *m, int running, tt_mask sessions, int loc, int room,
			    int teacher, const int *members, int n)
{
	int k = m->n_start++;
	m->has_start = true;
	m->start = xrealloc(m->start, (size_t)m->n_start * sizeof *m->start);
	m->start[k] = (tt_start_group){.running = running, .route = -1, .level = -1, .pace = -1,
				       .alfa = -1, .women_only = -1, .sessions = sessions,
				       .location = loc, .room = room, .teacher = teacher,
				       .n_members = n};
	m->start[k].members = xmalloc(((size_t)n + 1) * sizeof(int));
	if (n > 0)
		memcpy(m->start[k].members, members, (size_t)n * sizeof(int));
	return k;
}

/* A Z-route model (groups of 3..8, 2 sessions) on n_days with one location,
 * one room of capacity 8 and one all-round teacher. */
/* Room facility names: bit 0 "step_free", bit 1 "computers". */
static inline void ttf_facilities(tt_model *m)
{
	m->n_facilities = 2;
	m->facilities = xcalloc(2, sizeof *m->facilities);
	m->facilities[0] = xstrdup("step_free");
	m->facilities[1] = xstrdup("computers");
}

static inline void ttf_z_basic(tt_model *m, int n_days)
{
	ttf_init(m, n_days);
	int loc = ttf_location(m);
	ttf_room(m, loc, 8, ttf_all(m));
	ttf_teacher(m);
}

/* ttf_z_basic with a second room of 8 and a second all-round teacher. */
static inline void ttf_z_two(tt_model *m, int n_days)
{
	ttf_z_basic(m, n_days);
	ttf_room(m, 0, 8, ttf_all(m));
	ttf_teacher(m);
}

#endif
