/*
 * minnow/xenbus.h - the frontend side of a split driver's handshake,
 * shared by every frontend (netfront, blkfront).
 *
 * A device is device/<type>/<index> in this domain's xenstore home. Its
 * backend (another domain, untrusted) is found from the "backend" and
 * "backend-id" keys; both states are XenbusState values (Xen's
 * io/xenbus.h). A frontend opens the device, publishes its rings and
 * event channel (in a transaction), switches to Initialised or
 * Connected and waits for the backend; at the end it closes, which
 * walks both sides to Closed so that the backend domain lets go.
 * Errors are negative errno values.
 */
#ifndef MINNOW_XENBUS_H
#define MINNOW_XENBUS_H

#include <stdint.h>
#include <minnow/xenstore.h>

struct xenbus_dev {
	char node[64];		/* device/<type>/<index> */
	char backend[128];	/* the backend's xenstore directory */
	int backend_id;		/* the backend's domain */
	struct xs_watch watch;	/* on the backend's state */
	int watching;
	/* xenbus_monitor()'s thread and what it calls. */
	struct thread *monitor;
	void (*lost)(struct xenbus_dev *d, void *arg);
	void *lost_arg;
	volatile int stop_monitor;
	volatile int gone;	/* the backend closed it; we are Closed */
};

/* Bit masks of backend states, for xenbus_wait_backend(). */
#define XENBUS_STATE_BIT(s)	(1u << (s))

/*
 * xenbus_list - the indices of this domain's devices of type ("vif",
 * "vbd") in ascending order: up to max in ids, the count returned.
 */
int xenbus_list(const char *type, unsigned int *ids, int max);

/*
 * xenbus_open - find device <type>/<index>'s backend and watch its
 * state. -ENODEV if there is no such device, -EIO if the backend keys
 * are malformed (a path not under /local/domain/<backend-id>/backend/,
 * a bad id).
 */
int xenbus_open(struct xenbus_dev *d, const char *type, unsigned int index);

/* xenbus_state - the backend's current state (XenbusStateUnknown if it
 * cannot be read or is not a number). */
int xenbus_backend_state(struct xenbus_dev *d);

/* xenbus_switch - set our own state. */
int xenbus_switch(struct xenbus_dev *d, int state);

/*
 * xenbus_wait_backend - wait until the backend's state is in mask, up
 * to timeout_ns. 0 and *state, or -ETIMEDOUT (with a console message
 * naming the device and the state it is stuck in).
 */
int xenbus_wait_backend(struct xenbus_dev *d, uint32_t mask,
			uint64_t timeout_ns, int *state);

/* xenbus_read_backend_ull / xenbus_read_ull - a number from the
 * backend's directory / our own device directory. */
int xenbus_read_backend_ull(struct xenbus_dev *d, const char *key,
			    unsigned long long *v);
int xenbus_read_ull(struct xenbus_dev *d, const char *key,
		    unsigned long long *v);

/*
 * xenbus_read_backend_str - a text value from the backend's directory
 * into buf (NUL-terminated). -ENOENT if there is none, -E2BIG if it does
 * not fit in size, -EINVAL if it holds a byte that is not printable
 * ASCII (the backend is not trusted to hand us a C string).
 */
int xenbus_read_backend_str(struct xenbus_dev *d, const char *key, char *buf,
			    size_t size);

/* xenbus_path - "<node>/<key>" into buf (-E2BIG if it does not fit). */
int xenbus_path(const struct xenbus_dev *d, const char *key, char *buf,
		size_t size);

/*
 * xenbus_monitor - from now until xenbus_close(), a thread follows the
 * backend's state. When the backend leaves Connected for Closing or
 * Closed, or its state vanishes (`xl network-detach`/`block-detach`, a
 * backend domain going away), it calls lost(d, arg) -- which must stop
 * the driver's I/O, so that nothing more goes to the backend -- then
 * walks our side Closing -> Closed (each wait bounded) so the toolstack's
 * detach completes, and sets d->gone. lost runs in the monitor's thread
 * and must not call xenbus_close(). 0 or -errno (no thread).
 */
int xenbus_monitor(struct xenbus_dev *d,
		   void (*lost)(struct xenbus_dev *d, void *arg), void *arg);

/*
 * xenbus_close - stop the monitor (waiting for a walk it has begun),
 * then, unless the backend already closed the device: Closing, wait
 * for the backend to close (10 s), Closed, wait for it to reach Closed
 * or InitWait; stop watching. Safe on a device whose backend has gone:
 * every wait is bounded. 0 or -errno.
 */
int xenbus_close(struct xenbus_dev *d);

#endif
