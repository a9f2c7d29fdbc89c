/*
 * sched/pthread.c - POSIX threads over Minnow's cooperative threads.
 * Errors are positive errno values, as POSIX wants.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <minnow/sched.h>
#include <minnow/xen.h>

/* --- threads --------------------------------------------------------- */

int pthread_create(pthread_t *t, const pthread_attr_t *attr,
		   void *(*fn)(void *), void *arg)
{
	struct thread_attr ta = { 0 };

	if (attr) {
		ta.stack_size = attr->stacksize;
		ta.detached = attr->detachstate == PTHREAD_CREATE_DETACHED;
	}
	return -thread_create(t, &ta, fn, arg);
}

int pthread_join(pthread_t t, void **ret)
{
	return -thread_join(t, ret);
}

int pthread_detach(pthread_t t)
{
	return -thread_detach(t);
}

void pthread_exit(void *ret)
{
	thread_exit(ret);
}

pthread_t pthread_self(void)
{
	return thread_self();
}

int pthread_equal(pthread_t a, pthread_t b)
{
	return a == b;
}

int sched_yield(void)
{
	thread_yield();
	return 0;
}

int pthread_attr_init(pthread_attr_t *a)
{
	*a = (pthread_attr_t){ .stacksize = THREAD_STACK_DEFAULT,
			       .detachstate = PTHREAD_CREATE_JOINABLE,
			       .is_initialized = 1 };
	return 0;
}

int pthread_attr_destroy(pthread_attr_t *a)
{
	a->is_initialized = 0;
	return 0;
}

int pthread_attr_setstacksize(pthread_attr_t *a, size_t size)
{
	if (size < PTHREAD_STACK_MIN)
		return EINVAL;
	a->stacksize = size;
	return 0;
}

int pthread_attr_getstacksize(const pthread_attr_t *a, size_t *size)
{
	*size = a->stacksize ? a->stacksize : THREAD_STACK_DEFAULT;
	return 0;
}

int pthread_attr_setdetachstate(pthread_attr_t *a, int state)
{
	if (state != PTHREAD_CREATE_JOINABLE && state != PTHREAD_CREATE_DETACHED)
		return EINVAL;
	a->detachstate = state;
	return 0;
}

int pthread_attr_getdetachstate(const pthread_attr_t *a, int *state)
{
	*state = a->detachstate;
	return 0;
}

/* --- mutexes --------------------------------------------------------- */

int pthread_mutexattr_init(pthread_mutexattr_t *a)
{
	*a = (pthread_mutexattr_t){ PTHREAD_MUTEX_DEFAULT, 1 };
	return 0;
}

int pthread_mutexattr_destroy(pthread_mutexattr_t *a)
{
	a->is_initialized = 0;
	return 0;
}

int pthread_mutexattr_settype(pthread_mutexattr_t *a, int type)
{
	if (type < PTHREAD_MUTEX_NORMAL || type > PTHREAD_MUTEX_ERRORCHECK)
		return EINVAL;
	a->type = type;
	return 0;
}

int pthread_mutexattr_gettype(const pthread_mutexattr_t *a, int *type)
{
	*type = a->type;
	return 0;
}

int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *a)
{
	mutex_init(&m->m);
	m->type = a ? a->type : PTHREAD_MUTEX_DEFAULT;
	m->depth = 0;
	return 0;
}

int pthread_mutex_destroy(pthread_mutex_t *m)
{
	return m->m.owner ? EBUSY : 0;
}

/* relock - the owner locks again: a count, an error or a deadlock. */
static int relock(pthread_mutex_t *m)
{
	if (m->type == PTHREAD_MUTEX_RECURSIVE) {
		m->depth++;
		return 0;
	}
	if (m->type == PTHREAD_MUTEX_ERRORCHECK)
		return EDEADLK;
	return -1;		/* normal: waits forever, as POSIX says */
}

int pthread_mutex_lock(pthread_mutex_t *m)
{
	int rc;

	if (m->m.owner == thread_self() && (rc = relock(m)) >= 0)
		return rc;
	mutex_lock(&m->m);
	m->depth = 1;
	return 0;
}

int pthread_mutex_trylock(pthread_mutex_t *m)
{
	if (m->m.owner == thread_self() && m->type == PTHREAD_MUTEX_RECURSIVE) {
		m->depth++;
		return 0;
	}
	if (mutex_trylock(&m->m))
		return EBUSY;
	m->depth = 1;
	return 0;
}

int pthread_mutex_unlock(pthread_mutex_t *m)
{
	if (m->m.owner != thread_self())
		return EPERM;
	if (--m->depth > 0)
		return 0;
	mutex_unlock(&m->m);
	return 0;
}

