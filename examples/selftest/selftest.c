/*
 * selftest - checks the kernel core from inside a guest: threads, wait
 * primitives, time, events and memory. Prints one verdict line per
 * check ("selftest: PASS <name>" or "selftest: FAIL <name>: <check_why>")
 * and a summary; exits non-zero if any check failed.
 *
 *   selftest [check...]    run only the named checks
 */
#include <errno.h>
#include <math.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <minnow/evtchn.h>
#include <minnow/check.h>
#include <minnow/minnow.h>
#include <minnow/mm.h>
#include <minnow/prof.h>
#include <minnow/sched.h>


#define FAIL CHECK_FAIL

/* --- threads ---------------------------------------------------- */

static void *return_arg(void *arg)
{
	return arg;
}

static int check_threads_1000(void)
{
	static struct thread *t[1000];

	for (long i = 0; i < 1000; i++)
		if (thread_create(&t[i], NULL, return_arg, (void *)i))
			return FAIL("thread_create %ld failed", i);
	for (long i = 0; i < 1000; i++) {
		void *ret;

		if (thread_join(t[i], &ret) || ret != (void *)i)
			return FAIL("join %ld returned %p", i, ret);
	}
	return 0;
}

struct ring {
	struct mutex lock;
	struct cond not_empty, not_full;
	int buf[8];
	int head, tail, count;
};

static void *producer(void *arg)
{
	struct ring *r = arg;

	for (int i = 1; i <= 10000; i++) {
		mutex_lock(&r->lock);
		while (r->count == 8)
			cond_wait(&r->not_full, &r->lock, 0);
		r->buf[r->head++ % 8] = i;
		r->count++;
		cond_signal(&r->not_empty);
		mutex_unlock(&r->lock);
	}
	return NULL;
}

static int check_producer_consumer(void)
{
	static struct ring r;
	struct thread *p;
	long sum = 0;

	mutex_init(&r.lock);
	cond_init(&r.not_empty);
	cond_init(&r.not_full);
	if (thread_create(&p, NULL, producer, &r))
		return FAIL("thread_create failed");
	for (int i = 1; i <= 10000; i++) {
		int v;

		mutex_lock(&r.lock);
		while (!r.count)
			cond_wait(&r.not_empty, &r.lock, 0);
		v = r.buf[r.tail++ % 8];
		r.count--;
		cond_signal(&r.not_full);
		mutex_unlock(&r.lock);
		if (v != i)
			return FAIL("item %d arrived as %d", i, v);
		sum += v;
	}
	thread_join(p, NULL);
	return sum == 50005000L ? 0 : FAIL("sum %ld", sum);
}

static int check_sleep_accuracy(void)
{
	for (int i = 0; i < 5; i++) {
		uint64_t start = xen_time_ns(), end;

		thread_sleep_ns(10000000);
		end = xen_time_ns();
		if (end < start + 10000000)
			return FAIL("10 ms sleep ended after %lu ns",
				    (unsigned long)(end - start));
	}
	return 0;
}

static void *sleeper(void *arg)
{
	thread_sleep_ns((uint64_t)(uintptr_t)arg * 1000000);
	return arg;
}

static int check_sleep_order(void)
{
	struct thread *t[8];
	static const int ms[8] = { 40, 10, 30, 20, 5, 35, 15, 25 };

	for (int i = 0; i < 8; i++)
		if (thread_create(&t[i], NULL, sleeper, (void *)(uintptr_t)ms[i]))
			return FAIL("thread_create failed");
	for (int i = 0; i < 8; i++)
		thread_join(t[i], NULL);
	return 0;
}

static int check_time_monotonic(void)
{
	uint64_t prev = xen_time_ns();

	for (int i = 0; i < 200000; i++) {
		uint64_t now = xen_time_ns();

		if (now < prev)
			return FAIL("time went back by %lu ns at read %d",
				    (unsigned long)(prev - now), i);
		prev = now;
		if (i % 1000 == 0)
			thread_yield();
	}
	return 0;
}

