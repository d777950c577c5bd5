/* ctt_solve.c: ITC2007 track 3 solver: saturation-degree greedy construction,
 * ejection-chain repair with a tabu list until hard-feasible, then simulated
 * annealing over lecture moves, swaps and Kempe chains (hard constraints kept
 * satisfied) on the UD2 penalty, then exact room re-assignment with GLPK
 * (ctt_rooms_mip.c). No I/O. */
#include "ctt.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ctt_internal.h"
#include "rs_error.h"
#include "xalloc.h"

void ctt_params_defaults(ctt_params *p)
{
	memset(p, 0, sizeof *p);
	p->time_limit = 60;
	p->seed = 1;
	p->use_mip = 1;
}

/* ---- random numbers (splitmix64 seeding, xorshift64*) ---- */

static uint64_t ctt_rng_next(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 2685821657736338717ULL;
}

static uint64_t ctt_rng_seed(unsigned long seed)
{
	uint64_t z = (uint64_t)seed + 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return z ? z : 0x2545f4914f6cdd1dULL;
}

/* Uniform in [0, n), n > 0. */
static int ctt_rand(ctt_state *st, int n)
{
	return (int)((ctt_rng_next(&st->rng) >> 33) % (uint64_t)n);
}

static double ctt_rand01(ctt_state *st)
{
	return (double)(ctt_rng_next(&st->rng) >> 11) * (1.0 / 9007199254740992.0);
}

double ctt_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---- state ---- */

static int ctt_mwd_pen(const ctt_course *c, int days)
{
	return days < c->min_days ? CTT_W_MIN_DAYS * (c->min_days - days) : 0;
}

static void ctt_state_init(ctt_state *st, const ctt_instance *in)
{
	memset(st, 0, sizeof *st);
	st->in = in;
	st->L = in->n_lectures;
	st->S = in->n_slots;
	st->R = in->n_rooms;
	st->P = in->periods_per_day;
	st->D = in->n_days;
	st->C = in->n_courses;
	st->Q = in->n_curricula;
	st->T = in->n_teachers;
	size_t L = (size_t)st->L, S = (size_t)st->S, R = (size_t)st->R, C = (size_t)st->C;
	st->slot = xmalloc((L + 1) * sizeof(int));
	st->room = xmalloc((L + 1) * sizeof(int));
	st->grid = xmalloc((S * R + 1) * sizeof(int));
	for (size_t i = 0; i < L; i++)
		st->slot[i] = st->room[i] = -1;
	for (size_t i = 0; i < S * R; i++)
		st->grid[i] = -1;
	st->curr_cnt = xcalloc((size_t)st->Q * S + 1, sizeof(int));
	st->teach_cnt = xcalloc((size_t)st->T * S + 1, sizeof(int));
	st->day_cnt = xcalloc(C * (size_t)st->D + 1, sizeof(int));
	st->days_used = xcalloc(C + 1, sizeof(int));
	st->room_cnt = xcalloc(C * R + 1, sizeof(int));
	st->rooms_used = xcalloc(C + 1, sizeof(int));
	st->cap_pen = xmalloc((C * R + 1) * sizeof(int));
	for (size_t c = 0; c < C; c++)
		for (size_t r = 0; r < R; r++) {
			int over = in->courses[c].students - in->rooms[r].capacity;
			st->cap_pen[c * R + r] = over > 0 ? CTT_W_CAPACITY * over : 0;
		}
	st->unplaced = st->L;
	/* With nothing placed every course misses all its working days. */
	for (size_t c = 0; c < C; c++)
		st->soft += ctt_mwd_pen(&in->courses[c], 0);
	/* Conflict bitset between courses: same teacher or a shared curriculum. */
	st->cwords = (C + 63) / 64;
	st->conflict = xcalloc(C * st->cwords + 1, sizeof(uint64_t));
	for (size_t a = 0; a < C; a++)
		for (size_t b = 0; b < C; b++)
			if (in->courses[a].teacher == in->courses[b].teacher)
				st->conflict[a * st->cwords + b / 64] |= 1ULL << (b % 64);
	for (int q = 0; q < st->Q; q++) {
		const ctt_curriculum *cu = &in->curricula[q];
		for (int i = 0; i < cu->n_courses; i++)
			for (int j = 0; j < cu->n_courses; j++) {
				size_t a = (size_t)cu->courses[i], b = (size_t)cu->courses[j];
				st->conflict[a * st->cwords + b / 64] |= 1ULL << (b % 64);
			}
	}
}

