/* mp.c: typed msgpack getters that record the path of the first bad field. */
#include "mp.h"

#include "rs_error.h"
#include "xalloc.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void mp_init(mp_ctx *c)
{
	memset(c, 0, sizeof *c);
}

static size_t push(mp_ctx *c, const char *piece)
{
	size_t saved = c->plen;
	size_t n = strlen(piece);
	if (c->plen + n < MP_PATH_MAX) {
		memcpy(c->path + c->plen, piece, n + 1);
		c->plen += n;
	}
	return saved;
}

size_t mp_push_key(mp_ctx *c, const char *name)
{
	char buf[96];
	snprintf(buf, sizeof buf, "%s%s", c->plen ? "." : "", name);
	return push(c, buf);
}

size_t mp_push_idx(mp_ctx *c, size_t i)
{
	char buf[32];
	snprintf(buf, sizeof buf, "[%zu]", i);
	return push(c, buf);
}

void mp_pop(mp_ctx *c, size_t saved)
{
	c->plen = saved;
	c->path[saved] = '\0';
}

int mp_utf8_seq(const unsigned char *p, size_t left)
{
	unsigned char b = p[0];
	int len = b < 0x80 ? 1 : (b & 0xe0) == 0xc0 ? 2 : (b & 0xf0) == 0xe0 ? 3
			       : (b & 0xf8) == 0xf0 ? 4 : 0;
	if (len == 0 || (size_t)len > left || (len == 2 && b < 0xc2) || (len == 4 && b > 0xf4))
		return 0;
	for (int k = 1; k < len; k++)
		if ((p[k] & 0xc0) != 0x80)
			return 0;
	if (len == 3 && ((b == 0xe0 && p[1] < 0xa0) || (b == 0xed && p[1] >= 0xa0)))
		return 0;
	if (len == 4 && ((b == 0xf0 && p[1] < 0x90) || (b == 0xf4 && p[1] >= 0x90)))
		return 0;
	return len;
}

static bool is_control(unsigned char b)
{
	return b < 0x20 || b == 0x7f;
}

long mp_text_bad(const char *s, size_t n, const char **what)
{
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		int len = mp_utf8_seq(p + i, n - i);
		if (len == 0) {
			*what = "is not valid UTF-8";
			return (long)i;
		}
		if (len == 1 && is_control(p[i])) {
			*what = "contains a control character";
			return (long)i;
		}
		i += (size_t)len;
	}
	return -1;
}

void mp_text_clean(char *s)
{
	unsigned char *p = (unsigned char *)s, *end = p + strlen(s);
	while (*p) {
		size_t left = (size_t)(end - p);
		int len = mp_utf8_seq(p, left);
		if (len == 0) {
			unsigned char b = *p;
			int want = (b & 0xe0) == 0xc0 ? 2 : (b & 0xf0) == 0xe0 ? 3
						    : (b & 0xf8) == 0xf0 ? 4 : 1;
			if (want > 1 && (size_t)want > left) {
				/* a sequence cut short by the end of the text goes */
				size_t k = 1;
				while (k < left && (p[k] & 0xc0) == 0x80)
					k++;
				if (k == left) {
					*p = 0;
					return;
				}
			}
			*p++ = '?';
			continue;
		}
		if (len == 1 && is_control(*p))
			*p = '?';
		p += len;
	}
}

int mp_fail(mp_ctx *c, int code, const char *fmt, ...)
{
	if (c->rc)
		return c->rc;
	c->rc = code;
	snprintf(c->field, sizeof c->field, "%s", c->path);
	char msg[MP_ERR_MAX - MP_PATH_MAX - 4];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (c->plen)
		snprintf(c->err, sizeof c->err, "%.*s: %s", (int)(MP_PATH_MAX - 1), c->path, msg);
	else
		snprintf(c->err, sizeof c->err, "%s", msg);
	mp_text_clean(c->field);
	mp_text_clean(c->err);
	return code;
}

/* Edit distance of two short keys (for "did you mean"), capped at 3. */
static int key_distance(const char *a, size_t na, const char *b)
{
	size_t nb = strlen(b);
	if (na > 40 || nb > 40)
		return 3;
	int row[41];
	for (size_t j = 0; j <= nb; j++)
		row[j] = (int)j;
	for (size_t i = 1; i <= na; i++) {
		int diag = row[0];
		row[0] = (int)i;
		for (size_t j = 1; j <= nb; j++) {
			int up = row[j];
			int v = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < v)
				v = up + 1;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			row[j] = v;
			diag = up;
		}
	}
	return row[nb] < 3 ? row[nb] : 3;
}

