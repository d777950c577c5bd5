/* tt_start.c: a plan from the request's `start` (the groups of an earlier
 * answer), repaired to fit this request.
 *
 * Joiners of running groups first, then the new groups in the order given.
 * A new group goes to the cell of its dagdelen and location that most of its
 * members have as an option (its stated route, level, pace, alfa and
 * women-only settling ties); members without that option, or whose
 * childcare places or partner the plan so far has taken (its own members
 * taken before them included), wait. It keeps its room and teacher when
 * both still fit beside the groups taken before it; otherwise stage 2
 * staffs it. A group left with fewer than its cell's minimum size is
 * topped up with waiting learners of the cell whom no start group still to
 * come lists, highest wait weight first, and dropped when they are too
 * few; one over its room (hard capacity) or the route's maximum keeps its
 * members of highest wait weight. The result is a valid plan for stages
 * 2-3 like the greedy's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tt_internal.h"
#include "xalloc.h"

static bool tt_has_option(const tt_prep *pp, int i, int a)
{
	for (int k = pp->opt_start[i]; k < pp->opt_start[i + 1]; k++)
		if (pp->opts[k].cell == a)
			return true;
	return false;
}

int tt_start_match(const tt_cell *ce, const tt_start_group *g)
{
	return (g->route < 0 || g->route == ce->route) + (g->level < 0 || g->level == ce->level) +
	       (g->pace < 0 || g->pace == ce->pace) + (g->alfa < 0 || g->alfa == ce->alfa) +
	       (g->women_only < 0 || g->women_only == ce->wo);
}

/* The cell for group g: the most members with it as an option, then the
 * best match, then the lowest index; -1 when none. cnt is zeroed scratch
 * over the cells, left zeroed. */
static int tt_start_cell(const tt_prep *pp, const tt_start_group *g, const tt_plan *pl, int *cnt)
{
	int best = -1, best_n = 0, best_match = -1;
	for (int pass = 0; pass < 2; pass++)
		for (int k = 0; k < g->n_members; k++) {
			int i = g->members[k];
			if (pl->asg[i] != -1)
				continue;
			for (int o = pp->opt_start[i]; o < pp->opt_start[i + 1]; o++) {
				int c = pp->opts[o].cell;
				if (c < 0)
					continue;
				const tt_cell *ce = &pp->cells[c];
				if (!ce->alive || ce->mask != g->sessions || ce->loc != g->location)
					continue;
				if (pass == 1) {
					cnt[c] = 0;
					continue;
				}
				int n = ++cnt[c], match = tt_start_match(ce, g);
				if (n > best_n || (n == best_n && (match > best_match ||
								   (match == best_match && c < best)))) {
					best = c, best_n = n, best_match = match;
				}
			}
		}
	return best;
}

/* Why group g has no cell of its dagdelen and location, by the tests cells
 * are built with (tt_room_fits, tt_teacher_fits) on what the running groups
 * leave: no room there for the whole pattern, else no teacher (naming its
 * own teacher's missing dagdelen or running group when that is why), else
 * its learners. */
