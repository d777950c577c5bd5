/* pm_internal.h: what the placement solver and its explanations share (not
 * the checker, which is written apart). */
#ifndef PM_INTERNAL_H
#define PM_INTERNAL_H

#include "pm.h"

/* Why a participant cannot take a placement at all, in the order the
 * explanations test them. */
enum pm_why {
	PM_OK = 0,
	PM_WHY_LEVEL,
	PM_WHY_CERTS,
	PM_WHY_TRAVEL,
	PM_WHY_AVAIL,        /* no dagdeel of the placement is free of lessons and available */
	PM_WHY_LESSON_TRAVEL, /* what is left is too close to a lesson for the travel */
	PM_WHY_FIXED,        /* a fixed placement needs a dagdeel the participant cannot */
	PM_WHY_HOURS,        /* no set of the dagdelen left fits the hours */
	PM_WHY_COACH,        /* needs more supervision than the placement has at all */
	PM_WHY_HOURS_CAP,    /* needs more hours than the placement has at all */
	PM_N_WHY
};

/* One participant–placement pair that is allowed. */
typedef struct pm_pair {
	int p, w;
	pm_mask allowed; /* dagdelen it may work there */
	double lo, hi;   /* hours a week: max of the minimums, min of the maximums */
	double target;   /* hours below which hours_short is paid */
	double cost;     /* travel, preference, and for a fixed pair its hours short */
} pm_pair;

/* Dagdelen participant p may work at placement w, and the hours bounds. */
enum pm_why pm_pair_check(const pm_model *m, int p, int w, pm_pair *out);
/* The hours of a non-empty subset of `allowed` within [lo, hi]: the least
 * at or above `want`, else the most below it; -1 when none; *pick the
 * subset, spread over the days (fewest dagdelen on one day; w: the
 * placement, for pm_spread_counts, or -1). */
double pm_pick_hours(const pm_model *m, int p, int w, pm_mask allowed, double lo, double hi,
		     double want, pm_mask *pick);
/* The dagdelen of `allowed` by length: len[c] minutes, mask[c], cnt[c];
 * returns the number of lengths (at most PM_MAX_LENGTHS), -1 past that. */
int pm_length_classes(const pm_model *m, pm_mask allowed, int *len, pm_mask *mask, int *cnt);
/* k[c] dagdelen of each mask[c], spread over the week (days with a lesson of
 * participant p, when p >= 0, count as taken once); at its current
 * placement w, the dagdelen it works there now first (a re-match keeps its
 * days where the counts allow). */
pm_mask pm_spread_counts(const pm_model *m, int p, int w, const pm_mask *mask, const int *k,
			 int n);
/* The objective of a solution, by terms (solver side; the checker has its own). */
double pm_evaluate(const pm_model *m, const int *placement, const pm_mask *dagdelen,
		   pm_terms *t);
/* Cost of leaving participant p without a placement. */
double pm_unplaced_cost(const pm_model *m, int p);

#endif
