#!/usr/bin/env bash
# Compiles bpf/*.bpf.c into CO-RE objects and writes abi.properties: build.sh OUT_DIR WORK_DIR
# vmlinux.h is generated from the running kernel's BTF; libbpf relocates
# field offsets at load time, so the object also runs on other kernels.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$1"; work="$2"
mkdir -p "$out" "$work"

need() { # command-or-file, Debian package
    if [[ "$1" == /* ]]; then [[ -e "$1" ]] && return 0
    else command -v "$1" >/dev/null 2>&1 && return 0; fi
    echo "bpf build: $1 is missing; install it with: apt-get install -y $2" >&2
    exit 1
}
need clang clang
need bpftool bpftool
need /usr/include/bpf/bpf_helpers.h libbpf-dev
if [[ ! -r /sys/kernel/btf/vmlinux ]]; then
    echo "bpf build: /sys/kernel/btf/vmlinux is missing; the kernel must be built with CONFIG_DEBUG_INFO_BTF=y" >&2
    exit 1
fi

if [[ ! -s "$work/vmlinux.h" || /sys/kernel/btf/vmlinux -nt "$work/vmlinux.h" ]]; then
    bpftool btf dump file /sys/kernel/btf/vmlinux format c > "$work/vmlinux.h.tmp"
    mv "$work/vmlinux.h.tmp" "$work/vmlinux.h"
fi

arch="$(uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')"
for src in "$here"/*.bpf.c; do
    obj="$out/$(basename "${src%.c}").o"
    clang -O2 -g -Wall -Werror -target bpf -D__TARGET_ARCH_"$arch" \
        -I"$work" -I"$here" -c "$src" -o "$obj"
done

# The ABI numbers the agent's FFM layer uses, from the headers that define them (abi.c).
clang -O0 -Wall -Werror -o "$work/abi" "$here/abi.c"
"$work/abi" > "$out/abi.properties.tmp"
mv "$out/abi.properties.tmp" "$out/abi.properties"