/* --- condition variables --------------------------------------------- */

int pthread_condattr_init(pthread_condattr_t *a)
{
	*a = (pthread_condattr_t){ (int)CLOCK_REALTIME, 1 };
	return 0;
}

int pthread_condattr_destroy(pthread_condattr_t *a)
{
	a->is_initialized = 0;
	return 0;
}

int pthread_condattr_setclock(pthread_condattr_t *a, clockid_t clock)
{
	if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC)
		return EINVAL;
	a->clock = (int)clock;
	return 0;
}

int pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *a)
{
	cond_init(&c->c);
	c->clock = a ? a->clock : (int)CLOCK_REALTIME;
	return 0;
}

int pthread_cond_destroy(pthread_cond_t *c)
{
	(void)c;
	return 0;
}

/* cond_wait_depth - wait, keeping a recursive mutex's depth. */
static int cond_wait_depth(pthread_cond_t *c, pthread_mutex_t *m,
			   uint64_t deadline)
{
	unsigned int depth = m->depth;
	int rc;

	if (m->m.owner != thread_self())
		return EPERM;
	rc = cond_wait(&c->c, &m->m, deadline);
	m->depth = depth;
	return rc == -ETIMEDOUT ? ETIMEDOUT : 0;
}

int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
	return cond_wait_depth(c, m, 0);
}

/* deadline_of - abstime on c's clock as a Xen-time deadline (>= 1). */
static uint64_t deadline_of(const pthread_cond_t *c, const struct timespec *t)
{
	uint64_t abs = (uint64_t)t->tv_sec * 1000000000 + t->tv_nsec;
	uint64_t now_mono = xen_time_ns();
	uint64_t now = c->clock == (int)CLOCK_MONOTONIC ? now_mono
						   : xen_wallclock_ns();

	return abs <= now ? now_mono | 1 : now_mono + (abs - now);
}

int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m,
			   const struct timespec *abstime)
{
	if (!abstime || abstime->tv_sec < 0 || abstime->tv_nsec < 0 ||
	    abstime->tv_nsec >= 1000000000)
		return EINVAL;
	return cond_wait_depth(c, m, deadline_of(c, abstime));
}

int pthread_cond_signal(pthread_cond_t *c)
{
	cond_signal(&c->c);
	return 0;
}

int pthread_cond_broadcast(pthread_cond_t *c)
{
	cond_broadcast(&c->c);
	return 0;
}

/* --- once and keys --------------------------------------------------- */

static struct waitq once_waiters;

int pthread_once(pthread_once_t *once, void (*fn)(void))
{
	while (once->state == 1)	/* another thread is running fn */
		waitq_wait(&once_waiters, 0);
	if (once->state == 2)
		return 0;
	once->state = 1;
	fn();
	once->state = 2;
	waitq_wake_all(&once_waiters);
	return 0;
}

static struct {
	int used;
	void (*destructor)(void *);
} keys[PTHREAD_KEYS_MAX];

/* run_destructors - at thread exit, as POSIX describes (bounded rounds). */
static void run_destructors(void)
{
	void **v = thread_specific(thread_self());

	for (int round = 0; v && round < PTHREAD_DESTRUCTOR_ITERATIONS; round++) {
		int again = 0;

		for (int k = 0; k < PTHREAD_KEYS_MAX; k++) {
			void *x = v[k];

			if (!x || !keys[k].used || !keys[k].destructor)
				continue;
			v[k] = NULL;
			keys[k].destructor(x);
			again = 1;
		}
		if (!again)
			break;
	}
}

int pthread_key_create(pthread_key_t *key, void (*destructor)(void *))
{
	for (int k = 0; k < PTHREAD_KEYS_MAX; k++) {
		if (keys[k].used)
			continue;
		keys[k].used = 1;
		keys[k].destructor = destructor;
		thread_set_exit_hook(run_destructors);
		*key = k;
		return 0;
	}
	return EAGAIN;
}

int pthread_key_delete(pthread_key_t key)
{
	if (key >= PTHREAD_KEYS_MAX || !keys[key].used)
		return EINVAL;
	keys[key].used = 0;
	return 0;
}

void *pthread_getspecific(pthread_key_t key)
{
	void **v;

	if (key >= PTHREAD_KEYS_MAX || !keys[key].used)
		return NULL;
	v = thread_specific(thread_self());
	return v ? v[key] : NULL;
}

int pthread_setspecific(pthread_key_t key, const void *value)
{
	void **v;

	if (key >= PTHREAD_KEYS_MAX || !keys[key].used)
		return EINVAL;
	v = thread_specific(thread_self());
	if (!v)
		return ENOMEM;
	v[key] = (void *)value;
	return 0;
}
