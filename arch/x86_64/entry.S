/*
 * arch/x86_64/entry.S - ways into the kernel from Xen: traps, the event
 * upcall and the failsafe callback.
 *
 * A 64-bit PV guest kernel runs in ring 3, so Xen delivers each of these
 * on the current stack with %rcx and %r11 (clobbered by its syscall
 * return path) pushed above a hardware-style frame:
 *     [rcx][r11]([error code])[rip][cs][rflags][rsp][ss]
 * We restore rcx/r11, push a vector number (and a zero error code where
 * the CPU gives none), save every register into a struct trap_frame and
 * call C. Returning goes through HYPERVISOR_iret, which also restores
 * the event mask from the saved rflags.IF.
 */
#include <xen/xen.h>

#define FRAME_REGS	15

/* Undo Xen's rcx/r11 push. */
.macro	xen_restore_rcx_r11
	movq	(%rsp), %rcx
	movq	8(%rsp), %r11
	addq	$16, %rsp
.endm

.macro	save_regs
	pushq	%rdi
	pushq	%rsi
	pushq	%rdx
	pushq	%rcx
	pushq	%rax
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
.endm

.macro	restore_regs
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rax
	popq	%rcx
	popq	%rdx
	popq	%rsi
	popq	%rdi
.endm

/* A trap without an error code from the CPU. */
.macro	trap_noerr name, vector
	.globl	\name
\name:
	xen_restore_rcx_r11
	pushq	$0
	pushq	$\vector
	jmp	trap_common
.endm

/* A trap with an error code from the CPU. */
.macro	trap_err name, vector
	.globl	\name
\name:
	xen_restore_rcx_r11
	pushq	$\vector
	jmp	trap_common
.endm

	.text
	trap_noerr trap_divide_error,		0
	trap_noerr trap_debug,			1
	trap_noerr trap_nmi,			2
	trap_noerr trap_int3,			3
	trap_noerr trap_overflow,		4
	trap_noerr trap_bounds,			5
	trap_noerr trap_invalid_op,		6
	trap_noerr trap_device_not_available,	7
	trap_noerr trap_coprocessor_segment,	9
	trap_err   trap_invalid_tss,		10
	trap_err   trap_segment_not_present,	11
	trap_err   trap_stack_segment,		12
	trap_err   trap_general_protection,	13
	trap_err   trap_page_fault,		14
	trap_noerr trap_spurious_interrupt,	15
	trap_noerr trap_coprocessor_error,	16
	trap_err   trap_alignment_check,	17
	trap_noerr trap_machine_check,		18
	trap_noerr trap_simd_error,		19

/*
 * Save state, call handler(frame) on a 16-byte aligned stack, then
 * return to the interrupted code. %rbx (callee-saved) keeps the frame.
 */
.macro	call_with_frame handler
	save_regs
	movq	%rsp, %rbx
	movq	%rsp, %rdi
	andq	$-16, %rsp
	call	\handler
	movq	%rbx, %rsp
.endm

trap_common:
	call_with_frame trap_handler
	jmp	iret_to_guest

/* The event channel upcall (CALLBACKTYPE_event). */
	.globl	hypervisor_callback
hypervisor_callback:
	xen_restore_rcx_r11
	pushq	$0
	pushq	$-1
	call_with_frame evtchn_upcall
	jmp	iret_to_guest

/*
 * Restore registers and leave through HYPERVISOR_iret: its stub pushes
 * rcx, r11, rax on top of [flags][rip][cs][rflags][rsp][ss].
 */
iret_to_guest:
	restore_regs
	addq	$16, %rsp			/* vector, error code */
	pushq	$0				/* iret flags: not in syscall */
	jmp	hypercall_page + __HYPERVISOR_iret * 32

/*
 * The failsafe callback: Xen could not load the interrupted context's
 * segment registers. Nothing sane can continue; report and crash.
 */
	.globl	failsafe_callback
failsafe_callback:
	xen_restore_rcx_r11
	pushq	$0
	pushq	$-2
	call_with_frame trap_failsafe
	ud2
