/* tt_prep.c: preprocessing for the timetable solver: session patterns per
 * route, cells (type x pattern x location) with their room and teacher
 * prerequisites, every learner's options with exact costs, pruning of cells
 * that can never reach the minimum size, the per-learner lower bound, and
 * the resource bookkeeping used by the plan builders. */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <stdio.h>

#include "rs_error.h"
#include "strmap.h"
#include "tt_internal.h"
#include "xalloc.h"

#define TT_MAX_PATTERNS 200000
#define TT_MAX_PATTERN_VISITS (20L * TT_MAX_PATTERNS) /* search nodes per route */

static const char *const tt_family_names[TT_N_FAMILIES] = {
	"availability", "childcare", "school", "household",
	"room_capacity", "teacher", "group_size", "travel", "room_facilities",
	"level_spread", "alfa_separation", "women_only", "same_day", "room_availability",
	"location_closed", "route_hours", "running_join",
};

const char *tt_family_name(int bit_index)
{
	return bit_index >= 0 && bit_index < TT_N_FAMILIES ? tt_family_names[bit_index] : "?";
}

int tt_spread_pairs(const tt_model *m, tt_mask mask)
{
	int n = 0;
	for (int a = 0; a < m->n_dagdelen; a++) {
		if (!(mask >> a & 1))
			continue;
		for (int b = a + 1; b < m->n_dagdelen; b++)
			if ((mask >> b & 1) && abs(m->dagdelen[a].day - m->dagdelen[b].day) == 1)
				n++;
	}
	return n;
}

int tt_run_seats(const tt_model *m, int r, bool hard)
{
	const tt_running *g = &m->running[r];
	if (!g->may_join || g->route < 0 || g->route >= TT_N_ROUTES)
		return 0;
	int cap = m->routes[g->route].max_size;
	if (hard && g->room >= 0 && g->room < m->n_rooms && m->rooms[g->room].capacity < cap)
		cap = m->rooms[g->room].capacity;
	cap -= g->n_members;
	if (g->has_free_seats && g->free_seats < cap)
		cap = g->free_seats;
	return cap > 0 ? cap : 0;
}

double tt_run_join_penalty(const tt_prep *pp, const tt_res *res, int r)
{
	const tt_model *m = pp->m;
	const tt_running *g = &m->running[r];
	if (!m->room_capacity_soft || g->room < 0 || g->room >= m->n_rooms)
		return 0;
	int joined = tt_run_seats(m, r, false) - res->run_free[r];
	return g->n_members + joined >= m->rooms[g->room].capacity ? m->room_seat_penalty : 0;
}

static bool tt_hard_cap(const tt_prep *pp)
{
	return !pp->m->room_capacity_soft && !(pp->relax & TT_F_ROOMCAP);
}

/* Most members a group of cell c can have: the size limit, or everyone
 * eligible for the cell when they are fewer. */
static int tt_cell_cap(const tt_cell *c)
{
	int k = c->maxsz < c->n_elig ? c->maxsz : c->n_elig;
	return k > 0 ? k : 1;
}

/* ---- patterns ---- */

typedef struct tt_patgen {
	const tt_model *m;
	const tt_route *rt; /* its hours a week bound the patterns */
	/* fewest and most minutes of k dagdelen among from.. (day rules
	 * aside): lo[from * (need + 1) + k], hi likewise; for pruning on the
	 * route's hours */
	int *lo, *hi;
	long visits;
	bool truncated; /* a cap ended the search: patterns may be missing */
	int need;
	bool same_day;
	tt_mask *out;
	int n, cap;
} tt_patgen;

/* Suffix bounds: the k shortest and k longest of dagdelen from.. (a
 * knapsack by count; 1 << 29 / -(1 << 29) where fewer than k remain). */
static void tt_pat_bounds(tt_patgen *g)
{
	int nd = g->m->n_dagdelen, K = g->need + 1;
	g->lo = xmalloc((size_t)(nd + 1) * (size_t)K * sizeof *g->lo);
	g->hi = xmalloc((size_t)(nd + 1) * (size_t)K * sizeof *g->hi);
	for (int k = 0; k < K; k++) {
		g->lo[(size_t)nd * K + k] = k ? 1 << 29 : 0;
		g->hi[(size_t)nd * K + k] = k ? -(1 << 29) : 0;
	}
	for (int f = nd - 1; f >= 0; f--) {
		int len = g->m->dagdelen[f].end_min - g->m->dagdelen[f].start_min;
		for (int k = 0; k < K; k++) {
			int lo = g->lo[(size_t)(f + 1) * K + k], hi = g->hi[(size_t)(f + 1) * K + k];
			if (k > 0) {
				int a = g->lo[(size_t)(f + 1) * K + k - 1] + len;
				int b = g->hi[(size_t)(f + 1) * K + k - 1] + len;
				lo = a < lo ? a : lo;
				hi = b > hi ? b : hi;
			}
			g->lo[(size_t)f * K + k] = lo;
			g->hi[(size_t)f * K + k] = hi;
		}
	}
}

static void tt_pat_rec(tt_patgen *g, int from, int left, tt_mask cur, unsigned days, int minutes)
{
	if (g->n >= TT_MAX_PATTERNS || ++g->visits > TT_MAX_PATTERN_VISITS) {
		g->truncated = true;
		return;
	}
	size_t at = (size_t)from * (size_t)(g->need + 1) + (size_t)left;
	if ((g->rt->max_minutes >= 0 && minutes + g->lo[at] > g->rt->max_minutes) ||
	    (g->rt->min_minutes >= 0 && minutes + g->hi[at] < g->rt->min_minutes))
		return;
	if (left == 0) {
		if (!tt_route_minutes_ok(g->rt, minutes))
			return;
		if (g->n == g->cap) {
			g->cap = g->cap ? 2 * g->cap : 64;
			g->out = xrealloc(g->out, (size_t)g->cap * sizeof *g->out);
		}
		g->out[g->n++] = cur;
		return;
	}
	for (int t = from; t < g->m->n_dagdelen; t++) {
		int d = g->m->dagdelen[t].day;
		if (!g->same_day && (days >> d & 1))
			continue;
		const tt_dagdeel *dd = &g->m->dagdelen[t];
		tt_pat_rec(g, t + 1, left - 1, cur | (tt_mask)1 << t, days | 1u << d,
			   minutes + dd->end_min - dd->start_min);
	}
}

/* ---- cells ---- */

static uint64_t tt_hash64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

