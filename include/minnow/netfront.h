/*
 * minnow/netfront.h - Ethernet frames through Xen's netfront/netback.
 *
 * One struct netfront per vif (xl `vif=[...]`). Frames are whole
 * Ethernet frames without FCS, up to NETFRONT_MAX_FRAME bytes; the
 * guest computes its own checksums and asks the backend to deliver
 * frames with valid ones (no checksum offload). Received frames are
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

#define NETFRONT_MAX_FRAME	1514	/* MTU 1500 + Ethernet header */

struct netfront;

/* The receive callback: frame is valid only during the call. */
typedef void (*netfront_rx_fn)(struct netfront *nf, const void *frame,
			       size_t len, void *arg);

/*
 * netfront_open - connect vif index: the handshake with the backend,
 * rings, buffers. Frames received before a handler is set are dropped
 * (and counted). 0 and *out, or -ENODEV (no such vif), -ETIMEDOUT (the
 * backend never connected), -ENOMEM, -ENOSPC (no grant refs), -EIO.
 */
int netfront_open(unsigned int index, struct netfront **out);

/* netfront_set_rx - deliver received frames to fn(nf, frame, len, arg). */
void netfront_set_rx(struct netfront *nf, netfront_rx_fn fn, void *arg);

/*
 * netfront_send - queue one frame (copied, so buf is free on return).
 * 0; -EMSGSIZE if len is over NETFRONT_MAX_FRAME or under 14; -EAGAIN
 * if all transmit slots are in flight for 1 s; -EIO if the device is
 * broken or closed.
 */
int netfront_send(struct netfront *nf, const void *buf, size_t len);

/* netfront_mac - the vif's MAC address (from xenstore). */
void netfront_mac(const struct netfront *nf, uint8_t mac[6]);

/*
 * netfront_ip - the vif's "ip" key, which xl sets from `vif=['ip=...']`
 * in the backend's directory: the first blank-separated word, into buf.
 * -ENOENT if the toolstack gave none, -EINVAL if it is not printable
 * text or empty, -E2BIG if it does not fit in size.
 */
int netfront_ip(struct netfront *nf, char *buf, size_t size);

struct netfront_stats {
	unsigned long rx_packets, rx_bytes, rx_dropped, rx_errors;
	unsigned long tx_packets, tx_bytes, tx_errors;
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
