#!/usr/bin/env bash
# bench/linux/build-io.sh KERNEL_PKG=VERSION [--print-path]
#
# Builds the initramfs of the Linux guest of the I/O benchmarks
# (scripts/iobench.sh): bench/linux/io.c linked statically as /init,
# /dev/console, examples/httpd/site/index.html as /index.html, and the
# modules the guest kernel needs (Debian builds them as modules, and the
# testbed's dom0 has no use for them): xen-netfront, xen-blkfront and
# ext4 with what they depend on, in /lib/xen/ with their load order in
# /lib/xen/order, taken from KERNEL_PKG at VERSION, the package of the
# kernel the guest boots (the testbed's, e.g.
# linux-image-6.1.0-57-amd64=6.1.192-3).
#
# It also holds Debian's redis-server (redis-tools' binary) with the
# shared libraries it loads, from Debian's packages, for the
# redis-benchmark row: /usr/bin/redis-server, /lib/x86_64-linux-gnu/.
#
# Cached under ${MINNOW_CACHE:-$HOME/.cache/minnow}/bench-linux/:
#   modules-<pkg>-<version>-<list>/   the .ko files and `order` (one
#                              download of the .deb)
#   redis-<version>/           redis-server and its libraries
#   io-<key>/io-init.cpio.gz   key: this script, io.c, index.html, the
#                              compiler, libc6-dev and the modules' package
# Both are built aside and renamed into place.
set -euo pipefail

