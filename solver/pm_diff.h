/* pm_diff.h: what changed between two placement answers, per participant.
 *
 * A re-match (placement.match with replan) is judged by whom it moves: a
 * participant sent to another workplace, or to other days at the same one,
 * loses a childcare place or a lift. pm_diff compares an earlier answer
 * with a later one (answers only: they carry every match's placement,
 * dagdelen and hours). The daemon's plan.diff and `rooster diff` pack this
 * map for placement plans. */
#ifndef PM_DIFF_H
#define PM_DIFF_H

#include "mp.h"

/* How a participant's placement changed, in the order the list is sorted. */
typedef enum pm_change {
	PM_CH_MOVED,     /* placed in both, at another placement */
	PM_CH_UNPLACED,  /* placed before, without a placement after */
	PM_CH_REMOVED,   /* in the earlier answer only (no longer in the request) */
	PM_CH_DAYS,      /* the same placement, other dagdelen */
	PM_CH_PLACED,    /* without a placement before, placed after */
	PM_CH_ADDED,     /* in the later answer only (new in the request) */
	PM_CH_UNCHANGED, /* the same placement and dagdelen, or unplaced in both */
	PM_CH_N
} pm_change;

const char *pm_change_name(pm_change ch);

/* Packs {summary: {participants, moved, unplaced, removed, days, placed,
 * added, unchanged, waiting}, participants: [{participant, change, before,
 * after, why}]} into pk: every change but unchanged, sorted by change then
 * id; before/after {placement, name, dagdelen, hours} or nil; why (for
 * moved and unplaced): that the earlier placement is not in the later
 * answer, else the later answer's first reason for one left out; else nil. On a malformed answer RS_EBADREQ with the field named in c
 * ("after.matches[2].placement: …"), nothing packed. */
int pm_diff(const msgpack_object *before, const msgpack_object *after, msgpack_packer *pk,
	    mp_ctx *c);

#endif
