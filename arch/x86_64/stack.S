/*
 * arch/x86_64/stack.S - stack-overflow detection.
 *
 * Everything Minnow compiles uses gcc's -fsplit-stack prologue: each
 * function compares its stack need against the limit at %fs:0x70 and
 * calls __morestack when it would cross it. %fs points at arch_tcb for
 * the guest's whole life; the scheduler writes the running thread's
 * limit (its stack bottom plus a margin) into it at every switch.
 * __morestack never grows anything: it moves to an emergency stack and
 * reports the overflow, naming the thread, before the guard page below
 * the stack is ever touched (a fault there could not be delivered: Xen
 * would have to push the fault frame onto that same unmapped page).
 */
#include <xen/xen.h>

#define TCB_STACK_LIMIT	0x70

	.bss
	.balign	64
	.globl	arch_tcb
arch_tcb:
	.skip	128
	.balign	16
emergency_stack:
	.skip	16384
emergency_stack_top:

	.text
/* void arch_tcb_init(void): point %fs at arch_tcb (before any C runs). */
	.globl	arch_tcb_init
	.type	arch_tcb_init, @function
arch_tcb_init:
	movl	$SEGBASE_FS, %edi
	leaq	arch_tcb(%rip), %rsi
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
	movq	$0, arch_tcb + TCB_STACK_LIMIT(%rip)	/* no more checks */
	movq	%rsp, %rdi		/* the overflowing stack */
	movq	%rbp, %rsi		/* its frame chain */
	movq	%r10, %rdx		/* what the function wanted */
	leaq	emergency_stack_top(%rip), %rsp
	xorl	%ebp, %ebp
	call	stack_overflow_report
	ud2
	.size	__morestack, . - __morestack
