/* tt_solve.c: the timetable solver's driver. Preprocess, build the greedy
 * fallback plan (always ready), run column generation (bound, then an LP
 * dive for a plan): one master when it can converge in time, else one per
 * cluster of locations when the time allows clusters of a useful size;
 * improve the best plan by local search (without one master, the bound
 * comes from subgradient steps on a second thread from the greedy on,
 * unless threads is 1), solve the aggregated MIP (stage 1)
 * seeded with the best plan when it fits the time and adds something,
 * staff the groups (stage 2, with re-solves that cap cells whose groups
 * could not be staffed), restart the local search from the best plan until
 * the clock stops it, write the answer (stage 3), and set bound, gap and
 * status. When must-place learners cannot all be placed, a deletion
 * filter over constraint families names an irreducible conflicting set. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rs_error.h"
#include "tt_internal.h"
#include "tt_solve.h"
#include "xalloc.h"

#define TT_LNS_RESTARTS 40     /* local search runs after the MIP, at most */
#define TT_LNS_RESTARTS_WORK 6 /* the same with a node limit (a work limit) */
/* Every other restart dives again from the first master's columns (a warm
 * start) with a seed, when the time left holds this many times what the
 * first convergence took */
#define TT_REDIVE_NEED 3.0
#define TT_CG_ROUNDS 400       /* column generation rounds with a node limit */
#define TT_CG_DIVE_STEPS 200   /* dive steps with a node limit */
#define TT_CG_SECONDS_515 7.2  /* column generation time for 515 learners with options */
#define TT_CG_POWER 3.5        /* ... grows with this power of their count */
#define TT_LAGR_ITER 600       /* subgradient iterations when one master does not run */
#define TT_LAGR_ITER_PAR 50000 /* the same on its own thread, on the clock */
#define TT_CG_EARLY 0.4        /* share of it after which the bound is close to the LP */
#define TT_CL_OPTS 25000.0     /* cluster size (options) of the per-cluster estimate */
#define TT_CL_SECONDS 0.68     /* column generation and dive time of such a cluster */
#define TT_CL_MIN_OPTS 5000    /* smallest cluster target */
#define TT_WARM_NEED 0.25      /* the bound run's time from a warm start, share of the first convergence */
#define TT_CG_CHECK 0.45       /* one master: the convergence check, share of the time */
#define TT_CG_CHECK_GAP 0.05   /* ... the bound's distance to the LP that passes it */

/* The subgradient bound on a second thread, beside the local-search
 * restarts: tt_lagrange reads the prep only and uses no GLPK, and the local
 * search uses no GLPK either, so the two share nothing that changes. */
typedef struct tt_lg_thread {
	const tt_prep *pp;
	lp_ctl ctl;         /* its own: the deadline, the caller's cancel, yield = &stop */
	volatile int stop;  /* set by the solving thread to end it */
	_Atomic double ub;  /* the best plan's cost, lowered by the solving thread */
	double lb;
	long max_iter, iters;
	bool started;
	pthread_t th;
} tt_lg_thread;

static void *tt_lg_main(void *arg)
{
	tt_lg_thread *t = arg;
	t->lb = tt_lagrange(t->pp, &t->ctl, &t->ub, t->max_iter, &t->iters);
	return NULL;
}

/* Waits for the thread (it ends by its deadline or iteration limit, so with
 * a work limit the answer does not depend on the machine's speed), or, on
 * a cancel, stops it. */
static void tt_thread_join(pthread_t th, volatile int *stop, bool *started, bool wait)
{
	if (!*started)
		return;
	if (!wait)
		*stop = 1;
	pthread_join(th, NULL);
	*started = false;
}

/* Starts the subgradient on its own thread until the solve's deadline,
 * Polyak steps towards ub. */
static void tt_lg_start(tt_lg_thread *t, const tt_prep *pp, const lp_ctl *ctl,
			const tt_params *p, double ub, long max_iter)
{
	*t = (tt_lg_thread){.pp = pp, .max_iter = max_iter, .lb = -HUGE_VAL};
	atomic_init(&t->ub, ub);
	t->ctl = (lp_ctl){.deadline = ctl->deadline, .cancel = p->cancel, .yield = &t->stop};
	t->started = pthread_create(&t->th, NULL, tt_lg_main, t) == 0;
}

/* A better plan: the running subgradient steps towards it. */
static void tt_lg_offer(tt_lg_thread *t, double ub)
{
	if (t->started && ub < atomic_load_explicit(&t->ub, memory_order_relaxed))
		atomic_store_explicit(&t->ub, ub, memory_order_relaxed);
}

static double tt_lg_join(tt_lg_thread *t, bool wait)
{
	bool ran = t->started;
	tt_thread_join(t->th, &t->stop, &t->started, wait);
	return ran ? t->lb : -HUGE_VAL;
}

/* The bound run (column generation with cuts, then branching on group
 * counts) on a second thread beside the local-search restarts and stage 1:
 * GLPK keeps its environment per thread, and the run works on its own copy
 * of the start plan. It does not log (the log callback belongs to the
 * solving thread). */
typedef struct tt_br_thread {
	const tt_prep *pp;
	lp_ctl ctl;        /* its own: the deadline, the caller's cancel, yield =
			    * &stop, no log */
	volatile int stop;
	tt_plan start, hv; /* the start plan's copy; an integral node's plan */
	tt_cg_result cg;
	int rc;
	volatile int done; /* set by the thread as its last step */
	volatile int closes; /* ... with an integral node at its bound, or with
			      * its bound at the plan it was measured against:
			      * stage 1 on the solving thread has nothing to add */
	bool started;
	pthread_t th;
} tt_br_thread;

static void *tt_br_main(void *arg)
{
	tt_br_thread *t = arg;
	t->rc = tt_colgen(t->pp, &t->ctl, &t->start, t->ctl.deadline, NULL, &t->cg);
	/* an integral node at its bound, or a bound that reached the plan it
	 * was measured against (a start that was optimal already: zutphen
	 * from its own answer ran stage 1 for 15 s after the run closed the
	 * gap in 0.3 s, there being no better node to harvest) */
	t->closes = !t->rc && ((t->cg.harvested && t->cg.harvest_lp <= t->cg.bound + 1e-6) ||
			       (t->cg.stop_at > 0 && t->cg.bound >= t->cg.stop_at));
	glp_free_env(); /* this thread's GLPK environment (its problems are deleted) */
	t->done = 1;
	return NULL;
}


static void tt_log(const tt_params *p, int level, const char *msg)
{
	if (p->log)
		p->log(p->ud, level, msg);
}

static void tt_report(const tt_params *p, double t0, double inc, double bound, const char *phase)
{
	if (!p->progress)
		return;
	if (bound > inc)
		bound = inc;
	tt_progress pr = {.incumbent = inc,
			  .bound = bound,
			  .gap = inc > 0 ? (inc - bound) / inc : (isinf(inc) ? HUGE_VAL : 0),
			  .elapsed = lp_now() - t0,
			  .phase = phase};
	p->progress(p->ud, &pr);
}

