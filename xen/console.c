/*
 * xen/console.c - the PV console ring (start_info.console.domU).
 *
 * The ring page is shared with xenconsoled in dom0: we produce into
 * out[] and advance out_prod; dom0 consumes and advances out_cons. Both
 * indices are free-running; only their difference is meaningful, and a
 * difference larger than the ring means dom0 wrote garbage, which we
 * treat as "no room" rather than trusting it.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <minnow/console.h>
#include <minnow/sched.h>
#include <minnow/xen.h>
#include "xen/abi.h"
#include <xen/io/console.h>
#include "arch/x86_64/arch.h"
#include "lib/fmt.h"
#include "xen/console.h"
#include <minnow/evtchn.h>
#include "xen/hypercall.h"
#include "xen/hypervisor.h"

#define RING_SIZE	sizeof(((struct xencons_interface *)0)->out)
#define WAIT_STEP_NS	10000000ULL		/* 10 ms per poll */
#define WAIT_STEPS	300			/* 3 s before dropping */
#define EARLY_YIELDS	200000			/* bound without a clock */

static struct xencons_interface *ring;
static struct waitq readers;		/* threads waiting for input */
static evtchn_port_t port;
static int have_time;
static unsigned long dropped;

/* ring_room - free bytes in out[], 0 if dom0's index makes no sense. */
static uint32_t ring_room(void)
{
	uint32_t used = ring->out_prod - *(volatile uint32_t *)&ring->out_cons;

	return used > RING_SIZE ? 0 : RING_SIZE - used;
}

/*
 * wait_for_room - let dom0 run until the ring has room. Returns 0 when
 * it has, -ETIMEDOUT when dom0 did not consume within the bound.
 */
static int wait_for_room(void)
{
	for (unsigned int i = 0; i < (have_time ? WAIT_STEPS : EARLY_YIELDS);
	     i++) {
		if (ring_room())
			return 0;
		evtchn_notify(port);
		if (have_time) {
			evtchn_clear(port);
			if (!ring_room())
				evtchn_poll(port, xen_time_ns() + WAIT_STEP_NS);
		} else {
			HYPERVISOR_sched_op(SCHEDOP_yield, 0);
		}
	}
	return ring_room() ? 0 : -ETIMEDOUT;
}

/* put_byte - one byte into the ring, waiting for room; 0 or -ETIMEDOUT. */
static int put_byte(char c)
{
	uint32_t prod = ring->out_prod;

	if (!ring_room() && wait_for_room())
		return -ETIMEDOUT;
	ring->out[MASK_XENCONS_IDX(prod, ring->out)] = c;
	wmb();				/* data before the index */
	ring->out_prod = prod + 1;
	return 0;
}

size_t console_write(const char *buf, size_t len)
{
	if (!ring)
		return len;
	for (size_t i = 0; i < len; i++) {
		if ((buf[i] == '\n' && put_byte('\r')) || put_byte(buf[i])) {
			dropped += len - i;
			break;
		}
	}
	wmb();
	evtchn_notify(port);
	return len;
}

int console_flush(unsigned int timeout_ms)
{
	uint64_t deadline;

	if (!ring)
		return 0;
	evtchn_notify(port);
	if (!have_time)
		return ring_room() == RING_SIZE ? 0 : -ETIMEDOUT;
	deadline = xen_time_ns() + (uint64_t)timeout_ms * 1000000;
	while (ring_room() != RING_SIZE) {
		if (xen_time_ns() >= deadline)
			return -ETIMEDOUT;
		evtchn_clear(port);
		if (ring_room() != RING_SIZE)
			evtchn_poll(port, xen_time_ns() + WAIT_STEP_NS);
	}
	return 0;
}

unsigned long console_dropped(void)
{
	return dropped;
}

void console_init(struct start_info *si)
{
	unsigned long pfn = mfn_to_pfn(si->console.domU.mfn);

	if (pfn >= si->nr_pages)
		return;		/* no usable console: stay silent */
	ring = pfn_to_virt(pfn);
	port = si->console.domU.evtchn;
}

void console_time_ready(void)
{
	have_time = 1;
}

/* console_event - dom0 consumed output or produced input. */
static void console_event(evtchn_port_t p, void *arg)
{
	(void)p;
	(void)arg;
	waitq_wake_all(&readers);
}

void console_events_init(void)
{
	if (!ring)
		return;
	evtchn_set_handler(port, console_event, NULL);
	evtchn_unmask(port);
}

/* input_ready - bytes waiting in in[], 0 if dom0's index makes no sense. */
static uint32_t input_ready(void)
{
	uint32_t prod = *(volatile uint32_t *)&ring->in_prod;
	uint32_t n = prod - ring->in_cons;

	return n > sizeof(ring->in) ? 0 : n;
}

size_t console_read(char *buf, size_t len)
{
	size_t got = 0;
	unsigned int saved;

	if (!ring || !len)
		return 0;
	saved = evtchn_events_save();	/* no wake-up lost between check and wait */
	while (!input_ready())
		waitq_wait(&readers, 0);
	evtchn_events_restore(saved);
	rmb();				/* index before data */
	while (got < len && input_ready()) {
		buf[got++] = ring->in[MASK_XENCONS_IDX(ring->in_cons, ring->in)];
		ring->in_cons++;
	}
	mb();				/* data read before the index moves */
	evtchn_notify(port);
	return got;
}

int vprintk(const char *fmt, va_list ap)
{
	char buf[1024];
	int n = fmt_vsnprintf(buf, sizeof(buf), fmt, ap);

	if (n >= (int)sizeof(buf)) {		/* mark the cut */
		memcpy(buf + sizeof(buf) - 5, "...\n", 4);
		n = sizeof(buf) - 1;
	}
	console_write(buf, (size_t)n);
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}
