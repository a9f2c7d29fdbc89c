/*
 * sched/sched.c - cooperative threads.
 *
 * One run queue (FIFO), one timer heap of sleeping threads. The
 * scheduler's structures are also touched by event handlers (which may
 * wake threads), so thread-side code changes them with events masked.
 * When nothing can run, the vCPU arms Xen's one-shot timer for the
 * earliest sleeper and blocks (SCHEDOP_block re-enables events); the
 * event handlers that run on wake-up put threads back on the run queue.
 */
#include <errno.h>
#include <reent.h>
#include <stdlib.h>
#include <string.h>
#include <minnow/console.h>
#include <minnow/evtchn.h>
#include <minnow/minnow.h>
#include <minnow/mm.h>
#include <minnow/sched.h>
#include <minnow/xen.h>
#include "arch/x86_64/arch.h"
#include "arch/x86_64/stack.h"
#include "kernel/kernel.h"
#include "lib/fmt.h"
#include "sched/sched.h"
#include "sched/timerq.h"
#include "xen/hypercall.h"
#include "xen/hypervisor.h"

enum { RUNNABLE, BLOCKED, ZOMBIE };

struct thread {
	uint64_t sp;			/* saved by arch_switch */
	struct list link;		/* run queue or a wait queue */
	struct list all;		/* every live thread */
	struct timerq_entry timer;	/* while sleeping with a deadline */
	int state;
	int woken;			/* a wake arrived (maybe early) */
	int timed_out;
	int detached;
	int joined;
	unsigned int id;
	thread_fn fn;
	void *arg, *ret;
	char *stack;			/* NULL for main: boot stack */
	unsigned int stack_order;
	uint64_t stack_lo, stack_hi;	/* usable stack, guard excluded */
	struct waitq joiners;
	struct _reent *reent;		/* newlib state: errno, stdio */
	void **specific;		/* pthread key values, or NULL */
	void *tls;			/* TLS block, when the app has TLS */
	uint64_t fs;			/* its TCB: the %fs base */
	char name[32];
};

void arch_switch(uint64_t *save_sp, uint64_t new_sp);
void arch_thread_entry(void);
void thread_start(void) __attribute__((noreturn));

static struct thread main_thread;
struct thread *sched_current = &main_thread;
#define current sched_current
static struct list runq = LIST_INIT(runq);
static struct list all_threads = LIST_INIT(all_threads);
static struct list dead = LIST_INIT(dead);	/* detached, to free */
static struct timerq timers;
static struct sched_stats stats;
static unsigned int next_id = 1;
static void (*exit_hook)(void);
static int have_tls;			/* switch %fs per thread */

/* events_off / events_on - bracket changes to scheduler state. */
static unsigned int events_off(void)
{
	return evtchn_events_save();
}

static void events_on(unsigned int saved)
{
	evtchn_events_restore(saved);
}

/*
 * timers_reserve - room in the timer heap for n sleepers, so that a
 * thread going to sleep never needs memory. 0 or -ENOMEM.
 */
static int timers_reserve(size_t n)
{
	size_t cap = timers.cap ? timers.cap : 64;
	struct timerq_entry **h;

	if (n <= timers.cap)
		return 0;
	while (cap < n)
		cap *= 2;
	h = realloc(timers.heap, cap * sizeof(*h));
	if (!h)
		return -ENOMEM;
	timers.heap = h;
	timers.cap = cap;
	return 0;
}

/* make_runnable - put t on the run queue (events masked). */
static void make_runnable(struct thread *t)
{
	if (t->state == RUNNABLE)
		return;
	t->state = RUNNABLE;
	timerq_del(&timers, &t->timer);
	list_add_tail(&runq, &t->link);
}

