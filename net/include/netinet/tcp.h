/*
 * <netinet/tcp.h> for Minnow applications: lwIP's socket API
 * (see <minnow/net.h>).
 * <sys/socket.h>, <arpa/inet.h>, <netdb.h> and <net/if.h> come from
 * lwIP's own compat/posix folder.
 */
#ifndef MINNOW_NET_NETINET_TCP_H
#define MINNOW_NET_NETINET_TCP_H

#include <lwip/sockets.h>

#endif
