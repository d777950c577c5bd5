/* rs_error.c: names and messages of the error table in rs_error.h. */
#include "rs_error.h"

const char *rs_err_name(int code)
{
	switch (code) {
#define RS_ERR_NAME(e, v, n, m) \
	case v:                 \
		return n;
		RS_ERROR_MAP(RS_ERR_NAME)
#undef RS_ERR_NAME
	}
	return "E_UNKNOWN";
}

const char *rs_err_message(int code)
{
	switch (code) {
#define RS_ERR_MSG(e, v, n, m) \
	case v:                \
		return m;
		RS_ERROR_MAP(RS_ERR_MSG)
#undef RS_ERR_MSG
	}
	return "unknown error";
}