/* Every key of map o is one of known (NULL-terminated): a misspelt field
 * would otherwise be dropped and the rule it states never applied. */
int mp_known_keys(mp_ctx *c, const msgpack_object *o, const char *const *known, const char *see)
{
	if (!o || o->type != MSGPACK_OBJECT_MAP)
		return 0;
	for (uint32_t k = 0; k < o->via.map.size; k++) {
		const msgpack_object *key = &o->via.map.ptr[k].key;
		const char *p;
		size_t n;
		/* bin keys as mp_get reads them: clients that pack every string
		 * as bin are served */
		if (!mp_str(key, &p, &n))
			return mp_fail(c, RS_EBADREQ, "field names must be strings, got %s",
				       mp_type_name(key));
		const char *near = NULL;
		int best = 3;
		bool found = false;
		for (int q = 0; known[q] && !found; q++) {
			found = strlen(known[q]) == n && memcmp(known[q], p, n) == 0;
			int dist = key_distance(p, n, known[q]);
			if (dist < best)
				best = dist, near = known[q];
		}
		if (found)
			continue;
		char kb[48];
		snprintf(kb, sizeof kb, "%.*s", n > 40 ? 40 : (int)n, p);
		size_t s = mp_push_key(c, kb);
		int rc = near ? mp_fail(c, RS_EBADREQ, "unknown field; did you mean '%s'?", near)
			      : mp_fail(c, RS_EBADREQ, "unknown field (see %s)", see);
		mp_pop(c, s);
		return rc;
	}
	return 0;
}

bool mp_str(const msgpack_object *o, const char **p, size_t *len)
{
	if (!o)
		return false;
	if (o->type == MSGPACK_OBJECT_STR) {
		*p = o->via.str.ptr;
		*len = o->via.str.size;
		return true;
	}
	if (o->type == MSGPACK_OBJECT_BIN) {
		*p = o->via.bin.ptr;
		*len = o->via.bin.size;
		return true;
	}
	return false;
}

bool mp_eq(const msgpack_object *o, const char *s)
{
	const char *p;
	size_t n;
	if (!mp_str(o, &p, &n))
		return false;
	return n == strlen(s) && memcmp(p, s, n) == 0;
}

const msgpack_object *mp_get(const msgpack_object *map, const char *key)
{
	if (!map || map->type != MSGPACK_OBJECT_MAP)
		return NULL;
	for (uint32_t i = 0; i < map->via.map.size; i++)
		if (mp_eq(&map->via.map.ptr[i].key, key))
			return &map->via.map.ptr[i].val;
	return NULL;
}

const char *mp_type_name(const msgpack_object *o)
{
	switch (o->type) {
	case MSGPACK_OBJECT_NIL:
		return "nil";
	case MSGPACK_OBJECT_BOOLEAN:
		return "bool";
	case MSGPACK_OBJECT_POSITIVE_INTEGER:
	case MSGPACK_OBJECT_NEGATIVE_INTEGER:
		return "integer";
	case MSGPACK_OBJECT_FLOAT32:
	case MSGPACK_OBJECT_FLOAT64:
		return "float";
	case MSGPACK_OBJECT_STR:
		return "string";
	case MSGPACK_OBJECT_BIN:
		return "binary";
	case MSGPACK_OBJECT_ARRAY:
		return "array";
	case MSGPACK_OBJECT_MAP:
		return "map";
	case MSGPACK_OBJECT_EXT:
		return "ext";
	}
	return "unknown";
}

/* Look up key; on absence report when required. Returns 1 found, 0 absent-ok, <0 error. */
static int lookup(mp_ctx *c, const msgpack_object *m, const char *key, bool required,
		  const msgpack_object **out)
{
	*out = mp_get(m, key);
	if (*out && (*out)->type == MSGPACK_OBJECT_NIL && !required)
		*out = NULL;
	if (*out)
		return 1;
	if (required) {
		size_t s = mp_push_key(c, key);
		int rc = mp_fail(c, RS_EBADREQ, "required field missing");
		mp_pop(c, s);
		return rc;
	}
	return 0;
}

