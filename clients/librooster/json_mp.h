/* json_mp.h: the one generic JSON ↔ msgpack converter (jansson), used at the CLI edge.
 *
 * No per-field code: objects become maps, arrays arrays, integers ints,
 * reals doubles, strings str. Going back, bin becomes a string, ext null.
 * Returned json_t references are new (json_decref them). */
#ifndef JSON_MP_H
#define JSON_MP_H

#include <jansson.h>
#include <msgpack.h>
#include <stdio.h>

void json_to_msgpack(msgpack_packer *pk, const json_t *j);
json_t *msgpack_to_json(const msgpack_object *o);

/* Read a JSON file into *out. On error writes "FILE:LINE:COL: message" to err. */
int json_read_file(const char *path, json_t **out, char *err, size_t errlen);
/* Read a JSON file and pack it into sb (caller inits/destroys sb). */
int json_file_to_msgpack(const char *path, msgpack_sbuffer *sb, char *err, size_t errlen);

#endif