static bool tt_must_unplaced(const tt_model *m, const tt_solution *s)
{
	for (int k = 0; k < s->n_unplaced; k++)
		if (m->learners[s->unplaced[k].learner].must_place)
			return true;
	return false;
}

/* The plan's gap to the bound is still above the wanted one. The bounds
 * count a must-place learner left waiting at pp->must_w, the plan's
 * objective at the learner's own weight: a plan leaving one out is never
 * measured against them (its gap stays open). */
static bool tt_gap_open(const tt_model *m, const tt_solution *best, double bound, double want)
{
	if (tt_must_unplaced(m, best))
		return true;
	double b = bound < best->objective ? bound : best->objective;
	return best->objective > 0 && (best->objective - b) / best->objective > want + 1e-12;
}

/* Where a bounding run may stop: at the best plan's objective, or, when
 * that plan leaves a must-place learner out, above every plan placing
 * them all (the bounds would otherwise stop at a cost they do not share). */
static double tt_stop_at(const tt_prep *pp, const tt_solution *best)
{
	return tt_must_unplaced(pp->m, best) ? tt_prep_cost_cap(pp) + 1 : best->objective;
}

/* Stage 2 + 3 for a plan; the solution is kept in *best if it is better. */
static int tt_finish(const tt_prep *pp, lp_ctl *ctl, tt_plan *pl, tt_solution *best,
		     bool *have_best, int *dropped, tt_plan *best_plan)
{
	int rc = tt_stage2(pp, ctl, pl, dropped);
	if (rc)
		return rc;
	/* groups the plan's source left out (a dive the clock cut: den-haag
	 * 216 406 -> 194 483 before the local search) */
	tt_greedy_extend(pp, pl, NULL, 0, 0.0);
	tt_solution s = {0};
	tt_plan_to_solution(pp, pl, &s);
	pl->cost = s.objective;
	bool better = !*have_best;
	if (!better) {
		bool mu_new = tt_must_unplaced(pp->m, &s), mu_old = tt_must_unplaced(pp->m, best);
		better = (mu_old && !mu_new) || (mu_old == mu_new && s.objective < best->objective - 1e-9);
	}
	if (better) {
		tt_solution_free(best);
		*best = s;
		*have_best = true;
		if (best_plan)
			tt_plan_copy(best_plan, pl);
	} else {
		tt_solution_free(&s);
	}
	return 0;
}

/* The model with the families that are rules of the request's routes and
 * running groups switched off (route hours, the running groups' four-week
 * rule and free seats): a shallow copy, *run the copied running groups
 * (NULL when none), for the caller to free. The other families are
 * switched off by tt_prep_build. */
static void tt_model_relaxed(const tt_model *m, int relax, tt_model *c, tt_running **run)
{
	*c = *m;
	*run = NULL;
	if (relax & TT_F_HOURS)
		for (int r = 0; r < TT_N_ROUTES; r++)
			c->routes[r].min_minutes = c->routes[r].max_minutes = -1;
	if ((relax & TT_F_JOIN) && m->n_running > 0) {
		*run = xmalloc((size_t)m->n_running * sizeof **run);
		for (int r = 0; r < m->n_running; r++) {
			(*run)[r] = m->running[r];
			(*run)[r].may_join = true;
			(*run)[r].has_free_seats = false;
		}
		c->running = *run;
	}
}

/* Does some must-place learner have no option at all in pp? */
static bool tt_some_must_without_option(const tt_prep *pp)
{
	for (int i = 0; i < pp->m->n_learners; i++)
		if (pp->m->learners[i].must_place && pp->opt_start[i] == pp->opt_start[i + 1])
			return true;
	return false;
}

/* With the families in `relax` switched off, does some must-place learner
 * still have no option at all (a cheap "no")? */
static bool tt_relaxed_hopeless(const tt_model *m0, int relax)
{
	tt_model mc;
	tt_running *run;
	tt_model_relaxed(m0, relax, &mc, &run);
	tt_prep pp;
	tt_prep_build(&pp, &mc, relax);
	bool h = tt_some_must_without_option(&pp) && !pp.pat_truncated;
	tt_prep_free(&pp);
	free(run);
	return h;
}

/* Is there a plan placing every must-place learner with the families in
 * `relax` switched off? 1 yes, 0 no, -1 undecided (time). */
/* Is the column-generation bound (until `until`) above every plan that
 * places every must-place learner? */
static bool tt_colgen_says_no(const tt_prep *pp, const tt_params *p, lp_ctl *ctl, double until)
{
	double cap = tt_prep_cost_cap(pp);
	tt_plan g;
	tt_greedy(pp, p->seed, &g);
	tt_cg_result cg = {.stop_at = cap + 1, .max_rounds = p->node_limit > 0 ? TT_CG_ROUNDS : 0};
	bool no = !tt_colgen(pp, ctl, &g, until, NULL, &cg) && cg.bound > cap + 1e-6;
	tt_plan_free(&g);
	return no;
}

static int tt_feasible(const tt_model *m0, const tt_params *p, lp_ctl *ctl, double t0, int relax)
{
	tt_model mc;
	tt_running *run;
	tt_model_relaxed(m0, relax, &mc, &run);
	const tt_model *m = &mc;
	tt_prep pp;
	tt_prep_build(&pp, m, relax);
	int ans = tt_some_must_without_option(&pp) ? 0 : 1;
	if (ans == 1) {
		/* yes at once when the greedy plan, staffed, places them all */
		tt_plan g;
		tt_greedy(&pp, p->seed, &g);
		tt_solution s = {0};
		bool have = false;
		int dropped = 0;
		bool yes = !tt_finish(&pp, ctl, &g, &s, &have, &dropped, NULL) && have &&
			   !tt_must_unplaced(m, &s);
		tt_solution_free(&s);
		tt_plan_free(&g);
		if (yes)
			goto done;
	}
	if (ans == 1 && !lp_should_stop(ctl)) {
		/* no, often at once: the column-generation bound (groups of
		 * their own members, room and teacher) above every plan placing
		 * them all, where the aggregated MIP below needs a search (two
		 * partners kept apart among four learners with groups of three:
		 * the MIP left it open for 10 s); a quarter of the time */
		lp_ctl c = *ctl;
		double left = ctl->deadline - lp_now();
		c.deadline = lp_now() + 0.25 * (left > 0 ? left : 0);
		if (tt_colgen_says_no(&pp, p, &c, c.deadline))
			ans = 0;
		ctl->nodes = c.nodes;
		if (c.stop == LP_STOP_CANCEL)
			ctl->stop = c.stop;
	}
	if (ans == 1) {
		tt_plan pl;
		tt_s1_result r;
		tt_params q = *p;
		q.time_limit = 1e6; /* the feasibility MIP keeps every cell */
		q.progress = NULL;
		int rc = tt_stage1(&pp, ctl, &q, NULL, t0, NULL, true, false, &pl, &r);
		if (rc)
			ans = -1;
		else if (r.infeasible)
			ans = 0;
		else if (!r.has_plan)
			ans = -1;
		if (ans == 1) {
			/* stage 1 is a relaxation: yes only when rooms and teachers
			 * are found for a plan that places every must-place learner */
			tt_solution s = {0};
			bool have = false;
			int dropped = 0;
			if (tt_finish(&pp, ctl, &pl, &s, &have, &dropped, NULL) || !have ||
			    tt_must_unplaced(m, &s))
				ans = -1;
			tt_solution_free(&s);
		}
		if (ans == -1 && !lp_should_stop(ctl)) {
			/* no: the column-generation bound (groups with their own
			 * room and teacher) above every plan placing them all */
			if (tt_colgen_says_no(&pp, p, ctl, ctl->deadline))
				ans = 0;
		}
		tt_plan_free(&pl);
	}
	if (ans == 0 && pp.pat_truncated) /* patterns missing: cannot tell */
		ans = -1;
done:
	tt_prep_free(&pp);
	free(run);
	return ans;
}

