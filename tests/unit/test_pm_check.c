/* test_pm_check.c: the independent placement checker on a tiny hand-built
 * model: a valid match passes with every objective term computed by hand
 * from the weights, and each hard-constraint family is reported when
 * exactly one thing is broken. The model is built here by hand and freed
 * with the decoder's pm_model_free. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pm.h"
#include "rs_error.h"

/* ---- the model: 5 dagdelen of 3.5 h, 2 locations, 2 placements, 4
 * participants ---- */

enum { MON_AM, MON_PM, TUE_AM, TUE_PM, WED_AM, N_DD };
enum { L1, L2, N_LOC };
enum { W1, W2, N_W };
enum { P1, P2, P3, P4, N_P };
enum { VCA, HACCP, N_CERT };
enum { AR, TI, N_TONGUE };

#define BIT(t) ((pm_mask)1 << (t))
#define ALL_DD (BIT(N_DD) - 1)
#define CERT(k) ((uint64_t)1 << (k))

/* the weights, named so the expected terms below read as sums */
#define U 1000.0   /* unplaced */
#define WW 10.0    /* wait_week */
#define TR 1.0     /* travel */
#define NP 50.0    /* not_preferred */
#define HS 5.0     /* hours_short */
#define ST 100.0   /* same_tongue */
#define MV 300.0   /* moved */

typedef struct fx {
	pm_model m;
	pm_solution s;
} fx;

static void set_dd(pm_dagdeel *d, const char *id, int day, int start, int end)
{
	d->id = strdup(id);
	d->day = day;
	d->start_min = start;
	d->end_min = end;
}

static int *travel(int l1, int l2)
{
	int *t = calloc(N_LOC, sizeof *t);
	t[L1] = l1;
	t[L2] = l2;
	return t;
}

/*
 * w-01: volunteering at L1, 2 places, 14 h, mon-am mon-pm tue-pm wed-am,
 *       at most 7 h each, 2 a dagdeel, A1, VCA, 3 coach hours, 1 per tongue.
 * w-02: taalstage at L2, 1 place, fixed on tue-am + tue-pm.
 * d-01 (A2, VCA, lessons tue-am, ar, prefers w-01, waits 3) works w-01 on
 *       mon-am + wed-am;
 * d-02 (A1, VCA HACCP, not on tue, ar, prefers taalstage, current w-01)
 *       works w-01 on mon-pm + wed-am;
 * d-03 (A0, lessons mon-am, ti, no preferences, waits 5) works w-02;
 * d-04 (waits 8, current "w-99", not in the request) is unplaced.
 */
