#!/bin/bash
# Host-side checks of the pipeline's bad-input handling: each bad input
# must end with a one-line cause and a non-zero exit, never a hang.
# Prints one line per check: "pass NAME" or "fail NAME: why".
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD_DIR:-$TOP/build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# expect NAME PATTERN CMD...: CMD must fail, quickly, saying PATTERN.
expect() {
	local name=$1 pat=$2 out rc
	shift 2
	out=$(timeout 120 "$@" 2>&1 </dev/null)
	rc=$?
	if [ $rc -eq 0 ]; then
		echo "fail $name: exit 0, expected an error"
	elif [ $rc -eq 124 ]; then
		echo "fail $name: still running after 120s"
	elif ! printf '%s\n' "$out" | grep -q -- "$pat"; then
		echo "fail $name: no '$pat' in: $(printf '%s' "$out" | tail -1)"
	else
		echo "pass $name"
	fi
}

# A tree that is not there, and one that is not 6.12.
expect no-tree "does not exist" env KSRC="$tmp/nothing" "$TOP/scripts/get-tree"
mkdir -p "$tmp/linux-6.1/net/core"
printf 'VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 0\n' >"$tmp/linux-6.1/Makefile"
expect wrong-tree "is Linux 6.1, the series is for Linux 6.12" \
	env KSRC="$tmp/linux-6.1" "$TOP/scripts/get-tree"
expect not-a-tree "is not a kernel tree" env KSRC="$tmp" "$TOP/scripts/get-tree"

# A 6.12 tree the first patch cannot apply to: the patch and file are named.
mkdir -p "$tmp/linux-6.12/net/core"
printf 'VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 0\n' >"$tmp/linux-6.12/Makefile"
printf 'config SOMETHING_ELSE\n\tbool\n' >"$tmp/linux-6.12/net/Kconfig"
first=$(grep -v '^\s*#' "$TOP/series" | awk 'NF{print $1; exit}')
expect broken-patch "patches/$first does not apply.*rejected in net/Kconfig" \
	"$TOP/scripts/apply" "$tmp/linux-6.12"

# An option that needs another one, and a section no pass has.
expect long-without-debug "--long goes with --debug" "$TOP/scripts/test" --long
expect unknown-section "'nosuch' is not a section of the plain pass" "$TOP/scripts/test" --only nosuch
expect bad-env "--env needs VAR=VALUE" "$TOP/scripts/boot" --env "no value"

# The benchmark: a figure group it does not have, no rounds, one kernel
# to compare with nothing, a file that is no kernel.
expect bench-group "no figure group 'nosuch'" "$TOP/scripts/bench" --only mem,nosuch
expect bench-rounds "--rounds needs a number of boots per kernel" "$TOP/scripts/bench" --rounds 0
expect bench-one-kernel "--kernel goes twice or three times" "$TOP/scripts/bench" --kernel "$TOP/README"
expect bench-same-label "two columns are labelled 'x'" "$TOP/scripts/bench" \
	--kernel "x=$TOP/README" --kernel "y=$TOP/README" --kernel "x=$TOP/README"
expect bench-not-kernel "'$TOP/README' is not an x86 bzImage" \
	"$TOP/scripts/bench" --kernel "$TOP/README" --kernel "$TOP/README"

# QEMU missing, and a guest that hangs.
expect no-qemu "no-qemu not found; install it with: .*qemu-system-x86" \
	env QEMU="$tmp/no-qemu" "$TOP/scripts/boot" --mode test
if [ -f "$BUILD/obj-patched/arch/x86/boot/bzImage" ] && [ -f "$BUILD/initramfs.cpio.gz" ]; then
	# The guest shell with no terminal waits for ever for input.
	expect hung-guest "did not finish within 5s" \
		"$TOP/scripts/boot" --mode shell --timeout 5 --log "$tmp/hang.log" --results "$tmp/hang.tap"
fi
