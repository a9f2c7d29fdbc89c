/*
 * lib/backtrace.c - frame-pointer chain walker.
 */
#include "lib/backtrace.h"

int backtrace_walk(uint64_t rbp, uint64_t lo, uint64_t hi, int max,
		   backtrace_fn fn, void *arg)
{
	int n = 0;

	while (n < max) {
		const uint64_t *frame = (const uint64_t *)(uintptr_t)rbp;
		uint64_t next, ret;

		/* The two words we read must lie wholly inside the stack. */
		if (rbp < lo || rbp > hi || hi - rbp < 16 || (rbp & 7))
			break;
		next = frame[0];
		ret = frame[1];
		if (!ret)
			break;
		n++;
		if (fn(ret, arg))
			break;
		if (next <= rbp)	/* frames must move up the stack */
			break;
		rbp = next;
	}
	return n;
}
