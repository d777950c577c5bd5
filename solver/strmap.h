/* strmap.h: a small open-addressing map from strings to dense ints (interning).
 *
 * Keys are copied; strmap_free releases them. Used by the decoders to turn the
 * caller's ids into indices once. */
#ifndef STRMAP_H
#define STRMAP_H

#include <stddef.h>

typedef struct strmap {
	char **keys;
	int *vals;
	size_t cap, n;
} strmap;

void strmap_init(strmap *m);
void strmap_free(strmap *m);
/* Value of key (len bytes), or -1 when absent. */
int strmap_get(const strmap *m, const char *key, size_t len);
/* Insert key→val; returns the existing value if the key was present (and keeps it), else val. */
int strmap_put(strmap *m, const char *key, size_t len, int val);

#endif