static void build(pm_model *m, pm_solution *s)
{
	memset(m, 0, sizeof *m);
	memset(s, 0, sizeof *s);
	m->as_of = strdup("2026-12-01");
	m->n_dagdelen = N_DD;
	m->dagdelen = calloc(N_DD, sizeof *m->dagdelen);
	set_dd(&m->dagdelen[MON_AM], "mon-am", 0, 9 * 60, 12 * 60 + 30);
	set_dd(&m->dagdelen[MON_PM], "mon-pm", 0, 13 * 60, 16 * 60 + 30);
	set_dd(&m->dagdelen[TUE_AM], "tue-am", 1, 9 * 60, 12 * 60 + 30);
	set_dd(&m->dagdelen[TUE_PM], "tue-pm", 1, 13 * 60, 16 * 60 + 30);
	set_dd(&m->dagdelen[WED_AM], "wed-am", 2, 9 * 60, 12 * 60 + 30);

	m->n_locations = N_LOC;
	m->locations = calloc(N_LOC, sizeof *m->locations);
	m->locations[L1] = (pm_location){.id = strdup("L1"), .name = strdup("Kringloop")};
	m->locations[L2] = (pm_location){.id = strdup("L2"), .name = strdup("Bibliotheek")};

	m->n_certs = N_CERT;
	m->certs = calloc(N_CERT, sizeof *m->certs);
	m->certs[VCA] = strdup("VCA");
	m->certs[HACCP] = strdup("HACCP");
	m->n_tongues = N_TONGUE;
	m->tongues = calloc(N_TONGUE, sizeof *m->tongues);
	m->tongues[AR] = strdup("ar");
	m->tongues[TI] = strdup("ti");

	m->n_placements = N_W;
	m->placements = calloc(N_W, sizeof *m->placements);
	m->placements[W1] = (pm_placement){
		.id = strdup("w-01"), .name = strdup("Kringloop De Cirkel"),
		.type = PM_VOLUNTEERING, .location = L1, .capacity = 2, .hours_capacity = 14,
		.dagdelen = BIT(MON_AM) | BIT(MON_PM) | BIT(TUE_PM) | BIT(WED_AM),
		.min_hours = 0, .max_hours = 7, .max_per_dagdeel = 2, .min_level = 1,
		.certs = CERT(VCA), .coach_hours = 3, .max_same_tongue = 1};
	m->placements[W2] = (pm_placement){
		.id = strdup("w-02"), .name = strdup("Bibliotheek"), .type = PM_TAALSTAGE,
		.location = L2, .capacity = 1, .hours_capacity = PM_NO_LIMIT,
		.dagdelen = BIT(TUE_AM) | BIT(TUE_PM), .fixed = true, .min_hours = 0,
		.max_hours = PM_NO_LIMIT, .max_per_dagdeel = 1, .min_level = 0,
		.coach_hours = PM_NO_LIMIT, .max_same_tongue = -1,
		.available_from = strdup("2027-01-04")};

	m->n_participants = N_P;
	m->participants = calloc(N_P, sizeof *m->participants);
	pm_participant *p = m->participants;
	p[P1] = (pm_participant){.id = strdup("d-01"), .level = 2, .certs = CERT(VCA),
				 .available = ALL_DD, .lessons = BIT(TUE_AM), .min_hours = 0,
				 .max_hours = 12, .target_hours = 8, .travel = travel(20, 25),
				 .max_travel = 45, .tongue = AR, .coaching = 1,
				 .preferred = calloc(1, sizeof(int)), .n_preferred = 1,
				 .weeks_waiting = 3, .current = -1};
	p[P1].preferred[0] = W1;
	p[P2] = (pm_participant){.id = strdup("d-02"), .level = 1,
				 .certs = CERT(VCA) | CERT(HACCP),
				 .available = BIT(MON_AM) | BIT(MON_PM) | BIT(WED_AM),
				 .min_hours = 3.5, .max_hours = 40, .target_hours = 16,
				 .travel = travel(10, -1), .max_travel = 60, .tongue = AR,
				 .coaching = 2, .pref_types = 1u << PM_TAALSTAGE, .current = W1,
				 .current_id = strdup("w-01")};
	p[P3] = (pm_participant){.id = strdup("d-03"), .level = 0, .available = ALL_DD,
				 .lessons = BIT(MON_AM), .max_hours = 40, .target_hours = 16,
				 .travel = travel(-1, 30), .max_travel = 60, .tongue = TI,
				 .coaching = 1, .weeks_waiting = 5, .current = -1};
	p[P4] = (pm_participant){.id = strdup("d-04"), .available = ALL_DD, .max_hours = 40,
				 .target_hours = 16, .travel = travel(5, 5), .max_travel = 60,
				 .tongue = -1, .coaching = 1, .weeks_waiting = 8, .current = -2,
				 .current_id = strdup("w-99")};

	m->w = (pm_weights){.unplaced = U, .wait_week = WW, .travel = TR, .not_preferred = NP,
			    .hours_short = HS, .same_tongue = ST, .moved = MV};

	s->placement = calloc(N_P, sizeof(int));
	s->dagdelen = calloc(N_P, sizeof(pm_mask));
	s->placement[P1] = W1;
	s->dagdelen[P1] = BIT(MON_AM) | BIT(WED_AM);
	s->placement[P2] = W1;
	s->dagdelen[P2] = BIT(MON_PM) | BIT(WED_AM);
	s->placement[P3] = W2;
	s->dagdelen[P3] = BIT(TUE_AM) | BIT(TUE_PM);
	s->placement[P4] = -1;
	strcpy(s->status, "optimal");
	s->objective = 1635; /* see valid_match_terms */
}

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	build(&f->m, &f->s);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	pm_model_free(&f->m);
	pm_solution_free(&f->s);
	free(f);
	return 0;
}

/* ---- helpers ---- */

static void dump(const pm_check_result *r)
{
	for (int i = 0; i < r->n_violations; i++)
		print_message("  violation %s: %s\n", r->violations[i].constraint,
			      r->violations[i].message);
}

/* Checks s against m: exactly n violations, all of family fam, the first
 * one's message containing word (when given). */
static void expect(const pm_model *m, const pm_solution *s, const char *fam, int n,
		   const char *word)
{
	pm_check_result r;
	assert_int_equal(pm_check(m, s, &r), 0);
	if (r.n_violations != n)
		dump(&r);
	assert_int_equal(r.n_violations, n);
	for (int i = 0; i < r.n_violations; i++) {
		if (strcmp(r.violations[i].constraint, fam)) {
			dump(&r);
			fail_msg("expected family %s, got %s", fam, r.violations[i].constraint);
		}
		assert_true(r.violations[i].message[0] != '\0');
	}
	if (word && n > 0 && !strstr(r.violations[0].message, word))
		fail_msg("message '%s' lacks '%s'", r.violations[0].message, word);
	pm_check_free(&r);
	assert_int_equal(r.n_violations, 0);
	assert_null(r.violations);
}