static void ctt_state_free(ctt_state *st)
{
	free(st->slot);
	free(st->room);
	free(st->grid);
	free(st->curr_cnt);
	free(st->teach_cnt);
	free(st->day_cnt);
	free(st->days_used);
	free(st->room_cnt);
	free(st->rooms_used);
	free(st->cap_pen);
	free(st->conflict);
}

static int ctt_conflicts(const ctt_state *st, int a, int b)
{
	return (int)((st->conflict[(size_t)a * st->cwords + (size_t)b / 64] >> (b % 64)) & 1);
}

/* Compactness cost of curriculum q over slots t-1..t+1 of t's day. */
static int ctt_cc_local(const ctt_state *st, int q, int t)
{
	const int *u = &st->curr_cnt[(size_t)q * st->S];
	int p = t % st->P, day0 = t - p, cost = 0;
	for (int x = p - 1; x <= p + 1; x++) {
		if (x < 0 || x >= st->P || !u[day0 + x])
			continue;
		int before = x > 0 ? u[day0 + x - 1] : 0;
		int after = x + 1 < st->P ? u[day0 + x + 1] : 0;
		if (!before && !after)
			cost += CTT_W_COMPACTNESS * u[day0 + x];
	}
	return cost;
}


void ctt_place(ctt_state *st, int l, int t, int r)
{
	const ctt_instance *in = st->in;
	int c = in->lecture_course[l];
	const ctt_course *co = &in->courses[c];
	st->slot[l] = t;
	st->room[l] = r;
	st->grid[(size_t)t * st->R + r] = l;
	st->unplaced--;
	st->teach_cnt[(size_t)co->teacher * st->S + t]++;
	int d = t / st->P;
	int delta = st->cap_pen[(size_t)c * st->R + r];
	if (st->day_cnt[(size_t)c * st->D + d]++ == 0) {
		delta += ctt_mwd_pen(co, st->days_used[c] + 1) - ctt_mwd_pen(co, st->days_used[c]);
		st->days_used[c]++;
	}
	if (st->room_cnt[(size_t)c * st->R + r]++ == 0) {
		if (st->rooms_used[c] >= 1)
			delta += CTT_W_STABILITY;
		st->rooms_used[c]++;
	}
	for (int k = 0; k < co->n_curricula; k++) {
		int q = co->curricula[k];
		int before = ctt_cc_local(st, q, t);
		st->curr_cnt[(size_t)q * st->S + t]++;
		delta += ctt_cc_local(st, q, t) - before;
	}
	st->soft += delta;
}

void ctt_unplace(ctt_state *st, int l)
{
	const ctt_instance *in = st->in;
	int c = in->lecture_course[l];
	const ctt_course *co = &in->courses[c];
	int t = st->slot[l], r = st->room[l];
	st->slot[l] = -1;
	st->room[l] = -1;
	st->grid[(size_t)t * st->R + r] = -1;
	st->unplaced++;
	st->teach_cnt[(size_t)co->teacher * st->S + t]--;
	int d = t / st->P;
	int delta = -st->cap_pen[(size_t)c * st->R + r];
	if (--st->day_cnt[(size_t)c * st->D + d] == 0) {
		delta += ctt_mwd_pen(co, st->days_used[c] - 1) - ctt_mwd_pen(co, st->days_used[c]);
		st->days_used[c]--;
	}
	if (--st->room_cnt[(size_t)c * st->R + r] == 0) {
		st->rooms_used[c]--;
		if (st->rooms_used[c] >= 1)
			delta -= CTT_W_STABILITY;
	}
	for (int k = 0; k < co->n_curricula; k++) {
		int q = co->curricula[k];
		int before = ctt_cc_local(st, q, t);
		st->curr_cnt[(size_t)q * st->S + t]--;
		delta += ctt_cc_local(st, q, t) - before;
	}
	st->soft += delta;
}

