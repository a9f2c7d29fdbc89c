/*
 * kernel/control.c - the toolstack's requests to this domain:
 * `xl shutdown` / `xl reboot` write control/shutdown; a thread watching
 * it runs the application's shutdown hook, then shuts the domain down
 * with the reason asked for. dom0 may also write control/minnow-prof
 * ("start [period_us]" or "stop") to run the sampling profiler
 * (<minnow/prof.h>) on a running guest; its report goes to the console.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <minnow/console.h>
#include <minnow/minnow.h>
#include <minnow/prof.h>
#include <minnow/xenstore.h>
#include "xen/abi.h"
#include <xen/sched.h>
#include "kernel/kernel.h"

static void (*shutdown_hook)(int reason);

void minnow_set_shutdown_hook(void (*fn)(int reason))
{
	shutdown_hook = fn;
}

/* reason_of - the SHUTDOWN_* a control/shutdown value asks for, or -1. */
static int reason_of(const char *v)
{
	if (!strcmp(v, "poweroff") || !strcmp(v, "halt"))
		return SHUTDOWN_poweroff;
	if (!strcmp(v, "reboot"))
		return SHUTDOWN_reboot;
	return -1;
}

/* handle - act on one value of control/shutdown (empty: nothing). */
static void handle(const char *v)
{
	int reason = reason_of(v);

	if (!*v)
		return;
	xs_write(XS_TX_NONE, "control/shutdown", "");	/* acknowledge */
	if (reason < 0) {
		printk("minnow: toolstack asked for \"%.32s\": not supported\n", v);
		return;
	}
	printk("minnow: %s requested by the toolstack\n", v);
	if (shutdown_hook)
		shutdown_hook(reason);
	fflush(NULL);
	kernel_shutdown(reason);
}

/* watch_key - for the guest's lifetime, fn(value) of path at every
 * watch event (the first comes at once). Returns only if the watch
 * cannot be set, after saying so and what that means (why). */
static void watch_key(const char *path, void (*fn)(const char *v),
		      const char *why)
{
	struct xs_watch w;

	if (xs_watch(&w, path)) {
		printk("minnow: cannot watch %s: %s\n", path, why);
		return;
	}
	for (;;) {
		char *v;

		xs_watch_wait(&w, NULL, 0);
		if (xs_read(XS_TX_NONE, path, &v, NULL) == 0) {
			fn(v);
			free(v);
		}
	}
}

/* control_thread - watch control/shutdown for the guest's lifetime. */
static void *control_thread(void *arg)
{
	(void)arg;
	xs_write(XS_TX_NONE, "control/feature-poweroff", "1");
	xs_write(XS_TX_NONE, "control/feature-reboot", "1");
	watch_key("control/shutdown", handle,
		  "xl shutdown will not reach this guest");
	return NULL;
}

/* prof_start_request - "start" or "start <period_us>": start the
 * profiler and say so, or say why not (prof_start() judges the range). */
static void prof_start_request(const char *arg)
{
	unsigned long us = PROF_PERIOD_MIN_NS / 1000;
	char *end;
	int rc;

	if (*arg) {
		us = strtoul(arg, &end, 10);
		if (*arg < '0' || *arg > '9' || *end) {
			printk("minnow: profiler: bad period \"%.16s\" (a number "
			       "of microseconds)\n", arg);
			return;
		}
	}
	/* Out of range, or so large that it would wrap in nanoseconds. */
	rc = us > PROF_PERIOD_MAX_NS / 1000 ? -EINVAL :
	     prof_start((uint64_t)us * 1000);
	if (rc == -EINVAL)
		printk("minnow: profiler: period %lu us out of range (%llu to "
		       "%llu)\n", us, PROF_PERIOD_MIN_NS / 1000,
		       PROF_PERIOD_MAX_NS / 1000);
	else if (rc)
		printk("minnow: profiler: cannot start: %s\n", strerror(-rc));
	else
		printk("minnow: profiler started, every %lu us\n", us);
}

/* prof_request - act on a new value of control/minnow-prof (untrusted:
 * dom0's word, but checked like any input); a watch event for a value
 * rewritten unchanged does nothing. */
static void prof_request(const char *v)
{
	static char last[48];

	if (!strncmp(v, last, sizeof(last)))
		return;
	snprintf(last, sizeof(last), "%s", v);
	if (!strcmp(v, "start"))
		prof_start_request("");
	else if (!strncmp(v, "start ", 6))
		prof_start_request(v + 6);
	else if (!strcmp(v, "stop")) {
		if (prof_stop(NULL))
			printk("minnow: profiler: not running\n");
	} else if (*v)
		printk("minnow: profiler: \"%.32s\" not understood (start "
		       "[period_us] | stop)\n", v);
}

/* prof_control_thread - run the profiler as dom0 asks. */
static void *prof_control_thread(void *arg)
{
	(void)arg;
	watch_key("control/minnow-prof", prof_request,
		  "the profiler cannot be started from dom0");
	return NULL;
}

void control_init(void)
{
	struct thread_attr attr = { .name = "control", .detached = 1 };
	struct thread_attr pattr = { .name = "prof-control", .detached = 1 };

	if (thread_create(NULL, &attr, control_thread, NULL))
		printk("minnow: no memory for the control thread\n");
	if (thread_create(NULL, &pattr, prof_control_thread, NULL))
		printk("minnow: no memory for the profiler's control thread\n");
}
