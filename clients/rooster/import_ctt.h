/* import_ctt.h: an ITC2007 track 3 instance as a roosterd request (kind "itc2007"). */
#ifndef IMPORT_CTT_H
#define IMPORT_CTT_H

#include "ctt.h"

#include <jansson.h>

/* New reference: {"kind": "itc2007", "name", "days", "periods_per_day",
 * "courses": [{id, teacher, lectures, min_days, students}],
 * "rooms": [{id, capacity}], "curricula": [{id, courses: [...]}],
 * "unavailability": [{course, day, period}]}. */
json_t *ctt_to_json(const ctt_instance *inst);

#endif
