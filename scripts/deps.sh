#!/usr/bin/env bash
# deps.sh: makes sure the Debian packages k42sim and its tests need are installed.
# As root it installs what is missing with apt-get; otherwise it prints the exact command.
set -euo pipefail
packages=(libelf-dev libcapstone-dev pkg-config qemu-user gcc-mips64el-linux-gnuabi64
          gcc-powerpc64le-linux-gnu libc6-dev-mips64el-cross libc6-dev-ppc64el-cross csmith
          libcsmith-dev llvm)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ! command -v swift >/dev/null 2>&1; then
    echo "k42sim: the Swift toolchain (swift 6.x) is not on PATH; install it from swift.org first" >&2
    exit 1
fi
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
    echo "Installing Debian packages: ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq "${missing[@]}" >/dev/null
else
    echo "k42sim needs these Debian packages: ${missing[*]}" >&2
    echo "install them with: sudo apt-get install ${missing[*]}" >&2
    exit 1
fi
