/*
 * kernel/prof.c - the sampling profiler (see <minnow/prof.h>): samples
 * keyed by the start of the function they fell in, or by the hypercall
 * whose stub they fell in, counted in a prof_hist.
 */
#include <errno.h>
#include <stdlib.h>
#include <minnow/console.h>
#include <minnow/prof.h>
#include "kernel/kernel.h"
#include "kernel/prof_hist.h"
#include "xen/hypercall.h"
#include "xen/hypervisor.h"

#define PROF_SLOTS	4096	/* distinct keys: 3072 usable */
#define STUB_SIZE	32	/* bytes per hypercall in the page */

static struct prof_hist hist;
static struct prof_slot *slots;
static volatile int running;
static uint64_t period;

/* in_hypercall_page - pc lies in Xen's hypercall stubs. */
static int in_hypercall_page(uint64_t pc)
{
	uint64_t base = (uint64_t)hypercall_page;

	return pc >= base && pc < base + sizeof(hypercall_page);
}

/* key_of - what a sample at pc counts for: its hypercall's stub, its
 * function's start, or pc itself outside the known code. */
static uint64_t key_of(uint64_t pc)
{
	const char *name;
	uint64_t off;

	if (in_hypercall_page(pc))
		return pc & ~(uint64_t)(STUB_SIZE - 1);
	return kernel_lookup(pc, &name, &off) ? pc : pc - off;
}

void prof_tick(uint64_t pc)
{
	if (running)
		prof_hist_add(&hist, key_of(pc));
}

int prof_start(uint64_t period_ns)
{
	struct vcpu_set_periodic_timer t = { .period_ns = period_ns };
	int rc;

	if (period_ns < PROF_PERIOD_MIN_NS || period_ns > PROF_PERIOD_MAX_NS)
		return -EINVAL;
	if (running)
		return -EALREADY;
	if (!slots && !(slots = malloc(sizeof(*slots) * PROF_SLOTS)))
		return -ENOMEM;
	prof_hist_init(&hist, slots, PROF_SLOTS);
	period = period_ns;
	rc = xen_errno(HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 0, &t));
	if (rc)
		return rc;
	running = 1;
	return 0;
}

/* hypercall_name - Xen's name for hypercall number n, or NULL. */
static const char *hypercall_name(unsigned int n)
{
	static const char *const names[] = {
		[__HYPERVISOR_mmu_update] = "mmu_update",
		[__HYPERVISOR_set_timer_op] = "set_timer_op",
		[__HYPERVISOR_xen_version] = "xen_version",
		[__HYPERVISOR_console_io] = "console_io",
		[__HYPERVISOR_grant_table_op] = "grant_table_op",
		[__HYPERVISOR_iret] = "iret",
		[__HYPERVISOR_vcpu_op] = "vcpu_op",
		[__HYPERVISOR_set_segment_base] = "set_segment_base",
		[__HYPERVISOR_mmuext_op] = "mmuext_op",
		[__HYPERVISOR_sched_op] = "sched_op",
		[__HYPERVISOR_event_channel_op] = "event_channel_op",
		[__HYPERVISOR_memory_op] = "memory_op",
		[__HYPERVISOR_multicall] = "multicall",
		[__HYPERVISOR_update_va_mapping] = "update_va_mapping",
	};

	return n < sizeof(names) / sizeof(names[0]) ? names[n] : NULL;
}

/* print_line - one report line: share, count and what the key is. */
static void print_line(const struct prof_slot *s, unsigned long total)
{
	unsigned long permille = s->count * 1000 / total;
	const char *name, *hc;
	uint64_t off;
	unsigned int n;

	printk("prof: %3lu.%lu%% %6lu  ", permille / 10, permille % 10,
	       s->count);
	if (in_hypercall_page(s->key)) {
		n = (unsigned int)((s->key - (uint64_t)hypercall_page) /
				   STUB_SIZE);
		hc = hypercall_name(n);
		if (hc)
			printk("xen %s\n", hc);
		else
			printk("xen hypercall %u\n", n);
	} else if (!kernel_lookup(s->key, &name, &off)) {
		printk("%s\n", name);
	} else {
		printk("%p (outside the code)\n", (void *)s->key);
	}
}

int prof_stop(struct prof_summary *out)
{
	static struct prof_slot top[PROF_REPORT_LINES];
	unsigned int n;

	if (!running)
		return -ENODEV;
	running = 0;		/* the upcall stops counting */
	HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL);
	printk("prof: %lu samples, %lu ms period, %lu lost\n", hist.samples,
	       (unsigned long)(period / 1000000), hist.lost);
	n = prof_hist_top(&hist, top, PROF_REPORT_LINES);
	for (unsigned int i = 0; i < n; i++)
		print_line(&top[i], hist.samples);
	if (out) {
		out->samples = hist.samples;
		out->lost = hist.lost;
		out->functions = hist.used;
	}
	return 0;
}