static char *tt_start_no_cell(const tt_prep *pp, const tt_start_group *g)
{
	const tt_model *m = pp->m;
	const char *ln = m->locations[g->location].id;
	/* the cell the group would have, on the resources the running groups
	 * leave (what cells are built against): the same fit tests */
	int route = g->route >= 0 && g->route < TT_N_ROUTES ? g->route : -1;
	const tt_route *rt = route >= 0 ? &m->routes[route] : NULL;
	tt_cell c = {.loc = g->location, .mask = g->sessions, .load = tt_load_of(pp, g->sessions),
		     .quals = (rt ? rt->quals : TT_QUAL_NT2) | (g->alfa == 1 ? TT_QUAL_ALFA : 0),
		     .needs = rt && !(pp->relax & TT_F_FACILITY) ? rt->room_needs : 0,
		     .minsz = rt && !(pp->relax & TT_F_GROUPSIZE) && rt->min_size > 0
				  ? rt->min_size
				  : 1};
	tt_res res;
	tt_res_init(&res, pp);
	bool room = false, teacher = false;
	for (int r = 0; r < m->n_rooms && !room; r++)
		room = tt_room_fits(pp, &res, r, &c);
	for (int h = 0; room && h < m->n_teachers && !teacher; h++)
		teacher = tt_teacher_fits(pp, &res, h, &c);
	tt_res_free(&res);
	if (!room)
		return xasprintf("no room at location %s is free on all of its dagdelen", ln);
	if (teacher)
		return xstrdup("none of its learners can still take a group on its dagdelen at its "
			       "location (availability, route rules, or too few to open one)");
	tt_mask off = g->teacher >= 0 && g->teacher < m->n_teachers
			      ? g->sessions & ~m->teachers[g->teacher].avail
			      : 0;
	if (!off && g->teacher >= 0 && g->teacher < m->n_teachers)
		for (int j = 0; j < m->n_running; j++)
			if (m->running[j].teacher == g->teacher && (m->running[j].sessions & g->sessions))
				return xasprintf("no qualified teacher is free on all of its dagdelen at "
						 "location %s (its teacher %s teaches running group %s "
						 "then)",
						 ln, m->teachers[g->teacher].id, m->running[j].id);
	if (off) {
		char list[256];
		size_t w = 0;
		list[0] = '\0';
		for (int t = 0; t < m->n_dagdelen && w < sizeof list; t++)
			if (off >> t & 1)
				w += (size_t)snprintf(list + w, sizeof list - w, "%s%s", w ? ", " : "",
						      m->dagdelen[t].id);
		return xasprintf("no qualified teacher is free on all of its dagdelen at location "
				 "%s (its teacher %s is not available on %s)",
				 ln, m->teachers[g->teacher].id, list);
	}
	if (g->teacher_gone)
		return xasprintf("no qualified teacher is free on all of its dagdelen at location "
				 "%s (its teacher %s is not in this request)",
				 ln, g->teacher_gone);
	return xasprintf("no qualified teacher is free on all of its dagdelen at location %s", ln);
}

int tt_start_room(const tt_prep *pp, const tt_res *res, int c, int need)
{
	if (!pp->pref_off)
		return -1;
	const tt_model *m = pp->m;
	for (int k = pp->pref_off[c]; k < pp->pref_off[c + 1]; k++) {
		int r = m->start[pp->pref_q[k]].room;
		if (r >= 0 && m->rooms[r].capacity >= need && tt_room_fits(pp, res, r, &pp->cells[c]))
			return r;
	}
	return -1;
}

int tt_start_teacher_rank(const tt_prep *pp, int c, int t)
{
	if (!pp->pref_off)
		return -1;
	for (int k = pp->pref_off[c]; k < pp->pref_off[c + 1]; k++)
		if (pp->m->start[pp->pref_q[k]].teacher == t)
			return k - pp->pref_off[c];
	return -1;
}

/* Is group g's room (0) / teacher (1) one that a start group of its cell
 * had, among those that match the cell best (another level's group of the
 * same dagdelen and location does not count)? */
static bool tt_start_has(const tt_prep *pp, const tt_pgroup *g, int what)
{
	const tt_cell *ce = &pp->cells[g->cell];
	int k0 = pp->pref_off[g->cell], k1 = pp->pref_off[g->cell + 1];
	int best = k0 < k1 ? tt_start_match(ce, &pp->m->start[pp->pref_q[k0]]) : 0;
	for (int k = k0; k < k1; k++) {
		const tt_start_group *s = &pp->m->start[pp->pref_q[k]];
		if (tt_start_match(ce, s) < best)
			break; /* the list is sorted by match */
		if ((what ? s->teacher : s->room) == (what ? g->teacher : g->room))
			return true;
	}
	return false;
}

/* How many of the plan's rooms and teachers are a start group's of their cell. */
static int tt_start_kept_staff(const tt_prep *pp, const tt_plan *pl)
{
	int n = 0;
	for (int g = 0; g < pl->n_groups; g++)
		n += tt_start_has(pp, &pl->g[g], 0) + (pl->g[g].teacher >= 0 && tt_start_has(pp, &pl->g[g], 1));
	return n;
}

