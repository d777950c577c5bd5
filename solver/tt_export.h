/* tt_export.h: write the straightforward timetable MIP as a CPLEX LP file
 * (for benchmarking roosterd against glpsol and cbc; the solver never uses
 * it). This is the one solver file that does I/O. */
#ifndef TT_EXPORT_H
#define TT_EXPORT_H

#include "tt_model.h"

/* 0, RS_EIO when the file cannot be written, RS_ESOLVER on a GLPK error. */
int tt_export_lp(const tt_model *m, const char *path);

#endif
