/*
 * blkfront/blkfront_xs.c - opening and closing a disk: the xenstore
 * handshake with blkback, the shared ring, the disk's geometry, and
 * teardown.
 *
 * The order is blkback's: it offers its ring and indirect limits at
 * InitWait; we publish the ring, event channel, protocol and
 * feature-persistent and go Initialised; it answers Connected with the
 * disk's size, sector size, info flags and features.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <minnow/console.h>
#include <minnow/mm.h>
#include <minnow/xenstore.h>
#include <xen/io/xenbus.h>
#include <xen/io/protocols.h>
#include "lib/fmt.h"
#include "blkfront/blkfront.h"

#define STATE_TIMEOUT_NS	30000000000ULL

/* The states that end a wait for the backend: the one wanted, or one
 * that says it gave up. */
#define GAVE_UP	(XENBUS_STATE_BIT(XenbusStateClosing) | \
		 XENBUS_STATE_BIT(XenbusStateClosed))

int blkfront_list(unsigned int *ids, int max)
{
	return xenbus_list("vbd", ids, max);
}

/* backend_ull - a number from the backend's directory, dflt if absent;
 * 0, or -EIO (with a console message) if present and not a number. */
static int backend_ull(struct blkfront *bf, const char *key,
		       unsigned long long dflt, unsigned long long *v)
{
	int rc = xenbus_read_backend_ull(&bf->dev, key, v);

	if (rc == -ENOENT) {
		*v = dflt;
		return 0;
	}
	if (rc)
		printk("minnow: blkfront %u: backend key %s unreadable (%d)\n",
		       bf->id, key, rc);
	return rc ? -EIO : 0;
}

/* wait_state - wait for the backend to reach state; -EIO if it closes
 * (unless closed is set: it is Closed now and will leave that). */
static int wait_state(struct blkfront *bf, int state, int closed)
{
	int got, rc;

	rc = xenbus_wait_backend(&bf->dev, XENBUS_STATE_BIT(state) |
				 (closed ? 0 : GAVE_UP), STATE_TIMEOUT_NS, &got);
	if (!rc && got != state) {
		printk("minnow: blkfront %u: backend closed during the handshake\n",
		       bf->id);
		rc = -EIO;
	}
	return rc;
}

/* ring_free - end the ring pages' grants; free them unless the backend
 * still holds one (then the whole block is leaked). */
static void ring_free(struct blkfront *bf, unsigned long *leaked)
{
	unsigned long before = *leaked;

	for (unsigned int i = 0; i < (1u << bf->ring_order); i++) {
		struct bf_page *p = &bf->ring_pages[i];

		p->page = NULL;		/* part of ring_mem, freed below */
		bf_page_free(p, leaked);
	}
	if (bf->ring_mem && *leaked == before)
		page_free(bf->ring_mem, bf->ring_order);
	bf->ring_mem = NULL;
}

/* free_all - release everything open() set up, in any state. */
static void free_all(struct blkfront *bf)
{
	unsigned long leaked = 0;

	if (bf->have_port)
		evtchn_close(bf->port);
	blkfront_free_slots(bf, &leaked);
	ring_free(bf, &leaked);
	if (leaked)
		printk("minnow: blkfront %u: backend kept %lu pages; not reused\n",
		       bf->id, leaked);
	if (bf->dev.watching)
		xs_unwatch(&bf->dev.watch);
	free(bf->slots);
	free(bf->free_ids);
	free(bf->pool);
	free(bf->pool_free);
	free(bf);
}

/* read_limits - what blkback offers at InitWait: ring size, indirect. */
static int read_limits(struct blkfront *bf)
{
	unsigned long long order, ind;
	int rc = backend_ull(bf, "max-ring-page-order", 0, &order);

	if (!rc)
		rc = backend_ull(bf, "feature-max-indirect-segments", 0, &ind);
	if (rc)
		return rc;
	bf->ring_order = order > BF_MAX_RING_ORDER ? BF_MAX_RING_ORDER :
			 (unsigned int)order;
	bf->info.max_indirect = ind > 0xffff ? 0xffff : (unsigned int)ind;
	return 0;
}

