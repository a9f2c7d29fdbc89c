/*
 * xen/xenstore.c - xenstore client over the shared ring.
 *
 * Requests are written to req[] under a mutex; replies and watch events
 * come back on rsp[] and are read by one "xenstore" thread, woken by the
 * ring's event channel: it copies each message off the ring, checks it,
 * and hands a reply to the thread whose request id it carries, or a
 * watch event to its watch. Everything that arrives is untrusted: an
 * index or length that breaks the protocol disables xenstore (requests
 * then fail with -EIO) instead of being followed.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <minnow/console.h>
#include <minnow/evtchn.h>
#include <minnow/xen.h>
#include <minnow/xenstore.h>
#include "lib/fmt.h"
#include "xen/abi.h"
#include <xen/io/xs_wire.h>
#include "arch/x86_64/arch.h"
#include "lib/xs_wire.h"
#include "xen/hypervisor.h"
#include "xen/xenstore.h"

#define REQUEST_TIMEOUT_NS	30000000000ULL
#define RING			XENSTORE_RING_SIZE

/* A request waiting for its reply. */
struct request {
	struct list link;
	uint32_t req_id;
	uint32_t type;			/* a reply must have it too */
	struct thread *waiter;
	int done;
	int err;			/* -errno for the caller */
	char *body;			/* reply payload + NUL, malloc'd */
	uint32_t len;
};

static struct xenstore_domain_interface *ring;
static evtchn_port_t port;
static struct thread *reader;
static struct mutex send_lock;
static struct waitq space;		/* writers waiting for req[] room */
static struct list pending = LIST_INIT(pending);
static struct list watches = LIST_INIT(watches);
static uint32_t next_req_id = 1, next_token = 1;
static int broken;
static int domid = -1;

/* Incoming message being assembled by the reader. */
static struct {
	struct xs_hdr hdr;
	char body[XS_PAYLOAD_MAX + 1];
	uint32_t have;			/* bytes of header + body so far */
} in;

/* ring_event - the other end moved an index: wake who may care. */
static void ring_event(evtchn_port_t p, void *arg)
{
	(void)p;
	(void)arg;
	if (reader)
		thread_wake(reader);
	waitq_wake_all(&space);
}

/* fail_all - xenstore is unusable: fail every pending request. */
static void fail_all(const char *why)
{
	struct list *n;

	if (!broken)
		printk("minnow: xenstore disabled: %s\n", why);
	broken = 1;
	for (n = pending.next; n != &pending; n = n->next) {
		struct request *r = list_entry(n, struct request, link);

		r->err = -EIO;
		r->done = 1;
		thread_wake(r->waiter);
	}
}

/* --- writing requests ----------------------------------------------- */

/* req_room - free bytes in req[], or -1 if xenstored's index is bogus. */
static long req_room(void)
{
	uint32_t used = ring->req_prod - *(volatile uint32_t *)&ring->req_cons;

	return used > RING ? -1 : (long)(RING - used);
}

/* ring_write - copy n bytes into req[], waiting for room. 0 or -EIO. */
static int ring_write(const char *data, size_t n)
{
	while (n) {
		unsigned int s = evtchn_events_save();
		long room;

		while ((room = req_room()) == 0 && !broken)
			waitq_wait(&space, 0);
		evtchn_events_restore(s);
		if (room < 0 || broken) {
			fail_all("bad request ring index from xenstored");
			return -EIO;
		}
		for (; room && n; room--, n--) {
			ring->req[MASK_XENSTORE_IDX(ring->req_prod)] = *data++;
			wmb();			/* data before the index */
			ring->req_prod++;
		}
		evtchn_notify(port);
	}
	return 0;
}

/* --- reading replies (the reader thread) ----------------------------- */

/* rsp_ready - bytes waiting in rsp[], or -1 if the index is bogus. */
static long rsp_ready(void)
{
	uint32_t n = *(volatile uint32_t *)&ring->rsp_prod - ring->rsp_cons;

	return n > RING ? -1 : (long)n;
}

