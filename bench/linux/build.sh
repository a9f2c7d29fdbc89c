#!/usr/bin/env bash
# bench/linux/build.sh [--print-path]
#
# Builds the initramfs of the Linux half of the benchmarks: bench.c, linked
# statically, as /init, plus /dev/console, packed as a gzipped newc cpio in
#   ${MINNOW_CACHE:-$HOME/.cache/minnow}/bench-linux/<key>/bench-init.cpio.gz
# where <key> hashes this script, bench.c and the compiler's version. The
# folder is built aside and renamed into place, so a second run (or one that
# was interrupted) costs nothing and never sees a half-built archive.
#
# --print-path   print the path of the cpio.gz on stdout (progress and
#                errors always go to stderr)
set -euo pipefail

SELF=$(realpath "${BASH_SOURCE[0]}")
readonly SELF
readonly SRC=${SELF%/*}/bench.c
readonly CACHE=${MINNOW_CACHE:-$HOME/.cache/minnow}/bench-linux
readonly CC=${CC:-gcc}
readonly CFLAGS=(-std=gnu11 -O2 -Wall -Wextra -Werror -static -pthread)
readonly CPIO_NAME=bench-init.cpio.gz

die() { echo "bench/linux/build.sh: error: $*" >&2; exit 1; }

# cache_key: what the archive depends on: this script (flags, layout),
# the source, and the exact compiler (glibc comes with it in Debian).
cache_key() {
  { cat "$SELF" "$SRC"; "$CC" --version | head -n 1
    dpkg-query -W libc6-dev 2>/dev/null || true; } | sha256sum | cut -c1-12
}

# check_tools: a static link needs libc.a (Debian's libc6-dev).
check_tools() {
  local cmd
  for cmd in "$CC" cpio gzip sha256sum; do
    command -v "$cmd" >/dev/null || die "$cmd is missing"
  done
  [[ -f "$("$CC" -print-file-name=libc.a)" ]] ||
    die "no static glibc (libc.a): apt-get install libc6-dev"
}

# make_root DIR: the initramfs tree: /init and /dev/console (so the kernel
# can hand init the console on fds 0-2; without the node, init mounts
# devtmpfs itself). mknod needs root; bench.c copes without it.
make_root() {
  local root=$1
  mkdir -p "$root/dev"
  "$CC" "${CFLAGS[@]}" -o "$root/init" "$SRC"
  strip "$root/init"
  mknod -m 600 "$root/dev/console" c 5 1 2>/dev/null ||
    echo "bench/linux/build.sh: not root: no /dev/console in the archive" >&2
}

# pack DIR OUT: DIR as a gzipped newc cpio, owned by root, in sorted order.
pack() {
  (cd "$1" && find . -print0 | LC_ALL=C sort -z |
    cpio --null -o -H newc -R 0:0 --quiet) | gzip -9 >"$2"
}

# build DEST: build into a fresh folder next to DEST, then rename it.
build() {
  local dest=$1 tmp
  mkdir -p "$CACHE"
  tmp=$(mktemp -d "$CACHE/.tmp-XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  make_root "$tmp/root"
  pack "$tmp/root" "$tmp/$CPIO_NAME"
  cp "$tmp/root/init" "$tmp/init"   # kept for size and inspection
  rm -rf "$tmp/root"
  chmod 755 "$tmp"
  # Another build may have won the race: keep its result.
  mv -T "$tmp" "$dest" 2>/dev/null || rm -rf "$tmp"
  trap - EXIT
}

main() {
  local print_path=0
  case "${1:-}" in
    --print-path) print_path=1 ;;
    "") ;;
    *) die "usage: build.sh [--print-path]" ;;
  esac
  [[ -f "$SRC" ]] || die "no $SRC"
  check_tools
  local dest
  dest=$CACHE/$(cache_key)
  if [[ ! -f "$dest/$CPIO_NAME" ]]; then
    echo "bench/linux/build.sh: building $dest" >&2
    build "$dest"
    [[ -f "$dest/$CPIO_NAME" ]] || die "$dest exists but holds no $CPIO_NAME"
  fi
  ((print_path)) && echo "$dest/$CPIO_NAME"
  return 0
}

main "$@"