/* May course c be taught at t given the lectures placed now? */
int ctt_can(const ctt_state *st, int c, int t)
{
	const ctt_instance *in = st->in;
	const ctt_course *co = &in->courses[c];
	if (in->unavailable[(size_t)c * st->S + t])
		return 0;
	if (st->teach_cnt[(size_t)co->teacher * st->S + t])
		return 0;
	for (int k = 0; k < co->n_curricula; k++)
		if (st->curr_cnt[(size_t)co->curricula[k] * st->S + t])
			return 0;
	return 1;
}

/* Penalty of all placed lectures, from the counters (for self-checks). */
int ctt_state_soft(const ctt_state *st)
{
	int s = 0;
	for (int c = 0; c < st->C; c++) {
		s += ctt_mwd_pen(&st->in->courses[c], st->days_used[c]);
		if (st->rooms_used[c] > 1)
			s += CTT_W_STABILITY * (st->rooms_used[c] - 1);
	}
	for (int l = 0; l < st->L; l++)
		if (st->slot[l] >= 0)
			s += st->cap_pen[(size_t)st->in->lecture_course[l] * st->R + st->room[l]];
	for (int q = 0; q < st->Q; q++) {
		const int *u = &st->curr_cnt[(size_t)q * st->S];
		for (int t = 0; t < st->S; t++) {
			int p = t % st->P;
			if (u[t] && (p == 0 || !u[t - 1]) && (p + 1 == st->P || !u[t + 1]))
				s += CTT_W_COMPACTNESS * u[t];
		}
	}
	return s;
}

/* ---- run control ---- */

static int ctt_should_stop(ctt_run *run)
{
	if (run->p->cancel && *run->p->cancel) {
		run->cancelled = 1;
		return 1;
	}
	return ctt_now() >= run->deadline;
}

static void ctt_report(ctt_run *run, const char *phase, int hard, int soft, long iters, int force)
{
	if (!run->p->progress)
		return;
	double now = ctt_now();
	if (!force && now - run->last_report < 1.0)
		return;
	run->last_report = now;
	ctt_progress pr = {.hard = hard, .soft = soft, .iterations = iters, .elapsed = now - run->t0,
			   .phase = phase};
	run->p->progress(run->p->ud, &pr);
}

/* ---- construction ---- */

/* Best free room at slot t for course c (least capacity penalty, then the
 * room it already uses most, then smallest capacity), or -1. */
static int ctt_best_room(const ctt_state *st, int c, int t)
{
	int best = -1, bk = 0;
	for (int r = 0; r < st->R; r++) {
		if (st->grid[(size_t)t * st->R + r] >= 0)
			continue;
		int key = st->cap_pen[(size_t)c * st->R + r] * 4 + (st->room_cnt[(size_t)c * st->R + r] ? 0 : 1) * 2;
		key = key * 1000001 + st->in->rooms[r].capacity;
		if (best < 0 || key < bk) {
			best = r;
			bk = key;
		}
	}
	return best;
}

/* Greedy: repeatedly place a lecture of the course with fewest feasible
 * slots (ties: more lectures left, random) at its cheapest slot. */
