#!/usr/bin/env bash
# Self-check of the cached newlib build, runnable on the build host.
#
#   libc/test-newlib-host.sh
#
# Links libc/hosttest/*.c (the checks, plus a _start, syscall stubs and
# __getreent done with raw Linux system calls) -nostdlib -static against
# the cached libc.a/libm.a and libgcc only, with the same code-generation
# flags as the guest, then runs it. Ends with
# "newlib host test: N passed, N failed"; exits non-zero on a failure.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly HERE

die() { echo "newlib host test: $*" >&2; exit 1; }

# compile_flags NEWLIB_DIR: newlib's headers first, then gcc's own
# (stddef.h, stdarg.h...), never /usr/include.
compile_flags() {
  local newlib=$1
  echo "-std=gnu11 -O2 -g -Wall -Wextra -Werror -ffreestanding" \
    "-nostdinc -isystem $newlib/include -isystem $(gcc -print-file-name=include)" \
    "-fno-pic -fno-pie -mcmodel=small -mno-red-zone -fno-stack-protector" \
    "-fno-omit-frame-pointer -fno-asynchronous-unwind-tables -fcf-protection=none"
}

# build_test NEWLIB_DIR OUT: the static test program OUT.
build_test() {
  local newlib=$1 out=$2 src obj
  local -a objs=() cflags
  read -r -a cflags <<<"$(compile_flags "$newlib")"
  for src in "$HERE"/hosttest/*.c; do
    obj=$(dirname "$out")/$(basename "${src%.c}").o
    gcc "${cflags[@]}" -c "$src" -o "$obj" || return 1
    objs+=("$obj")
  done
  # libgcc: complex multiplication helpers (__muldc3...) newlib's libm uses.
  gcc -nostdlib -static -no-pie -Wl,-z,noexecstack -o "$out" "${objs[@]}" \
    -Wl,--start-group "$newlib/lib/libc.a" "$newlib/lib/libm.a" \
    "$(gcc -print-libgcc-file-name)" -Wl,--end-group
}

main() {
  local newlib tmp
  newlib=$("$HERE/build-newlib.sh" --print-dir) || die "libc/build-newlib.sh failed"
  tmp=$(mktemp -d)
  # shellcheck disable=SC2064 # expand $tmp now
  trap "rm -rf '$tmp'" EXIT
  build_test "$newlib" "$tmp/newlib-host-test" || die "could not build the test"
  "$tmp/newlib-host-test"
}

main "$@"