/* Can family f (a bit) matter in this request? Switching off a family
 * that cannot (no learner or route needs a facility, nobody is alfa,
 * nobody wishes a women-only group, every room always available, no
 * location ever closed, no route bounding its hours, every running group
 * joinable without a seat limit) leaves the request as infeasible as
 * before, so the filter drops it without a re-solve. */
static bool tt_family_in_use(const tt_model *m, int f)
{
	tt_mask all = m->n_dagdelen >= 32 ? ~(tt_mask)0 : (((tt_mask)1 << m->n_dagdelen) - 1);
	bool any = false;
	switch (f) {
	case TT_F_FACILITY:
		for (int r = 0; r < TT_N_ROUTES; r++)
			any |= m->routes[r].room_needs != 0;
		for (int i = 0; i < m->n_learners; i++)
			any |= m->learners[i].room_needs != 0;
		return any;
	case TT_F_ALFA:
		for (int i = 0; i < m->n_learners; i++)
			any |= m->learners[i].alfa;
		for (int r = 0; r < m->n_running; r++)
			any |= m->running[r].alfa;
		return any;
	case TT_F_WOMEN:
		for (int i = 0; i < m->n_learners; i++)
			any |= m->learners[i].women_only;
		return any;
	case TT_F_SAMEDAY:
		for (int r = 0; r < TT_N_ROUTES; r++)
			any |= !m->routes[r].same_day_ok;
		return any;
	case TT_F_ROOMAVAIL:
		for (int r = 0; r < m->n_rooms; r++)
			any |= (m->rooms[r].avail & all) != all;
		return any;
	case TT_F_CLOSED:
		for (int k = 0; k < m->n_locations; k++)
			any |= (m->locations[k].closed & all) != 0;
		return any;
	case TT_F_HOURS:
		for (int r = 0; r < TT_N_ROUTES; r++)
			any |= m->routes[r].min_minutes >= 0 || m->routes[r].max_minutes >= 0;
		return any;
	case TT_F_JOIN:
		for (int r = 0; r < m->n_running; r++)
			any |= !m->running[r].may_join || m->running[r].has_free_seats;
		return any;
	default:
		return true;
	}
}

/* `hopeless`: with every family in force some must-place learner has no
 * option at all (the solve's own check). */
static void tt_conflicts(const tt_model *m, const tt_params *p, lp_ctl *ctl, double t0,
			 bool hopeless, tt_solution *out)
{
	int all = (1 << TT_N_FAMILIES) - 1, keep = all;
	/* The order: families that cannot matter first (dropped without a
	 * solve), then those whose switching off alone leaves a must-place
	 * learner without any option (their trials end in the same cheap
	 * check while the rest is kept), then the others. Any order yields an
	 * irreducible set; this one leaves the expensive trials for a request
	 * already relaxed in every family that did not matter. */
	int order[TT_N_FAMILIES], n = 0, n_hard = 0;
	bool used[TT_N_FAMILIES];
	for (int f = 0; f < TT_N_FAMILIES; f++) {
		used[f] = tt_family_in_use(m, 1 << f);
		if (!used[f])
			order[n++] = f;
	}
	/* one preparation per family: skipped once the time is up (the loop
	 * below then stops at once with the set partial) */
	bool cheap[TT_N_FAMILIES];
	for (int f = 0; f < TT_N_FAMILIES; f++)
		cheap[f] = used[f] && hopeless && !lp_should_stop(ctl) &&
			   tt_relaxed_hopeless(m, 1 << f);
	for (int pass = 0; pass < 2; pass++)
		for (int f = 0; f < TT_N_FAMILIES; f++)
			if (used[f] && cheap[f] == (pass == 0))
				order[n++] = f;
	for (int f = 0; f < TT_N_FAMILIES; f++)
		n_hard += used[f];
	for (int k = 0; k < n; k++) {
		int f = order[k];
		if (lp_should_stop(ctl)) {
			out->conflicts_partial = true;
			break;
		}
		int trial = keep & ~(1 << f);
		int ans = 0;
		if (used[f]) {
			/* one trial may not take the time of all the others: half
			 * of what is left while another family waits */
			lp_ctl c = *ctl;
			double left = ctl->deadline - lp_now();
			if (--n_hard > 0 && left > 0)
				c.deadline = lp_now() + 0.5 * left;
			ans = tt_feasible(m, p, &c, t0, all & ~trial);
			ctl->nodes = c.nodes;
			if (c.stop == LP_STOP_CANCEL)
				ctl->stop = c.stop;
		}
		if (ans == 0)
			keep = trial;
		else if (ans < 0)
			out->conflicts_partial = true;
		if (used[f]) {
			char msg[120];
			snprintf(msg, sizeof msg, "conflict filter: %s %s (%.2f s)", tt_family_name(f),
				 ans == 0 ? "not needed" : ans > 0 ? "needed" : "undecided",
				 lp_now() - t0);
			tt_log(p, 1, msg);
		}
	}
	out->conflicts = xcalloc(TT_N_FAMILIES, sizeof *out->conflicts);
	for (int f = 0; f < TT_N_FAMILIES; f++)
		if (keep >> f & 1)
			out->conflicts[out->n_conflicts++] = xstrdup(tt_family_name(f));
}

/* Options per cluster when column generation runs per cluster of
 * locations: clusters of o options converged in about 0.68 s x
 * (o / 25000)^2.5 each (region-2000 on the reference machine), so
 * n / o of them fit in 60 % of the time when o is at most the value
 * returned. Depends on the request only, not on the machine. */
static int tt_cluster_opts(int n_opts, double seconds)
{
	double per = TT_CL_SECONDS * n_opts / TT_CL_OPTS;
	double o = TT_CL_OPTS * pow(0.6 * seconds / (per > 1e-9 ? per : 1e-9), 1 / 1.5);
	return o < TT_CL_MIN_OPTS ? TT_CL_MIN_OPTS : o > 1e9 ? 1000000000 : (int)o;
}

