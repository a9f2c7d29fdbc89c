/*
 * bench - the Linux half of `scripts/bench.sh`: the same micro-benchmarks
 * as examples/bench (the Minnow half), run as PID 1 (/init) of a tiny
 * initramfs in a Linux PV guest of Debian's kernel.
 *
 * It prints, on the console (hvc0), one line per measurement:
 *     bench: <key> median_ns=<n> reps=15
 * where n is the median over 15 batches of the time per operation, then
 * "bench: done", and powers the guest off.
 *
 * Build: gcc -O2 -static -pthread -o init bench.c (bench/linux/build.sh).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define BATCHES 15
/* Each batch is sized to take about this long (ns), see calibrate(). */
#define BATCH_TARGET_NS 20000000ULL

/* One measurement: run fn(n) BATCHES times, report the median ns/op. */
struct bench {
	const char *key;
	void (*fn)(unsigned long n);
	unsigned long n;	/* first guess of operations per batch */
};

/* Keep the compiler from dropping the computation of p (a malloc/free
 * pair, for instance, may be optimised away otherwise). */
#define KEEP(p) __asm__ volatile("" : : "r"(p) : "memory")

/* now_ns - CLOCK_MONOTONIC in nanoseconds. */
static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* power_off - end the guest; only as PID 1 (run by hand on a host, as
 * root, reboot() would power off the host). PID 1 must never return:
 * the kernel panics when init exits. */
static void power_off(int status)
{
	fflush(stdout);
	if (getpid() != 1)
		exit(status);
	sync();
	reboot(RB_POWER_OFF);
	for (;;)
		pause();
}

/* die - report a setup failure on the console and power off. */
static void die(const char *what)
{
	printf("bench: error: %s: %s\n", what, strerror(errno));
	power_off(1);
}

/* median - of BATCHES values (sorts them in place). */
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

/* time_batch - wall time of fn(n), in ns. */
static uint64_t time_batch(void (*fn)(unsigned long), unsigned long n)
{
	uint64_t t0 = now_ns();

	fn(n);
	return now_ns() - t0;
}

/* calibrate - also the warm-up: run one batch of the first guess and
 * scale the batch size so that one batch takes about BATCH_TARGET_NS
 * (the cost of an operation differs a lot between native and emulated
 * runs, so a fixed count would give batches of 1 ms or of 1 s). */
static unsigned long calibrate(const struct bench *b)
{
	uint64_t t = time_batch(b->fn, b->n);
	uint64_t n = t ? (uint64_t)b->n * BATCH_TARGET_NS / t : b->n;

	if (n < 2)
		n = 2;		/* yield and condvar count in pairs */
	if (n > 10 * (uint64_t)b->n)
		n = 10 * (uint64_t)b->n;
	return (unsigned long)(n & ~1UL);
}

/* run - time the batches of b and print its line. */
static void run(const struct bench *b)
{
	uint64_t per_op[BATCHES];
	unsigned long n = calibrate(b);

	for (int i = 0; i < BATCHES; i++)
		per_op[i] = time_batch(b->fn, n) / n;
	printf("bench: %s median_ns=%llu reps=%d\n", b->key,
	       (unsigned long long)median(per_op), BATCHES);
	fflush(stdout);
}

/* start_thread - pthread_create or die. */
static pthread_t start_thread(void *(*fn)(void *))
{
	pthread_t t;

	errno = pthread_create(&t, NULL, fn, NULL);
	if (errno)
		die("pthread_create");
	return t;
}

/* --- yield: two threads alternate; one op is one switch ------------ */

static volatile int yield_stop;

/* yielder - the second thread: yield until told to stop. */
static void *yielder(void *arg)
{
	while (!yield_stop)
		sched_yield();
	return arg;
}

/* bench_yield - n switches: n/2 rounds of main -> yielder -> main. */
static void bench_yield(unsigned long n)
{
	pthread_t t;

	yield_stop = 0;
	t = start_thread(yielder);
	sched_yield();			/* let it start */
	for (unsigned long i = 0; i < n / 2; i++)
		sched_yield();		/* two switches per round */
	yield_stop = 1;
	pthread_join(t, NULL);
}

/* --- condvar ping-pong: one op is one hand-off --------------------- */

static pthread_mutex_t pp_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pp_cond = PTHREAD_COND_INITIALIZER;
static unsigned long pp_turn, pp_end;	/* guarded by pp_lock */

/* ponger - takes the odd turns: waits for an odd pp_turn, passes it on. */
static void *ponger(void *arg)
{
	pthread_mutex_lock(&pp_lock);
	while (pp_turn < pp_end) {
		while (pp_turn % 2 == 0 && pp_turn < pp_end)
			pthread_cond_wait(&pp_cond, &pp_lock);
		if (pp_turn >= pp_end)
			break;
		pp_turn++;
		pthread_cond_signal(&pp_cond);
	}
	pthread_mutex_unlock(&pp_lock);
	return arg;
}

