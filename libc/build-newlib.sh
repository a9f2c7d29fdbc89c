#!/usr/bin/env bash
# Build newlib (Minnow's C library) once and cache it.
#
#   libc/build-newlib.sh [--print-dir]
#
# Makes sure a build of newlib 3.3.0 for x86_64-elf exists and prints its
# directory: include/ (newlib's installed headers) and lib/ (libc.a, libm.a,
# libg.a). With --print-dir stdout carries only that directory; progress and
# errors always go to stderr.
#
# There is no x86_64-elf cross toolchain on Debian: the host gcc and binutils
# build newlib, with -nostdinc so that no glibc header from /usr/include can
# leak in. The source is the tarball of Debian's newlib-source package
# (installed here with apt-get when missing). See libc/README.md for the
# options and for the symbols Minnow must provide.
#
# Cache: ${MINNOW_CACHE:-~/.cache/minnow}/newlib/<key>/, key = short sha256 of
# this script + scripts/lib/cache.sh + the newlib-source version + gcc's
# version. A build happens in
# a temporary folder next to it, renamed into place when complete, so an
# interrupted build never leaves a half cache; a lock serialises builders.
set -euo pipefail
export LC_ALL=C   # plain quotes in compiler messages (verify greps them)

readonly NEWLIB_VERSION=3.3.0
readonly TARGET=x86_64-elf
readonly SOURCE_PKG=newlib-source
readonly TARBALL=/usr/src/newlib/newlib-$NEWLIB_VERSION.tar.xz
readonly JOBS=2
SELF=$(readlink -f "${BASH_SOURCE[0]}")
readonly SELF
CACHE_ROOT=$(realpath -m "${MINNOW_CACHE:-$HOME/.cache/minnow}/newlib")
readonly CACHE_ROOT

say() { echo "newlib: $*" >&2; }
die() { say "error: $*"; exit 1; }

# ------------------------------------------------------------ prerequisites

# shellcheck source=scripts/lib/cache.sh
. "$(dirname "$SELF")/../scripts/lib/cache.sh"

# The source tarball, plus what the build itself runs (gcc, make, binutils,
# xz for the tarball, flock from util-linux).
ensure_prerequisites() {
  apt_install "$SOURCE_PKG" gcc make binutils xz-utils util-linux
  [[ -f "$TARBALL" ]] || die "$SOURCE_PKG is installed but $TARBALL is missing"
}

# ------------------------------------------------------------ the cache key

# Everything that changes the output: this script (flags, options, patches)
# and its cache library, the exact source package, the compiler.
cache_key() {
  { cat "$SELF" "$CACHE_LIB"
    dpkg-query -W -f='${Version}\n' "$SOURCE_PKG"
    gcc -dumpfullversion; } | sha256sum | cut -c1-16
}

# A cache directory exists only once complete (it is renamed into place
# last); BUILDINFO is checked too, in case someone emptied it by hand.
is_complete() {
  [[ -f "$1/BUILDINFO" && -f "$1/lib/libc.a" && -f "$1/lib/libm.a" &&
    -f "$1/include/newlib.h" ]]
}

# ------------------------------------------------------------ building

# Compiler flags for every newlib object. The kernel runs application code
# and newlib in one address space and delivers events on the current stack,
# so these match the Makefile's COMMON_CFLAGS (except SSE, which newlib may
# use: floating-point printf needs it).
target_cflags() {
  local work=$1
  local -a flags=(
    -O2 -g
    -mno-red-zone             # events are delivered on the current stack
    -fno-pic -fno-pie -mcmodel=small   # one static image in the low 2 GiB
    -fno-stack-protector      # no TLS canary (%fs:0x28) in Minnow
    -fno-omit-frame-pointer   # Minnow's crash backtraces walk %rbp
    -fno-asynchronous-unwind-tables -fcf-protection=none
    -ffreestanding            # no hosted assumptions (implies -fno-builtin)
    # Only newlib's own headers (added by the build with -isystem, searched
    # first) and gcc's stddef.h/stdarg.h/float.h/limits.h: never glibc's.
    -nostdinc -isystem "$(gcc -print-file-name=include)"
    # Declare the _write/_lseek/_sbrk... prototypes of <sys/unistd.h> inside
    # newlib; without them libc/reent calls them implicitly as int-returning
    # functions, truncating 64-bit results (_lseek offsets, _sbrk pointers).
    -D_COMPILING_NEWLIB
    # __getreent() comes from the OS (per-thread struct _reent), so drop
    # newlib's fallback that returns the global _impure_ptr: forgetting it
    # is a link error, not a silently shared errno.
    -DGETREENT_PROVIDED
    # configure.host defines MISSING_SYSCALL_NAMES for x86_64-elf, mapping
    # _write to write, _sbrk to sbrk...: undo it (these flags come after
    # newlib's own) so newlib calls the libgloss-style names _write,
    # _sbrk..., leaving write/read/... free for the OS or the application.
    -UMISSING_SYSCALL_NAMES
    # libm sets errno (EDOM, ERANGE) as <math.h>'s math_errhandling =
    # MATH_ERRNO says; newlib's default "_IEEE_" mode silently does not.
    -D_POSIX_MODE
    # Minnow has no crti.o/crtn.o: __libc_init_array must not call _init.
    -UHAVE_INIT_FINI
    # Reproducible objects: no temporary build path in the debug info.
    "-fdebug-prefix-map=$work=/newlib-$NEWLIB_VERSION"
  )
  echo "${flags[*]}"
}