int mp_text_check(mp_ctx *c, const char *p, size_t n)
{
	const char *what = NULL;
	long at = mp_text_bad(p, n, &what);
	if (at < 0)
		return 0;
	return mp_fail(c, RS_EBADREQ, "string %s (byte %ld)", what, at + 1);
}

int mp_str_checked(mp_ctx *c, const msgpack_object *o, size_t maxlen, const char **p, size_t *n)
{
	if (!mp_str(o, p, n))
		return mp_fail(c, RS_EBADREQ, "expected a string, got %s", mp_type_name(o));
	if (*n > maxlen)
		return mp_fail(c, RS_ETOOLARGE, "string of %zu bytes exceeds the limit of %zu", *n,
			       maxlen);
	return mp_text_check(c, *p, *n);
}

static int field_str(mp_ctx *c, const msgpack_object *m, const char *key, bool required,
		     size_t maxlen, bool text, char **out)
{
	const msgpack_object *o;
	int rc = lookup(c, m, key, required, &o);
	if (rc <= 0)
		return rc;
	size_t s = mp_push_key(c, key);
	const char *p;
	size_t n;
	if (!mp_str(o, &p, &n)) {
		rc = mp_fail(c, RS_EBADREQ, "expected a string, got %s", mp_type_name(o));
	} else if (n > maxlen) {
		rc = mp_fail(c, RS_ETOOLARGE, "string of %zu bytes exceeds the limit of %zu", n,
			     maxlen);
	} else if (!text && memchr(p, '\0', n)) {
		rc = mp_fail(c, RS_EBADREQ, "string contains a NUL byte");
	} else if (text && mp_text_check(c, p, n)) {
		rc = c->rc;
	} else {
		free(*out);
		*out = xstrndup(p, n);
		rc = 0;
	}
	mp_pop(c, s);
	return rc;
}

int mp_field_str(mp_ctx *c, const msgpack_object *m, const char *key, bool required,
		 size_t maxlen, char **out)
{
	return field_str(c, m, key, required, maxlen, true, out);
}

int mp_field_key(mp_ctx *c, const msgpack_object *m, const char *key, bool required,
		 size_t maxlen, char **out)
{
	return field_str(c, m, key, required, maxlen, false, out);
}

int mp_field_int(mp_ctx *c, const msgpack_object *m, const char *key, bool required,
		 int64_t min, int64_t max, int64_t *out)
{
	const msgpack_object *o;
	int rc = lookup(c, m, key, required, &o);
	if (rc <= 0)
		return rc;
	size_t s = mp_push_key(c, key);
	int64_t v = 0;
	rc = 0;
	if (o->type == MSGPACK_OBJECT_POSITIVE_INTEGER && (max < 0 || o->via.u64 > (uint64_t)max)) {
		/* (said as sent: past INT64_MAX it has no int64_t to be clamped to) */
		rc = mp_fail(c, RS_EBADREQ, "%" PRIu64 " is outside %" PRId64 "..%" PRId64,
			     o->via.u64, min, max);
	} else if (o->type == MSGPACK_OBJECT_POSITIVE_INTEGER) {
		v = (int64_t)o->via.u64;
	} else if (o->type == MSGPACK_OBJECT_NEGATIVE_INTEGER) {
		v = o->via.i64;
	} else if ((o->type == MSGPACK_OBJECT_FLOAT64 || o->type == MSGPACK_OBJECT_FLOAT32) &&
		   isfinite(o->via.f64) && o->via.f64 == floor(o->via.f64) &&
		   fabs(o->via.f64) < 9e15) {
		v = (int64_t)o->via.f64;
	} else {
		rc = mp_fail(c, RS_EBADREQ, "expected an integer, got %s", mp_type_name(o));
	}
	if (!rc && (v < min || v > max))
		rc = mp_fail(c, RS_EBADREQ, "%" PRId64 " is outside %" PRId64 "..%" PRId64, v, min,
			     max);
	if (!rc)
		*out = v;
	mp_pop(c, s);
	return rc;
}