/* bench_condvar - n hand-offs of the turn between main and ponger. */
static void bench_condvar(unsigned long n)
{
	pthread_t t;

	pp_turn = 0;
	pp_end = n;
	t = start_thread(ponger);
	pthread_mutex_lock(&pp_lock);
	while (pp_turn < pp_end) {
		while (pp_turn % 2 == 1)
			pthread_cond_wait(&pp_cond, &pp_lock);
		pp_turn++;
		pthread_cond_signal(&pp_cond);
	}
	pthread_mutex_unlock(&pp_lock);
	pthread_join(t, NULL);
}

/* --- thread create + join ------------------------------------------ */

/* nothing - a thread body that returns at once. */
static void *nothing(void *arg)
{
	return arg;
}

/* bench_create_join - n times: create a thread, join it. */
static void bench_create_join(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		pthread_join(start_thread(nothing), NULL);
}

/* --- locks and memory ---------------------------------------------- */

/* bench_mutex - n uncontended lock + unlock pairs. */
static void bench_mutex(unsigned long n)
{
	static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

	for (unsigned long i = 0; i < n; i++) {
		pthread_mutex_lock(&m);
		pthread_mutex_unlock(&m);
	}
}

/* malloc_free - n times malloc(size) + free. */
static void malloc_free(unsigned long n, size_t size)
{
	for (unsigned long i = 0; i < n; i++) {
		void *p = malloc(size);

		KEEP(p);
		free(p);
	}
}

/* bench_malloc_64 - n malloc(64) + free. */
static void bench_malloc_64(unsigned long n)
{
	malloc_free(n, 64);
}

/* bench_malloc_4k - n malloc(4096) + free. */
static void bench_malloc_4k(unsigned long n)
{
	malloc_free(n, 4096);
}

/* bench_page - n times: map one anonymous 4 KiB page, touch one byte
 * (so a page is really allocated), unmap it. */
static void bench_page(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		volatile char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
					MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			die("mmap");
		p[0] = 1;
		munmap((void *)p, 4096);
	}
}

/* --- events and system calls --------------------------------------- */

static volatile sig_atomic_t notified;

/* on_notify - the SIGUSR1 handler: count the delivery. */
static void on_notify(int sig)
{
	(void)sig;
	notified++;
}

/* bench_event - n times: raise SIGUSR1, wait until the handler ran (it
 * runs before raise returns; the loop only makes that explicit). */
static void bench_event(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		sig_atomic_t want = notified + 1;

		raise(SIGUSR1);
		while (notified != want)
			;
	}
}

/* bench_syscall - n trivial system calls (getppid, not cached by libc). */
static void bench_syscall(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		KEEP(syscall(SYS_getppid));
}

/* Same keys and order as examples/bench; n is only the first guess of
 * the batch size (calibrate() sets the real one). */
static const struct bench benches[] = {
	{ "yield", bench_yield, 20000 },
	{ "condvar_pingpong", bench_condvar, 20000 },
	{ "thread_create_join", bench_create_join, 200 },
	{ "mutex_uncontended", bench_mutex, 200000 },
	{ "malloc_free_64", bench_malloc_64, 100000 },
	{ "malloc_free_4k", bench_malloc_4k, 50000 },
	{ "page_alloc_free", bench_page, 5000 },
	{ "event_notify", bench_event, 5000 },
	{ "null_hypercall", bench_syscall, 10000 },
};

/* boot_ns - CLOCK_BOOTTIME: time since the kernel's clock started. */
static uint64_t boot_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* open_console - the kernel gives /init the console on fds 0-2 when the
 * initramfs holds /dev/console; if it did not, mount devtmpfs on /dev
 * and open hvc0 ourselves. */
static void open_console(void)
{
	int fd;

	if (fcntl(1, F_GETFD) != -1)
		return;
	mkdir("/dev", 0755);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	fd = open("/dev/hvc0", O_RDWR | O_NOCTTY);
	if (fd < 0)
		return;		/* nowhere to report it */
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
}

/* setup_signal - install on_notify for SIGUSR1. */
static void setup_signal(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_notify;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR1, &sa, NULL))
		die("sigaction");
}

int main(void)
{
	uint64_t boot = boot_ns();	/* first thing: nothing else counts */

	open_console();
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("bench: boot_to_main median_ns=%llu reps=1\n",
	       (unsigned long long)boot);
	setup_signal();
	for (size_t i = 0; i < sizeof(benches) / sizeof(benches[0]); i++)
		run(&benches[i]);
	printf("bench: done\n");
	power_off(0);
	return 0;
}
