/* tt_model.h: the term-timetable model the solver and the checker see.
 *
 * The decoder (tt_decode.c) builds a tt_model from a request; ids from the
 * request are interned to dense indices there and mapped back only by the
 * encoder. Dagdelen are indexed 0..n_dagdelen-1 (at most TT_MAX_DAGDELEN) and
 * sets of dagdelen are bitmasks (tt_mask, bit t = dagdeel t). Locations are
 * indexed 0..n_locations-1 (at most TT_MAX_LOCATIONS) and sets of them are
 * uint64_t masks.
 *
 * Ownership: a tt_model owns every array and string hanging off it; free it
 * with tt_model_free(). A tt_solution likewise owns its arrays; free it with
 * tt_solution_free(). The solver reads the model only (const) and may be run
 * on any thread; nothing here does I/O.
 *
 * The objective (minimised; weights in tt_weights, defaults in docs/protocol.md):
 *   sum over learners not placed:  unplaced + wait_week * weeks_waiting(i)
 * + sum over new groups:           group
 *                                 + spread * (pairs of its sessions on consecutive days)
 * + sum over placed learners i in group g (new or running):
 *                                   level * (level(i) - level(g))
 *                                 + pref * (sessions of g outside i's preferred dagdelen,
 *                                           counted only when i states preferences)
 *                                 + travel * travel_minutes(i, location(g))
 *                                 + pace * |pace(i) - pace(g)|
 * A group keeps one room and one teacher all week (hard, by design), so room
 * and teacher changes cost nothing because they cannot occur.
 * weeks_waiting(i) = floor(max(0, as_of - waiting_since) / 7 days).
 */
#ifndef TT_MODEL_H
#define TT_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TT_MAX_DAGDELEN 32
#define TT_MAX_LOCATIONS 64
#define TT_MAX_LEVEL 4 /* levels 0..4: A0, A1, A2, B1, B2 */
#define TT_MAX_FACILITIES 32 /* distinct room facility names in a request */
#define TT_MAX_NEED_SETS 8   /* distinct learners' room_needs sets, the empty one included */

typedef uint32_t tt_mask; /* set of dagdelen */

enum tt_route_kind { TT_ROUTE_B1 = 0, TT_ROUTE_Z = 1, TT_ROUTE_OR = 2, TT_N_ROUTES = 3 };
enum tt_qual { TT_QUAL_NT2 = 1, TT_QUAL_ALFA = 2, TT_QUAL_Z = 4 };
enum tt_gender { TT_GENDER_X = 0, TT_GENDER_F = 1, TT_GENDER_M = 2 };

typedef struct tt_dagdeel {
	char *id;      /* e.g. "mon-am" */
	int day;       /* 0 = Monday .. 6 = Sunday */
	int start_min; /* minutes after midnight */
	int end_min;
} tt_dagdeel;

/* Course rules per route; defaults from the domain brief, overridable. */
typedef struct tt_route {
	int min_size, max_size; /* B1 10..20, Z 3..8, OR 6..16 */
	int sessions;           /* sessions (dagdelen) per week: B1 3, Z 2, OR 4 */
	int max_level_spread;   /* members' levels lie in [level(g), level(g) + spread] */
	bool same_day_ok;       /* may two sessions share a day (default false) */
	bool alfa_separate;     /* alfa and non-alfa learners never share a group */
	int quals;              /* TT_QUAL_* a teacher needs for this route */
	uint32_t room_needs;    /* facilities (bits, tt_model.facilities) a new
				 * group's room must have */
	int level_skill;        /* the skill whose level groups learners sent
				 * per-skill levels: -1 the lowest (default),
				 * 0 speaking, 1 listening, 2 reading, 3 writing */
	int min_minutes;        /* a new group's lesson minutes a week (its
				 * dagdelen's lengths) lie in [min, max]; */
	int max_minutes;        /* -1: no bound */
} tt_route;

