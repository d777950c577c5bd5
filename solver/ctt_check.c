/* ctt_check.c: independent checker for ITC2007 track 3 timetables: hard
 * violations per kind and the UD2 soft penalties, computed from scratch
 * (shares no code with the solver's incremental evaluation). */
#include "ctt.h"

#include <stdlib.h>
#include <string.h>

#include "rs_error.h"
#include "xalloc.h"

int ctt_check(const ctt_instance *inst, const ctt_solution *sol, ctt_score *out)
{
	memset(out, 0, sizeof *out);
	const int S = inst->n_slots, P = inst->periods_per_day;
	const size_t nc = (size_t)inst->n_courses, nr = (size_t)inst->n_rooms;
	const size_t nq = (size_t)inst->n_curricula, nt = (size_t)inst->n_teachers;
	for (int i = 0; i < sol->n; i++) {
		const ctt_assign *a = &sol->a[i];
		if (a->course < 0 || a->course >= inst->n_courses || a->room < 0 || a->room >= inst->n_rooms ||
		    a->day < 0 || a->day >= inst->n_days || a->period < 0 || a->period >= P)
			return RS_EBADREQ;
	}
	int *scheduled = xcalloc(nc + 1, sizeof(int));
	int *room_use = xcalloc(nr * (size_t)S + 1, sizeof(int));     /* [room][slot] */
	int *curr_use = xcalloc(nq * (size_t)S + 1, sizeof(int));     /* [curriculum][slot] */
	int *teach_use = xcalloc(nt * (size_t)S + 1, sizeof(int));    /* [teacher][slot] */
	unsigned char *course_day = xcalloc(nc * (size_t)inst->n_days + 1, 1);
	unsigned char *course_room = xcalloc(nc * nr + 1, 1);

	for (int i = 0; i < sol->n; i++) {
		const ctt_assign *a = &sol->a[i];
		const ctt_course *c = &inst->courses[a->course];
		int t = a->day * P + a->period;
		scheduled[a->course]++;
		room_use[(size_t)a->room * S + t]++;
		teach_use[(size_t)c->teacher * S + t]++;
		for (int k = 0; k < c->n_curricula; k++)
			curr_use[(size_t)c->curricula[k] * S + t]++;
		if (inst->unavailable[(size_t)a->course * S + t])
			out->unavailability++;
		int cap = inst->rooms[a->room].capacity;
		if (c->students > cap)
			out->room_capacity += CTT_W_CAPACITY * (c->students - cap);
		course_day[(size_t)a->course * inst->n_days + a->day] = 1;
		course_room[(size_t)a->course * nr + a->room] = 1;
	}
	for (size_t c = 0; c < nc; c++) {
		int want = inst->courses[c].lectures;
		if (scheduled[c] < want)
			out->missing_lectures += want - scheduled[c];
		else
			out->extra_lectures += scheduled[c] - want;
		int days = 0, rooms = 0;
		for (int d = 0; d < inst->n_days; d++)
			days += course_day[c * inst->n_days + d];
		for (size_t r = 0; r < nr; r++)
			rooms += course_room[c * nr + r];
		if (days < inst->courses[c].min_days)
			out->min_working_days += CTT_W_MIN_DAYS * (inst->courses[c].min_days - days);
		if (rooms > 1)
			out->room_stability += CTT_W_STABILITY * (rooms - 1);
	}
	for (size_t i = 0; i < nr * (size_t)S; i++)
		if (room_use[i] > 1)
			out->room_conflicts += room_use[i] - 1;
	for (size_t i = 0; i < nt * (size_t)S; i++)
		if (teach_use[i] > 1)
			out->teacher_conflicts += teach_use[i] - 1;
	for (size_t q = 0; q < nq; q++) {
		const int *u = &curr_use[q * S];
		for (int t = 0; t < S; t++) {
			if (u[t] > 1)
				out->curriculum_conflicts += u[t] - 1;
			if (u[t] == 0)
				continue;
			int p = t % P;
			int before = p > 0 ? u[t - 1] : 0;
			int after = p + 1 < P ? u[t + 1] : 0;
			if (!before && !after)
				out->compactness += CTT_W_COMPACTNESS * u[t];
		}
	}
	out->hard = out->missing_lectures + out->extra_lectures + out->room_conflicts +
		    out->curriculum_conflicts + out->teacher_conflicts + out->unavailability;
	out->soft = out->room_capacity + out->min_working_days + out->compactness + out->room_stability;
	free(scheduled);
	free(room_use);
	free(curr_use);
	free(teach_use);
	free(course_day);
	free(course_room);
	return 0;
}
