/* ctt.h: ITC2007 track 3 (curriculum-based course timetabling, UD2 scoring):
 * instance and solution model, .ctt/.sol parsers, independent checker,
 * solver and .sol writer. No I/O: callers read and write the files.
 *
 * Indices: days 0..n_days-1, periods of a day 0..periods_per_day-1; the
 * "timeslot" t = day * periods_per_day + period. Every function that can
 * fail returns 0 or a negative RS_E* code (rs_error.h). */
#ifndef CTT_H
#define CTT_H

#include <stddef.h>

/* Parser limits (anything beyond is rejected with RS_ETOOLARGE). */
#define CTT_MAX_ID 64             /* bytes in an id or name */
#define CTT_MAX_COURSES 5000
#define CTT_MAX_ROOMS 1000
#define CTT_MAX_DAYS 14
#define CTT_MAX_PERIODS_PER_DAY 24
#define CTT_MAX_CURRICULA 5000
#define CTT_MAX_LECTURES_PER_COURSE 1000
#define CTT_MAX_LECTURES 100000   /* over all courses */
#define CTT_MAX_STUDENTS 1000000  /* also the largest room capacity */
#define CTT_MAX_SOL_LINES 400000
/* unavailability constraints: at most what one msgpack array of a request
 * holds under roosterd's default max_container, so an instance `rooster
 * import ctt` accepts is one the daemon accepts */
#define CTT_MAX_CONSTRAINTS 1000000

/* UD2 weights. */
#define CTT_W_CAPACITY 1
#define CTT_W_MIN_DAYS 5
#define CTT_W_COMPACTNESS 2
#define CTT_W_STABILITY 1

typedef struct ctt_course {
	char *id;
	int teacher;        /* index into ctt_instance.teachers */
	int lectures;
	int min_days;       /* minimum working days */
	int students;
	int first_lecture;  /* lectures of this course are first_lecture .. +lectures-1 */
	int n_curricula;    /* curricula this course belongs to ... */
	int *curricula;     /* ... their indices (ascending) */
} ctt_course;

typedef struct ctt_room {
	char *id;
	int capacity;
} ctt_room;

typedef struct ctt_curriculum {
	char *id;
	int n_courses;
	int *courses;       /* course indices, in file order */
} ctt_curriculum;

typedef struct ctt_instance {
	char *name;
	int n_days, periods_per_day, n_slots; /* n_slots = n_days * periods_per_day */
	int n_courses, n_rooms, n_curricula, n_teachers;
	ctt_course *courses;
	ctt_room *rooms;
	ctt_curriculum *curricula;
	char **teachers;            /* distinct teacher ids, first-seen order */
	int n_lectures;             /* sum of courses[].lectures */
	int *lecture_course;        /* [n_lectures] */
	unsigned char *unavailable; /* [n_courses * n_slots]: 1 = course may not be taught then */
	int n_unavailable;          /* distinct (course, slot) constraints */
} ctt_instance;

/* One scheduled lecture. */
typedef struct ctt_assign {
	int course, room, day, period;
} ctt_assign;

/* A timetable: any number of lines (a checker input may miss or repeat
 * lectures). The solver writes exactly one line per placed lecture, grouped
 * by course. */
typedef struct ctt_solution {
	int n;
	ctt_assign *a;
} ctt_solution;

typedef struct ctt_score {
	/* Hard violations, by kind. */
	int missing_lectures;     /* sum over courses of max(0, lectures - scheduled) */
	int extra_lectures;       /* sum over courses of max(0, scheduled - lectures) */
	int room_conflicts;       /* per room and timeslot: lectures there beyond the first */
	int curriculum_conflicts; /* per curriculum and timeslot: its lectures beyond the first */
	int teacher_conflicts;    /* per teacher and timeslot: lectures beyond the first */
	int unavailability;       /* lectures in a timeslot their course is unavailable */
	int hard;                 /* sum of the six above */
	/* UD2 soft penalties, weighted. */
	int room_capacity;        /* 1 per student above the room capacity, per lecture */
	int min_working_days;     /* 5 per day below the course's minimum working days */
	int compactness;          /* 2 per lecture with no adjacent lecture of its curriculum
				   * (counted once for each curriculum it belongs to) */
	int room_stability;       /* 1 per room a course uses beyond its first */
	int soft;                 /* sum of the four above */
} ctt_score;