/* Runs the checker, expecting no violations; the caller frees r. */
static void check_clean(const pm_model *m, const pm_solution *s, pm_check_result *r)
{
	assert_int_equal(pm_check(m, s, r), 0);
	if (r->n_violations)
		dump(r);
	assert_int_equal(r->n_violations, 0);
}

static double sum_terms(const pm_terms *t)
{
	return t->unplaced + t->wait + t->travel + t->not_preferred + t->hours_short +
	       t->same_tongue + t->moved;
}

/* ---- a valid match and its objective ---- */

static void valid_match_terms(void **state)
{
	fx *f = *state;
	pm_check_result r;
	check_clean(&f->m, &f->s, &r);
	/* d-04 waits 8 weeks */
	assert_float_equal(r.terms.unplaced, 1 * U, 1e-9);
	assert_float_equal(r.terms.wait, 8 * WW, 1e-9);
	/* 20 + 10 + 30 minutes */
	assert_float_equal(r.terms.travel, (20 + 10 + 30) * TR, 1e-9);
	/* d-02 wants a taalstage, has volunteering; d-01 has its w-01; d-03
	 * states none */
	assert_float_equal(r.terms.not_preferred, 1 * NP, 1e-9);
	/* d-01: target min(8, 12, 7) = 7, works 7; d-02: min(16, 40, 7) = 7,
	 * works 7; d-03: min(16, 40, no max) = 16, works 7 */
	assert_float_equal(r.terms.hours_short, (16 - 7) * HS, 1e-9);
	/* two "ar" at w-01, which takes 1 of a tongue */
	assert_float_equal(r.terms.same_tongue, (2 - 1) * ST, 1e-9);
	/* d-04's current is not in the request; d-02 stays at w-01 */
	assert_float_equal(r.terms.moved, 1 * MV, 1e-9);
	double total = U + 8 * WW + 60 * TR + NP + 9 * HS + ST + MV;
	assert_float_equal(total, 1635, 1e-9);
	assert_float_equal(r.objective, total, 1e-9);
	assert_float_equal(sum_terms(&r.terms), r.objective, 1e-9);
	assert_true(r.objective_matches);
	pm_check_free(&r);
}

/* d-03 left out: a second unplaced with its weeks; its travel and
 * hours_short go. */
static void term_unplaced_wait(void **state)
{
	fx *f = *state;
	f->s.placement[P3] = -1;
	f->s.dagdelen[P3] = 0;
	pm_check_result r;
	check_clean(&f->m, &f->s, &r);
	assert_float_equal(r.terms.unplaced, 2 * U, 1e-9);
	assert_float_equal(r.terms.wait, (8 + 5) * WW, 1e-9);
	assert_float_equal(r.terms.travel, (20 + 10) * TR, 1e-9);
	assert_float_equal(r.terms.hours_short, 0, 1e-9);
	assert_false(r.objective_matches);
	assert_float_equal(r.objective, 2 * U + 13 * WW + 30 * TR + NP + ST + MV, 1e-9);
	pm_check_free(&r);
	/* as_of absent: everybody 0 weeks */
	f->m.participants[P3].weeks_waiting = 0;
	f->m.participants[P4].weeks_waiting = 0;
	check_clean(&f->m, &f->s, &r);
	assert_float_equal(r.terms.wait, 0, 1e-9);
	pm_check_free(&r);
}

static void term_travel(void **state)
{
	fx *f = *state;
	f->m.participants[P1].travel[L1] = 35;
	f->m.participants[P3].travel[L2] = 0;
	pm_check_result r;
	check_clean(&f->m, &f->s, &r);
	assert_float_equal(r.terms.travel, (35 + 10 + 0) * TR, 1e-9);
	pm_check_free(&r);
	f->m.w.travel = 2.5;
	check_clean(&f->m, &f->s, &r);
	assert_float_equal(r.terms.travel, (35 + 10) * 2.5, 1e-9);
	pm_check_free(&r);
}

