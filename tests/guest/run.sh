#!/bin/sh
# The guest side of the test suite.  Each section prints TAP lines; the
# host (tests/report.py) reads them from the console between the markers.
# $1: a comma-separated list of the sections to run (empty: all).
only=$1
# section NAME CMD...: run CMD as section NAME if it exists and is wanted.
section() {
	name=$1
	shift
	[ -z "$only" ] || case ",$only," in *",$name,"*) ;; *) return 0 ;; esac
	[ -x "$1" ] || return 0
	echo "NETNS-SECTION-BEGIN: $name"
	"$@"
	echo "NETNS-SECTION-END: $name rc=$?"
}

# Debug kernel: forget what kmemleak holds against the boot itself.
if [ -w /sys/kernel/debug/kmemleak ]; then
	echo scan >/sys/kernel/debug/kmemleak
	echo clear >/sys/kernel/debug/kmemleak
fi

section conformance /tests/bin/conformance
section badinput /tests/bin/badinput
[ -d /sys/kernel/debug/failslab ] && section faultinject /tests/bin/faultinject
# scripts/test --long puts netns.churn=long on the kernel command line.
churn_long=
grep -q 'netns\.churn=long' /proc/cmdline && churn_long=--long
section churn /tests/bin/churn $churn_long
section referee /tests/referee/run.sh
[ -w /sys/kernel/debug/kmemleak ] && section kmemleak /tests/kmemleak.sh
# The host decides pass/fail from the TAP lines and the console; the
# guest's own status only says the runner itself finished.
exit 0