static int check_timed_wait(void)
{
	struct waitq q;
	uint64_t start = xen_time_ns();
	int rc;

	waitq_init(&q);
	rc = waitq_wait(&q, start + 5000000);
	if (rc != -ETIMEDOUT)
		return FAIL("waitq_wait returned %d, wanted -ETIMEDOUT", rc);
	if (xen_time_ns() < start + 5000000)
		return FAIL("timed out early");
	return 0;
}

struct sem_test {
	struct semaphore s;
	int done;
};

static void *sem_worker(void *arg)
{
	struct sem_test *st = arg;

	semaphore_down(&st->s, 0);
	st->done++;
	return NULL;
}

static int check_semaphore(void)
{
	static struct sem_test st;
	struct thread *t[4];

	semaphore_init(&st.s, 0);
	for (int i = 0; i < 4; i++)
		thread_create(&t[i], NULL, sem_worker, &st);
	thread_yield();
	if (st.done)
		return FAIL("a worker passed a zero semaphore");
	for (int i = 0; i < 4; i++)
		semaphore_up(&st.s);
	for (int i = 0; i < 4; i++)
		thread_join(t[i], NULL);
	return st.done == 4 ? 0 : FAIL("%d of 4 workers ran", st.done);
}

/* --- events ----------------------------------------------------- */

static volatile unsigned long storm_seen;
static struct thread *storm_waiter;

static void storm_handler(evtchn_port_t port, void *arg)
{
	(void)port;
	(void)arg;
	storm_seen++;
	thread_wake(storm_waiter);
}

static int check_event_storm(void)
{
	evtchn_port_t a, b;
	const unsigned long n = 20000;

	storm_waiter = thread_self();
	storm_seen = 0;
	if (evtchn_alloc_unbound(0x7ff0 /* DOMID_SELF */, NULL, NULL, &a))
		return FAIL("alloc_unbound failed");
	if (evtchn_bind_interdomain(0x7ff0, a, storm_handler, NULL, &b))
		return FAIL("bind_interdomain failed");
	for (unsigned long i = 0; i < n; i++) {
		evtchn_notify(a);
		while (storm_seen <= i)		/* one event, one count */
			thread_block(xen_time_ns() + 1000000000ULL);
	}
	evtchn_close(b);
	evtchn_close(a);
	return storm_seen == n ? 0 : FAIL("%lu of %lu events", storm_seen, n);
}

/* --- memory ----------------------------------------------------- */

static int check_malloc_exhaustion(void)
{
	struct mm_stats before, after;
	void **list = NULL;
	unsigned long n = 0;

	mm_stats_get(&before);
	for (;;) {		/* a linked list of 64 KiB blocks */
		void **p = malloc(65536);

		if (!p)
			break;
		*p = list;
		list = p;
		n++;
	}
	if (!n)
		return FAIL("no allocation succeeded");
	if (malloc(100000))
		return FAIL("malloc succeeded after exhaustion");
	while (list) {
		void **next = *list;

		free(list);
		list = next;
	}
	mm_stats_get(&after);
	if (after.pages_free + 16 < before.pages_free)
		return FAIL("memory not returned: %lu free pages, was %lu",
			    after.pages_free, before.pages_free);
	if (!malloc(65536))
		return FAIL("malloc failed after memory came back");
	return 0;
}

static int check_page_alloc(void)
{
	void *p[64];

	for (int i = 0; i < 64; i++) {
		p[i] = page_alloc(i % 5, 1);
		if (!p[i] || ((uintptr_t)p[i] & ((MM_PAGE_SIZE << (i % 5)) - 1)))
			return FAIL("page_alloc(%d) gave %p", i % 5, p[i]);
		if (((char *)p[i])[100])
			return FAIL("page not zeroed");
		memset(p[i], 0xa5, MM_PAGE_SIZE << (i % 5));
	}
	for (int i = 0; i < 64; i++)
		page_free(p[i], i % 5);
	return 0;
}

/* Run only when named: dom0 measures our CPU time while we sleep. */
static int check_idle_sleep(void)
{
	uint64_t start = xen_time_ns();

	printf("selftest: idle: sleeping 10 s\n");
	thread_sleep_ns(10000000000ULL);
	if (xen_time_ns() < start + 10000000000ULL)
		return FAIL("woke early");
	return 0;
}

/* --- the C library ---------------------------------------------- */