static void term_not_preferred(void **state)
{
	fx *f = *state;
	pm_check_result r;
	/* d-01 prefers only w-02 now: outside */
	f->m.participants[P1].preferred[0] = W2;
	check_clean(&f->m, &f->s, &r);
	assert_float_equal(r.terms.not_preferred, 2 * NP, 1e-9);
	pm_check_free(&r);
	/* d-02 also takes volunteering: its type matches */
	f->m.participants[P2].pref_types |= 1u << PM_VOLUNTEERING;
	check_clean(&f->m, &f->s, &r);
	assert_float_equal(r.terms.not_preferred, 1 * NP, 1e-9);
	pm_check_free(&r);
	/* d-03 states a preference its w-02 meets by id; d-01 by type */
	f->m.participants[P3].preferred = calloc(1, sizeof(int));
	f->m.participants[P3].preferred[0] = W2;
	f->m.participants[P3].n_preferred = 1;
	f->m.participants[P1].pref_types = 1u << PM_VOLUNTEERING;
	check_clean(&f->m, &f->s, &r);
	assert_float_equal(r.terms.not_preferred, 0, 1e-9);
	pm_check_free(&r);
	/* d-03 states only a type (paid), and w-02 is a taalstage */
	f->m.participants[P3].n_preferred = 0;
	f->m.participants[P3].pref_types = 1u << PM_PAID;
	check_clean(&f->m, &f->s, &r);
	assert_float_equal(r.terms.not_preferred, 1 * NP, 1e-9);
	pm_check_free(&r);
}

static void term_hours_short(void **state)
{
	fx *f = *state;
	pm_check_result r;
	/* d-01 works mon-am only: target min(8, 12, 7) = 7, works 3.5 */
	f->s.dagdelen[P1] = BIT(MON_AM);
	check_clean(&f->m, &f->s, &r);
	assert_float_equal(r.terms.hours_short, ((7 - 3.5) + (16 - 7)) * HS, 1e-9);
	pm_check_free(&r);
	/* w-01 without a maximum: d-01's target is its own 8, d-02's its 16
	 * (d-02 works 7) */
	f->m.placements[W1].max_hours = PM_NO_LIMIT;
	check_clean(&f->m, &f->s, &r);
	assert_float_equal(r.terms.hours_short, ((8 - 3.5) + (16 - 7) + (16 - 7)) * HS, 1e-9);
	pm_check_free(&r);
	/* d-03's own max_hours 7 caps its target 16 at the 7 it works */
	f->m.participants[P3].max_hours = 7;
	check_clean(&f->m, &f->s, &r);
	assert_float_equal(r.terms.hours_short, ((8 - 3.5) + (16 - 7)) * HS, 1e-9);
	pm_check_free(&r);
	/* a target at or below the hours worked costs nothing */
	f->m.participants[P1].target_hours = 2;
	f->m.participants[P2].target_hours = 7;
	check_clean(&f->m, &f->s, &r);
	assert_float_equal(r.terms.hours_short, 0, 1e-9);
	pm_check_free(&r);
}

static void term_same_tongue(void **state)
{
	fx *f = *state;
	pm_check_result r;
	f->m.placements[W1].max_same_tongue = 0; /* both "ar" over */
	check_clean(&f->m, &f->s, &r);
	assert_float_equal(r.terms.same_tongue, 2 * ST, 1e-9);
	pm_check_free(&r);
	f->m.placements[W2].max_same_tongue = 0; /* d-03 "ti" alone at w-02: 1 over */
	check_clean(&f->m, &f->s, &r);
	assert_float_equal(r.terms.same_tongue, 3 * ST, 1e-9);
	pm_check_free(&r);
	/* no cap at w-01, and a participant without a tongue never counts */
	f->m.placements[W1].max_same_tongue = -1;
	f->m.participants[P3].tongue = -1;
	check_clean(&f->m, &f->s, &r);
	assert_float_equal(r.terms.same_tongue, 0, 1e-9);
	pm_check_free(&r);
	/* different tongues do not add up */
	f->m.placements[W1].max_same_tongue = 1;
	f->m.participants[P2].tongue = TI;
	check_clean(&f->m, &f->s, &r);
	assert_float_equal(r.terms.same_tongue, 0, 1e-9);
	pm_check_free(&r);
}

static void term_moved(void **state)
{
	fx *f = *state;
	pm_check_result r;
	/* d-02 (current w-01) left without a placement */
	f->s.placement[P2] = -1;
	f->s.dagdelen[P2] = 0;
	check_clean(&f->m, &f->s, &r);
	assert_float_equal(r.terms.moved, 2 * MV, 1e-9);
	pm_check_free(&r);
	/* d-03 (current w-01) is put at w-02: elsewhere */
	f->m.participants[P3].current = W1;
	check_clean(&f->m, &f->s, &r);
	assert_float_equal(r.terms.moved, 3 * MV, 1e-9);
	pm_check_free(&r);
	/* d-03's current is w-02: stays */
	f->m.participants[P3].current = W2;
	f->m.w.moved = 0; /* the default weight for a plain match */
	check_clean(&f->m, &f->s, &r);
	assert_float_equal(r.terms.moved, 0, 1e-9);
	pm_check_free(&r);
}

