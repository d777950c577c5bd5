/* json_mp.c: generic JSON ↔ msgpack conversion with jansson. */
#include "json_mp.h"

#include "mp.h"
#include "rs_error.h"
#include "xalloc.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void json_to_msgpack(msgpack_packer *pk, const json_t *j)
{
	switch (json_typeof(j)) {
	case JSON_OBJECT: {
		msgpack_pack_map(pk, json_object_size(j));
		const char *k;
		json_t *v;
		json_object_foreach((json_t *)j, k, v)
		{
			mp_pack_str(pk, k);
			json_to_msgpack(pk, v);
		}
		break;
	}
	case JSON_ARRAY: {
		msgpack_pack_array(pk, json_array_size(j));
		size_t i;
		json_t *v;
		json_array_foreach(j, i, v)
			json_to_msgpack(pk, v);
		break;
	}
	case JSON_STRING:
		msgpack_pack_str(pk, json_string_length(j));
		msgpack_pack_str_body(pk, json_string_value(j), json_string_length(j));
		break;
	case JSON_INTEGER:
		msgpack_pack_int64(pk, (int64_t)json_integer_value(j));
		break;
	case JSON_REAL:
		msgpack_pack_double(pk, json_real_value(j));
		break;
	case JSON_TRUE:
		msgpack_pack_true(pk);
		break;
	case JSON_FALSE:
		msgpack_pack_false(pk);
		break;
	case JSON_NULL:
		msgpack_pack_nil(pk);
		break;
	}
}

/* A copy of n bytes at p with every byte that does not start a valid UTF-8
 * sequence replaced by '?' (answers stored before the daemon refused such
 * strings may hold them; jansson keeps only valid text). */
static char *text_fixed(const char *p, size_t n)
{
	char *c = xmalloc(n + 1);
	for (size_t i = 0; i < n;) {
		int len = mp_utf8_seq((const unsigned char *)p + i, n - i);
		if (len == 0) {
			c[i++] = '?';
			continue;
		}
		memcpy(c + i, p + i, (size_t)len);
		i += (size_t)len;
	}
	c[n] = 0;
	return c;
}

static bool text_valid(const char *p, size_t n)
{
	for (size_t i = 0; i < n;) {
		int len = mp_utf8_seq((const unsigned char *)p + i, n - i);
		if (len == 0)
			return false;
		i += (size_t)len;
	}
	return true;
}

static json_t *json_text(const char *p, size_t n)
{
	if (text_valid(p, n))
		return json_stringn_nocheck(p, n);
	char *c = text_fixed(p, n);
	json_t *s = json_stringn_nocheck(c, n);
	free(c);
	return s;
}

json_t *msgpack_to_json(const msgpack_object *o)
{
	switch (o->type) {
	case MSGPACK_OBJECT_NIL:
		return json_null();
	case MSGPACK_OBJECT_BOOLEAN:
		return json_boolean(o->via.boolean);
	case MSGPACK_OBJECT_POSITIVE_INTEGER:
		if (o->via.u64 > (uint64_t)INT64_MAX)
			return json_real((double)o->via.u64);
		return json_integer((json_int_t)o->via.u64);
	case MSGPACK_OBJECT_NEGATIVE_INTEGER:
		return json_integer((json_int_t)o->via.i64);
	case MSGPACK_OBJECT_FLOAT32:
	case MSGPACK_OBJECT_FLOAT64:
		return json_real(o->via.f64);
	case MSGPACK_OBJECT_STR:
		return json_text(o->via.str.ptr, o->via.str.size);
	case MSGPACK_OBJECT_BIN:
		return json_text(o->via.bin.ptr, o->via.bin.size);
	case MSGPACK_OBJECT_ARRAY: {
		json_t *a = json_array();
		for (uint32_t i = 0; i < o->via.array.size; i++)
			json_array_append_new(a, msgpack_to_json(&o->via.array.ptr[i]));
		return a;
	}
	case MSGPACK_OBJECT_MAP: {
		json_t *m = json_object();
		for (uint32_t i = 0; i < o->via.map.size; i++) {
			const msgpack_object *k = &o->via.map.ptr[i].key;
			const char *p;
			size_t n;
			char buf[64];
			if (!mp_str(k, &p, &n)) {
				if (k->type == MSGPACK_OBJECT_POSITIVE_INTEGER)
					snprintf(buf, sizeof buf, "%llu", (unsigned long long)k->via.u64);
				else
					snprintf(buf, sizeof buf, "%s", mp_type_name(k));
				p = buf, n = strlen(buf);
			}
			json_t *v = msgpack_to_json(&o->via.map.ptr[i].val);
			if (text_valid(p, n)) {
				json_object_setn_new_nocheck(m, p, n, v);
			} else {
				char *fixed = text_fixed(p, n);
				json_object_setn_new_nocheck(m, fixed, n, v);
				free(fixed);
			}
		}
		return m;
	}
	case MSGPACK_OBJECT_EXT:
		return json_null();
	}
	return json_null();
}

int json_read_file(const char *path, json_t **out, char *err, size_t errlen)
{
	json_error_t je;
	*out = NULL;
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return RS_EBADREQ;
	}
	size_t cap = 1 << 16, n = 0;
	char *buf = xmalloc(cap);
	for (;;) {
		if (n == cap)
			buf = xrealloc(buf, cap *= 2);
		size_t k = fread(buf + n, 1, cap - n, f);
		if (k == 0)
			break;
		n += k;
	}
	bool bad = ferror(f);
	int e = errno;
	if (f != stdin)
		fclose(f);
	if (bad) {
		free(buf);
		snprintf(err, errlen, "%s: %s", path, strerror(e));
		return RS_EBADREQ;
	}
	/* a UTF-8 byte-order mark (editors on Windows write one) is not JSON */
	size_t off = n >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
	*out = json_loadb(buf + off, n - off, JSON_REJECT_DUPLICATES, &je);
	free(buf);
	if (!*out) {
		if (je.line > 0)
			snprintf(err, errlen, "%s:%d:%d: %s", path, je.line, je.column, je.text);
		else
			snprintf(err, errlen, "%s: %s", path, je.text);
		return RS_EBADREQ;
	}
	return 0;
}

int json_file_to_msgpack(const char *path, msgpack_sbuffer *sb, char *err, size_t errlen)
{
	json_t *j;
	int rc = json_read_file(path, &j, err, errlen);
	if (rc)
		return rc;
	msgpack_packer pk;
	msgpack_packer_init(&pk, sb, msgpack_sbuffer_write);
	json_to_msgpack(&pk, j);
	json_decref(j);
	return 0;
}
