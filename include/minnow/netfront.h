/*
 * minnow/netfront.h - Ethernet frames through Xen's netfront/netback.
 *
 * One struct netfront per vif (xl `vif=[...]`). Frames are whole
 * Ethernet frames without FCS, up to netfront_mtu() + 14 bytes (the MTU
 * is the toolstack's `mtu` key, 1500 by default, at most
 * NETFRONT_MAX_MTU); a frame larger than a page travels in several ring
 * slots (scatter-gather, negotiated with the backend). TCP/UDP checksum
 * offload is on both ways: a received frame may carry a blank checksum
 * (NETFRONT_RX_CSUM_BLANK) that the receiver must complete, and a sent
 * one may ask the backend to complete its own. Received frames are
 * delivered in a thread of the device's own ("netfront-N"), never in an
 * event handler, so the handler may block or call anything. Every ring
 * response from the backend (another domain, untrusted) is copied once
 * and checked; a bad one marks the device broken with a console message
 * (sends then fail with -EIO), never a crash. Errors are negative errno
 * values.
 */
#ifndef MINNOW_NETFRONT_H
#define MINNOW_NETFRONT_H

#include <stddef.h>
#include <stdint.h>

#define NETFRONT_MAX_MTU	9000
#define NETFRONT_MAX_FRAME	(NETFRONT_MAX_MTU + 14)	/* + Ethernet header */
/* The largest frame with NETFRONT_RX_GSO (lengths stay within 16 bits). */
#define NETFRONT_MAX_GSO_FRAME	65535

struct netfront;

/* Receive flags (the backend's word, for TCP/UDP frames). */
#define NETFRONT_RX_CSUM_VALID	1u	/* the backend validated the L4 sum */
#define NETFRONT_RX_CSUM_BLANK	2u	/* the L4 checksum field holds only
					 * the pseudo-header sum: complete
					 * it before use (net_csum) */
#define NETFRONT_RX_GSO		4u	/* a TCP segment (IPv4 or IPv6) larger than
					 * the MTU, which the backend merged
					 * from several (only when opened
					 * with NETFRONT_OPEN_RX_GSO): up to
					 * NETFRONT_MAX_GSO_FRAME bytes */

/*
 * The receive callback: frame (len bytes, NETFRONT_RX_* flags) is the
 * callee's to read and modify during the call only.
 */
typedef void (*netfront_rx_fn)(struct netfront *nf, void *frame,
			       size_t len, unsigned int flags, void *arg);

/*
 * netfront_open - connect vif index: the handshake with the backend,
 * rings, buffers. Frames received before a handler is set are dropped
 * (and counted). 0 and *out, or -ENODEV (no such vif), -ETIMEDOUT (the
 * backend never connected), -ENOMEM, -ENOSPC (no grant refs), -EIO.
 */
int netfront_open(unsigned int index, struct netfront **out);

/* netfront_open_opts options. */
#define NETFRONT_OPEN_RX_GSO	1u	/* accept NETFRONT_RX_GSO frames: the
					 * backend then hands over TCP data
					 * in segments of up to 64 KiB (far
					 * fewer frames to process); only
					 * for a receiver that takes TCP
					 * segments larger than the MTU */

/* netfront_open_opts - netfront_open with NETFRONT_OPEN_* options;
 * -EINVAL for an unknown one. */
int netfront_open_opts(unsigned int index, unsigned int opts,
		       struct netfront **out);

/* netfront_set_rx - deliver received frames to
 * fn(nf, frame, len, flags, arg). */
void netfront_set_rx(struct netfront *nf, netfront_rx_fn fn, void *arg);

/* One piece of a frame to send. */
struct netfront_seg {
	const void *buf;
	size_t len;
};

/* Send flag: the frame is TCP or UDP, not a fragment, and its L4
 * checksum field holds the pseudo-header sum (net_csum_prepare_partial):
 * the backend completes the checksum. Only if netfront_features() has
 * NETFRONT_F_TX_CSUM for an IPv4 frame, NETFRONT_F_TX_CSUM6 for IPv6
 * (the Ethernet type says which). */
#define NETFRONT_TX_CSUM_OFFLOAD	1u

/*
 * netfront_sendv - queue one frame made of nseg pieces, in order (all
 * copied into the device's own pages, so they are free on return); a
 * frame over a page goes out in several ring slots. 0; -EMSGSIZE if the
 * total is under 14 or over netfront_mtu() + 14 (or over a page when
 * the backend has no scatter-gather); -EINVAL for an unknown flag or
 * offload the backend refused; -EAGAIN if the transmit slots it needs
 * stay in flight for 1 s; -EIO if the device is broken or closed.
 */
