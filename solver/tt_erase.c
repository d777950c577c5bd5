/* tt_erase.c: a learner's id out of a stored timetable request or answer
 * (and a participant's out of a placement request or answer)
 * (learner.erase). The id is removed where the schema puts a learner's id,
 * and only there: another entity that happens to share the string (a room
 * "12" beside learner "12") keeps it. Counts that listed the learner follow
 * (running_groups[].members, groups[].size, placed, learners), so a
 * queued request still decodes, and the id leaves the texts that name it
 * (reasons, messages), replaced by the words the explanations use for a
 * learner they cannot name. A request's `start` (an earlier answer) is
 * edited as an answer. */
#include <string.h>

#include "mp.h"
#include "tt_erase.h"

#define ERASED_WORDS "(another learner)"

typedef struct er {
	msgpack_packer pk;
	const char *id;
	size_t idlen;
} er;

/* Array element x names the learner: it is the id (key NULL), or a map
 * whose field `key` is. */
static bool names(const er *e, const msgpack_object *x, const char *key)
{
	return key ? x->type == MSGPACK_OBJECT_MAP && mp_eq(mp_get(x, key), e->id)
		   : mp_eq(x, e->id);
}

/* An id character: an occurrence inside a longer token is another id. */
static bool id_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       c == '-' || c == '_' || c == '.' || c == ':';
}

static bool ends_with(const char *p, size_t at, const char *w)
{
	size_t n = strlen(w);
	return at >= n && memcmp(p + at - n, w, n) == 0;
}

/* Does the text name a learner at p[at]? The solver and the checker write
 * learner ids only after "learner ", "partner ", "learners " and in
 * "learners A and B"; elsewhere the same characters are a size, a level or
 * another entity's id. */
static bool names_learner(const char *p, size_t at)
{
	if (ends_with(p, at, "learner ") || ends_with(p, at, "partner ") ||
	    ends_with(p, at, "learners ") || ends_with(p, at, "participant "))
		return true;
	if (!ends_with(p, at, " and "))
		return false;
	size_t k = at - 5;
	while (k > 0 && p[k - 1] != ' ')
		k--;
	return ends_with(p, k, "learners ");
}

/* Where the id stands as a learner's name in p[0..n) from off, or n. It
 * ends the token when what follows is not an id character, or is a ':',
 * '.', ',' or ';' that ends the word ("learner 12: provider ..."). */
static size_t find_token(const er *e, const char *p, size_t n, size_t off)
{
	while (off + e->idlen <= n) {
		const char *h = memmem(p + off, n - off, e->id, e->idlen);
		if (!h)
			return n;
		size_t at = (size_t)(h - p), end = at + e->idlen;
		bool right = end == n || !id_char(p[end]) ||
			     (strchr(":.,;", p[end]) && (end + 1 == n || !id_char(p[end + 1])));
		if (right && names_learner(p, at))
			return at;
		off = at + 1;
	}
	return n;
}

/* A text with the id's mentions as a learner replaced. */
static void pack_text(er *e, const msgpack_object *o)
{
	const char *p = o->via.str.ptr;
	size_t n = o->via.str.size, wl = strlen(ERASED_WORDS), hits = 0;
	for (size_t at = find_token(e, p, n, 0); at < n; at = find_token(e, p, n, at + e->idlen))
		hits++;
	size_t len = n - hits * e->idlen + hits * wl;
	msgpack_pack_str(&e->pk, len);
	size_t from = 0;
	for (size_t at = find_token(e, p, n, 0); at < n; at = find_token(e, p, n, from)) {
		msgpack_pack_str_body(&e->pk, p + from, at - from);
		msgpack_pack_str_body(&e->pk, ERASED_WORDS, wl);
		from = at + e->idlen;
	}
	msgpack_pack_str_body(&e->pk, p + from, n - from);
}

/* A copy of o in which the strings under "text", "message" and "reason"
 * (a start's outcomes and changes) lose the id. */