/*
 * Reading Xen's clock costs a TSC read, which Xen may emulate (a trap
 * per read: under the testbed, a quarter of the guest's time in a UDP
 * echo went there). So schedule() looks at the clock only when the
 * timer VIRQ has fired since it last looked (idle() sets the timer for
 * the earliest deadline), or every WAKE_CHECK_EVERY passes when the
 * guest is too busy to go idle: a sleeper is then woken that much late
 * at most.
 */
#define WAKE_CHECK_EVERY	32
static volatile int timer_fired;
static unsigned int passes_unchecked;

/* wake_due - wake every sleeper whose deadline has passed. */
static void wake_due(void)
{
	struct timerq_entry *e;
	uint64_t now;

	if (!timerq_peek(&timers))	/* nobody sleeps: skip the clock */
		return;
	if (!timer_fired && ++passes_unchecked < WAKE_CHECK_EVERY)
		return;
	timer_fired = 0;
	passes_unchecked = 0;
	now = xen_time_ns();
	while ((e = timerq_pop_due(&timers, now))) {
		struct thread *t = (struct thread *)((char *)e -
					offsetof(struct thread, timer));

		t->timed_out = 1;
		if (!list_empty(&t->link))	/* leave its wait queue */
			list_del(&t->link);
		make_runnable(t);
	}
}

/* idle - nothing to run: sleep in Xen until an event or timer. */
static void idle(void)
{
	struct timerq_entry *e = timerq_peek(&timers);

	HYPERVISOR_set_timer_op(e ? e->deadline : 0);
	stats.idle_blocks++;
	HYPERVISOR_sched_op(SCHEDOP_block, 0);	/* unmasks events */
	evtchn_events_save();			/* handlers ran; mask again */
}

/* free_thread - release a thread that will never run again. */
static void free_thread(struct thread *t);

/* schedule - run the next runnable thread (events masked). */
static void schedule(void)
{
	struct thread *prev = current, *next;
	struct list *n;

	for (;;) {
		wake_due();
		if ((n = list_pop(&runq)))
			break;
		idle();
	}
	next = list_entry(n, struct thread, link);
	if (next != prev) {
		stats.switches++;
		current = next;
		/* No C call between here and the switch: a prologue would
		 * check prev's stack against next's limit. */
		if (have_tls)
			arch_set_fs(next->fs);
		else
			arch_set_stack_limit(next->stack_lo + STACK_MARGIN);
		arch_switch(&prev->sp, next->sp);
	}
	while ((n = list_pop(&dead)))	/* now off their stacks */
		free_thread(list_entry(n, struct thread, link));
}

void thread_yield(void)
{
	unsigned int s = events_off();

	list_add_tail(&runq, &current->link);
	schedule();
	events_on(s);
}

/*
 * sleep_current - block the running thread until woken or deadline
 * (0: none); events masked. 0 if woken, -ETIMEDOUT.
 */
static int sleep_current(uint64_t deadline_ns)
{
	current->state = BLOCKED;
	current->timed_out = 0;
	if (deadline_ns)	/* cannot fail: thread_create reserved room */
		timerq_add(&timers, &current->timer, deadline_ns);
	schedule();
	return current->timed_out ? -ETIMEDOUT : 0;
}

int thread_block(uint64_t deadline_ns)
{
	unsigned int s = events_off();
	int rc = 0;

	if (!current->woken)
		rc = sleep_current(deadline_ns);
	current->woken = 0;
	events_on(s);
	return rc;
}

void thread_wake(struct thread *t)
{
	unsigned int s = events_off();

	if (t->state == BLOCKED) {
		if (!list_empty(&t->link))	/* leave its wait queue */
			list_del(&t->link);
		make_runnable(t);
	} else if (t->state == RUNNABLE) {
		t->woken = 1;		/* a block that comes later returns */
	}
	events_on(s);
}

void thread_sleep_until(uint64_t deadline_ns)
{
	while (xen_time_ns() < deadline_ns)
		if (thread_block(deadline_ns) == 0)
			continue;	/* a stray wake: sleep on */
}

