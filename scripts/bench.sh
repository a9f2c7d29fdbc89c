#!/usr/bin/env bash
# bench.sh - Minnow's micro-benchmarks next to the same ones in a Linux PV
# guest, both run on the same Xen in one testbed boot (`make bench`).
#
#   scripts/bench.sh [--reps N] [--update-docs]
#
#   --reps N        boot each bench guest N times (1-9, default 1), in
#                   turns; a row shows the median over the N runs of each
#                   run's median
#   --update-docs   also rewrite the results part of docs/BENCHMARKS.md
#
# Steps: build hello and bench (make), the Linux guest's initramfs
# (bench/linux/build.sh); copy the testbed's Debian kernel and that
# initramfs into build/bench-run/<stamp>/ with an xl config; run ONE
# testbed job that, in one dom0 boot, runs the Minnow bench guest, the
# Linux bench guest (timing each from `xl create` to its first console
# output) and finds the smallest memory in which hello boots; then read
# the consoles here and write results.md and results.json next to them.
#
# A Minnow bench that is not built, or a key one side did not print, gives
# "—" in its cell and a note, never a failure. Every wait is bounded: each
# guest has a timeout, and so has the testbed as a whole.
#
# Environment: BUILD (default build/), MINNOW_CACHE (see testbed.sh).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly ROOT
BUILD=${BUILD:-$ROOT/build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
readonly BUILD
readonly DOC=$ROOT/docs/BENCHMARKS.md
readonly DOC_MARKER='<!-- results: everything below is written by scripts/bench.sh --update-docs -->'

# Rows of the table, in order: what the guests print, then what the job
# measures around them.
readonly KEYS=(yield condvar_pingpong thread_create_join mutex_uncontended
  malloc_free_64 malloc_free_4k page_alloc_free event_notify null_hypercall
  boot_to_main)
readonly ROWS=("${KEYS[@]}" create_to_first_output)

readonly BENCH_TIMEOUT=300       # s, one bench guest from create to its end
readonly HELLO_TIMEOUT=45        # s, one hello guest in the memory search
readonly HELLO_MEMORY="2 3 4 6 8 12 16 32"   # MB tried, smallest first
readonly LINUX_MEMORY=128        # MB for the Linux bench guest

REPS=1
UPDATE_DOCS=0
MINNOW_CFG=""     # build/microbench/microbench.xl when it was built by this run
HELLO_CFG=""      # build/hello/hello.xl, the same
RUN=""            # build/bench-run/<stamp>
RUN_DATE=""       # when the run started (UTC)
OUT=""            # $RUN/out: what the job wrote
NOTES=()          # lines for the Notes section of the results

say() { echo "bench: $*" >&2; }
die() { echo "bench: error: $*" >&2; exit 1; }
note() { NOTES+=("$*"); say "note: $*"; }

usage() {
  sed -n '2,/^$/{s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}" >&2
  exit 2
}

parse_args() {
  while (($#)); do
    case $1 in
      --reps) [[ "${2:-}" =~ ^[1-9]$ ]] || die "--reps needs 1-9"
        REPS=$2; shift 2 ;;
      --update-docs) UPDATE_DOCS=1; shift ;;
      -h | --help) usage ;;
      *) echo "bench: unknown argument $1" >&2; usage ;;
    esac
  done
}

# ------------------------------------------------------------ preparing

# build_guests: hello is needed for its size and memory; bench is optional
# (written separately): when it does not build, its column stays empty.
# A stale image from an earlier build is never used.
build_guests() {
  "$ROOT/scripts/install-deps.sh"
  if make -C "$ROOT" -s --no-print-directory BUILD="$BUILD" hello; then
    HELLO_CFG=$BUILD/hello/hello.xl
  else
    note "make hello failed: no hello size or memory"
  fi
  if [[ ! -d "$ROOT/examples/microbench" ]]; then
    note "examples/microbench does not exist: the Minnow column is empty"
  elif make -C "$ROOT" -s --no-print-directory BUILD="$BUILD" microbench; then
    MINNOW_CFG=$BUILD/microbench/microbench.xl
  else
    note "make microbench failed: the Minnow column is empty"
  fi
}

