/*
 * test_string.c - the kernel's memcpy/memmove/memset (lib/string.c),
 * renamed so they do not replace the host's, against byte loops: every
 * length from 0 to 80 and some long ones, every misalignment of source
 * and destination, overlaps both ways, and guard bytes around each
 * destination that must stay untouched.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#define memcpy minnow_memcpy
#define memmove minnow_memmove
#define memset minnow_memset
#define memcmp minnow_memcmp
#define strlen minnow_strlen
#define strnlen minnow_strnlen
#define strcmp minnow_strcmp
#define strncmp minnow_strncmp
#include "lib/string.c"
#undef memcpy
#undef memmove
#undef memset
#undef memcmp
#undef strlen
#undef strnlen
#undef strcmp
#undef strncmp
#include "unit.h"

#define AREA 8192
#define GUARD 16

static const size_t long_lens[] = { 127, 128, 129, 1000, 4095, 2048 + 7 };

/* fill - a pattern no shift of which repeats within 251 bytes. */
static void fill(uint8_t *p, size_t n, unsigned int seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)((i + seed) % 251 + 1);
}

/* check_copy - minnow_memcpy of n bytes from offset so to offset d0. */
static void check_copy(size_t n, size_t so, size_t d0)
{
	static uint8_t src[AREA], dst[AREA], want[AREA];
	void *ret;

	fill(src, sizeof(src), 3);
	memset(dst, 0xee, sizeof(dst));
	memcpy(want, dst, sizeof(want));
	for (size_t i = 0; i < n; i++)
		want[GUARD + d0 + i] = src[so + i];
	ret = minnow_memcpy(dst + GUARD + d0, src + so, n);
	EXPECT(ret == dst + GUARD + d0, "memcpy returned %p, not dst %p",
	       ret, (void *)(dst + GUARD + d0));
	EXPECT(!memcmp(dst, want, sizeof(dst)),
	       "memcpy of %zu bytes (src +%zu, dst +%zu) wrote wrong bytes",
	       n, so, d0);
}

static void copy_all_lengths_and_alignments(void)
{
	for (size_t n = 0; n <= 80; n++)
		for (size_t so = 0; so < 8; so++)
			for (size_t d0 = 0; d0 < 8; d0++)
				check_copy(n, so, d0);
	for (size_t i = 0; i < sizeof(long_lens) / sizeof(long_lens[0]); i++)
		for (size_t so = 0; so < 8; so++)
			check_copy(long_lens[i], so, 7 - so);
}

/* check_move - minnow_memmove of n bytes from from to to in one area. */
static void check_move(size_t n, size_t from, size_t to)
{
	static uint8_t area[AREA], want[AREA];
	void *ret;

	fill(area, sizeof(area), 5);
	memcpy(want, area, sizeof(want));
	memmove(want + to, want + from, n);	/* the host's, trusted */
	ret = minnow_memmove(area + to, area + from, n);
	EXPECT(ret == area + to, "memmove returned the wrong pointer");
	EXPECT(!memcmp(area, want, sizeof(area)),
	       "memmove of %zu bytes from %zu to %zu wrote wrong bytes",
	       n, from, to);
}

static void move_overlapping_both_ways(void)
{
	for (size_t n = 0; n <= 80; n++)
		for (size_t shift = 0; shift <= 17; shift++) {
			check_move(n, 100, 100 + shift);	/* backwards */
			check_move(n, 100 + shift, 100);	/* forwards */
		}
	for (size_t i = 0; i < sizeof(long_lens) / sizeof(long_lens[0]); i++)
		for (size_t shift = 1; shift <= 9; shift++) {
			check_move(long_lens[i], 8, 8 + shift);
			check_move(long_lens[i], 8 + shift, 8);
		}
}

/* check_set - minnow_memset of n bytes at offset d0 to c. */
static void check_set(size_t n, size_t d0, int c)
{
	static uint8_t dst[AREA], want[AREA];
	void *ret;

	fill(dst, sizeof(dst), 7);
	memcpy(want, dst, sizeof(want));
	for (size_t i = 0; i < n; i++)
		want[GUARD + d0 + i] = (uint8_t)c;
	ret = minnow_memset(dst + GUARD + d0, c, n);
	EXPECT(ret == dst + GUARD + d0, "memset returned the wrong pointer");
	EXPECT(!memcmp(dst, want, sizeof(dst)),
	       "memset of %zu bytes at +%zu to %#x wrote wrong bytes",
	       n, d0, c);
}

static void set_all_lengths_and_values(void)
{
	static const int values[] = { 0, 0xa5, 0xff, 0x1234 /* low byte */ };

	for (size_t v = 0; v < sizeof(values) / sizeof(values[0]); v++) {
		for (size_t n = 0; n <= 80; n++)
			for (size_t d0 = 0; d0 < 8; d0++)
				check_set(n, d0, values[v]);
		for (size_t i = 0; i < sizeof(long_lens) / sizeof(long_lens[0]);
		     i++)
			check_set(long_lens[i], 3, values[v]);
	}
}

int main(void)
{
	static const struct unit units[] = {
		UNIT(copy_all_lengths_and_alignments),
		UNIT(move_overlapping_both_ways),
		UNIT(set_all_lengths_and_values),
	};

	return RUN_UNITS("string", units);
}
