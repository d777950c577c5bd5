/* ctt_rooms_mip.c: exact room re-assignment for a fixed ITC2007 timetable
 * (capacity + room stability) as a GLPK MIP: every lecture keeps its
 * timeslot, x[l][r] picks its room, y[c][r] marks the rooms course c uses.
 *   min sum cap_pen(c,r) x[l][r] + sum y[c][r]
 *   sum_r x[l][r] = 1; sum_{l at t} x[l][r] <= 1; x[l][r] <= y[c(l)][r].
 * Rooms that would add capacity penalty are offered to a course only if it
 * uses them now, so the current rooms stay a feasible start (handed to GLPK
 * as its first incumbent). */
#include <glpk.h>
#include <stdlib.h>
#include <string.h>

#include "ctt_internal.h"
#include "rs_error.h"
#include "xalloc.h"

/* x variables beyond which the model is not built. */
#define CTT_MIP_MAX_VARS 200000

typedef struct ctt_mipctx {
	ctt_run *run;
	double deadline;
	double *start; /* [1..n] current rooms as a column vector */
	int given;
} ctt_mipctx;

static void ctt_mip_cb(glp_tree *tree, void *info)
{
	ctt_mipctx *m = info;
	if (glp_ios_reason(tree) == GLP_IHEUR && !m->given) {
		m->given = 1;
		glp_ios_heur_sol(tree, m->start);
	}
	if ((m->run->p->cancel && *m->run->p->cancel) || ctt_now() >= m->deadline)
		glp_ios_terminate(tree);
}

