/* tt_diff.h: what changed between two timetable answers, for the people in them.
 *
 * A re-plan is judged by whom it disturbs: a learner whose lessons move to
 * other dagdelen breaks a childcare place, a job or a lift. tt_diff compares
 * an earlier answer with a later one (answers only, no request: they carry
 * every group's dagdelen, location, room and teacher) and says, per learner,
 * what became of their week, and per teacher which dagdelen they gained or
 * lost. The daemon's plan.diff and `rooster diff` both pack this map. */
#ifndef TT_DIFF_H
#define TT_DIFF_H

#include "mp.h"

/* How a learner's week changed, in the order the list is sorted. */
typedef enum tt_change {
	TT_CH_MOVED,	 /* placed in both, other dagdelen, location or running group */
	TT_CH_UNPLACED,	 /* placed before, waiting after */
	TT_CH_REMOVED,	 /* in the earlier answer only (no longer in the request) */
	TT_CH_RESTAFFED, /* the same dagdelen and location, another room or teacher */
	TT_CH_PLACED,	 /* waiting before, placed after */
	TT_CH_ADDED,	 /* in the later answer only (new in the request) */
	TT_CH_UNCHANGED, /* the same lessons, or waiting in both */
	TT_CH_N
} tt_change;

/* The name of a change on the wire ("moved", …). */
const char *tt_change_name(tt_change ch);

/* Packs one map into pk: {summary: {learners, moved, unplaced, removed,
 * restaffed, placed, added, unchanged, waiting, teachers_changed,
 * groups_before, groups_after}, learners: [{learner, change, before:
 * [lesson], after: [lesson], why}] (every change but unchanged, sorted by change
 * then id), teachers: [{teacher, name, dropped: [slot], added: [slot]}]},
 * where a lesson is {group, running, dagdelen, location, room, teacher} and
 * a slot "DAGDEEL@LOCATION". With `why` true (the caller knows the later
 * answer was solved from the earlier one: a re-plan of that version),
 * `why` of a learner moved, unplaced or restaffed out of a new group of
 * the earlier answer is what the later answer's start.outcomes say became
 * of that group ("g2 dropped: its dagdeel wed-am is not in this request");
 * otherwise nil (group ids repeat between unrelated answers). A learner of a running group whom neither
 * answer lists (a member before the term) is in neither. On a malformed
 * answer returns RS_EBADREQ with the field named in c ("before.groups[2]
 * .learners[0]: …") and packs nothing. */
int tt_diff(const msgpack_object *before, const msgpack_object *after, bool why,
	    msgpack_packer *pk, mp_ctx *c);
/* Does `after` name `before` as the version it was re-planned from (the
 * same plan id; after's parent = before's version)? */
bool tt_diff_is_parent(const msgpack_object *before, const msgpack_object *after);

#endif