typedef struct tt_location {
	char *id;
	char *name;
	tt_mask closed; /* dagdelen the location is closed every week */
	char **closed_dates; /* YYYY-MM-DD days it is closed (no lessons there; the
			      * weekly timetable is unchanged, calendars skip them) */
	int n_closed_dates;
} tt_location;

typedef struct tt_room {
	char *id;
	char *name;
	int location;
	int capacity;
	tt_mask avail;
	uint32_t facilities; /* bits into tt_model.facilities */
} tt_room;

typedef struct tt_teacher {
	char *id;
	char *name;
	int quals;         /* TT_QUAL_* bits */
	int max_load;      /* contract a week, in load units (tt_load_unit)
			    * from contract hours, rounded down */
	int max_per_day;   /* dagdelen per day */
	tt_mask avail;
	uint64_t locations; /* reachable locations */
} tt_teacher;

typedef struct tt_childcare {
	char *id;
	char *name;
	int *places;       /* [n_dagdelen] free places per dagdeel */
	int open_min[7];   /* opening minute per weekday, -1 = closed that day */
	int close_min[7];
	int *travel;       /* [n_locations] minutes to each teaching location, -1 = unreachable */
} tt_childcare;

typedef struct tt_learner {
	char *id;
	int route;          /* enum tt_route_kind */
	int level;          /* 0..TT_MAX_LEVEL (the lowest skill level: reading/writing lag) */
	int pace;           /* 0 slow, 1 average, 2 fast */
	bool alfa;
	int gender;         /* enum tt_gender */
	bool women_only;    /* wants a women-only group */
	tt_mask avail;      /* dagdelen the learner can attend */
	tt_mask pref;       /* preferred dagdelen; 0 = no preference stated */
	int *travel;        /* [n_locations] minutes, -1 = cannot reach */
	int household;      /* interned household id, -1 = none */
	bool partners_apart; /* this learner's household wants partners at different dagdelen */
	int young_children; /* children needing a childcare place while the learner attends */
	int childcare;      /* index of the confirmed childcare provider, -1 = none */
	int school_close_min; /* earliest school closing time of school-age children, -1 = none */
	int weekly_min;     /* most lesson minutes a week the learner can take, -1 = no limit */
	tt_mask busy;       /* dagdelen of the learner's module groups (never a lesson then) */
	int weeks_waiting;
	int mother_tongue;  /* interned, -1 unknown */
	bool must_place;    /* a hard requirement (e.g. a contractual deadline passed) */
	uint32_t room_needs; /* facilities the room of any group the learner
			      * joins must have (e.g. step-free access) */
} tt_learner;

/* A group already running this term. Its dagdelen, room and teacher are
 * fixed; new learners may join while it is younger than 4 weeks on the day
 * they would come: the term's start, or as_of when later. */
typedef struct tt_running {
	char *id;
	int route, level;
	int pace;           /* 0 slow, 1 average (default), 2 fast */
	bool alfa, women_only;
	tt_mask sessions;
	int room, teacher;  /* indices */
	int n_members;      /* current size */
	char **member_ids;  /* [n_members] its members' ids when the request
			     * lists them (`learners`), else NULL */
	bool may_join;      /* younger than 4 weeks then */
	char *start;        /* its first day (YYYY-MM-DD) as the request gives
			     * it, else NULL */
	bool has_free_seats; /* the request says how many newcomers it takes: */
	int free_seats;      /* at most this many (besides the route maximum
			      * and the room) */
	int n_households;    /* households of its members with someone waiting */
	int *households;     /* in this request (interned ids): their partners
			      * kept apart stay off its dagdelen */
} tt_running;

/* Does running group g list household h among its members'? */
static inline bool tt_running_has_household(const tt_running *g, int h)
{
	for (int k = 0; k < g->n_households; k++)
		if (g->households[k] == h)
			return true;
	return false;
}

/* A course-module group planned elsewhere (MAP, PVT): fixed dagdelen that
 * its members' language groups must not share. */
typedef struct tt_module_group {
	char *id;
	char *module;      /* e.g. "MAP", "PVT" */
	tt_mask sessions;
	int n_members;
	int *members;      /* learner indices */
} tt_module_group;

