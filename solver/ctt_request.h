/* ctt_request.h: ITC2007 instances as roosterd requests (kind "itc2007") and answers.
 *
 * Request map: {kind: "itc2007", name, days, periods_per_day,
 *   courses: [{id, teacher, lectures, min_days, students}], rooms: [{id, capacity}],
 *   curricula: [{id, courses: [id…]}], unavailability: [{course, day, period}]}.
 * Answer map: {job, plan, version, kind, tenant, name, status, objective (the UD2
 *   penalty), bound, gap, seconds, score {hard kinds…, soft terms…}, check {ok, penalty},
 *   lectures: [{course, room, day, period}]}. */
#ifndef CTT_REQUEST_H
#define CTT_REQUEST_H

#include "ctt.h"
#include "mp.h"

typedef struct ctt_answer_meta {
	const char *job, *plan, *tenant;
} ctt_answer_meta;

/* 0 or RS_EBADREQ/RS_ETOOLARGE with the path in c. out: ctt_instance_free. */
int ctt_from_request(const msgpack_object *req, ctt_instance *out, mp_ctx *c);
void ctt_encode_answer(msgpack_packer *pk, const ctt_instance *in, const ctt_solution *sol,
		       const ctt_score *sc, double seconds, const char *status,
		       const ctt_answer_meta *meta);
/* The "lectures" of an answer → a ctt_solution (ctt_solution_free). */
int ctt_solution_from_answer(const ctt_instance *in, const msgpack_object *ans, ctt_solution *sol,
			     mp_ctx *c);

#endif
