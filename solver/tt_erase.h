/* tt_erase.h: a learner's id out of a stored timetable request or answer. */
#ifndef TT_ERASE_H
#define TT_ERASE_H

#include <msgpack.h>
#include <stdbool.h>
#include <stddef.h>

/* The request or answer in blob re-packed into *out (initialised here; the
 * caller destroys it) without learner id: learners[] entries with that id,
 * the id in running_groups[] / module_groups[] / groups[] learner lists
 * (members and size lowered to match), unplaced[] entries for it (placed
 * and the learners count lowered), and its mentions as a learner in "text"
 * and "message" strings ("learner 12", "partner 12", "learners 12 and 13"),
 * which read "(another learner)" instead. In a placement request or answer
 * (kind "placement"): participants[] entries with that id, matches[] and
 * unplaced[] entries for it (placed and participants lowered), and
 * "participant ID" in texts; a placement's used and hours stay (totals that
 * name nobody). Other
 * fields equal to the string (a room or teacher id) are left alone. false,
 * with *out empty, when nothing changes or the bytes are not a msgpack map. */
bool tt_erase_learner(const void *blob, size_t len, const char *id, msgpack_sbuffer *out);

#endif