void thread_sleep_ns(uint64_t ns)
{
	thread_sleep_until(xen_time_ns() + ns);
}

/*
 * __getreent - newlib's per-thread state. main uses newlib's global one,
 * whose streams exit() flushes.
 */
struct _reent *__getreent(void)
{
	return current->reent ? current->reent : _impure_ptr;
}

const char *thread_name(const struct thread *t)
{
	return t->name;
}

unsigned int thread_id(const struct thread *t)
{
	return t->id;
}

/* guard_map - unmap (on) or map back (off) the guard page at va. */
static void guard_map(char *va, int unmap)
{
	uint64_t pte = unmap ? 0 : (virt_to_mfn(va) << PAGE_SHIFT) |
		       PTE_P | PTE_RW;

	if (pt_set((uint64_t)va, pte))
		kernel_panic("cannot %s a stack guard page",
			     unmap ? "unmap" : "remap");
}

/* stack_order_for - the page order of a stack of size bytes + guard. */
static unsigned int stack_order_for(size_t size)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < size + PAGE_SIZE)
		order++;
	return order;
}

/*
 * Freed stacks of the default size wait here, guard still unmapped, for
 * the next thread: creating a thread then costs no hypercall.
 */
#define STACK_CACHE_MAX	16
static char *stack_cache[STACK_CACHE_MAX];
static unsigned int stack_cached;

/* new_stack - allocate t's stack with its guard page; 0 or -ENOMEM. */
static int new_stack(struct thread *t, size_t size)
{
	t->stack_order = stack_order_for(size);
	if (t->stack_order == stack_order_for(THREAD_STACK_DEFAULT) &&
	    stack_cached) {
		t->stack = stack_cache[--stack_cached];
	} else {
		t->stack = page_alloc(t->stack_order, 0);
		if (!t->stack)
			return -ENOMEM;
		guard_map(t->stack, 1);
	}
	t->stack_lo = (uint64_t)t->stack + PAGE_SIZE;
	t->stack_hi = (uint64_t)t->stack + (PAGE_SIZE << t->stack_order);
	return 0;
}

/* initial_frame - what arch_switch pops to enter arch_thread_entry. */
static void initial_frame(struct thread *t)
{
	uint64_t *sp = (uint64_t *)t->stack_hi;

	/* After arch_switch's ret, rsp = stack_hi: 16-byte aligned, as the
	 * ABI wants before arch_thread_entry's call. */
	*--sp = (uint64_t)arch_thread_entry;
	for (int i = 0; i < 6; i++)	/* rbp rbx r12 r13 r14 r15 */
		*--sp = 0;
	*--sp = 0x037f00001f80ULL;	/* fcw 0x37f, mxcsr 0x1f80 */
	t->sp = (uint64_t)sp;
}

int thread_create(struct thread **out, const struct thread_attr *attr,
		  thread_fn fn, void *arg)
{
	size_t size = attr && attr->stack_size ? attr->stack_size
					       : THREAD_STACK_DEFAULT;
	struct thread *t;
	unsigned int s;

	if (size > (256UL << 20))
		return -EINVAL;
	if (size < THREAD_STACK_MIN)
		size = THREAD_STACK_MIN;
	if (timers_reserve(stats.threads + 1))
		return -ENOMEM;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->reent = malloc(sizeof(*t->reent));
	t->tls = have_tls ? malloc(tls_block_size()) : NULL;
	if (!t->reent || (have_tls && !t->tls) || new_stack(t, size)) {
		free(t->reent);
		free(t->tls);
		free(t);
		return -ENOMEM;
	}
	if (have_tls)
		t->fs = tls_block_init(t->tls, t->stack_lo + STACK_MARGIN);
	_REENT_INIT_PTR(t->reent);
	t->id = ++next_id;
	t->fn = fn;
	t->arg = arg;
	t->detached = attr && attr->detached;
	if (attr && attr->name)
		fmt_snprintf(t->name, sizeof(t->name), "%s", attr->name);
	else
		fmt_snprintf(t->name, sizeof(t->name), "thread-%u", t->id);
	list_init(&t->link);
	waitq_init(&t->joiners);
	timerq_entry_init(&t->timer);
	initial_frame(t);
	s = events_off();
	list_add_tail(&all_threads, &t->all);
	t->state = BLOCKED;
	make_runnable(t);
	stats.created++;
	stats.threads++;
	events_on(s);
	if (out)
		*out = t;
	return 0;
}

