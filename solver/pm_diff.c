/* pm_diff.c: see pm_diff.h. */
#include "pm_diff.h"

#include "rs_error.h"
#include "strmap.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

static const char *const change_names[PM_CH_N] = {"moved", "unplaced", "removed",  "days",
						  "placed", "added",   "unchanged"};

const char *pm_change_name(pm_change ch)
{
	return ch >= 0 && ch < PM_CH_N ? change_names[ch] : "?";
}

/* One side: who is in it, matched (match) or left out (left). */
typedef struct side {
	const msgpack_object *ans, *placements;
	strmap ids; /* participant → index into match/left */
	const msgpack_object **match, **left;
	int n;
} side;

typedef struct row {
	const char *id;
	size_t len;
	pm_change ch;
	const msgpack_object *b, *a;  /* matches, or NULL */
	const msgpack_object *left_a; /* the later unplaced entry */
} row;

/* The string at o.key, its path named on an error. */
static int str_at(mp_ctx *c, const msgpack_object *o, const char *key, const char **p, size_t *n)
{
	size_t sv = mp_push_key(c, key);
	const msgpack_object *v = mp_get(o, key);
	int rc = v ? mp_str_checked(c, v, 1 << 20, p, n)
		   : mp_fail(c, RS_EBADREQ, "required field missing");
	if (!rc)
		mp_pop(c, sv);
	return rc;
}

static int add(side *s, mp_ctx *c, const msgpack_object *o, bool matched)
{
	const char *id;
	size_t n;
	int rc = str_at(c, o, "participant", &id, &n);
	if (rc)
		return rc;
	int i = strmap_put(&s->ids, id, n, s->n);
	if (i != s->n) {
		mp_push_key(c, "participant");
		return mp_fail(c, RS_EBADREQ, "'%.*s' is listed twice", (int)n, id);
	}
	s->match[i] = matched ? o : NULL;
	s->left[i] = matched ? NULL : o;
	s->n++;
	return 0;
}

static int read_side(side *s, const char *name, const msgpack_object *ans, mp_ctx *c)
{
	memset(s, 0, sizeof *s);
	strmap_init(&s->ids);
	s->ans = ans;
	size_t sv = mp_push_key(c, name);
	const msgpack_object_array *ma = NULL, *ua = NULL, *pa = NULL;
	if (ans->type != MSGPACK_OBJECT_MAP) {
		mp_fail(c, RS_EBADREQ, "expected an answer (a map), got %s", mp_type_name(ans));
	} else if (!mp_eq(mp_get(ans, "kind"), "placement")) {
		mp_push_key(c, "kind");
		mp_fail(c, RS_EBADREQ, "not a placement answer");
	} else if (!mp_field_array(c, ans, "matches", true, UINT32_MAX, &ma) &&
		   !mp_field_array(c, ans, "unplaced", false, UINT32_MAX, &ua) &&
		   !mp_field_array(c, ans, "placements", false, UINT32_MAX, &pa)) {
		s->placements = mp_get(ans, "placements");
		size_t n = ma->size + (ua ? ua->size : 0);
		s->match = xcalloc(n ? n : 1, sizeof *s->match);
		s->left = xcalloc(n ? n : 1, sizeof *s->left);
		for (int k = 0; k < 2 && !c->rc; k++) {
			const msgpack_object_array *a = k ? ua : ma;
			size_t sk = mp_push_key(c, k ? "unplaced" : "matches");
			for (uint32_t i = 0; a && i < a->size && !c->rc; i++) {
				size_t si = mp_push_idx(c, i);
				const msgpack_object *o = &a->ptr[i];
				const char *pl;
				size_t pn;
				const msgpack_object_array *dd;
				if (o->type != MSGPACK_OBJECT_MAP)
					mp_fail(c, RS_EBADREQ, "expected a map, got %s", mp_type_name(o));
				else if (!add(s, c, o, k == 0) && k == 0 &&
					 !str_at(c, o, "placement", &pl, &pn) &&
					 !mp_field_array(c, o, "dagdelen", true, 64, &dd)) {
					size_t sd = mp_push_key(c, "dagdelen");
					for (uint32_t t = 0; t < dd->size && !c->rc; t++) {
						size_t st = mp_push_idx(c, t);
						if (!mp_str_checked(c, &dd->ptr[t], 1 << 20, &pl, &pn))
							mp_pop(c, st);
					}
					if (!c->rc)
						mp_pop(c, sd);
				}
				if (!c->rc)
					mp_pop(c, si);
			}
			if (!c->rc)
				mp_pop(c, sk);
		}
	}
	if (!c->rc)
		mp_pop(c, sv);
	return c->rc;
}

