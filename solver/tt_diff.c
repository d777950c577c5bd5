/* tt_diff.c: what changed between two timetable answers, per learner and per teacher. */
#include "tt_diff.h"

#include "rs_error.h"
#include "strmap.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

static const char *const change_names[TT_CH_N] = {"moved",  "unplaced", "removed",  "restaffed",
						  "placed", "added",	"unchanged"};

const char *tt_change_name(tt_change ch)
{
	return ch >= 0 && ch < TT_CH_N ? change_names[ch] : "?";
}

/* One group of an answer as a learner sees it. */
typedef struct lesson {
	const msgpack_object *g;
	char *when;  /* running id, location and sorted dagdelen: what the learner's week sees */
	char *staff; /* when, room and teacher */
} lesson;

/* What one answer says of one learner. */
typedef struct seat {
	int *les;     /* indexes into the side's lessons */
	bool *as_new; /* per lesson: a running group compared as the new group it was */
	int n, cap;
	bool present;
} seat;

typedef struct side {
	const char *name; /* "before" / "after", for error paths */
	lesson *les;
	int n_les;
} side;

typedef struct dctx {
	mp_ctx *c;
	strmap ids; /* learner id → index (both answers) */
	const msgpack_object **id_obj;
	seat *seat[2];
	int n, cap;
} dctx;

static int learner_index(dctx *d, const msgpack_object *id)
{
	const char *p;
	size_t len;
	mp_str(id, &p, &len);
	int k = strmap_put(&d->ids, p, len, d->n);
	if (k == d->n) {
		if (d->n == d->cap) {
			d->cap = d->cap ? 2 * d->cap : 64;
			d->id_obj = xrealloc(d->id_obj, (size_t)d->cap * sizeof *d->id_obj);
			for (int s = 0; s < 2; s++) {
				d->seat[s] =
				    xrealloc(d->seat[s], (size_t)d->cap * sizeof *d->seat[s]);
				memset(d->seat[s] + d->n, 0,
				       (size_t)(d->cap - d->n) * sizeof *d->seat[s]);
			}
		}
		d->id_obj[d->n++] = id;
	}
	return k;
}

/* A string field's bytes, or "" when absent or nil; an error otherwise. */
static int text_of(mp_ctx *c, const msgpack_object *m, const char *key, const char **p, size_t *len)
{
	const msgpack_object *o = mp_get(m, key);
	*p = "";
	*len = 0;
	if (!o || o->type == MSGPACK_OBJECT_NIL)
		return 0;
	size_t sv = mp_push_key(c, key);
	int rc = mp_str(o, p, len)
		     ? mp_text_check(c, *p, *len)
		     : mp_fail(c, RS_EBADREQ, "expected a string, got %s", mp_type_name(o));
	mp_pop(c, sv);
	return rc;
}

/* Item i of array field key: a string of clean text (what names the
 * expected item in the error); 0, or the error at key[i]. */
static int item_text(mp_ctx *c, const char *key, uint32_t i, const msgpack_object *o,
		     const char *what)
{
	const char *bad;
	if (o->type == MSGPACK_OBJECT_STR && mp_text_bad(o->via.str.ptr, o->via.str.size, &bad) < 0)
		return 0;
	size_t sv = mp_push_key(c, key);
	mp_push_idx(c, i);
	int rc = o->type != MSGPACK_OBJECT_STR
		     ? mp_fail(c, RS_EBADREQ, "expected %s, got %s", what, mp_type_name(o))
		     : mp_text_check(c, o->via.str.ptr, o->via.str.size);
	mp_pop(c, sv);
	return rc;
}

/* The id of a room or teacher: a map's "id", or a bare string. */
static int ref_id(mp_ctx *c, const msgpack_object *g, const char *key, const char **p, size_t *len)
{
	const msgpack_object *o = mp_get(g, key);
	if (o && o->type == MSGPACK_OBJECT_MAP) {
		size_t sv = mp_push_key(c, key);
		int rc = text_of(c, o, "id", p, len);
		mp_pop(c, sv);
		return rc;
	}
	return text_of(c, g, key, p, len);
}