# testbed_kernel: the Debian kernel the testbed boots as dom0; it boots as a
# PV domU just as well.
testbed_kernel() {
  local dir
  "$ROOT/scripts/testbed.sh" prepare >&2
  dir=$("$ROOT/scripts/testbed.sh" shell-info | sed -n 's/^testbed: *\([^ ]*\) (ready)$/\1/p')
  [[ -f "$dir/vmlinuz" ]] || die "no vmlinuz in the testbed cache ($dir)"
  echo "$dir/vmlinuz"
}

# write_linux_xl KERNEL RAMDISK: the Linux guest's xl config on stdout.
write_linux_xl() {
  cat <<EOF
# Linux half of the benchmarks, written by scripts/bench.sh
name = "linux-bench"
type = "pv"
kernel = "$1"
ramdisk = "$2"
extra = "console=hvc0 quiet"
memory = $LINUX_MEMORY
vcpus = 1
on_poweroff = "destroy"
on_reboot = "destroy"
on_crash = "destroy"
EOF
}

# prepare_run: the run folder with the Linux guest's files and the job.
prepare_run() {
  local cpio kernel
  RUN=$BUILD/bench-run/$(date +%Y%m%d-%H%M%S)
  RUN_DATE=$(date -u '+%Y-%m-%d %H:%M UTC')
  OUT=$RUN/out
  mkdir -p "$OUT"
  ln -sfn "${RUN##*/}" "$BUILD/bench-run/latest"
  cpio=$("$ROOT/bench/linux/build.sh" --print-path) ||
    die "building the Linux initramfs failed"
  kernel=$(testbed_kernel)
  cp "$kernel" "$RUN/vmlinuz"
  cp "$cpio" "$RUN/bench-init.cpio.gz"
  write_linux_xl "$RUN/vmlinuz" "$RUN/bench-init.cpio.gz" >"$RUN/linux-bench.xl"
  write_job >"$RUN/job.sh"
}

# ------------------------------------------------------------ the job

# write_job: the dom0 job. The testbed starts it with sh (dash); it goes on
# in bash, whose builtins ($EPOCHREALTIME, read -t) let the timing loop run
# without starting a process per iteration (a fork costs tens of ms in an
# emulated dom0). Settings first, the fixed body after.
write_job() {
  cat <<EOF
# Written by scripts/bench.sh: runs in the testbed's dom0.
[ -n "\${BASH_VERSION:-}" ] || exec bash "\$0" "\$@"
OUT='$OUT'
REPS=$REPS
MINNOW_CFG='$MINNOW_CFG'
LINUX_CFG='$RUN/linux-bench.xl'
HELLO_CFG='$HELLO_CFG'
BENCH_TIMEOUT=$BENCH_TIMEOUT
HELLO_TIMEOUT=$HELLO_TIMEOUT
HELLO_MEMORY='$HELLO_MEMORY'
EOF
  cat <<'EOF'
CONSOLE_DIR=/var/log/xen/console

# A pipe nobody writes to: `read -t S` on it is a sleep without a process.
rm -f /tmp/bench-nap
mkfifo /tmp/bench-nap
exec 7<>/tmp/bench-nap

# since T0 [T1]: seconds from T0 to T1 (default now), 3 decimals.
since() { awk -v a="$1" -v b="${2:-$EPOCHREALTIME}" 'BEGIN { printf "%.3f\n", b - a }'; }

# reason_of XL_LOG XL_RC: how the guest ended, as one word.
reason_of() {
  [[ $2 == 124 ]] && { echo timeout; return; }
  local code
  code=$(grep -a 'has shut down, reason code' "$1" | tail -n 1 |
    sed 's/.*reason code \([0-9]*\).*/\1/')
  case $code in
    0) echo poweroff ;; 1) echo reboot ;; 2) echo suspend ;;
    3) echo crash ;; 4) echo watchdog ;; 5) echo soft_reset ;;
    *) if [[ $2 != 0 ]]; then echo create_failed; else echo unknown; fi ;;
  esac
}

# settle FILE: xenconsoled appends as it drains the ring; wait until FILE
# has not grown for 0.5 s (at most 5 s).
settle() {
  local last=-1 size
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    size=$(stat -c %s "$1" 2>/dev/null || echo 0)
    [[ $size == "$last" ]] && return 0
    last=$size
    sleep 0.5
  done
}