/* same - snprintf(fmt, x) must give want. */
static int same(const char *want, const char *fmt, double x)
{
	char got[64];

	snprintf(got, sizeof(got), fmt, x);
	return strcmp(got, want) ? FAIL("%s of %g gave \"%s\", wanted \"%s\"",
					fmt, x, got, want) : 0;
}

static void *format_in_thread(void *arg)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%.2f|%e|%g", 3.14159, 12345.678, 0.0001);
	return (void *)(uintptr_t)!strcmp(buf, "3.14|1.234568e+04|0.0001");
	(void)arg;
}

static int check_printf_float(void)
{
	char buf[128];
	struct thread *t;
	void *ok;

	if (same("3.141593", "%f", M_PI) || same("-0.50", "%.2f", -0.5) ||
	    same("1.000000e+10", "%e", 1e10) || same("  2.5", "%5.1f", 2.5) ||
	    same("inf", "%f", INFINITY) || same("1e-07", "%g", 1e-7))
		return -1;
	snprintf(buf, sizeof(buf), "%d %s %x %lld %zu %05.1f", -42, "str",
		 0xbeefu, 1LL << 40, (size_t)7, 3.25);
	if (strcmp(buf, "-42 str beef 1099511627776 7 003.2"))
		return FAIL("mixed format gave \"%s\"", buf);
	if (fabs(sqrt(2.0) * sqrt(2.0) - 2.0) > 1e-12 || strtod("2.5e3", NULL) != 2500)
		return FAIL("libm or strtod wrong");
	thread_create(&t, NULL, format_in_thread, NULL);
	thread_join(t, &ok);
	return ok ? 0 : FAIL("printf of floats in a thread differed");
}

static void *errno_setter(void *arg)
{
	errno = (int)(uintptr_t)arg;
	thread_yield();			/* the other thread sets its own */
	return (void *)(uintptr_t)errno;
}

static int check_errno_per_thread(void)
{
	struct thread *a, *b;
	void *ra, *rb;

	errno = 0;
	thread_create(&a, NULL, errno_setter, (void *)(uintptr_t)EINVAL);
	thread_create(&b, NULL, errno_setter, (void *)(uintptr_t)ERANGE);
	thread_join(a, &ra);
	thread_join(b, &rb);
	if ((uintptr_t)ra != EINVAL || (uintptr_t)rb != ERANGE || errno)
		return FAIL("errno leaked between threads: %lu %lu %d",
			    (unsigned long)(uintptr_t)ra,
			    (unsigned long)(uintptr_t)rb, errno);
	if (malloc((size_t)1 << 46) || errno != ENOMEM)
		return FAIL("huge malloc: errno %d, wanted ENOMEM", errno);
	errno = 0;
	if (strtol("99999999999999999999", NULL, 10) != LONG_MAX ||
	    errno != ERANGE)
		return FAIL("strtol overflow did not set ERANGE");
	return 0;
}

static int check_posix_calls(void)
{
	struct timespec a, b, req = { 0, 5000000 };
	FILE *f;

	if (clock_gettime(CLOCK_MONOTONIC, &a) || nanosleep(&req, NULL) ||
	    clock_gettime(CLOCK_MONOTONIC, &b))
		return FAIL("clock_gettime/nanosleep failed");
	if ((b.tv_sec - a.tv_sec) * 1000000000L + b.tv_nsec - a.tv_nsec < 5000000)
		return FAIL("nanosleep(5 ms) returned early");
	if (clock_gettime(CLOCK_REALTIME, &a) || a.tv_sec < 1600000000)
		return FAIL("wall clock says %ld", (long)a.tv_sec);
	req.tv_nsec = 2000000000;
	if (nanosleep(&req, NULL) != -1 || errno != EINVAL)
		return FAIL("nanosleep accepted tv_nsec = 2e9");
	f = fopen("/etc/passwd", "r");
	if (f || errno != ENOENT)
		return FAIL("fopen without a file system: %p errno %d",
			    (void *)f, errno);
	if (write(7, "x", 1) != -1 || errno != EBADF)
		return FAIL("write(7) did not fail with EBADF");
	if (getpid() != 1)
		return FAIL("getpid() = %d", getpid());
	return 0;
}