bool tt_start_restaff(const tt_prep *pp, lp_ctl *ctl, tt_plan *pl)
{
	if (!pp->pref_off || pl->n_groups == 0)
		return false;
	const tt_model *m = pp->m;
	/* the groups without their start room or teacher, and the groups
	 * that hold one of those on a dagdeel they share, are staffed anew;
	 * the rest keep theirs */
	tt_mask *want_room = xcalloc((size_t)m->n_rooms + 1, sizeof *want_room);
	tt_mask *want_teacher = xcalloc((size_t)m->n_teachers + 1, sizeof *want_teacher);
	bool *redo = xcalloc((size_t)pl->n_groups, sizeof *redo);
	for (int g = 0; g < pl->n_groups; g++) {
		const tt_pgroup *pg = &pl->g[g];
		int c = pg->cell;
		bool room_ok = tt_start_has(pp, pg, 0);
		bool teacher_ok = pg->teacher < 0 || tt_start_has(pp, pg, 1);
		if (pp->pref_off[c] == pp->pref_off[c + 1] || (room_ok && teacher_ok))
			continue;
		redo[g] = true;
		for (int k = pp->pref_off[c]; k < pp->pref_off[c + 1]; k++) {
			const tt_start_group *s = &m->start[pp->pref_q[k]];
			if (s->room >= 0 && !room_ok)
				want_room[s->room] |= pp->cells[c].mask;
			if (s->teacher >= 0 && !teacher_ok)
				want_teacher[s->teacher] |= pp->cells[c].mask;
		}
	}
	int n_redo = 0;
	for (int g = 0; g < pl->n_groups; g++) {
		const tt_pgroup *pg = &pl->g[g];
		tt_mask mk = pp->cells[pg->cell].mask;
		if ((pg->room >= 0 && (want_room[pg->room] & mk)) ||
		    (pg->teacher >= 0 && (want_teacher[pg->teacher] & mk)))
			redo[g] = true;
		n_redo += redo[g];
	}
	free(want_room);
	free(want_teacher);
	if (n_redo == 0) {
		free(redo);
		return false;
	}
	tt_plan rp;
	tt_plan_init(&rp, pl->n_learners);
	tt_plan_copy(&rp, pl);
	for (int g = 0; g < rp.n_groups; g++)
		if (redo[g])
			rp.g[g].room = rp.g[g].teacher = -1;
	free(redo);
	int dropped = 0;
	bool better = tt_stage2(pp, ctl, &rp, &dropped) == 0 && dropped == 0 &&
		      rp.n_groups == pl->n_groups &&
		      tt_start_kept_staff(pp, &rp) > tt_start_kept_staff(pp, pl);
	if (better)
		tt_plan_copy(pl, &rp);
	tt_plan_free(&rp);
	return better;
}

typedef struct tt_elig_ctx {
	const tt_prep *pp;
	const tt_cell *ce;
} tt_elig_ctx;

static int tt_cmp_elig(const void *a, const void *b, void *arg)
{
	const tt_elig_ctx *x = arg;
	int ka = *(const int *)a, kb = *(const int *)b;
	int ia = x->ce->elig[ka], ib = x->ce->elig[kb];
	if (x->pp->u[ia] != x->pp->u[ib])
		return x->pp->u[ia] > x->pp->u[ib] ? -1 : 1;
	if (x->ce->ecost[ka] != x->ce->ecost[kb])
		return x->ce->ecost[ka] < x->ce->ecost[kb] ? -1 : 1;
	return ia - ib;
}

/* Sorts cand[0 .. n), indices into cell ce's eligible list, by wait
 * weight (highest first), then option cost, then learner. */
static void tt_sort_elig(const tt_prep *pp, const tt_cell *ce, int *cand, int n)
{
	tt_elig_ctx x = {pp, ce};
	qsort_r(cand, (size_t)n, sizeof *cand, tt_cmp_elig, &x);
}