# run_guest CFG NAME TIMEOUT [XL_OVERRIDES...]: run one guest to its end
# (killed after TIMEOUT s); write OUT/NAME.{xl.log,console.log,result}.
# Timing: t0 just before `xl create -F` starts; then a loop of builtins
# checks every 10 ms whether xenconsoled's log of the guest is non-empty,
# and stops at the first output (so it does not compete with the guest's
# measurements, which start right after).
run_guest() {
  local cfg=$1 name=$2 tmo=$3 log pid rc t0 t_first="" polls=0 reason
  shift 3
  log=$CONSOLE_DIR/guest-$name.log
  rm -f "$log"
  t0=$EPOCHREALTIME
  timeout "$tmo" xl create -F "$cfg" "name=\"$name\"" "$@" \
    >"$OUT/$name.xl.log" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    polls=$((polls + 1))
    if [[ -s $log ]]; then t_first=$EPOCHREALTIME; break; fi
    read -r -t 0.01 -u 7 || true
  done
  wait "$pid"
  rc=$?
  local total first=""
  total=$(since "$t0")
  [[ -z $t_first ]] || first=$(since "$t0" "$t_first")
  if xl domid "$name" >/dev/null 2>&1; then xl destroy "$name"; fi
  settle "$log"
  cat "$log" >"$OUT/$name.console.log" 2>/dev/null || : >"$OUT/$name.console.log"
  reason=$(reason_of "$OUT/$name.xl.log" "$rc")
  printf 'reason=%s\nxl_rc=%s\nfirst_output_s=%s\ntotal_s=%s\npolls=%s\n' \
    "$reason" "$rc" "$first" "$total" "$polls" >"$OUT/$name.result"
  echo "$name: $reason after $total s (first output at ${first:-never} s, $polls polls)"
}

# probe_hello_memory: boot hello with each memory size in turn until one
# boots and powers off cleanly; OUT/hello-memory.txt gets "MB outcome" lines.
probe_hello_memory() {
  local mb outcome
  : >"$OUT/hello-memory.txt"
  for mb in $HELLO_MEMORY; do
    run_guest "$HELLO_CFG" "hello-mem$mb" "$HELLO_TIMEOUT" "memory=$mb"
    outcome=$(sed -n 's/^reason=//p' "$OUT/hello-mem$mb.result")
    if [[ $outcome == poweroff ]]; then
      grep -q 'hello: done' "$OUT/hello-mem$mb.console.log" &&
        outcome=ok || outcome=poweroff_without_done
    fi
    echo "$mb $outcome" >>"$OUT/hello-memory.txt"
    [[ $outcome == ok ]] && break
  done
}

xl info >"$OUT/xl-info.txt" 2>&1
uname -r >"$OUT/dom0-kernel.txt"
# The first guest of a dom0 boot is created seconds slower than the next
# ones: a throwaway hello takes that cost for all the measured guests.
[[ -z $HELLO_CFG ]] || run_guest "$HELLO_CFG" warmup "$HELLO_TIMEOUT"
for ((i = 1; i <= REPS; i++)); do
  [[ -z $MINNOW_CFG ]] ||
    run_guest "$MINNOW_CFG" "minnow-bench-$i" "$BENCH_TIMEOUT"
  run_guest "$LINUX_CFG" "linux-bench-$i" "$BENCH_TIMEOUT"
done
[[ -z $HELLO_CFG ]] || probe_hello_memory
echo "bench job done"
EOF
}

# run_job: boot the testbed once for the job. Its timeout covers every
# guest's own timeout plus the boot.
run_job() {
  local timeout=$((REPS * 2 * BENCH_TIMEOUT + 9 * HELLO_TIMEOUT + 300))
  local rc=0
  other_qemu "started"
  say "running the job on the testbed (at most $timeout s; serial log: $RUN/serial.log)"
  "$ROOT/scripts/testbed.sh" run --stream --timeout "$timeout" \
    "$BUILD" "$RUN/job.sh" || rc=$?
  other_qemu "ended"
  ((rc == 0)) || note "the testbed job failed (status $rc): see $RUN/serial.log"
}

