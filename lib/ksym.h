/*
 * lib/ksym.h - address to function name, for crash reports.
 *
 * The build links every image twice: the second link adds a table of the
 * first link's text symbols (scripts/mkksyms.sh), placed after all code
 * so that code addresses do not move.
 */
#ifndef MINNOW_LIB_KSYM_H
#define MINNOW_LIB_KSYM_H

#include <stddef.h>
#include <stdint.h>

/* One symbol: its address and the offset of its name in the name blob. */
struct ksym {
	uint64_t addr;
	uint64_t name;
};

/* A sorted symbol table and where code ends. */
struct ksym_table {
	const struct ksym *syms;	/* ascending by addr */
	size_t count;
	const char *names;		/* NUL-terminated names, back to back */
	size_t names_len;
	uint64_t text_end;		/* addresses >= this are not code */
};

/*
 * ksym_lookup - find the symbol containing addr: the last one at or
 * below it, if addr is below t->text_end. Sets *name (never NULL on
 * success) and *off. Returns 0, or -ENOENT. A name offset outside the
 * blob yields "?".
 */
int ksym_lookup(const struct ksym_table *t, uint64_t addr,
		const char **name, uint64_t *off);

#endif