void thread_start(void)
{
	evtchn_events_restore(0);	/* schedule() ran with events masked */
	thread_exit(current->fn(current->arg));
}

static void free_thread(struct thread *t)
{
	free(t->specific);
	free(t->tls);
	if (t->reent) {
		_reclaim_reent(t->reent);	/* flushes its stdout */
		free(t->reent);
	}
	if (t->stack && stack_cached < STACK_CACHE_MAX &&
	    t->stack_order == stack_order_for(THREAD_STACK_DEFAULT)) {
		stack_cache[stack_cached++] = t->stack;
	} else if (t->stack) {
		guard_map(t->stack, 0);
		page_free(t->stack, t->stack_order);
	}
	free(t);
}

void **thread_specific(struct thread *t)
{
	if (!t->specific)
		t->specific = calloc(THREAD_SPECIFIC_SLOTS, sizeof(void *));
	return t->specific;
}

void thread_set_exit_hook(void (*fn)(void))
{
	exit_hook = fn;
}

void thread_exit(void *ret)
{
	unsigned int s;

	if (current == &main_thread)
		exit(0);		/* as returning from main */
	if (exit_hook)
		exit_hook();		/* in the thread: may block */
	s = events_off();
	current->ret = ret;
	current->state = ZOMBIE;
	list_del(&current->all);
	stats.threads--;
	if (current->detached)
		list_add_tail(&dead, &current->link);
	else
		waitq_wake_all(&current->joiners);
	schedule();
	(void)s;
	kernel_panic("a finished thread was scheduled");
}

int thread_join(struct thread *t, void **ret)
{
	if (t == current)
		return -EDEADLK;
	if (t->detached || t->joined || t == &main_thread)
		return -EINVAL;
	t->joined = 1;
	while (t->state != ZOMBIE)
		waitq_wait(&t->joiners, 0);
	if (ret)
		*ret = t->ret;
	free_thread(t);
	return 0;
}

int thread_detach(struct thread *t)
{
	unsigned int s;

	if (t->detached || t->joined || t == &main_thread)
		return -EINVAL;
	s = events_off();
	t->detached = 1;
	if (t->state == ZOMBIE)		/* already ended: free it now */
		list_add_tail(&dead, &t->link);
	events_on(s);
	return 0;
}

/* Wait queues: the blocked thread's link sits on the queue. */

void waitq_init(struct waitq *q)
{
	list_init(&q->waiters);
}

/* waitq_ready - a zero-filled wait queue is a valid empty one. */
static void waitq_ready(struct waitq *q)
{
	if (!q->waiters.next)
		list_init(&q->waiters);
}

int waitq_wait(struct waitq *q, uint64_t deadline_ns)
{
	unsigned int s = events_off();
	int rc;

	waitq_ready(q);
	list_add_tail(&q->waiters, &current->link);
	rc = sleep_current(deadline_ns);
	events_on(s);
	return rc;
}

/* wake_first - wake q's first waiter; 1 if there was one. */
static int wake_first(struct waitq *q)
{
	struct list *n;

	waitq_ready(q);
	n = list_pop(&q->waiters);
	if (!n)
		return 0;
	make_runnable(list_entry(n, struct thread, link));
	return 1;
}

int waitq_wake_one(struct waitq *q)
{
	unsigned int s = events_off();
	int n = wake_first(q);

	events_on(s);
	return n;
}