/* weights.moved of a re-plan (timetable.solve with `replan`) whose request
 * does not set it: a learner's week is kept unless changing it saves more
 * than a tenth of placing a learner (docs/protocol.md, "Re-planning"). The
 * daemon writes it into the stored request; `rooster check` applies it to
 * an answer that names a parent version. */
#define TT_REPLAN_MOVED 100

/* A group of an earlier plan offered as the solve's starting point (the
 * request's `start`, usually the previous answer). Ids this request does not
 * know are left out rather than refused, so a changed request can still
 * start from its last answer; what is left is repaired by the solver. */
/* The largest group_seq a start may state: ids up to g<this> (a plan of a
 * hundred versions of ten thousand groups is far below it). */
#define TT_MAX_GROUP_SEQ 1000000000

typedef struct tt_start_group {
	int running;         /* running group it joins, or -1 for a new group */
	int route, level, pace; /* as the group states them, -1 when not */
	int alfa, women_only;   /* 0 / 1, -1 when not stated */
	tt_mask sessions;    /* its dagdelen this request knows */
	bool sessions_lost;  /* some dagdeel id of the group is not in this request */
	int location, room, teacher; /* -1: absent or not in this request */
	int n_members;
	int *members;        /* learner indices; ids not waiting here left out */
	/* for the answer's reasons (NULL when not stated or not text): its id,
	 * "dagdeel X" / "location X" it states that this request lacks, and a
	 * room or teacher id it states that this request lacks */
	char *id, *lost, *room_gone, *teacher_gone;
} tt_start_group;

typedef struct tt_weights {
	double unplaced, wait_week, group, spread, level, pref, travel;
	double pace; /* per pace step between a learner and the group (default 0:
		      * off; when on, cells get a pace dimension) */
	double moved; /* per learner of the request's start whose lessons change
		       * (other dagdelen or location, another running group, or
		       * none); default 0: off */
} tt_weights;

typedef struct tt_model {
	/* term, kept for the answer (renderers need it) */
	char *term_start, *term_end, *as_of, *tz; /* ISO dates, IANA zone */
	char **holidays;
	int n_holidays;

	int n_dagdelen;
	tt_dagdeel *dagdelen;
	tt_route routes[TT_N_ROUTES];
	int n_locations;
	tt_location *locations;
	int n_rooms;
	tt_room *rooms;
	int n_teachers;
	tt_teacher *teachers;
	int n_childcare;
	tt_childcare *childcare;
	int n_learners;
	tt_learner *learners;
	int n_running;
	tt_running *running;
	int n_modules;
	tt_module_group *modules;
	int n_households;
	int n_mother_tongues;
	int n_facilities;
	char **facilities; /* facility names, bit k of a facilities mask */
	tt_weights w;
	/* `start`: the groups of an earlier plan to begin from (has_start even
	 * when none of them is left); start_unknown counts the learner ids it
	 * lists that are not waiting in this request */
	bool has_start;
	int n_start;
	tt_start_group *start;
	int start_unknown;
	int start_seq;      /* the start's group_seq (0..TT_MAX_GROUP_SEQ): the highest gN its plan's
			     * versions gave (0 when it states none) */
	bool room_capacity_soft; /* when true, seats over capacity cost room_seat_penalty each */
	double room_seat_penalty;
} tt_model;

enum tt_status {
	TT_OPTIMAL = 0,
	TT_FEASIBLE = 1,   /* feasible, gap above the wanted gap or search stopped on a work limit */
	TT_INFEASIBLE = 2,
	TT_TIME_LIMIT = 3, /* stopped by the time limit with a plan */
	TT_CANCELLED = 4,
};

typedef struct tt_group {
	int running;       /* index into model->running, or -1 for a new group */
	int route, level;
	int pace;          /* 0 slow, 1 average, 2 fast */
	bool alfa, women_only;
	tt_mask sessions;
	int location, room, teacher;
	int n_members;
	int *members;      /* learner indices, only the newly placed ones for running groups */
} tt_group;