static void pack_scrubbed(er *e, const msgpack_object *o)
{
	if (o->type == MSGPACK_OBJECT_ARRAY) {
		msgpack_pack_array(&e->pk, o->via.array.size);
		for (uint32_t i = 0; i < o->via.array.size; i++)
			pack_scrubbed(e, &o->via.array.ptr[i]);
	} else if (o->type == MSGPACK_OBJECT_MAP) {
		msgpack_pack_map(&e->pk, o->via.map.size);
		for (uint32_t i = 0; i < o->via.map.size; i++) {
			const msgpack_object_kv *kv = &o->via.map.ptr[i];
			msgpack_pack_object(&e->pk, kv->key);
			if (kv->val.type == MSGPACK_OBJECT_STR &&
			    (mp_eq(&kv->key, "text") || mp_eq(&kv->key, "message") ||
			     mp_eq(&kv->key, "reason")))
				pack_text(e, &kv->val);
			else
				pack_scrubbed(e, &kv->val);
		}
	} else {
		msgpack_pack_object(&e->pk, *o);
	}
}

/* How many elements of array a are the id (strings) or maps whose field
 * `key` is the id. */
static uint32_t count_named(const er *e, const msgpack_object *a, const char *key)
{
	uint32_t n = 0;
	if (a && a->type == MSGPACK_OBJECT_ARRAY)
		for (uint32_t i = 0; i < a->via.array.size; i++)
			n += names(e, &a->via.array.ptr[i], key);
	return n;
}

/* Array a without the elements naming the id (as count_named). */
static void pack_array_without(er *e, const msgpack_object *a, const char *key)
{
	msgpack_pack_array(&e->pk, a->via.array.size - count_named(e, a, key));
	for (uint32_t i = 0; i < a->via.array.size; i++)
		if (!names(e, &a->via.array.ptr[i], key))
			pack_scrubbed(e, &a->via.array.ptr[i]);
}

/* A non-negative count lowered by k (other values as they are). */
static void pack_count_less(er *e, const msgpack_object *o, uint32_t k)
{
	if (o->type == MSGPACK_OBJECT_POSITIVE_INTEGER && k > 0)
		msgpack_pack_uint64(&e->pk, o->via.u64 >= k ? o->via.u64 - k : 0);
	else
		pack_scrubbed(e, o);
}

/* A group (running, module, or an answer's): its learners (and an
 * answer's running group's existing_learners) without the id, its members
 * / size / existing one fewer per id removed. */
static void pack_group(er *e, const msgpack_object *g)
{
	if (g->type != MSGPACK_OBJECT_MAP) {
		pack_scrubbed(e, g);
		return;
	}
	uint32_t gone = count_named(e, mp_get(g, "learners"), NULL);
	uint32_t was = count_named(e, mp_get(g, "existing_learners"), NULL);
	msgpack_pack_map(&e->pk, g->via.map.size);
	for (uint32_t i = 0; i < g->via.map.size; i++) {
		const msgpack_object_kv *kv = &g->via.map.ptr[i];
		msgpack_pack_object(&e->pk, kv->key);
		if ((mp_eq(&kv->key, "learners") || mp_eq(&kv->key, "existing_learners")) &&
		    kv->val.type == MSGPACK_OBJECT_ARRAY)
			pack_array_without(e, &kv->val, NULL);
		else if (mp_eq(&kv->key, "members"))
			pack_count_less(e, &kv->val, gone);
		else if (mp_eq(&kv->key, "size"))
			pack_count_less(e, &kv->val, gone + was);
		else if (mp_eq(&kv->key, "existing"))
			pack_count_less(e, &kv->val, was);
		else
			pack_scrubbed(e, &kv->val);
	}
}

static void pack_groups(er *e, const msgpack_object *a)
{
	if (a->type != MSGPACK_OBJECT_ARRAY) {
		pack_scrubbed(e, a);
		return;
	}
	msgpack_pack_array(&e->pk, a->via.array.size);
	for (uint32_t i = 0; i < a->via.array.size; i++)
		pack_group(e, &a->via.array.ptr[i]);
}