static void tt_hash_grow(tt_prep *pp)
{
	int ncap = pp->hcap ? pp->hcap * 2 : 4096;
	uint64_t *nk = xcalloc((size_t)ncap, sizeof *nk);
	int *nv = xmalloc((size_t)ncap * sizeof *nv);
	for (int i = 0; i < pp->hcap; i++) {
		if (!pp->hkey[i])
			continue;
		size_t h = tt_hash64(pp->hkey[i]) & (size_t)(ncap - 1);
		while (nk[h])
			h = (h + 1) & (size_t)(ncap - 1);
		nk[h] = pp->hkey[i];
		nv[h] = pp->hval[i];
	}
	free(pp->hkey);
	free(pp->hval);
	pp->hkey = nk;
	pp->hval = nv;
	pp->hcap = ncap;
}

static int tt_type_index(int route, int level, int alfa, int wo)
{
	return ((route * (TT_MAX_LEVEL + 1) + level) * 2 + alfa) * 2 + wo;
}

/* Counts rooms and teachers able to hold a group of the cell all week (those
 * of its location: tt_prep_index_locations). */
static void tt_cell_resources(tt_prep *pp, const tt_res *res, tt_cell *c)
{
	const tt_model *m = pp->m;
	c->nmax = 0;
	int maxcap = 0;
	if ((m->locations[c->loc].closed & c->mask) && !(pp->relax & TT_F_CLOSED))
		return;
	for (int q = pp->lroom_start[c->loc]; q < pp->lroom_start[c->loc + 1]; q++) {
		int r = pp->lroom[q];
		if (!tt_room_fits(pp, res, r, c))
			continue;
		c->nmax++;
		if (m->rooms[r].capacity > maxcap)
			maxcap = m->rooms[r].capacity;
	}
	if (tt_hard_cap(pp) && maxcap < c->maxsz)
		c->maxsz = maxcap;
	if (!(pp->relax & TT_F_TEACHER)) {
		int nt = 0;
		for (int q = pp->lteach_start[c->loc]; q < pp->lteach_start[c->loc + 1]; q++)
			nt += tt_teacher_fits(pp, res, pp->lteach[q], c);
		if (nt < c->nmax)
			c->nmax = nt;
	}
	if (c->maxsz < c->minsz)
		c->nmax = 0;
}

static int tt_cell_get(tt_prep *pp, const tt_res *res, int type, int pat, int loc)
{
	uint64_t key = ((uint64_t)type << 48 | (uint64_t)pat << 8 | (uint64_t)loc) + 1;
	if (2 * (pp->n_cells + 1) > pp->hcap)
		tt_hash_grow(pp);
	size_t h = tt_hash64(key) & (size_t)(pp->hcap - 1);
	while (pp->hkey[h]) {
		if (pp->hkey[h] == key)
			return pp->hval[h];
		h = (h + 1) & (size_t)(pp->hcap - 1);
	}
	if (pp->n_cells == pp->cap_cells) {
		pp->cap_cells = pp->cap_cells ? 2 * pp->cap_cells : 1024;
		pp->cells = xrealloc(pp->cells, (size_t)pp->cap_cells * sizeof *pp->cells);
	}
	const tt_model *m = pp->m;
	int base = type % TT_N_TYPES, kneed = type / TT_N_TYPES / 3, pace = type / TT_N_TYPES % 3;
	int wo = base & 1, alfa = base >> 1 & 1, level = (base >> 2) % (TT_MAX_LEVEL + 1);
	int route = (base >> 2) / (TT_MAX_LEVEL + 1);
	const tt_route *rt = &m->routes[route];
	tt_cell *c = &pp->cells[pp->n_cells];
	memset(c, 0, sizeof *c);
	c->type = type, c->route = route, c->level = level, c->alfa = alfa, c->wo = wo;
	c->pat = pat, c->loc = loc, c->pace = pace;
	c->mask = pp->pat[route][pat];
	c->sessions = rt->sessions;
	c->load = tt_load_of(pp, c->mask);
	c->quals = rt->quals | (alfa ? TT_QUAL_ALFA : 0);
	c->needs = (pp->relax & TT_F_FACILITY) ? 0 : rt->room_needs | pp->sig_needs[kneed];
	c->gcost = m->w.group + m->w.spread * tt_spread_pairs(m, c->mask);
	c->minsz = (pp->relax & TT_F_GROUPSIZE) ? 1 : (rt->min_size > 0 ? rt->min_size : 1);
	c->maxsz = rt->max_size;
	tt_cell_resources(pp, res, c);
	c->alive = c->nmax > 0;
	pp->hkey[h] = key;
	pp->hval[h] = pp->n_cells;
	return pp->n_cells++;
}

/* ---- per-dagdeel filters ---- */

/* Dagdelen learner i may attend at location loc (availability, closing,
 * a partner kept apart in a running group, childcare, school). */
static tt_mask tt_allowed(const tt_prep *pp, int i, int loc)
{
	const tt_model *m = pp->m;
	const tt_learner *l = &m->learners[i];
	tt_mask all = pp->nd >= 32 ? 0xffffffffu : (((tt_mask)1 << pp->nd) - 1);
	tt_mask a = (pp->relax & TT_F_AVAIL) ? all : (l->avail & ~l->busy & all);
	if (!(pp->relax & TT_F_CLOSED))
		a &= ~m->locations[loc].closed;
	if (tt_kept_apart(pp, i))
		a &= ~pp->hh_running[l->household]; /* a partner is in class then */
	int tr = l->travel ? l->travel[loc] : -1;
	if (tr < 0)
		tr = 0;
	for (int t = 0; t < pp->nd; t++) {
		if (!(a >> t & 1))
			continue;
		const tt_dagdeel *d = &m->dagdelen[t];
		bool ok = true;
		if (!(pp->relax & TT_F_CHILDCARE) && l->young_children > 0) {
			if (l->childcare < 0 || l->childcare >= m->n_childcare) {
				ok = false;
			} else {
				const tt_childcare *k = &m->childcare[l->childcare];
				int ctr = k->travel ? k->travel[loc] : -1;
				int day = d->day;
				if (k->places[t] < l->young_children || ctr < 0 || day < 0 || day > 6 ||
				    k->open_min[day] < 0 || k->open_min[day] > d->start_min - ctr ||
				    k->close_min[day] < d->end_min + ctr)
					ok = false;
			}
		}
		if (ok && !(pp->relax & TT_F_SCHOOL) && l->school_close_min >= 0 && d->day <= 4 &&
		    d->start_min < l->school_close_min && d->end_min + tr > l->school_close_min)
			ok = false;
		if (!ok)
			a &= ~((tt_mask)1 << t);
	}
	return a;
}

/* Within learner l's weekly hours (lesson minutes of the dagdelen in mask)?
 * Part of availability: the deletion filter relaxes both together. */
static bool tt_hours_ok(const tt_prep *pp, const tt_learner *l, tt_mask mask)
{
	return l->weekly_min < 0 || (pp->relax & TT_F_AVAIL) ||
	       tt_mask_minutes(pp->m, mask) <= l->weekly_min;
}