static void ctt_greedy(ctt_state *st, ctt_run *run)
{
	const ctt_instance *in = st->in;
	int *left = xmalloc(((size_t)st->C + 1) * sizeof(int));
	int *next = xmalloc(((size_t)st->C + 1) * sizeof(int));
	for (int c = 0; c < st->C; c++) {
		left[c] = in->courses[c].lectures;
		next[c] = in->courses[c].first_lecture;
	}
	for (;;) {
		int bc = -1, bopt = 0, bleft = 0;
		for (int c = 0; c < st->C; c++) {
			if (!left[c])
				continue;
			int opt = 0;
			for (int t = 0; t < st->S; t++)
				if (ctt_can(st, c, t) && ctt_best_room(st, c, t) >= 0)
					opt++;
			if (bc < 0 || opt < bopt || (opt == bopt && left[c] > bleft)) {
				bc = c;
				bopt = opt;
				bleft = left[c];
			}
		}
		if (bc < 0 || ctt_should_stop(run))
			break;
		int l = next[bc]++;
		left[bc]--;
		if (bopt == 0)
			continue; /* stays unplaced: repair later */
		int bt = -1, br = -1, bd = 0, ties = 0;
		for (int t = 0; t < st->S; t++) {
			if (!ctt_can(st, bc, t))
				continue;
			int r = ctt_best_room(st, bc, t);
			if (r < 0)
				continue;
			int before = st->soft;
			ctt_place(st, l, t, r);
			int d = st->soft - before;
			ctt_unplace(st, l);
			if (bt < 0 || d < bd) {
				bt = t;
				br = r;
				bd = d;
				ties = 1;
			} else if (d == bd && ctt_rand(st, ++ties) == 0) {
				bt = t;
				br = r;
			}
		}
		ctt_place(st, l, bt, br);
	}
	free(left);
	free(next);
}

static void ctt_save(const ctt_state *st, int *slot, int *room);

/* Ejection-chain repair: place an unplaced lecture where it evicts the
 * fewest lectures (tabu: a course may not go back to a slot it was just
 * evicted from), evicted lectures join the unplaced pool. Returns 0 when
 * all are placed, 1 when stopped; stopped, st holds the state with the
 * fewest lectures unplaced that the repair went through (kept in
 * best_slot/best_room): a chain in progress holds more out than that. */
static int ctt_repair(ctt_state *st, ctt_run *run, int *best_slot, int *best_room, int *fewest)
{
	const ctt_instance *in = st->in;
	int *pool = xmalloc(((size_t)st->L + 1) * sizeof(int));
	int np = 0;
	for (int l = 0; l < st->L; l++)
		if (st->slot[l] < 0)
			pool[np++] = l;
	long *tabu = xcalloc((size_t)st->C * (size_t)st->S + 1, sizeof(long));
	int *evict = xmalloc(((size_t)st->R + 8) * sizeof(int));
	int *bevict = xmalloc(((size_t)st->R + 8) * sizeof(int));
	long it = 0;
	int stopped = 0, best_np = np;
	ctt_save(st, best_slot, best_room);
	while (np > 0) {
		it++;
		if ((it & 63) == 0) {
			if (ctt_should_stop(run)) {
				stopped = 1;
				break;
			}
			ctt_report(run, "construct", np, -1, it, 0);
		}
		int pi = ctt_rand(st, np);
		int l = pool[pi];
		int c = in->lecture_course[l];
		int bt = -1, br = -1, bn = 0, ties = 0;
		int bcost = 0;
		for (int t = 0; t < st->S; t++) {
			if (in->unavailable[(size_t)c * st->S + t])
				continue;
			if (tabu[(size_t)c * st->S + t] > it)
				continue;
			/* Lectures at t that conflict with c (course clash or same
			 * teacher/curriculum). */
			int n = 0;
			for (int r = 0; r < st->R; r++) {
				int o = st->grid[(size_t)t * st->R + r];
				if (o >= 0 && ctt_conflicts(st, c, in->lecture_course[o]))
					evict[n++] = o;
			}
			for (int r = 0; r < st->R; r++) {
				int o = st->grid[(size_t)t * st->R + r];
				int extra = (o >= 0 && !ctt_conflicts(st, c, in->lecture_course[o])) ? 1 : 0;
				int cost = (n + extra) * 1000 + st->cap_pen[(size_t)c * st->R + r];
				if (bt < 0 || cost < bcost) {
					bt = t;
					br = r;
					bcost = cost;
					ties = 1;
				} else if (cost == bcost && ctt_rand(st, ++ties) == 0) {
					bt = t;
					br = r;
				} else
					continue;
				memcpy(bevict, evict, (size_t)n * sizeof(int));
				bn = n;
				if (extra)
					bevict[bn++] = o;
			}
		}
		if (bt < 0) {
			/* Every slot tabu or unavailable: forget the tabu of c. */
			for (int t = 0; t < st->S; t++)
				tabu[(size_t)c * st->S + t] = 0;
			continue;
		}
		pool[pi] = pool[--np];
		for (int k = 0; k < bn; k++) {
			int o = bevict[k];
			int oc = in->lecture_course[o];
			tabu[(size_t)oc * st->S + st->slot[o]] = it + 10 + ctt_rand(st, 10);
			ctt_unplace(st, o);
			pool[np++] = o;
		}
		ctt_place(st, l, bt, br);
		if (np < best_np) {
			best_np = np;
			ctt_save(st, best_slot, best_room);
		}
	}
	if (np > best_np)
		ctt_restore(st, best_slot, best_room);
	*fewest = best_np;
	free(pool);
	free(tabu);
	free(evict);
	free(bevict);
	return stopped;
}

