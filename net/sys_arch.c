/*
 * net/sys_arch.c - the operating-system layer lwIP asks of a port
 * (lwip/sys.h): semaphores, mutexes, mailboxes, threads, time and
 * randomness, over Minnow's cooperative threads (minnow/sched.h).
 *
 * lwIP is only ever called from threads (see arch/sys_arch.h on why
 * SYS_ARCH_PROTECT is empty). Between two blocking points a thread is
 * not interrupted by another, so a condition checked and then waited
 * for cannot change in between: a mailbox is a plain ring with two wait
 * queues. Timeouts are in milliseconds, 0 meaning none; a successful
 * wait returns the milliseconds it took.
 */
#include <errno.h>
#include <stdlib.h>
#include <minnow/sched.h>
#include <minnow/xen.h>
#include "lwip/sys.h"
#include "lwip/tcpip.h"
#include "net/net_gso.h"

#define NS_PER_MS	1000000ULL

void sys_init(void)
{
}

u32_t sys_now(void)
{
	return (u32_t)(xen_time_ns() / NS_PER_MS);
}

/* deadline_of - the Xen-time deadline of a timeout in ms (0: none).
 * The waits below read the clock only for a timeout: a read may trap
 * to Xen (an emulated TSC), and lwIP 2.1 wants no more from a wait than
 * SYS_ARCH_TIMEOUT or any other value. */
static uint64_t deadline_of(u32_t timeout_ms)
{
	return timeout_ms ? xen_time_ns() + timeout_ms * NS_PER_MS : 0;
}

/* ---- semaphores and mutexes ------------------------------------------ */

err_t sys_sem_new(sys_sem_t *s, u8_t count)
{
	semaphore_init(&s->sem, count);
	s->valid = 1;
	return ERR_OK;
}

void sys_sem_signal(sys_sem_t *s)
{
	semaphore_up(&s->sem);
}

u32_t sys_arch_sem_wait(sys_sem_t *s, u32_t timeout_ms)
{
	if (semaphore_down(&s->sem, deadline_of(timeout_ms)))
		return SYS_ARCH_TIMEOUT;
	return 0;
}

void sys_sem_free(sys_sem_t *s)
{
	s->valid = 0;
}

err_t sys_mutex_new(sys_mutex_t *m)
{
	mutex_init(&m->mutex);
	m->valid = 1;
	return ERR_OK;
}

void sys_mutex_lock(sys_mutex_t *m)
{
	mutex_lock(&m->mutex);
}

void sys_mutex_unlock(sys_mutex_t *m)
{
	mutex_unlock(&m->mutex);
}

void sys_mutex_free(sys_mutex_t *m)
{
	m->valid = 0;
}

/* sys_unlock_tcpip_core - UNLOCK_TCPIP_CORE(): what lwIP left in the
 * transmit batch goes out first, still under the lock (so that frames
 * leave in the order lwIP sent them). */
void sys_unlock_tcpip_core(void)
{
	net_tx_flush();
	sys_mutex_unlock(&lock_tcpip_core);
}

/*
 * sys_assert_core_locked - LWIP_ASSERT_CORE_LOCKED(): the caller holds
 * lwIP's core lock. lwip_init() runs (inside tcpip_init()) before the
 * lock exists, so an invalid lock passes.
 */
void sys_assert_core_locked(void)
{
	if (sys_mutex_valid(&lock_tcpip_core) &&
	    lock_tcpip_core.mutex.owner != thread_self())
		LWIP_PLATFORM_ASSERT("lwIP core entered without the core lock");
}

/* ---- mailboxes -------------------------------------------------------- */

err_t sys_mbox_new(sys_mbox_t *b, int size)
{
	if (size <= 0)
		return ERR_VAL;
	b->slots = calloc((size_t)size, sizeof(*b->slots));
	if (!b->slots)
		return ERR_MEM;
	b->size = size;
	b->head = 0;
	b->count = 0;
	waitq_init(&b->readers);
	waitq_init(&b->writers);
	b->valid = 1;
	return ERR_OK;
}

void sys_mbox_free(sys_mbox_t *b)
{
	free(b->slots);
	b->slots = NULL;
	b->valid = 0;
}

/* put / take - the ring itself; callers checked there is room / a message. */
static void put(sys_mbox_t *b, void *msg)
{
	b->slots[(b->head + b->count) % b->size] = msg;
	b->count++;
	waitq_wake_one(&b->readers);
}

static void take(sys_mbox_t *b, void **msg)
{
	void *m = b->slots[b->head];

	b->head = (b->head + 1) % b->size;
	b->count--;
	if (msg)
		*msg = m;
	waitq_wake_one(&b->writers);
}

void sys_mbox_post(sys_mbox_t *b, void *msg)
{
	while (b->count == b->size)
		waitq_wait(&b->writers, 0);
	put(b, msg);
}

err_t sys_mbox_trypost(sys_mbox_t *b, void *msg)
{
	if (b->count == b->size)
		return ERR_MEM;
	put(b, msg);
	return ERR_OK;
}

/* lwIP's name for posting from an interrupt; nothing here runs in one. */
err_t sys_mbox_trypost_fromisr(sys_mbox_t *b, void *msg)
{
	return sys_mbox_trypost(b, msg);
}

u32_t sys_arch_mbox_fetch(sys_mbox_t *b, void **msg, u32_t timeout_ms)
{
	uint64_t deadline = b->count ? 0 : deadline_of(timeout_ms);

	while (b->count == 0)
		if (waitq_wait(&b->readers, deadline) == -ETIMEDOUT &&
		    b->count == 0)
			return SYS_ARCH_TIMEOUT;
	take(b, msg);
	return 0;
}

u32_t sys_arch_mbox_tryfetch(sys_mbox_t *b, void **msg)
{
	if (b->count == 0)
		return SYS_MBOX_EMPTY;
	take(b, msg);
	return 0;
}

/* ---- threads ---------------------------------------------------------- */

struct thread_start {
	lwip_thread_fn fn;
	void *arg;
};

/* start - a Minnow thread's body running an lwIP thread function. */
static void *start(void *p)
{
	struct thread_start s = *(struct thread_start *)p;

	free(p);
	s.fn(s.arg);
	return NULL;
}

/*
 * sys_thread_new - lwIP's threads (tcpip_thread) are detached Minnow
 * threads; prio means nothing to a cooperative scheduler. lwIP has no
 * way to report a failure, so one is fatal.
 */
sys_thread_t sys_thread_new(const char *name, lwip_thread_fn fn, void *arg,
			    int stacksize, int prio)
{
	struct thread_attr attr = {
		.stack_size = stacksize > 0 ? (size_t)stacksize : 0,
		.name = name,
		.detached = 1,
	};
	struct thread_start *s = malloc(sizeof(*s));
	struct thread *t;

	(void)prio;
	if (!s)
		LWIP_PLATFORM_ASSERT("sys_thread_new: no memory for a thread");
	*s = (struct thread_start){ fn, arg };
	if (thread_create(&t, &attr, start, s))
		LWIP_PLATFORM_ASSERT("sys_thread_new: no memory for a thread");
	return t;
}

/* ---- randomness ------------------------------------------------------- */

/*
 * sys_random - LWIP_RAND(): DHCP transaction ids, first local ports.
 * xorshift64* seeded from the clocks: unpredictable enough for those,
 * not for cryptography.
 */
uint32_t sys_random(void)
{
	static uint64_t x;

	if (!x)
		x = (xen_time_ns() ^ (xen_wallclock_ns() << 17)) | 1;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	return (uint32_t)((x * 0x2545F4914F6CDD1DULL) >> 32);
}