static double tt_opt_cost(const tt_model *m, const tt_learner *l, int glevel, tt_mask mask, int loc)
{
	double c = m->w.level * (l->level - glevel);
	if (l->pref)
		c += m->w.pref * __builtin_popcount(mask & ~l->pref);
	int tr = l->travel ? l->travel[loc] : -1;
	if (tr > 0)
		c += m->w.travel * tr;
	return c;
}

/* The moved weight when learner i's lessons change from its start group
 * (pp->start_first) to running group run, or a new group on mask at loc,
 * or none (run -1, loc -1); 0 for a learner no start group lists. */
static double tt_moved_cost(const tt_prep *pp, int i, int run, tt_mask mask, int loc)
{
	const tt_model *m = pp->m;
	if (!pp->start_first || pp->start_first[i] < 0)
		return 0;
	return tt_start_moves(m, pp->start_first[i], run, mask, loc) ? m->w.moved : 0;
}

/* Pace steps between learner l and a group of pace pc, weighted. */
static double tt_pace_cost(const tt_model *m, const tt_learner *l, int pc)
{
	return m->w.pace * abs(l->pace - pc);
}

static bool tt_running_takes(const tt_prep *pp, int r, int i)
{
	const tt_model *m = pp->m;
	const tt_running *g = &m->running[r];
	const tt_learner *l = &m->learners[i];
	if (g->route != l->route || l->level < g->level ||
	    (l->level > g->level + m->routes[g->route].max_level_spread &&
	     !(pp->relax & TT_F_LEVEL)))
		return false;
	if (m->routes[g->route].alfa_separate && !(pp->relax & TT_F_ALFA)) {
		if (g->alfa != l->alfa)
			return false;
	} else if (l->alfa && !g->alfa &&
		   (g->teacher < 0 || !(m->teachers[g->teacher].quals & TT_QUAL_ALFA))) {
		return false;
	}
	if (g->women_only ? l->gender != TT_GENDER_F : l->women_only && !(pp->relax & TT_F_WOMEN))
		return false;
	if (!(pp->relax & TT_F_FACILITY) && g->room >= 0 && g->room < m->n_rooms &&
	    (m->rooms[g->room].facilities & l->room_needs) != l->room_needs)
		return false;
	return true;
}

/* Learners' room needs (see tt_prep.sig): the index of a learner's need
 * set, and per (location, route) which signatures of rooms there (with the
 * route's needs) make cells, as a byte per signature. */
static int tt_need_index(const tt_prep *pp, uint32_t needs)
{
	for (int k = 0; k < pp->n_needs; k++)
		if (pp->need_set[k] == needs)
			return k;
	return 0;
}

static unsigned tt_room_sig(const tt_prep *pp, int r)
{
	unsigned s = 0;
	for (int j = 0; j < pp->n_needs; j++)
		if ((pp->m->rooms[r].facilities & pp->need_set[j]) == pp->need_set[j])
			s |= 1u << j;
	return s;
}

static unsigned char *tt_need_uses(tt_prep *pp)
{
	const tt_model *m = pp->m;
	bool off = pp->relax & TT_F_FACILITY;
	pp->n_needs = 1;
	pp->need_set[0] = 0;
	for (int i = 0; i < m->n_learners && !off; i++) {
		uint32_t s = m->learners[i].room_needs;
		if (s && !tt_need_index(pp, s) && pp->n_needs < TT_MAX_NEED_SETS)
			pp->need_set[pp->n_needs++] = s;
	}
	/* the distinct signatures, and each room's index among them */
	pp->n_sig = 0;
	int *rsig = xmalloc((size_t)(m->n_rooms ? m->n_rooms : 1) * sizeof *rsig);
	for (int r = 0; r < m->n_rooms; r++) {
		unsigned s = tt_room_sig(pp, r);
		int k = 0;
		while (k < pp->n_sig && pp->sig[k] != s)
			k++;
		if (k == pp->n_sig) {
			uint32_t need = 0;
			for (int j = 0; j < pp->n_needs; j++)
				if (s >> j & 1)
					need |= pp->need_set[j];
			pp->sig_needs[pp->n_sig] = need;
			pp->sig[pp->n_sig++] = s;
		}
		rsig[r] = k;
	}
	int K = pp->n_sig > 0 ? pp->n_sig : 1, nl = m->n_locations;
	unsigned char *uses = xcalloc((size_t)(nl ? nl : 1) * TT_N_ROUTES * (size_t)K, 1);
	for (int r = 0; r < m->n_rooms; r++) {
		int loc = m->rooms[r].location, k = rsig[r];
		if (loc < 0 || loc >= nl)
			continue;
		for (int rt = 0; rt < TT_N_ROUTES; rt++) {
			uint32_t rn = off ? 0 : m->routes[rt].room_needs;
			if ((m->rooms[r].facilities & rn) == rn)
				uses[((size_t)loc * TT_N_ROUTES + (size_t)rt) * (size_t)K + (size_t)k] = 1;
		}
	}
	free(rsig);
	return uses;
}

static void tt_push_opt(tt_prep *pp, int *cap, int cell, double cost)
{
	if (pp->n_opts == *cap) {
		*cap = *cap ? 2 * *cap : 4096;
		pp->opts = xrealloc(pp->opts, (size_t)*cap * sizeof *pp->opts);
	}
	pp->opts[pp->n_opts++] = (tt_opt){cell, cost};
}

/* Per-location lists of rooms and of teachers who can reach it. */
static void tt_prep_index_locations(tt_prep *pp)
{
	const tt_model *m = pp->m;
	int nl = m->n_locations;
	pp->lroom_start = xcalloc((size_t)nl + 2, sizeof(int));
	pp->lteach_start = xcalloc((size_t)nl + 2, sizeof(int));
	pp->lroom = xmalloc((size_t)(m->n_rooms ? m->n_rooms : 1) * sizeof(int));
	int nt = 0;
	for (int l = 0; l < nl; l++)
		for (int t = 0; t < m->n_teachers; t++)
			nt += l < 64 && (m->teachers[t].locations >> l & 1);
	pp->lteach = xmalloc((size_t)(nt ? nt : 1) * sizeof(int));
	int k = 0, q = 0;
	for (int l = 0; l < nl; l++) {
		pp->lroom_start[l] = k;
		for (int r = 0; r < m->n_rooms; r++)
			if (m->rooms[r].location == l)
				pp->lroom[k++] = r;
		pp->lteach_start[l] = q;
		for (int t = 0; t < m->n_teachers; t++)
			if (l < 64 && (m->teachers[t].locations >> l & 1))
				pp->lteach[q++] = t;
	}
	pp->lroom_start[nl] = k;
	pp->lteach_start[nl] = q;
}