int mp_field_num(mp_ctx *c, const msgpack_object *m, const char *key, bool required,
		 double min, double max, double *out)
{
	const msgpack_object *o;
	int rc = lookup(c, m, key, required, &o);
	if (rc <= 0)
		return rc;
	size_t s = mp_push_key(c, key);
	double v = 0;
	rc = 0;
	if (o->type == MSGPACK_OBJECT_POSITIVE_INTEGER)
		v = (double)o->via.u64;
	else if (o->type == MSGPACK_OBJECT_NEGATIVE_INTEGER)
		v = (double)o->via.i64;
	else if (o->type == MSGPACK_OBJECT_FLOAT64 || o->type == MSGPACK_OBJECT_FLOAT32)
		v = o->via.f64;
	else
		rc = mp_fail(c, RS_EBADREQ, "expected a number, got %s", mp_type_name(o));
	if (!rc && (!isfinite(v) || v < min || v > max))
		rc = mp_fail(c, RS_EBADREQ, "%g is outside %g..%g", v, min, max);
	if (!rc)
		*out = v;
	mp_pop(c, s);
	return rc;
}

int mp_field_bool(mp_ctx *c, const msgpack_object *m, const char *key, bool required, bool *out)
{
	const msgpack_object *o;
	int rc = lookup(c, m, key, required, &o);
	if (rc <= 0)
		return rc;
	size_t s = mp_push_key(c, key);
	if (o->type != MSGPACK_OBJECT_BOOLEAN)
		rc = mp_fail(c, RS_EBADREQ, "expected true or false, got %s", mp_type_name(o));
	else
		*out = o->via.boolean, rc = 0;
	mp_pop(c, s);
	return rc;
}

int mp_field_array(mp_ctx *c, const msgpack_object *m, const char *key, bool required,
		   uint32_t max, const msgpack_object_array **out)
{
	const msgpack_object *o;
	*out = NULL;
	int rc = lookup(c, m, key, required, &o);
	if (rc <= 0)
		return rc;
	size_t s = mp_push_key(c, key);
	if (o->type != MSGPACK_OBJECT_ARRAY)
		rc = mp_fail(c, RS_EBADREQ, "expected an array, got %s", mp_type_name(o));
	else if (o->via.array.size > max)
		rc = mp_fail(c, RS_ETOOLARGE, "%u entries exceed the limit of %u",
			     o->via.array.size, max);
	else
		*out = &o->via.array, rc = 0;
	mp_pop(c, s);
	return rc;
}

int mp_field_map(mp_ctx *c, const msgpack_object *m, const char *key, bool required,
		 const msgpack_object_map **out)
{
	const msgpack_object *o;
	*out = NULL;
	int rc = lookup(c, m, key, required, &o);
	if (rc <= 0)
		return rc;
	size_t s = mp_push_key(c, key);
	if (o->type != MSGPACK_OBJECT_MAP)
		rc = mp_fail(c, RS_EBADREQ, "expected a map, got %s", mp_type_name(o));
	else
		*out = &o->via.map, rc = 0;
	mp_pop(c, s);
	return rc;
}

void mp_pack_str(msgpack_packer *pk, const char *s)
{
	size_t n = strlen(s);
	msgpack_pack_str(pk, n);
	msgpack_pack_str_body(pk, s, n);
}

void mp_pack_kv_str(msgpack_packer *pk, const char *k, const char *v)
{
	mp_pack_str(pk, k);
	if (v)
		mp_pack_str(pk, v);
	else
		msgpack_pack_nil(pk);
}

void mp_pack_kv_int(msgpack_packer *pk, const char *k, int64_t v)
{
	mp_pack_str(pk, k);
	msgpack_pack_int64(pk, v);
}

void mp_pack_kv_num(msgpack_packer *pk, const char *k, double v)
{
	mp_pack_str(pk, k);
	if (isfinite(v))
		msgpack_pack_double(pk, v);
	else
		msgpack_pack_nil(pk);
}

void mp_pack_kv_bool(msgpack_packer *pk, const char *k, bool v)
{
	mp_pack_str(pk, k);
	if (v)
		msgpack_pack_true(pk);
	else
		msgpack_pack_false(pk);
}

void mp_pack_dagdeel(msgpack_packer *pk, const char *id, const char *day, int start_min,
		     int end_min)
{
	char b[24];
	msgpack_pack_map(pk, 4);
	mp_pack_kv_str(pk, "id", id);
	mp_pack_kv_str(pk, "day", day);
	snprintf(b, sizeof b, "%02d:%02d", (start_min / 60) % 100, start_min % 60);
	mp_pack_kv_str(pk, "start", b);
	snprintf(b, sizeof b, "%02d:%02d", (end_min / 60) % 100, end_min % 60);
	mp_pack_kv_str(pk, "end", b);
}