# other_qemu WHEN: two emulators on two cores slow each other down,
# unevenly: note another QEMU (ours is not running when this is called).
other_qemu() {
  if pgrep -f '^qemu-system-' >/dev/null; then
    note "another QEMU was running when the job $1: figures are disturbed"
  fi
}

# ------------------------------------------------------------ results

# median: of the integers on stdin (mean of the middle two for an even
# count); nothing for no input.
median() {
  sort -n | awk '{ v[NR] = $1 }
    END { if (NR % 2) print v[(NR + 1) / 2]
          else if (NR) printf "%.0f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# side_value SIDE KEY: SIDE's (minnow or linux) value of KEY in ns, the
# median over its runs; empty when no run has it.
side_value() {
  side_runs "$1" "$2" | median
}

# side_runs SIDE KEY: SIDE's values of KEY in ns, one line per run that
# has one.
side_runs() {
  local side=$1 key=$2 i f
  for ((i = 1; i <= REPS; i++)); do
    f=$OUT/$side-bench-$i
    if [[ $key == create_to_first_output && -f "$f.result" ]]; then
      sed -n 's/^first_output_s=\([0-9.]\{1,\}\)$/\1/p' "$f.result" |
        awk '{ printf "%.0f\n", $1 * 1e9 }'
    elif [[ -f "$f.console.log" ]]; then
      tr -d '\r' <"$f.console.log" |
        sed -n "s/^.*bench: $key median_ns=\([0-9]\{1,\}\).*/\1/p" | tail -n 1
    fi
  done
}

# fmt_time NS: a readable time (ns, µs, ms or s, 3 significant digits).
fmt_time() {
  awk -v t="$1" 'function f(v, u) { return sprintf(v < 10 ? "%.2f %s" : v < 100 ? "%.1f %s" : "%.0f %s", v, u) }
    BEGIN { if (t < 1e3) print f(t, "ns"); else if (t < 1e6) print f(t / 1e3, "µs")
            else if (t < 1e9) print f(t / 1e6, "ms"); else print f(t / 1e9, "s") }'
}

# ratio A B: B / A with one decimal and an x, or — if either is missing.
ratio() {
  [[ -n "$1" && -n "$2" && "$1" != 0 ]] || { echo "—"; return; }
  awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1fx\n", b / a }'
}

# check_runs: notes for guests that did not finish or keys that are absent.
check_runs() {
  local side i f reason key missing
  for side in minnow linux; do
    [[ $side == minnow && -z $MINNOW_CFG ]] && continue
    for ((i = 1; i <= REPS; i++)); do
      f=$OUT/$side-bench-$i
      reason=$(sed -n 's/^reason=//p' "$f.result" 2>/dev/null || true)
      grep -q 'bench: done' "$f.console.log" 2>/dev/null ||
        note "$side bench run $i ended (${reason:-did not run}) without \"bench: done\""
    done
    missing=()
    for key in "${KEYS[@]}"; do
      [[ -n "$(side_value "$side" "$key")" ]] || missing+=("$key")
    done
    ((${#missing[@]} == 0)) || note "no $side value for: ${missing[*]}"
  done
}

# hello_lines: the hello size and smallest-memory lines (markdown).
hello_lines() {
  local elf=$BUILD/hello/hello.elf tried min
  if [[ -n $HELLO_CFG ]]; then
    strip -o "$RUN/hello.stripped.elf" "$elf" || true
    echo "- \`hello.elf\`: $(stat -c %s "$elf") bytes, $(stat -c %s "$RUN/hello.stripped.elf" 2>/dev/null || echo ?) bytes stripped (\`strip -o\`)."
  else
    echo "- \`hello.elf\`: not built."
  fi
  if [[ -s "$OUT/hello-memory.txt" ]]; then
    tried=$(awk '{ printf "%s%s MB: %s", (NR > 1 ? ", " : ""), $1, $2 }' "$OUT/hello-memory.txt")
    min=$(awk '$2 == "ok" { print $1 " MB"; exit }' "$OUT/hello-memory.txt")
    echo "- Smallest \`memory=\` in which hello boots and powers off cleanly: ${min:-none of those tried} (tried: $tried)."
  else
    echo "- Smallest \`memory=\` for hello: not measured."
  fi
}

# result_field NAME FIELD: FIELD of OUT/NAME.result, or nothing.
result_field() {
  sed -n "s/^$2=//p" "$OUT/$1.result" 2>/dev/null || true
}

# poll_period_ms: mean period of the job's console polling loop, over the
# bench guests (time to the first output / iterations to it).
poll_period_ms() {
  local f
  for f in "$OUT"/*-bench-*.result; do
    [[ -f "$f" ]] && cat "$f" && echo
  done | awk -F= '$1 == "first_output_s" && $2 != "" { t = $2 }
    $1 == "polls" && t != "" { s += t * 1000 / $2; n++; t = "" }
    END { if (n) printf "%.0f\n", s / n }'
}

# kib FILE: size of FILE in KiB, or ?.
kib() { [[ -f "$1" ]] && echo $(($(stat -c %s "$1") / 1024)) || echo "?"; }

# create_line: what create_to_first_output depends on (markdown).
create_line() {
  local mm="" hmin hfirst poll
  [[ -z $MINNOW_CFG ]] ||
    mm=$(sed -n 's/^memory *= *\([0-9]*\).*/\1/p' "$MINNOW_CFG" 2>/dev/null || true)
  hmin=$(awk '$2 == "ok" { print $1; exit }' "$OUT/hello-memory.txt" 2>/dev/null || true)
  [[ -z "$hmin" ]] || hfirst=$(result_field "hello-mem$hmin" first_output_s)
  poll=$(poll_period_ms)
  echo -n "- \`create_to_first_output\`: "
  [[ -z $mm ]] || echo -n "the Minnow bench guest is a $(kib "$BUILD/microbench/microbench.elf") KiB image with $mm MB of memory; "
  echo -n "the Linux guest a $(kib "$RUN/vmlinuz") KiB compressed kernel plus a $(kib "$RUN/bench-init.cpio.gz") KiB initramfs with $LINUX_MEMORY MB"
  [[ -z "${hfirst:-}" ]] || echo -n "; hello with $hmin MB printed ${hfirst} s after \`xl create\`"
  echo ". dom0 polled the console log every ${poll:-?} ms on average."
}

# environment_line: where the numbers come from.
environment_line() {
  local xen qemu cpu ncpu kernel
  xen=$(sed -n 's/^xen_version *: *//p' "$OUT/xl-info.txt" 2>/dev/null || true)
  ncpu=$(sed -n 's/^nr_cpus *: *//p' "$OUT/xl-info.txt" 2>/dev/null || true)
  kernel=$(cat "$OUT/dom0-kernel.txt" 2>/dev/null || echo 6.1)
  qemu=$(qemu-system-x86_64 --version | sed -n '1s/.*version \([^ ]*\).*/\1/p')
  cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
  echo "Environment: Xen ${xen:-4.17} (Debian) with a Debian Linux $kernel dom0, inside QEMU ${qemu:-?} with TCG (software emulation: no hardware virtualisation) and ${ncpu:-2} emulated CPUs, on a host \"$cpu\" with $(nproc) cores. Each guest has 1 vCPU; the Linux guest runs the same kernel with ${LINUX_MEMORY} MB. Emulation makes every operation far slower than on hardware, unevenly, and the numbers are noisy: compare medians and ratios, not absolute values."
}

# results_section: the part shared by results.md and the doc.
results_section() {
  local row m l
  echo "Run ${RUN_DATE:-?}, commit $(git_commit), $REPS boot(s) of each guest."
  echo
  echo "| benchmark | Minnow | Linux PV guest | Linux / Minnow |"
  echo "| --- | ---: | ---: | ---: |"
  for row in "${ROWS[@]}"; do
    m=$(side_value minnow "$row")
    l=$(side_value linux "$row")
    echo "| \`$row\` | $( [[ -n $m ]] && fmt_time "$m" || echo —) | $( [[ -n $l ]] && fmt_time "$l" || echo —) | $(ratio "$m" "$l") |"
  done
  echo
  create_line
  hello_lines
  echo
  environment_line
  if ((${#NOTES[@]})); then
    echo
    echo "Notes:"
    printf -- '- %s\n' "${NOTES[@]}"
  fi
}

git_commit() {
  local c
  c=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null) || { echo unknown; return; }
  [[ -z "$(git -C "$ROOT" status --porcelain 2>/dev/null)" ]] || c+=" (with uncommitted changes)"
  echo "$c"
}

# json_num V: V or null.
json_num() { [[ -n "$1" ]] && echo "$1" || echo null; }

# json_str S: S as a JSON string (the texts here hold no control chars).
json_str() { local s=${1//\\/\\\\}; printf '"%s"' "${s//\"/\\\"}"; }

# write_json: results.json, the same numbers for programs (times in ns).
write_json() {
  local row m l sep="" r
  {
    echo "{"
    echo "  \"date\": $(json_str "$RUN_DATE"),"
    echo "  \"commit\": $(json_str "$(git_commit)"),"
    echo "  \"reps\": $REPS,"
    echo "  \"unit\": \"ns\","
    echo "  \"benchmarks\": {"
    for row in "${ROWS[@]}"; do
      m=$(side_value minnow "$row")
      l=$(side_value linux "$row")
      r=""
      [[ -z $m || -z $l || $m == 0 ]] ||
        r=$(awk -v a="$m" -v b="$l" 'BEGIN { printf "%.2f", b / a }')
      printf '%s    "%s": { "minnow": %s, "linux": %s, "linux_over_minnow": %s, "minnow_runs": [%s], "linux_runs": [%s] }' \
        "$sep" "$row" "$(json_num "$m")" "$(json_num "$l")" "$(json_num "$r")" \
        "$(side_runs minnow "$row" | paste -sd, -)" "$(side_runs linux "$row" | paste -sd, -)"
      sep=$',\n'
    done
    printf '\n  },\n'
    echo "  \"poll_period_ms\": $(json_num "$(poll_period_ms)"),"
    write_json_hello
    echo "  \"notes\": [$(sep=""; for n in "${NOTES[@]}"; do printf '%s%s' "$sep" "$(json_str "$n")"; sep=", "; done)]"
    echo "}"
  } >"$RUN/results.json"
}

# write_json_hello: the "hello" member of results.json.
write_json_hello() {
  local elf=$BUILD/hello/hello.elf size="" stripped="" min="" tried=""
  [[ -z $HELLO_CFG ]] || size=$(stat -c %s "$elf")
  [[ -f "$RUN/hello.stripped.elf" ]] && stripped=$(stat -c %s "$RUN/hello.stripped.elf")
  if [[ -f "$OUT/hello-memory.txt" ]]; then
    min=$(awk '$2 == "ok" { print $1; exit }' "$OUT/hello-memory.txt")
    tried=$(awk '{ printf "%s\"%s\": \"%s\"", (NR > 1 ? ", " : ""), $1, $2 }' "$OUT/hello-memory.txt")
  fi
  echo "  \"hello\": { \"elf_bytes\": $(json_num "$size"), \"stripped_bytes\": $(json_num "$stripped"), \"min_memory_mb\": $(json_num "$min"), \"memory_tried\": { $tried } },"
}

# write_results: results.md and results.json in the run folder.
write_results() {
  check_runs
  local section
  section=$(results_section)
  { echo "# Minnow and a Linux PV guest: micro-benchmarks"
    echo
    echo "$section"; } >"$RUN/results.md"
  write_json
  if ((UPDATE_DOCS)); then update_docs "$section"; fi
}

# update_docs SECTION: keep docs/BENCHMARKS.md up to its marker line and
# put SECTION after it.
update_docs() {
  [[ -f "$DOC" ]] && grep -qxF "$DOC_MARKER" "$DOC" ||
    die "$DOC has no marker line: $DOC_MARKER"
  { awk -v m="$DOC_MARKER" '{ print } $0 == m { exit }' "$DOC"
    echo
    echo "$1"; } >"$DOC.tmp"
  mv "$DOC.tmp" "$DOC"
  say "updated $DOC"
}

main() {
  parse_args "$@"
  SECONDS=0
  build_guests
  prepare_run
  run_job
  write_results
  cat "$RUN/results.md"
  say "results in $RUN/results.md and results.json (the whole run took $SECONDS s)"
}

main "$@"
