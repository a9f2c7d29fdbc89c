/*
 * arch/x86_64/traps.c - the virtual IDT and the crash report.
 *
 * Every CPU exception is fatal (but int3, which reports and continues):
 * we print what happened, the registers, the faulting address for a page
 * fault and a symbolized backtrace, then shut the domain down with
 * reason "crash" so xl's on_crash= policy applies.
 */
#include <stdint.h>
#include <minnow/console.h>
#include "xen/abi.h"
#include <xen/callback.h>
#include "arch/x86_64/arch.h"
#include "kernel/kernel.h"
#include "sched/sched.h"
#include "xen/hypercall.h"
#include "xen/hypervisor.h"

/* Entry stubs in entry.S. */
void trap_divide_error(void), trap_debug(void), trap_nmi(void);
void trap_int3(void), trap_overflow(void), trap_bounds(void);
void trap_invalid_op(void), trap_device_not_available(void);
void trap_coprocessor_segment(void), trap_invalid_tss(void);
void trap_segment_not_present(void), trap_stack_segment(void);
void trap_general_protection(void), trap_page_fault(void);
void trap_spurious_interrupt(void), trap_coprocessor_error(void);
void trap_alignment_check(void), trap_machine_check(void);
void trap_simd_error(void);
void hypervisor_callback(void), failsafe_callback(void);

void trap_handler(struct trap_frame *f);
void trap_failsafe(struct trap_frame *f);

#define KCS FLAT_KERNEL_CS

/* int3 and into may be raised from anywhere (privilege 3). */
static const struct trap_info trap_table[] = {
	{  0, 0, KCS, (unsigned long)trap_divide_error },
	{  1, 0, KCS, (unsigned long)trap_debug },
	{  2, 0, KCS, (unsigned long)trap_nmi },
	{  3, 3, KCS, (unsigned long)trap_int3 },
	{  4, 3, KCS, (unsigned long)trap_overflow },
	{  5, 3, KCS, (unsigned long)trap_bounds },
	{  6, 0, KCS, (unsigned long)trap_invalid_op },
	{  7, 0, KCS, (unsigned long)trap_device_not_available },
	{  9, 0, KCS, (unsigned long)trap_coprocessor_segment },
	{ 10, 0, KCS, (unsigned long)trap_invalid_tss },
	{ 11, 0, KCS, (unsigned long)trap_segment_not_present },
	{ 12, 0, KCS, (unsigned long)trap_stack_segment },
	{ 13, 0, KCS, (unsigned long)trap_general_protection },
	{ 14, 0, KCS, (unsigned long)trap_page_fault },
	{ 15, 0, KCS, (unsigned long)trap_spurious_interrupt },
	{ 16, 0, KCS, (unsigned long)trap_coprocessor_error },
	{ 17, 0, KCS, (unsigned long)trap_alignment_check },
	{ 18, 0, KCS, (unsigned long)trap_machine_check },
	{ 19, 0, KCS, (unsigned long)trap_simd_error },
	{  0, 0, 0, 0 }
};

static const char *const trap_names[] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow",
	"bound range exceeded", "invalid opcode", "device not available",
	"double fault", "coprocessor segment overrun", "invalid TSS",
	"segment not present", "stack segment fault",
	"general protection fault", "page fault", "spurious interrupt",
	"x87 floating point error", "alignment check", "machine check",
	"SIMD floating point error",
};

/* Set while a report is printed: a fault inside it must not recurse. */
static volatile int reporting;

/* register_callback - install one entry point with CALLBACKOP_register. */
static void register_callback(unsigned int type, void (*fn)(void))
{
	struct callback_register cb = {
		.type = type,
		.address = (unsigned long)fn,
	};

	if (HYPERVISOR_callback_op(CALLBACKOP_register, &cb))
		kernel_panic("cannot register callback type %u", type);
}

void traps_init(void)
{
	if (HYPERVISOR_set_trap_table(trap_table))
		kernel_panic("set_trap_table refused");
	register_callback(CALLBACKTYPE_event, hypervisor_callback);
	register_callback(CALLBACKTYPE_failsafe, failsafe_callback);
}

/* dump_regs - print the saved registers, three per line. */
static void dump_regs(const struct trap_frame *f)
{
	printk("  rip %016lx  rsp %016lx  rflags %016lx\n",
	       f->rip, f->rsp, f->rflags);
	printk("  rax %016lx  rbx %016lx  rcx %016lx\n", f->rax, f->rbx, f->rcx);
	printk("  rdx %016lx  rsi %016lx  rdi %016lx\n", f->rdx, f->rsi, f->rdi);
	printk("  rbp %016lx  r8  %016lx  r9  %016lx\n", f->rbp, f->r8, f->r9);
	printk("  r10 %016lx  r11 %016lx  r12 %016lx\n", f->r10, f->r11, f->r12);
	printk("  r13 %016lx  r14 %016lx  r15 %016lx\n", f->r13, f->r14, f->r15);
	printk("  cs %04lx  ss %04lx  error code %lx\n",
	       f->cs & 0xffff, f->ss & 0xffff, f->error);
}

/* explain_page_fault - the faulting address and what the access was. */
static void explain_page_fault(const struct trap_frame *f)
{
	uint64_t addr = xen_vcpu_info()->arch.cr2;
	const char *owner = sched_guard_owner(addr);

	if (owner)
		printk("  stack overflow: thread %s ran into its guard page\n",
		       owner);
	printk("  fault address %016lx: %s, %s%s%s\n", addr,
	       f->error & 2 ? "write" : f->error & 16 ? "instruction fetch"
						     : "read",
	       f->error & 1 ? "protection violation" : "page not mapped",
	       addr < (uint64_t)_text ? " (NULL pointer?)" : "",
	       addr >= (uint64_t)boot_stack_guard &&
	       addr < (uint64_t)boot_stack ? " (boot stack overflow)" : "");
}

/* trap_name - a human name for vector v. */
static const char *trap_name(uint64_t v)
{
	return v < sizeof(trap_names) / sizeof(trap_names[0]) ? trap_names[v]
							     : "unknown trap";
}

void trap_handler(struct trap_frame *f)
{
	char where[96];

	if (reporting) {
		printk("\nminnow: fault while reporting a crash (vector %lu "
		       "at %lx); giving up\n", f->vector, f->rip);
		kernel_shutdown(SHUTDOWN_crash);
	}
	reporting = 1;
	kernel_symbolize(f->rip, where, sizeof(where));
	printk("\nminnow: %s (vector %lu) at %016lx <%s>\n",
	       trap_name(f->vector), f->vector, f->rip, where);
	if (f->vector == 14)
		explain_page_fault(f);
	dump_regs(f);
	kernel_backtrace(f->rip, f->rbp, f->rsp);
	if (f->vector == 3) {		/* breakpoint: report and go on */
		reporting = 0;
		return;
	}
	printk("minnow: crashed; shutting down with reason crash\n");
	kernel_shutdown(SHUTDOWN_crash);
}

void trap_failsafe(struct trap_frame *f)
{
	(void)f;	/* the frame holds segment selectors: not trusted */
	printk("\nminnow: failsafe callback: Xen could not restore a "
	       "segment register; shutting down with reason crash\n");
	kernel_shutdown(SHUTDOWN_crash);
}