int ctt_rooms_mip(ctt_state *st, ctt_run *run, double budget)
{
	const int L = st->L, R = st->R, C = st->C;
	if (L == 0 || R <= 1)
		return 0;
	if ((size_t)L * (size_t)R > CTT_MIP_MAX_VARS)
		return RS_ETOOLARGE; /* too big to be worth it: keep the rooms */
	/* GLPK notices its limits a little late: keep a margin. */
	double deadline = ctt_now() + budget;
	if (deadline > run->deadline - 0.25)
		deadline = run->deadline - 0.25;
	double left = deadline - ctt_now();
	if (left < 0.05)
		return RS_ESOLVER;
	/* Allowed rooms per course. */
	unsigned char *ok = xcalloc((size_t)C * (size_t)R + 1, 1);
	for (int c = 0; c < C; c++)
		for (int r = 0; r < R; r++)
			ok[(size_t)c * R + r] = st->cap_pen[(size_t)c * R + r] == 0 || st->room_cnt[(size_t)c * R + r] > 0;
	int *xcol = xmalloc(((size_t)L * R + 1) * sizeof(int)); /* column of x[l][r] or 0 */
	int *ycol = xmalloc(((size_t)C * R + 1) * sizeof(int));
	glp_prob *lp = glp_create_prob();
	glp_set_obj_dir(lp, GLP_MIN);
	int ncol = 0;
	for (int c = 0; c < C; c++)
		for (int r = 0; r < R; r++)
			ycol[(size_t)c * R + r] = ok[(size_t)c * R + r] ? ++ncol : 0;
	for (int l = 0; l < L; l++) {
		int c = st->in->lecture_course[l];
		for (int r = 0; r < R; r++)
			xcol[(size_t)l * R + r] = ok[(size_t)c * R + r] ? ++ncol : 0;
	}
	glp_add_cols(lp, ncol);
	double *start = xcalloc((size_t)ncol + 1, sizeof(double));
	for (int c = 0; c < C; c++)
		for (int r = 0; r < R; r++) {
			int j = ycol[(size_t)c * R + r];
			if (!j)
				continue;
			glp_set_col_kind(lp, j, GLP_BV);
			glp_set_obj_coef(lp, j, CTT_W_STABILITY);
			start[j] = st->room_cnt[(size_t)c * R + r] > 0;
		}
	for (int l = 0; l < L; l++) {
		int c = st->in->lecture_course[l];
		for (int r = 0; r < R; r++) {
			int j = xcol[(size_t)l * R + r];
			if (!j)
				continue;
			glp_set_col_kind(lp, j, GLP_BV);
			glp_set_obj_coef(lp, j, st->cap_pen[(size_t)c * R + r]);
			start[j] = st->room[l] == r;
		}
	}
	/* Rows. */
	int nz_cap = L * R * 3 + 16;
	int *ia = xmalloc(((size_t)nz_cap + 1) * sizeof(int));
	int *ja = xmalloc(((size_t)nz_cap + 1) * sizeof(int));
	double *ar = xmalloc(((size_t)nz_cap + 1) * sizeof(double));
	int nz = 0, row;
	for (int l = 0; l < L; l++) {
		row = glp_add_rows(lp, 1);
		glp_set_row_bnds(lp, row, GLP_FX, 1, 1);
		for (int r = 0; r < R; r++)
			if (xcol[(size_t)l * R + r]) {
				nz++;
				ia[nz] = row;
				ja[nz] = xcol[(size_t)l * R + r];
				ar[nz] = 1;
			}
	}
	/* Room capacity of one lecture per timeslot: list lectures by slot. */
	int *head = xmalloc(((size_t)st->S + 1) * sizeof(int));
	int *nxt = xmalloc(((size_t)L + 1) * sizeof(int));
	for (int t = 0; t < st->S; t++)
		head[t] = -1;
	for (int l = 0; l < L; l++) {
		nxt[l] = head[st->slot[l]];
		head[st->slot[l]] = l;
	}
	for (int t = 0; t < st->S; t++) {
		if (head[t] < 0 || nxt[head[t]] < 0)
			continue; /* zero or one lecture: nothing to separate */
		for (int r = 0; r < R; r++) {
			int cnt = 0;
			for (int l = head[t]; l >= 0; l = nxt[l])
				cnt += xcol[(size_t)l * R + r] != 0;
			if (cnt < 2)
				continue;
			row = glp_add_rows(lp, 1);
			glp_set_row_bnds(lp, row, GLP_UP, 0, 1);
			for (int l = head[t]; l >= 0; l = nxt[l])
				if (xcol[(size_t)l * R + r]) {
					nz++;
					ia[nz] = row;
					ja[nz] = xcol[(size_t)l * R + r];
					ar[nz] = 1;
				}
		}
	}
	for (int l = 0; l < L; l++) {
		int c = st->in->lecture_course[l];
		for (int r = 0; r < R; r++) {
			int j = xcol[(size_t)l * R + r];
			if (!j)
				continue;
			row = glp_add_rows(lp, 1);
			glp_set_row_bnds(lp, row, GLP_UP, 0, 0);
			nz++;
			ia[nz] = row;
			ja[nz] = j;
			ar[nz] = 1;
			nz++;
			ia[nz] = row;
			ja[nz] = ycol[(size_t)c * R + r];
			ar[nz] = -1;
		}
	}
	glp_load_matrix(lp, nz, ia, ja, ar);
	free(ia);
	free(ja);
	free(ar);
	free(head);
	free(nxt);

	int rc = RS_ESOLVER;
	glp_smcp sp;
	glp_init_smcp(&sp);
	sp.msg_lev = GLP_MSG_OFF;
	sp.tm_lim = (int)(left * 1000);
	if (glp_simplex(lp, &sp) == 0 && glp_get_status(lp) == GLP_OPT) {
		ctt_mipctx m = {.run = run, .deadline = deadline, .start = start};
		glp_iocp ip;
		glp_init_iocp(&ip);
		ip.msg_lev = GLP_MSG_OFF;
		ip.presolve = GLP_OFF;
		left = deadline - ctt_now();
		ip.tm_lim = left > 0 ? (int)(left * 1000) : 1;
		ip.cb_func = ctt_mip_cb;
		ip.cb_info = &m;
		int r = glp_intopt(lp, &ip);
		int s = glp_mip_status(lp);
		if ((r == 0 || r == GLP_ETMLIM || r == GLP_ESTOP) && (s == GLP_OPT || s == GLP_FEAS)) {
			int *newroom = xmalloc(((size_t)L + 1) * sizeof(int));
			int good = 1;
			for (int l = 0; l < L && good; l++) {
				newroom[l] = -1;
				for (int rr = 0; rr < R; rr++) {
					int j = xcol[(size_t)l * R + rr];
					if (j && glp_mip_col_val(lp, j) > 0.5)
						newroom[l] = rr;
				}
				good = newroom[l] >= 0;
			}
			if (good) {
				int *slot = xmalloc(((size_t)L + 1) * sizeof(int));
				int *oldroom = xmalloc(((size_t)L + 1) * sizeof(int));
				memcpy(slot, st->slot, (size_t)L * sizeof(int));
				memcpy(oldroom, st->room, (size_t)L * sizeof(int));
				int before = st->soft;
				/* Distinct rooms per slot are guaranteed by the rows;
				 * check anyway before trusting the grid. */
				for (int l = 0; l < L; l++)
					ctt_unplace(st, l);
				for (int l = 0; l < L && good; l++)
					if (st->grid[(size_t)slot[l] * R + newroom[l]] >= 0)
						good = 0;
					else
						ctt_place(st, l, slot[l], newroom[l]);
				if (!good || st->soft > before) {
					for (int l = 0; l < L; l++)
						if (st->slot[l] >= 0)
							ctt_unplace(st, l);
					for (int l = 0; l < L; l++)
						ctt_place(st, l, slot[l], oldroom[l]);
				} else
					rc = 0;
				free(slot);
				free(oldroom);
			}
			free(newroom);
		}
	}
	glp_delete_prob(lp);
	free(start);
	free(xcol);
	free(ycol);
	free(ok);
	return rc;
}