/* take - move up to want bytes from rsp[] to dst. Returns the count. */
static uint32_t take(char *dst, uint32_t want)
{
	long ready = rsp_ready();
	uint32_t n = 0;

	rmb();				/* index before data */
	for (; ready > 0 && n < want; ready--, n++) {
		dst[n] = ring->rsp[MASK_XENSTORE_IDX(ring->rsp_cons)];
		ring->rsp_cons++;
	}
	mb();				/* data read before the index moves */
	if (n)
		evtchn_notify(port);
	return n;
}

/* find_request - the pending request with id, or NULL. */
static struct request *find_request(uint32_t id)
{
	for (struct list *n = pending.next; n != &pending; n = n->next) {
		struct request *r = list_entry(n, struct request, link);

		if (r->req_id == id)
			return r;
	}
	return NULL;
}

/* deliver_reply - hand the assembled message to its request. */
static void deliver_reply(void)
{
	struct request *r = find_request(in.hdr.req_id);

	if (!r) {		/* timed out, or xenstored made it up */
		printk("minnow: xenstore: reply to unknown request %u dropped\n",
		       in.hdr.req_id);
		return;
	}
	list_del(&r->link);
	if (in.hdr.type == XS_ERROR) {
		r->err = xs_error_code(in.body, in.hdr.len);
	} else if (in.hdr.type != r->type) {
		r->err = -EIO;		/* a reply of another kind */
	} else if ((r->body = malloc(in.hdr.len + 1))) {
		memcpy(r->body, in.body, in.hdr.len);
		r->body[in.hdr.len] = 0;
		r->len = in.hdr.len;
	} else {
		r->err = -ENOMEM;
	}
	r->done = 1;
	thread_wake(r->waiter);
}

/* deliver_event - queue a watch event on the watch its token names. */
static void deliver_event(void)
{
	const char *part[2];
	struct list *n;

	if (xs_split(in.body, in.hdr.len, part, 2) != 2)
		return;			/* malformed event: ignore it */
	for (n = watches.next; n != &watches; n = n->next) {
		struct xs_watch *w = list_entry(n, struct xs_watch, link);
		char *copy;

		if (strcmp(w->token, part[1]))
			continue;
		if (w->count == 16 || !(copy = strdup(part[0]))) {
			w->dropped++;
			return;
		}
		w->events[(w->head + w->count++) % 16] = copy;
		waitq_wake_all(&w->waiters);
		return;
	}
}

/* read_message - assemble one message; 1 when complete, 0 if more is
 * needed, -1 if it broke the protocol. */
static int read_message(void)
{
	if (in.have < sizeof(in.hdr)) {
		in.have += take((char *)&in.hdr + in.have,
				sizeof(in.hdr) - in.have);
		if (in.have < sizeof(in.hdr))
			return 0;
		if (xs_check_header(&in.hdr, XS_TYPE_COUNT - 1))
			return -1;
	}
	in.have += take(in.body + in.have - sizeof(in.hdr),
			sizeof(in.hdr) + in.hdr.len - in.have);
	return in.have == sizeof(in.hdr) + in.hdr.len;
}

/* reader_thread - read rsp[] for as long as xenstore works. */
static void *reader_thread(void *arg)
{
	(void)arg;
	while (!broken) {
		int rc;

		if (rsp_ready() < 0) {
			fail_all("bad reply ring index from xenstored");
			break;
		}
		rc = read_message();
		if (rc < 0) {
			fail_all("malformed reply header from xenstored");
			break;
		}
		if (rc == 0) {
			thread_block(0);	/* until the ring event */
			continue;
		}
		if (in.hdr.type == XS_WATCH_EVENT)
			deliver_event();
		else
			deliver_reply();
		in.have = 0;
	}
	return NULL;
}

/* --- requests ---------------------------------------------------------- */

/*
 * request - send type with parts (tx), wait for the reply. 0 and the
 * reply body in *body (malloc'd, NUL-terminated; NULL body: freed), or
 * -errno.
 */
