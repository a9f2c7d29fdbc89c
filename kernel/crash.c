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

void kernel_symbolize(uint64_t addr, char *buf, unsigned long size)
{
	struct ksym_table t = {
		.syms = ksym_syms, .count = ksym_count,
		.names = ksym_names, .names_len = ksym_names_len,
		.text_end = (uint64_t)_etext,
	};
	const char *name;
	uint64_t off;

	if (ksym_lookup(&t, addr, &name, &off))
		fmt_snprintf(buf, size, "?");
	else
		fmt_snprintf(buf, size, "%s+%#lx", name, off);
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

/* stack_bounds - the stack holding rsp: the boot stack, or a guess. */
static void stack_bounds(uint64_t rsp, uint64_t *lo, uint64_t *hi)
{
	if (rsp >= (uint64_t)boot_stack && rsp <= (uint64_t)boot_stack_top) {
		*lo = (uint64_t)boot_stack;
		*hi = (uint64_t)boot_stack_top;
	} else {	/* unknown stack: stay within the page holding rsp */
		*lo = rsp;
		*hi = (rsp | (PAGE_SIZE - 1)) + 1;
	}
}

void kernel_backtrace(uint64_t rip, uint64_t rbp, uint64_t rsp)
{
	uint64_t lo, hi;
	int n = 0;
	char where[96];

	printk("backtrace:\n");
	if (rip) {
		kernel_symbolize(rip, where, sizeof(where));
		printk("  #%d %016lx <%s>\n", n++, rip, where);
	}
	stack_bounds(rsp, &lo, &hi);
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