/* Reason codes for a learner not placed (one learner may have several). */
enum tt_reason_code {
	TT_R_NO_PATTERN = 1,      /* availability leaves no session pattern */
	TT_R_NO_LOCATION,         /* no reachable location */
	TT_R_CHILDCARE,           /* no childcare place / opening hours for the lesson + travel */
	TT_R_SCHOOL,              /* cannot be home by school closing */
	TT_R_GROUP_SIZE,          /* too few compatible learners for the minimum group size */
	TT_R_ROOM,                /* no room free/large enough */
	TT_R_TEACHER,             /* no qualified teacher free */
	TT_R_HOUSEHOLD,           /* partner holds the dagdelen */
	TT_R_OPTIMISED,           /* could be placed, but another plan scored better */
	TT_R_RUNNING_JOIN,        /* a running group that fits is closed to newcomers */
	TT_R_CONFLICT,            /* infeasible: a must-place learner the rules together
				   * leave out, no single rule */
};

typedef struct tt_reason {
	int code;   /* enum tt_reason_code */
	char *text; /* plain words, names the constraint, no personal fields beyond the id */
} tt_reason;

typedef struct tt_unplaced {
	int learner;
	int n_reasons;
	tt_reason *reasons;
} tt_unplaced;

/* Objective terms, same names as tt_weights. */
typedef struct tt_terms {
	double unplaced, wait, group, spread, level, pref, travel, room_over, pace, moved;
} tt_terms;

/* What became of a request's `start` (the answer says it). */
/* What became of one new group of a request's `start`. */
enum tt_start_fate { TT_SG_KEPT, TT_SG_RESTAFFED, TT_SG_DROPPED };

typedef struct tt_start_outcome {
	int q;        /* index into tt_model.start */
	int fate;     /* enum tt_start_fate */
	char *reason; /* plain words; NULL for a kept group */
	int cell, room; /* repair scratch: its cell when taken (else -1), its
			 * room when kept */
} tt_start_outcome;

/* A learner the start placed (in a new group or as a joiner) whose
 * lessons the answer changes, and why (tt_explain fills these). */
typedef struct tt_start_change {
	int learner;
	int q;            /* the start group that lists it first */
	bool placed;      /* in other lessons now; false: waiting */
	const char *rule; /* a constraint family, "group_dropped" or "optimised" */
	char *reason;     /* plain words (owned) */
} tt_start_change;

typedef struct tt_start_info {
	bool used;         /* the request had a start */
	int n_out;         /* one per new group it listed, in its order (owned) */
	tt_start_outcome *out;
	int groups;        /* new groups it listed */
	int kept;          /* taken with their cell, room and teacher */
	int restaffed;     /* taken, their room or teacher no longer free or fit */
	int dropped;       /* not taken: dagdelen or location gone, no cell holds
			    * them, or fewer than the minimum size left */
	int topped_up;     /* waiting learners (none a group still to come lists)
			    * who joined its groups left short of their minimum
			    * size, counted when the repair takes them */
	int left_out;      /* learners it placed (new groups and joiners) whom
			    * the repaired start leaves waiting */
	int unknown;       /* learner ids not waiting in this request */
	double objective;  /* the repaired and completed start plan's objective */
	int n_changed;     /* learners whose lessons change, in learner order (owned) */
	tt_start_change *changed;
} tt_start_info;

