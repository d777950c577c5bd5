/* tt_plan.c: stage 3 of the timetable solver: split each cell's learners
 * into its groups (sizes within the route's min..max and the room, learners
 * sorted by level then pace so groups are homogeneous), list running groups
 * that take joiners and the learners left waiting, and evaluate the exact
 * objective of the resulting answer. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tt_internal.h"
#include "xalloc.h"

static int tt_cmp_level(const void *a, const void *b, void *arg)
{
	const tt_model *m = arg;
	int x = *(const int *)a, y = *(const int *)b;
	const tt_learner *lx = &m->learners[x], *ly = &m->learners[y];
	if (lx->level != ly->level)
		return lx->level - ly->level;
	if (lx->pace != ly->pace)
		return lx->pace - ly->pace;
	return x - y;
}

double tt_eval_solution(const tt_model *m, const tt_solution *s, tt_terms *t)
{
	memset(t, 0, sizeof *t);
	for (int k = 0; k < s->n_unplaced; k++) {
		const tt_learner *l = &m->learners[s->unplaced[k].learner];
		t->unplaced += m->w.unplaced;
		t->wait += m->w.wait_week * l->weeks_waiting;
	}
	for (int g = 0; g < s->n_groups; g++) {
		const tt_group *gr = &s->groups[g];
		if (gr->running < 0) {
			t->group += m->w.group;
			t->spread += m->w.spread * tt_spread_pairs(m, gr->sessions);
		}
		int np = __builtin_popcount(gr->sessions);
		for (int k = 0; k < gr->n_members; k++) {
			const tt_learner *l = &m->learners[gr->members[k]];
			t->level += m->w.level * (l->level - gr->level);
			t->pace += m->w.pace * abs(l->pace - gr->pace);
			if (l->pref)
				t->pref += m->w.pref * __builtin_popcount(gr->sessions & ~l->pref);
			int tr = l->travel && gr->location >= 0 ? l->travel[gr->location] : 0;
			if (tr > 0)
				t->travel += m->w.travel * tr;
		}
		(void)np;
		if (m->room_capacity_soft && gr->room >= 0) {
			int size = gr->n_members + (gr->running >= 0 ? m->running[gr->running].n_members : 0);
			int over = size - m->rooms[gr->room].capacity;
			if (over > 0)
				t->room_over += m->room_seat_penalty * over;
		}
	}
	/* running groups the answer leaves alone: their seats over count too
	 * (as the checker counts them) */
	for (int r = 0; m->room_capacity_soft && r < m->n_running; r++) {
		const tt_running *rg = &m->running[r];
		bool listed = false;
		for (int g = 0; g < s->n_groups && !listed; g++)
			listed = s->groups[g].running == r;
		if (listed || rg->room < 0 || rg->room >= m->n_rooms)
			continue;
		int over = rg->n_members - m->rooms[rg->room].capacity;
		if (over > 0)
			t->room_over += m->room_seat_penalty * over;
	}
	/* learners of the start whose lessons change */
	if (m->w.moved > 0 && m->n_start > 0) {
		int *first = xmalloc(((size_t)m->n_learners + 1) * sizeof *first);
		tt_start_first(m, first);
		for (int k = 0; k < s->n_unplaced; k++) {
			int i = s->unplaced[k].learner;
			if (first[i] >= 0)
				t->moved += m->w.moved;
		}
		for (int g = 0; g < s->n_groups; g++) {
			const tt_group *gr = &s->groups[g];
			for (int k = 0; k < gr->n_members; k++) {
				int i = gr->members[k];
				if (first[i] >= 0 && tt_start_moves(m, first[i], gr->running, gr->sessions,
								    gr->running >= 0 ? 0 : gr->location))
					t->moved += m->w.moved;
			}
		}
		free(first);
	}
	return t->unplaced + t->wait + t->group + t->spread + t->level + t->pref + t->travel +
	       t->room_over + t->pace + t->moved;
}

