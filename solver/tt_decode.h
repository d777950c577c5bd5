/* tt_decode.h: msgpack request → tt_model, every field checked, errors carry the path.
 *
 * The decoder is the only place where request ids become indices. It reads
 * a msgpack map (the one argument of timetable.solve; see docs/schema.md),
 * checks types, ranges and entity counts against tt_limits before
 * allocating for them, and fills a tt_model the caller owns
 * (tt_model_free). The first problem found is left in the mp_ctx
 * ("learners[3].available[1]: unknown dagdeel 'mon-xx'"). */
#ifndef TT_DECODE_H
#define TT_DECODE_H

#include "mp.h"
#include "tt_model.h"

typedef struct tt_limits {
	uint32_t max_learners;  /* default 20,000 */
	uint32_t max_rooms;     /* 2,000 */
	uint32_t max_teachers;  /* 2,000 */
	uint32_t max_childcare; /* 1,000 */
	uint32_t max_running;   /* 2,000 */
	uint32_t max_id;        /* bytes of one id or name: 128 */
} tt_limits;

void tt_limits_default(tt_limits *l);

/* 0, or RS_EBADREQ / RS_ETOOLARGE with c->err set. On failure *m is freed. */
int tt_decode(const msgpack_object *req, const tt_limits *lim, tt_model *m, mp_ctx *c);

/* A plan (the "groups"/"unplaced" of an answer) → tt_solution against model m,
 * for the offline checker. Objective fields are read when present. */
int tt_decode_solution(const msgpack_object *ans, const tt_model *m, tt_solution *s, mp_ctx *c);

/* Level name "A0".."B2" ↔ 0..4; route name "B1","Z","OR" ↔ enum. NULL/-1 if unknown. */
const char *tt_level_name(int level);
const char *tt_route_name(int route);
const char *tt_day_name(int day); /* "mon".."sun" */
int tt_parse_level(const char *s, size_t n);
int tt_parse_route(const char *s, size_t n);

/* Days since 1970-01-01 of an ISO date "YYYY-MM-DD"; -1 on a malformed date. */
long tt_parse_date(const char *s, size_t n);
/* Minutes after midnight of "HH:MM"; -1 on malformed. */
int tt_parse_hhmm(const char *s, size_t n);

#endif