static void pack_top(er *e, const msgpack_object *o)
{
	/* an answer's counts: placed in its groups, listed at all */
	uint32_t placed = 0;
	const msgpack_object *groups = mp_get(o, "groups");
	if (groups && groups->type == MSGPACK_OBJECT_ARRAY)
		for (uint32_t i = 0; i < groups->via.array.size; i++) {
			const msgpack_object *g = &groups->via.array.ptr[i];
			if (g->type == MSGPACK_OBJECT_MAP)
				placed += count_named(e, mp_get(g, "learners"), NULL);
		}
	/* a placement matching (docs/placement.md) names participants instead;
	 * placement.match takes a request without kind, and only a placement
	 * request has participants */
	const msgpack_object *kind = mp_get(o, "kind"), *parts = mp_get(o, "participants");
	bool pm = mp_eq(kind, "placement") ||
		  ((!kind || kind->type == MSGPACK_OBJECT_NIL) && parts &&
		   parts->type == MSGPACK_OBJECT_ARRAY);
	const char *who = pm ? "participant" : "learner";
	if (pm)
		placed += count_named(e, mp_get(o, "matches"), "participant");
	uint32_t listed = placed + count_named(e, mp_get(o, "unplaced"), who);
	msgpack_pack_map(&e->pk, o->via.map.size);
	for (uint32_t i = 0; i < o->via.map.size; i++) {
		const msgpack_object_kv *kv = &o->via.map.ptr[i];
		const msgpack_object *k = &kv->key, *v = &kv->val;
		msgpack_pack_object(&e->pk, *k);
		if (mp_eq(k, "learners") && v->type == MSGPACK_OBJECT_ARRAY)
			pack_array_without(e, v, "id");
		else if (mp_eq(k, "learners"))
			pack_count_less(e, v, listed);
		else if (mp_eq(k, "placed"))
			pack_count_less(e, v, placed);
		else if ((mp_eq(k, "unplaced") || mp_eq(k, "changed")) &&
			 v->type == MSGPACK_OBJECT_ARRAY)
			pack_array_without(e, v, who); /* changed: start's learners */
		else if (pm && mp_eq(k, "participants") && v->type == MSGPACK_OBJECT_ARRAY)
			pack_array_without(e, v, "id");
		else if (pm && mp_eq(k, "participants"))
			pack_count_less(e, v, listed);
		else if (pm && mp_eq(k, "matches") && v->type == MSGPACK_OBJECT_ARRAY)
			pack_array_without(e, v, "participant");
		else if (mp_eq(k, "groups") || mp_eq(k, "running_groups") ||
			 mp_eq(k, "module_groups"))
			pack_groups(e, v);
		else if (mp_eq(k, "start") && v->type == MSGPACK_OBJECT_MAP)
			pack_top(e, v); /* a request's start: an earlier answer */
		else if (v->type == MSGPACK_OBJECT_STR && mp_eq(k, "message"))
			pack_text(e, v);
		else
			pack_scrubbed(e, v);
	}
}

bool tt_erase_learner(const void *blob, size_t len, const char *id, msgpack_sbuffer *out)
{
	msgpack_sbuffer_init(out);
	size_t idlen = id ? strlen(id) : 0;
	if (!blob || !idlen || !memmem(blob, len, id, idlen))
		return false;
	msgpack_unpacked u;
	msgpack_unpacked_init(&u);
	size_t off = 0;
	bool ok = msgpack_unpack_next(&u, blob, len, &off) == MSGPACK_UNPACK_SUCCESS &&
		  u.data.type == MSGPACK_OBJECT_MAP;
	if (ok) {
		er e = {.id = id, .idlen = idlen};
		msgpack_packer_init(&e.pk, out, msgpack_sbuffer_write);
		pack_top(&e, &u.data);
		/* nothing of the learner's: the bytes stay as they were */
		ok = out->size != len || memcmp(out->data, blob, len) != 0;
	}
	msgpack_unpacked_destroy(&u);
	if (!ok) {
		msgpack_sbuffer_destroy(out);
		msgpack_sbuffer_init(out);
	}
	return ok;
}
