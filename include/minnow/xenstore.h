/*
 * minnow/xenstore.h - the xenstore client.
 *
 * Paths are absolute ("/local/domain/0/...") or relative to this
 * domain's home (/local/domain/<domid>). Any number of threads may have
 * requests outstanding at once. Every call blocks the calling thread
 * (never from an event handler) and returns 0 or a negative errno: the
 * error xenstored named (-ENOENT, -EACCES, -EAGAIN...), -EIO when its
 * reply broke the protocol (it is then disabled), -ETIMEDOUT when no
 * reply came within 30 s. Values and lists come back in memory from
 * malloc that the caller frees with free().
 */
#ifndef MINNOW_XENSTORE_H
#define MINNOW_XENSTORE_H

#include <stddef.h>
#include <stdint.h>
#include <minnow/sched.h>

typedef uint32_t xs_tx_t;
#define XS_TX_NONE	0

/* xs_read - *value = the node's contents plus a NUL; *len (if non-NULL)
 * = its length without the NUL. */
int xs_read(xs_tx_t tx, const char *path, char **value, size_t *len);

/* xs_read_ull - the node's contents as a decimal number (-EINVAL if it
 * is not one). */
int xs_read_ull(xs_tx_t tx, const char *path, unsigned long long *v);

/* xs_write - set the node (created with its parents if missing). */
int xs_write(xs_tx_t tx, const char *path, const char *value);

/* xs_printf - xs_write of a formatted value (up to 1024 bytes; the
 * kernel's formatter: integers and strings, no floating point). */
int xs_printf(xs_tx_t tx, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

int xs_mkdir(xs_tx_t tx, const char *path);

/* xs_rm - remove the node and everything under it. */
int xs_rm(xs_tx_t tx, const char *path);

/* xs_directory - the children's names: *names is one malloc'd block
 * (free it once), *n the count. */
int xs_directory(xs_tx_t tx, const char *path, char ***names, unsigned int *n);

/* xs_transaction_start / xs_transaction_end - end commits (or aborts);
 * -EAGAIN from end means another change conflicted: start again. */
int xs_transaction_start(xs_tx_t *tx);
int xs_transaction_end(xs_tx_t tx, int abort);

/*
 * xs_transaction_run - run fn(tx, arg) in a transaction and commit,
 * starting over on -EAGAIN (up to 20 times). fn returning non-zero
 * aborts and that value is returned.
 */
int xs_transaction_run(int (*fn)(xs_tx_t tx, void *arg), void *arg);

/* A watch: events for a path and everything below it. */
struct xs_watch {
	struct list link;
	char *path;
	char token[16];
	char *events[16];		/* queued paths that changed */
	unsigned int head, count;
	unsigned long dropped;		/* events lost to a full queue */
	int kicked;			/* xs_watch_kick() pending */
	struct waitq waiters;
};

/* xs_watch - start watching path; xenstored sends one event at once. */
int xs_watch(struct xs_watch *w, const char *path);

/*
 * xs_watch_wait - wait for the next event until deadline (Xen time, 0:
 * none). 0 and *changed (malloc'd path that changed, if changed is not
 * NULL), -ETIMEDOUT, or -EINTR after xs_watch_kick() (queued events
 * are taken first).
 */
int xs_watch_wait(struct xs_watch *w, char **changed, uint64_t deadline_ns);

/* xs_watch_kick - make the waiter of w (now or next) return -EINTR, so
 * a thread parked on a watch can be told to stop. */
void xs_watch_kick(struct xs_watch *w);

/* xs_unwatch - stop watching; queued events are dropped. */
int xs_unwatch(struct xs_watch *w);

/* xs_domid - this domain's id (read once from "domid"), or -errno. */
int xs_domid(void);

#endif
