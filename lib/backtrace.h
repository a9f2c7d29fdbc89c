/*
 * lib/backtrace.h - walk a chain of frame pointers safely.
 *
 * Everything is compiled with frame pointers, so each frame starts with
 * [saved rbp][return address]. The chain may be corrupt (that is often
 * why we crashed): every frame is checked to lie inside the stack and
 * above the previous one before it is read.
 */
#ifndef MINNOW_LIB_BACKTRACE_H
#define MINNOW_LIB_BACKTRACE_H

#include <stdint.h>

/* Called for each return address found; return non-zero to stop. */
typedef int (*backtrace_fn)(uint64_t ret_addr, void *arg);

/*
 * backtrace_walk - starting from frame pointer rbp, call fn for up to
 * max return addresses. The stack is [lo, hi); a frame outside it,
 * misaligned, or not above the previous frame ends the walk. Returns the
 * number of addresses reported.
 */
int backtrace_walk(uint64_t rbp, uint64_t lo, uint64_t hi, int max,
		   backtrace_fn fn, void *arg);

#endif