/*
 * pick_segments - pages per ring request: 11 directly, more through an
 * indirect page when the backend offers it, up to BF_MAX_SEGS.
 */
static unsigned int pick_segments(unsigned int max_indirect)
{
	unsigned int n = max_indirect < BF_MAX_SEGS ? max_indirect : BF_MAX_SEGS;

	return n > BLKIF_MAX_SEGMENTS_PER_REQUEST ? n :
	       BLKIF_MAX_SEGMENTS_PER_REQUEST;
}

/* setup_ring - the shared ring's pages, zeroed and granted. */
static int setup_ring(struct blkfront *bf)
{
	unsigned int n = 1u << bf->ring_order;
	int rc;

	bf->ring_mem = page_alloc(bf->ring_order, 1);
	if (!bf->ring_mem)
		return -ENOMEM;
	for (unsigned int i = 0; i < n; i++) {
		struct bf_page *p = &bf->ring_pages[i];

		rc = gnttab_grant_access((uint16_t)bf->dev.backend_id,
			virt_to_mfn((char *)bf->ring_mem + i * BF_PAGE), 0, &p->ref);
		if (rc)
			return rc;
		p->granted = 1;
	}
	SHARED_RING_INIT((struct blkif_sring *)bf->ring_mem);
	FRONT_RING_INIT(&bf->ring, (struct blkif_sring *)bf->ring_mem,
			BF_PAGE * n);
	bf->info.ring_pages = n;
	bf->info.ring_slots = RING_SIZE(&bf->ring);
	bf->info.max_segments = pick_segments(bf->info.max_indirect);
	return 0;
}

/* put_key - write "<node>/<key>" = value in transaction tx. */
static int put_key(struct blkfront *bf, xs_tx_t tx, const char *key,
		   const char *value)
{
	char path[128];
	int rc = xenbus_path(&bf->dev, key, path, sizeof(path));

	return rc ? rc : xs_write(tx, path, value);
}

/* publish - our half of the handshake, in one transaction. */
static int publish(xs_tx_t tx, void *arg)
{
	struct blkfront *bf = arg;
	char key[24], val[24];
	int rc = 0;

	if (bf->ring_order) {
		fmt_snprintf(val, sizeof(val), "%u", bf->ring_order);
		rc = put_key(bf, tx, "ring-page-order", val);
	}
	for (unsigned int i = 0; !rc && i < (1u << bf->ring_order); i++) {
		if (bf->ring_order)
			fmt_snprintf(key, sizeof(key), "ring-ref%u", i);
		else
			fmt_snprintf(key, sizeof(key), "ring-ref");
		fmt_snprintf(val, sizeof(val), "%u", bf->ring_pages[i].ref);
		rc = put_key(bf, tx, key, val);
	}
	fmt_snprintf(val, sizeof(val), "%u", bf->port);
	rc = rc ? rc : put_key(bf, tx, "event-channel", val);
	rc = rc ? rc : put_key(bf, tx, "protocol", XEN_IO_PROTO_ABI_NATIVE);
	rc = rc ? rc : put_key(bf, tx, "feature-persistent", "1");
	return rc;
}

/* read_mode - is the backend's "mode" "r" (read-only)? 0 if absent. */
static int mode_readonly(struct blkfront *bf)
{
	char path[160], *v;
	int ro;

	fmt_snprintf(path, sizeof(path), "%s/mode", bf->dev.backend);
	if (xs_read(XS_TX_NONE, path, &v, NULL))
		return 0;
	ro = !strcmp(v, "r");
	free(v);
	return ro;
}