static void objective_mismatch(void **state)
{
	fx *f = *state;
	pm_check_result r;
	f->s.objective = 1634;
	check_clean(&f->m, &f->s, &r);
	assert_false(r.objective_matches);
	assert_float_equal(r.objective, 1635, 1e-9);
	pm_check_free(&r);
	/* within 1e-6 relative */
	f->s.objective = 1635 + 1e-4;
	check_clean(&f->m, &f->s, &r);
	assert_true(r.objective_matches);
	pm_check_free(&r);
	f->s.objective = 1635 + 1e-2;
	check_clean(&f->m, &f->s, &r);
	assert_false(r.objective_matches);
	pm_check_free(&r);
}

/* ---- one violation per family ---- */

static void v_capacity(void **state)
{
	fx *f = *state;
	f->m.placements[W1].capacity = 1;
	expect(&f->m, &f->s, "capacity", 1, "w-01");
	pm_check_result r;
	assert_int_equal(pm_check(&f->m, &f->s, &r), 0);
	assert_string_equal(r.violations[0].message, "placement w-01: 2 participants, capacity 1");
	pm_check_free(&r);
}

static void v_hours_capacity(void **state)
{
	fx *f = *state;
	f->m.placements[W1].hours_capacity = 13.5; /* 7 + 7 = 14 */
	expect(&f->m, &f->s, "hours_capacity", 1, "w-01");
	f->m.placements[W1].hours_capacity = 14; /* exactly full */
	expect(&f->m, &f->s, "hours_capacity", 0, NULL);
}

static void v_max_per_dagdeel(void **state)
{
	fx *f = *state;
	f->m.placements[W1].max_per_dagdeel = 1; /* both on wed-am */
	expect(&f->m, &f->s, "max_per_dagdeel", 1, "wed-am");
}

static void v_coach_hours(void **state)
{
	fx *f = *state;
	f->m.placements[W1].coach_hours = 2.5; /* 1 + 2 needed */
	expect(&f->m, &f->s, "coach_hours", 1, "w-01");
}

static void v_level(void **state)
{
	fx *f = *state;
	f->m.participants[P2].level = 0; /* A0 at an A1 placement */
	expect(&f->m, &f->s, "level", 1, "d-02");
	f->m.placements[W2].min_level = 1; /* and d-03 (A0) at w-02 */
	expect(&f->m, &f->s, "level", 2, NULL);
}

static void v_certificates(void **state)
{
	fx *f = *state;
	f->m.placements[W1].certs = CERT(VCA) | CERT(HACCP); /* d-01 has only VCA */
	expect(&f->m, &f->s, "certificates", 1, "HACCP");
}

static void v_travel(void **state)
{
	fx *f = *state;
	f->m.participants[P1].max_travel = 19; /* 20 minutes */
	expect(&f->m, &f->s, "travel", 1, "d-01");
	f->m.participants[P1].max_travel = 20; /* exactly the limit */
	expect(&f->m, &f->s, "travel", 0, NULL);
	f->m.participants[P2].travel[L1] = -1; /* unlisted */
	expect(&f->m, &f->s, "travel", 1, "d-02");
}

static void v_availability(void **state)
{
	fx *f = *state;
	/* d-02 not available on wed-am */
	f->m.participants[P2].available &= ~BIT(WED_AM);
	expect(&f->m, &f->s, "availability", 1, "wed-am");
	f->m.participants[P2].available |= BIT(WED_AM);
	/* w-01 no longer works mon-am, which d-01 works */
	f->m.placements[W1].dagdelen &= ~BIT(MON_AM);
	expect(&f->m, &f->s, "availability", 1, "mon-am");
}

static void v_lesson(void **state)
{
	fx *f = *state;
	f->m.placements[W1].dagdelen |= BIT(TUE_AM);
	f->s.dagdelen[P1] = BIT(MON_AM) | BIT(TUE_AM); /* d-01 has lessons tue-am */
	expect(&f->m, &f->s, "lesson", 1, "tue-am");
}

