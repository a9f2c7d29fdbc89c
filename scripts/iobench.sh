#!/usr/bin/env bash
# iobench.sh - Minnow's network and disk benchmarks next to the same work
# in a Linux PV guest, both on the same Xen in one testbed boot
# (`make iobench`).
#
#   scripts/iobench.sh [--seconds N] [--update-docs]
#
#   --seconds N     length of each timed run (1-60, default 5)
#   --reps N        run both sides N times, in turns (1-9, default 1); a
#                   cell is the median over the N runs
#   --update-docs   also rewrite the I/O results part of docs/BENCHMARKS.md
#   --results DIR   only (re)write the results of an earlier run folder
#
# Minnow side: examples/netbench (UDP echo 7, TCP discard 9, TCP source
# 19), examples/httpd, examples/blkbench and examples/kvstore, one guest
# after the other. Linux side: one guest running Debian's kernel (the
# testbed's) with bench/linux/io.c as /init: the same services (plus a
# small HTTP/1.1 server for the same index.html) and the same disk runs.
# dom0 drives both with the same tools: bench/dom0/netclient.c (built
# here, statically), wrk and redis-benchmark. Each side's disk is a fresh
# 128 MiB image in dom0's memory, attached the same way.
#
# Results: build/iobench-run/<stamp>/results.md (and the guests' console
# logs and every client's output under out/). A row one side could not
# measure shows "—" and a note, never a failure.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly ROOT
BUILD=${BUILD:-$ROOT/build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
readonly BUILD
readonly DOC=$ROOT/docs/BENCHMARKS.md
readonly DOC_BEGIN='<!-- io results begin: written by scripts/iobench.sh --update-docs -->'
readonly DOC_END='<!-- io results end -->'
readonly APPS=(netbench httpd blkbench kvstore pktgen)
readonly LINUX_MEMORY=256
readonly DISK_MIB=128

SECS=5
REPS=1
UPDATE_DOCS=0
RUN="" OUT="" RUN_DATE=""
NOTES=()

say() { echo "iobench: $*" >&2; }
die() { echo "iobench: error: $*" >&2; exit 1; }
note() { NOTES+=("$*"); say "note: $*"; }

parse_args() {
  while (($#)); do
    case $1 in
      --seconds) [[ "${2:-}" =~ ^[0-9]+$ ]] && (($2 >= 1 && $2 <= 60)) ||
          die "--seconds needs 1-60"
        SECS=$2; shift 2 ;;
      --reps) [[ "${2:-}" =~ ^[1-9]$ ]] || die "--reps needs 1-9"
        REPS=$2; shift 2 ;;
      --update-docs) UPDATE_DOCS=1; shift ;;
      --results) [[ -d "${2:-}/out" ]] || die "--results needs a run folder"
        RUN=$(cd "$2" && pwd); OUT=$RUN/out; shift 2 ;;
      -h | --help) sed -n '2,/^$/{s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}" >&2; exit 2 ;;
      *) die "unknown argument $1" ;;
    esac
  done
}

# ------------------------------------------------------------ preparing

# testbed_dir: the testbed's cache folder (vmlinuz, info.txt).
testbed_dir() {
  "$ROOT/scripts/testbed.sh" prepare >&2
  "$ROOT/scripts/testbed.sh" shell-info | sed -n 's/^testbed: *\([^ ]*\) (ready)$/\1/p'
}

prepare() {
  local tb kspec cpio app
  "$ROOT/scripts/install-deps.sh"
  for app in "${APPS[@]}"; do
    make -C "$ROOT" -s --no-print-directory BUILD="$BUILD" "$app" ||
      die "make $app failed"
  done
  RUN=$BUILD/iobench-run/$(date +%Y%m%d-%H%M%S)
  RUN_DATE=$(date -u '+%Y-%m-%d %H:%M UTC')
  OUT=$RUN/out
  mkdir -p "$OUT"
  ln -sfn "${RUN##*/}" "$BUILD/iobench-run/latest"
  gcc -std=gnu11 -O2 -Wall -Wextra -Werror -static -o "$RUN/netclient" \
    "$ROOT/bench/dom0/netclient.c" || die "building bench/dom0/netclient.c failed"
  tb=$(testbed_dir)
  [[ -f "$tb/vmlinuz" && -f "$tb/info.txt" ]] || die "no testbed in $tb"
  kspec=$(grep -m1 '^linux-image-[^=]*=' "$tb/info.txt") ||
    die "$tb/info.txt names no kernel package"
  cpio=$("$ROOT/bench/linux/build-io.sh" "$kspec" --print-path) ||
    die "building the Linux guest's initramfs failed"
  cp "$tb/vmlinuz" "$RUN/vmlinuz"
  cp "$cpio" "$RUN/io-init.cpio.gz"
  echo "$kspec" >"$RUN/kernel.txt"
  # The Linux redis-server's filesystem (its append-only file), copied
  # fresh to dom0's memory for each run.
  truncate -s 64M "$RUN/redis-ext4.img"
  mkfs.ext4 -q -F "$RUN/redis-ext4.img" || die "mkfs.ext4 failed"
  write_linux_xl >"$RUN/linux-io.xl"
  write_job >"$RUN/job.sh"
}