static void free_side(side *s)
{
	strmap_free(&s->ids);
	free(s->match);
	free(s->left);
}

static bool str_eq(const msgpack_object *a, const msgpack_object *b)
{
	const char *p, *q;
	size_t n, m;
	return mp_str(a, &p, &n) && mp_str(b, &q, &m) && n == m && memcmp(p, q, n) == 0;
}

/* The same dagdelen, in any order. */
static bool same_days(const msgpack_object *a, const msgpack_object *b)
{
	const msgpack_object *x = mp_get(a, "dagdelen"), *y = mp_get(b, "dagdelen");
	if (x->via.array.size != y->via.array.size)
		return false;
	for (uint32_t i = 0; i < x->via.array.size; i++) {
		bool found = false;
		for (uint32_t j = 0; j < y->via.array.size && !found; j++)
			found = str_eq(&x->via.array.ptr[i], &y->via.array.ptr[j]);
		if (!found)
			return false;
	}
	return true;
}

/* The entry of placements with that id, or NULL. */
static const msgpack_object *placement_of(const side *s, const msgpack_object *id)
{
	for (uint32_t i = 0; s->placements && s->placements->type == MSGPACK_OBJECT_ARRAY &&
			     i < s->placements->via.array.size;
	     i++)
		if (str_eq(mp_get(&s->placements->via.array.ptr[i], "id"), id))
			return &s->placements->via.array.ptr[i];
	return NULL;
}

static void pack_match(msgpack_packer *pk, const side *s, const msgpack_object *m)
{
	if (!m) {
		msgpack_pack_nil(pk);
		return;
	}
	const msgpack_object *id = mp_get(m, "placement"), *w = placement_of(s, id),
			     *name = w ? mp_get(w, "name") : NULL, *h = mp_get(m, "hours");
	msgpack_pack_map(pk, 4);
	mp_pack_str(pk, "placement");
	msgpack_pack_object(pk, *id);
	mp_pack_str(pk, "name");
	if (name)
		msgpack_pack_object(pk, *name);
	else
		msgpack_pack_nil(pk);
	mp_pack_str(pk, "dagdelen");
	msgpack_pack_object(pk, *mp_get(m, "dagdelen"));
	mp_pack_str(pk, "hours");
	if (h)
		msgpack_pack_object(pk, *h);
	else
		msgpack_pack_nil(pk);
}

static void pack_why(msgpack_packer *pk, const side *before, const side *after, const row *r)
{
	mp_pack_str(pk, "why");
	if ((r->ch == PM_CH_MOVED || r->ch == PM_CH_UNPLACED) &&
	    !placement_of(after, mp_get(r->b, "placement"))) {
		const msgpack_object *id = mp_get(r->b, "placement"), *w = placement_of(before, id);
		const char *p, *nm;
		size_t n, nn;
		mp_str(id, &p, &n);
		char *s = w && mp_str(mp_get(w, "name"), &nm, &nn)
			      ? xasprintf("%.*s (%.*s) is not in this request", (int)n, p, (int)nn, nm)
			      : xasprintf("%.*s is not in this request", (int)n, p);
		mp_pack_str(pk, s);
		free(s);
		return;
	}
	const msgpack_object *reasons = r->left_a ? mp_get(r->left_a, "reasons") : NULL;
	if (r->ch == PM_CH_UNPLACED && reasons && reasons->type == MSGPACK_OBJECT_ARRAY &&
	    reasons->via.array.size) {
		const msgpack_object *t = mp_get(&reasons->via.array.ptr[0], "text");
		if (t && t->type == MSGPACK_OBJECT_STR) {
			msgpack_pack_object(pk, *t);
			return;
		}
	}
	msgpack_pack_nil(pk);
}