void tt_start_plan(const tt_prep *pp, tt_plan *pl, tt_start_info *info)
{
	const tt_model *m = pp->m;
	tt_plan_init(pl, m->n_learners);
	memset(info, 0, sizeof *info);
	info->used = m->has_start;
	info->unknown = m->start_unknown;
	tt_res res;
	tt_res_init(&res, pp);
	bool hard = !m->room_capacity_soft && !(pp->relax & TT_F_ROOMCAP);
	for (int q = 0; q < m->n_start; q++) {
		const tt_start_group *g = &m->start[q];
		int r = g->running;
		if (r < 0)
			continue;
		for (int k = 0; k < g->n_members; k++) {
			int i = g->members[k];
			if (pl->asg[i] != -1 || res.run_free[r] <= 0 || !tt_has_option(pp, i, -2 - r) ||
			    !tt_learner_free(pp, &res, i, m->running[r].sessions))
				continue;
			pl->asg[i] = -2 - r;
			res.run_free[r]--;
			tt_res_use_learner(&res, pp, i, m->running[r].sessions);
		}
	}
	int *cnt = xcalloc((size_t)pp->n_cells + 1, sizeof *cnt);
	int *mem = xmalloc(((size_t)m->n_learners + 1) * sizeof *mem);
	int *cand = xmalloc(((size_t)m->n_learners + 1) * sizeof *cand);
	/* learners a new start group still to come lists (one that can be
	 * taken at all: its dagdelen and location known): a group short of its
	 * minimum is topped up from the others only */
	bool *listed = xcalloc((size_t)m->n_learners + 1, sizeof *listed);
	for (int q = 0; q < m->n_start; q++) {
		const tt_start_group *g = &m->start[q];
		if (g->running != -1 || g->sessions_lost || g->location < 0)
			continue;
		for (int k = 0; k < g->n_members; k++)
			listed[g->members[k]] = true;
	}
	const int taken = -3 - m->n_running; /* a member of the group being built */
	info->out = xcalloc((size_t)m->n_start + 1, sizeof *info->out);
	for (int q = 0; q < m->n_start; q++) {
		const tt_start_group *g = &m->start[q];
		if (g->running != -1)
			continue;
		info->groups++;
		tt_start_outcome *oc = &info->out[info->n_out++];
		*oc = (tt_start_outcome){.q = q, .fate = TT_SG_DROPPED, .cell = -1};
		int c = g->sessions_lost || g->location < 0 ? -1 : tt_start_cell(pp, g, pl, cnt);
		const tt_cell *ce = c >= 0 ? &pp->cells[c] : NULL;
		/* members one by one, each booked (childcare places, partners'
		 * dagdelen) before the next is tried */
		int n = 0;
		for (int k = 0; ce && k < g->n_members; k++) {
			int i = g->members[k];
			if (pl->asg[i] == -1 && tt_has_option(pp, i, c) &&
			    tt_learner_free(pp, &res, i, ce->mask)) {
				pl->asg[i] = taken; /* listed twice in the group: once */
				tt_res_use_learner(&res, pp, i, ce->mask);
				mem[n++] = i;
			}
		}
		int room = -1, teacher = -1;
		if (ce && g->room >= 0 && tt_room_fits(pp, &res, g->room, ce) &&
		    (m->n_teachers == 0 ||
		     (g->teacher >= 0 && tt_teacher_fits(pp, &res, g->teacher, ce)))) {
			room = g->room;
			teacher = m->n_teachers == 0 ? -1 : g->teacher;
		}
		int cap = ce ? ce->maxsz : 0;
		if (room >= 0 && hard && m->rooms[room].capacity < cap)
			cap = m->rooms[room].capacity;
		int added = 0;
		if (ce && n > 0 && n < ce->minsz && n < cap) {
			/* short of its minimum (members gone or unable): waiting
			 * learners no start group lists, who have this option,
			 * highest wait weight first, then cheapest option */
			int nc = 0;
			for (int k = 0; k < ce->n_elig; k++) {
				int i = ce->elig[k];
				if (pl->asg[i] == -1 && !listed[i])
					cand[nc++] = k;
			}
			tt_sort_elig(pp, ce, cand, nc);
			for (int j = 0; j < nc && n < ce->minsz && n < cap; j++) {
				int i = ce->elig[cand[j]];
				if (!tt_learner_free(pp, &res, i, ce->mask))
					continue;
				pl->asg[i] = taken;
				tt_res_use_learner(&res, pp, i, ce->mask);
				mem[n++] = i;
				added++;
			}
		}
		/* its members are no longer held for it: one it left out may
		 * top up a later group */
		for (int k = 0; k < g->n_members; k++)
			listed[g->members[k]] = false;
		int keep = n;
		if (n > cap) {
			qsort_r(mem, (size_t)n, sizeof *mem, tt_cmp_u_desc, pp->u);
			keep = cap;
		}
		if (!ce || keep < ce->minsz)
			keep = 0;
		for (int k = keep; k < n; k++) {
			pl->asg[mem[k]] = -1;
			tt_res_drop_learner(&res, pp, mem[k], ce->mask);
		}
		if (!keep) {
			info->dropped++;
			if (g->lost)
				oc->reason = xasprintf("its %s is not in this request", g->lost);
			else if (g->sessions_lost)
				oc->reason = xstrdup("one of its dagdelen is not in this request");
			else if (g->location < 0)
				oc->reason = xstrdup("its location is not in this request");
			else if (g->n_members == 0)
				oc->reason = xstrdup("none of its learners is waiting in this request "
						     "(in a running group now, or gone)");
			else if (!ce)
				oc->reason = tt_start_no_cell(pp, g);
			else
				oc->reason = xasprintf(
				    "%d of its learners could stay (availability, childcare, partners, "
				    "earlier groups) and %d joined from the waiting list: minimum "
				    "group size %d",
				    n - added, added, ce->minsz);
			continue;
		}
		info->topped_up += added;
		oc->cell = c;
		oc->room = room;
		if (room >= 0) {
			info->kept++;
			oc->fate = TT_SG_KEPT;
		} else {
			info->restaffed++;
			oc->fate = TT_SG_RESTAFFED;
			if (g->room_gone)
				oc->reason = xasprintf("its room %s is not in this request", g->room_gone);
			else if (g->teacher_gone && m->n_teachers)
				oc->reason =
				    xasprintf("its teacher %s is not in this request", g->teacher_gone);
			else
				oc->reason = xstrdup("its room or teacher is taken or no longer fits");
		}
		tt_plan_add_group(pl, c, room, teacher);
		if (room >= 0)
			tt_res_use_group(&res, pp, ce, room, teacher);
		for (int k = 0; k < keep; k++)
			pl->asg[mem[k]] = c;
	}
	free(listed);
	free(cand);
	free(mem);
	free(cnt);
	tt_res_free(&res);
}