static void v_lesson_travel(void **state)
{
	fx *f = *state;
	/* work after the lesson: tue-am lesson ends 12:30, tue-pm starts
	 * 13:00, 30 minutes; 20 of travel fits */
	f->s.dagdelen[P1] = BIT(MON_AM) | BIT(TUE_PM);
	expect(&f->m, &f->s, "lesson_travel", 0, NULL);
	f->m.participants[P1].travel[L1] = 40;
	expect(&f->m, &f->s, "lesson_travel", 1, "d-01");
	/* work before the lesson: tue-am work ends 12:30, tue-pm lesson at
	 * 13:00 */
	f->m.participants[P1].lessons = BIT(TUE_PM);
	f->m.placements[W1].dagdelen |= BIT(TUE_AM);
	f->s.dagdelen[P1] = BIT(MON_AM) | BIT(TUE_AM);
	expect(&f->m, &f->s, "lesson_travel", 1, "tue-pm");
	f->m.participants[P1].travel[L1] = 30; /* exactly the gap */
	expect(&f->m, &f->s, "lesson_travel", 0, NULL);
	f->m.participants[P1].travel[L1] = 31;
	expect(&f->m, &f->s, "lesson_travel", 1, NULL);
	/* a lesson on another day does not count */
	f->m.participants[P1].lessons = BIT(MON_PM);
	f->s.dagdelen[P1] = BIT(TUE_AM) | BIT(WED_AM);
	expect(&f->m, &f->s, "lesson_travel", 0, NULL);
}

/* Lessons given by their times (a timetable's dagdelen): no work during
 * one, and the travel counted from its own end or start. */
static void v_lesson_times(void **state)
{
	fx *f = *state;
	pm_participant *pp = &f->m.participants[P1];
	pp->lessons = 0;
	pp->lesson_times = calloc(1, sizeof *pp->lesson_times);
	pp->lesson_times[0] = (pm_lesson){.day = 1, .start_min = 9 * 60, .end_min = 12 * 60};
	pp->n_lesson_times = 1;
	pp->max_travel = 90;
	/* tue 09:00-12:00, work tue-pm from 13:00: 60 minutes, 20 of travel */
	f->s.dagdelen[P1] = BIT(MON_AM) | BIT(TUE_PM);
	expect(&f->m, &f->s, "lesson_travel", 0, NULL);
	expect(&f->m, &f->s, "lesson", 0, NULL);
	pp->travel[L1] = 60; /* exactly the gap */
	expect(&f->m, &f->s, "lesson_travel", 0, NULL);
	pp->travel[L1] = 61;
	expect(&f->m, &f->s, "lesson_travel", 1, "12:00");
	/* work during it: tue-am 09:00-12:30 */
	pp->travel[L1] = 20;
	f->m.placements[W1].dagdelen |= BIT(TUE_AM);
	f->s.dagdelen[P1] = BIT(MON_AM) | BIT(TUE_AM);
	expect(&f->m, &f->s, "lesson", 1, "09:00-12:00");
	/* the same block on Wednesday takes nothing on Tuesday */
	pp->lesson_times[0].day = 2;
	expect(&f->m, &f->s, "lesson", 0, NULL);
	expect(&f->m, &f->s, "lesson_travel", 0, NULL);
}

static void v_fixed(void **state)
{
	fx *f = *state;
	f->s.dagdelen[P3] = BIT(TUE_AM); /* w-02 is worked tue-am and tue-pm */
	expect(&f->m, &f->s, "fixed", 1, "w-02");
}

static void v_hours(void **state)
{
	fx *f = *state;
	f->m.participants[P1].min_hours = 7.5; /* works 7 */
	expect(&f->m, &f->s, "hours", 1, "d-01");
	f->m.participants[P1].min_hours = 0;
	f->m.participants[P1].max_hours = 6.5;
	expect(&f->m, &f->s, "hours", 1, "d-01");
	f->m.participants[P1].max_hours = 12;
	f->m.placements[W1].min_hours = 8; /* both at w-01 work 7 */
	expect(&f->m, &f->s, "hours", 2, NULL);
	f->m.placements[W1].min_hours = 0;
	f->m.placements[W1].max_hours = 3.5;
	f->s.dagdelen[P2] = BIT(WED_AM); /* 3.5: fine; d-01's 7 is not */
	expect(&f->m, &f->s, "hours", 1, "d-01");
	f->m.placements[W1].max_hours = 7;
	/* no dagdeel at all */
	f->s.dagdelen[P2] = 0;
	f->m.participants[P2].min_hours = 0;
	expect(&f->m, &f->s, "hours", 1, "d-02");
}

static void v_must_place(void **state)
{
	fx *f = *state;
	f->m.participants[P4].must_place = true;
	expect(&f->m, &f->s, "must_place", 1, "d-04");
	/* an infeasible answer says so itself */
	strcpy(f->s.status, "infeasible");
	expect(&f->m, &f->s, "must_place", 0, NULL);
	/* placed, a must-place participant is fine */
	strcpy(f->s.status, "optimal");
	f->m.participants[P4].must_place = false;
	f->m.participants[P3].must_place = true;
	expect(&f->m, &f->s, "must_place", 0, NULL);
}

