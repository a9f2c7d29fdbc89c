# Minnow - a unikernel for Xen PV guests.
#
#   make            build every example into build/<name>/
#   make run        boot an example (APP=hello, ARGS='...') on Xen: with
#                   xl on a Xen dom0, else on the QEMU testbed
#   make test       host unit tests and every testbed scenario
#   make check-unit host unit tests only
#   make bench      benchmarks against a Linux PV guest (docs/BENCHMARKS.md)
#   make iobench    network and disk benchmarks against a Linux PV guest
#
# Each example in examples/<name>/ gives build/<name>/<name>.elf (the
# image, with symbols), <name>.map (nm -n) and <name>.xl (an xl config).

BUILD     ?= build
APP       ?= hello
ARGS      ?=
MEMORY    ?= 32
CC        := gcc
LD        := ld
XEN_INCLUDE_DIR ?= /usr/include/xen

ROOT      := $(abspath .)
# One spelling of every path, whoever calls make (tests/run passes an
# absolute BUILD): dependency files then always match their targets.
override BUILD := $(abspath $(BUILD))
OBJ       := $(BUILD)/obj
APPS      := $(notdir $(patsubst %/,%,$(dir $(wildcard examples/*/*.c))))
APPS      := $(sort $(APPS))

# Xen's public headers come from Debian's libxen-dev through a private
# folder that holds nothing but a `xen` link, so no other system header
# can leak into the freestanding build.
XEN_INC   := $(BUILD)/xen-include
GCC_INC   := $(shell $(CC) -print-file-name=include)

# The C library is newlib, built from Debian's newlib-source and cached
# (libc/build-newlib.sh); $(BUILD)/newlib links to the cached build.
NEWLIB    := $(BUILD)/newlib
NEWLIB_STAMP := $(BUILD)/newlib.stamp

# lwIP (TCP/IP, BSD sockets) from Debian's lwip source package: net/lwip.mk
# builds $(LWIP_LIB); an image links only the parts of it that it uses.
.DEFAULT_GOAL := all
include net/lwip.mk
LIBS      := --start-group $(BUILD)/drivers.a $(NEWLIB)/lib/libc.a \
	$(NEWLIB)/lib/libm.a $(LWIP_LIB) --end-group

COMMON_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror \
	-nostdinc -isystem $(NEWLIB)/include -isystem $(GCC_INC) \
	-D_POSIX_TIMERS=1 -D_POSIX_MONOTONIC_CLOCK=200112L -D_POSIX_THREADS=1 \
	-DFD_SETSIZE=256 \
	-fno-pic -fno-pie -mcmodel=small -mno-red-zone \
	-fno-stack-protector -fno-omit-frame-pointer \
	-fno-common \
	-fno-asynchronous-unwind-tables -fcf-protection=none -fsplit-stack \
	-D__XEN_INTERFACE_VERSION__=0x00040e00 \
	-I$(XEN_INC) -Iinclude -iquote .
# Kernel code never touches SSE/x87 state, so an event upcall can run in
# the middle of application code without saving it. Applications are
# hosted C programs (newlib is their C library).
KERNEL_CFLAGS := $(COMMON_CFLAGS) -ffreestanding -mgeneral-regs-only
APP_CFLAGS    := $(COMMON_CFLAGS) $(LWIP_INCLUDES)
ASFLAGS       := -D__ASSEMBLY__ -I$(XEN_INC) -iquote .
LDFLAGS       := -nostdlib -static -z max-page-size=4096 -z noexecstack \
	-T arch/x86_64/minnow.lds

KERNEL_SRCS := $(wildcard arch/x86_64/*.S arch/x86_64/*.c xen/*.c \
	kernel/*.c lib/*.c mm/*.c sched/*.c libc/*.c)
KERNEL_OBJS := $(patsubst %,$(OBJ)/%.o,$(basename $(KERNEL_SRCS)))
# Device drivers go in an archive: an image links only those it uses.
DRIVER_SRCS := $(wildcard netfront/*.c blkfront/*.c)
DRIVER_OBJS := $(patsubst %,$(OBJ)/%.o,$(basename $(DRIVER_SRCS)))
DRIVER_LIB  := $(BUILD)/drivers.a

.PHONY: all run test check-unit bench iobench clean deps $(APPS)
.SECONDARY:

all: $(APPS)

$(XEN_INC)/xen:
	@test -f $(XEN_INCLUDE_DIR)/xen.h || { echo "Xen headers missing: run scripts/install-deps.sh (Debian's libxen-dev)" >&2; exit 1; }
	@mkdir -p $(XEN_INC)
	ln -sfn $(XEN_INCLUDE_DIR) $@

$(NEWLIB_STAMP): libc/build-newlib.sh
	@mkdir -p $(BUILD)
	ln -sfn "$$(libc/build-newlib.sh --print-dir)" $(NEWLIB)
	touch $@

$(OBJ)/%.o: %.c $(XEN_INC)/xen Makefile | $(NEWLIB_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(KERNEL_CFLAGS) -MMD -MP -c $< -o $@

$(OBJ)/%.o: %.S $(XEN_INC)/xen Makefile
	@mkdir -p $(dir $@)
	$(CC) $(ASFLAGS) -MMD -MP -c $< -o $@

$(DRIVER_LIB): $(DRIVER_OBJS)
	rm -f $@
	ar rcs $@ $^

$(OBJ)/ksyms-empty.o: scripts/mkksyms.sh
	@mkdir -p $(dir $@)
	scripts/mkksyms.sh > $(OBJ)/ksyms-empty.S
	$(CC) -c $(OBJ)/ksyms-empty.S -o $@

# Per-application rules: objects, a two-pass link (the second adds the
# symbol table of the first), a check that no code moved, map and xl.
define app_rules
$(1)_SRCS := $$(wildcard examples/$(1)/*.c)
$(1)_SITE := $$(wildcard examples/$(1)/site/*)
$(1)_OBJS := $$(patsubst %.c,$(OBJ)/%.o,$$($(1)_SRCS)) $(BUILD)/$(1)/name.o \
	$$(if $$($(1)_SITE),$(BUILD)/$(1)/site.o)
$(1)_DIR  := $(BUILD)/$(1)

# Files under examples/<name>/site/ are compiled in (scripts/mkembed.sh).
$(BUILD)/$(1)/site.o: $$($(1)_SITE) scripts/mkembed.sh | $(NEWLIB_STAMP)
	@mkdir -p $$(dir $$@)
	scripts/mkembed.sh $$($(1)_SITE) > $(BUILD)/$(1)/site.c
	$(CC) $(APP_CFLAGS) -c $(BUILD)/$(1)/site.c -o $$@

$(OBJ)/examples/$(1)/%.o: examples/$(1)/%.c $(XEN_INC)/xen Makefile | $(NEWLIB_STAMP) $(LWIP_STAMP)
	@mkdir -p $$(dir $$@)
	$(CC) $(APP_CFLAGS) -MD -MP -c $$< -o $$@

$(BUILD)/$(1)/name.o: | $(NEWLIB_STAMP)
	@mkdir -p $$(dir $$@)
	printf 'const char minnow_app_name_str[] = "%s";\n' $(1) > $(BUILD)/$(1)/name.c
	$(CC) $(KERNEL_CFLAGS) -c $(BUILD)/$(1)/name.c -o $$@

$(BUILD)/$(1)/$(1).elf: $$($(1)_OBJS) $(KERNEL_OBJS) $(DRIVER_LIB) $(LWIP_LIB) $(OBJ)/ksyms-empty.o arch/x86_64/minnow.lds scripts/mkksyms.sh
	$(LD) $(LDFLAGS) -o $(BUILD)/$(1)/stage1.elf $$($(1)_OBJS) $(KERNEL_OBJS) $(OBJ)/ksyms-empty.o $(LIBS)
	scripts/mkksyms.sh $(BUILD)/$(1)/stage1.elf > $(BUILD)/$(1)/ksyms.S
	$(CC) -c $(BUILD)/$(1)/ksyms.S -o $(BUILD)/$(1)/ksyms.o
	$(LD) $(LDFLAGS) -o $$@.tmp $$($(1)_OBJS) $(KERNEL_OBJS) $(BUILD)/$(1)/ksyms.o $(LIBS)
	scripts/mkksyms.sh $$@.tmp | cmp -s - $(BUILD)/$(1)/ksyms.S || \
		{ echo "$(1): code moved between link passes" >&2; exit 1; }
	mv $$@.tmp $$@

$(BUILD)/$(1)/$(1).map: $(BUILD)/$(1)/$(1).elf
	nm -n $$< > $$@

$(BUILD)/$(1)/$(1).xl: $(BUILD)/$(1)/$(1).elf scripts/mkxl.sh $(wildcard examples/$(1)/app.conf)
	scripts/mkxl.sh $(1) $(abspath $(BUILD)/$(1)/$(1).elf) $(MEMORY) examples/$(1)/app.conf > $$@

$(1): $(BUILD)/$(1)/$(1).elf $(BUILD)/$(1)/$(1).map $(BUILD)/$(1)/$(1).xl
endef
$(foreach a,$(APPS),$(eval $(call app_rules,$(a))))

deps:
	scripts/install-deps.sh

# run and test install missing packages first, so that both work on a
# fresh machine with nothing done by hand.
run:
	@scripts/install-deps.sh
	@$(MAKE) --no-print-directory -s $(APP)
	@BUILD=$(BUILD) scripts/run.sh $(APP) $(ARGS)

# Minnow next to a Linux PV guest on the testbed (docs/BENCHMARKS.md).
bench:
	@scripts/install-deps.sh
	scripts/bench.sh $(BENCH_ARGS)

# Network and disk: Minnow's services next to the same in a Linux guest.
iobench:
	BUILD=$(BUILD) scripts/iobench.sh $(BENCH_ARGS)

check-unit:
	BUILD=$(BUILD) tests/run --unit-only

test:
	BUILD=$(BUILD) tests/run

clean:
	rm -rf $(BUILD)

-include $(shell find $(OBJ) -name '*.d' 2>/dev/null)