/* Whether teacher t may ever take a group of cell c (nothing booked). */
static bool tt_teacher_may(const tt_prep *pp, int t, const tt_cell *c)
{
	const tt_teacher *h = &pp->m->teachers[t];
	return (h->quals & c->quals) == c->quals && (h->avail & c->mask) == c->mask &&
	       (h->locations >> c->loc & 1) && c->load <= h->max_load;
}

/* With a start, the new start groups of each cell's dagdelen and location,
 * whose rooms and teachers the staffing heuristics take first: a re-solve
 * keeps them where it can. The objective does not price which room or
 * teacher a group has (only what that leaves for other groups), and it
 * spares teachers and learners a change (docs/solver.md, pipeline step 2). */
typedef struct tt_pref_ctx {
	const tt_model *m;
	const tt_cell *ce;
} tt_pref_ctx;

static int tt_cmp_pref(const void *a, const void *b, void *arg)
{
	const tt_pref_ctx *x = arg;
	int qa = *(const int *)a, qb = *(const int *)b;
	int ma = tt_start_match(x->ce, &x->m->start[qa]), mb = tt_start_match(x->ce, &x->m->start[qb]);
	return ma != mb ? mb - ma : qa - qb;
}

static void tt_prep_start_staff(tt_prep *pp)
{
	const tt_model *m = pp->m;
	if (!m->has_start || m->n_start == 0)
		return;
	/* the start groups by (dagdelen, location): a chain per key */
	strmap by;
	strmap_init(&by);
	int *head = xmalloc(((size_t)m->n_start + 1) * sizeof *head);
	int *next = xmalloc(((size_t)m->n_start + 1) * sizeof *next);
	int n_keys = 0;
	char key[32];
	for (int q = m->n_start - 1; q >= 0; q--) { /* chains in the start's order */
		const tt_start_group *g = &m->start[q];
		if (g->running != -1 || g->sessions_lost || g->location < 0 ||
		    (g->room < 0 && g->teacher < 0))
			continue;
		int n = snprintf(key, sizeof key, "%x:%d", (unsigned)g->sessions, g->location);
		int h = strmap_put(&by, key, (size_t)n, n_keys);
		if (h == n_keys)
			head[n_keys++] = -1;
		next[q] = head[h];
		head[h] = q;
	}
	pp->pref_off = xcalloc((size_t)pp->n_cells + 1, sizeof *pp->pref_off);
	int cap = 64, used = 0;
	pp->pref_q = xmalloc((size_t)cap * sizeof *pp->pref_q);
	for (int c = 0; c < pp->n_cells; c++) {
		const tt_cell *ce = &pp->cells[c];
		int n = snprintf(key, sizeof key, "%x:%d", (unsigned)ce->mask, ce->loc);
		int h = n_keys ? strmap_get(&by, key, (size_t)n) : -1;
		int first = used;
		for (int q = h >= 0 ? head[h] : -1; q >= 0; q = next[q]) {
			if (used == cap)
				pp->pref_q = xrealloc(pp->pref_q, (size_t)(cap *= 2) * sizeof *pp->pref_q);
			pp->pref_q[used++] = q;
		}
		tt_pref_ctx x = {m, ce};
		if (used - first > 1)
			qsort_r(pp->pref_q + first, (size_t)(used - first), sizeof *pp->pref_q,
				tt_cmp_pref, &x);
		pp->pref_off[c + 1] = used;
	}
	free(head);
	free(next);
	strmap_free(&by);
}

/* cteach: per alive cell the teachers of its location who may take it. */
static void tt_prep_cell_teachers(tt_prep *pp)
{
	int nc = pp->n_cells;
	pp->cteach_start = xcalloc((size_t)nc + 2, sizeof *pp->cteach_start);
	for (int pass = 0; pass < 2; pass++) {
		int k = 0;
		for (int c = 0; c < nc; c++) {
			const tt_cell *ce = &pp->cells[c];
			pp->cteach_start[c] = k;
			if (!ce->alive)
				continue;
			for (int q = pp->lteach_start[ce->loc]; q < pp->lteach_start[ce->loc + 1]; q++)
				if (tt_teacher_may(pp, pp->lteach[q], ce)) {
					if (pass)
						pp->cteach[k] = pp->lteach[q];
					k++;
				}
		}
		pp->cteach_start[nc] = k;
		if (!pass)
			pp->cteach = xmalloc((size_t)(k ? k : 1) * sizeof *pp->cteach);
	}
}

/* By wait weight, highest first; ties by index. */
int tt_cmp_u_desc(const void *a, const void *b, void *arg)
{
	const double *u = arg;
	int x = *(const int *)a, y = *(const int *)b;
	if (u[x] != u[y])
		return u[x] > u[y] ? -1 : 1;
	return x - y;
}

static double tt_cost_cap_of(const tt_prep *pp);