static void v_unknown(void **state)
{
	fx *f = *state;
	f->s.placement[P4] = N_W; /* one past the end */
	expect(&f->m, &f->s, "unknown", 1, "d-04");
	f->s.placement[P4] = -3;
	expect(&f->m, &f->s, "unknown", 1, "d-04");
	f->s.placement[P4] = -1;
	f->s.dagdelen[P1] |= BIT(N_DD); /* a bit past the dagdelen */
	expect(&f->m, &f->s, "unknown", 1, "d-01");
	f->s.dagdelen[P1] = BIT(MON_AM) | BIT(WED_AM) | ((pm_mask)1 << 31);
	expect(&f->m, &f->s, "unknown", 1, "d-01");
}

static void messages_name_ids(void **state)
{
	fx *f = *state;
	f->m.participants[P2].level = 0;
	pm_check_result r;
	assert_int_equal(pm_check(&f->m, &f->s, &r), 0);
	assert_int_equal(r.n_violations, 1);
	assert_string_equal(r.violations[0].message,
			    "participant d-02 at w-01: level A0, needs A1");
	pm_check_free(&r);
}

/* Many breaches: the list stops and one entry counts the rest. */
static void many_violations_listed_with_count(void **state)
{
	fx *f = *state;
	enum { N = 700 };
	pm_model *m = &f->m;
	pm_solution_free(&f->s);
	m->participants = realloc(m->participants, N * sizeof *m->participants);
	for (int p = N_P; p < N; p++) {
		m->participants[p] = m->participants[P4];
		m->participants[p].id = strdup("d-x");
		m->participants[p].travel = travel(5, 5);
		m->participants[p].current_id = NULL;
		m->participants[p].current = -1;
		m->participants[p].must_place = true;
	}
	m->n_participants = N;
	f->s.placement = calloc(N, sizeof(int));
	f->s.dagdelen = calloc(N, sizeof(pm_mask));
	for (int p = 0; p < N; p++)
		f->s.placement[p] = -1;
	pm_check_result r;
	assert_int_equal(pm_check(m, &f->s, &r), 0);
	assert_true(r.n_violations > 1 && r.n_violations < N - N_P);
	assert_string_equal(r.violations[r.n_violations - 1].constraint, "more");
	assert_string_equal(r.violations[0].constraint, "must_place");
	pm_check_free(&r);
}

static void no_answer_when_cancelled(void **state)
{
	fx *f = *state;
	pm_solution_free(&f->s);
	strcpy(f->s.status, "cancelled");
	f->m.participants[P1].must_place = true;
	pm_check_result r;
	check_clean(&f->m, &f->s, &r);
	assert_true(r.objective_matches);
	pm_check_free(&r);
	/* without matches but claiming optimal: everyone is unplaced */
	strcpy(f->s.status, "optimal");
	expect(&f->m, &f->s, "must_place", 1, "d-01");
}

/* ---- explicit pairs (the generalised assignment benchmark) ---- */

/* 3 participants, 2 placements; pair_hours[p][w], -1 where p cannot take
 * w; no dagdelen, locations or tongues. */
static void build_pairs(pm_model *m, pm_solution *s)
{
	memset(m, 0, sizeof *m);
	memset(s, 0, sizeof *s);
	m->n_placements = 2;
	m->placements = calloc(2, sizeof *m->placements);
	for (int w = 0; w < 2; w++)
		m->placements[w] = (pm_placement){
			.id = strdup(w ? "g-2" : "g-1"), .location = -1, .capacity = 0,
			.hours_capacity = 10, .max_hours = PM_NO_LIMIT, .min_level = 3,
			.certs = CERT(0), .coach_hours = 0, .max_per_dagdeel = 0,
			.max_same_tongue = -1};
	m->n_participants = 3;
	m->participants = calloc(3, sizeof *m->participants);
	for (int p = 0; p < 3; p++) {
		char id[8];
		snprintf(id, sizeof id, "a-%d", p + 1);
		m->participants[p] = (pm_participant){.id = strdup(id), .tongue = -1,
						      .current = -1, .coaching = 1,
						      .weeks_waiting = p, .target_hours = 40};
	}
	static const double hours[3][2] = {{6, 4}, {5, -1}, {3, 7}};
	static const double cost[3][2] = {{9, 2}, {4, 100}, {8, 1}};
	m->pair_hours = calloc(6, sizeof(double));
	m->pair_cost = calloc(6, sizeof(double));
	for (int p = 0; p < 3; p++)
		for (int w = 0; w < 2; w++) {
			m->pair_hours[p * 2 + w] = hours[p][w];
			m->pair_cost[p * 2 + w] = cost[p][w];
		}
	m->w = (pm_weights){.unplaced = U, .wait_week = WW, .travel = TR, .not_preferred = NP,
			    .hours_short = HS, .same_tongue = ST, .moved = MV};
	s->placement = calloc(3, sizeof(int));
	s->dagdelen = calloc(3, sizeof(pm_mask));
	/* a-1 at g-2 (4 h, 2), a-2 at g-1 (5 h, 4), a-3 at g-2 (7 h, 1): g-2
	 * holds 11 h over its 10 */
	s->placement[0] = 1;
	s->placement[1] = 0;
	s->placement[2] = 1;
	strcpy(s->status, "optimal");
}

