/*
 * kernel/crash.c - ending the guest: shutdown, panic, backtraces.
 */
#include <stdarg.h>
#include <stdint.h>
#include <minnow/console.h>
#include "xen/abi.h"
#include <xen/sched.h>
#include "arch/x86_64/arch.h"
#include "kernel/kernel.h"
#include "lib/backtrace.h"
#include "lib/fmt.h"
#include "lib/ksym.h"
#include "sched/sched.h"
#include "xen/hypercall.h"

/* The symbol table the second link adds (scripts/mkksyms.sh). */
extern const struct ksym ksym_syms[];
extern const uint64_t ksym_count, ksym_names_len;
extern const char ksym_names[];

#define BACKTRACE_MAX	32

void kernel_shutdown(unsigned int reason)
{
	struct sched_shutdown op = { .reason = reason };

	console_flush(3000);
	for (;;) {	/* Xen does not return to a domain it shut down */
		HYPERVISOR_sched_op(SCHEDOP_shutdown, &op);
		HYPERVISOR_sched_op(SCHEDOP_yield, 0);
	}
}

int kernel_lookup(uint64_t addr, const char **name, uint64_t *off)
{
	struct ksym_table t = {
		.syms = ksym_syms, .count = ksym_count,
		.names = ksym_names, .names_len = ksym_names_len,
		.text_end = (uint64_t)_etext,
	};

	return ksym_lookup(&t, addr, name, off);
}

void kernel_symbolize(uint64_t addr, char *buf, unsigned long size)
{
	const char *name;
	uint64_t off;

	if (kernel_lookup(addr, &name, &off))
		fmt_snprintf(buf, size, "?");
	else
		fmt_snprintf(buf, size, "%s+0x%lx", name, off);
}

/* print_frame - one backtrace line; the frame number is in *arg. */
static int print_frame(uint64_t addr, void *arg)
{
	int *n = arg;
	char where[96];

	/* A return address points after the call: symbolize the call. */
	kernel_symbolize(addr - 1, where, sizeof(where));
	printk("  #%d %016lx <%s>\n", (*n)++, addr, where);
	return 0;
}

/* stack_bounds - the thread stack holding rsp, or just its page. */
static const char *stack_bounds(uint64_t rsp, uint64_t *lo, uint64_t *hi)
{
	const char *name = sched_stack_bounds(rsp, lo, hi);

	if (name)
		return name;
	if (rsp >= (uint64_t)boot_stack && rsp <= (uint64_t)boot_stack_top) {
		*lo = (uint64_t)boot_stack;	/* before threads exist */
		*hi = (uint64_t)boot_stack_top;
		return "main";
	}
	*lo = rsp;		/* unknown stack: stay within rsp's page */
	*hi = (rsp | (PAGE_SIZE - 1)) + 1;
	return "?";
}

/*
 * frame_push_at - where the function at start pushes %rbp and sets up
 * its frame ("push %rbp; mov %rsp,%rbp" within its first 32 bytes, after
 * the split-stack check), or -1 if it never does.
 */
static int frame_push_at(const uint8_t *start)
{
	for (int i = 0; i < 32; i++)
		if (start[i] == 0x55 && start[i + 1] == 0x48 &&
		    start[i + 2] == 0x89 && start[i + 3] == 0xe5)
			return i;
	return -1;
}

/*
 * entry_caller - the caller of the function rip is in, when its frame is
 * not in the rbp chain: rip before or right after its "push %rbp", in a
 * function that never sets up a frame (the compiler leaves those out of
 * small leaf functions), or outside code altogether (a call through a
 * bad pointer). The return address is then on top of the stack (one
 * slot up right after the push). Returns it if it points into code.
 */
static uint64_t entry_caller(uint64_t rip, uint64_t rsp, uint64_t lo,
			     uint64_t hi)
{
	const char *name;
	uint64_t off, slot, ret;
	int push;

	if (kernel_lookup(rip, &name, &off)) {
		slot = rsp;		/* called a bad pointer: caller on top */
	} else {
		push = frame_push_at((const uint8_t *)(rip - off));
		if (push < 0 || off <= (uint64_t)push)
			slot = rsp;
		else if (off == (uint64_t)push + 1)
			slot = rsp + 8;
		else
			return 0;	/* framed: the rbp chain has it */
	}
	if (slot < lo || slot + 8 > hi || (slot & 7))
		return 0;
	ret = *(const uint64_t *)slot;
	return kernel_lookup(ret - 1, &name, &off) ? 0 : ret;
}

void kernel_backtrace(uint64_t rip, uint64_t rbp, uint64_t rsp)
{
	uint64_t lo, hi, caller;
	int n = 0;
	char where[96];

	printk("backtrace (thread %s):\n", stack_bounds(rsp, &lo, &hi));
	if (rip) {
		kernel_symbolize(rip, where, sizeof(where));
		printk("  #%d %016lx <%s>\n", n++, rip, where);
		caller = entry_caller(rip, rsp, lo, hi);
		if (caller)
			print_frame(caller, &n);
	}
	backtrace_walk(rbp, lo, hi, BACKTRACE_MAX, print_frame, &n);
}

void kernel_panic(const char *fmt, ...)
{
	va_list ap;
	uint64_t rsp;

	__asm__ volatile("mov %%rsp, %0" : "=r"(rsp));
	printk("\nminnow: panic: ");
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk("\n");
	kernel_backtrace(0, (uint64_t)__builtin_frame_address(0), rsp);
	printk("minnow: crashed; shutting down with reason crash\n");
	kernel_shutdown(SHUTDOWN_crash);
}

void stack_overflow_report(uint64_t rsp, uint64_t rbp, uint64_t need);

/*
 * stack_overflow_report - called by __morestack (arch/x86_64/stack.S) on
 * the emergency stack: rsp is the overflowing stack, whose top holds the
 * return address into the function that wanted need more bytes.
 */
void stack_overflow_report(uint64_t rsp, uint64_t rbp, uint64_t need)
{
	uint64_t lo = 0, hi = 0, ret = *(const uint64_t *)rsp;
	const char *thread = sched_stack_bounds(rsp, &lo, &hi);
	char where[96];

	kernel_symbolize(ret - 1, where, sizeof(where));
	printk("\nminnow: stack overflow in thread %s: <%s> needs %lu more "
	       "bytes; %lu of the %lu KiB stack are used\n",
	       thread ? thread : "?", where, (unsigned long)need,
	       (unsigned long)(hi - rsp), (unsigned long)((hi - lo) >> 10));
	kernel_backtrace(ret, rbp, rsp + 8);
	printk("minnow: crashed; shutting down with reason crash\n");
	kernel_shutdown(SHUTDOWN_crash);
}
