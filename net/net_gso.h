/*
 * net/net_gso.h - transmit segmentation offload for lwIP, from the
 * outside: lwIP sends TCP in MTU-sized segments (it cannot build larger
 * ones), and each costs a ring slot, a copy into a granted page and
 * often a notification. When the backend takes GSO, the TCP segments
 * lwIP sends in one burst are merged here into one large segment that
 * netback cuts up again (netfront_send_gso).
 *
 * A batch holds consecutive segments of one connection: the same
 * Ethernet and IP addresses and ports, each one's sequence number
 * following the previous one's data, the same acknowledgement, window
 * and TCP options, only ACK (and PSH) set; IPv4 with no options, not a
 * fragment, or IPv6 with no extension headers and the same traffic
 * class, flow label and hop limit. The merged frame keeps the first
 * segment's headers, with the IP length rewritten (and for IPv4 the
 * header checksum) and PSH set if any segment had it. The batch's mss (where netback cuts it again) is its largest
 * segment's payload: within what the peer takes, since lwIP sent that
 * one. The cut need not fall where lwIP's segments ended (TCP is a byte
 * stream), so a short segment (the tail of each write that lwIP sent
 * before the next write could fill it) does not end a batch.
 *
 * Pure code (no lwIP, no I/O): host-tested. net/netif.c feeds it from
 * link_output and flushes it when lwIP's core lock is released.
 */
#ifndef NET_NET_GSO_H
#define NET_NET_GSO_H

#include <stddef.h>
#include <stdint.h>

#define NET_GSO_MAX	65535	/* bytes of a merged frame */
#define NET_GSO_MIN_MSS	64	/* no smaller segment starts a batch (nor
				 * would netfront_send_gso take its mss) */

struct net_gso {
	uint8_t buf[NET_GSO_MAX];
	size_t len;		/* bytes in buf; 0: no batch */
	size_t hlen;		/* Ethernet + IP + TCP header bytes */
	size_t iph;		/* IP header bytes: 20 (IPv4), 40 (IPv6) */
	unsigned int segs;	/* segments merged */
	unsigned int mss;	/* the largest segment's payload bytes */
	uint32_t next_seq;	/* what the next segment's seq must be */
	int psh;		/* some segment had PSH */
};

/*
 * net_gso_add - take frame (len bytes, one Ethernet frame that lwIP is
 * sending) into g: start a batch if g has none, or append it to g's.
 * 1 if taken (copied); 0 if it cannot be: not a mergeable TCP segment,
 * a segment of under NET_GSO_MIN_MSS payload bytes with no batch to
 * join, or not the continuation of g's batch (then flush g and try again, or
 * send it as it is).
 */
int net_gso_add(struct net_gso *g, const uint8_t *frame, size_t len);

/*
 * net_gso_add_from - the same for a frame that is not contiguous: its
 * first head_len bytes (which must hold every header) at frame, the
 * rest read through copy(ctx, off, dst, n) (bytes off..off+n of the
 * frame into dst). Only what is taken is copied, once.
 */
int net_gso_add_from(struct net_gso *g, const uint8_t *frame,
		     size_t head_len, size_t len,
		     void (*copy)(void *ctx, size_t off, void *dst, size_t n),
		     void *ctx);

/*
 * net_gso_take - end g's batch: the merged frame is g->buf[0..return)
 * (its TCP checksum field untouched: prepare it for offload), made of
 * *segs of lwIP's segments, the largest of *mss payload bytes. g is empty
 * afterwards, its buffer valid until the next net_gso_add. 0 if g had
 * no batch.
 */
size_t net_gso_take(struct net_gso *g, unsigned int *segs, unsigned int *mss);

/* net_tx_flush - send what net/netif.c's batch holds (core lock held;
 * called by the core unlock in net/sys_arch.c). */
void net_tx_flush(void);

#endif
