/* mp.h: typed access to decoded msgpack objects with error paths.
 *
 * A decoder walks a msgpack_object tree and reports the first problem as
 * "learners[3].available[1]: unknown dagdeel 'mon-xx'". mp_ctx keeps the
 * current path and the first error; every getter returns 0 or RS_EBADREQ /
 * RS_ETOOLARGE and records the message. Strings handed out are borrowed from
 * the msgpack zone unless a function says it copies. */
#ifndef MP_H
#define MP_H

#include <msgpack.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MP_PATH_MAX 256
#define MP_ERR_MAX 512

typedef struct mp_ctx {
	char path[MP_PATH_MAX];
	size_t plen;
	int rc;             /* first error code, 0 if none */
	char err[MP_ERR_MAX];
	char field[MP_PATH_MAX]; /* path of the first error */
} mp_ctx;

void mp_init(mp_ctx *c);
/* Push ".name" or "[i]" onto the path; mp_pop restores the saved length. */
size_t mp_push_key(mp_ctx *c, const char *name);
size_t mp_push_idx(mp_ctx *c, size_t i);
void mp_pop(mp_ctx *c, size_t saved);
/* Record an error at the current path (first one wins); returns code. */
/* Makes s valid UTF-8 without control characters, in place: a byte that
 * does not start a valid sequence, and a control character, become '?'; a
 * sequence cut short at the end (snprintf truncation) is dropped. Error
 * texts quote what clients sent, and go back to them as msgpack strings. */
void mp_text_clean(char *s);
/* Length of the valid UTF-8 sequence at p (at most left bytes), 0 when
 * there is none: no overlong forms, no surrogates, nothing past U+10FFFF. */
int mp_utf8_seq(const unsigned char *p, size_t left);
/* Where n bytes at s are not valid UTF-8 or hold a control character
 * (U+0000..U+001F, U+007F): the byte offset, with *what saying which; -1
 * when the text is clean. */
long mp_text_bad(const char *s, size_t n, const char **what);
/* mp_text_bad as a field error at the current path: 0 when clean. */
int mp_text_check(mp_ctx *c, const char *p, size_t n);
int mp_fail(mp_ctx *c, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Borrow the bytes of string object o at the current path: an error when o
 * is not a string, is longer than maxlen, or is not clean text (mp_text_check). */
int mp_str_checked(mp_ctx *c, const msgpack_object *o, size_t maxlen, const char **p, size_t *n);

/* Every key of map o (when a map) is a string among known (NULL-terminated);
 * otherwise an error at that key, with the nearest known name when one is
 * within two edits, else a pointer to the document `see`. */
int mp_known_keys(mp_ctx *c, const msgpack_object *o, const char *const *known, const char *see);
/* Map lookup by key (str or bin keys); NULL when absent. */
const msgpack_object *mp_get(const msgpack_object *map, const char *key);
/* Are a str/bin object's bytes equal to s? */
bool mp_eq(const msgpack_object *o, const char *s);
/* Borrow str/bin bytes. */
bool mp_str(const msgpack_object *o, const char **p, size_t *len);

/* Typed getters of field `key` of map `m`. When absent and !required, the
 * default already in *out stays. Paths include the key. */
int mp_field_str(mp_ctx *c, const msgpack_object *m, const char *key, bool required,
		 size_t maxlen, char **out /* copied, caller frees */);
/* mp_field_str for a lookup key that may name data stored before strings
 * were checked (learner.erase): any bytes but NUL. */
int mp_field_key(mp_ctx *c, const msgpack_object *m, const char *key, bool required,
		 size_t maxlen, char **out /* copied, caller frees */);
int mp_field_int(mp_ctx *c, const msgpack_object *m, const char *key, bool required,
		 int64_t min, int64_t max, int64_t *out);
int mp_field_num(mp_ctx *c, const msgpack_object *m, const char *key, bool required,
		 double min, double max, double *out);
int mp_field_bool(mp_ctx *c, const msgpack_object *m, const char *key, bool required, bool *out);
/* The field must be an array (or absent when !required: *out = NULL) of at most max items. */
int mp_field_array(mp_ctx *c, const msgpack_object *m, const char *key, bool required,
		   uint32_t max, const msgpack_object_array **out);
int mp_field_map(mp_ctx *c, const msgpack_object *m, const char *key, bool required,
		 const msgpack_object_map **out);

/* Type name of an object, for messages. */
const char *mp_type_name(const msgpack_object *o);

/* Packing helpers over a msgpack_packer. */
void mp_pack_str(msgpack_packer *pk, const char *s);
void mp_pack_kv_str(msgpack_packer *pk, const char *k, const char *v); /* v NULL → nil */
void mp_pack_kv_int(msgpack_packer *pk, const char *k, int64_t v);
void mp_pack_kv_num(msgpack_packer *pk, const char *k, double v);
void mp_pack_kv_bool(msgpack_packer *pk, const char *k, bool v);
/* A dagdeel as answers carry it: {id, day, start, end}, times as HH:MM. */
void mp_pack_dagdeel(msgpack_packer *pk, const char *id, const char *day, int start_min,
		     int end_min);

#endif