/* What the convergence check needs to start the subgradient. */
typedef struct tt_check_ctx {
	tt_lg_thread *lgt;
	const tt_prep *pp;
	lp_ctl ctl; /* the solve's, with its full deadline */
	const tt_params *p;
	double ub;
} tt_check_ctx;

/* The master will not converge in time: the second core, idle during the
 * dive and the local search, ascends the same bound by subgradient steps. */
static void tt_check_start_lg(void *ud)
{
	tt_check_ctx *cx = ud;
	if (!cx->lgt->started && cx->p->threads != 1)
		tt_lg_start(cx->lgt, cx->pp, &cx->ctl, cx->p, cx->ub, TT_LAGR_ITER_PAR);
}

/* Column generation from plan `from`'s groups (the greedy's: a master
 * started from a much better plan, such as a request's start, stalls on
 * its degenerate basis; den-haag from its 60 s answer: LP 170 438 after
 * 22 rounds, from the greedy 164 955 after 41): the bound phase until
 * bound_frac of the time left, then the dive (careful when the LP converged, fast
 * otherwise) until dive_frac; per cluster of locations when cluster_opts
 * > 0 (each cluster gets its share of both). The dive's plan goes through
 * stages 2-3 and is kept when better. Fractions 0 mean a work limit (round
 * and step counts, up to ctl's deadline). */
static int tt_cg_phase(const tt_prep *pp, lp_ctl *ctl, const tt_params *p, double bound_frac,
		       double dive_frac, int cluster_opts, tt_solution *best, bool *have_best,
		       const tt_plan *from, tt_plan *bplan, double *bound, bool *converged,
		       double *conv_seconds, tt_lg_thread *lgt, tt_colpool *keep)
{
	double full_deadline = ctl->deadline, left = full_deadline - lp_now();
	tt_check_ctx cx = {.lgt = lgt, .pp = pp, .ctl = *ctl, .p = p, .ub = best->objective};
	bool work = bound_frac <= 0;
	tt_cg_result cg = {.stop_at = tt_stop_at(pp, best), .max_rounds = work ? TT_CG_ROUNDS : 0,
			   .max_dive_steps = work ? TT_CG_DIVE_STEPS : 0,
			   .cluster_opts = cluster_opts, .keep = cluster_opts > 0 ? NULL : keep};
	/* On the clock, one master: the convergence estimate is the reference
	 * machine's. On a slower one the bound phase is cut at bound_frac
	 * before it converges and the dive gets what is left (den-haag at
	 * 10 s on a machine ~1.7 times slower: LP stopped at 80 %, one dive
	 * step, 235 221 against ~172 000). So at TT_CG_CHECK of the time the
	 * phase goes on only when its bound is within TT_CG_CHECK_GAP of the
	 * LP (den-haag on the reference machine: 2.7 % there, converged at
	 * 72 %; on the slower one 25 %). */
	if (!work && cluster_opts <= 0) {
		cg.check_at = lp_now() + TT_CG_CHECK * left;
		cg.check_gap = TT_CG_CHECK_GAP;
		cg.on_check = tt_check_start_lg;
		cg.check_ud = &cx;
	}
	tt_plan dive;
	ctl->deadline = work ? full_deadline : lp_now() + dive_frac * left;
	int rc = tt_colgen(pp, ctl, from, work ? full_deadline : lp_now() + bound_frac * left,
			   &dive, &cg);
	ctl->deadline = full_deadline;
	if (!rc) {
		char msg[200];
		if (cg.clusters)
			snprintf(msg, sizeof msg,
				 "column generation: %d clusters (%d converged), %d rounds, %d groups, bound %.1f",
				 cg.clusters, cg.clusters_converged, cg.rounds, cg.cols, cg.bound);
		else
			snprintf(msg, sizeof msg,
				 "column generation: %d rounds, %d groups, LP %.1f, bound %.1f%s", cg.rounds,
				 cg.cols, cg.lp, cg.bound, cg.converged ? " (converged)" : "");
		tt_log(p, 1, msg);
		if (cg.checked_out) {
			snprintf(msg, sizeof msg,
				 "column generation: bound %.1f still %.1f %% below the LP at %.0f %% of the time: diving now",
				 cg.bound, cg.lp > 0 ? 100 * (cg.lp - cg.bound) / cg.lp : 0, 100 * TT_CG_CHECK);
			tt_log(p, 1, msg);
		}
		if (cg.bound > *bound)
			*bound = cg.bound;
		*converged = cg.converged;
		*conv_seconds = cg.conv_seconds;
	}
	if (!rc && cg.has_plan) {
		int dropped = 0;
		rc = tt_finish(pp, ctl, &dive, best, have_best, &dropped, bplan);
		char msg[160];
		snprintf(msg, sizeof msg, "dive plan: %d groups; after stages 2-3 %.1f, %d learners dropped",
			 dive.n_groups, dive.cost, dropped);
		tt_log(p, 1, msg);
	}
	tt_plan_free(&dive);
	return rc;
}

/* A restart from another dive: the master from the first one's columns
 * (pool), its dive drawing among the largest fractions with `seed`; the
 * plan through stages 2-3 and the local search, kept when better, and
 * copied to traj (*have_traj) for the next restart to go on from. */
static int tt_redive(const tt_prep *pp, lp_ctl *ctl, const tt_params *p, const tt_colpool *pool,
		     unsigned seed, long lns_iter, tt_solution *best, bool *have_best, tt_plan *bplan,
		     double *dive_cost, tt_plan *traj, bool *have_traj)
{
	bool work = p->node_limit > 0;
	double full_deadline = ctl->deadline, left = full_deadline - lp_now();
	tt_cg_result cg = {.warm = pool, .dive_seed = seed, .no_cuts = true, .no_branch = true,
			   .max_rounds = work ? TT_CG_ROUNDS : 0,
			   .max_dive_steps = work ? TT_CG_DIVE_STEPS : 0};
	tt_plan dive;
	/* on the clock the master may take 30 % of the time left and the dive
	 * up to 60 %, so the local search on its plan keeps the rest (with
	 * the 3x rule the master takes a round or two and the dive about
	 * 1.2-1.7 times the first convergence) */
	if (!work)
		ctl->deadline = lp_now() + 0.6 * left;
	int rc = tt_colgen(pp, ctl, bplan, work ? full_deadline : lp_now() + 0.3 * left, &dive, &cg);
	ctl->deadline = full_deadline;
	*dive_cost = 0;
	*have_traj = false;
	if (!rc && cg.has_plan) {
		int dropped = 0;
		rc = tt_finish(pp, ctl, &dive, best, have_best, &dropped, bplan);
		*dive_cost = dive.cost;
		if (!rc) {
			tt_lns(pp, ctl, seed, lns_iter, ctl->deadline, &dive);
			rc = tt_finish(pp, ctl, &dive, best, have_best, &dropped, bplan);
			if (!rc) {
				tt_plan_copy(traj, &dive);
				*have_traj = true;
			}
		}
	}
	tt_plan_free(&dive);
	return rc;
}