/* ---- simulated annealing ---- */

static void ctt_save(const ctt_state *st, int *slot, int *room)
{
	memcpy(slot, st->slot, (size_t)st->L * sizeof(int));
	memcpy(room, st->room, (size_t)st->L * sizeof(int));
}

/* Reset st to the saved assignment. */
void ctt_restore(ctt_state *st, const int *slot, const int *room)
{
	for (int l = 0; l < st->L; l++)
		if (st->slot[l] >= 0)
			ctt_unplace(st, l);
	for (int l = 0; l < st->L; l++)
		if (slot[l] >= 0)
			ctt_place(st, l, slot[l], room[l]);
}

/* One move or swap attempt at temperature temp; 1 if accepted. */
static int ctt_try_move(ctt_state *st, double temp)
{
	const ctt_instance *in = st->in;
	int l = ctt_rand(st, st->L);
	int c = in->lecture_course[l];
	int t1 = st->slot[l], r1 = st->room[l];
	int t2, r2;
	if (ctt_rand(st, 8) == 0) {
		t2 = t1; /* room change within the timeslot */
		r2 = ctt_rand(st, st->R);
	} else {
		t2 = ctt_rand(st, st->S);
		r2 = ctt_rand(st, st->R);
	}
	if (t2 == t1 && r2 == r1)
		return 0;
	if (in->unavailable[(size_t)c * st->S + t2])
		return 0;
	int l2 = st->grid[(size_t)t2 * st->R + r2];
	int c2 = l2 >= 0 ? in->lecture_course[l2] : -1;
	if (c2 == c)
		return 0;
	if (l2 >= 0 && t1 != t2 && in->unavailable[(size_t)c2 * st->S + t1])
		return 0;
	int before = st->soft;
	ctt_unplace(st, l);
	if (l2 >= 0)
		ctt_unplace(st, l2);
	int ok = t1 == t2 || ctt_can(st, c, t2);
	if (ok && l2 >= 0 && t1 != t2) {
		ctt_place(st, l, t2, r2);
		ok = ctt_can(st, c2, t1);
		ctt_unplace(st, l);
	}
	if (!ok) {
		ctt_place(st, l, t1, r1);
		if (l2 >= 0)
			ctt_place(st, l2, t2, r2);
		return 0;
	}
	ctt_place(st, l, t2, r2);
	if (l2 >= 0)
		ctt_place(st, l2, t1, r1);
	int delta = st->soft - before;
	if (delta <= 0 || (temp > 0 && ctt_rand01(st) < exp(-(double)delta / temp)))
		return 1;
	ctt_unplace(st, l);
	if (l2 >= 0)
		ctt_unplace(st, l2);
	ctt_place(st, l, t1, r1);
	if (l2 >= 0)
		ctt_place(st, l2, t2, r2);
	return 0;
}

