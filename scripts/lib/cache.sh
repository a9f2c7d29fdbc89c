# shellcheck shell=bash
# scripts/lib/cache.sh - shared by the scripts that fetch or build a
# third-party piece once and cache it (libc/build-newlib.sh,
# net/fetch-lwip.sh). Sourced (bash); the caller defines say, die and
# CACHE_ROOT (its folder under ${MINNOW_CACHE:-~/.cache/minnow}).
#
# A cache entry is a directory that exists only once complete: it is
# filled in a temporary folder beside it and renamed into place last, so
# an interrupted run never leaves half an entry; a lock serialises runs.

# This file, for the callers' cache keys.
# shellcheck disable=SC2034 # read by the scripts that source this one
CACHE_LIB=$(readlink -f "${BASH_SOURCE[0]}")
readonly CACHE_LIB

# installed PKG: is the Debian package installed?
installed() {
  [[ $(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null) == installed ]]
}

# need_root WHY: die saying WHY unless we are root.
need_root() {
  [[ $(id -u) -eq 0 ]] || die "$* (run as root once, or do it by hand)"
}

# run_quiet CMD...: run CMD with its output in a log shown only on failure.
run_quiet() {
  local log
  log=$(mktemp)
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    die "failed: $*"
  fi
  rm -f "$log"
}

# apt_install PKG...: install what is missing. `apt-get update` only when
# the first try fails (a fresh machine has no lists; a warm one should not
# touch the network).
apt_install() {
  local -a missing=()
  local pkg
  for pkg in "$@"; do installed "$pkg" || missing+=("$pkg"); done
  ((${#missing[@]} == 0)) && return 0
  need_root "missing packages: ${missing[*]}"
  say "installing ${missing[*]} with apt-get..."
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends "${missing[@]}" >/dev/null 2>&1 && return 0
  run_quiet apt-get update -qq
  run_quiet env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends "${missing[@]}"
}

# cache_tmpdir: a new temporary folder for filling an entry.
cache_tmpdir() {
  mktemp -d "$CACHE_ROOT/.tmp-XXXXXX"
}

# cache_prune KEEP: drop other entries unused for a week (each hit touches
# its directory) and temporary folders of killed runs (safe: the caller
# holds the lock, so no run is filling one).
cache_prune() {
  rm -rf "$CACHE_ROOT"/.tmp-*
  find "$CACHE_ROOT" -mindepth 1 -maxdepth 1 -type d -mtime +7 \
    ! -path "$1" -exec rm -rf {} +
}

# cache_ensure DIR WHAT IS_COMPLETE FILL: unless IS_COMPLETE DIR, take the
# lock (saying we wait for another WHAT) and, if still needed, FILL DIR.
cache_ensure() {
  local dir=$1 what=$2 is_complete=$3 fill=$4
  if "$is_complete" "$dir"; then
    touch "$dir"
    return 0
  fi
  mkdir -p "$CACHE_ROOT"
  exec 9>"$CACHE_ROOT/.lock"
  if ! flock -n 9; then
    say "waiting for another $what to finish..."
    flock 9
  fi
  if ! "$is_complete" "$dir"; then   # another run may have finished it
    cache_prune "$dir"
    "$fill" "$dir"
  fi
  exec 9>&-
}