/* Joins the bound-run thread (waiting, or stopping it on a cancel), offers
 * an integral node's plan to the best one and takes its bound. */
/* Takes a finished bound run (cg, its integral node's plan hv): the plan
 * through stages 2-3 like any plan, its bound; logs both under `where`. */
static int tt_take_bound_run(const tt_prep *pp, lp_ctl *ctl, const tt_params *p,
			     const tt_cg_result *cg, tt_plan *hv, const char *where,
			     tt_solution *best, bool *have_best, tt_plan *bplan, double *bound)
{
	int rc = 0, dropped = 0;
	if (cg->harvested) {
		/* an integral node of the count search: a plan */
		rc = tt_finish(pp, ctl, hv, best, have_best, &dropped, bplan);
		char msg[160];
		snprintf(msg, sizeof msg, "integral node plan: LP %.1f; after stages 2-3 %.1f",
			 cg->harvest_lp, hv->cost);
		tt_log(p, 1, msg);
	}
	char msg[200];
	snprintf(msg, sizeof msg,
		 "column generation with cuts%s: %d rounds, %d cuts, %d cell-set cuts, %d nodes, LP %.1f, bound %.1f%s",
		 where, cg->rounds, cg->cuts, cg->set_cuts, cg->nodes, cg->lp, cg->bound,
		 cg->converged ? " (converged)" : "");
	tt_log(p, 1, msg);
	if (cg->bound > *bound)
		*bound = cg->bound;
	return rc;
}

/* Joins the bound-run thread (waiting, or stopping it) and takes its run. */
static int tt_br_merge(tt_br_thread *t, const tt_prep *pp, lp_ctl *ctl, const tt_params *p,
		       bool wait, tt_solution *best, bool *have_best, tt_plan *bplan,
		       double *bound, int *stop)
{
	tt_thread_join(t->th, &t->stop, &t->started, wait);
	if (t->ctl.stop == LP_STOP_TIME)
		*stop = LP_STOP_TIME; /* the clock ended its search */
	int rc = t->rc ? 0
		       : tt_take_bound_run(pp, ctl, p, &t->cg, &t->hv, " (second thread)", best,
					   have_best, bplan, bound);
	tt_plan_free(&t->start);
	tt_plan_free(&t->hv);
	return rc;
}

