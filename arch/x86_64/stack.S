/*
 * arch/x86_64/stack.S - stack-overflow detection.
 *
 * Everything Minnow compiles uses gcc's -fsplit-stack prologue: each
 * function compares its stack need against the limit at %fs:0x70 and
 * calls __morestack when it would cross it. %fs points at a thread
 * control block: the shared arch_tcb, whose limit the scheduler rewrites
 * at every switch, or (when the application has __thread variables) the
 * thread's own TCB at the end of its TLS block (tls.c).
 * __morestack never grows anything: it moves to an emergency stack and
 * reports the overflow, naming the thread, before the guard page below
 * the stack is ever touched (a fault there could not be delivered: Xen
 * would have to push the fault frame onto that same unmapped page).
 */
#include <xen/xen.h>
#include "arch/x86_64/stack.h"

	.bss
	.balign	64
	.globl	arch_tcb
arch_tcb:
	.skip	TCB_SIZE
	.balign	16
emergency_stack:
	.skip	16384
emergency_stack_top:

	.text
/*
 * void arch_tcb_init(uint64_t stack_limit): point %fs at arch_tcb, with
 * its self pointer and the given limit (before any C runs).
 */
	.globl	arch_tcb_init
	.type	arch_tcb_init, @function
arch_tcb_init:
	leaq	arch_tcb(%rip), %rsi
	movq	%rsi, arch_tcb + TCB_SELF(%rip)
	movq	%rdi, arch_tcb + TCB_STACK_LIMIT(%rip)
	movl	$SEGBASE_FS, %edi
	call	hypercall_page + __HYPERVISOR_set_segment_base * 32
	ret
	.size	arch_tcb_init, . - arch_tcb_init

/*
 * Called from a split-stack prologue with %r10 = the bytes the function
 * needs; the return address on the stack points into that function.
 */
	.globl	__morestack
	.type	__morestack, @function
__morestack:
	movq	$0, %fs:TCB_STACK_LIMIT	/* no more checks */
	movq	%rsp, %rdi		/* the overflowing stack */
	movq	%rbp, %rsi		/* its frame chain */
	movq	%r10, %rdx		/* what the function wanted */
	leaq	emergency_stack_top(%rip), %rsp
	xorl	%ebp, %ebp
	call	stack_overflow_report
	ud2
	.size	__morestack, . - __morestack