static int request(uint32_t type, xs_tx_t tx, const struct xs_part *parts,
		   int nparts, char **body, uint32_t *len)
{
	static char msg[sizeof(struct xs_hdr) + XS_PAYLOAD_MAX];
	struct request r = { .waiter = thread_self(), .type = type };
	uint64_t deadline = xen_time_ns() + REQUEST_TIMEOUT_NS;
	long n;
	int rc;

	if (!ring || broken)
		return ring ? -EIO : -ENODEV;
	mutex_lock(&send_lock);
	r.req_id = next_req_id++;
	n = xs_encode(msg, sizeof(msg), type, r.req_id, tx, parts, nparts);
	if (n < 0) {
		mutex_unlock(&send_lock);
		return (int)n;
	}
	list_add_tail(&pending, &r.link);	/* before the reply can come */
	rc = ring_write(msg, (size_t)n);
	mutex_unlock(&send_lock);
	while (!rc && !r.done)
		if (thread_block(deadline) == -ETIMEDOUT && !r.done)
			rc = -ETIMEDOUT;
	if (!r.done)
		list_del(&r.link);
	if (!rc)
		rc = r.err;
	if (!rc && body) {
		*body = r.body;
		if (len)
			*len = r.len;
	} else {
		free(r.body);
	}
	return rc;
}

/* path_part - a path with its NUL as one payload part. */
static struct xs_part path_part(const char *path)
{
	return (struct xs_part){ path, strlen(path) + 1 };
}

int xs_read(xs_tx_t tx, const char *path, char **value, size_t *len)
{
	struct xs_part p = path_part(path);
	uint32_t n = 0;
	int rc = request(XS_READ, tx, &p, 1, value, &n);

	if (!rc && len)
		*len = n;
	return rc;
}

int xs_read_ull(xs_tx_t tx, const char *path, unsigned long long *v)
{
	char *s, *end;
	int rc = xs_read(tx, path, &s, NULL);

	if (rc)
		return rc;
	errno = 0;
	*v = strtoull(s, &end, 10);
	rc = (end == s || *end || errno) ? -EINVAL : 0;
	free(s);
	return rc;
}

int xs_write(xs_tx_t tx, const char *path, const char *value)
{
	struct xs_part p[2] = { path_part(path), { value, strlen(value) } };

	return request(XS_WRITE, tx, p, 2, NULL, NULL);
}

int xs_printf(xs_tx_t tx, const char *path, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0 || n >= (int)sizeof(buf))
		return -E2BIG;
	return xs_write(tx, path, buf);
}

int xs_mkdir(xs_tx_t tx, const char *path)
{
	struct xs_part p = path_part(path);

	return request(XS_MKDIR, tx, &p, 1, NULL, NULL);
}

int xs_rm(xs_tx_t tx, const char *path)
{
	struct xs_part p = path_part(path);

	return request(XS_RM, tx, &p, 1, NULL, NULL);
}

int xs_directory(xs_tx_t tx, const char *path, char ***names, unsigned int *n)
{
	struct xs_part p = path_part(path);
	char *body, **list;
	uint32_t len;
	int count = 0, rc = request(XS_DIRECTORY, tx, &p, 1, &body, &len);

	if (rc)
		return rc;
	for (uint32_t i = 0; i < len; i++)	/* one name per NUL */
		count += !body[i];
	if (len && body[len - 1]) {
		free(body);
		return -EIO;			/* last name unterminated */
	}
	/* One block: the pointer array, then the names. */
	list = malloc((count + 1) * sizeof(char *) + len + 1);
	if (!list) {
		free(body);
		return -ENOMEM;
	}
	memcpy(list + count + 1, body, len + 1);
	free(body);
	xs_split((char *)(list + count + 1), len, (const char **)list, count);
	list[count] = NULL;
	*names = list;
	*n = (unsigned int)count;
	return 0;
}

int xs_transaction_start(xs_tx_t *tx)
{
	struct xs_part p = { "", 1 };
	char *body;
	int rc = request(XS_TRANSACTION_START, XS_TX_NONE, &p, 1, &body, NULL);
	char *end;
	unsigned long v;

	if (rc)
		return rc;
	v = strtoul(body, &end, 10);
	rc = (end == body || *end || !v || v > UINT32_MAX) ? -EIO : 0;
	free(body);
	*tx = (xs_tx_t)v;
	return rc;
}

