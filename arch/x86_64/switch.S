/*
 * arch/x86_64/switch.S - cooperative context switch.
 *
 * Saves only what the C calling convention says a callee must keep:
 * rbx, rbp, r12-r15, the stack pointer, and the SSE (MXCSR) and x87
 * control words. Everything else is dead across a call anyway.
 */
	.text

/* void arch_switch(uint64_t *save_sp, uint64_t new_sp) */
	.globl	arch_switch
	.type	arch_switch, @function
arch_switch:
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	subq	$8, %rsp
	stmxcsr	(%rsp)
	fnstcw	4(%rsp)
	movq	%rsp, (%rdi)
	movq	%rsi, %rsp
	ldmxcsr	(%rsp)
	fldcw	4(%rsp)
	addq	$8, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret
	.size	arch_switch, . - arch_switch

/*
 * A new thread's first "return" from arch_switch lands here, with the
 * stack 16-byte aligned; thread_start() never returns.
 */
	.globl	arch_thread_entry
	.type	arch_thread_entry, @function
arch_thread_entry:
	xorl	%ebp, %ebp		/* end of the frame chain */
	call	thread_start
	ud2
	.size	arch_thread_entry, . - arch_thread_entry