/* Kempe chain between the timeslots of a random lecture and a random other
 * timeslot: the conflict-connected set of lectures there swaps slots, each
 * keeping its room when free, else taking the cheapest free one. 1 if
 * accepted. buf needs room for 3 * (2 * R + 1) ints. */
static int ctt_try_kempe(ctt_state *st, double temp, int *buf)
{
	const ctt_instance *in = st->in;
	int l = ctt_rand(st, st->L);
	int ts[2] = {st->slot[l], ctt_rand(st, st->S)};
	if (ts[0] == ts[1])
		return 0;
	int max = 2 * st->R;
	int *chain = buf, *oslot = buf + max + 1, *oroom = buf + 2 * (max + 1);
	int n = 0;
	chain[n++] = l;
	for (int i = 0; i < n; i++) {
		int x = chain[i];
		int cx = in->lecture_course[x];
		int other = st->slot[x] == ts[0] ? ts[1] : ts[0];
		if (in->unavailable[(size_t)cx * st->S + other])
			return 0;
		for (int r = 0; r < st->R; r++) {
			int o = st->grid[(size_t)other * st->R + r];
			if (o < 0 || !ctt_conflicts(st, cx, in->lecture_course[o]))
				continue;
			int seen = 0;
			for (int k = 0; k < n && !seen; k++)
				seen = chain[k] == o;
			if (seen)
				continue;
			if (n >= max)
				return 0;
			chain[n++] = o;
		}
	}
	int before = st->soft;
	for (int i = 0; i < n; i++) {
		oslot[i] = st->slot[chain[i]];
		oroom[i] = st->room[chain[i]];
		ctt_unplace(st, chain[i]);
	}
	int ok = 1, placed = 0;
	for (int i = 0; i < n && ok; i++) {
		int x = chain[i];
		int cx = in->lecture_course[x];
		int t = oslot[i] == ts[0] ? ts[1] : ts[0];
		int r = oroom[i];
		if (st->grid[(size_t)t * st->R + r] >= 0)
			r = ctt_best_room(st, cx, t);
		if (r < 0 || !ctt_can(st, cx, t)) {
			ok = 0;
			break;
		}
		ctt_place(st, x, t, r);
		placed++;
	}
	if (ok) {
		int delta = st->soft - before;
		if (delta <= 0 || (temp > 0 && ctt_rand01(st) < exp(-(double)delta / temp)))
			return 1;
	}
	for (int i = 0; i < placed; i++)
		ctt_unplace(st, chain[i]);
	for (int i = 0; i < n; i++)
		ctt_place(st, chain[i], oslot[i], oroom[i]);
	return 0;
}

/* Anneal from the current feasible state; the best state is kept in
 * best_slot/best_room with penalty *best. Returns iterations done. */
static long ctt_anneal(ctt_state *st, ctt_run *run, int *best_slot, int *best_room, int *best,
		       double t_end_frac)
{
	const ctt_params *p = run->p;
	/* Geometric cooling from T0 to Tf over the iteration or time budget;
	 * 30% Kempe-chain moves, the rest single moves and swaps. */
	const double T0 = 4.0, Tf = 0.05;
	const int kempe_rate = 300; /* per mille of iterations */
	int *kbuf = xmalloc(3 * ((size_t)st->R * 2 + 1) * sizeof(int));
	long it = 0;
	double temp = T0;
	double start = ctt_now();
	double span = run->deadline - start;
	if (span <= 0)
		return 0;
	span *= t_end_frac;
	for (;;) {
		if ((it & 1023) == 0) {
			if (ctt_should_stop(run))
				break;
			double frac;
			if (p->max_iterations > 0) {
				frac = (double)it / (double)p->max_iterations;
			} else {
				frac = (ctt_now() - start) / span;
				if (frac >= 1)
					break;
			}
			temp = T0 * pow(Tf / T0, frac);
			ctt_report(run, "anneal", 0, *best, it, 0);
		}
		if (p->max_iterations > 0 && it >= p->max_iterations)
			break;
		it++;
		int acc = kempe_rate > 0 && ctt_rand(st, 1000) < kempe_rate ? ctt_try_kempe(st, temp, kbuf)
									      : ctt_try_move(st, temp);
		if (acc && st->soft < *best) {
			*best = st->soft;
			ctt_save(st, best_slot, best_room);
		}
		if (*best == 0)
			break;
	}
	free(kbuf);
	return it;
}