# Options for newlib's configure; each line says why.
configure_options() {
  local -a opts=(
    --target="$TARGET"                  # bare-metal ELF: no OS layer in libc
    --disable-multilib                  # one variant (x86_64 -mcmodel=small)
    --disable-newlib-supplied-syscalls  # Minnow provides _write, _sbrk... (x86_64-elf has no syscall port anyway)
    --enable-newlib-io-long-long        # %lld/%llu in printf/scanf
    --enable-newlib-io-c99-formats      # %zu %jd %td %hhd in printf/scanf
    --enable-newlib-io-float            # %f %e %g in printf/scanf (default; explicit)
    --enable-newlib-retargetable-locking  # Minnow can give real __retarget_lock_*
  )
  echo "${opts[*]}"
}

# unpack DIR: the pristine source in DIR, with one edit: newlib.h (generated
# from newlib.hin, installed, included by every newlib header through
# <_ansi.h>) defines __DYNAMIC_REENT__, so newlib and the applications
# compiled against the installed headers agree that _REENT is __getreent().
unpack() {
  local src=$1
  mkdir -p "$src"
  tar -xJf "$TARBALL" -C "$src" --strip-components=1
  local hin=$src/newlib/newlib.hin
  grep -q '^#endif /\* !__NEWLIB_H__ \*/' "$hin" || die "unexpected $hin"
  sed -i 's|^#endif /\* !__NEWLIB_H__ \*/|/* Minnow: each thread has its own struct _reent, which the OS returns\n   from struct _reent *__getreent(void). */\n#define __DYNAMIC_REENT__ 1\n\n&|' "$hin"
}

# run_logged LOG CMD...: run CMD with its output in LOG; on failure show the
# end of LOG.
run_logged() {
  local log=$1
  shift
  echo "+ $*" >>"$log"
  if ! "$@" >>"$log" 2>&1; then
    tail -n 40 "$log" >&2
    die "failed: $*"
  fi
}

# The host's binutils and gcc stand in for the x86_64-elf-* tools.
readonly TARGET_TOOLS=(CC_FOR_TARGET=gcc AR_FOR_TARGET=ar
  RANLIB_FOR_TARGET=ranlib AS_FOR_TARGET=as LD_FOR_TARGET=ld
  NM_FOR_TARGET=nm OBJDUMP_FOR_TARGET=objdump READELF_FOR_TARGET=readelf
  STRIP_FOR_TARGET=strip)

# configure_and_build WORK: configure in WORK/build, build, install into
# WORK/prefix; WORK/configure-line records the configure command.
configure_and_build() {
  local work=$1 log=$1/build.log
  local cflags
  local -a opts
  cflags=$(target_cflags "$work")
  read -r -a opts <<<"$(configure_options)"
  mkdir -p "$work/build"
  (cd "$work/build" && run_logged "$log" ../src/configure "${opts[@]}" \
    "${TARGET_TOOLS[@]}" CFLAGS_FOR_TARGET="$cflags" --prefix="$work/prefix")
  echo "../src/configure ${opts[*]} ${TARGET_TOOLS[*]} CFLAGS_FOR_TARGET=\"$cflags\"" \
    >"$work/configure-line"
  # Only newlib: libgloss has no x86_64 port, and its libnosys stubs set a
  # global `int errno`, which would bypass the per-thread one.
  run_logged "$log" make -C "$work/build" -j"$JOBS" all-target-newlib
  run_logged "$log" make -C "$work/build" install-target-newlib
}

# collect WORK: WORK/out/{include,lib} from the install tree.
collect() {
  local work=$1 installed=$1/prefix/$TARGET
  mkdir -p "$work/out"
  mv "$installed/include" "$installed/lib" "$work/out/"
  # libg.a is newlib's byte-identical "debug" copy of libc.a: a hard link.
  if [[ -f "$work/out/lib/libg.a" ]] && cmp -s "$work/out/lib/libc.a" "$work/out/lib/libg.a"; then
    ln -f "$work/out/lib/libc.a" "$work/out/lib/libg.a"
  fi
}

