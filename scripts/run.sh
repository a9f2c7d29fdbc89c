#!/usr/bin/env bash
# run.sh APP [ARGS...] - boot build/APP/APP.elf as a Xen guest and show
# its console. On a Xen dom0 (xl present and /proc/xen says control_d)
# it is `xl create -c`; anywhere else the app boots on the QEMU testbed
# (scripts/testbed.sh) and its console streams here.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
app=${1:?usage: run.sh APP [ARGS...]}
shift
cfg=$BUILD/$app/$app.xl
[ -f "$cfg" ] || { echo "run.sh: $cfg missing: run make first" >&2; exit 1; }

# xl_extra ARGS... - the xl override that passes ARGS to main, each
# argument single-quoted so blanks survive the guest's splitting.
xl_extra() {
	local out="" a
	for a in "$@"; do
		out+="'${a//\'/\'\\\'\'}' "
	done
	out=${out//\"/\\\"}
	printf 'extra="%s"' "${out% }"
}

is_dom0() {
	command -v xl >/dev/null 2>&1 &&
		grep -qs control_d /proc/xen/capabilities
}

if is_dom0; then
	if [ $# -gt 0 ]; then
		exec xl create -c "$cfg" "$(xl_extra "$@")"
	fi
	exec xl create -c "$cfg"
fi

job=$BUILD/testbed/run-$app-$(date +%Y%m%d-%H%M%S)
mkdir -p "$job"
{
	echo '#!/bin/bash'
	printf 'exec minnow-stream-guest %q' "$cfg"
	[ $# -eq 0 ] || printf ' %q' "$(xl_extra "$@")"
	echo
} > "$job/job.sh"
echo "run.sh: no Xen here: booting $app on the QEMU testbed (log: $job/serial.log)" >&2
exec "$ROOT/scripts/testbed.sh" run --stream --timeout 900 "$BUILD" "$job/job.sh"
