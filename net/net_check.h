/*
 * net/net_check.h - the first look at a received Ethernet frame, before
 * lwIP sees it: is it well formed enough to hand over? Frames come from
 * the backend domain and whoever is on its bridge; none is trusted.
 *
 * net_check_frame() reads nothing outside the frame. It passes ARP,
 * IPv4 and IPv6 only (lwIP is built without VLANs) and checks, for
 * IPv4: version 4, IHL >= 5 and within the frame, total length within
 * [IHL*4, frame], the header checksum; for IPv6: version 6, the payload
 * length within the frame, and the extension headers lwIP walks
 * (hop-by-hop only first, routing, fragment, destination options: at
 * most 8) each within the payload. Then, unless the packet is a
 * non-first fragment, that the TCP or UDP header is there, TCP's data
 * offset is 5..15 and within the segment, and a whole UDP datagram's
 * length field is 8..payload. A UDP length under the payload trims the
 * frame (bytes past the datagram are not data), as Linux does; Ethernet
 * padding after the IP packet is left for lwIP to cut. Other upper
 * layers (ICMP, ICMPv6, IPv6's authentication header...) are lwIP's.
 */
#ifndef MINNOW_NET_CHECK_H
#define MINNOW_NET_CHECK_H

#include <stddef.h>
#include <stdint.h>

enum net_check_verdict {
	NET_CHECK_OK,
	NET_CHECK_RUNT,		/* shorter than its Ethernet/IP/L4 headers */
	NET_CHECK_OVERSIZE,	/* over the MTU plus the Ethernet header */
	NET_CHECK_ETHERTYPE,	/* not IPv4, IPv6 or ARP */
	NET_CHECK_ARP,		/* not Ethernet/IPv4 ARP, or cut short */
	NET_CHECK_IP,		/* a bad IPv4/IPv6 header or length */
	NET_CHECK_L4,		/* a bad TCP/UDP header or length */
	NET_CHECK_VERDICTS
};

/*
 * net_check_frame - the verdict on frame[0..*len) for an interface of
 * mtu bytes. NET_CHECK_OK may lower *len (a UDP datagram shorter than
 * its IP packet: IPv4's total length and header checksum, or IPv6's
 * payload length, are rewritten to match) -- the only change ever made
 * to the frame.
 */
enum net_check_verdict net_check_frame(uint8_t *frame, size_t *len,
				       unsigned int mtu);

/* net_check_name - a short name for a verdict ("runt"...). */
const char *net_check_name(enum net_check_verdict v);

#endif