/* --- pthreads --------------------------------------------------- */

static pthread_key_t key;
static int destructed, once_runs;

static void key_destructor(void *v)
{
	destructed += (int)(uintptr_t)v;
}

static void once_fn(void)
{
	once_runs++;
	sched_yield();			/* others must wait, not rerun */
}

static void *pthread_worker(void *arg)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, once_fn);
	pthread_setspecific(key, arg);
	sched_yield();
	return pthread_getspecific(key);
}

static int check_pthreads(void)
{
	pthread_t t[4];
	pthread_attr_t attr;
	pthread_mutexattr_t ma;
	pthread_mutex_t rec, chk, plain = PTHREAD_MUTEX_INITIALIZER;
	pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
	pthread_condattr_t ca;
	struct timespec ts;
	void *ret;

	if (pthread_key_create(&key, key_destructor))
		return FAIL("pthread_key_create failed");
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 128 * 1024);
	for (uintptr_t i = 0; i < 4; i++)
		if (pthread_create(&t[i], &attr, pthread_worker, (void *)(i + 1)))
			return FAIL("pthread_create failed");
	for (uintptr_t i = 0; i < 4; i++)
		if (pthread_join(t[i], &ret) || ret != (void *)(i + 1))
			return FAIL("thread %lu saw key value %p",
				    (unsigned long)i, ret);
	if (once_runs != 1 || destructed != 1 + 2 + 3 + 4)
		return FAIL("once ran %d times, destructors summed %d",
			    once_runs, destructed);
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&rec, &ma);
	pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_ERRORCHECK);
	pthread_mutex_init(&chk, &ma);
	if (pthread_mutex_lock(&rec) || pthread_mutex_lock(&rec) ||
	    pthread_mutex_unlock(&rec) || pthread_mutex_unlock(&rec) ||
	    pthread_mutex_unlock(&rec) != EPERM)
		return FAIL("recursive mutex misbehaved");
	if (pthread_mutex_lock(&chk) || pthread_mutex_lock(&chk) != EDEADLK)
		return FAIL("error-checking mutex did not report EDEADLK");
	pthread_mutex_unlock(&chk);
	pthread_mutex_lock(&plain);
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 3000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	if (pthread_cond_timedwait(&cv, &plain, &ts) != ETIMEDOUT)
		return FAIL("realtime timedwait did not time out");
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&cv, &ca);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_nsec = 0;			/* already past */
	if (pthread_cond_timedwait(&cv, &plain, &ts) != ETIMEDOUT)
		return FAIL("monotonic timedwait in the past did not time out");
	pthread_mutex_unlock(&plain);
	return 0;
}

static int check_vmap(void)
{
	unsigned char *p = page_alloc(0, 1), *va = vmap_reserve(4);
	int rc;

	if (!p || !va)
		return FAIL("page_alloc %p vmap_reserve %p", (void *)p, (void *)va);
	p[10] = 0x5a;
	if ((rc = vmap_map(va + MM_PAGE_SIZE, virt_to_mfn(p), 1)))
		return FAIL("vmap_map of our own frame: %d", rc);
	if (va[MM_PAGE_SIZE + 10] != 0x5a)
		return FAIL("the second mapping shows %#x", va[MM_PAGE_SIZE + 10]);
	va[MM_PAGE_SIZE + 11] = 0xa5;
	if (p[11] != 0xa5)
		return FAIL("a write through the mapping did not reach the page");
	if (vmap_map(va, 0xfffffffffULL, 1) != -EPERM)
		return FAIL("mapping a frame that is not ours was not refused");
	if (vmap_map(p, virt_to_mfn(p), 1) != -EINVAL)
		return FAIL("mapping outside the area was not refused");
	if (vmap_release(va, 4))
		return FAIL("vmap_release failed");
	page_free(p, 0);
	return 0;
}

/* --- thread-local storage ------------------------------------- */

static __thread int tls_counter = 1000;		/* .tdata */
static __thread char tls_name[64];		/* .tbss */