void tt_plan_to_solution(const tt_prep *pp, const tt_plan *pl, tt_solution *out)
{
	const tt_model *m = pp->m;
	int n = m->n_learners;
	int *run_cnt = xcalloc((size_t)m->n_running + 1, sizeof *run_cnt);
	for (int i = 0; i < n; i++)
		if (pl->asg[i] <= -2)
			run_cnt[-2 - pl->asg[i]]++;
	out->n_groups = 0;
	/* every running group is listed (with no new learners when none
	 * joins), so the answer shows each room's and teacher's whole week */
	out->groups = xcalloc((size_t)(pl->n_groups + m->n_running + 1), sizeof *out->groups);
	int *mem = xmalloc((size_t)(n ? n : 1) * sizeof *mem);
	bool *done = xcalloc((size_t)pp->n_cells + 1, sizeof *done);
	int *gi = xmalloc((size_t)(pl->n_groups ? pl->n_groups : 1) * sizeof *gi);
	int *size = xmalloc((size_t)(pl->n_groups ? pl->n_groups : 1) * sizeof *size);
	int *capa = xmalloc((size_t)(pl->n_groups ? pl->n_groups : 1) * sizeof *capa);
	bool hard = !m->room_capacity_soft && !(pp->relax & TT_F_ROOMCAP);
	for (int g0 = 0; g0 < pl->n_groups; g0++) {
		int c = pl->g[g0].cell;
		if (done[c])
			continue;
		done[c] = true;
		const tt_cell *ce = &pp->cells[c];
		int ng = 0;
		for (int g = g0; g < pl->n_groups; g++)
			if (pl->g[g].cell == c)
				gi[ng++] = g;
		int nm = 0;
		for (int i = 0; i < n; i++)
			if (pl->asg[i] == c)
				mem[nm++] = i;
		qsort_r(mem, (size_t)nm, sizeof *mem, tt_cmp_level, (void *)m);
		/* sizes: the minimum each, then round-robin up to the room, then
		 * (soft capacity) up to the route maximum */
		for (int k = 0; k < ng; k++) {
			int rc = m->rooms[pl->g[gi[k]].room].capacity;
			capa[k] = rc < ce->maxsz ? rc : ce->maxsz;
			size[k] = ce->minsz < nm ? ce->minsz : 0;
		}
		int rem = nm;
		for (int k = 0; k < ng; k++)
			rem -= size[k];
		for (int pass = 0; pass < 2 && rem > 0; pass++) {
			bool moved = true;
			while (rem > 0 && moved) {
				moved = false;
				for (int k = 0; k < ng && rem > 0; k++) {
					int lim = pass == 0 ? capa[k] : (hard ? capa[k] : ce->maxsz);
					if (size[k] < lim) {
						size[k]++;
						rem--;
						moved = true;
					}
				}
			}
		}
		int pos = 0;
		for (int k = 0; k < ng; k++) {
			if (size[k] <= 0)
				continue;
			tt_group *gr = &out->groups[out->n_groups++];
			const tt_pgroup *pg = &pl->g[gi[k]];
			gr->running = -1;
			gr->route = ce->route;
			gr->level = ce->level;
			gr->pace = ce->pace;
			gr->women_only = ce->wo;
			gr->sessions = ce->mask;
			gr->location = ce->loc;
			gr->room = pg->room;
			gr->teacher = pg->teacher;
			gr->n_members = size[k];
			gr->members = xmalloc((size_t)size[k] * sizeof *gr->members);
			bool alfa = false;
			for (int q = 0; q < size[k]; q++) {
				gr->members[q] = mem[pos++];
				alfa |= m->learners[gr->members[q]].alfa;
			}
			gr->alfa = m->routes[ce->route].alfa_separate ? ce->alfa : alfa;
		}
		for (; pos < nm; pos++) /* defensive: no seat left */
			pl->asg[mem[pos]] = -1;
	}
	for (int r = 0; r < m->n_running; r++) {
		const tt_running *rg = &m->running[r];
		tt_group *gr = &out->groups[out->n_groups++];
		gr->running = r;
		gr->route = rg->route;
		gr->level = rg->level;
		gr->pace = rg->pace;
		gr->alfa = rg->alfa;
		gr->women_only = rg->women_only;
		gr->sessions = rg->sessions;
		gr->room = rg->room;
		gr->teacher = rg->teacher;
		gr->location = rg->room >= 0 ? m->rooms[rg->room].location : -1;
		gr->members = xmalloc((size_t)(run_cnt[r] + 1) * sizeof *gr->members);
		for (int i = 0; i < n; i++)
			if (pl->asg[i] == -2 - r)
				gr->members[gr->n_members++] = i;
	}
	int nu = 0;
	for (int i = 0; i < n; i++)
		nu += pl->asg[i] == -1;
	out->unplaced = xcalloc((size_t)(nu ? nu : 1), sizeof *out->unplaced);
	out->n_unplaced = 0;
	for (int i = 0; i < n; i++)
		if (pl->asg[i] == -1)
			out->unplaced[out->n_unplaced++].learner = i;
	out->objective = tt_eval_solution(m, out, &out->terms);
	free(mem);
	free(done);
	free(gi);
	free(size);
	free(capa);
	free(run_cnt);
}