static void pairs_valid_and_cost(void **state)
{
	(void)state;
	pm_model m;
	pm_solution s;
	build_pairs(&m, &s);
	s.placement[2] = -1; /* a-3 waits 2 weeks */
	s.objective = 2 + 4 + U + 2 * WW;
	/* dagdelen, level, certificates, travel and coaching play no part */
	s.dagdelen[0] = (pm_mask)1 << 31;
	pm_check_result r;
	check_clean(&m, &s, &r);
	assert_float_equal(r.objective, 2 + 4 + U + 2 * WW, 1e-9);
	assert_float_equal(r.terms.unplaced, U, 1e-9);
	assert_float_equal(r.terms.wait, 2 * WW, 1e-9);
	assert_float_equal(r.terms.hours_short, 0, 1e-9);
	assert_float_equal(r.terms.not_preferred, 0, 1e-9);
	assert_float_equal(sum_terms(&r.terms), r.objective, 1e-9);
	assert_true(r.objective_matches);
	pm_check_free(&r);
	/* a-3 at g-1 instead: 5 + 3 = 8 h there, fits */
	s.placement[2] = 0;
	s.objective = 2 + 4 + 8;
	check_clean(&m, &s, &r);
	assert_float_equal(r.objective, 2 + 4 + 8, 1e-9);
	assert_true(r.objective_matches);
	pm_check_free(&r);
	pm_model_free(&m);
	pm_solution_free(&s);
}

static void pairs_violations(void **state)
{
	(void)state;
	pm_model m;
	pm_solution s;
	build_pairs(&m, &s);
	expect(&m, &s, "hours_capacity", 1, "g-2");
	s.placement[2] = 0;
	expect(&m, &s, "hours_capacity", 0, NULL);
	/* a person cap once capacity is positive */
	m.placements[0].capacity = 1;
	expect(&m, &s, "capacity", 1, "g-1");
	m.placements[0].capacity = 2;
	/* a-2 cannot take g-2 */
	s.placement[1] = 1;
	expect(&m, &s, "availability", 1, "a-2");
	s.placement[1] = 0;
	s.placement[0] = 2;
	expect(&m, &s, "unknown", 1, "a-1");
	s.placement[0] = -1;
	m.participants[0].must_place = true;
	expect(&m, &s, "must_place", 1, "a-1");
	pm_model_free(&m);
	pm_solution_free(&s);
}

static void bad_input_refused(void **state)
{
	fx *f = *state;
	pm_check_result r;
	assert_int_equal(pm_check(&f->m, &f->s, NULL), RS_EINTERNAL);
	f->m.n_dagdelen = PM_MAX_DAGDELEN + 1;
	assert_true(pm_check(&f->m, &f->s, &r) < 0);
	assert_int_equal(r.n_violations, 0);
	f->m.n_dagdelen = N_DD;
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(valid_match_terms),
		T(term_unplaced_wait),
		T(term_travel),
		T(term_not_preferred),
		T(term_hours_short),
		T(term_same_tongue),
		T(term_moved),
		T(objective_mismatch),
		T(v_capacity),
		T(v_hours_capacity),
		T(v_max_per_dagdeel),
		T(v_coach_hours),
		T(v_level),
		T(v_certificates),
		T(v_travel),
		T(v_availability),
		T(v_lesson),
		T(v_lesson_travel),
		T(v_lesson_times),
		T(v_fixed),
		T(v_hours),
		T(v_must_place),
		T(v_unknown),
		T(messages_name_ids),
		T(many_violations_listed_with_count),
		T(no_answer_when_cancelled),
		T(pairs_valid_and_cost),
		T(pairs_violations),
		T(bad_input_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
