/*
 * test_ksym.c - symbol lookup and the frame-pointer walker.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include "lib/backtrace.h"
#include "lib/ksym.h"
#include "unit.h"

static const char names[] = "alpha\0beta\0gamma";
static const struct ksym syms[] = {
	{ 0x1000, 0 }, { 0x1100, 6 }, { 0x1100, 6 }, { 0x1200, 11 },
};
static const struct ksym_table table = {
	syms, 4, names, sizeof(names), 0x1300,
};

/* find - lookup must give name+off. */
static void find(uint64_t addr, const char *want, uint64_t want_off)
{
	const char *name = NULL;
	uint64_t off = 0;
	int rc = ksym_lookup(&table, addr, &name, &off);

	EXPECT(rc == 0 && name && !strcmp(name, want) && off == want_off,
	       "%#lx: expected %s+%#lx, saw rc %d %s+%#lx", (unsigned long)addr,
	       want, (unsigned long)want_off, rc, name ? name : "-",
	       (unsigned long)off);
}

static void lookup(void)
{
	const char *name;
	uint64_t off;

	find(0x1000, "alpha", 0);
	find(0x10ff, "alpha", 0xff);
	find(0x1100, "beta", 0);
	find(0x1234, "gamma", 0x34);
	EXPECT(ksym_lookup(&table, 0xfff, &name, &off) == -ENOENT,
	       "below the first symbol must be -ENOENT");
	EXPECT(ksym_lookup(&table, 0x1300, &name, &off) == -ENOENT,
	       "at text end must be -ENOENT");
}

static void bad_table(void)
{
	static const struct ksym bad[] = { { 0x10, 9999 } };
	struct ksym_table t = { bad, 1, names, sizeof(names), 0x20 };
	struct ksym_table empty = { NULL, 0, names, 0, 0x20 };
	const char *name = NULL;
	uint64_t off;

	EXPECT(ksym_lookup(&t, 0x10, &name, &off) == 0 && !strcmp(name, "?"),
	       "a name offset outside the blob must give \"?\"");
	EXPECT(ksym_lookup(&empty, 0x10, &name, &off) == -ENOENT,
	       "an empty table must give -ENOENT");
}

struct seen {
	uint64_t addr[16];
	int n;
};

static int record(uint64_t a, void *arg)
{
	struct seen *s = arg;

	s->addr[s->n++] = a;
	return 0;
}

static void walk_good_chain(void)
{
	uint64_t stack[32] = { 0 };
	uint64_t lo = (uint64_t)stack, hi = (uint64_t)(stack + 32);
	struct seen s = { .n = 0 };

	/* frame at [4]: -> [10]; [10]: -> [20]; [20]: -> 0 (end) */
	stack[4] = (uint64_t)&stack[10]; stack[5] = 0xa1;
	stack[10] = (uint64_t)&stack[20]; stack[11] = 0xa2;
	stack[20] = 0; stack[21] = 0xa3;
	EXPECT(backtrace_walk((uint64_t)&stack[4], lo, hi, 16, record, &s) == 3
	       && s.addr[0] == 0xa1 && s.addr[1] == 0xa2 && s.addr[2] == 0xa3,
	       "expected a1 a2 a3, saw %d frames", s.n);
}

static void walk_bad_chains(void)
{
	uint64_t stack[32] = { 0 };
	uint64_t lo = (uint64_t)stack, hi = (uint64_t)(stack + 32);
	struct seen s = { .n = 0 };

	stack[4] = (uint64_t)&stack[4]; stack[5] = 0xb1;	/* loop */
	EXPECT(backtrace_walk((uint64_t)&stack[4], lo, hi, 16, record, &s) == 1,
	       "a self loop must stop after one frame, saw %d", s.n);
	s.n = 0;
	stack[4] = (uint64_t)&stack[2]; 			/* goes down */
	EXPECT(backtrace_walk((uint64_t)&stack[4], lo, hi, 16, record, &s) == 1,
	       "a downward link must stop, saw %d", s.n);
	s.n = 0;
	EXPECT(backtrace_walk((uint64_t)&stack[31], lo, hi, 16, record, &s) == 0,
	       "a frame crossing the stack top must not be read");
	EXPECT(backtrace_walk(lo + 3, lo, hi, 16, record, &s) == 0,
	       "a misaligned frame must not be read");
	EXPECT(backtrace_walk(0, lo, hi, 16, record, &s) == 0,
	       "a NULL frame must not be read");
	stack[4] = (uint64_t)&stack[10]; stack[5] = 0xb1;
	stack[10] = (uint64_t)&stack[20]; stack[11] = 0xb2;
	stack[20] = (uint64_t)&stack[26]; stack[21] = 0xb3;
	stack[26] = 0; stack[27] = 0xb4;
	s.n = 0;
	EXPECT(backtrace_walk((uint64_t)&stack[4], lo, hi, 2, record, &s) == 2,
	       "max must bound the walk");
}

int main(void)
{
	static const struct unit units[] = {
		UNIT(lookup), UNIT(bad_table), UNIT(walk_good_chain),
		UNIT(walk_bad_chains),
	};

	return RUN_UNITS("ksym", units);
}