static int by_change(const void *x, const void *y)
{
	const row *a = x, *b = y;
	if (a->ch != b->ch)
		return a->ch < b->ch ? -1 : 1;
	size_t n = a->len < b->len ? a->len : b->len;
	int d = memcmp(a->id, b->id, n);
	return d ? d : (a->len > b->len) - (a->len < b->len);
}

int pm_diff(const msgpack_object *before, const msgpack_object *after, msgpack_packer *pk,
	    mp_ctx *c)
{
	side b, a;
	int rc = read_side(&b, "before", before, c);
	if (!rc)
		rc = read_side(&a, "after", after, c);
	else
		memset(&a, 0, sizeof a), strmap_init(&a.ids);
	if (rc) {
		free_side(&b), free_side(&a);
		return rc;
	}
	row *rows = xcalloc((size_t)(a.n + b.n) + 1, sizeof *rows);
	int n = 0, count[PM_CH_N] = {0}, waiting = 0;
	for (size_t k = 0; k < b.ids.cap; k++) {
		const char *id = b.ids.keys[k];
		if (!id)
			continue;
		int i = b.ids.vals[k], j = strmap_get(&a.ids, id, strlen(id));
		row *r = &rows[n++];
		r->id = id, r->len = strlen(id), r->b = b.match[i];
		r->a = j >= 0 ? a.match[j] : NULL;
		r->left_a = j >= 0 ? a.left[j] : NULL;
		if (j < 0)
			r->ch = PM_CH_REMOVED;
		else if (r->b && r->a)
			r->ch = !str_eq(mp_get(r->b, "placement"), mp_get(r->a, "placement")) ? PM_CH_MOVED
				: same_days(r->b, r->a) ? PM_CH_UNCHANGED
							: PM_CH_DAYS;
		else if (r->b)
			r->ch = PM_CH_UNPLACED;
		else
			r->ch = r->a ? PM_CH_PLACED : PM_CH_UNCHANGED;
	}
	for (size_t k = 0; k < a.ids.cap; k++) {
		const char *id = a.ids.keys[k];
		if (!id || strmap_get(&b.ids, id, strlen(id)) >= 0)
			continue;
		int j = a.ids.vals[k];
		rows[n++] = (row){.id = id, .len = strlen(id), .ch = PM_CH_ADDED, .a = a.match[j],
				  .left_a = a.left[j]};
	}
	for (int k = 0; k < n; k++) {
		count[rows[k].ch]++;
		waiting += rows[k].ch != PM_CH_REMOVED && !rows[k].a;
	}
	qsort(rows, (size_t)n, sizeof *rows, by_change);
	msgpack_pack_map(pk, 2);
	mp_pack_str(pk, "summary");
	msgpack_pack_map(pk, 2 + PM_CH_N);
	mp_pack_kv_int(pk, "participants", n);
	for (int ch = 0; ch < PM_CH_N; ch++)
		mp_pack_kv_int(pk, change_names[ch], count[ch]);
	mp_pack_kv_int(pk, "waiting", waiting);
	mp_pack_str(pk, "participants");
	msgpack_pack_array(pk, (size_t)(n - count[PM_CH_UNCHANGED]));
	for (int k = 0; k < n; k++) {
		const row *r = &rows[k];
		if (r->ch == PM_CH_UNCHANGED)
			continue;
		msgpack_pack_map(pk, 5);
		mp_pack_str(pk, "participant");
		msgpack_pack_str_with_body(pk, r->id, r->len);
		mp_pack_kv_str(pk, "change", change_names[r->ch]);
		mp_pack_str(pk, "before");
		pack_match(pk, &b, r->b);
		mp_pack_str(pk, "after");
		pack_match(pk, &a, r->a);
		pack_why(pk, &b, &a, r);
	}
	free(rows);
	free_side(&b), free_side(&a);
	return 0;
}
