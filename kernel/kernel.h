/*
 * kernel/kernel.h - kernel-wide internal services: ending the guest and
 * explaining a crash.
 */
#ifndef MINNOW_KERNEL_H
#define MINNOW_KERNEL_H

#include <stdint.h>

/*
 * kernel_shutdown - flush the console (bounded) and ask Xen to shut the
 * domain down with reason (SHUTDOWN_poweroff, SHUTDOWN_crash, ...).
 */
void kernel_shutdown(unsigned int reason) __attribute__((noreturn));

/*
 * kernel_exit - the end of the guest once the C library is done (_exit):
 * status 0 powers off; anything else is printed and shuts down with
 * reason crash.
 */
void kernel_exit(int status) __attribute__((noreturn));

/* control_init - start watching control/shutdown (needs xenstore). */
void control_init(void);

/*
 * kernel_panic - print "minnow: panic: <message>" and a backtrace of the
 * caller, then shut down with reason crash. For the kernel's own bugs
 * only: never for what another domain controls.
 */
void kernel_panic(const char *fmt, ...)
	__attribute__((noreturn, format(printf, 1, 2)));

/*
 * kernel_backtrace - print the return addresses of the frame chain that
 * starts at rbp, symbolized, one per line. rip, if non-zero, is printed
 * first as frame #0.
 */
void kernel_backtrace(uint64_t rip, uint64_t rbp, uint64_t rsp);

/*
 * kernel_lookup - the function of the kernel's code that holds addr:
 * *name and *off (addr's offset into it). 0, or -ENOENT outside the code.
 */
int kernel_lookup(uint64_t addr, const char **name, uint64_t *off);

/* prof_tick - a profiler sample at pc, if the profiler runs (called by
 * the scheduler's timer handler, in the upcall). */
void prof_tick(uint64_t pc);

/*
 * kernel_symbolize - format "name+0xoff" for addr into buf (size bytes),
 * or "?" for an address outside the kernel's code.
 */
void kernel_symbolize(uint64_t addr, char *buf, unsigned long size);

#endif
