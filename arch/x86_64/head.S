/*
 * arch/x86_64/head.S - the guest's first instructions.
 *
 * Xen enters at _start in 64-bit mode with %rsi = the start_info page,
 * events masked and a bootstrap stack we do not keep. We move to our own
 * stack, clear .bss (Xen zeroes it too, but the image should not rely on
 * the loader), set up the stack limit that every C prologue checks
 * (stack.S) and call kernel_start(start_info).
 */
#include <xen/xen.h>
#include "arch/x86_64/stack.h"

	.section .text.entry, "ax"
	.globl _start
_start:
	cld
	movq	%rsi, %r12			/* keep start_info */
	leaq	boot_stack_top(%rip), %rsp
	leaq	__bss_start(%rip), %rdi
	leaq	__bss_end(%rip), %rcx
	subq	%rdi, %rcx
	xorl	%eax, %eax
	rep stosb
	leaq	boot_stack + STACK_MARGIN(%rip), %rdi
	call	arch_tcb_init		/* before C: prologues read %fs:0x70 */
	movq	%r12, %rdi
	xorl	%ebp, %ebp			/* ends the frame chain */
	call	kernel_start
	ud2					/* kernel_start never returns */

/* Xen writes one 32-byte stub per hypercall here (HYPERCALL_PAGE note). */
	.section .text.hypercall, "ax"
	.balign	4096
	.globl	hypercall_page
hypercall_page:
	.fill	4096, 1, 0xcc
	.type	hypercall_page, @object
	.size	hypercall_page, 4096

/*
 * The boot stack (64 KiB) with a guard page below it that pt_init()
 * unmaps, so running off the stack faults instead of corrupting data.
 */
	.section .bss.stack, "aw", @nobits
	.balign	4096
	.globl	boot_stack_guard, boot_stack, boot_stack_top
boot_stack_guard:
	.skip	4096
boot_stack:
	.skip	65536
boot_stack_top:
