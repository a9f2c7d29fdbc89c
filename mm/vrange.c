/*
 * mm/vrange.c - bitmap range allocator. Searches from a moving hint so
 * that repeated allocations do not rescan the used front of the area.
 */
#include <errno.h>
#include <string.h>
#include "mm/vrange.h"

/* bit - is page i in use? */
static int bit(const struct vrange *v, size_t i)
{
	return (v->bits[i / 64] >> (i % 64)) & 1;
}

/* set_range - mark [first, first + n) used (on) or free (off). */
static void set_range(struct vrange *v, size_t first, size_t n, int on)
{
	for (size_t i = first; i < first + n; i++) {
		if (on)
			v->bits[i / 64] |= 1ULL << (i % 64);
		else
			v->bits[i / 64] &= ~(1ULL << (i % 64));
	}
}

void vrange_init(struct vrange *v, uint64_t *bits, size_t pages)
{
	v->bits = bits;
	v->pages = pages;
	v->hint = 0;
	v->used = 0;
	memset(bits, 0, (pages + 63) / 64 * sizeof(uint64_t));
}

/* search - first run of n free pages in [from, to), or -1. */
static long search(const struct vrange *v, size_t from, size_t to, size_t n)
{
	size_t run = 0;

	for (size_t i = from; i < to; i++) {
		if (!(i % 64) && v->bits[i / 64] == ~0ULL && i + 64 <= to) {
			run = 0;		/* skip a full word */
			i += 63;
			continue;
		}
		run = bit(v, i) ? 0 : run + 1;
		if (run == n)
			return (long)(i + 1 - n);
	}
	return -1;
}

long vrange_alloc(struct vrange *v, size_t n)
{
	long first;

	if (!n || n > v->pages - v->used)
		return -1;
	first = search(v, v->hint, v->pages, n);
	if (first < 0)
		first = search(v, 0, v->pages, n);
	if (first < 0)
		return -1;
	set_range(v, (size_t)first, n, 1);
	v->used += n;
	v->hint = (size_t)first + n;
	return first;
}

int vrange_free(struct vrange *v, size_t first, size_t n)
{
	if (!n || first >= v->pages || n > v->pages - first)
		return -EINVAL;
	for (size_t i = first; i < first + n; i++)
		if (!bit(v, i))
			return -EINVAL;
	set_range(v, first, n, 0);
	v->used -= n;
	if (first < v->hint)
		v->hint = first;
	return 0;
}
