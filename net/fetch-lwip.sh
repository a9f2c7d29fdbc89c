#!/usr/bin/env bash
# Fetch lwIP's source from Debian once and cache it.
#
#   net/fetch-lwip.sh [--print-dir]
#
# Makes sure an unpacked copy of Debian's `lwip` source package (lwIP 2.1.3
# with Debian's patches applied, as `apt-get source` gives it) exists and
# prints its directory. With --print-dir stdout carries only that directory;
# progress and errors always go to stderr. Nothing of lwIP is kept in this
# repository: net/lwip.mk compiles it from the cache (see net/README.md).
#
# The source comes through apt from the same mirrors as the machine's binary
# packages: a deb-src entry is added under /etc/apt/sources.list.d/ if none
# lists the package (apt verifies the files against the signed archive).
#
# Cache: ${MINNOW_CACHE:-~/.cache/minnow}/lwip/<version>-<hash>/, hash = short
# sha256 of this script (which names the exact package version) and of
# scripts/lib/cache.sh. The fetch
# happens in a temporary folder next to it, renamed into place when complete,
# so an interrupted fetch never leaves a half cache; a lock serialises
# fetchers. A cached copy needs neither apt nor the network.
set -euo pipefail
export LC_ALL=C

readonly SOURCE_PKG=lwip
# Bookworm's version. Bump it on purpose (and re-test): the port in net/
# targets this lwIP API.
readonly DEB_VERSION=2.1.3+dfsg1-2
readonly UPSTREAM_VERSION=2.1.3
readonly DEB_SRC_FILE=/etc/apt/sources.list.d/minnow-deb-src.sources
SELF=$(readlink -f "${BASH_SOURCE[0]}")
readonly SELF
CACHE_ROOT=$(realpath -m "${MINNOW_CACHE:-$HOME/.cache/minnow}/lwip")
readonly CACHE_ROOT

say() { echo "lwip: $*" >&2; }
die() { say "error: $*"; exit 1; }

# ------------------------------------------------------------ prerequisites

# shellcheck source=scripts/lib/cache.sh
. "$(dirname "$SELF")/../scripts/lib/cache.sh"

# source_known: apt's source lists have lwip at DEB_VERSION.
source_known() {
  apt-cache showsrc --only-source "$SOURCE_PKG" 2>/dev/null |
    grep -qx "Version: $DEB_VERSION"
}

# write_deb_src: a deb-src twin of the machine's Debian entries: the same
# mirrors, suites and keys (deb822 debian.sources, or one-line sources.list).
write_deb_src() {
  local deb822=/etc/apt/sources.list.d/debian.sources
  local oneline=/etc/apt/sources.list
  need_root "apt has no deb-src entry for $SOURCE_PKG"
  if [[ -f $deb822 ]] && grep -q '^Types:.*\bdeb\b' "$deb822"; then
    sed 's/^Types:.*/Types: deb-src/' "$deb822" >"$DEB_SRC_FILE.tmp"
  elif [[ -f $oneline ]] && grep -q '^deb ' "$oneline"; then
    sed -n 's/^deb /deb-src /p' "$oneline" >"${DEB_SRC_FILE%.sources}.list"
    return 0
  else
    die "no Debian apt source found to mirror as deb-src"
  fi
  mv "$DEB_SRC_FILE.tmp" "$DEB_SRC_FILE"
}

# ensure_source_list: apt can fetch lwip DEB_VERSION as source.
ensure_source_list() {
  source_known && return 0
  [[ -f $DEB_SRC_FILE || -f ${DEB_SRC_FILE%.sources}.list ]] || {
    say "adding deb-src entries ($DEB_SRC_FILE)"
    write_deb_src
  }
  need_root "apt's source lists are missing or stale"
  say "apt-get update (source lists)..."
  run_quiet apt-get update -qq
  source_known || die "Debian's archive has no $SOURCE_PKG $DEB_VERSION" \
    "(has: $(apt-cache showsrc --only-source "$SOURCE_PKG" 2>/dev/null |
      sed -n 's/^Version: //p' | tr '\n' ' ')); update DEB_VERSION in $SELF"
}

# ------------------------------------------------------------ the cache key

# The key names the version and hashes this script (which pins it), so a
# change in how the source is prepared makes a new entry.
cache_key() {
  echo "$DEB_VERSION-$(cat "$SELF" "$CACHE_LIB" | sha256sum | cut -c1-8)"
}