/* ---- driver ---- */

static void ctt_export(const ctt_instance *in, const int *slot, const int *room, ctt_solution *out)
{
	out->n = 0;
	out->a = xmalloc(((size_t)in->n_lectures + 1) * sizeof *out->a);
	for (int l = 0; l < in->n_lectures; l++) {
		if (slot[l] < 0)
			continue;
		ctt_assign *a = &out->a[out->n++];
		a->course = in->lecture_course[l];
		a->room = room[l];
		a->day = slot[l] / in->periods_per_day;
		a->period = slot[l] % in->periods_per_day;
	}
}

int ctt_solve(const ctt_instance *in, const ctt_params *params, ctt_solution *out, ctt_result *result)
{
	memset(out, 0, sizeof *out);
	ctt_result res_local;
	ctt_result *res = result ? result : &res_local;
	memset(res, 0, sizeof *res);
	res->feasible_seconds = -1;
	ctt_params defaults;
	if (!params) {
		ctt_params_defaults(&defaults);
		params = &defaults;
	}
	if (!in || in->n_slots <= 0 || params->max_iterations < 0)
		return RS_EBADREQ;
	if (in->n_lectures > 0 && in->n_rooms <= 0)
		return RS_EBADREQ;
	ctt_run run = {.p = params, .t0 = ctt_now()};
	run.deadline = run.t0 + (params->time_limit > 0 ? params->time_limit : 60);
	run.last_report = run.t0;
	ctt_state st;
	ctt_state_init(&st, in);
	st.rng = ctt_rng_seed(params->seed);

	ctt_greedy(&st, &run);
	ctt_report(&run, "construct", st.unplaced, -1, 0, 1);
	int *best_slot = xmalloc(((size_t)st.L + 1) * sizeof(int));
	int *best_room = xmalloc(((size_t)st.L + 1) * sizeof(int));
	int rc = 0, best = -1;
	res->fewest_unplaced = st.unplaced;
	if (st.unplaced > 0)
		ctt_repair(&st, &run, best_slot, best_room, &res->fewest_unplaced);
	ctt_save(&st, best_slot, best_room);
	if (st.unplaced == 0)
		res->feasible_seconds = ctt_now() - run.t0;
	if (st.unplaced == 0 && st.L > 0) {
		best = st.soft;
		ctt_report(&run, "anneal", 0, best, 0, 1);
		int mip = params->use_mip && !run.cancelled;
		res->iterations = ctt_anneal(&st, &run, best_slot, best_room, &best, mip ? 0.97 : 1.0);
		if (mip && !run.cancelled && best > 0) {
			ctt_restore(&st, best_slot, best_room);
			ctt_report(&run, "mip", 0, best, res->iterations, 1);
			double budget = params->time_limit > 0 ? params->time_limit * 0.05 : 3;
			int r = ctt_rooms_mip(&st, &run, budget < 1 ? 1 : budget);
			if (r == 0 && st.soft < best) {
				best = st.soft;
				ctt_save(&st, best_slot, best_room);
			}
		}
	}
	ctt_export(in, best_slot, best_room, out);
	/* The incremental penalty must agree with the independent checker. */
	if (ctt_check(in, out, &res->score) < 0 || (best >= 0 && (res->score.hard || res->score.soft != best)))
		rc = RS_EINTERNAL;
	res->cancelled = run.cancelled;
	res->seconds = ctt_now() - run.t0;
	ctt_report(&run, "done", res->score.hard, res->score.hard ? -1 : res->score.soft, res->iterations, 1);
	free(best_slot);
	free(best_room);
	ctt_state_free(&st);
	if (rc == 0 && run.cancelled)
		rc = RS_ECANCELLED;
	return rc;
}