# undefined_in NMFILE SYMBOL / defined_in NMFILE SYMBOL, NMFILE being the
# output of `nm -A` (a file, not a pipe: grep -q would end nm early, and
# pipefail would count that as a failure).
undefined_in() { grep -q " U $2\$" "$1"; }
defined_in() { grep -q " [TDBRW] $2\$" "$1"; }

# verify WORK: the properties Minnow relies on, checked before the build
# can enter the cache.
verify() {
  local work=$1 out=$1/out log=$1/build.log
  local syms=$work/libc.nm
  nm -A "$out/lib/libc.a" >"$syms" 2>/dev/null
  grep -q '^#define __DYNAMIC_REENT__' "$out/include/newlib.h" ||
    die "installed newlib.h lacks __DYNAMIC_REENT__"
  grep -q '^#define _RETARGETABLE_LOCKING' "$out/include/newlib.h" ||
    die "installed newlib.h lacks _RETARGETABLE_LOCKING"
  undefined_in "$syms" __getreent || die "libc.a does not call __getreent"
  ! defined_in "$syms" __getreent || die "libc.a defines its own __getreent"
  # The syscall layer (libc/reent) calls the underscored names.
  grep -q 'writer.o: *U _write$' "$syms" || die "_write_r does not call _write"
  ! grep -q 'writer.o: *U write$' "$syms" || die "_write_r calls write, not _write"
  ! undefined_in "$syms" _init || die "libc.a calls _init"
  ! undefined_in "$syms" __stack_chk_fail || die "libc.a uses the stack protector"
  ! grep -q "implicit declaration of function '_[a-z]" "$log" ||
    die "syscall stubs called without prototypes (see the build log)"
  # Every compile for the target (the ones given newlib's headers; makedoc
  # is a build-machine tool) had -nostdinc: no glibc header took part.
  ! grep -E '^gcc .*-isystem [^ ]*/newlib/libc/include .* -c ' "$log" |
    grep -v -- ' -nostdinc ' >/dev/null ||
    die "a compile without -nostdinc (see the build log)"
}

# write_buildinfo WORK
write_buildinfo() {
  local work=$1
  { echo "newlib $NEWLIB_VERSION for $TARGET"
    echo "source: $SOURCE_PKG $(dpkg-query -W -f='${Version}' "$SOURCE_PKG") ($TARBALL)"
    echo "compiler: $(gcc --version | head -n 1)"
    echo "configure: $(cat "$work/configure-line")"
    echo "make: make -j$JOBS all-target-newlib && make install-target-newlib"
  } >"$work/out/BUILDINFO"
}

# end_build WORK: the exit trap of a build: keep the log of a failed one,
# drop the temporary folder.
end_build() {
  local status=$? work=$1
  if ((status != 0)) && [[ -f "$work/build.log" ]]; then
    cp "$work/build.log" "$CACHE_ROOT/failed-build.log"
    say "the build log is in $CACHE_ROOT/failed-build.log"
  fi
  rm -rf "$work"
}

# build_into DIR: a complete build renamed to DIR.
build_into() {
  local dir=$1 work start
  work=$(cache_tmpdir)
  # Also on an interrupt: the half build goes away, DIR never appears.
  # shellcheck disable=SC2064 # expand $work now: it is local
  trap "end_build '$work'" EXIT
  start=$SECONDS
  say "building newlib $NEWLIB_VERSION (about a minute, cached afterwards)..."
  unpack "$work/src"
  configure_and_build "$work"
  collect "$work"
  verify "$work"
  write_buildinfo "$work"
  rm -rf "$dir"   # an incomplete leftover (see is_complete)
  mv -T "$work/out" "$dir"
  rm -rf "$work" "$CACHE_ROOT/failed-build.log"
  trap - EXIT
  say "built in $((SECONDS - start)) s: $dir"
}

usage() {
  echo "usage: $0 [--print-dir]" >&2
  exit 2
}

main() {
  local print_dir=0
  case $# in
    0) ;;
    1) if [[ $1 == --print-dir ]]; then print_dir=1; else usage; fi ;;
    *) usage ;;
  esac
  ensure_prerequisites
  local dir
  dir=$CACHE_ROOT/$(cache_key)
  cache_ensure "$dir" "newlib build" is_complete build_into
  if ((print_dir)); then
    echo "$dir"
  else
    echo "newlib $NEWLIB_VERSION for $TARGET: $dir"
    echo "  headers: $dir/include"
    echo "  libraries: $(cd "$dir/lib" && echo *.a)"
  fi
}

main "$@"
