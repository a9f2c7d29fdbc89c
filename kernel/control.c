/*
 * kernel/control.c - the toolstack's requests to this domain:
 * `xl shutdown` / `xl reboot` write control/shutdown; a thread watching
 * it runs the application's shutdown hook, then shuts the domain down
 * with the reason asked for.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <minnow/console.h>
#include <minnow/minnow.h>
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

/* control_thread - watch control/shutdown for the guest's lifetime. */
static void *control_thread(void *arg)
{
	struct xs_watch w;

	(void)arg;
	xs_write(XS_TX_NONE, "control/feature-poweroff", "1");
	xs_write(XS_TX_NONE, "control/feature-reboot", "1");
	if (xs_watch(&w, "control/shutdown")) {
		printk("minnow: cannot watch control/shutdown: xl shutdown "
		       "will not reach this guest\n");
		return NULL;
	}
	for (;;) {
		char *v;

		xs_watch_wait(&w, NULL, 0);
		if (xs_read(XS_TX_NONE, "control/shutdown", &v, NULL) == 0) {
			handle(v);
			free(v);
		}
	}
}

void control_init(void)
{
	struct thread_attr attr = { .name = "control", .detached = 1 };

	if (thread_create(NULL, &attr, control_thread, NULL))
		printk("minnow: no memory for the control thread\n");
}