write_linux_xl() {
  cat <<EOF
# Linux guest of the I/O benchmarks, written by scripts/iobench.sh
name = "linux-io"
type = "pv"
kernel = "$RUN/vmlinuz"
ramdisk = "$RUN/io-init.cpio.gz"
extra = "console=hvc0 quiet bench_ip=10.0.0.62/24 bench_disk=$DISK_MIB,$SECS bench_rawtx=$SECS"
memory = $LINUX_MEMORY
vcpus = 1
vif = [ "bridge=xenbr0" ]
disk = [ "/tmp/iobench/linux.img,raw,xvda,rw",
         "/tmp/iobench/linux-redis.img,raw,xvdb,rw" ]
on_poweroff = "destroy"
on_reboot = "destroy"
on_crash = "destroy"
EOF
}

# ------------------------------------------------------------ the job

write_job() {
  cat <<EOF
# Written by scripts/iobench.sh: runs in the testbed's dom0.
[ -n "\${BASH_VERSION:-}" ] || exec bash "\$0" "\$@"
OUT='$OUT'
RUN='$RUN'
BUILD='$BUILD'
SECS=$SECS
REPS=$REPS
DISK_MIB=$DISK_MIB
EOF
  cat <<'EOF'
NC=$RUN/netclient
mkdir -p /tmp/iobench
ip addr add 10.0.0.1/24 dev xenbr0 2>/dev/null
ip link set xenbr0 up

# new_disk FILE: a fresh DISK_MIB image in dom0's memory, its pages
# allocated up front (so writes measure the frontends, not tmpfs
# allocating pages on first touch).
new_disk() {
  rm -f "$1"
  fallocate -l "${DISK_MIB}M" "$1" 2>/dev/null ||
    dd if=/dev/zero of="$1" bs=1M count="$DISK_MIB" 2>/dev/null
}

# wait_for NAME TEXT SECONDS: until guest NAME's console shows TEXT.
wait_for() {
  local i
  for ((i = 0; i < $3 * 4; i++)); do
    grep -q "$2" "/var/log/xen/console/guest-$1.log" 2>/dev/null && return 0
    sleep 0.25
  done
  echo "no '$2' from $1 after $3 s" >>"$OUT/job-errors.txt"
  return 1
}

# start CFG NAME [XL OVERRIDES...]: run a guest in the background.
start() {
  local cfg=$1 name=$2
  shift 2
  minnow-run-guest "$cfg" 900 "$OUT" "name=\"$name\"" "$@" &
  GUEST_PID=$!
}

# stop NAME: end it (destroy if it does not shut down) and wait.
stop() {
  xl shutdown "$1" 2>/dev/null
  for _ in $(seq 40); do xl domid "$1" >/dev/null 2>&1 || break; sleep 0.5; done
  xl destroy "$1" 2>/dev/null
  wait "$GUEST_PID"
}

# net_runs TAG IP: the network clients against one guest (TAG: side-rep).
net_runs() {
  $NC udp "$2" 64 1 "$SECS" >"$OUT/$1.udp1.txt" 2>&1
  $NC udp "$2" 64 32 "$SECS" >"$OUT/$1.udp32.txt" 2>&1
  $NC tcp-send "$2" "$SECS" >"$OUT/$1.tcp-send.txt" 2>&1
  $NC tcp-recv "$2" "$SECS" >"$OUT/$1.tcp-recv.txt" 2>&1
}

# http_run SIDE IP: wrk against its web server.
http_run() {
  timeout $((SECS + 60)) wrk -t2 -c50 -d"${SECS}s" "http://$2:80/index.html" \
    >"$OUT/$1.wrk.txt" 2>&1
}

# redis_run SIDE IP: redis-benchmark SET and GET.
redis_run() {
  timeout 300 redis-benchmark -h "$2" -t set,get -n 20000 -c 50 -d 64 -q \
    >"$OUT/$1.redis.txt" 2>&1
}

# minnow_side N: run N of the Minnow guests.
minnow_side() {
  local t=minnow-$1
  new_disk /tmp/iobench/minnow.img
  minnow-run-guest "$BUILD/blkbench/blkbench.xl" 600 "$OUT" \
    "name=\"$t-blk\"" "extra=\"$DISK_MIB $SECS\"" \
    'disk=["/tmp/iobench/minnow.img,raw,xvda,rw"]'
  minnow-run-guest "$BUILD/pktgen/pktgen.xl" 120 "$OUT" "name=\"$t-pkt\"" \
    "extra=\"$SECS\""
  start "$BUILD/netbench/netbench.xl" "$t-net" 'extra="10.0.0.61/24"'
  wait_for "$t-net" 'netbench: ready' 60 && net_runs "$t" 10.0.0.61
  stop "$t-net"
  start "$BUILD/httpd/httpd.xl" "$t-http" 'extra="10.0.0.63/24"'
  wait_for "$t-http" 'httpd: ready' 60 && http_run "$t" 10.0.0.63
  stop "$t-http"
  new_disk /tmp/iobench/minnow.img
  start "$BUILD/kvstore/kvstore.xl" "$t-kv" 'extra="10.0.0.64/24"' \
    'disk=["/tmp/iobench/minnow.img,raw,xvda,rw"]'
  wait_for "$t-kv" 'kvstore: ready' 60 && redis_run "$t" 10.0.0.64
  stop "$t-kv"
  rm -f /tmp/iobench/minnow.img
}

# linux_side N: run N of the Linux guest (disk runs at its boot).
linux_side() {
  local t=linux-$1
  new_disk /tmp/iobench/linux.img
  cp --sparse=always "$RUN/redis-ext4.img" /tmp/iobench/linux-redis.img
  start "$RUN/linux-io.xl" "$t-io"
  if wait_for "$t-io" 'linux-io: ready' 400; then
    net_runs "$t" 10.0.0.62
    http_run "$t" 10.0.0.62
    grep -q 'redis-server ready' "/var/log/xen/console/guest-$t-io.log" &&
      redis_run "$t" 10.0.0.62
  fi
  xl destroy "$t-io" 2>/dev/null
  wait "$GUEST_PID"
  rm -f /tmp/iobench/linux.img /tmp/iobench/linux-redis.img
}

xl info >"$OUT/xl-info.txt" 2>&1
for ((i = 1; i <= REPS; i++)); do
  minnow_side "$i"
  linux_side "$i"
done
echo "iobench job done"
EOF
}