typedef struct tt_solution {
	int status;        /* enum tt_status */
	double objective;
	double bound;      /* proven lower bound on the whole objective */
	double gap;        /* (objective - bound) / objective, 0 when objective is 0 */
	tt_terms terms;
	double seconds;
	long nodes;        /* branch-and-bound nodes over all MIP solves */
	int n_groups;
	tt_group *groups;
	int n_unplaced;
	tt_unplaced *unplaced;
	/* infeasible: the constraint families in a deletion-filter IIS */
	int n_conflicts;
	char **conflicts;  /* e.g. "childcare", "room_capacity" */
	bool conflicts_partial; /* the deletion filter did not settle every family
				 * (the clock, or a re-solve undecided): a family
				 * left in may not be needed */
	char *message;     /* short human summary, may be NULL */
	double gap_wanted; /* the request's gap, which an optimal answer must
			    * meet (0: not known, not checked) */
	bool said_counts;  /* the answer states placed and learners (decoded
			    * answers; the checker compares them) */
	int said_placed, said_learners;
	tt_start_info start; /* the request's start, when it had one */
	int group_seq;     /* the highest gN given to a new group in this plan's
			    * versions (tt_name_groups; 0: from the ids) */
	char **names;      /* [n_groups] a new group's id, NULL: the default
			    * (tt_group_name); set for a re-plan's groups
			    * (tt_name_groups) and from a decoded answer */
	bool claims;       /* terms, bound and gap are the answer's claims, for
			    * the checker to verify (set by tt_solve and by
			    * tt_decode_solution when the answer has them) */
} tt_solution;

/* The start's groups by learner: first[i] = the first start group listing
 * learner i, or -1 (first has m->n_learners entries). */
void tt_start_first(const tt_model *m, int *first);
/* Do learner lessons change from start group q (its first) when the plan
 * puts it in running group run (>= 0), or a new group meeting on mask at
 * location loc (run -1), or nowhere (run -1, loc -1)? */
bool tt_start_moves(const tt_model *m, int q, int run, tt_mask mask, int loc);
void tt_model_free(tt_model *m);
void tt_solution_free(tt_solution *s);
/* Frees what a tt_start_info owns (its outcomes and changes); leaves it
 * empty. */
void tt_start_info_free(tt_start_info *si);
/* Frees its learners' changes only (tt_explain makes them anew). */
void tt_start_changes_free(tt_start_info *si);
/* Defaults from the domain brief: routes, weights. */
void tt_model_defaults(tt_model *m);
/* Lesson minutes a week of the dagdelen in mask (for learners' weekly_min). */
int tt_mask_minutes(const tt_model *m, tt_mask mask);
/* Does a week of `minutes` of lessons lie within route rt's hours? */
static inline bool tt_route_minutes_ok(const tt_route *rt, int minutes)
{
	return (rt->min_minutes < 0 || minutes >= rt->min_minutes) &&
	       (rt->max_minutes < 0 || minutes <= rt->max_minutes);
}

/* A teacher's weekly contract is counted in load units: the greatest
 * common divisor of the dagdelen's lengths in minutes (180 when every
 * dagdeel lasts three hours, so a unit is then a dagdeel). Every dagdeel
 * is a whole number of units, so a contract of H hours allows
 * floor(60 H / unit) units and nothing is lost by the rounding. */
int tt_load_unit(const tt_model *m);
/* Load units of the dagdelen in mask. */
int tt_mask_load(const tt_model *m, tt_mask mask);

/* Status name: "optimal", "feasible", "infeasible", "time_limit", "cancelled". */
const char *tt_status_name(int status);
/* The answer's id of new group k (k from 0): "g<k+1>", or, when a running
 * group of the request has that id, "g<k+1>.2", ".3", ... the first that
 * none has. buf gets the id; it is returned. */
char *tt_new_group_id(const tt_model *m, int k, char *buf, size_t n);
/* The id of s's group k: its name when it has one, else tt_new_group_id. */
const char *tt_group_name(const tt_model *m, const tt_solution *s, int k, char *buf, size_t n);
/* The answer's group_seq: s->group_seq, else the highest gN of the
 * default ids (k + 1 of the last new group). */
int tt_group_seq(const tt_solution *s);
/* With a start: each new group of s that carries on a new start group (the
 * same dagdelen and location, the most of its learners, pairs with more
 * shared learners first) keeps that group's id; the other new groups get
 * gN numbered on from the start's group_seq (and the highest gN among its
 * ids), skipping ids a start group or a running group has, so an id an
 * earlier version gave never comes back. Sets s->group_seq. */
void tt_name_groups(const tt_model *m, tt_solution *s);

#endif
