/*
 * minnow/sched.h - cooperative threads and what they wait on.
 *
 * Threads run until they block, sleep, yield or exit; nothing preempts
 * them. When no thread can run, the vCPU blocks in Xen until an event or
 * the next timer, so an idle guest uses no CPU. Times are Xen system
 * time in nanoseconds (xen_time_ns() in <minnow/xen.h>).
 *
 * Functions here must not be called from event handlers, except
 * thread_wake() and waitq_wake_one()/waitq_wake_all(), which are safe
 * anywhere. Errors are negative errno values. A wait queue, mutex,
 * condition variable or semaphore that is all zero bytes (a static one,
 * say) is valid and empty, as if its _init function had run.
 */
#ifndef MINNOW_SCHED_H
#define MINNOW_SCHED_H

#include <stddef.h>
#include <stdint.h>
#include <minnow/list.h>

struct thread;

typedef void *(*thread_fn)(void *arg);

struct thread_attr {
	size_t stack_size;	/* bytes, 0: THREAD_STACK_DEFAULT */
	const char *name;	/* copied (first 31 bytes); NULL: "thread-N" */
	int detached;		/* freed at exit; cannot be joined */
};

#define THREAD_STACK_DEFAULT	(60 * 1024)	/* + guard page = 64 KiB */
#define THREAD_STACK_MIN	(16 * 1024)	/* 8 KiB of it stay spare */

/*
 * thread_create - start fn(arg) in a new runnable thread (it first runs
 * when the caller blocks or yields). attr may be NULL. The stack has an
 * unmapped guard page below it, and code that would run into the last
 * 8 KiB of it stops with a report naming the thread and the function
 * (then the guest crashes). Returns 0 and *out (if out is non-NULL),
 * -EINVAL for a stack size over 256 MiB, -ENOMEM when memory runs out.
 */
int thread_create(struct thread **out, const struct thread_attr *attr,
		  thread_fn fn, void *arg);

/* thread_exit - end the calling thread with result ret. */
void thread_exit(void *ret) __attribute__((noreturn));

/*
 * thread_join - wait for t to end, store its result in *ret (if ret is
 * non-NULL) and free it. -EINVAL if t is detached or already joined,
 * -EDEADLK if t is the caller.
 */
int thread_join(struct thread *t, void **ret);

/* thread_detach - t is freed when it ends. -EINVAL if already so. */
int thread_detach(struct thread *t);

/* thread_yield - let every other runnable thread run once. */
void thread_yield(void);

/* thread_sleep_until - sleep until Xen time deadline_ns (not before). */
void thread_sleep_until(uint64_t deadline_ns);

/* thread_sleep_ns - sleep for at least ns nanoseconds. */
void thread_sleep_ns(uint64_t ns);

/* thread_self - the calling thread. (sched_current is the scheduler's;
 * read it only through this.) */
extern struct thread *sched_current;
static inline struct thread *thread_self(void)
{
	return sched_current;
}

/* thread_name - t's name. */
const char *thread_name(const struct thread *t);

/* thread_id - t's number: 1 for main, then counting up. */
unsigned int thread_id(const struct thread *t);

/*
 * thread_specific - t's THREAD_SPECIFIC_SLOTS value slots (for
 * pthread keys), allocated zeroed on first use; NULL if memory ran out.
 */
#define THREAD_SPECIFIC_SLOTS	64
void **thread_specific(struct thread *t);

/*
 * thread_set_exit_hook - fn runs in each thread's own context as the
 * thread exits (not for main). One hook; NULL removes it.
 */
void thread_set_exit_hook(void (*fn)(void));

/*
 * thread_block / thread_wake - the primitive under everything else:
 * thread_block() sleeps until some thread_wake(self) or until deadline
 * (Xen time, 0: none); returns 0 if woken, -ETIMEDOUT if the deadline
 * passed. A wake that comes before the block is not lost.
 */
int thread_block(uint64_t deadline_ns);
void thread_wake(struct thread *t);

/* A FIFO of blocked threads. */
struct waitq {
	struct list waiters;
};

#define WAITQ_INIT(name) { LIST_INIT((name).waiters) }

void waitq_init(struct waitq *q);

/*
 * waitq_wait - block on q until woken or deadline (0: none). Returns 0
 * or -ETIMEDOUT. Callers re-check their condition in a loop.
 */
int waitq_wait(struct waitq *q, uint64_t deadline_ns);

/* waitq_wake_one / waitq_wake_all - wake the first / every waiter;
 * return how many were woken. */
int waitq_wake_one(struct waitq *q);
int waitq_wake_all(struct waitq *q);

/* A sleeping lock; not recursive. */
struct mutex {
	struct thread *owner;
	struct waitq waiters;
};

#define MUTEX_INIT(name) { NULL, WAITQ_INIT((name).waiters) }

void mutex_init(struct mutex *m);
void mutex_lock(struct mutex *m);
/* mutex_trylock - 0 if taken, -EBUSY if held. */
int mutex_trylock(struct mutex *m);
/* mutex_unlock - -EPERM if the caller does not hold m. */
int mutex_unlock(struct mutex *m);

/* A condition variable, used with a mutex. */
struct cond {
	struct waitq waiters;
};

#define COND_INIT(name) { WAITQ_INIT((name).waiters) }

void cond_init(struct cond *c);
/*
 * cond_wait - release m, wait for a signal or deadline (0: none), take
 * m again. Returns 0 or -ETIMEDOUT.
 */
int cond_wait(struct cond *c, struct mutex *m, uint64_t deadline_ns);
void cond_signal(struct cond *c);
void cond_broadcast(struct cond *c);

/* A counting semaphore. */
struct semaphore {
	long count;
	struct waitq waiters;
};

void semaphore_init(struct semaphore *s, long count);
/* semaphore_down - take one unit, waiting until deadline (0: none). */
int semaphore_down(struct semaphore *s, uint64_t deadline_ns);
void semaphore_up(struct semaphore *s);

struct sched_stats {
	unsigned long threads;		/* alive now, main included */
	unsigned long created;		/* since boot */
	unsigned long switches;		/* context switches */
	unsigned long idle_blocks;	/* times the vCPU blocked in Xen */
};

void sched_stats_get(struct sched_stats *s);

#endif
