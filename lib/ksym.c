/*
 * lib/ksym.c - symbol lookup by binary search.
 */
#include <errno.h>
#include "lib/ksym.h"

int ksym_lookup(const struct ksym_table *t, uint64_t addr,
		const char **name, uint64_t *off)
{
	size_t lo = 0, hi = t->count;
	const struct ksym *s;

	if (!t->count || addr < t->syms[0].addr || addr >= t->text_end)
		return -ENOENT;
	while (hi - lo > 1) {		/* invariant: syms[lo].addr <= addr */
		size_t mid = lo + (hi - lo) / 2;

		if (t->syms[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	s = &t->syms[lo];
	*name = s->name < t->names_len ? t->names + s->name : "?";
	*off = addr - s->addr;
	return 0;
}