int tt_prep_build(tt_prep *pp, const tt_model *m, int relax)
{
	memset(pp, 0, sizeof *pp);
	pp->m = m;
	pp->relax = relax;
	pp->nd = m->n_dagdelen;
	pp->dload = xmalloc(((size_t)pp->nd + 1) * sizeof *pp->dload);
	pp->dload_min = pp->nd ? 1 << 20 : 1;
	for (int t = 0; t < pp->nd; t++) {
		pp->dload[t] = tt_mask_load(m, (tt_mask)1 << t);
		if (pp->dload[t] < pp->dload_min)
			pp->dload_min = pp->dload[t];
	}
	int n = m->n_learners;
	/* must-place learners get pp->must_w once the options are known */
	pp->u = xmalloc((size_t)(n ? n : 1) * sizeof *pp->u);
	if (m->w.moved > 0 && m->n_start > 0) {
		pp->start_first = xmalloc((size_t)(n ? n : 1) * sizeof *pp->start_first);
		tt_start_first(m, pp->start_first);
	}
	for (int i = 0; i < n; i++)
		pp->u[i] = m->learners[i].must_place
				   ? 0
				   : m->w.unplaced + m->w.wait_week * m->learners[i].weeks_waiting +
					     tt_moved_cost(pp, i, -1, 0, -1);
	pp->hh_apart = xcalloc((size_t)(m->n_households > 0 ? m->n_households : 1), sizeof(bool));
	for (int i = 0; i < n; i++) {
		const tt_learner *l = &m->learners[i];
		if (l->household >= 0 && l->household < m->n_households && l->partners_apart)
			pp->hh_apart[l->household] = true;
	}
	pp->hh_running = xcalloc((size_t)(m->n_households > 0 ? m->n_households : 1),
				 sizeof(tt_mask));
	for (int g = 0; g < m->n_running; g++)
		for (int k = 0; k < m->running[g].n_households; k++) {
			int h = m->running[g].households[k];
			if (h >= 0 && h < m->n_households)
				pp->hh_running[h] |= m->running[g].sessions;
		}
	for (int r = 0; r < TT_N_ROUTES; r++) {
		tt_patgen g = {.m = m, .rt = &m->routes[r], .need = m->routes[r].sessions,
			       .same_day = m->routes[r].same_day_ok || (relax & TT_F_SAMEDAY)};
		if (g.need > 0 && g.need <= m->n_dagdelen) {
			tt_pat_bounds(&g);
			tt_pat_rec(&g, 0, g.need, 0, 0, 0);
			pp->pat_truncated |= g.truncated;
		}
		free(g.lo);
		free(g.hi);
		pp->n_pat[r] = g.n;
		pp->pat[r] = g.out;
	}
	tt_prep_index_locations(pp); /* the cells' resources read it */
	unsigned char *need_uses = tt_need_uses(pp);
	/* group paces: all three when pace costs something, else average only */
	int pc_lo = m->w.pace > 0 ? 0 : 1, pc_hi = m->w.pace > 0 ? 2 : 1;
	tt_res res;
	tt_res_init(&res, pp);
	int cap = 0;
	pp->opt_start = xmalloc((size_t)(n + 1) * sizeof *pp->opt_start);
	for (int i = 0; i < n; i++) {
		const tt_learner *l = &m->learners[i];
		pp->opt_start[i] = pp->n_opts;
		if (l->route < 0 || l->route >= TT_N_ROUTES)
			continue;
		const tt_route *rt = &m->routes[l->route];
		for (int loc = 0; loc < m->n_locations; loc++) {
			int tr = l->travel ? l->travel[loc] : -1;
			if (tr < 0 && !(relax & TT_F_TRAVEL))
				continue;
			tt_mask a = tt_allowed(pp, i, loc);
			if (__builtin_popcount(a) < rt->sessions)
				continue;
			const unsigned char *kuse =
				&need_uses[((size_t)loc * TT_N_ROUTES + (size_t)l->route) *
					   (size_t)(pp->n_sig > 0 ? pp->n_sig : 1)];
			int lneed = tt_need_index(pp, l->room_needs);
			int spread = (relax & TT_F_LEVEL) ? TT_MAX_LEVEL : rt->max_level_spread;
			bool separate = rt->alfa_separate && !(relax & TT_F_ALFA);
			bool wish = l->women_only && !(relax & TT_F_WOMEN);
			for (int L = l->level - spread; L <= l->level; L++) {
				if (L < 0)
					continue;
				for (int al = 0; al < 2; al++) {
					if (separate ? al != l->alfa : (l->alfa && !al))
						continue;
					for (int wo = 0; wo < 2; wo++) {
						if (wo ? l->gender != TT_GENDER_F : wish)
							continue;
						int type = tt_type_index(l->route, L, al, wo);
						for (int p = 0; p < pp->n_pat[l->route]; p++) {
							tt_mask pm = pp->pat[l->route][p];
							if ((pm & a) != pm || !tt_hours_ok(pp, l, pm))
								continue;
							double oc = tt_opt_cost(m, l, L, pm, loc) +
								    tt_moved_cost(pp, i, -1, pm, loc);
							for (int k = 0; k < pp->n_sig; k++) {
								if (!kuse[k] || !(pp->sig[k] >> lneed & 1))
									continue;
								for (int pc = pc_lo; pc <= pc_hi; pc++) {
									int c = tt_cell_get(
										pp, &res,
										type + (3 * k + pc) * TT_N_TYPES, p,
										loc);
									if (!pp->cells[c].alive)
										continue;
									tt_push_opt(pp, &cap, c,
										    oc + tt_pace_cost(m, l, pc));
								}
							}
						}
					}
				}
			}
		}
		for (int r = 0; r < m->n_running; r++) {
			const tt_running *g = &m->running[r];
			if (res.run_free[r] <= 0 || !tt_running_takes(pp, r, i))
				continue;
			if (g->room < 0 || g->room >= m->n_rooms)
				continue;
			int loc = m->rooms[g->room].location;
			int tr = l->travel ? l->travel[loc] : -1;
			if (tr < 0 && !(relax & TT_F_TRAVEL))
				continue;
			if ((tt_allowed(pp, i, loc) & g->sessions) != g->sessions ||
			    !tt_hours_ok(pp, l, g->sessions))
				continue;
			tt_push_opt(pp, &cap, -2 - r,
				    tt_opt_cost(m, l, g->level, g->sessions, loc) +
					    tt_pace_cost(m, l, g->pace) +
					    tt_moved_cost(pp, i, r, g->sessions, loc));
		}
	}
	pp->opt_start[n] = pp->n_opts;
	tt_res_free(&res);
	free(need_uses);

	/* Prune: a cell needs minsz learners who can still be placed somewhere. */
	int *cnt = xcalloc((size_t)(pp->n_cells ? pp->n_cells : 1), sizeof *cnt);
	bool *active = xmalloc((size_t)(n ? n : 1) * sizeof *active);
	for (int i = 0; i < n; i++)
		active[i] = true;
	for (bool changed = true; changed;) {
		changed = false;
		memset(cnt, 0, (size_t)pp->n_cells * sizeof *cnt);
		for (int i = 0; i < n; i++) {
			if (!active[i])
				continue;
			for (int k = pp->opt_start[i]; k < pp->opt_start[i + 1]; k++)
				if (pp->opts[k].cell >= 0)
					cnt[pp->opts[k].cell]++;
		}
		for (int c = 0; c < pp->n_cells; c++)
			if (pp->cells[c].alive && cnt[c] < pp->cells[c].minsz) {
				pp->cells[c].alive = false;
				changed = true;
			}
		for (int i = 0; i < n; i++) {
			if (!active[i])
				continue;
			bool any = false;
			for (int k = pp->opt_start[i]; k < pp->opt_start[i + 1] && !any; k++) {
				int c = pp->opts[k].cell;
				any = c < 0 || pp->cells[c].alive;
			}
			if (!any) {
				active[i] = false;
				changed = true;
			}
		}
	}
	/* Compact options and build eligibility lists. */
	int w = 0;
	for (int i = 0; i < n; i++) {
		int s = pp->opt_start[i], e = pp->opt_start[i + 1];
		pp->opt_start[i] = w;
		for (int k = s; k < e; k++) {
			int c = pp->opts[k].cell;
			if (c < 0 || pp->cells[c].alive)
				pp->opts[w++] = pp->opts[k];
		}
	}
	pp->opt_start[n] = w;
	pp->n_opts = w;
	memset(cnt, 0, (size_t)pp->n_cells * sizeof *cnt);
	for (int k = 0; k < w; k++)
		if (pp->opts[k].cell >= 0)
			cnt[pp->opts[k].cell]++;
	/* one block each, in cell order: pricing and the greedy walk the cells
	 * in order, so their lists stream from memory */
	size_t tot = 0;
	for (int c = 0; c < pp->n_cells; c++)
		tot += (size_t)cnt[c];
	pp->elig_pool = xmalloc((tot + 1) * sizeof *pp->elig_pool);
	pp->ecost_pool = xmalloc((tot + 1) * sizeof *pp->ecost_pool);
	tot = 0;
	for (int c = 0; c < pp->n_cells; c++) {
		pp->cells[c].elig = pp->elig_pool + tot;
		pp->cells[c].ecost = pp->ecost_pool + tot;
		pp->cells[c].n_elig = 0;
		tot += (size_t)cnt[c];
	}
	for (int i = 0; i < n; i++)
		for (int k = pp->opt_start[i]; k < pp->opt_start[i + 1]; k++) {
			int c = pp->opts[k].cell;
			if (c >= 0) {
				tt_cell *ce = &pp->cells[c];
				ce->ecost[ce->n_elig] = pp->opts[k].cost;
				ce->elig[ce->n_elig++] = i;
			}
		}
	/* The must weight: above every plan placing everyone who can be
	 * placed, so no plan leaving a must-place learner out is ever cheaper
	 * than one placing them all, whatever the request's weights (at least
	 * TT_MUST_WEIGHT, which the default weights stay far below). */
	pp->cost_cap = tt_cost_cap_of(pp);
	pp->must_w = 2 * pp->cost_cap > TT_MUST_WEIGHT ? 2 * pp->cost_cap : TT_MUST_WEIGHT;
	for (int i = 0; i < n; i++)
		if (m->learners[i].must_place)
			pp->u[i] = pp->must_w;
	pp->u_order = xmalloc((size_t)(n ? n : 1) * sizeof *pp->u_order);
	for (int i = 0; i < n; i++)
		pp->u_order[i] = i;
	qsort_r(pp->u_order, (size_t)n, sizeof *pp->u_order, tt_cmp_u_desc, pp->u);
	/* Per-learner lower bound: unplaced, or the cheapest option with the
	 * group cost shared by a full group (no bigger than the cell's learners). */
	pp->lb = xmalloc((size_t)(n ? n : 1) * sizeof *pp->lb);
	for (int i = 0; i < n; i++) {
		double b = pp->u[i];
		for (int k = pp->opt_start[i]; k < pp->opt_start[i + 1]; k++) {
			int c = pp->opts[k].cell;
			double v = pp->opts[k].cost;
			if (c >= 0)
				v += pp->cells[c].gcost / tt_cell_cap(&pp->cells[c]);
			if (v < b)
				b = v;
		}
		pp->lb[i] = b;
	}
	free(cnt);
	free(active);
	pp->cell_min = xmalloc(((size_t)pp->n_cells + 1) * sizeof *pp->cell_min);
	for (int c = 0; c < pp->n_cells; c++)
		pp->cell_min[c] = pp->cells[c].alive ? pp->cells[c].minsz : INT_MAX;
	pp->has_join = xcalloc((size_t)n + 1, sizeof *pp->has_join);
	for (int i = 0; i < n; i++)
		for (int k = pp->opt_start[i]; k < pp->opt_start[i + 1]; k++)
			pp->has_join[i] |= pp->opts[k].cell <= -2;
	pp->join_order = xmalloc(((size_t)n + 1) * sizeof *pp->join_order);
	pp->n_join = 0;
	for (int q = 0; q < n; q++)
		if (pp->has_join[pp->u_order[q]])
			pp->join_order[pp->n_join++] = pp->u_order[q];
	tt_prep_cell_teachers(pp);
	tt_prep_start_staff(pp);
	return 0;
}

