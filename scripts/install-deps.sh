#!/usr/bin/env bash
# Install what the host needs to build Minnow and run its tests on real Xen
# (inside QEMU, see scripts/testbed.sh). Idempotent: quiet and fast when all
# is present; `apt-get update` runs at most once, and only if something is
# missing.
set -euo pipefail

# Debian package -> why we need it.
readonly PACKAGES=(
  gcc make binutils      # build the guest
  libc6-dev              # static glibc for the Linux guest of `make bench`
  libxen-dev             # Xen public ABI headers (/usr/include/xen)
  qemu-system-x86        # runs Xen + dom0 under TCG (no usable KVM here)
  debootstrap            # builds the dom0 root once (cached)
  cpio gzip zstd xz-utils  # pack the dom0 initramfs, unpack .debs
  kmod                   # modprobe --show-depends / depmod for dom0 modules
  util-linux             # flock, used to serialise testbed builds
  coreutils              # timeout, sha256sum
  e2fsprogs              # the ext4 image of `make iobench`'s Linux redis
)

# Print the packages of PACKAGES that are not installed, one per line.
missing_packages() {
  local pkg status
  for pkg in "${PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
    [[ "$status" == installed ]] || echo "$pkg"
  done
}

main() {
  local -a missing
  mapfile -t missing < <(missing_packages)
  ((${#missing[@]} == 0)) && return 0

  if [[ $(id -u) -ne 0 ]]; then
    echo "install-deps: missing packages: ${missing[*]} (run as root to install)" >&2
    return 1
  fi
  echo "install-deps: installing ${missing[*]}" >&2
  local log
  log=$(mktemp)
  # apt and debconf chatter goes to a log, shown only if the install fails.
  if ! { apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
      --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "install-deps: apt-get failed" >&2
    return 1
  fi
  rm -f "$log"
}

main "$@"
