/* lp.c: the GLPK wrapper: error and terminal hooks, sliced simplex with
 * deadline and cancel polling, branch and bound with a callback that stops
 * on time/cancel/nodes, feeds heuristic plans and tracks the best bound. */
#include "lp.h"

#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <string.h>
#include <time.h>

#include "rs_error.h"

#define LP_STALL_SLICES 6 /* 500-iteration slices without progress */

typedef struct lp_guard {
	jmp_buf jb;
	lp_ctl *c;
} lp_guard;

double lp_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int lp_on_term(void *info, const char *s)
{
	lp_ctl *c = info;
	if (c && c->log) {
		char buf[256];
		size_t n = strlen(s);
		if (n >= sizeof buf)
			n = sizeof buf - 1;
		memcpy(buf, s, n);
		while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
			n--;
		buf[n] = 0;
		if (n)
			c->log(c->log_ud, 0, buf);
	}
	return 1; /* never print to stdout */
}

static void lp_on_error(void *info)
{
	lp_guard *g = info;
	longjmp(g->jb, 1);
}

int lp_guarded(lp_ctl *c, int (*fn)(void *arg), void *arg)
{
	lp_guard g;
	g.c = c;
	glp_term_hook(lp_on_term, c);
	glp_error_hook(lp_on_error, &g);
	if (setjmp(g.jb)) {
		/* GLPK is in an undefined state: drop the thread's environment. */
		glp_free_env();
		if (c->log)
			c->log(c->log_ud, 2, "GLPK raised an error; solver environment reset");
		return RS_ESOLVER;
	}
	int rc = fn(arg);
	glp_error_hook(NULL, NULL);
	glp_term_hook(NULL, NULL);
	return rc;
}

bool lp_should_stop(lp_ctl *c)
{
	if ((c->cancel && *c->cancel) || (c->yield && *c->yield)) {
		c->stop = LP_STOP_CANCEL;
		return true;
	}
	if (lp_now() >= c->deadline) {
		c->stop = LP_STOP_TIME;
		return true;
	}
	return false;
}

int lp_simplex(glp_prob *P, lp_ctl *c)
{
	glp_smcp sm;
	glp_init_smcp(&sm);
	sm.msg_lev = GLP_MSG_OFF;
	sm.meth = c->primal ? GLP_PRIMAL : GLP_DUALP;
	sm.presolve = GLP_OFF;
	int retried = 0;
	/* Stalling: set-partitioning LPs are degenerate and GLPK's primal
	 * simplex can cycle on them. When a primal feasible basis does not
	 * improve the objective over LP_STALL_SLICES slices, the method is
	 * switched (primal <-> dual); after a second stall the solve restarts
	 * from the standard basis with the dual simplex. */
	int stalled = 0, escapes = 0;
	double last = HUGE_VAL;
	c->stop = LP_STOP_NONE;
	for (;;) {
		if (lp_should_stop(c))
			return 2;
		/* slices are counted in iterations so the path is deterministic;
		 * the time limit only cuts the slice when the deadline falls in it */
		double left = (c->deadline - lp_now()) * 1000.0;
		sm.tm_lim = left > 2e9 ? 2000000000 : (int)(left < 1.0 ? 1.0 : left);
		sm.it_lim = 500;
		int ret = glp_simplex(P, &sm);
		if (ret == 0) {
			int st = glp_get_status(P);
			if (st == GLP_OPT)
				return 0;
			if (st == GLP_NOFEAS || st == GLP_UNBND)
				return 1;
		} else if (ret != GLP_ETMLIM && ret != GLP_EITLIM) {
			if ((ret == GLP_ESING || ret == GLP_ECOND || ret == GLP_EFAIL || ret == GLP_EBADB) &&
			    retried < 2) {
				retried++;
				glp_adv_basis(P, 0);
				sm.meth = GLP_PRIMAL;
				continue;
			}
			return 1;
		}
		/* not optimal yet: resume from the current basis */
		if (glp_get_prim_stat(P) != GLP_FEAS) {
			stalled = 0;
			last = HUGE_VAL;
			continue;
		}
		double obj = glp_get_obj_val(P);
		if (obj < last - 1e-9 * (1.0 + fabs(last)) || last == HUGE_VAL) {
			last = obj;
			stalled = 0;
			continue;
		}
		if (++stalled < LP_STALL_SLICES)
			continue;
		stalled = 0;
		last = HUGE_VAL;
		if (escapes++ == 0) {
			sm.meth = sm.meth == GLP_PRIMAL ? GLP_DUALP : GLP_PRIMAL;
		} else {
			glp_std_basis(P);
			sm.meth = GLP_DUALP;
		}
		if (c->log)
			c->log(c->log_ud, 0, escapes == 1 ? "simplex stalled: switching method"
							   : "simplex stalled: restarting from the standard basis");
	}
}