double tt_prep_cost_cap(const tt_prep *pp)
{
	return pp->cost_cap;
}

static double tt_cost_cap_of(const tt_prep *pp)
{
	const tt_model *m = pp->m;
	double gmax = 0, cap = 0;
	for (int c = 0; c < pp->n_cells; c++)
		if (pp->cells[c].gcost > gmax)
			gmax = pp->cells[c].gcost;
	for (int i = 0; i < m->n_learners; i++) {
		double most = 0;
		for (int o = pp->opt_start[i]; o < pp->opt_start[i + 1]; o++)
			if (pp->opts[o].cost > most)
				most = pp->opts[o].cost;
		if (!m->learners[i].must_place)
			cap += pp->u[i];
		if (pp->opt_start[i + 1] > pp->opt_start[i])
			cap += most + gmax + (m->room_capacity_soft ? m->room_seat_penalty : 0);
	}
	/* running groups already over their rooms count whoever joins */
	for (int r = 0; m->room_capacity_soft && r < m->n_running; r++) {
		const tt_running *g = &m->running[r];
		if (g->room >= 0 && g->room < m->n_rooms && g->n_members > m->rooms[g->room].capacity)
			cap += m->room_seat_penalty * (g->n_members - m->rooms[g->room].capacity);
	}
	return cap;
}

double tt_prep_bound(const tt_prep *pp)
{
	double s = 0;
	for (int i = 0; i < pp->m->n_learners; i++)
		s += tt_must(pp, i) && pp->lb[i] >= pp->must_w ? 0 : pp->lb[i];
	return s;
}

void tt_prep_free(tt_prep *pp)
{
	free(pp->dload);
	free(pp->u);
	free(pp->start_first);
	free(pp->pref_off);
	free(pp->pref_q);
	free(pp->u_order);
	free(pp->cell_min);
	free(pp->has_join);
	free(pp->join_order);
	free(pp->cteach_start);
	free(pp->cteach);
	for (int r = 0; r < TT_N_ROUTES; r++)
		free(pp->pat[r]);
	free(pp->elig_pool);
	free(pp->ecost_pool);
	free(pp->cells);
	free(pp->hkey);
	free(pp->hval);
	free(pp->opt_start);
	free(pp->opts);
	free(pp->hh_apart);
	free(pp->hh_running);
	free(pp->lb);
	free(pp->lroom_start);
	free(pp->lroom);
	free(pp->lteach_start);
	free(pp->lteach);
	memset(pp, 0, sizeof *pp);
}

/* ---- resources ---- */

bool tt_room_fits(const tt_prep *pp, const tt_res *r, int room, const tt_cell *c)
{
	const tt_room *rm = &pp->m->rooms[room];
	tt_mask avail = (pp->relax & TT_F_ROOMAVAIL) ? ~(tt_mask)0 : rm->avail;
	if (rm->location != c->loc || (avail & c->mask) != c->mask ||
	    (r->room_busy[room] & c->mask) || (rm->facilities & c->needs) != c->needs)
		return false;
	if (tt_hard_cap(pp) && rm->capacity < c->minsz)
		return false;
	return true;
}

bool tt_teacher_fits(const tt_prep *pp, const tt_res *r, int t, const tt_cell *c)
{
	return tt_teacher_may(pp, t, c) && tt_teacher_free(pp, r, t, c);
}