run_job() {
  local rc=0
  if pgrep -f '^qemu-system-' >/dev/null; then
    note "another QEMU was running when the job started: figures are disturbed"
  fi
  say "running the job on the testbed (serial log: $RUN/serial.log)"
  "$ROOT/scripts/testbed.sh" run --stream --timeout 3000 "$BUILD" "$RUN/job.sh" || rc=$?
  ((rc == 0)) || note "the testbed job failed (status $rc): see $RUN/serial.log"
  [[ ! -s "$OUT/job-errors.txt" ]] || while read -r l; do note "$l"; done <"$OUT/job-errors.txt"
}

# ------------------------------------------------------------ results

# field FILE KEY: KEY=value from a netclient line.
field() {
  sed -n "s/.*\b$2=\([0-9.]*\).*/\1/p" "$OUT/$1" 2>/dev/null | head -n 1
}

# bench_line TAG KEY: "bench: KEY VALUE UNIT" from the consoles of run
# TAG's guests (blkbench, pktgen, the Linux guest).
bench_line() {
  cat "$OUT/$1"-*.console.log 2>/dev/null | tr -d '\r' |
    sed -n "s/^bench: $2 \([0-9.]*\) .*/\1/p" | head -n 1
}

# value SIDE ROW: the number for one cell (the median over the runs that
# have one), or nothing.
value() {
  local i
  for ((i = 1; i <= REPS; i++)); do
    value_raw "$1-$i" "$2" || true
  done | sort -g | awk '{ v[NR] = $1 }
    END { if (NR % 2) print v[(NR + 1) / 2]
          else if (NR) printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

value_raw() {
  local s=$1
  case $2 in
    udp_rr_rate) field "$s.udp1.txt" rate ;;
    udp_rr_p50) field "$s.udp1.txt" p50_us ;;
    udp_w32_rate) field "$s.udp32.txt" rate ;;
    tcp_to_guest) field "$s.tcp-send.txt" mbit_s ;;
    tcp_from_guest) field "$s.tcp-recv.txt" mbit_s ;;
    http_wrk) sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$OUT/$s.wrk.txt" 2>/dev/null ;;
    redis_set | redis_get)
      [[ -f "$OUT/$s.redis.txt" ]] && tr '\r' '\n' <"$OUT/$s.redis.txt" |
        sed -n "s/^${2#redis_}: \([0-9.]*\) requests per second.*/\1/Ip" | head -n 1 ;;
    *) bench_line "$s" "$2" ;;
  esac
}

