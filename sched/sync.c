/*
 * sched/sync.c - mutexes, condition variables and semaphores over wait
 * queues. Threads are cooperative, so checking and taking a lock cannot
 * be interrupted by another thread; only event handlers interleave, and
 * they never touch these.
 */
#include <errno.h>
#include <minnow/sched.h>

void mutex_init(struct mutex *m)
{
	m->owner = NULL;
	waitq_init(&m->waiters);
}

/* has_waiters - cheap check before waking: only threads add waiters
 * here, so a stale "empty" cannot hide a waiter that matters. */
static int has_waiters(const struct waitq *q)
{
	return q->waiters.next && q->waiters.next != &q->waiters;
}

void mutex_lock(struct mutex *m)
{
	struct thread *self = thread_self();

	while (m->owner)
		waitq_wait(&m->waiters, 0);
	m->owner = self;
}

int mutex_trylock(struct mutex *m)
{
	if (m->owner)
		return -EBUSY;
	m->owner = thread_self();
	return 0;
}

int mutex_unlock(struct mutex *m)
{
	if (m->owner != thread_self())
		return -EPERM;
	m->owner = NULL;
	if (has_waiters(&m->waiters))
		waitq_wake_one(&m->waiters);
	return 0;
}

void cond_init(struct cond *c)
{
	waitq_init(&c->waiters);
}

int cond_wait(struct cond *c, struct mutex *m, uint64_t deadline_ns)
{
	int rc;

	/* Releasing m and queueing on c happen without a switch between. */
	mutex_unlock(m);
	rc = waitq_wait(&c->waiters, deadline_ns);
	mutex_lock(m);
	return rc;
}

void cond_signal(struct cond *c)
{
	if (has_waiters(&c->waiters))
		waitq_wake_one(&c->waiters);
}

void cond_broadcast(struct cond *c)
{
	if (has_waiters(&c->waiters))
		waitq_wake_all(&c->waiters);
}

void semaphore_init(struct semaphore *s, long count)
{
	s->count = count;
	waitq_init(&s->waiters);
}

int semaphore_down(struct semaphore *s, uint64_t deadline_ns)
{
	while (s->count <= 0)
		if (waitq_wait(&s->waiters, deadline_ns) == -ETIMEDOUT &&
		    s->count <= 0)
			return -ETIMEDOUT;
	s->count--;
	return 0;
}

void semaphore_up(struct semaphore *s)
{
	s->count++;
	if (has_waiters(&s->waiters))
		waitq_wake_one(&s->waiters);
}