/* read_geometry - what blkback says once Connected, validated. */
static int read_geometry(struct blkfront *bf)
{
	struct blkfront_info *in = &bf->info;
	unsigned long long sectors, info, ss, pss, flush, barrier, pers;
	const char *bad;
	int rc = backend_ull(bf, "sectors", ~0ULL, &sectors);

	rc = rc ? rc : backend_ull(bf, "info", 0, &info);
	rc = rc ? rc : backend_ull(bf, "sector-size", 0, &ss);
	rc = rc ? rc : backend_ull(bf, "physical-sector-size", 0, &pss);
	rc = rc ? rc : backend_ull(bf, "feature-flush-cache", 0, &flush);
	rc = rc ? rc : backend_ull(bf, "feature-barrier", 0, &barrier);
	rc = rc ? rc : backend_ull(bf, "feature-persistent", 0, &pers);
	if (rc)
		return rc;
	in->sectors = sectors;
	in->sector_size = ss > 0x10000 ? 0 : (uint32_t)ss;
	/* 3: not a power of two, so the check below refuses it */
	in->physical_sector_size = pss > (1u << 20) ? 3 : (uint32_t)pss;
	in->readonly = (info & VDISK_READONLY) || mode_readonly(bf);
	in->removable = !!(info & VDISK_REMOVABLE);
	in->cdrom = !!(info & VDISK_CDROM);
	in->flush = flush ? BLKFRONT_FLUSH_CACHE :
		    barrier ? BLKFRONT_FLUSH_BARRIER : BLKFRONT_FLUSH_NONE;
	in->persistent = !!pers;
	bad = blkfront_geometry_bad(in);
	if (bad) {
		printk("minnow: blkfront %u: %s (sectors %llu, sector-size %llu)\n",
		       bf->id, bad, sectors, ss);
		return -EIO;
	}
	return 0;
}

/* connect - the whole handshake, up to a Connected backend. */
static int connect(struct blkfront *bf)
{
	int closed = xenbus_backend_state(&bf->dev) == XenbusStateClosed;
	int rc;

	/* Initialising again (a reopen): a Closed blkback goes back to
	 * InitWait, so Closed does not mean failure yet. */
	rc = xenbus_switch(&bf->dev, XenbusStateInitialising);
	rc = rc ? rc : wait_state(bf, XenbusStateInitWait, closed);
	rc = rc ? rc : read_limits(bf);
	rc = rc ? rc : setup_ring(bf);
	if (rc)
		return rc;
	rc = evtchn_alloc_unbound((uint16_t)bf->dev.backend_id, blkfront_event,
				  bf, &bf->port);
	if (rc)
		return rc;
	bf->have_port = 1;
	rc = xs_transaction_run(publish, bf);
	rc = rc ? rc : xenbus_switch(&bf->dev, XenbusStateInitialised);
	rc = rc ? rc : wait_state(bf, XenbusStateConnected, 0);
	rc = rc ? rc : read_geometry(bf);
	rc = rc ? rc : xenbus_switch(&bf->dev, XenbusStateConnected);
	return rc;
}

/* backend_lost - the backend closed the disk (xenbus_monitor's
 * thread): nothing more goes to it; the device thread fails what is in
 * flight or queued. */
static void backend_lost(struct xenbus_dev *d, void *arg)
{
	struct blkfront *bf = arg;

	(void)d;
	bf->gone = 1;
	bf->broken = 1;
	if (bf->thread)
		thread_wake(bf->thread);
}

int blkfront_open(unsigned int id, struct blkfront **out)
{
	struct blkfront *bf = calloc(1, sizeof(*bf));
	int rc;

	if (!bf)
		return -ENOMEM;
	bf->id = id;
	bf->info.id = id;
	list_init(&bf->queue);
	rc = xenbus_open(&bf->dev, "vbd", id);
	rc = rc ? rc : connect(bf);
	rc = rc ? rc : blkfront_start(bf);
	rc = rc ? rc : xenbus_monitor(&bf->dev, backend_lost, bf);
	if (rc) {
		blkfront_stop(bf);
		if (bf->dev.watching)
			xenbus_close(&bf->dev);
		free_all(bf);
		return rc;
	}
	*out = bf;
	return 0;
}

int blkfront_close(struct blkfront *bf)
{
	int rc;

	blkfront_stop(bf);
	rc = xenbus_close(&bf->dev);
	free_all(bf);
	return rc;
}
