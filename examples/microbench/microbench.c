/*
 * microbench - micro-benchmarks of the kernel core, the Minnow half of
 * `make bench` (scripts/bench.sh runs the same measurements in a Linux
 * PV guest and prints the table of docs/BENCHMARKS.md).
 *
 * Each measurement runs 15 batches and prints the median time per
 * operation: "bench: <key> median_ns=<n> reps=15"; then "bench: done".
 */
#include <stdlib.h>
#include <minnow/evtchn.h>
#include <minnow/minnow.h>
#include <minnow/mm.h>
#include <minnow/sched.h>

#define BATCHES 15

/* One measurement: run fn(n) BATCHES times, report ns/op medians. */
struct bench {
	const char *key;
	void (*fn)(unsigned long n);
	unsigned long n;	/* operations per batch */
};

/* median - of BATCHES values (sorts them). */
static uint64_t median(uint64_t *v)
{
	for (int i = 1; i < BATCHES; i++)
		for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			uint64_t t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return v[BATCHES / 2];
}

/* run - time the batches of b and print its line. */
static void run(const struct bench *b)
{
	uint64_t per_op[BATCHES];

	b->fn(b->n / 10 + 1);			/* warm up */
	for (int i = 0; i < BATCHES; i++) {
		uint64_t t0 = xen_time_ns();

		b->fn(b->n);
		per_op[i] = (xen_time_ns() - t0) / b->n;
	}
	printk("bench: %s median_ns=%lu reps=%d\n", b->key,
	       (unsigned long)median(per_op), BATCHES);
}

/* --- yield: two threads alternate; one op is one switch ------------ */

static volatile int yield_stop;

static void *yielder(void *arg)
{
	(void)arg;
	while (!yield_stop)
		thread_yield();
	return NULL;
}

static void bench_yield(unsigned long n)
{
	struct thread *t;

	yield_stop = 0;
	thread_create(&t, NULL, yielder, NULL);
	thread_yield();			/* let it start */
	for (unsigned long i = 0; i < n / 2; i++)
		thread_yield();		/* two switches per round */
	yield_stop = 1;
	thread_join(t, NULL);
}

/* --- condvar ping-pong: one op is one hand-off --------------------- */

static struct mutex pp_lock;
static struct cond pp_cond;
static volatile unsigned long pp_turn, pp_end;

static void *ponger(void *arg)
{
	(void)arg;
	mutex_lock(&pp_lock);
	while (pp_turn < pp_end) {
		while (pp_turn % 2 == 0 && pp_turn < pp_end)
			cond_wait(&pp_cond, &pp_lock, 0);
		if (pp_turn >= pp_end)
			break;
		pp_turn++;
		cond_signal(&pp_cond);
	}
	mutex_unlock(&pp_lock);
	return NULL;
}

static void bench_condvar(unsigned long n)
{
	struct thread *t;

	pp_turn = 0;
	pp_end = n;
	thread_create(&t, NULL, ponger, NULL);
	mutex_lock(&pp_lock);
	while (pp_turn < pp_end) {
		while (pp_turn % 2 == 1)
			cond_wait(&pp_cond, &pp_lock, 0);
		pp_turn++;
		cond_signal(&pp_cond);
	}
	mutex_unlock(&pp_lock);
	thread_join(t, NULL);
}

/* --- thread create + join ------------------------------------------ */

static void *nothing(void *arg)
{
	return arg;
}

static void bench_create_join(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		struct thread *t;

		thread_create(&t, NULL, nothing, NULL);
		thread_join(t, NULL);
	}
}

/* --- memory ---------------------------------------------------------- */

static void bench_mutex(unsigned long n)
{
	static struct mutex m = MUTEX_INIT(m);

	for (unsigned long i = 0; i < n; i++) {
		mutex_lock(&m);
		mutex_unlock(&m);
	}
}

static void bench_malloc_64(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		free(*(void *volatile *)&(void *){ malloc(64) });
}

static void bench_malloc_4k(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		free(*(void *volatile *)&(void *){ malloc(4096) });
}

static void bench_page(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		page_free(page_alloc(0, 0), 0);
}

/* --- events and hypercalls ----------------------------------------- */

static volatile unsigned long notified;
static evtchn_port_t notify_a, notify_b;

static void on_notify(evtchn_port_t port, void *arg)
{
	(void)port;
	(void)arg;
	notified++;
}

static void bench_event(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		unsigned long want = notified + 1;

		evtchn_notify(notify_a);
		while (notified < want)		/* the upcall comes at once */
			;
	}
}

static void bench_hypercall(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		(void)*(volatile uint32_t *)&(uint32_t){ xen_version_number() };
}

static const struct bench benches[] = {
	{ "yield", bench_yield, 20000 },
	{ "condvar_pingpong", bench_condvar, 20000 },
	{ "thread_create_join", bench_create_join, 2000 },
	{ "mutex_uncontended", bench_mutex, 200000 },
	{ "malloc_free_64", bench_malloc_64, 100000 },
	{ "malloc_free_4k", bench_malloc_4k, 50000 },
	{ "page_alloc_free", bench_page, 50000 },
	{ "event_notify", bench_event, 5000 },
	{ "null_hypercall", bench_hypercall, 10000 },
};

int main(void)
{
	printk("bench: boot_to_main median_ns=%lu reps=1\n",
	       (unsigned long)minnow_boot_ns());
	if (evtchn_alloc_unbound(0x7ff0 /* DOMID_SELF */, NULL, NULL,
				 &notify_a) ||
	    evtchn_bind_interdomain(0x7ff0, notify_a, on_notify, NULL,
				    &notify_b))
		printk("bench: cannot set up an event channel\n");
	for (unsigned int i = 0; i < sizeof(benches) / sizeof(benches[0]); i++)
		run(&benches[i]);
	printk("bench: done\n");
	return 0;
}
