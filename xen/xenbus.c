/*
 * xen/xenbus.c - the frontend/backend handshake over xenstore.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <minnow/console.h>
#include <minnow/sched.h>
#include <minnow/xen.h>
#include <minnow/xenbus.h>
#include "lib/fmt.h"
#include "xen/abi.h"
#include <xen/io/xenbus.h>

#define CLOSE_TIMEOUT_NS	10000000000ULL

static const char *const state_names[] = {
	"Unknown", "Initialising", "InitWait", "Initialised", "Connected",
	"Closing", "Closed", "Reconfiguring", "Reconfigured",
};

/* state_name - a printable name for a state the backend gave. */
static const char *state_name(int s)
{
	return s >= 0 && s <= XenbusStateReconfigured ? state_names[s] : "?";
}

int xenbus_path(const struct xenbus_dev *d, const char *key, char *buf,
		size_t size)
{
	int n = fmt_snprintf(buf, size, "%s/%s", d->node, key);

	return n < 0 || (size_t)n >= size ? -E2BIG : 0;
}

/* backend_path - "<backend>/<key>" into buf. */
static int backend_path(const struct xenbus_dev *d, const char *key,
			char *buf, size_t size)
{
	int n = fmt_snprintf(buf, size, "%s/%s", d->backend, key);

	return n < 0 || (size_t)n >= size ? -E2BIG : 0;
}

/* cmp_uint - qsort order for device indices. */
static int cmp_uint(const void *a, const void *b)
{
	unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;

	return x < y ? -1 : x > y;
}

int xenbus_list(const char *type, unsigned int *ids, int max)
{
	char path[64], **names, *end;
	unsigned int n;
	int count = 0, rc;

	fmt_snprintf(path, sizeof(path), "device/%s", type);
	rc = xs_directory(XS_TX_NONE, path, &names, &n);
	if (rc == -ENOENT)
		return 0;
	if (rc)
		return rc;
	for (unsigned int i = 0; i < n && count < max; i++) {
		unsigned long v = strtoul(names[i], &end, 10);

		if (end != names[i] && !*end && v < 0x10000)
			ids[count++] = (unsigned int)v;	/* skip odd names */
	}
	free(names);
	qsort(ids, (size_t)count, sizeof(*ids), cmp_uint);
	return count;
}

/* check_backend - the backend path must lie in the backend domain's
 * own backend/ tree: "/local/domain/<id>/backend/...". */
static int check_backend(const struct xenbus_dev *d)
{
	char prefix[48];

	fmt_snprintf(prefix, sizeof(prefix), "/local/domain/%d/backend/",
		 d->backend_id);
	return strncmp(d->backend, prefix, strlen(prefix)) ? -EIO : 0;
}

/* read_backend_keys - backend and backend-id, validated. */
static int read_backend_keys(struct xenbus_dev *d)
{
	char path[96], *v;
	unsigned long long id;
	size_t len;
	int rc;

	xenbus_path(d, "backend-id", path, sizeof(path));
	rc = xs_read_ull(XS_TX_NONE, path, &id);
	if (rc)
		return rc == -ENOENT ? -ENODEV : -EIO;
	xenbus_path(d, "backend", path, sizeof(path));
	rc = xs_read(XS_TX_NONE, path, &v, &len);
	if (rc)
		return rc == -ENOENT ? -ENODEV : rc;
	if (id >= 0x7ff0 || len >= sizeof(d->backend) || strlen(v) != len) {
		free(v);
		return -EIO;
	}
	memcpy(d->backend, v, len + 1);
	free(v);
	d->backend_id = (int)id;
	return check_backend(d);
}

int xenbus_open(struct xenbus_dev *d, const char *type, unsigned int index)
{
	char path[160];
	int rc;

	memset(d, 0, sizeof(*d));
	fmt_snprintf(d->node, sizeof(d->node), "device/%s/%u", type, index);
	rc = read_backend_keys(d);
	if (rc) {
		if (rc == -EIO)
			printk("minnow: %s: malformed backend keys\n", d->node);
		return rc;
	}
	backend_path(d, "state", path, sizeof(path));
	rc = xs_watch(&d->watch, path);
	if (rc)
		return rc;
	d->watching = 1;
	return 0;
}

int xenbus_backend_state(struct xenbus_dev *d)
{
	unsigned long long s;

	if (xenbus_read_backend_ull(d, "state", &s) || s > XenbusStateReconfigured)
		return XenbusStateUnknown;
	return (int)s;
}

int xenbus_switch(struct xenbus_dev *d, int state)
{
	char path[96];

	xenbus_path(d, "state", path, sizeof(path));
	return xs_printf(XS_TX_NONE, path, "%d", state);
}