int netfront_sendv(struct netfront *nf, const struct netfront_seg *segs,
		   unsigned int nseg, unsigned int flags);

/*
 * netfront_send_gso - queue one TCP segment of up to
 * NETFRONT_MAX_GSO_FRAME bytes, larger than the MTU, that the backend
 * cuts into segments of mss payload bytes (its headers, with the IP
 * length of the whole and the checksum field prepared as for
 * NETFRONT_TX_CSUM_OFFLOAD, are copied to each). IPv4 only if
 * netfront_features() has NETFRONT_F_TX_GSO; IPv6 (no extension
 * headers) only with NETFRONT_F_TX_GSO6. The same returns as
 * netfront_sendv; -EINVAL also for mss outside 64..MTU - 40 (IPv4) or
 * 64..MTU - 60 (IPv6).
 */
int netfront_send_gso(struct netfront *nf, const struct netfront_seg *segs,
		      unsigned int nseg, unsigned int mss);

/* One frame of a batch (netfront_send_batch): flags as netfront_sendv. */
struct netfront_frame {
	const void *buf;
	size_t len;
	unsigned int flags;
};

/*
 * netfront_send_batch - queue n frames and tell the backend once (one
 * notification at most for the lot, where one frame at a time may cost
 * one each). Frames are copied, in order. Returns how many were queued:
 * n, or fewer when frame i was refused (it and the rest were not sent);
 * if the first is refused, its error as netfront_sendv's.
 */
int netfront_send_batch(struct netfront *nf,
			const struct netfront_frame *frames, unsigned int n);

/* netfront_send - netfront_sendv() of one buffer, no flags. */
int netfront_send(struct netfront *nf, const void *buf, size_t len);

/* netfront_mtu - the vif's MTU (IP packet size): the `mtu` key the
 * toolstack wrote, 1500 if none; a bad value is refused with a console
 * message (then 1500). */
unsigned int netfront_mtu(const struct netfront *nf);

/* What the backend accepts from us (netfront_features()). */
#define NETFRONT_F_SG		1u	/* multi-slot frames */
#define NETFRONT_F_TX_CSUM	2u	/* NETFRONT_TX_CSUM_OFFLOAD */
#define NETFRONT_F_TX_GSO	4u	/* netfront_send_gso (with SG and
					 * checksum offload) */
#define NETFRONT_F_TX_CSUM6	8u	/* NETFRONT_TX_CSUM_OFFLOAD, IPv6 */
#define NETFRONT_F_TX_GSO6	16u	/* netfront_send_gso, IPv6 (with SG
					 * and IPv6 checksum offload) */

unsigned int netfront_features(const struct netfront *nf);

/* netfront_mac - the vif's MAC address (from xenstore). */
void netfront_mac(const struct netfront *nf, uint8_t mac[6]);

/*
 * netfront_ip - the vif's "ip" key, which xl sets from `vif=['ip=...']`
 * in the backend's directory: its text without leading and trailing
 * blanks (one address or several, blank-separated, as dom0's hotplug
 * scripts take it), into buf.
 * -ENOENT if the toolstack gave none, -EINVAL if it is not printable
 * text or empty, -E2BIG if it does not fit in size.
 */
int netfront_ip(struct netfront *nf, char *buf, size_t size);

struct netfront_stats {
	unsigned long rx_packets, rx_bytes, rx_dropped, rx_errors;
	unsigned long rx_multislot;	/* frames that came in several slots */
	unsigned long rx_csum_blank;	/* frames with a blank L4 checksum */
	unsigned long rx_gso;		/* NETFRONT_RX_GSO frames */
	unsigned long tx_packets, tx_bytes, tx_errors;
	unsigned long tx_multislot;	/* frames sent in several slots */
	unsigned long tx_csum_offload;	/* frames sent with a blank checksum */
	unsigned long tx_gso;		/* netfront_send_gso frames */
	unsigned long bad_responses;	/* rejected backend responses */
};

void netfront_stats_get(const struct netfront *nf, struct netfront_stats *s);

/*
 * netfront_close - disconnect: both sides to Closed, grants ended (a
 * grant the backend still holds is leaked rather than reused), memory
 * freed. The receive thread ends first; do not call from it.
 *
 * If the backend closes the vif first (`xl network-detach`, the backend
 * domain going away), the device stops by itself: the console says so,
 * no more frames are delivered, sends fail with -EIO, and our side walks
 * to Closed so that the detach completes. netfront_close() is still
 * needed to free it.
 */
int netfront_close(struct netfront *nf);

#endif