static void *tls_worker(void *arg)
{
	int id = (int)(uintptr_t)arg;

	if (tls_counter != 1000 || tls_name[0])
		return (void *)1;		/* not a fresh copy */
	for (int i = 0; i < 100; i++) {
		tls_counter += id;
		snprintf(tls_name, sizeof(tls_name), "worker-%d", id);
		thread_yield();			/* others run in between */
	}
	if (tls_counter != 1000 + 100 * id)
		return (void *)2;
	snprintf(check_why, sizeof(check_why), "worker-%d", id);
	return strcmp(tls_name, check_why) ? (void *)3 : NULL;
}

static int check_tls(void)
{
	struct thread *t[5];
	void *ret;

	tls_counter = 7;
	for (uintptr_t i = 0; i < 5; i++)
		thread_create(&t[i], NULL, tls_worker, (void *)(i + 1));
	for (int i = 0; i < 5; i++) {
		thread_join(t[i], &ret);
		if (ret)
			return FAIL("worker %d: TLS %s", i + 1,
				    ret == (void *)1 ? "not initialised" :
				    ret == (void *)2 ? "counter shared" : "name shared");
	}
	check_why[0] = 0;
	return tls_counter == 7 ? 0 : FAIL("main's copy changed to %d",
					   tls_counter);
}

/* --- the sampling profiler ------------------------------------- */

/* selftest_prof_busy - burn the vCPU for ns of Xen time, reading the
 * clock (a trap on some hosts) only once per million additions; the
 * profile's top function (tests/guest/selftest.sh checks the report). */
static __attribute__((noinline)) unsigned long selftest_prof_busy(uint64_t ns)
{
	uint64_t end = xen_time_ns() + ns;
	volatile unsigned long sum = 0;

	while (xen_time_ns() < end)
		for (unsigned long i = 0; i < 1000000; i++)
			sum += i;
	return sum;
}

static int check_prof(void)
{
	struct prof_summary s;
	int rc;

	if ((rc = prof_start(PROF_PERIOD_MIN_NS - 1)) != -EINVAL)
		return FAIL("a period under 1 ms: %d, not -EINVAL", rc);
	if ((rc = prof_stop(NULL)) != -ENODEV)
		return FAIL("stop before start: %d, not -ENODEV", rc);
	if ((rc = prof_start(PROF_PERIOD_MIN_NS)))
		return FAIL("prof_start: %s", strerror(-rc));
	if ((rc = prof_start(PROF_PERIOD_MIN_NS)) != -EALREADY) {
		prof_stop(NULL);
		return FAIL("a second start: %d, not -EALREADY", rc);
	}
	selftest_prof_busy(400000000);
	if ((rc = prof_stop(&s)))
		return FAIL("prof_stop: %s", strerror(-rc));
	/* 400 ms at 1 ms: well over 100 samples unless the timer is lost. */
	if (s.samples < 100 || s.lost || !s.functions)
		return FAIL("%lu samples, %lu lost, %lu functions", s.samples,
			    s.lost, s.functions);
	return prof_stop(NULL) == -ENODEV ? 0 : FAIL("stopped twice");
}

static const struct minnow_check checks[] = {
	{ "threads_1000", check_threads_1000, 0 },
	{ "producer_consumer", check_producer_consumer, 0 },
	{ "sleep_accuracy", check_sleep_accuracy, 0 },
	{ "sleep_order", check_sleep_order, 0 },
	{ "time_monotonic", check_time_monotonic, 0 },
	{ "timed_wait", check_timed_wait, 0 },
	{ "semaphore", check_semaphore, 0 },
	{ "event_storm", check_event_storm, 0 },
	{ "page_alloc", check_page_alloc, 0 },
	{ "vmap", check_vmap, 0 },
	{ "malloc_exhaustion", check_malloc_exhaustion, 0 },
	{ "printf_float", check_printf_float, 0 },
	{ "errno_per_thread", check_errno_per_thread, 0 },
	{ "posix_calls", check_posix_calls, 0 },
	{ "pthreads", check_pthreads, 0 },
	{ "tls", check_tls, 0 },
	{ "prof", check_prof, 0 },
	{ "idle_sleep", check_idle_sleep, 1 },
};

int main(int argc, char **argv)
{
	return run_checks("selftest: ", checks,
			  (int)(sizeof(checks) / sizeof(checks[0])), argc, argv) ? 1 : 0;
}