# Rows: key, what, unit, and whether more is better (1) or less (0).
readonly ROWS=(
  "udp_rr_rate|UDP 64 B request/response, 1 in flight|req/s|1"
  "udp_rr_p50|UDP 64 B round trip, median|µs|0"
  "udp_w32_rate|UDP 64 B request/response, 32 in flight|req/s|1"
  "tcp_to_guest|TCP bulk, dom0 → guest|Mbit/s|1"
  "tcp_from_guest|TCP bulk, guest → dom0|Mbit/s|1"
  "http_wrk|HTTP GET /index.html, wrk 2 threads × 50 connections|req/s|1"
  "raw_tx_60|raw 60-byte frames sent through netfront, batches of 32|frames/s|1"
  "disk_seq_write_1m|disk: 1 MiB sequential writes, then a flush|MB/s|1"
  "disk_seq_read_1m|disk: 1 MiB sequential reads|MB/s|1"
  "disk_rand4k_qd1|disk: 4 KiB random reads, queue depth 1|IOPS|1"
  "disk_rand4k_qd1_latency|disk: 4 KiB random read latency at QD1, median|µs|0"
  "disk_rand4k_qd32|disk: 4 KiB random reads, queue depth 32|IOPS|1"
  "redis_set|redis-benchmark SET (64 B values, 50 clients)|req/s|1"
  "redis_get|redis-benchmark GET|req/s|1"
)

# advantage M L BETTER: how many times better Minnow is (>1: Minnow ahead).
advantage() {
  [[ -n "$1" && -n "$2" ]] || { echo "—"; return; }
  awk -v m="$1" -v l="$2" -v b="$3" 'BEGIN {
    if (m <= 0 || l <= 0) { print "—"; exit }
    printf "%.2fx\n", b ? m / l : l / m }'
}

results_section() {
  local r key what unit better m l
  echo "Run ${RUN_DATE:-?}, commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo ?), ${SECS} s per timed run, $REPS run(s) of each side (medians)."
  echo
  echo "| benchmark | unit | Minnow | Linux PV guest | Minnow advantage |"
  echo "| --- | --- | ---: | ---: | ---: |"
  for r in "${ROWS[@]}"; do
    IFS='|' read -r key what unit better <<<"$r"
    m=$(value minnow "$key")
    l=$(value linux "$key")
    echo "| $what (\`$key\`) | $unit | ${m:-—} | ${l:-—} | $(advantage "$m" "$l" "$better") |"
  done
  echo
  echo "\"Minnow advantage\" is Minnow / Linux for rates and Linux / Minnow for times: above 1x, Minnow is ahead."
  if ((${#NOTES[@]})); then
    echo
    echo "Notes:"
    printf -- '- %s\n' "${NOTES[@]}"
  fi
}

check_rows() {
  local r key m l
  for r in "${ROWS[@]}"; do
    key=${r%%|*}
    m=$(value minnow "$key")
    l=$(value linux "$key")
    [[ -n $m ]] || note "no Minnow value for $key"
    [[ -n $l ]] || note "no Linux value for $key"
  done
}

update_docs() {
  grep -qxF "$DOC_BEGIN" "$DOC" && grep -qxF "$DOC_END" "$DOC" ||
    die "$DOC lacks the marker lines $DOC_BEGIN and $DOC_END"
  { awk -v m="$DOC_BEGIN" '{ print } $0 == m { exit }' "$DOC"
    echo
    echo "$1"
    echo
    awk -v m="$DOC_END" '$0 == m { on = 1 } on { print }' "$DOC"; } >"$DOC.tmp"
  mv "$DOC.tmp" "$DOC"
  say "updated $DOC"
}

main() {
  local section
  parse_args "$@"
  SECONDS=0
  if [[ -z $RUN ]]; then
    prepare
    run_job
  else
    RUN_DATE=$(date -u -r "$RUN/job.sh" '+%Y-%m-%d %H:%M UTC')
    SECS=$(sed -n 's/^SECS=//p' "$RUN/job.sh")
    REPS=$(sed -n 's/^REPS=//p' "$RUN/job.sh")
    REPS=${REPS:-1}
  fi
  check_rows
  section=$(results_section)
  { echo "# Minnow and a Linux PV guest: network and disk"; echo; echo "$section"; } >"$RUN/results.md"
  ((UPDATE_DOCS)) && update_docs "$section"
  cat "$RUN/results.md"
  say "results in $RUN/results.md (the whole run took $SECONDS s)"
}

main "$@"
