/*
 * minnow/prof.h - a sampling profiler: where the guest's vCPU spends
 * its time, by function.
 *
 * While it runs, Xen's periodic timer interrupts the guest every period
 * and the scheduler's timer handler records which function the upcall
 * interrupted (the scheduler's own wake-up timers add a few samples
 * more). A sample inside the hypercall page is time spent in Xen on that
 * hypercall. Busy time is sampled by time; idle is not: Xen stops the
 * periodic timer of a blocked vCPU and gives it one overdue tick when it
 * runs again, which lands on the idle block's return ("xen sched_op"),
 * so that line counts wake-ups after a period or more of idle, and an
 * idle guest gives almost no samples. Samples taken while events were
 * masked land where they were unmasked. Each sample also makes the
 * scheduler read the clock once.
 *
 *	prof_start(1000000);		// every 1 ms
 *	... the work ...
 *	prof_stop(NULL);		// prints the report on the console
 *
 * Report lines start "prof: " (tests and scripts grep them):
 *	prof: 512 samples, 1 ms period, 0 lost
 *	prof:  61.2%    313  busy_loop
 *	prof:  20.1%    103  xen event_channel_op
 */
#ifndef MINNOW_PROF_H
#define MINNOW_PROF_H

#include <stdint.h>

#define PROF_PERIOD_MIN_NS	1000000ULL	/* Xen's periodic timer floor */
#define PROF_PERIOD_MAX_NS	1000000000ULL
#define PROF_REPORT_LINES	30		/* functions in the report */

/*
 * prof_start - start sampling every period_ns (PROF_PERIOD_MIN_NS to
 * PROF_PERIOD_MAX_NS), from an empty histogram. 0; -EINVAL for a period
 * out of range; -EALREADY if running; -ENOMEM; or Xen's refusal.
 */
int prof_start(uint64_t period_ns);

/* What a profile held when it stopped. */
struct prof_summary {
	unsigned long samples;		/* taken */
	unsigned long lost;		/* a new function with no room left */
	unsigned long functions;	/* distinct functions and hypercalls */
};

/*
 * prof_stop - stop sampling and print the report: the
 * PROF_REPORT_LINES functions (or hypercalls) with the most samples. The
 * totals into *out if not NULL. 0, or -ENODEV if not running.
 */
int prof_stop(struct prof_summary *out);

#endif