/* How many of start group q's learners plan pl has in cell c (a learner
 * counts for the first start group that lists it: first, tt_start_first). */
static int start_in_cell(const tt_model *m, const int *first, const tt_plan *pl, int q, int c)
{
	int n = 0;
	for (int k = 0; k < m->start[q].n_members; k++) {
		int i = m->start[q].members[k];
		n += i >= 0 && i < m->n_learners && first[i] == q && pl->asg[i] == c;
	}
	return n;
}

void tt_start_staffed(const tt_prep *pp, const tt_plan *pl, tt_start_info *info)
{
	/* stage 2 keeps the rooms of groups it was given with one, staffs
	 * what it can of the rest and drops the others; its closing of groups
	 * short of their minimum cannot happen here (the repair kept none).
	 * A kept group survives when a group of its cell still has its room.
	 * The cell's other groups are its restaffed ones; the plan seats
	 * learners by cell, not by group, so when stage 2 staffed fewer of
	 * them than the start had, those whose learners the cell still holds
	 * most are the ones carried on (the start's order breaks ties), and
	 * the rest are named dropped */
	int nc = pp->n_cells;
	int *left = xcalloc((size_t)nc + 1, sizeof *left); /* cell: groups not yet matched */
	for (int g = 0; g < pl->n_groups; g++)
		left[pl->g[g].cell]++;
	for (int k = 0; k < info->n_out; k++) {
		tt_start_outcome *oc = &info->out[k];
		if (oc->cell < 0 || oc->fate != TT_SG_KEPT)
			continue;
		bool has = false;
		for (int g = 0; g < pl->n_groups && !has; g++)
			has = pl->g[g].cell == oc->cell && pl->g[g].room == oc->room;
		if (has)
			left[oc->cell]--;
		else
			oc->cell = -1;
	}
	int *stay = xmalloc(((size_t)info->n_out + 1) * sizeof *stay);
	int *first = xmalloc(((size_t)pp->m->n_learners + 1) * sizeof *first);
	tt_start_first(pp->m, first);
	for (int k = 0; k < info->n_out; k++) {
		const tt_start_outcome *oc = &info->out[k];
		stay[k] = oc->cell >= 0 && oc->fate == TT_SG_RESTAFFED
				  ? start_in_cell(pp->m, first, pl, oc->q, oc->cell)
				  : -1;
	}
	free(first);
	for (int k = 0; k < info->n_out; k++) {
		tt_start_outcome *oc = &info->out[k];
		if (stay[k] < 0)
			continue;
		/* the restaffed groups of its cell ranked before it */
		int before = 0;
		for (int k2 = 0; k2 < info->n_out; k2++)
			if (k2 != k && stay[k2] >= 0 && info->out[k2].cell == oc->cell &&
			    (stay[k2] > stay[k] || (stay[k2] == stay[k] && k2 < k)))
				before++;
		if (before < left[oc->cell])
			continue;
		info->restaffed--;
		info->dropped++;
		oc->fate = TT_SG_DROPPED;
		free(oc->reason);
		oc->reason = xstrdup("no room or teacher was left for it");
	}
	for (int k = 0; k < info->n_out; k++)
		if (info->out[k].fate == TT_SG_DROPPED)
			info->out[k].cell = -1;
	free(stay);
	free(left);
}

int tt_start_left_out(const tt_prep *pp, const tt_plan *pl)
{
	const tt_model *m = pp->m;
	int n = 0;
	int *first = xmalloc(((size_t)m->n_learners + 1) * sizeof *first);
	tt_start_first(m, first);
	for (int i = 0; i < m->n_learners; i++)
		n += first[i] >= 0 && pl->asg[i] == -1;
	free(first);
	return n;
}
