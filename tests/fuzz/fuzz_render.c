/* fuzz_render.c: libFuzzer target for the answer renderers of `rooster`
 * (text, CSV, iCalendar, HTML) and the diff renderer.
 *
 * The bytes are a JSON document, as `rooster render FILE` reads a saved or
 * edited answer. The first byte picks --by and whether a filter is given
 * (the id of the answer's first group, first learner or first unplaced
 * learner), and whether the answer is also the iCalendar's previous version;
 * the rest is the answer. Every renderer must return 0 or an
 * error code of its own (a missing or ill-typed field, a filter that
 * matches nothing), never crash, and write output only through the FILE it
 * is given; with 0, the output is not empty. The same document goes to the
 * diff renderers, which must likewise return 0 or an error code.
 *
 * fuzz-sources: clients/rooster/render_text.c clients/rooster/render_csv.c clients/rooster/render_ics.c clients/rooster/render_html.c clients/rooster/render_diff.c solver/xalloc.c solver/rs_error.c solver/mp.c solver/strmap.c
 */
#include "../../clients/rooster/render.h"
#include "../../clients/rooster/render_diff.h"
#include "rs_error.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *first_id(const json_t *a, unsigned which)
{
	const json_t *g = json_array_get(json_object_get(a, "groups"), 0);
	const json_t *v = NULL;
	switch (which % 3) {
	case 0:
		v = json_object_get(g, "id");
		break;
	case 1:
		v = json_array_get(json_object_get(g, "learners"), 0);
		break;
	default:
		v = json_object_get(json_array_get(json_object_get(a, "unplaced"), 0), "learner");
		break;
	}
	return json_string_value(v);
}

typedef int (*render_fn)(const json_t *, const render_opts *, FILE *);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	static const char *const bys[] = {NULL, "group", "teacher", "room", "learner", "location"};
	unsigned sel = data[0];
	json_t *a = json_loadb((const char *)data + 1, size - 1, JSON_DECODE_ANY, NULL);
	if (!a)
		return 0;
	render_opts o = {.by = bys[sel % 6]};
	if (sel & 0x40)
		o.filter = first_id(a, sel >> 3);
	if (sel & 0x80) /* the iCalendar's previous version: itself (nothing cancelled) */
		o.previous = a;
	static const render_fn fns[] = {render_text, render_csv, render_ics, render_html};
	for (size_t k = 0; k < sizeof fns / sizeof *fns; k++) {
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);
		if (!f)
			abort();
		int rc = fns[k](a, &o, f);
		fclose(f);
		if (rc != 0 && rc != RS_EBADREQ && rc != RS_ENOTFOUND && rc != RS_EIO && rc != -1) {
			fprintf(stderr, "renderer %zu returned %d\n", k, rc);
			abort();
		}
		if (rc == 0 && len == 0) {
			fprintf(stderr, "renderer %zu returned 0 with no output\n", k);
			abort();
		}
		free(buf);
	}
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		abort();
	int r1 = render_diff_text(a, f), r2 = render_diff_summary(a, f);
	fclose(f);
	free(buf);
	if ((r1 != 0 && r1 != RS_EBADREQ && r1 != RS_EIO) ||
	    (r2 != 0 && r2 != RS_EBADREQ && r2 != RS_EIO))
		abort();
	json_decref(a);
	return 0;
}