static int cmp_obj_str(const void *a, const void *b)
{
	const msgpack_object *x = *(const msgpack_object *const *)a;
	const msgpack_object *y = *(const msgpack_object *const *)b;
	size_t n = x->via.str.size < y->via.str.size ? x->via.str.size : y->via.str.size;
	int r = memcmp(x->via.str.ptr, y->via.str.ptr, n);
	return r ? r : (x->via.str.size > y->via.str.size) - (x->via.str.size < y->via.str.size);
}

/* A string that grows: the keys compared below. */
typedef struct buf {
	char *p;
	size_t n, cap;
} buf;

static void put(buf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = 2 * (b->n + n + 1);
		b->p = xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

/* Group g's dagdelen, each a string, sorted into dd (the caller frees). */
static int group_dagdelen(mp_ctx *c, const msgpack_object *g, const msgpack_object ***dd,
			  uint32_t *n)
{
	const msgpack_object_array *a;
	*dd = NULL;
	*n = 0;
	int rc = mp_field_array(c, g, "dagdelen", false, UINT32_MAX, &a);
	if (rc || !a)
		return rc;
	*dd = xcalloc(a->size ? a->size : 1, sizeof **dd);
	for (uint32_t i = 0; i < a->size; i++) {
		if ((rc = item_text(c, "dagdelen", i, &a->ptr[i], "a string"))) {
			free(*dd);
			*dd = NULL;
			return rc;
		}
		(*dd)[i] = &a->ptr[i];
	}
	*n = a->size;
	qsort(*dd, *n, sizeof **dd, cmp_obj_str);
	return 0;
}

static int read_lesson(mp_ctx *c, const msgpack_object *g, lesson *l)
{
	const char *run, *loc, *room, *teacher;
	size_t nrun, nloc, nroom, nteacher;
	const msgpack_object **dd;
	uint32_t ndd;
	int rc = text_of(c, g, "running", &run, &nrun);
	if (!rc)
		rc = text_of(c, g, "location", &loc, &nloc);
	if (!rc)
		rc = ref_id(c, g, "room", &room, &nroom);
	if (!rc)
		rc = ref_id(c, g, "teacher", &teacher, &nteacher);
	if (!rc)
		rc = group_dagdelen(c, g, &dd, &ndd);
	if (rc)
		return rc;
	/* fields joined by a unit separator, which ids cannot hold (the decoder
	 * refuses control characters) */
	buf b = {0};
	put(&b, run, nrun);
	put(&b, "\x1f", 1);
	put(&b, loc, nloc);
	for (uint32_t i = 0; i < ndd; i++) {
		put(&b, "\x1f", 1);
		put(&b, dd[i]->via.str.ptr, dd[i]->via.str.size);
	}
	free(dd);
	l->g = g;
	l->when = xstrdup(b.p);
	put(&b, "\x1e", 1);
	put(&b, room, nroom);
	put(&b, "\x1f", 1);
	put(&b, teacher, nteacher);
	l->staff = b.p;
	return 0;
}

static void seat_add(seat *st, int les, bool as_new)
{
	if (st->n == st->cap) {
		st->cap = st->cap ? 2 * st->cap : 2;
		st->les = xrealloc(st->les, (size_t)st->cap * sizeof *st->les);
		st->as_new = xrealloc(st->as_new, (size_t)st->cap * sizeof *st->as_new);
	}
	st->as_new[st->n] = as_new;
	st->les[st->n++] = les;
	st->present = true;
}

static int read_side(dctx *d, int s, const msgpack_object *ans, side *sd)
{
	mp_ctx *c = d->c;
	size_t top = mp_push_key(c, sd->name);
	int rc = 0;
	const msgpack_object_array *groups = NULL, *unplaced = NULL;
	if (ans->type != MSGPACK_OBJECT_MAP) {
		rc =
		    mp_fail(c, RS_EBADREQ, "expected an answer (a map), got %s", mp_type_name(ans));
		goto end;
	}
	const msgpack_object *kind = mp_get(ans, "kind");
	if (kind && !mp_eq(kind, "timetable")) {
		mp_push_key(c, "kind");
		rc = mp_fail(c, RS_EBADREQ, "only timetable answers can be compared");
		goto end;
	}
	if ((rc = mp_field_array(c, ans, "groups", true, UINT32_MAX, &groups)) ||
	    (rc = mp_field_array(c, ans, "unplaced", false, UINT32_MAX, &unplaced)))
		goto end;
	sd->les = xcalloc(groups->size ? groups->size : 1, sizeof *sd->les);
	for (uint32_t i = 0; i < groups->size && !rc; i++) {
		const msgpack_object *g = &groups->ptr[i];
		size_t sv = mp_push_key(c, "groups");
		mp_push_idx(c, i);
		const msgpack_object_array *ls = NULL;
		if (g->type != MSGPACK_OBJECT_MAP)
			rc = mp_fail(c, RS_EBADREQ, "expected a group (a map), got %s",
				     mp_type_name(g));
		if (!rc)
			rc = read_lesson(c, g, &sd->les[sd->n_les]);
		if (!rc)
			sd->n_les++;
		if (!rc)
			rc = mp_field_array(c, g, "learners", false, UINT32_MAX, &ls);
		for (uint32_t j = 0; !rc && ls && j < ls->size; j++) {
			if ((rc = item_text(c, "learners", j, &ls->ptr[j], "a learner id")))
				break;
			int k = learner_index(d, &ls->ptr[j]);
			seat *st = &d->seat[s][k];
			/* a learner listed twice in one group counts once */
			if (!st->n || st->les[st->n - 1] != sd->n_les - 1)
				seat_add(st, sd->n_les - 1, false);
		}
		mp_pop(c, sv);
	}
	for (uint32_t i = 0; !rc && unplaced && i < unplaced->size; i++) {
		size_t sv = mp_push_key(c, "unplaced");
		mp_push_idx(c, i);
		const msgpack_object *u = &unplaced->ptr[i];
		const msgpack_object *id =
		    u->type == MSGPACK_OBJECT_MAP ? mp_get(u, "learner") : NULL;
		if (!id || id->type != MSGPACK_OBJECT_STR)
			rc = mp_fail(c, RS_EBADREQ, "expected {learner: ID, …}");
		else if (!(rc = mp_text_check(c, id->via.str.ptr, id->via.str.size))) {
			int k = learner_index(d, id); /* may move d->seat[s] */
			d->seat[s][k].present = true;
		}
		mp_pop(c, sv);
	}
end:
	mp_pop(c, top);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The learner's lessons in one answer as one sorted key of field f
 * (when or staff); "" when none. */
static char *week_key(const side *sd, const seat *st, bool staff)
{
	char **k = xcalloc(st->n ? (size_t)st->n : 1, sizeof *k);
	for (int i = 0; i < st->n; i++) {
		k[i] = staff ? sd->les[st->les[i]].staff : sd->les[st->les[i]].when;
		if (st->as_new[i]) /* compared as the new group it was */
			k[i] = strchr(k[i], '\x1f');
	}
	qsort(k, (size_t)st->n, sizeof *k, cmp_str);
	buf b = {0};
	put(&b, "", 0);
	for (int i = 0; i < st->n; i++) {
		put(&b, k[i], strlen(k[i]));
		put(&b, "\x1d", 1);
	}
	free(k);
	return b.p;
}

/* A running group's members before the term, as the answer counts them. */
static int64_t existing_of(const msgpack_object *g)
{
	const msgpack_object *e = mp_get(g, "existing");
	return e && e->type == MSGPACK_OBJECT_POSITIVE_INTEGER && e->via.u64 < INT32_MAX
		   ? (int64_t)e->via.u64
		   : 0;
}

/* A group of the earlier answer that the later answer has as a running
 * group of the same id: a new group that began (the planner lists the
 * plan's groups as running once the term starts), or a running group the
 * learner joined and is now a member of. When the later answer lists that
 * group's members (`existing_learners`, as the request named them), a
 * learner of it whom the later answer does not otherwise name is seated in
 * it when listed there. Otherwise only their count is known (`existing`):
 * such learners are seated in it as many as that count grew by (all of a
 * new group's, when it began with them; a joiner who left does not make it
 * grow, and stays removed). A new group that began is compared as the new
 * group it was. */
static void into_running(dctx *d, side sd[2])
{
	strmap run, was;
	strmap_init(&run);
	strmap_init(&was);
	int64_t *budget = xcalloc((size_t)sd[1].n_les + 1, sizeof *budget);
	for (int i = 0; i < sd[0].n_les; i++) {
		const msgpack_object *r = mp_get(sd[0].les[i].g, "running");
		const char *p;
		size_t n;
		if (r && mp_str(r, &p, &n))
			strmap_put(&was, p, n, i);
	}
	/* listed members: "<lesson index>\x1f<learner id>" */
	strmap listed;
	strmap_init(&listed);
	bool *lists = xcalloc((size_t)sd[1].n_les + 1, sizeof *lists);
	for (int i = 0; i < sd[1].n_les; i++) {
		const msgpack_object *g = sd[1].les[i].g, *r = mp_get(g, "running");
		const char *p;
		size_t n;
		if (!r || !mp_str(r, &p, &n))
			continue;
		strmap_put(&run, p, n, i);
		int e = strmap_get(&was, p, n);
		budget[i] = existing_of(g) - (e >= 0 ? existing_of(sd[0].les[e].g) : 0);
		const msgpack_object *ex = mp_get(g, "existing_learners");
		if (!ex || ex->type != MSGPACK_OBJECT_ARRAY)
			continue;
		lists[i] = true;
		for (uint32_t k = 0; k < ex->via.array.size; k++) {
			const char *q;
			size_t nq;
			if (!mp_str(&ex->via.array.ptr[k], &q, &nq))
				continue;
			char *key = xasprintf("%d\x1f%.*s", i, (int)nq, q);
			strmap_put(&listed, key, strlen(key), 1);
			free(key);
		}
	}
	for (int k = 0; run.n && k < d->n; k++) {
		const seat *a = &d->seat[0][k];
		seat *b = &d->seat[1][k];
		if (b->present)
			continue;
		for (int i = 0; i < a->n; i++) {
			const msgpack_object *g = sd[0].les[a->les[i]].g, *r = mp_get(g, "running");
			bool was_new = !r || r->type == MSGPACK_OBJECT_NIL;
			const msgpack_object *id = was_new ? mp_get(g, "id") : r;
			const char *p;
			size_t n;
			if (!id || !mp_str(id, &p, &n))
				continue;
			int l = strmap_get(&run, p, n);
			if (l < 0)
				continue;
			if (lists[l]) {
				const char *q;
				size_t nq;
				if (!mp_str(d->id_obj[k], &q, &nq))
					continue;
				char *key = xasprintf("%d\x1f%.*s", l, (int)nq, q);
				bool had = false;
				for (int j = 0; j < b->n; j++)
					had |= b->les[j] == l;
				if (!had && strmap_get(&listed, key, strlen(key)) >= 0)
					seat_add(b, l, was_new);
				free(key);
			} else if (budget[l] > 0) {
				budget[l]--;
				seat_add(b, l, was_new);
			}
		}
	}
	free(lists);
	strmap_free(&listed);
	free(budget);
	strmap_free(&run);
	strmap_free(&was);
}

static tt_change classify(const side sd[2], const seat *a, const seat *b, bool *waiting)
{
	*waiting = false;
	if (!a->present)
		return TT_CH_ADDED;
	if (!b->present)
		return TT_CH_REMOVED;
	if (!a->n && !b->n) {
		*waiting = true;
		return TT_CH_UNCHANGED;
	}
	if (!a->n)
		return TT_CH_PLACED;
	if (!b->n)
		return TT_CH_UNPLACED;
	tt_change ch = TT_CH_UNCHANGED;
	char *x = week_key(&sd[0], a, false), *y = week_key(&sd[1], b, false);
	if (strcmp(x, y) != 0)
		ch = TT_CH_MOVED;
	free(x);
	free(y);
	if (ch == TT_CH_UNCHANGED) {
		x = week_key(&sd[0], a, true);
		y = week_key(&sd[1], b, true);
		if (strcmp(x, y) != 0)
			ch = TT_CH_RESTAFFED;
		free(x);
		free(y);
	}
	return ch;
}

static void pack_obj_or_nil(msgpack_packer *pk, const msgpack_object *o)
{
	if (o)
		msgpack_pack_object(pk, *o);
	else
		msgpack_pack_nil(pk);
}

/* A room or teacher as its id (answers give {id, name, …}). */
static void pack_ref(msgpack_packer *pk, const msgpack_object *g, const char *key)
{
	const msgpack_object *o = mp_get(g, key);
	pack_obj_or_nil(pk, o && o->type == MSGPACK_OBJECT_MAP ? mp_get(o, "id") : o);
}

static void pack_lessons(msgpack_packer *pk, const side *sd, const seat *st)
{
	msgpack_pack_array(pk, (size_t)st->n);
	for (int i = 0; i < st->n; i++) {
		const msgpack_object *g = sd->les[st->les[i]].g;
		msgpack_pack_map(pk, 6);
		mp_pack_str(pk, "group");
		pack_obj_or_nil(pk, mp_get(g, "id"));
		mp_pack_str(pk, "running");
		pack_obj_or_nil(pk, mp_get(g, "running"));
		mp_pack_str(pk, "dagdelen");
		pack_obj_or_nil(pk, mp_get(g, "dagdelen"));
		mp_pack_str(pk, "location");
		pack_obj_or_nil(pk, mp_get(g, "location"));
		mp_pack_str(pk, "room");
		pack_ref(pk, g, "room");
		mp_pack_str(pk, "teacher");
		pack_ref(pk, g, "teacher");
	}
}

/* Teachers' weeks: per teacher id, the slots "DAGDEEL@LOCATION" of each side. */
typedef struct tweek {
	const msgpack_object *name;
	char **slot[2];
	int n[2], cap[2];
} tweek;

static void tweek_add(tweek *t, int s, char *slot)
{
	if (t->n[s] == t->cap[s]) {
		t->cap[s] = t->cap[s] ? 2 * t->cap[s] : 8;
		t->slot[s] = xrealloc(t->slot[s], (size_t)t->cap[s] * sizeof *t->slot[s]);
	}
	t->slot[s][t->n[s]++] = slot;
}

/* Entries of x (sorted, n) that y (sorted, m) lacks. */
static int only_in(char **x, int n, char **y, int m, char **out)
{
	int k = 0;
	for (int i = 0, j = 0; i < n; i++) {
		while (j < m && strcmp(y[j], x[i]) < 0)
			j++;
		if ((j == m || strcmp(y[j], x[i]) != 0) && (k == 0 || strcmp(out[k - 1], x[i])))
			out[k++] = x[i];
	}
	return k;
}

/* Slots "DAGDEEL@LOCATION" in the week's order: the answer's dagdelen list. */
static int cmp_slot_week(const void *a, const void *b, void *arg)
{
	const strmap *order = arg;
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	const char *ax = strchr(x, '@'), *ay = strchr(y, '@');
	int ox = strmap_get(order, x, (size_t)(ax - x)),
	    oy = strmap_get(order, y, (size_t)(ay - y));
	if (ox != oy)
		return ox < 0 ? 1 : oy < 0 ? -1 : ox - oy;
	return strcmp(x, y);
}

static int pack_teachers(msgpack_packer *pk, const side sd[2], const strmap *week)
{
	strmap ids;
	strmap_init(&ids);
	tweek *tw = NULL;
	const msgpack_object **tid = NULL;
	int nt = 0, cap = 0;
	for (int s = 0; s < 2; s++)
		for (int i = 0; i < sd[s].n_les; i++) {
			const msgpack_object *g = sd[s].les[i].g, *t = mp_get(g, "teacher");
			const msgpack_object *id =
			    t && t->type == MSGPACK_OBJECT_MAP ? mp_get(t, "id") : t;
			const char *p, *loc;
			size_t len, nloc;
			if (!id || !mp_str(id, &p, &len))
				continue;
			int k = strmap_put(&ids, p, len, nt);
			if (k == nt) {
				if (nt == cap) {
					cap = cap ? 2 * cap : 16;
					tw = xrealloc(tw, (size_t)cap * sizeof *tw);
					tid = xrealloc(tid, (size_t)cap * sizeof *tid);
				}
				memset(&tw[nt], 0, sizeof tw[nt]);
				tid[nt++] = id;
			}
			if (t->type == MSGPACK_OBJECT_MAP && mp_get(t, "name"))
				tw[k].name = mp_get(t, "name");
			const msgpack_object *l = mp_get(g, "location");
			if (!l || !mp_str(l, &loc, &nloc))
				loc = "", nloc = 0;
			const msgpack_object *dd = mp_get(g, "dagdelen");
			for (uint32_t j = 0;
			     dd && dd->type == MSGPACK_OBJECT_ARRAY && j < dd->via.array.size;
			     j++) {
				const char *dp;
				size_t dn;
				if (mp_str(&dd->via.array.ptr[j], &dp, &dn))
					tweek_add(
					    &tw[k], s,
					    xasprintf("%.*s@%.*s", (int)dn, dp, (int)nloc, loc));
			}
		}
	int changed = 0;
	char ***drop = xcalloc(nt ? (size_t)nt : 1, sizeof *drop);
	char ***add = xcalloc(nt ? (size_t)nt : 1, sizeof *add);
	int *nd = xcalloc(nt ? (size_t)nt : 1, sizeof *nd),
	    *na = xcalloc(nt ? (size_t)nt : 1, sizeof *na);
	int *order = xcalloc(nt ? (size_t)nt : 1, sizeof *order);
	for (int k = 0; k < nt; k++) {
		for (int s = 0; s < 2; s++)
			if (tw[k].n[s] > 1) /* a teacher of groups without dagdelen has none */
				qsort(tw[k].slot[s], (size_t)tw[k].n[s], sizeof(char *), cmp_str);
		drop[k] = xcalloc(tw[k].n[0] + 1, sizeof(char *));
		add[k] = xcalloc(tw[k].n[1] + 1, sizeof(char *));
		nd[k] = only_in(tw[k].slot[0], tw[k].n[0], tw[k].slot[1], tw[k].n[1], drop[k]);
		na[k] = only_in(tw[k].slot[1], tw[k].n[1], tw[k].slot[0], tw[k].n[0], add[k]);
		if (nd[k] || na[k])
			order[changed++] = k;
		qsort_r(drop[k], (size_t)nd[k], sizeof(char *), cmp_slot_week, (void *)week);
		qsort_r(add[k], (size_t)na[k], sizeof(char *), cmp_slot_week, (void *)week);
	}
	/* by teacher id, so the list reads the same whatever the groups' order */
	for (int i = 1; i < changed; i++)
		for (int j = i; j > 0 && cmp_obj_str(&tid[order[j - 1]], &tid[order[j]]) > 0; j--) {
			int x = order[j];
			order[j] = order[j - 1];
			order[j - 1] = x;
		}
	msgpack_pack_array(pk, (size_t)changed);
	for (int i = 0; i < changed; i++) {
		int k = order[i];
		msgpack_pack_map(pk, 4);
		mp_pack_str(pk, "teacher");
		msgpack_pack_object(pk, *tid[k]);
		mp_pack_str(pk, "name");
		pack_obj_or_nil(pk, tw[k].name);
		mp_pack_str(pk, "dropped");
		msgpack_pack_array(pk, (size_t)nd[k]);
		for (int j = 0; j < nd[k]; j++)
			mp_pack_str(pk, drop[k][j]);
		mp_pack_str(pk, "added");
		msgpack_pack_array(pk, (size_t)na[k]);
		for (int j = 0; j < na[k]; j++)
			mp_pack_str(pk, add[k][j]);
	}
	for (int k = 0; k < nt; k++) {
		for (int s = 0; s < 2; s++) {
			for (int j = 0; j < tw[k].n[s]; j++)
				free(tw[k].slot[s][j]);
			free(tw[k].slot[s]);
		}
		free(drop[k]);
		free(add[k]);
	}
	free(drop);
	free(add);
	free(nd);
	free(na);
	free(order);
	free(tw);
	free(tid);
	strmap_free(&ids);
	return changed;
}

/* o is a string clean of control characters: its bytes in p, n. */
static bool clean_text(const msgpack_object *o, const char **p, size_t *n)
{
	const char *what;
	return o && mp_str(o, p, n) && mp_text_bad(*p, *n, &what) < 0;
}

/* The later answer's start.<list> (when it was solved from a start), each
 * entry by its clean `key` in by, when its `text` field (if asked) is clean
 * too; NULL when it has none. Read leniently: other entries are skipped.
 * The lists: outcomes ({group, outcome, reason}) by group, changed
 * ({learner, group, outcome, rule, reason}: why each learner the start
 * placed has other lessons) by learner. */
static const msgpack_object_array *start_list(const msgpack_object *after, const char *list,
					      const char *key, const char *text, strmap *by)
{
	strmap_init(by);
	const msgpack_object *o = mp_get(mp_get(after, "start"), list);
	if (!o || o->type != MSGPACK_OBJECT_ARRAY)
		return NULL;
	for (uint32_t i = 0; i < o->via.array.size; i++) {
		const msgpack_object *e = &o->via.array.ptr[i];
		const char *p, *t;
		size_t n, nt;
		if (clean_text(mp_get(e, key), &p, &n) && (!text || clean_text(mp_get(e, text), &t, &nt)))
			strmap_put(by, p, n, (int)i);
	}
	return &o->via.array;
}

/* Why a learner's week changed, when the later answer says what became of
 * the earlier group it was in: "g2 dropped: no room …", "g2 kept; …";
 * NULL when it cannot tell (caller frees). */
static char *why_changed(const side *sd, const seat *st, tt_change ch,
			 const msgpack_object_array *outs, const strmap *fate)
{
	if (!outs || (ch != TT_CH_MOVED && ch != TT_CH_UNPLACED && ch != TT_CH_RESTAFFED))
		return NULL;
	for (int i = 0; i < st->n; i++) {
		const msgpack_object *g = sd->les[st->les[i]].g, *r = mp_get(g, "running");
		const msgpack_object *id = mp_get(g, "id");
		const char *p, *oc, *rs;
		size_t n, noc, nrs;
		if ((r && r->type != MSGPACK_OBJECT_NIL) || !id || !mp_str(id, &p, &n))
			continue;
		int k = strmap_get(fate, p, n);
		if (k < 0)
			continue;
		const msgpack_object *o = &outs->ptr[k];
		if (!clean_text(mp_get(o, "outcome"), &oc, &noc))
			continue;
		if (noc == 4 && memcmp(oc, "kept", 4) == 0)
			return xasprintf("%.*s kept; the solve gave this learner other lessons",
					 (int)n, p);
		if (clean_text(mp_get(o, "reason"), &rs, &nrs))
			return xasprintf("%.*s %.*s: %.*s", (int)n, p, (int)noc, oc, (int)nrs, rs);
		return xasprintf("%.*s %.*s", (int)n, p, (int)noc, oc);
	}
	return NULL;
}

typedef struct row {
	int k;
	tt_change ch;
	const msgpack_object *id;
} row;

static int cmp_row(const void *a, const void *b)
{
	const row *x = a, *y = b;
	if (x->ch != y->ch)
		return (int)x->ch - (int)y->ch;
	return cmp_obj_str(&x->id, &y->id);
}

bool tt_diff_is_parent(const msgpack_object *before, const msgpack_object *after)
{
	const msgpack_object *pa = mp_get(after, "plan"), *pb = mp_get(before, "plan");
	const msgpack_object *par = mp_get(after, "parent"), *v = mp_get(before, "version");
	const char *x, *y;
	size_t nx, ny;
	return pa && pb && mp_str(pa, &x, &nx) && mp_str(pb, &y, &ny) && nx == ny &&
	       memcmp(x, y, nx) == 0 && par && v && par->type == MSGPACK_OBJECT_POSITIVE_INTEGER &&
	       v->type == MSGPACK_OBJECT_POSITIVE_INTEGER && par->via.u64 == v->via.u64;
}

int tt_diff(const msgpack_object *before, const msgpack_object *after, bool why, msgpack_packer *pk,
	    mp_ctx *c)
{
	dctx d = {.c = c};
	strmap_init(&d.ids);
	side sd[2] = {{.name = "before"}, {.name = "after"}};
	int rc = read_side(&d, 0, before, &sd[0]);
	if (!rc)
		rc = read_side(&d, 1, after, &sd[1]);
	row *rows = NULL;
	if (rc)
		goto end;
	into_running(&d, sd);
	int count[TT_CH_N] = {0}, waiting = 0, n_rows = 0;
	rows = xcalloc(d.n ? (size_t)d.n : 1, sizeof *rows);
	for (int k = 0; k < d.n; k++) {
		bool w;
		tt_change ch = classify(sd, &d.seat[0][k], &d.seat[1][k], &w);
		if (w)
			waiting++;
		else
			count[ch]++;
		if (ch != TT_CH_UNCHANGED)
			rows[n_rows++] = (row){k, ch, d.id_obj[k]};
	}
	qsort(rows, (size_t)n_rows, sizeof *rows, cmp_row);

	/* the teachers first into a buffer of their own: the summary counts them */
	msgpack_sbuffer tsb;
	msgpack_sbuffer_init(&tsb);
	msgpack_packer tpk;
	msgpack_packer_init(&tpk, &tsb, msgpack_sbuffer_write);
	strmap week;
	strmap_init(&week);
	for (int s = 1; s >= 0; s--) {
		const msgpack_object *dd = mp_get(s ? after : before, "dagdelen");
		for (uint32_t i = 0;
		     dd && dd->type == MSGPACK_OBJECT_ARRAY && i < dd->via.array.size; i++) {
			const char *p;
			size_t len;
			const msgpack_object *id = mp_get(&dd->via.array.ptr[i], "id");
			if (id && mp_str(id, &p, &len) && !memchr(p, 0, len))
				strmap_put(&week, p, len, (int)week.n);
		}
	}
	int teachers_changed = pack_teachers(&tpk, sd, &week);
	strmap_free(&week);

	msgpack_pack_map(pk, 3);
	mp_pack_str(pk, "summary");
	msgpack_pack_map(pk, 12);
	mp_pack_kv_int(pk, "learners", d.n);
	for (int ch = 0; ch < TT_CH_N; ch++)
		mp_pack_kv_int(pk, change_names[ch], count[ch]);
	mp_pack_kv_int(pk, "waiting", waiting);
	mp_pack_kv_int(pk, "teachers_changed", teachers_changed);
	mp_pack_kv_int(pk, "groups_before", sd[0].n_les);
	mp_pack_kv_int(pk, "groups_after", sd[1].n_les);
	mp_pack_str(pk, "learners");
	msgpack_pack_array(pk, (size_t)n_rows);
	strmap fate, who;
	const msgpack_object_array *outs = start_list(why ? after : NULL, "outcomes", "group", NULL,
						      &fate);
	const msgpack_object_array *chs = start_list(why ? after : NULL, "changed", "learner",
						     "reason", &who);
	for (int i = 0; i < n_rows; i++) {
		int k = rows[i].k;
		msgpack_pack_map(pk, 5);
		mp_pack_str(pk, "learner");
		msgpack_pack_object(pk, *d.id_obj[k]);
		mp_pack_kv_str(pk, "change", change_names[rows[i].ch]);
		mp_pack_str(pk, "before");
		pack_lessons(pk, &sd[0], &d.seat[0][k]);
		mp_pack_str(pk, "after");
		pack_lessons(pk, &sd[1], &d.seat[1][k]);
		const char *p;
		size_t n;
		int c = -1;
		if (chs && (rows[i].ch == TT_CH_MOVED || rows[i].ch == TT_CH_UNPLACED) &&
		    mp_str(d.id_obj[k], &p, &n))
			c = strmap_get(&who, p, n);
		if (c >= 0) {
			/* the learner's own reason, read clean above */
			const msgpack_object *r = mp_get(&chs->ptr[c], "reason");
			mp_pack_str(pk, "why");
			msgpack_pack_object(pk, *r);
			continue;
		}
		char *why = why_changed(&sd[0], &d.seat[0][k], rows[i].ch, outs, &fate);
		mp_pack_kv_str(pk, "why", why);
		free(why);
	}
	strmap_free(&fate);
	strmap_free(&who);
	mp_pack_str(pk, "teachers");
	pk->callback(pk->data, tsb.data, tsb.size);
	msgpack_sbuffer_destroy(&tsb);
end:
	free(rows);
	for (int s = 0; s < 2; s++) {
		for (int i = 0; i < sd[s].n_les; i++) {
			free(sd[s].les[i].when);
			free(sd[s].les[i].staff);
		}
		free(sd[s].les);
		for (int k = 0; k < d.n; k++) {
			free(d.seat[s][k].les);
			free(d.seat[s][k].as_new);
		}
		free(d.seat[s]);
	}
	free(d.id_obj);
	strmap_free(&d.ids);
	return rc;
}
