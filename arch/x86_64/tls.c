/*
 * arch/x86_64/tls.c - per-thread blocks for __thread variables.
 *
 * x86_64 uses TLS "variant II": a thread's variables sit just below the
 * address in %fs, and the linker resolves each one to a fixed negative
 * offset from it (the local-exec model of a static image). So each
 * thread's block is [.tdata copy][.tbss zeroed][TCB], %fs = the TCB.
 */
#include <string.h>
#include "arch/x86_64/stack.h"
#include "xen/hypercall.h"

extern char _tls_start[], _tdata_end[], _tls_end[], _tls_align[];

/* segment_align - the TLS segment's alignment, as the linker set it. */
static size_t segment_align(void)
{
	return (size_t)_tls_align ? (size_t)_tls_align : 1;
}

/* tls_align - how we align the TCB: the segment's alignment, >= 16. */
static size_t tls_align(void)
{
	size_t a = segment_align();

	return a < 16 ? 16 : a;
}

/*
 * tls_span - the segment's size rounded up to its own alignment: the
 * linker computed every variable's offset from %fs with this size.
 */
static size_t tls_span(void)
{
	size_t a = segment_align();

	return ((size_t)(_tls_end - _tls_start) + a - 1) & ~(a - 1);
}

int tls_present(void)
{
	return (uintptr_t)_tls_end > (uintptr_t)_tls_start;
}

size_t tls_block_size(void)
{
	return tls_span() + TCB_SIZE + tls_align();
}

uint64_t tls_block_init(void *mem, uint64_t stack_limit)
{
	size_t a = tls_align(), span = tls_span();
	uint64_t tcb = ((uint64_t)mem + span + a - 1) & ~(uint64_t)(a - 1);
	char *block = (char *)tcb - span;
	size_t tdata = (size_t)(_tdata_end - _tls_start);

	memcpy(block, _tls_start, tdata);
	memset(block + tdata, 0, span - tdata);
	memset((void *)tcb, 0, TCB_SIZE);
	((uint64_t *)tcb)[TCB_SELF / 8] = tcb;
	((uint64_t *)tcb)[TCB_STACK_LIMIT / 8] = stack_limit;
	return tcb;
}

void arch_set_fs(uint64_t base)
{
	hypercall2(__HYPERVISOR_set_segment_base, SEGBASE_FS, base);
}
