# net/lwip.mk - lwIP and its Minnow port, built into $(LWIP_LIB).
#
# Included by the Makefile (after BUILD, OBJ, XEN_INC and NEWLIB_STAMP are
# set). The source is Debian's lwip source package, fetched and cached by
# net/fetch-lwip.sh; $(LWIP_SRC) links to the cached tree. lwIP and the
# port (net/*.c) are compiled with the applications' flags (APP_CFLAGS:
# -mno-red-zone, -fsplit-stack...: the code runs in Minnow threads, on
# their stacks) into one archive linked into every image: the linker takes
# only the members an image uses, so one without sockets gets none.

LWIP_SRC   := $(BUILD)/lwip-src
LWIP_STAMP := $(BUILD)/lwip-src.stamp
LWIP_LIB   := $(BUILD)/lwip/liblwip.a

# What applications and lwIP include: the POSIX socket headers (ours,
# then lwIP's compat ones), lwIP's, then the port's (lwipopts.h, arch/).
LWIP_INCLUDES := -isystem net/include \
	-isystem $(LWIP_SRC)/src/include/compat/posix \
	-isystem $(LWIP_SRC)/src/include -isystem net/port

# lwIP's files (under src/, without .c): the core, IPv4 with DHCP, IPv6
# with neighbour discovery, MLD and address autoconfiguration, the
# sequential and socket APIs, Ethernet. Left out: DHCPv6, PPP, 6LoWPAN,
# SLIP, bridge, SNMP/HTTP/MQTT apps, and files whose option is off.
LWIP_FILES := \
	core/init core/def core/dns core/inet_chksum core/ip core/mem \
	core/memp core/netif core/pbuf core/stats core/sys core/tcp \
	core/tcp_in core/tcp_out core/timeouts core/udp \
	core/ipv4/dhcp core/ipv4/etharp core/ipv4/icmp core/ipv4/ip4 \
	core/ipv4/ip4_addr core/ipv4/ip4_frag \
	core/ipv6/ethip6 core/ipv6/icmp6 core/ipv6/inet6 core/ipv6/ip6 \
	core/ipv6/ip6_addr core/ipv6/ip6_frag core/ipv6/mld6 core/ipv6/nd6 \
	api/api_lib api/api_msg api/err api/netbuf api/netdb api/sockets \
	api/tcpip \
	netif/ethernet
LWIP_SRCS := $(patsubst %,$(LWIP_SRC)/src/%.c,$(LWIP_FILES))
LWIP_CORE_OBJS := $(patsubst %,$(OBJ)/lwip/src/%.o,$(LWIP_FILES))
LWIP_PORT_OBJS := $(patsubst net/%.c,$(OBJ)/lwip/port/net_%.o,$(wildcard net/*.c))

$(LWIP_STAMP): net/fetch-lwip.sh
	@mkdir -p $(BUILD)
	ln -sfn "$$(net/fetch-lwip.sh --print-dir)" $(LWIP_SRC)
	touch $@

# The sources appear with the link; one missing after that is an error.
# (Static pattern rules: they apply to these files only.)
$(LWIP_SRCS): $(LWIP_SRC)/src/%.c: | $(LWIP_STAMP)
	@test -f $@ || { echo "lwIP source $@ is missing" >&2; exit 1; }

# Objects depend on the stamp: a new source tree rebuilds them all. -MD,
# not -MMD: the headers come in with -isystem, and a changed lwipopts.h
# must rebuild every object that saw it.
$(LWIP_CORE_OBJS): $(OBJ)/lwip/src/%.o: $(LWIP_SRC)/src/%.c $(LWIP_STAMP) $(XEN_INC)/xen Makefile net/lwip.mk | $(NEWLIB_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(APP_CFLAGS) -MD -MP -c $< -o $@

$(LWIP_PORT_OBJS): $(OBJ)/lwip/port/net_%.o: net/%.c $(LWIP_STAMP) $(XEN_INC)/xen Makefile net/lwip.mk | $(NEWLIB_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(APP_CFLAGS) -MD -MP -c $< -o $@

$(LWIP_LIB): $(LWIP_CORE_OBJS) $(LWIP_PORT_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcsD $@ $^
