/*
 * sched/sched.h - scheduler set-up (internal).
 */
#ifndef MINNOW_SCHED_INTERNAL_H
#define MINNOW_SCHED_INTERNAL_H

#include <stdint.h>

/*
 * sched_init - make the boot context the "main" thread (on the boot
 * stack [stack_lo, stack_hi)), bind the timer VIRQ and stop Xen's
 * periodic tick.
 */
void sched_init(void *stack_lo, void *stack_hi);

/*
 * sched_stack_bounds - the stack of the thread whose stack holds rsp:
 * sets *lo and *hi (the stack is lo up to hi) and returns the thread's
 * name, or NULL if no thread's stack holds rsp.
 */
const char *sched_stack_bounds(uint64_t rsp, uint64_t *lo, uint64_t *hi);

/*
 * sched_guard_owner - the name of the thread whose stack guard page
 * holds addr, or NULL.
 */
const char *sched_guard_owner(uint64_t addr);

#endif
