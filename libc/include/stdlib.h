/*
 * stdlib.h - the allocation functions (mm/mm.c), for the freestanding
 * build until newlib's headers take over.
 */
#ifndef MINNOW_STDLIB_H
#define MINNOW_STDLIB_H

#include <stddef.h>

void *malloc(size_t size);
void free(void *p);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t size);
int posix_memalign(void **out, size_t align, size_t size);
void *aligned_alloc(size_t align, size_t size);
void *memalign(size_t align, size_t size);
size_t malloc_usable_size(void *p);

#endif