int xenbus_wait_backend(struct xenbus_dev *d, uint32_t mask,
			uint64_t timeout_ns, int *state)
{
	uint64_t deadline = xen_time_ns() + timeout_ns;
	int s;

	while (!(XENBUS_STATE_BIT(s = xenbus_backend_state(d)) & mask)) {
		if (xs_watch_wait(&d->watch, NULL, deadline) == -ETIMEDOUT) {
			s = xenbus_backend_state(d);
			if (XENBUS_STATE_BIT(s) & mask)
				break;
			printk("minnow: %s: backend %s stays %s (%d)\n", d->node,
			       d->backend, state_name(s), s);
			return -ETIMEDOUT;
		}
	}
	if (state)
		*state = s;
	return 0;
}

int xenbus_read_backend_ull(struct xenbus_dev *d, const char *key,
			    unsigned long long *v)
{
	char path[192];
	int rc = backend_path(d, key, path, sizeof(path));

	return rc ? rc : xs_read_ull(XS_TX_NONE, path, v);
}

int xenbus_read_backend_str(struct xenbus_dev *d, const char *key, char *buf,
			    size_t size)
{
	char path[192];
	size_t len;
	char *v;
	int rc = backend_path(d, key, path, sizeof(path));

	if (!rc)
		rc = xs_read(XS_TX_NONE, path, &v, &len);
	if (rc)
		return rc;
	for (size_t i = 0; i < len && !rc; i++)
		if (v[i] < 0x20 || v[i] > 0x7e)
			rc = -EINVAL;
	if (!rc && len >= size)
		rc = -E2BIG;
	if (!rc)
		memcpy(buf, v, len + 1);
	free(v);
	return rc;
}

int xenbus_read_ull(struct xenbus_dev *d, const char *key,
		    unsigned long long *v)
{
	char path[128];
	int rc = xenbus_path(d, key, path, sizeof(path));

	return rc ? rc : xs_read_ull(XS_TX_NONE, path, v);
}

/* walk_closed - Closing, wait for the backend to close (bounded),
 * Closed, wait for it to reach Closed or InitWait. 0 or -ETIMEDOUT. */
static int walk_closed(struct xenbus_dev *d)
{
	int rc;

	xenbus_switch(d, XenbusStateClosing);
	rc = xenbus_wait_backend(d, XENBUS_STATE_BIT(XenbusStateClosing) |
				    XENBUS_STATE_BIT(XenbusStateClosed) |
				    XENBUS_STATE_BIT(XenbusStateUnknown),
				 CLOSE_TIMEOUT_NS, NULL);
	xenbus_switch(d, XenbusStateClosed);
	if (!rc)
		rc = xenbus_wait_backend(d,
				XENBUS_STATE_BIT(XenbusStateClosed) |
				XENBUS_STATE_BIT(XenbusStateInitWait) |
				XENBUS_STATE_BIT(XenbusStateUnknown),
				CLOSE_TIMEOUT_NS, NULL);
	return rc;
}

/* backend_left - s says the backend no longer serves the device. */
static int backend_left(int s)
{
	return s == XenbusStateClosing || s == XenbusStateClosed ||
	       s == XenbusStateUnknown;
}

/* monitor_thread - xenbus_monitor()'s thread: park on the watch until
 * told to stop or the backend leaves, then close our side. */
static void *monitor_thread(void *arg)
{
	struct xenbus_dev *d = arg;
	int s;

	for (;;) {
		if (d->stop_monitor)
			return NULL;
		s = xenbus_backend_state(d);
		if (backend_left(s))
			break;
		xs_watch_wait(&d->watch, NULL, 0);
	}
	printk("minnow: %s: backend %s went %s; closing the device\n",
	       d->node, d->backend, state_name(s));
	d->lost(d, d->lost_arg);
	walk_closed(d);
	d->gone = 1;
	printk("minnow: %s: closed at the backend's request\n", d->node);
	return NULL;
}

int xenbus_monitor(struct xenbus_dev *d,
		   void (*lost)(struct xenbus_dev *d, void *arg), void *arg)
{
	char name[32];
	struct thread_attr attr = { .name = name };

	if (!d->watching || d->monitor)
		return -EINVAL;
	d->lost = lost;
	d->lost_arg = arg;
	d->stop_monitor = 0;
	fmt_snprintf(name, sizeof(name), "xenbus-%s", d->node + 7);
	return thread_create(&d->monitor, &attr, monitor_thread, d);
}

int xenbus_close(struct xenbus_dev *d)
{
	int rc = 0;

	if (!d->watching)
		return -EINVAL;
	if (d->monitor) {
		d->stop_monitor = 1;
		xs_watch_kick(&d->watch);
		thread_join(d->monitor, NULL);
		d->monitor = NULL;
	}
	if (!d->gone)
		rc = walk_closed(d);
	xs_unwatch(&d->watch);
	d->watching = 0;
	return rc;
}
