#!/usr/bin/env bash
# Minnow's testbed: real Xen 4.17 with a Debian dom0, inside QEMU (TCG).
#
#   scripts/testbed.sh prepare
#       Make sure the cached testbed exists (Xen, dom0 kernel, dom0 initramfs).
#   scripts/testbed.sh run [--stream] [--timeout SECONDS] SHARE_DIR JOB_SCRIPT
#       Boot Xen + dom0 with SHARE_DIR mounted (9p) at the same absolute path,
#       run `sh JOB_SCRIPT` in dom0, power off. Exit status: the job's, or 125
#       when the testbed itself failed (the message says why).
#   scripts/testbed.sh shell-info
#       Print where the cache is and which key the current inputs give.
#   scripts/testbed.sh clean
#       Remove cached testbeds other than the current one.
#
# Environment:
#   MINNOW_CACHE            cache root (default ~/.cache/minnow)
#   MINNOW_BOOT_TIMEOUT     seconds allowed to reach the job (default 300)
#   MINNOW_DEBIAN_MIRROR, MINNOW_DEBIAN_SECURITY_MIRROR   for debootstrap
#
# Facts this rests on: shared/notes/xen-testbed.md. QEMU always runs with
# `-nic none`: nothing inside can reach any network.
set -euo pipefail

SELF=$(realpath "${BASH_SOURCE[0]}")
readonly SELF
readonly DOM0_DIR=${SELF%/*}/testbed
readonly CACHE_ROOT=${MINNOW_CACHE:-$HOME/.cache/minnow}/testbed
readonly MIRROR=${MINNOW_DEBIAN_MIRROR:-http://deb.debian.org/debian}
readonly SECURITY_MIRROR=${MINNOW_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
readonly SUITE=bookworm
readonly XEN_PKG=xen-hypervisor-4.17-amd64
readonly KERNEL_META_PKG=linux-image-amd64
# Clients the scenarios drive guests with: ab and wrk (HTTP load),
# redis-cli/redis-benchmark (kvstore), dmsetup (failing disks).
readonly DOM0_PACKAGES=(xen-utils-4.17 xenstore-utils iproute2 kmod busybox
  iputils-ping procps apache2-utils wrk redis-tools dmsetup)
# Kernel modules copied into dom0, with what modprobe says they depend on.
readonly DOM0_MODULES=(xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xenfs
  xen-netback xen-blkback bridge loop dm-mod dm-flakey virtio_pci 9pnet_virtio
  9p)
# No `noreboot`: a dom0 crash makes Xen reboot, and -no-reboot then ends QEMU
# at once instead of leaving it hung until the timeout.
readonly XEN_CMDLINE="dom0_mem=1024M,max:1024M console=com1 com1=115200,8n1 \
loglvl=all guest_loglvl=all console_timestamps=boot"
readonly DOM0_CMDLINE="console=hvc0 earlyprintk=xen rdinit=/init quiet"
readonly EXIT_TESTBED=125   # the testbed failed, not the job

VERBOSE=1         # progress lines on stderr
TESTBED_DIR=""    # set by ensure_testbed
BASE_DIR=""       # set by ensure_base
NEW_TMP=""        # set by new_tmp_dir
JOB_RC=""         # set by wait_for_job, with the seconds (since QEMU
UP_SECS=""        # started) at which dom0 reached the job and the job ended
END_SECS=""
QEMU_PID=""
STREAM_PID=""
TMP_PATHS=()      # removed on exit

# ---------------------------------------------------------------- helpers

say() { if ((VERBOSE)); then echo "testbed: $*" >&2; fi; }
die() { echo "testbed: error: $*" >&2; exit "$EXIT_TESTBED"; }

# remove_tree DIR: unmount whatever is still mounted below DIR (a failed
# debootstrap can leave proc/sys mounted), then delete it.
remove_tree() {
  local dir=$1 mnt
  [[ -e "$dir" ]] || return 0
  awk -v d="$dir/" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r |
    while read -r mnt; do umount -l "$mnt" 2>/dev/null || true; done
  rm -rf --one-file-system "$dir"
}

on_exit() {
  local path
  stop_qemu
  for path in "${TMP_PATHS[@]}"; do remove_tree "$path"; done
}
trap on_exit EXIT
trap 'echo "testbed: interrupted" >&2; exit 130' INT TERM HUP

require_commands() {
  local cmd missing=()
  for cmd in "$@"; do
    command -v "$cmd" >/dev/null || missing+=("$cmd")
  done
  ((${#missing[@]} == 0)) ||
    die "missing ${missing[*]}: run scripts/install-deps.sh"
}

# new_tmp_dir: set NEW_TMP to a fresh folder inside the cache (same file
# system, so it can be renamed into place atomically), removed on exit unless
# renamed. (Not `$(...)`: TMP_PATHS must be updated in this shell.)
new_tmp_dir() {
  mkdir -p "$CACHE_ROOT"
  NEW_TMP=$(mktemp -d "$CACHE_ROOT/.tmp-XXXXXX")
  chmod 755 "$NEW_TMP"
  TMP_PATHS+=("$NEW_TMP")
}

# ------------------------------------------------------------ cache keys

# The concrete kernel package behind linux-image-amd64, e.g.
# linux-image-6.1.0-56-amd64.
kernel_package() {
  apt-cache show --no-all-versions "$KERNEL_META_PKG" 2>/dev/null |
    sed -n 's/^Depends: \(linux-image-[^ ,]*\).*/\1/p' | head -n 1
}