# A cache directory exists only once complete (it is renamed into place
# last); SOURCEINFO is checked too, in case someone emptied it by hand.
is_complete() {
  [[ -f "$1/SOURCEINFO" && -f "$1/src/core/init.c" &&
    -f "$1/src/include/lwip/init.h" && -f "$1/src/Filelists.mk" ]]
}

# ------------------------------------------------------------ fetching

# download DL: the .dsc and its tarballs in DL (apt checks their hashes
# against the signed Sources index). _apt must be able to write DL, or apt
# warns that it downloads unsandboxed.
download() {
  local dl=$1
  mkdir -p "$dl"
  if id _apt >/dev/null 2>&1; then chown _apt "$dl"; fi
  (cd "$dl" && run_quiet apt-get source -qq --download-only \
    "$SOURCE_PKG=$DEB_VERSION")
  ls "$dl"/"${SOURCE_PKG}_${DEB_VERSION}.dsc" >/dev/null 2>&1 ||
    die "apt-get source left no .dsc in $dl"
}

# unpack DL SRC: the tree with Debian's patches applied (dpkg-source, as
# `apt-get source` would do).
unpack() {
  local dl=$1 src=$2
  run_quiet dpkg-source --no-copy -x "$dl/${SOURCE_PKG}_${DEB_VERSION}.dsc" "$src"
}

# verify SRC: it is lwIP UPSTREAM_VERSION and has what net/lwip.mk compiles.
verify() {
  local src=$1 h=$1/src/include/lwip/init.h v
  v=$(sed -n 's/^#define LWIP_VERSION_\(MAJOR\|MINOR\|REVISION\) *\([0-9]*\).*/\2/p' "$h" |
    paste -sd.)
  [[ $v == "$UPSTREAM_VERSION" ]] || die "unpacked lwIP is $v, not $UPSTREAM_VERSION"
  grep -q 'api/sockets.c' "$src/src/Filelists.mk" || die "unexpected $src/src/Filelists.mk"
}

# write_sourceinfo DL SRC
write_sourceinfo() {
  local dl=$1 src=$2
  { echo "lwIP $UPSTREAM_VERSION: Debian source package $SOURCE_PKG $DEB_VERSION"
    echo "fetched: apt-get source --download-only $SOURCE_PKG=$DEB_VERSION; dpkg-source -x"
    echo "debian patches applied: $(tr '\n' ' ' <"$src/debian/patches/series")"
    echo "sha256:"
    (cd "$dl" && sha256sum -- *.dsc *.tar.*) | sed 's/^/  /'
  } >"$src/SOURCEINFO"
}

# end_fetch WORK: the exit trap of a fetch: drop the temporary folder.
end_fetch() {
  rm -rf "$1"
}

# fetch_into DIR: a complete source tree renamed to DIR.
fetch_into() {
  local dir=$1 work start
  work=$(cache_tmpdir)
  # shellcheck disable=SC2064 # expand $work now: it is local
  trap "end_fetch '$work'" EXIT
  start=$SECONDS
  say "fetching $SOURCE_PKG $DEB_VERSION from Debian (cached afterwards)..."
  apt_install dpkg-dev xz-utils util-linux
  ensure_source_list
  download "$work/dl"
  unpack "$work/dl" "$work/src"
  verify "$work/src"
  write_sourceinfo "$work/dl" "$work/src"
  rm -rf "$dir"   # an incomplete leftover (see is_complete)
  mv -T "$work/src" "$dir"
  rm -rf "$work"
  trap - EXIT
  say "fetched in $((SECONDS - start)) s: $dir"
}

usage() {
  echo "usage: $0 [--print-dir]" >&2
  exit 2
}

main() {
  local print_dir=0 dir
  case $# in
    0) ;;
    1) if [[ $1 == --print-dir ]]; then print_dir=1; else usage; fi ;;
    *) usage ;;
  esac
  dir=$CACHE_ROOT/$(cache_key)
  cache_ensure "$dir" "lwIP fetch" is_complete fetch_into
  if ((print_dir)); then
    echo "$dir"
  else
    echo "lwIP $UPSTREAM_VERSION (Debian $SOURCE_PKG $DEB_VERSION): $dir"
  fi
}

main "$@"