bool tt_teacher_free(const tt_prep *pp, const tt_res *r, int t, const tt_cell *c)
{
	const tt_teacher *h = &pp->m->teachers[t];
	if ((r->teach_busy[t] & c->mask) || r->teach_load[t] + c->load > h->max_load)
		return false;
	int per[7] = {0};
	for (int k = 0; k < pp->nd; k++)
		if (c->mask >> k & 1) {
			int d = pp->m->dagdelen[k].day;
			if (d >= 0 && d < 7 && ++per[d] + r->teach_day[t * 7 + d] > h->max_per_day)
				return false;
		}
	return true;
}

bool tt_learner_free(const tt_prep *pp, const tt_res *r, int i, tt_mask mask)
{
	const tt_model *m = pp->m;
	const tt_learner *l = &m->learners[i];
	if (tt_needs_care(pp, i)) {
		const tt_childcare *k = &m->childcare[l->childcare];
		for (tt_mask rest = mask; rest; rest &= rest - 1) {
			int t = __builtin_ctz(rest);
			if (r->cc_used[l->childcare * pp->nd + t] + l->young_children > k->places[t])
				return false;
		}
	}
	if (tt_kept_apart(pp, i) && (r->hh_busy[l->household] & mask))
		return false;
	return true;
}

void tt_res_init(tt_res *r, const tt_prep *pp)
{
	const tt_model *m = pp->m;
	memset(r, 0, sizeof *r);
	r->nd = pp->nd, r->nr = m->n_rooms, r->nt = m->n_teachers, r->nc = m->n_childcare;
	r->nh = m->n_households, r->nrun = m->n_running;
	r->room_busy = xcalloc((size_t)r->nr + 1, sizeof(tt_mask));
	r->teach_busy = xcalloc((size_t)r->nt + 1, sizeof(tt_mask));
	r->teach_load = xcalloc((size_t)r->nt + 1, sizeof(int));
	r->teach_day = xcalloc((size_t)r->nt * 7 + 1, sizeof(int));
	r->cc_used = xcalloc((size_t)r->nc * (size_t)r->nd + 1, sizeof(int));
	r->hh_busy = xcalloc((size_t)(r->nh > 0 ? r->nh : 0) + 1, sizeof(tt_mask));
	r->run_free = xcalloc((size_t)r->nrun + 1, sizeof(int));
	for (int g = 0; g < m->n_running; g++) {
		const tt_running *rg = &m->running[g];
		if (rg->room >= 0 && rg->room < r->nr)
			r->room_busy[rg->room] |= rg->sessions;
		if (rg->teacher >= 0 && rg->teacher < r->nt) {
			r->teach_busy[rg->teacher] |= rg->sessions;
			for (int t = 0; t < pp->nd; t++)
				if (rg->sessions >> t & 1) {
					r->teach_load[rg->teacher] += pp->dload[t];
					int d = m->dagdelen[t].day;
					if (d >= 0 && d < 7)
						r->teach_day[rg->teacher * 7 + d]++;
				}
		}
		r->run_free[g] = tt_run_seats(m, g, tt_hard_cap(pp));
	}
}

void tt_res_free(tt_res *r)
{
	free(r->room_busy);
	free(r->teach_busy);
	free(r->teach_load);
	free(r->teach_day);
	free(r->cc_used);
	free(r->hh_busy);
	free(r->run_free);
	memset(r, 0, sizeof *r);
}

/* Adds (sign 1) or takes back (sign -1) a group's room and teacher on the
 * dagdelen of cell c (one group per room and teacher and dagdeel, so
 * taking back clears exactly what it set). */
static void tt_res_group(tt_res *r, const tt_prep *pp, const tt_cell *c, int room, int teacher,
			 int sign)
{
	if (room >= 0)
		r->room_busy[room] = sign > 0 ? r->room_busy[room] | c->mask : r->room_busy[room] & ~c->mask;
	if (teacher >= 0) {
		r->teach_busy[teacher] =
			sign > 0 ? r->teach_busy[teacher] | c->mask : r->teach_busy[teacher] & ~c->mask;
		for (tt_mask rest = c->mask; rest; rest &= rest - 1) {
			int t = __builtin_ctz(rest);
			r->teach_load[teacher] += sign * pp->dload[t];
			int d = pp->m->dagdelen[t].day;
			if (d >= 0 && d < 7)
				r->teach_day[teacher * 7 + d] += sign;
		}
	}
}

void tt_res_use_group(tt_res *r, const tt_prep *pp, const tt_cell *c, int room, int teacher)
{
	tt_res_group(r, pp, c, room, teacher, 1);
}

/* Adds (sign 1) or takes back (sign -1) learner i's childcare places and
 * household dagdelen for the dagdelen in mask. Taking back clears the
 * household's bits: exact where they are read (partners apart never share
 * a dagdeel). */
static void tt_res_learner(tt_res *r, const tt_prep *pp, int i, tt_mask mask, int sign)
{
	const tt_model *m = pp->m;
	const tt_learner *l = &m->learners[i];
	if (l->young_children > 0 && l->childcare >= 0 && l->childcare < m->n_childcare)
		for (tt_mask rest = mask; rest; rest &= rest - 1)
			r->cc_used[l->childcare * pp->nd + __builtin_ctz(rest)] += sign * l->young_children;
	if (l->household >= 0 && l->household < m->n_households) {
		if (sign > 0)
			r->hh_busy[l->household] |= mask;
		else
			r->hh_busy[l->household] &= ~mask;
	}
}

void tt_res_use_learner(tt_res *r, const tt_prep *pp, int i, tt_mask mask)
{
	tt_res_learner(r, pp, i, mask, 1);
}

void tt_res_drop_learner(tt_res *r, const tt_prep *pp, int i, tt_mask mask)
{
	tt_res_learner(r, pp, i, mask, -1);
}

void tt_res_drop_group(tt_res *r, const tt_prep *pp, const tt_cell *c, int room, int teacher)
{
	tt_res_group(r, pp, c, room, teacher, -1);
}

void tt_res_of_plan(tt_res *r, const tt_prep *pp, const tt_plan *pl)
{
	const tt_model *m = pp->m;
	for (int g = 0; g < pl->n_groups; g++)
		tt_res_use_group(r, pp, &pp->cells[pl->g[g].cell], pl->g[g].room, pl->g[g].teacher);
	for (int i = 0; i < m->n_learners; i++) {
		int a = pl->asg[i];
		if (a >= 0) {
			tt_res_use_learner(r, pp, i, pp->cells[a].mask);
		} else if (a <= -2) {
			r->run_free[-2 - a]--;
			tt_res_use_learner(r, pp, i, m->running[-2 - a].sessions);
		}
	}
}

