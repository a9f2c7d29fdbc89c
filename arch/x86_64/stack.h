/*
 * arch/x86_64/stack.h - the stack limit checked by -fsplit-stack
 * prologues (see stack.S). Usable from C and assembler.
 */
#ifndef MINNOW_ARCH_STACK_H
#define MINNOW_ARCH_STACK_H

/*
 * Room kept below the limit for code that does not check (newlib, the
 * event upcall's saved frame and handlers), so the guard page is never
 * reached before the report.
 */
#define STACK_MARGIN	8192

#ifndef __ASSEMBLY__
#include <stdint.h>

extern uint64_t arch_tcb[16];

/* arch_set_stack_limit - the lowest stack address prologues may use. */
static inline void arch_set_stack_limit(uint64_t limit)
{
	arch_tcb[14] = limit;		/* %fs:0x70 */
}
#endif

#endif