int waitq_wake_all(struct waitq *q)
{
	unsigned int s = events_off();
	int n = 0;

	while (wake_first(q))
		n++;
	events_on(s);
	return n;
}

void sched_stats_get(struct sched_stats *s)
{
	*s = stats;
}

const char *sched_stack_bounds(uint64_t rsp, uint64_t *lo, uint64_t *hi)
{
	struct list *n;

	for (n = all_threads.next; n != &all_threads; n = n->next) {
		struct thread *t = list_entry(n, struct thread, all);

		if (rsp >= t->stack_lo && rsp <= t->stack_hi) {
			*lo = t->stack_lo;
			*hi = t->stack_hi;
			return t->name;
		}
	}
	return NULL;
}

const char *sched_guard_owner(uint64_t addr)
{
	struct list *n;

	for (n = all_threads.next; n != &all_threads; n = n->next) {
		struct thread *t = list_entry(n, struct thread, all);

		if (t->stack && addr >= (uint64_t)t->stack &&
		    addr < (uint64_t)t->stack + PAGE_SIZE)
			return t->name;
	}
	return NULL;
}

/* timer_event - the timer VIRQ: due sleepers are woken by schedule();
 * a profiler sample is taken here too (kernel/prof.c, when it runs). */
static void timer_event(evtchn_port_t port, void *arg)
{
	(void)port;
	(void)arg;
	timer_fired = 1;
	prof_tick(evtchn_interrupted_pc());
}

/*
 * debug_event - VIRQ_DEBUG (Xen's debug keys, e.g. `xl debug-keys q`):
 * list the threads. Runs in the upcall; printk is safe there.
 */
static void debug_event(evtchn_port_t port, void *arg)
{
	static const char *const names[] = { "runnable", "blocked", "zombie" };
	struct list *n;

	(void)port;
	(void)arg;
	printk("minnow: %lu threads, %lu switches, %lu idle blocks\n",
	       stats.threads, stats.switches, stats.idle_blocks);
	for (n = all_threads.next; n != &all_threads; n = n->next) {
		struct thread *t = list_entry(n, struct thread, all);

		printk("  thread %u %s: %s%s, stack %lu KiB\n", t->id, t->name,
		       names[t->state], t == current ? " (current)" : "",
		       (unsigned long)((t->stack_hi - t->stack_lo) >> 10));
	}
}

void sched_init(void *stack_lo, void *stack_hi)
{
	evtchn_port_t port;

	main_thread.id = 1;
	fmt_snprintf(main_thread.name, sizeof(main_thread.name), "main");
	main_thread.state = RUNNABLE;
	main_thread.stack_lo = (uint64_t)stack_lo;
	main_thread.stack_hi = (uint64_t)stack_hi;
	list_init(&main_thread.link);
	waitq_init(&main_thread.joiners);
	timerq_entry_init(&main_thread.timer);
	list_add_tail(&all_threads, &main_thread.all);
	stats.threads = 1;
	if (tls_present()) {	/* then every thread has its own %fs */
		main_thread.tls = malloc(tls_block_size());
		if (!main_thread.tls)
			kernel_panic("no memory for main's TLS block");
		main_thread.fs = tls_block_init(main_thread.tls,
				main_thread.stack_lo + STACK_MARGIN);
		arch_set_fs(main_thread.fs);
		have_tls = 1;
	}
	timerq_init(&timers, NULL, 0);
	if (timers_reserve(64))
		kernel_panic("no memory for the timer heap");
	if (evtchn_bind_virq(VIRQ_TIMER, timer_event, NULL, &port))
		kernel_panic("cannot bind the timer VIRQ");
	if (evtchn_bind_virq(VIRQ_DEBUG, debug_event, NULL, &port))
		printk("minnow: cannot bind the debug VIRQ (no thread dumps)\n");
	/* No periodic tick: an idle guest should not wake up at all. */
	HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, 0);
}