void tt_res_copy(tt_res *dst, const tt_res *src)
{
	memcpy(dst->room_busy, src->room_busy, (size_t)src->nr * sizeof *src->room_busy);
	memcpy(dst->teach_busy, src->teach_busy, (size_t)src->nt * sizeof *src->teach_busy);
	memcpy(dst->teach_load, src->teach_load, (size_t)src->nt * sizeof *src->teach_load);
	memcpy(dst->teach_day, src->teach_day, (size_t)src->nt * 7 * sizeof *src->teach_day);
	memcpy(dst->cc_used, src->cc_used, (size_t)src->nc * (size_t)src->nd * sizeof *src->cc_used);
	memcpy(dst->hh_busy, src->hh_busy, (size_t)(src->nh > 0 ? src->nh : 0) * sizeof *src->hh_busy);
	memcpy(dst->run_free, src->run_free, (size_t)src->nrun * sizeof *src->run_free);
}

/* ---- plans ---- */

void tt_plan_init(tt_plan *pl, int n_learners)
{
	memset(pl, 0, sizeof *pl);
	pl->n_learners = n_learners;
	pl->asg = xmalloc((size_t)(n_learners ? n_learners : 1) * sizeof *pl->asg);
	for (int i = 0; i < n_learners; i++)
		pl->asg[i] = -1;
	pl->cost = HUGE_VAL;
}

void tt_plan_free(tt_plan *pl)
{
	free(pl->asg);
	free(pl->g);
	memset(pl, 0, sizeof *pl);
}

void tt_plan_copy(tt_plan *dst, const tt_plan *src)
{
	tt_plan_free(dst);
	tt_plan_init(dst, src->n_learners);
	memcpy(dst->asg, src->asg, (size_t)src->n_learners * sizeof *dst->asg);
	for (int k = 0; k < src->n_groups; k++)
		tt_plan_add_group(dst, src->g[k].cell, src->g[k].room, src->g[k].teacher);
	dst->cost = src->cost;
}

void tt_plan_add_group(tt_plan *pl, int cell, int room, int teacher)
{
	if (pl->n_groups == pl->cap_groups) {
		pl->cap_groups = pl->cap_groups ? 2 * pl->cap_groups : 16;
		pl->g = xrealloc(pl->g, (size_t)pl->cap_groups * sizeof *pl->g);
	}
	pl->g[pl->n_groups++] = (tt_pgroup){cell, room, teacher};
}

/* ---- resource bound ---- */

typedef struct tt_kitem {
	double ratio, gain, use;
} tt_kitem;

static int tt_cmp_kitem(const void *a, const void *b)
{
	const tt_kitem *x = a, *y = b;
	if (x->ratio != y->ratio)
		return x->ratio > y->ratio ? -1 : 1;
	return 0;
}

/* Σ u_i minus the best gain of a fractional knapsack: placing learner i
 * gains u_i - lb_i and takes at least use_i of a weekly resource of size
 * cap. Must-place learners are placed: their use comes off cap first and
 * they count lb_i. Valid because every plan satisfies the knapsack row. */
static double tt_knapsack_bound(const tt_prep *pp, const double *use, double cap, tt_kitem *it)
{
	const tt_model *m = pp->m;
	double s = 0;
	int n = 0;
	for (int i = 0; i < m->n_learners; i++) {
		if (tt_must(pp, i)) {
			s += pp->lb[i] >= pp->must_w ? 0 : pp->lb[i];
			if (pp->lb[i] < pp->must_w)
				cap -= use[i];
			continue;
		}
		s += pp->u[i];
		double gain = pp->u[i] - pp->lb[i];
		if (gain <= 0)
			continue;
		if (use[i] <= 0) {
			s -= gain;
			continue;
		}
		it[n++] = (tt_kitem){gain / use[i], gain, use[i]};
	}
	if (cap < 0)
		cap = 0;
	qsort(it, (size_t)n, sizeof *it, tt_cmp_kitem);
	for (int k = 0; k < n && cap > 0; k++) {
		double f = it[k].use <= cap ? 1.0 : cap / it[k].use;
		s -= f * it[k].gain;
		cap -= f * it[k].use;
	}
	return s;
}

/* Bounds from the weekly teacher load and room dagdelen: a learner in a
 * new group of cell c takes load / maxsz of the first and sessions / maxsz
 * of the second (running groups take none). The larger of the two
 * knapsack bounds is returned. */
double tt_prep_resource_bound(const tt_prep *pp)
{
	const tt_model *m = pp->m;
	int n = m->n_learners;
	double *use = xcalloc((size_t)(n ? n : 1), sizeof *use);
	double *tuse = xcalloc((size_t)(n ? n : 1), sizeof *tuse);
	tt_kitem *it = xmalloc((size_t)(n ? n : 1) * sizeof *it);
	for (int i = 0; i < n; i++) {
		double w = HUGE_VAL, tw = HUGE_VAL;
		for (int k = pp->opt_start[i]; k < pp->opt_start[i + 1]; k++) {
			int c = pp->opts[k].cell;
			double cap = c < 0 ? 1 : tt_cell_cap(&pp->cells[c]);
			double v = c < 0 ? 0 : pp->cells[c].sessions / cap;
			double tv = c < 0 ? 0 : pp->cells[c].load / cap;
			if (v < w)
				w = v;
			if (tv < tw)
				tw = tv;
		}
		use[i] = isinf(w) ? 0 : w;
		tuse[i] = isinf(tw) ? 0 : tw;
	}
	tt_res res;
	tt_res_init(&res, pp);
	double best = -HUGE_VAL;
	if (!(pp->relax & TT_F_TEACHER)) {
		double cap = 0;
		for (int h = 0; h < m->n_teachers; h++) {
			int freec = tt_load_of(pp, m->teachers[h].avail & ~res.teach_busy[h]);
			int left = m->teachers[h].max_load - res.teach_load[h];
			cap += left < freec ? (left > 0 ? left : 0) : freec;
		}
		double b = tt_knapsack_bound(pp, tuse, cap, it);
		if (b > best)
			best = b;
	}
	{
		int minsz = 1 << 30;
		for (int c = 0; c < pp->n_cells; c++)
			if (pp->cells[c].alive && pp->cells[c].minsz < minsz)
				minsz = pp->cells[c].minsz;
		double cap = 0;
		for (int r = 0; r < m->n_rooms; r++) {
			if (tt_hard_cap(pp) && m->rooms[r].capacity < minsz)
				continue;
			tt_mask open = m->rooms[r].avail & ~res.room_busy[r];
			int loc = m->rooms[r].location;
			if (loc >= 0 && loc < m->n_locations)
				open &= ~m->locations[loc].closed;
			cap += __builtin_popcount(open);
		}
		double b = tt_knapsack_bound(pp, use, cap, it);
		if (b > best)
			best = b;
	}
	tt_res_free(&res);
	free(use);
	free(tuse);
	free(it);
	return best;
}