/* Parse .ctt text (need not be NUL-terminated). On failure out is left
 * empty (safe to free) and err holds "line N: ..." when errlen > 0.
 * Returns 0, RS_EBADREQ (malformed) or RS_ETOOLARGE (a limit above). */
int ctt_parse(const char *text, size_t len, ctt_instance *out, char *err, size_t errlen);
void ctt_instance_free(ctt_instance *inst);

/* Parse .sol text: lines "course room day period", ids as in inst. Blank
 * lines are skipped. Unknown ids or out-of-range day/period are errors
 * (RS_EBADREQ, "line N: ..."); missing or extra lectures are not (the checker
 * counts them). */
int ctt_parse_sol(const ctt_instance *inst, const char *text, size_t len, ctt_solution *out,
		  char *err, size_t errlen);
void ctt_solution_free(ctt_solution *sol);

/* Score a solution: hard violations per kind and UD2 soft penalties.
 * Entries with out-of-range indices make it return RS_EBADREQ. */
int ctt_check(const ctt_instance *inst, const ctt_solution *sol, ctt_score *out);

/* .sol text, one "course room day period\n" per entry; *buf is
 * NUL-terminated, *len excludes the NUL; caller frees *buf. */
int ctt_write_sol(const ctt_instance *inst, const ctt_solution *sol, char **buf, size_t *len);

/* Solver. */
typedef struct ctt_progress {
	int hard;         /* hard violations (unplaced lectures while constructing) */
	int soft;         /* UD2 penalty of the best feasible timetable so far, or -1 */
	long iterations;
	double elapsed;   /* seconds since the solve began */
	const char *phase; /* "construct", "anneal", "mip" (static storage) */
} ctt_progress;

typedef struct ctt_params {
	double time_limit;   /* seconds of wall clock; <= 0 means 60 */
	unsigned long seed;
	/* Work limit: local-search iterations. 0 = none (then the cooling
	 * schedule follows the clock). With a limit the schedule follows the
	 * iteration count and the result depends only on the instance, params
	 * and seed unless the time limit cuts first. */
	long max_iterations;
	int use_mip;         /* 1 (default): GLPK fix-and-optimise room neighbourhoods */
	volatile int *cancel; /* polled; non-zero stops with the best so far */
	void (*progress)(void *ud, const ctt_progress *p); /* optional, solving thread */
	void *ud;
} ctt_params;

typedef struct ctt_result {
	ctt_score score;         /* of the returned timetable */
	long iterations;         /* local-search iterations done */
	double seconds;          /* wall clock spent */
	double feasible_seconds; /* when the first hard-feasible timetable appeared, or -1 */
	int cancelled;           /* 1 if stopped by *cancel */
	int fewest_unplaced;     /* the fewest lectures construction and repair left
				  * unplaced at any moment (the timetable returned
				  * misses that many when it is not feasible) */
} ctt_result;

void ctt_params_defaults(ctt_params *p);

/* Build a timetable for inst into out (caller frees with
 * ctt_solution_free). Returns 0 with the best timetable found, also when it
 * is not hard-feasible (then result->score.hard > 0 and unplaced lectures are
 * absent from out), RS_ECANCELLED when stopped by *cancel (out still holds
 * the best so far), RS_EBADREQ on an unusable instance or params, RS_ESOLVER
 * on a GLPK failure that could not be worked around. result may be NULL. */
int ctt_solve(const ctt_instance *inst, const ctt_params *params, ctt_solution *out,
	      ctt_result *result);

#endif
