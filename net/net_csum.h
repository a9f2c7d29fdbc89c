/*
 * net/net_csum.h - TCP and UDP checksums of whole Ethernet frames
 * (IPv4 and IPv6), for the netif's checksum offload: completing a frame whose
 * checksum field the backend left partial, verifying one, and preparing
 * one whose checksum the backend is to complete.
 *
 * Every function takes a frame of len bytes from an untrusted source and
 * reads nothing outside it: the IP header's length fields are checked
 * against len first. A frame carries an L4 checksum here when it is
 * Ethernet + IPv4 or IPv6 (no VLAN tag), not a fragment, and TCP or UDP
 * (for IPv6, after any hop-by-hop, destination options and routing
 * headers, a routing header with segments left excepted); others get
 * NET_CSUM_NONE. Errors: -EINVAL (a malformed or truncated header),
 * -EBADMSG (a wrong checksum).
 */
#ifndef MINNOW_NET_CSUM_H
#define MINNOW_NET_CSUM_H

#include <stddef.h>
#include <stdint.h>

#define NET_CSUM_NONE	1	/* no TCP/UDP checksum to look at */

/* Where a frame's L4 segment and checksum field are. */
struct net_csum_l4 {
	size_t ip_off;		/* the IP header (after Ethernet) */
	size_t l4_off, l4_len;	/* the TCP/UDP header and what follows */
	size_t check_off;	/* the 16-bit checksum field */
	uint8_t proto;		/* 6 or 17 */
	uint8_t ipv6;		/* the pseudo-header is IPv6's */
};

/*
 * net_csum_locate - find the L4 segment of frame. 0 and *out; NET_CSUM_NONE
 * (not IPv4 TCP/UDP, or an IP fragment); -EINVAL (a length field points
 * past the frame, IHL under 5, a TCP/UDP header cut short). Bytes after
 * the IP total length (Ethernet padding) are not part of the segment.
 */
int net_csum_locate(const void *frame, size_t len, struct net_csum_l4 *out);

/*
 * net_csum_tcp_fragment - frame is an IPv4 fragment, or an IPv6 one
 * (its fragment header within the first 8 extension headers), of a TCP
 * segment: a checksum no one can check per frame. 1 or 0.
 */
int net_csum_tcp_fragment(const void *frame, size_t len);

/*
 * net_csum_verify - check the TCP/UDP checksum. 0 (right, or an IPv4
 * UDP datagram sent without one; IPv6 requires it), NET_CSUM_NONE,
 * -EINVAL, -EBADMSG.
 */
int net_csum_verify(const void *frame, size_t len);

/*
 * net_csum_complete - the checksum field holds only the pseudo-header
 * sum (a "blank" checksum, as Linux's CHECKSUM_PARTIAL leaves it): add
 * the segment and store the final checksum. 0, NET_CSUM_NONE, -EINVAL.
 */
int net_csum_complete(void *frame, size_t len);

/*
 * net_csum_fill - compute the whole checksum in software and store it
 * (whatever the field held). 0, NET_CSUM_NONE, -EINVAL.
 */
int net_csum_fill(void *frame, size_t len);

/*
 * net_csum_prepare_partial - for transmit offload: store the
 * pseudo-header sum in the checksum field, as the backend expects of a
 * frame sent with a blank checksum. hdr holds the first hdr_len bytes
 * of a frame of frame_len bytes (only the headers are read: they must
 * lie within hdr_len). 0, NET_CSUM_NONE, -EINVAL.
 */
int net_csum_prepare_partial(void *hdr, size_t hdr_len, size_t frame_len);

#endif