int xs_transaction_end(xs_tx_t tx, int abort)
{
	struct xs_part p = { abort ? "F" : "T", 2 };

	return request(XS_TRANSACTION_END, tx, &p, 1, NULL, NULL);
}

int xs_transaction_run(int (*fn)(xs_tx_t tx, void *arg), void *arg)
{
	for (int attempt = 0; attempt < 20; attempt++) {
		xs_tx_t tx;
		int rc = xs_transaction_start(&tx);

		if (rc)
			return rc;
		rc = fn(tx, arg);
		if (rc) {
			xs_transaction_end(tx, 1);
			return rc;
		}
		rc = xs_transaction_end(tx, 0);
		if (rc != -EAGAIN)
			return rc;
	}
	return -EAGAIN;
}

/* --- watches ----------------------------------------------------------- */

int xs_watch(struct xs_watch *w, const char *path)
{
	struct xs_part p[2];
	int rc;

	memset(w, 0, sizeof(*w));
	waitq_init(&w->waiters);
	w->path = strdup(path);
	if (!w->path)
		return -ENOMEM;
	fmt_snprintf(w->token, sizeof(w->token), "w%u", next_token++);
	list_add_tail(&watches, &w->link);	/* events may come at once */
	p[0] = path_part(path);
	p[1] = path_part(w->token);
	rc = request(XS_WATCH, XS_TX_NONE, p, 2, NULL, NULL);
	if (rc) {
		list_del(&w->link);
		free(w->path);
	}
	return rc;
}

int xs_watch_wait(struct xs_watch *w, char **changed, uint64_t deadline_ns)
{
	unsigned int s = evtchn_events_save();
	char *path;

	while (!w->count) {
		if (w->kicked) {
			w->kicked = 0;
			evtchn_events_restore(s);
			return -EINTR;
		}
		if (waitq_wait(&w->waiters, deadline_ns) == -ETIMEDOUT &&
		    !w->count && !w->kicked) {
			evtchn_events_restore(s);
			return -ETIMEDOUT;
		}
	}
	evtchn_events_restore(s);
	path = w->events[w->head];
	w->head = (w->head + 1) % 16;
	w->count--;
	if (changed)
		*changed = path;
	else
		free(path);
	return 0;
}

void xs_watch_kick(struct xs_watch *w)
{
	w->kicked = 1;
	waitq_wake_all(&w->waiters);
}

int xs_unwatch(struct xs_watch *w)
{
	struct xs_part p[2] = { path_part(w->path), path_part(w->token) };
	int rc = request(XS_UNWATCH, XS_TX_NONE, p, 2, NULL, NULL);

	list_del(&w->link);
	while (w->count) {
		free(w->events[w->head]);
		w->head = (w->head + 1) % 16;
		w->count--;
	}
	free(w->path);
	return rc;
}

int xs_domid(void)
{
	unsigned long long v;
	int rc;

	if (domid >= 0)
		return domid;
	rc = xs_read_ull(XS_TX_NONE, "domid", &v);
	if (rc)
		return rc;
	if (v > 0x7fef)
		return -EIO;
	domid = (int)v;
	return domid;
}

/* --- set-up -------------------------------------------------------------- */

int xenstore_init(struct start_info *si)
{
	struct thread_attr attr = { .name = "xenstore" };
	unsigned long pfn = mfn_to_pfn(si->store_mfn);

	if (pfn >= si->nr_pages) {
		printk("minnow: no usable xenstore page (mfn %lx)\n",
		       (unsigned long)si->store_mfn);
		return -ENODEV;
	}
	ring = pfn_to_virt(pfn);
	port = si->store_evtchn;
	mutex_init(&send_lock);
	waitq_init(&space);
	if (thread_create(&reader, &attr, reader_thread, NULL))
		return -ENOMEM;
	evtchn_set_handler(port, ring_event, NULL);
	evtchn_unmask(port);
	return 0;
}