typedef struct lp_cbstate {
	lp_ctl *c;
	long base_nodes;
	long seen_nodes;
	double last_inc;
	int last_heur_node;
} lp_cbstate;

static void lp_callback(glp_tree *T, void *info)
{
	lp_cbstate *s = info;
	lp_ctl *c = s->c;
	int a_cnt, n_cnt, t_cnt;
	glp_ios_tree_size(T, &a_cnt, &n_cnt, &t_cnt);
	s->seen_nodes = t_cnt;
	int best = glp_ios_best_node(T);
	if (best)
		c->mip_bound = glp_ios_node_bound(T, best);
	glp_prob *P = glp_ios_get_prob(T);
	if (glp_mip_status(P) == GLP_FEAS || glp_mip_status(P) == GLP_OPT) {
		double inc = glp_mip_obj_val(P);
		if (!c->mip_has_sol || inc < s->last_inc - 1e-9) {
			c->mip_has_sol = true;
			s->last_inc = inc;
			if (c->improved)
				c->improved(c->hook_ud, inc, c->mip_bound);
		}
	}
	int reason = glp_ios_reason(T);
	if (reason == GLP_IHEUR && c->heur) {
		int cur = glp_ios_curr_node(T);
		if (cur != s->last_heur_node || c->heur_each_pass) {
			s->last_heur_node = cur;
			c->heur_calls++;
			c->heur(c->hook_ud, T);
		}
	}
	if (lp_should_stop(c)) {
		glp_ios_terminate(T);
		return;
	}
	if (c->node_limit > 0 && s->base_nodes + t_cnt >= c->node_limit) {
		c->stop = LP_STOP_NODES;
		glp_ios_terminate(T);
	}
}

int lp_mip(glp_prob *P, lp_ctl *c, double gap)
{
	glp_iocp io;
	glp_init_iocp(&io);
	io.msg_lev = GLP_MSG_OFF;
	io.presolve = GLP_OFF;
	io.gmi_cuts = c->no_cuts ? GLP_OFF : GLP_ON;
	io.mir_cuts = c->no_cuts ? GLP_OFF : GLP_ON;
	io.cov_cuts = c->no_cuts ? GLP_OFF : GLP_ON;
	io.br_tech = c->cheap_branch ? GLP_BR_MFV : GLP_BR_DTH;
	io.bt_tech = GLP_BT_BLB;
	io.mip_gap = gap;
	lp_cbstate s = {.c = c, .base_nodes = c->nodes, .last_inc = HUGE_VAL, .last_heur_node = -1};
	io.cb_func = lp_callback;
	io.cb_info = &s;
	c->stop = LP_STOP_NONE;
	c->mip_has_sol = false;
	c->mip_complete = false;
	c->mip_bound = glp_get_obj_val(P); /* root LP value */
	if (c->node_limit > 0 && c->nodes >= c->node_limit) {
		c->stop = LP_STOP_NODES;
		return 0;
	}
	double left = (c->deadline - lp_now()) * 1000.0;
	if (left < 1.0) {
		c->stop = LP_STOP_TIME;
		return 0;
	}
	io.tm_lim = left > 2e9 ? 2000000000 : (int)left;
	int ret = glp_intopt(P, &io);
	c->nodes += s.seen_nodes;
	int st = glp_mip_status(P);
	c->mip_has_sol = st == GLP_OPT || st == GLP_FEAS;
	if (ret == GLP_ETMLIM && c->stop == LP_STOP_NONE)
		c->stop = LP_STOP_TIME;
	if (st == GLP_NOFEAS)
		return 1;
	if (ret == 0 && st == GLP_OPT) {
		c->mip_complete = true;
		c->mip_bound = glp_mip_obj_val(P);
	} else if (ret == GLP_EMIPGAP) {
		c->mip_complete = true; /* bound is the tree bound at the last callback */
	}
	if (c->mip_has_sol && c->mip_bound > glp_mip_obj_val(P))
		c->mip_bound = glp_mip_obj_val(P);
	return 0;
}
