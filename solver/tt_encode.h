/* tt_encode.h: timetable answers to msgpack (docs/schema.md) and back.
 *
 * tt_encode_answer packs one map: the status, objective, bound and gap,
 * the checker's verdict, and everything a renderer needs (term, dagdelen,
 * locations, groups with room and teacher names, unplaced learners with
 * reasons) so an answer can be rendered without its request. */
#ifndef TT_ENCODE_H
#define TT_ENCODE_H

#include "check_tt.h"
#include "mp.h"
#include "tt_model.h"

typedef struct tt_answer_meta {
	const char *job, *plan, *tenant; /* borrowed; may be NULL */
	int version;
	int parent; /* the version a re-plan started from; 0: none (null) */
} tt_answer_meta;

void tt_encode_answer(msgpack_packer *pk, const tt_model *m, const tt_solution *s,
		      const tt_check_result *chk /* may be NULL */, const tt_answer_meta *meta);

/* Wire name of a reason code ("childcare", "group_size", ...). */
const char *tt_reason_name(int code);

#endif
