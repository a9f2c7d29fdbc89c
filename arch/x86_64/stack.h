/*
 * arch/x86_64/stack.h - the thread control block %fs points at: the
 * stack limit checked by -fsplit-stack prologues (see stack.S) and, when
 * the application has __thread variables, the end of the thread's TLS
 * block. Usable from C and assembler.
 */
#ifndef MINNOW_ARCH_STACK_H
#define MINNOW_ARCH_STACK_H

/*
 * Room kept below the limit for code that does not check (newlib, the
 * event upcall's saved frame and handlers), so the guard page is never
 * reached before the report.
 */
#define STACK_MARGIN	8192

#define TCB_SELF	0x00	/* x86_64 ABI: %fs:0 holds the TCB's address */
#define TCB_STACK_LIMIT	0x70	/* gcc's split-stack slot */
#define TCB_SIZE	128

#ifndef __ASSEMBLY__
#include <stddef.h>
#include <stdint.h>

/* The TCB every thread shares while the application has no TLS. */
extern uint64_t arch_tcb[TCB_SIZE / 8];

/* arch_set_stack_limit - the lowest stack address prologues may use,
 * in the current TCB. */
static inline void arch_set_stack_limit(uint64_t limit)
{
	__asm__ volatile("movq %0, %%fs:0x70" : : "r"(limit) : "memory");
}

/* tls_present - does the application have __thread variables? */
int tls_present(void);

/* tls_block_size - bytes for one thread's TLS block plus its TCB. */
size_t tls_block_size(void);

/*
 * tls_block_init - lay out a TLS block in mem (tls_block_size() bytes,
 * 16-byte aligned): a copy of .tdata, zeroed .tbss, then the TCB with
 * its self pointer and stack limit. Returns the TCB address (the %fs
 * base for the thread).
 */
uint64_t tls_block_init(void *mem, uint64_t stack_limit);

/* arch_set_fs - make base the %fs base (a hypercall). */
void arch_set_fs(uint64_t base);
#endif

#endif