SELF=$(realpath "${BASH_SOURCE[0]}")
readonly SELF
readonly DIR=${SELF%/*}
readonly SRC=$DIR/io.c
readonly PAGE=$DIR/../../examples/httpd/site/index.html
readonly CACHE=${MINNOW_CACHE:-$HOME/.cache/minnow}/bench-linux
readonly CC=${CC:-gcc}
readonly CFLAGS=(-std=gnu11 -O2 -Wall -Wextra -Werror -static -pthread)
readonly MODULES=(xen-netfront xen-blkfront ext4)
# redis-tools and every package of a library redis-server loads.
readonly REDIS_PKGS=(redis-tools libc6 libatomic1 libjemalloc2 liblzf1 libssl3
  libsystemd0 libcap2 libgcrypt20 liblz4-1 liblzma5 libzstd1 libgpg-error0
  libstdc++6 libgcc-s1)

die() { echo "bench/linux/build-io.sh: error: $*" >&2; exit 1; }

# fetch_modules PKG=VER: the cached folder holding the .ko files and
# `order`: MODULES and their dependencies, each after what it needs.
fetch_modules() {
  local spec=$1 dest tmp deb kver ko
  dest=$CACHE/modules-${spec//=/-}-$(echo "${MODULES[*]}" | sha256sum | cut -c1-8)
  if [[ ! -f "$dest/order" ]]; then
    echo "bench/linux/build-io.sh: fetching $spec for ${MODULES[*]}" >&2
    mkdir -p "$CACHE"
    tmp=$(mktemp -d "$CACHE/.tmp-XXXXXX")
    (cd "$tmp" && apt-get download -qq -o APT::Sandbox::User=root "$spec") ||
      { rm -rf "$tmp"; die "apt-get download $spec failed"; }
    deb=$(ls "$tmp"/*.deb)
    mkdir "$tmp/x"
    dpkg-deb -x "$deb" "$tmp/x"
    kver=$(ls "$tmp/x/lib/modules")
    depmod -b "$tmp/x" "$kver"   # the .deb ships no modules.dep
    for ko in $(for m in "${MODULES[@]}"; do
          modprobe -S "$kver" -d "$tmp/x" --show-depends "$m"
        done | awk '$1 == "insmod" { print $2 }'); do
      [[ -f "$tmp/${ko##*/}" ]] && continue
      cp "$ko" "$tmp/" && echo "${ko##*/}" >>"$tmp/order"
    done
    [[ $(wc -l <"$tmp/order") -ge ${#MODULES[@]} ]] ||
      { rm -rf "$tmp"; die "$spec lacks some of ${MODULES[*]}"; }
    rm -rf "$tmp/x" "$deb"
    mv -T "$tmp" "$dest" 2>/dev/null || rm -rf "$tmp"
  fi
  echo "$dest"
}

# fetch_redis: the cached folder holding root/ (redis-server and its
# libraries, as they go into the initramfs).
fetch_redis() {
  local ver dest tmp deb lib libs
  ver=$(apt-cache policy redis-tools | sed -n 's/^ *Candidate: *//p')
  [[ -n "$ver" && "$ver" != "(none)" ]] || die "no redis-tools package (apt-get update?)"
  dest=$CACHE/redis-${ver//[:~]/_}
  if [[ ! -x "$dest/root/usr/bin/redis-server" ]]; then
    echo "bench/linux/build-io.sh: fetching redis-server $ver and its libraries" >&2
    mkdir -p "$CACHE"
    tmp=$(mktemp -d "$CACHE/.tmp-XXXXXX")
    (cd "$tmp" && apt-get download -qq -o APT::Sandbox::User=root "${REDIS_PKGS[@]}") ||
      { rm -rf "$tmp"; die "apt-get download of redis-tools and its libraries failed"; }
    mkdir "$tmp/x" "$tmp/root" && mkdir -p "$tmp/root/usr/bin" \
      "$tmp/root/lib/x86_64-linux-gnu" "$tmp/root/lib64"
    for deb in "$tmp"/*.deb; do dpkg-deb -x "$deb" "$tmp/x"; done
    cp "$tmp/x/usr/bin/redis-check-rdb" "$tmp/root/usr/bin/redis-server"
    libs="$tmp/x/lib/x86_64-linux-gnu:$tmp/x/usr/lib/x86_64-linux-gnu"
    # Every library it loads must come from the packages above.
    if LD_LIBRARY_PATH=$libs ldd "$tmp/root/usr/bin/redis-server" |
        grep '=>' | grep -v "=> $tmp/x/"; then
      rm -rf "$tmp"; die "redis-server needs a library not in REDIS_PKGS (above)"
    fi
    for lib in $(LD_LIBRARY_PATH=$libs ldd "$tmp/root/usr/bin/redis-server" |
        sed -n 's/.*=> \([^ ]*\) .*/\1/p'); do
      cp -L "$lib" "$tmp/root/lib/x86_64-linux-gnu/"
    done
    cp -L "$tmp/x/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" "$tmp/root/lib64/"
    rm -rf "$tmp/x" "$tmp"/*.deb
    mv -T "$tmp" "$dest" 2>/dev/null || rm -rf "$tmp"
  fi
  echo "$dest"
}

cache_key() {
  { cat "$SELF" "$SRC" "$PAGE"; echo "$1 $2"; "$CC" --version | head -n 1
    dpkg-query -W libc6-dev 2>/dev/null || true; } | sha256sum | cut -c1-12
}

# build DEST MODDIR REDISDIR: the archive, built aside and renamed into place.
build() {
  local dest=$1 mods=$2 redis=$3 tmp m
  mkdir -p "$CACHE"
  tmp=$(mktemp -d "$CACHE/.tmp-XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  mkdir -p "$tmp/root/dev" "$tmp/root/lib/xen"
  "$CC" "${CFLAGS[@]}" -o "$tmp/root/init" "$SRC"
  strip "$tmp/root/init"
  cp "$mods"/*.ko "$mods/order" "$tmp/root/lib/xen/"
  cp "$PAGE" "$tmp/root/index.html"
  cp -a "$redis/root/." "$tmp/root/"
  mknod -m 600 "$tmp/root/dev/console" c 5 1 2>/dev/null || true
  (cd "$tmp/root" && find . -print0 | LC_ALL=C sort -z |
    cpio --null -o -H newc -R 0:0 --quiet) | gzip -9 >"$tmp/io-init.cpio.gz"
  rm -rf "$tmp/root"
  chmod 755 "$tmp"
  mv -T "$tmp" "$dest" 2>/dev/null || rm -rf "$tmp"
  trap - EXIT
}

main() {
  local spec=${1:-} print_path=0 mods redis dest
  [[ "$spec" == *=* ]] || die "usage: build-io.sh KERNEL_PKG=VERSION [--print-path]"
  [[ "${2:-}" == --print-path ]] && print_path=1
  for c in "$CC" cpio gzip sha256sum apt-get apt-cache dpkg-deb ldd depmod modprobe; do
    command -v "$c" >/dev/null || die "$c is missing"
  done
  mods=$(fetch_modules "$spec")
  redis=$(fetch_redis)
  dest=$CACHE/io-$(cache_key "$spec" "${redis##*/}")
  if [[ ! -f "$dest/io-init.cpio.gz" ]]; then
    echo "bench/linux/build-io.sh: building $dest" >&2
    build "$dest" "$mods" "$redis"
  fi
  ((print_path)) && echo "$dest/io-init.cpio.gz"
  return 0
}

main "$@"