int tt_solve(const tt_model *m, const tt_params *p, tt_solution *out)
{
	memset(out, 0, sizeof *out);
	double t0 = p->started > 0 && p->started <= lp_now() ? p->started : lp_now();
	double tl = p->time_limit > 0 ? p->time_limit : 60;
	double reserve = tl * 0.05 < 2.0 ? tl * 0.05 : 2.0;
	lp_ctl ctl = {.deadline = t0 + tl - reserve,
		      .cancel = p->cancel,
		      .node_limit = p->node_limit,
		      .log = p->log,
		      .log_ud = p->ud};
	tt_prep pp;
	int rc = tt_prep_build(&pp, m, 0);
	if (rc)
		return rc;
	double comb = tt_prep_bound(&pp);
	{
		double rb = tt_prep_resource_bound(&pp);
		if (rb > comb)
			comb = rb;
	}
	bool must_hopeless = false;
	for (int i = 0; i < m->n_learners; i++)
		if (m->learners[i].must_place && pp.opt_start[i] == pp.opt_start[i + 1])
			must_hopeless = true;
	/* known infeasible: half the time is the conflict filter's */
	if (must_hopeless)
		ctl.deadline = t0 + 0.5 * (tl - reserve);

	tt_solution best = {0};
	bool have_best = false;
	tt_lg_thread lgt = {.started = false}; /* before any goto end */
	tt_start_info start_info = {.used = false};
	/* the first master's columns when it converged: the bound run starts
	 * from them (a warm start) instead of converging again */
	tt_colpool pool = {0};
	tt_br_thread brt = {.started = false};
	int dropped = 0;
	tt_plan greedy, bplan, traj;
	tt_greedy(&pp, p->seed, &greedy);
	tt_plan_init(&bplan, m->n_learners);
	tt_plan_init(&traj, m->n_learners);
	rc = tt_finish(&pp, &ctl, &greedy, &best, &have_best, &dropped, &bplan);
	if (rc)
		goto end;
	/* the request's start (an earlier answer), repaired: when it is the
	 * better plan, the local search and the restarts go on from it
	 * (column generation starts from the greedy's groups, tt_cg_phase) */
	if (m->has_start) {
		tt_plan sp;
		tt_start_plan(&pp, &sp, &start_info);
		int sdrop = 0;
		/* stage 2 first, to count what it could not staff; tt_finish's
		 * own stage 2 then has nothing left to staff */
		rc = tt_stage2(&pp, &ctl, &sp, &sdrop);
		if (!rc) {
			tt_start_staffed(&pp, &sp, &start_info);
			rc = tt_finish(&pp, &ctl, &sp, &best, &have_best, &sdrop, &bplan);
		}
		start_info.objective = sp.cost;
		start_info.left_out = tt_start_left_out(&pp, &sp);
		tt_plan_free(&sp);
		if (rc)
			goto end;
		char msg[200];
		snprintf(msg, sizeof msg,
			 "start plan: objective %.1f; %d groups: %d kept, %d restaffed, %d dropped; "
			 "%d learners topped up, %d left out, %d unknown",
			 start_info.objective, start_info.groups, start_info.kept,
			 start_info.restaffed, start_info.dropped, start_info.topped_up,
			 start_info.left_out, start_info.unknown);
		tt_log(p, 1, msg);
	}
	tt_report(p, t0, best.objective, comb, "greedy");
	{
		char msg[160];
		snprintf(msg, sizeof msg, "greedy plan: objective %.1f, bound %.1f, %d cells, %d options",
			 best.objective, comb, pp.n_cells, pp.n_opts);
		tt_log(p, 1, msg);
	}

	double bound = comb;
	bool proven_infeasible = must_hopeless;
	int stop = LP_STOP_NONE;
	/* with a work limit: a phase the clock ended before its count (then
	 * the answer may depend on the machine, so it says time_limit) */
	bool clock_cut = false;
	/* Time plan: column generation (bound, then an LP dive for a plan),
	 * local search on the best plan, the stage-1 MIP seeded with it, then
	 * local search again from the best plan. */
	/* Column generation only when its bound can get close to the LP in
	 * its share: convergence took 7.2 s for den-haag (515 learners with
	 * options) on the reference machine and grows with about the 3.5th
	 * power of that count (region-2000, 1 763: not converged in 240 s
	 * there; a 1 000-learner request, 838: 65.7 s on a machine 1.7-2.5
	 * times slower), and after 40 % of it the bound is within a few % of
	 * the LP (fixtures, docs/solver.md). The dive runs only after
	 * convergence. The estimate depends on the request only, not on the
	 * machine. */
	int with_opts = 0;
	for (int i = 0; i < m->n_learners; i++)
		with_opts += pp.opt_start[i + 1] > pp.opt_start[i];
	double cg_est = TT_CG_SECONDS_515 * pow(with_opts / 515.0, TT_CG_POWER);
	bool cg_runs = TT_CG_EARLY * cg_est <= 0.45 * (tl - reserve);
	/* Too large for one master: one per cluster of locations, as large as
	 * the time allows (tt_cluster_opts), when that is at least the
	 * reference cluster size: smaller clusters' dives lose to the local
	 * search given the same time (region-2000 at 10 s: 669 925 with
	 * 15 700-option clusters, 647 829 without). */
	int cl_opts = cg_runs ? 0 : tt_cluster_opts(pp.n_opts, tl - reserve);
	if (!cg_runs && cl_opts < TT_CL_OPTS)
		cl_opts = -1;
	bool work = p->node_limit > 0;
	/* Too large for one master: on the clock the subgradient bound starts
	 * at once on a second thread (the solving thread's column generation
	 * per cluster and local search leave that core idle) and runs until
	 * the end, stepping towards the best plan so far. With a work limit it
	 * starts after the first local search, towards that plan, and is
	 * waited for, so the bound does not depend on timing. */
	if (!cg_runs && !must_hopeless && !work && p->threads != 1)
		tt_lg_start(&lgt, &pp, &ctl, p, best.objective, TT_LAGR_ITER_PAR);
	bool cg_converged = false;
	double cg_seconds = 0; /* what the first master's convergence took */
	if (!must_hopeless && !lp_should_stop(&ctl) && cl_opts >= 0) {
		/* One master: the bound phase may take 80 % of the time, the
		 * dive up to 96 % in all (at 93 % den-haag's 10 s dive was cut
		 * in one of five runs); a converged LP is worth it even when
		 * only the fast dive and a short local search follow (den-haag
		 * at 10 s converged at ~7.2 s and reached 172 257-172 579 in
		 * four runs; stopped at 45 % it gave 178 000-183 600, at 70 %
		 * just short of convergence 175 094-178 469, at 75 % it
		 * converged in some runs only; at 20 s 172 069 against
		 * 204 873, when the careful dive was cut at 75 %).
		 * Per cluster 45 % and 75 %: there the local search needs its
		 * time.
		 * With a node limit both run on round counts, so only the clock
		 * can make answers differ. */
		double bf = cl_opts > 0 ? 0.45 : 0.80, df = cl_opts > 0 ? 0.75 : 0.96;
		rc = tt_cg_phase(&pp, &ctl, p, work ? 0 : bf, work ? 0 : df, cl_opts, &best,
				 &have_best, &greedy, &bplan, &bound, &cg_converged, &cg_seconds, &lgt,
				 &pool);
		if (rc)
			goto end;
		tt_report(p, t0, best.objective, bound, "grouping");
		tt_lg_offer(&lgt, best.objective);
	}
	/* a work limit, so the answer does not depend on the machine's speed
	 * unless the clock stops the search first */
	long lns_iter = (long)((10000 + 40.0 * m->n_learners) * (tl > 10 ? tl / 10 : 1));
	/* with a work limit only the move count ends it (the clock only when
	 * it runs out, which then makes the answer time_limit) */
	double ls_deadline = work ? ctl.deadline : lp_now() + 0.3 * (ctl.deadline - lp_now());
	long it1 = tt_lns(&pp, &ctl, p->seed, lns_iter, ls_deadline, &bplan);
	if (work && lp_now() >= ls_deadline)
		clock_cut = true;
	rc = tt_finish(&pp, &ctl, &bplan, &best, &have_best, &dropped, NULL);
	if (rc)
		goto end;
	tt_report(p, t0, best.objective, bound, "local search");
	tt_lg_offer(&lgt, best.objective);
	{
		char msg[160];
		snprintf(msg, sizeof msg, "local search: %ld moves, objective %.1f", it1, best.objective);
		tt_log(p, 1, msg);
	}
	if (!cg_runs && !must_hopeless && !lp_should_stop(&ctl) && p->threads != 1 && work) {
		/* with a work limit: the subgradient on a second thread, at
		 * most TT_LAGR_ITER iterations, while this one restarts the
		 * local search */
		tt_lg_start(&lgt, &pp, &ctl, p, best.objective, TT_LAGR_ITER);
	}
	if (!cg_runs && !must_hopeless && !lp_should_stop(&ctl) && !lgt.started) {
		/* the same on one thread, in 40 % of the time left */
		double full_deadline = ctl.deadline;
		if (!work)
			ctl.deadline = lp_now() + 0.4 * (full_deadline - lp_now());
		long its = 0;
		_Atomic double ub = best.objective;
		double lb = tt_lagrange(&pp, &ctl, &ub, TT_LAGR_ITER, &its);
		if (work && its < TT_LAGR_ITER && ctl.stop == LP_STOP_TIME)
			clock_cut = true;
		ctl.deadline = full_deadline;
		char msg[160];
		snprintf(msg, sizeof msg, "Lagrangian bound: %ld iterations, %.1f", its, lb);
		tt_log(p, 1, msg);
		if (lb > bound)
			bound = lb;
	}
	/* When the first master converged and a gap is open: a bound-only run
	 * of the group master from the best plan's groups with household and
	 * childcare cuts, then branching on group counts (an integral node is
	 * a plan), in at most half the time left (the restarts seldom improve
	 * the plan by then; the dive did better from the LP without the cuts).
	 * Only when the time left holds br_need: the run converges again
	 * before it adds anything (without the first master's columns
	 * den-haag at 10 s had 0.4 s left for it, after a 7 s convergence,
	 * and the local search lost them). */
	double want = p->gap > 0 ? p->gap : 1e-4;
	/* from the first master's columns the run needs a fraction of what
	 * the first convergence took (den-haag at 30 s on 2026-11-27's
	 * machine: converged at 18 s, the run had the 10 s left, 155 rounds
	 * with 5 cuts, bound 156 187 -> 156 241; before, it was skipped) */
	double br_need = (pool.n > 0 ? TT_WARM_NEED : 1.0) * cg_seconds;
	if (cg_converged && tt_gap_open(m, &best, bound, want) && !must_hopeless && !lp_should_stop(&ctl) &&
	    p->threads != 1 && (work || ctl.deadline - lp_now() >= br_need)) {
		/* on a second thread until the end (it converges again from
		 * the first master's columns before it adds anything: only
		 * when the time left holds br_need) */
		brt = (tt_br_thread){.pp = &pp};
		brt.ctl = (lp_ctl){.deadline = ctl.deadline, .cancel = p->cancel, .yield = &brt.stop,
				   .node_limit = ctl.node_limit};
		brt.cg = (tt_cg_result){.stop_at = tt_stop_at(&pp, &best),
					.max_rounds = work ? TT_CG_ROUNDS : 0, .harvest = &brt.hv,
					.warm = &pool};
		tt_plan_init(&brt.start, m->n_learners);
		tt_plan_copy(&brt.start, &bplan);
		tt_plan_init(&brt.hv, m->n_learners);
		brt.started = pthread_create(&brt.th, NULL, tt_br_main, &brt) == 0;
		if (!brt.started) {
			tt_plan_free(&brt.start);
			tt_plan_free(&brt.hv);
		}
	}
	if (cg_converged && tt_gap_open(m, &best, bound, want) && !must_hopeless && !lp_should_stop(&ctl) &&
	    !brt.started && (work || 0.5 * (ctl.deadline - lp_now()) >= br_need)) {
		double full_deadline = ctl.deadline;
		if (!work)
			ctl.deadline = lp_now() + 0.5 * (full_deadline - lp_now());
		tt_plan hv;
		tt_plan_init(&hv, m->n_learners);
		tt_cg_result cg = {.stop_at = tt_stop_at(&pp, &best), .max_rounds = work ? TT_CG_ROUNDS : 0,
				   .harvest = &hv, .warm = &pool};
		int rc2 = tt_colgen(&pp, &ctl, &bplan, ctl.deadline, NULL, &cg);
		if (work && ctl.stop == LP_STOP_TIME)
			clock_cut = true; /* (lp_mip resets ctl.stop later) */
		ctl.deadline = full_deadline;
		if (!rc2)
			rc2 = tt_take_bound_run(&pp, &ctl, p, &cg, &hv, "", &best, &have_best, &bplan,
						&bound);
		tt_plan_free(&hv);
		if (!rc2)
			tt_report(p, t0, best.objective, bound, "cuts");
	}
	/* Stage 1 adds nothing once column generation converged on a model
	 * too large for its MIP search: its root LP is the weaker bound. */
	bool s1_useful = !(cg_converged && pp.n_opts > TT_S1_SEARCH_COLS);
	/* beside the bound run on its second thread, stage 1 stops when that
	 * run ends with an integral node at its bound, or with its bound at the
	 * plan it was measured against (zutphen: stage 1 took 4 s to return the
	 * seeded plan where the run closed the gap in 0.5 s) */
	/* (not while the best plan leaves a must-place learner out: stage 1
	 * may place them or prove it cannot) */
	ctl.yield = brt.started && !tt_must_unplaced(m, &best) ? &brt.closes : NULL;
	/* (nor once the gap is closed, unless a must-place learner waits: its
	 * MIP may prove that) */
	if (!must_hopeless && !lp_should_stop(&ctl) && s1_useful &&
	    tt_gap_open(m, &best, bound, want)) {
		double full_deadline = ctl.deadline;
		/* with a node limit the caller asked for a work limit: the MIP may
		 * then use all the time, so the clock is less likely to decide */
		if (p->node_limit <= 0)
			ctl.deadline = lp_now() + 0.55 * (full_deadline - lp_now());
		tt_plan mp;
		tt_s1_result r1;
		rc = tt_stage1(&pp, &ctl, p, &bplan, t0, NULL, false, true, &mp, &r1);
		if (rc) {
			tt_plan_free(&mp);
			goto end;
		}
		stop = r1.stop;
		if (r1.bound_valid && r1.bound > bound)
			bound = r1.bound;
		proven_infeasible = r1.infeasible;
		int *forbid = NULL;
		for (int it = 0; it < 4 && r1.has_plan; it++) {
			tt_plan kept;
			tt_plan_init(&kept, m->n_learners);
			tt_plan_copy(&kept, &mp);
			rc = tt_finish(&pp, &ctl, &mp, &best, &have_best, &dropped, &bplan);
			{
				char msg[160];
				snprintf(msg, sizeof msg,
					 "stage 1 plan: MIP objective %.1f, %d groups; after stages 2-3 %.1f, %d learners dropped",
					 r1.obj, mp.n_groups, mp.cost, dropped);
				tt_log(p, 1, msg);
			}
			/* a re-solve rebuilds the MIP: only with a quarter of the time
			 * left; it may take half of what is left */
			if (rc || dropped == 0 || lp_should_stop(&ctl) ||
			    (!work && full_deadline - lp_now() < 0.25 * tl)) {
				tt_plan_free(&kept);
				break;
			}
			/* cap the cells whose groups could not all be staffed, re-solve */
			if (!forbid) {
				forbid = xmalloc((size_t)pp.n_cells * sizeof *forbid);
				for (int c = 0; c < pp.n_cells; c++)
					forbid[c] = -1;
			}
			int *planned = xcalloc((size_t)pp.n_cells + 1, sizeof *planned);
			int *got = xcalloc((size_t)pp.n_cells + 1, sizeof *got);
			for (int g = 0; g < kept.n_groups; g++)
				planned[kept.g[g].cell]++;
			for (int g = 0; g < mp.n_groups; g++)
				got[mp.g[g].cell]++;
			for (int c = 0; c < pp.n_cells; c++)
				if (got[c] < planned[c])
					forbid[c] = got[c];
			free(planned);
			free(got);
			tt_plan_free(&kept);
			tt_log(p, 1, "stage 2 dropped groups; re-solving stage 1 with capped cells");
			tt_plan_free(&mp);
			tt_s1_result r2;
			if (p->node_limit <= 0)
				ctl.deadline = lp_now() + 0.5 * (full_deadline - lp_now());
			rc = tt_stage1(&pp, &ctl, p, NULL, t0, forbid, false, false, &mp, &r2);
			if (rc)
				break;
			stop = r2.stop;
			r1 = r2;
		}
		free(forbid);
		tt_plan_free(&mp);
		ctl.deadline = full_deadline;
		if (rc)
			goto end;
		/* the MIP stopping at its share of the time is not the time limit */
		if (stop == LP_STOP_TIME && !lp_should_stop(&ctl))
			stop = LP_STOP_NONE;
	}
	ctl.yield = NULL;
	/* then local search restarts from the best plan with other seeds, until
	 * the clock stops them or TT_LNS_RESTARTS of them converged */
	int restarts = p->node_limit > 0 ? TT_LNS_RESTARTS_WORK : TT_LNS_RESTARTS;
	bool have_traj = false;
	for (int k = 1; k <= restarts && !(p->cancel && *p->cancel) && lp_now() < ctl.deadline; k++) {
		/* on the clock, a bound run that ended is taken at once (its
		 * plan or bound may close the gap); with a work limit only after
		 * the restarts, so the answer does not depend on timing */
		if (brt.started && brt.done && !work) {
			rc = tt_br_merge(&brt, &pp, &ctl, p, true, &best, &have_best, &bplan, &bound,
					 &stop);
			if (rc)
				goto end;
		}
		if (!tt_gap_open(m, &best, bound, want))
			break; /* the gap is closed: nothing to gain */
		char msg[160];
		if (k % 2 == 1 && cg_converged && pool.n > 0 &&
		    (work || ctl.deadline - lp_now() >= TT_REDIVE_NEED * cg_seconds)) {
			double dc = 0;
			rc = tt_redive(&pp, &ctl, p, &pool, p->seed + (unsigned)k, lns_iter, &best,
				       &have_best, &bplan, &dc, &traj, &have_traj);
			if (rc)
				goto end;
			snprintf(msg, sizeof msg, "restart %d from another dive (%.1f): objective %.1f", k,
				 dc, best.objective);
		} else {
			/* on from the last other dive's plan (bplan gets it when
			 * better), or from the best plan */
			tt_plan *from = have_traj ? &traj : &bplan;
			long it2 = tt_lns(&pp, &ctl, p->seed + (unsigned)k, lns_iter, ctl.deadline, from);
			rc = tt_finish(&pp, &ctl, from, &best, &have_best, &dropped,
				       have_traj ? &bplan : NULL);
			have_traj = false;
			if (rc)
				goto end;
			snprintf(msg, sizeof msg, "local search restart %d: %ld moves, objective %.1f", k,
				 it2, best.objective);
		}
		tt_lg_offer(&lgt, best.objective);
		if (lp_now() >= ctl.deadline)
			stop = LP_STOP_TIME;
		tt_log(p, 1, msg);
	}
	/* the second thread ends by its deadline or its work limit (restarts
	 * that converged leave it the time); a cancel stops it early, and so
	 * does a closed gap on the clock (a plan better by less than the wanted
	 * gap is all it could still bring; with a work limit it is waited for,
	 * so timing never decides the answer) */
	bool stop_early = (p->cancel && *p->cancel) || (!work && !tt_gap_open(m, &best, bound, want));
	if (brt.started) {
		rc = tt_br_merge(&brt, &pp, &ctl, p, !stop_early, &best, &have_best, &bplan, &bound,
				 &stop);
		if (rc)
			goto end;
	}
	if (lgt.started) {
		double lb = tt_lg_join(&lgt, !stop_early);
		if (lgt.ctl.stop == LP_STOP_TIME)
			stop = LP_STOP_TIME;
		char msg[160];
		snprintf(msg, sizeof msg, "Lagrangian bound (second thread): %ld iterations, %.1f",
			 lgt.iters, lb);
		tt_log(p, 1, msg);
		if (lb > bound)
			bound = lb;
	}
	/* with a start, the best plan's rooms and teachers back to the
	 * start's where stage 2 can (the same objective, or the plan stays) */
	if (have_best && m->has_start) {
		tt_plan rp;
		tt_plan_init(&rp, m->n_learners);
		tt_plan_copy(&rp, &bplan);
		tt_solution s = {0};
		if (tt_start_restaff(&pp, &ctl, &rp)) {
			tt_plan_to_solution(&pp, &rp, &s);
			if (s.objective <= best.objective + 1e-9 &&
			    tt_must_unplaced(m, &s) == tt_must_unplaced(m, &best)) {
				tt_solution_free(&best);
				best = s;
				tt_plan_copy(&bplan, &rp);
				tt_log(p, 1, "start: rooms and teachers restored to the start's");
			} else {
				tt_solution_free(&s);
			}
		}
		tt_plan_free(&rp);
	}
	/* the bounds count a must-place learner left waiting at pp.must_w:
	 * one above every plan that places them all proves none exists */
	bool must_out = tt_must_unplaced(m, &best);
	if (must_out && !proven_infeasible && bound > tt_prep_cost_cap(&pp) + 1e-6) {
		proven_infeasible = true;
		tt_log(p, 1, "must-place learners: the bound is above any plan placing them all");
	}
	if (bound > best.objective)
		bound = best.objective;
	if (must_out && !proven_infeasible) {
		/* the plan breaks a hard rule and no plan was proven impossible:
		 * a bound of the plans that keep it says nothing about this one */
		bound = 0;
		tt_log(p, 1, "must-place learners left waiting, not proven impossible: bound 0");
	}
	if (pp.pat_truncated) {
		/* some patterns were never formed: the bound over the options
		 * formed need not hold for the request; objectives are >= 0 */
		bound = 0;
		proven_infeasible = false;
		tt_log(p, 1, "session patterns cut at a search cap: bound 0, no infeasibility claimed");
	}
	out->groups = best.groups, out->n_groups = best.n_groups;
	out->unplaced = best.unplaced, out->n_unplaced = best.n_unplaced;
	out->terms = best.terms;
	out->objective = best.objective;
	memset(&best, 0, sizeof best);
	have_best = false;
	out->bound = bound;
	out->gap = out->objective > 0 ? (out->objective - bound) / out->objective : 0;
	out->claims = true;
	out->gap_wanted = want;
	out->nodes = ctl.nodes;
	bool cancelled = p->cancel && *p->cancel;
	/* with a work limit, any phase on this thread the clock stopped (the
	 * bound run of threads 1 among them) makes the answer time_limit */
	if (work && ctl.stop == LP_STOP_TIME)
		clock_cut = true;
	if (tt_must_unplaced(m, out) && proven_infeasible) {
		out->status = TT_INFEASIBLE;
		lp_ctl c2 = ctl;
		c2.deadline = t0 + tl - reserve;
		tt_conflicts(m, p, &c2, t0, must_hopeless, out);
		ctl.nodes = c2.nodes;
		out->nodes = ctl.nodes;
	} else if (cancelled) {
		out->status = TT_CANCELLED;
	} else if (out->gap <= want + 1e-12 && !must_out) {
		out->status = TT_OPTIMAL;
	} else if (stop == LP_STOP_TIME || clock_cut) {
		out->status = TT_TIME_LIMIT;
	} else {
		out->status = TT_FEASIBLE;
	}
	{
		int placed = 0;
		for (int g = 0; g < out->n_groups; g++)
			placed += out->groups[g].n_members;
		int newg = 0;
		for (int g = 0; g < out->n_groups; g++)
			newg += out->groups[g].running < 0;
		out->message = xasprintf(
			"%d new groups, %d learners placed, %d waiting%s", newg, placed, out->n_unplaced,
			out->status == TT_INFEASIBLE ? "; must-place learners cannot all be placed"
			: must_out ? "; must-place learners left waiting: no plan found that places them, "
				     "none proven impossible"
				   : "");
	}
	out->seconds = lp_now() - t0;
	if (m->has_start)
		tt_name_groups(m, out);
	out->start = start_info;
	start_info = (tt_start_info){.used = false};
	tt_report(p, t0, out->objective, out->bound, "done");
end:
	tt_start_info_free(&start_info);
	tt_lg_join(&lgt, false);
	if (brt.started) {
		tt_thread_join(brt.th, &brt.stop, &brt.started, false);
		tt_plan_free(&brt.start);
		tt_plan_free(&brt.hv);
	}
	tt_colpool_free(&pool);
	if (have_best)
		tt_solution_free(&best);
	tt_plan_free(&greedy);
	tt_plan_free(&bplan);
	tt_plan_free(&traj);
	tt_prep_free(&pp);
	if (rc)
		tt_solution_free(out);
	return rc;
}