# "package=candidate-version" lines for every package the testbed uses, from
# the local apt lists (no network).
query_package_versions() {
  local kpkg
  kpkg=$(kernel_package)
  [[ -n "$kpkg" ]] || die "apt knows no $KERNEL_META_PKG: run apt-get update"
  apt-cache policy "$XEN_PKG" "$kpkg" "${DOM0_PACKAGES[@]}" |
    awk '/^[^ ]/ { pkg = $1 } /Candidate:/ { print pkg "=" $2 }' |
    sed 's/:=/=/' | LC_ALL=C sort
}

short_hash() { sha256sum | cut -c1-12; }

# package_versions: query_package_versions, remembered until apt's lists or
# sources change: each apt-cache call re-reads every list here (~0.5 s), and
# a warm `prepare` should be instant.
package_versions() {
  local stamp memo
  stamp=$({ stat -c '%n %s %Y' /var/lib/apt/lists/*_Packages* \
    /etc/apt/sources.list* /etc/apt/sources.list.d/* \
    /etc/apt/preferences* 2>/dev/null || true; } | short_hash)
  memo=$CACHE_ROOT/.versions-$stamp
  if [[ ! -s "$memo" ]]; then
    mkdir -p "$CACHE_ROOT"
    rm -f "$CACHE_ROOT"/.versions-*
    query_package_versions >"$memo.$$"
    mv "$memo.$$" "$memo"
  fi
  cat "$memo"
}

# Text of the files copied into dom0, with their modes.
dom0_files_digest() {
  (cd "$DOM0_DIR" && find . -type f -printf '%m %p\n' | LC_ALL=C sort |
    while read -r mode path; do echo "$mode $path $(sha256sum <"$path")"; done)
}

# Key of the heavy layer (hypervisor, kernel, debootstrapped root): the code
# that builds it and the package versions, not the rest of this script, so
# editing /init or the driver does not redo debootstrap.
base_key() {
  { declare -f fetch_boot_files build_dom0_root upgrade_dom0_root \
      install_modules strip_root pack_root build_base
    echo "${DOM0_PACKAGES[*]} ${DOM0_MODULES[*]}"
    echo "$1"; } | short_hash
}

# Key of the whole testbed: this script, the dom0 files, the versions.
testbed_key() {
  { cat "$SELF"; dom0_files_digest; echo "$1"; } | short_hash
}

# ------------------------------------------------------ building the base

# fetch_boot_files DIR VERSIONS: the gunzipped hypervisor as DIR/xen-4.17-amd64,
# the dom0 kernel as DIR/vmlinuz, its modules tree under DIR/kernel.
fetch_boot_files() {
  local dir=$1 versions=$2 kpkg debs
  kpkg=$(kernel_package)
  debs=$dir/debs
  mkdir -p "$debs" "$dir/xen" "$dir/kernel"
  (cd "$debs" && apt-get download -qq -o APT::Sandbox::User=root \
    "$(grep "^$XEN_PKG=" <<<"$versions")" "$(grep "^$kpkg=" <<<"$versions")") ||
    die "apt-get download of $XEN_PKG and $kpkg failed"
  dpkg-deb -x "$debs"/"$XEN_PKG"_*.deb "$dir/xen"
  dpkg-deb -x "$debs"/"$kpkg"_*.deb "$dir/kernel"
  # A multiboot ELF that `qemu -kernel` loads; QEMU cannot load the .gz.
  gunzip -c "$dir"/xen/boot/xen-4.17-amd64.gz >"$dir/xen-4.17-amd64"
  cp "$dir"/kernel/boot/vmlinuz-* "$dir/vmlinuz"
  rm -rf "$debs" "$dir/xen"
}

# build_dom0_root ROOT: Debian minbase with the Xen toolstack.
build_dom0_root() {
  local root=$1 log=$1.debootstrap.log
  local include
  include=$(IFS=,; echo "${DOM0_PACKAGES[*]}")
  debootstrap --variant=minbase --include="$include" "$SUITE" "$root" \
    "$MIRROR" >"$log" 2>&1 || {
    tail -n 20 "$log" >&2
    die "debootstrap failed (log above)"
  }
}

# upgrade_dom0_root ROOT: debootstrap takes only the release suite; bring in
# the security and point updates so dom0's tools match the hypervisor.
upgrade_dom0_root() {
  local root=$1 log=$1.upgrade.log
  cat >"$root/etc/apt/sources.list" <<EOF
deb $MIRROR $SUITE main
deb $MIRROR $SUITE-updates main
deb $SECURITY_MIRROR $SUITE-security main
EOF
  # Keep package scripts from starting daemons inside the chroot.
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
  chmod +x "$root/usr/sbin/policy-rc.d"
  { chroot "$root" apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get -y -qq \
      -o Dpkg::Use-Pty=0 upgrade; } >"$log" 2>&1 || {
    tail -n 20 "$log" >&2
    die "upgrading the dom0 root failed (log above)"
  }
  chroot "$root" apt-get clean
  rm -f "$root/usr/sbin/policy-rc.d"
}

# install_modules KERNEL_TREE ROOT: copy DOM0_MODULES and their dependencies
# from the kernel package's tree into ROOT, then index them with depmod.
install_modules() {
  local ktree=$1 root=$2 kver mod ko
  kver=$(ls "$ktree/lib/modules")
  depmod -b "$ktree" "$kver"   # the .deb ships no modules.dep
  for mod in "${DOM0_MODULES[@]}"; do
    modprobe -S "$kver" -d "$ktree" --show-depends "$mod" |
      awk '$1 == "insmod" { print $2 }'
  done | sort -u | while read -r ko; do
    mkdir -p "$root/$(dirname "${ko#"$ktree"/}")"
    cp "$ko" "$root/${ko#"$ktree"/}"
  done
  cp "$ktree/lib/modules/$kver"/modules.{order,builtin,builtin.modinfo} \
    "$root/lib/modules/$kver/"
  depmod -b "$root" "$kver"
}

# strip_root ROOT: drop what a dom0 that only runs xl never reads, to keep
# the initramfs (decompressed by an emulated CPU at every boot) small.
# Python serves only pygrub, which PV guests booted with kernel= do not use.
strip_root() {
  local root=$1
  rm -rf "$root"/usr/share/{doc,man,info,locale,lintian,bug,bash-completion} \
    "$root"/var/cache/apt/* "$root"/var/lib/apt/lists/* "$root"/var/log/* \
    "$root"/usr/lib/python3* "$root"/usr/bin/python3* "$root"/etc/resolv.conf
}

# pack_root ROOT OUT: the root as a newc cpio archive, gzipped.
pack_root() {
  (cd "$1" && find . -print0 | LC_ALL=C sort -z |
    cpio --null -o -H newc -R 0:0 --quiet) | gzip -6 >"$2"
}

# build_base DIR VERSIONS: the heavy layer: boot files and dom0-base.cpio.gz.
build_base() {
  local dir=$1 versions=$2 root=$1/root
  say "fetching Xen and kernel packages..."
  fetch_boot_files "$dir" "$versions"
  say "building dom0 root (debootstrap, ~3 min, cached afterwards)..."
  build_dom0_root "$root"
  upgrade_dom0_root "$root"
  install_modules "$dir/kernel" "$root"
  chroot "$root" dpkg-query -W "${DOM0_PACKAGES[@]}" >"$dir/dom0-packages.txt"
  strip_root "$root"
  say "packing dom0 initramfs..."
  pack_root "$root" "$dir/dom0-base.cpio.gz"
  remove_tree "$root"
  rm -rf "$dir/kernel" "$root".*.log
}

# ensure_base VERSIONS: set BASE_DIR to a complete base layer.
ensure_base() {
  local versions=$1
  BASE_DIR=$CACHE_ROOT/base-$(base_key "$versions")
  [[ -d "$BASE_DIR" ]] && return 0
  new_tmp_dir
  build_base "$NEW_TMP" "$versions"
  mv -T "$NEW_TMP" "$BASE_DIR"
}

# ------------------------------------------------ assembling the testbed

# pack_overlay OUT: the files of scripts/testbed/rootfs as a cpio.gz that
# Linux unpacks over the base (both archives are concatenated).
pack_overlay() {
  new_tmp_dir
  cp -a "$DOM0_DIR/rootfs/." "$NEW_TMP/"
  chmod -R u+rwX,go+rX,go-w "$NEW_TMP"
  pack_root "$NEW_TMP" "$1"
  remove_tree "$NEW_TMP"
}

# build_testbed DIR BASE VERSIONS KEY
build_testbed() {
  local dir=$1 base=$2 versions=$3 key=$4
  pack_overlay "$dir/overlay.cpio.gz"
  cat "$base/dom0-base.cpio.gz" "$dir/overlay.cpio.gz" >"$dir/dom0.cpio.gz"
  rm "$dir/overlay.cpio.gz"
  # Hard links: the boot files exist once on disk.
  ln "$base/xen-4.17-amd64" "$base/vmlinuz" "$dir/"
  { echo "key: $key"; echo "base: $base"; echo "$versions"; echo "dom0:"
    cat "$base/dom0-packages.txt"; } >"$dir/info.txt"
}

# ensure_testbed: set TESTBED_DIR to a complete testbed, building what is
# missing. Builds go to a temporary folder renamed into place at the end, so
# an interrupted build never leaves a half cache; a lock serialises builders.
ensure_testbed() {
  local versions key
  versions=$(package_versions)
  grep -q '=(none)$' <<<"$versions" &&
    die "no candidate for: $(grep '=(none)$' <<<"$versions" | tr '\n' ' ')(apt-get update?)"
  key=$(testbed_key "$versions")
  TESTBED_DIR=$CACHE_ROOT/$key
  [[ -d "$TESTBED_DIR" ]] && return 0

  require_commands debootstrap cpio gzip depmod modprobe dpkg-deb apt-get flock
  mkdir -p "$CACHE_ROOT"
  exec 9>"$CACHE_ROOT/.lock"
  flock 9
  if [[ ! -d "$TESTBED_DIR" ]]; then
    ensure_base "$versions"
    new_tmp_dir
    local tmp=$NEW_TMP
    build_testbed "$tmp" "$BASE_DIR" "$versions" "$key"
    mv -T "$tmp" "$TESTBED_DIR"
    say "ready: $TESTBED_DIR"
    prune_cache
  fi
  exec 9>&-
}

# prune_cache: drop testbeds and bases unused for a week (a run touches its
# testbed, a build its base), so edits to these scripts do not pile up
# ~50 MB folders. `clean` drops all but the current ones at once.
prune_cache() {
  local entry
  touch "$BASE_DIR"
  find "$CACHE_ROOT" -mindepth 1 -maxdepth 1 -type d -mtime +7 -print |
    while read -r entry; do remove_tree "$entry"; done
}

# ------------------------------------------------------------ running

stop_qemu() {
  [[ -n "$QEMU_PID" ]] || return 0
  if kill -0 "$QEMU_PID" 2>/dev/null; then
    kill -TERM "$QEMU_PID" 2>/dev/null || true
    for _ in $(seq 50); do
      kill -0 "$QEMU_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$QEMU_PID" 2>/dev/null || true
  fi
  wait "$QEMU_PID" 2>/dev/null || true
  QEMU_PID=""
}

# check_path WHAT PATH: paths travel inside QEMU's comma-separated options and
# the space-separated kernel command line.
check_path() {
  [[ "$2" == /* ]] || die "$1 must be an absolute path: $2"
  [[ "$2" != *[[:space:],]* ]] || die "$1 must not contain spaces or commas: $2"
}

# start_qemu SHARE JOB LOG QEMU_ERR: boot Xen + dom0 in the background.
start_qemu() {
  local share=$1 job=$2 log=$3 err=$4
  : >"$log"
  qemu-system-x86_64 \
    -accel tcg,thread=multi -cpu qemu64,+svm -m 2048 -smp 2 \
    -nographic -display none -no-reboot -nic none -monitor none -parallel none \
    -serial "file:$log" \
    -virtfs "local,path=$share,mount_tag=host,security_model=none,id=host,multidevs=remap" \
    -kernel "$TESTBED_DIR/xen-4.17-amd64" \
    -append "$XEN_CMDLINE" \
    -initrd "$TESTBED_DIR/vmlinuz $DOM0_CMDLINE minnow.share=$share minnow.job=$job,$TESTBED_DIR/dom0.cpio.gz" \
    </dev/null >"$err" 2>&1 &
  QEMU_PID=$!
}

# stream_job_lines: serial lines in, job lines (prefix removed) out.
stream_job_lines() {
  local line
  while IFS= read -r line; do
    # Xen turns \n into \r\n, guest logs bring their own \r: drop them all.
    while [[ "$line" == *$'\r' ]]; do line=${line%$'\r'}; done
    case "$line" in
      '|| '*) printf '%s\n' "${line#'|| '}" ;;
      '||') echo ;;
      *MINNOW-JOB-START*) say "dom0 is up, running job" ;;
    esac
  done
}

# marker_value LOG MARKER: the text after MARKER on the last console line
# (not a job line) that holds it; fails if there is none.
marker_value() {
  tr -d '\r' <"$1" | awk -v m="$2" '
    !/^\|\| ?/ && (i = index($0, m)) { v = substr($0, i + length(m)); found = 1 }
    END { if (!found) exit 1; print v }'
}

# fail_run LOG QEMU_ERR MESSAGE: report a testbed failure with context.
fail_run() {
  stop_qemu
  {
    echo "testbed: error: $3"
    # QEMU's own words, less the line about the signal we sent it.
    if grep -qv 'terminating on signal' "$2"; then
      echo "--- QEMU said:"
      grep -v 'terminating on signal' "$2"
    fi
    echo "--- last 30 lines of $1:"
    tail -n 30 "$1" | tr -d '\r'
  } >&2
  exit "$EXIT_TESTBED"
}

# read_job_rc LOG: if the job has ended, set JOB_RC and END_SECS and succeed.
read_job_rc() {
  local value
  value=$(marker_value "$1" "MINNOW-JOB-END rc=") || return 1
  JOB_RC=${value%%[!0-9]*}   # a kernel message may trail on the same line
  [[ -n "$JOB_RC" ]] || JOB_RC=$EXIT_TESTBED
  END_SECS=$SECONDS
}

# wait_for_job LOG QEMU_ERR TIMEOUT: watch QEMU until the job ends (then
# JOB_RC is set); on failure (QEMU died, dom0 stalled, time ran out) report
# and exit.
wait_for_job() {
  local log=$1 err=$2 timeout=$3 boot_timeout=${MINNOW_BOOT_TIMEOUT:-300}
  local started=0 status
  ((boot_timeout < timeout)) || boot_timeout=$timeout
  while :; do
    read_job_rc "$log" && return 0
    if ((!started)) && marker_value "$log" MINNOW-JOB-START >/dev/null; then
      started=1
      UP_SECS=$SECONDS
    fi
    if ! kill -0 "$QEMU_PID" 2>/dev/null; then
      wait "$QEMU_PID" && status=0 || status=$?
      QEMU_PID=""
      # The end marker may have landed just before QEMU quit.
      read_job_rc "$log" && return 0
      local why
      why=$(marker_value "$log" "MINNOW-DOM0-FAILED: ") &&
        fail_run "$log" "$err" "dom0 setup failed: $why"
      ((started)) &&
        fail_run "$log" "$err" "QEMU exited (status $status) while the job ran, before MINNOW-JOB-END (dom0 or Xen crashed?)"
      fail_run "$log" "$err" "QEMU exited (status $status) before dom0 reached the job"
    fi
    ((started || SECONDS < boot_timeout)) ||
      fail_run "$log" "$err" "dom0 never reached the job within $boot_timeout s"
    ((SECONDS < timeout)) ||
      fail_run "$log" "$err" "the job timed out: no MINNOW-JOB-END within $timeout s (QEMU killed)"
    sleep 0.5
  done
}

# wait_qemu_exit: after the job, dom0 powers off; give QEMU 30 s to go.
wait_qemu_exit() {
  for _ in $(seq 300); do
    kill -0 "$QEMU_PID" 2>/dev/null || break
    sleep 0.1
  done
  stop_qemu
}

cmd_run() {
  local stream=0 timeout=600
  while (($#)); do
    case "$1" in
      --stream) stream=1; shift ;;
      --timeout) [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || die "--timeout needs seconds"
        timeout=$2; shift 2 ;;
      --) shift; break ;;
      -*) die "unknown option $1" ;;
      *) break ;;
    esac
  done
  (($# == 2)) || die "usage: testbed.sh run [--stream] [--timeout SECONDS] SHARE_DIR JOB_SCRIPT"
  [[ -d "$1" ]] || die "no such folder: $1"
  [[ -f "$2" ]] || die "no such job script: $2"
  local share job
  share=$(realpath "$1")
  job=$(realpath "$2")
  check_path SHARE_DIR "$share"
  check_path JOB_SCRIPT "$job"
  [[ "$job" == "$share"/* ]] || die "JOB_SCRIPT $job is not inside SHARE_DIR $share"
  require_commands qemu-system-x86_64 awk

  VERBOSE=$stream
  ensure_testbed
  touch "$TESTBED_DIR"   # in use: keep it from prune_cache
  local log err
  log=$(dirname "$job")/serial.log
  err=$(mktemp /tmp/minnow-qemu.XXXXXX)
  TMP_PATHS+=("$err")
  say "booting Xen 4.17 and dom0 in QEMU..."
  SECONDS=0
  start_qemu "$share" "$job" "$log" "$err"
  if ((stream)); then
    # tail stops by itself once QEMU is gone, after reading the last lines.
    tail -n +1 -F --pid="$QEMU_PID" "$log" 2>/dev/null | stream_job_lines &
    STREAM_PID=$!
  fi
  wait_for_job "$log" "$err" "$timeout"
  wait_qemu_exit
  [[ -z "$STREAM_PID" ]] || wait "$STREAM_PID" || true
  say "job finished with status $JOB_RC (dom0 up at ${UP_SECS:-?} s, job ended at $END_SECS s, QEMU gone at $SECONDS s)"
  exit "$JOB_RC"
}

# ------------------------------------------------------------ the rest

cmd_prepare() {
  ensure_testbed
}

cmd_shell_info() {
  local versions key line
  versions=$(package_versions)
  key=$(testbed_key "$versions")
  echo "cache:   $CACHE_ROOT"
  echo "key:     $key"
  echo "testbed: $CACHE_ROOT/$key ($([[ -d "$CACHE_ROOT/$key" ]] && echo ready || echo 'not built'))"
  echo "base:    $CACHE_ROOT/base-$(base_key "$versions")"
  echo "packages:"
  while read -r line; do echo "  $line"; done <<<"$versions"
}

cmd_clean() {
  local versions keep_key keep_base entry
  versions=$(package_versions)
  keep_key=$(testbed_key "$versions")
  keep_base=base-$(base_key "$versions")
  for entry in "$CACHE_ROOT"/* "$CACHE_ROOT"/.tmp-*; do
    [[ -e "$entry" ]] || continue
    case "${entry##*/}" in "$keep_key" | "$keep_base") continue ;; esac
    say "removing $entry"
    remove_tree "$entry"
  done
}

main() {
  local cmd=${1:-}
  (($#)) && shift
  case "$cmd" in
    prepare) cmd_prepare "$@" ;;
    run) cmd_run "$@" ;;
    shell-info) cmd_shell_info "$@" ;;
    clean) cmd_clean "$@" ;;
    *) die "usage: testbed.sh prepare | run [--stream] [--timeout S] SHARE_DIR JOB_SCRIPT | shell-info | clean" ;;
  esac
}

main "$@"
