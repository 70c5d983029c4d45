#!/bin/sh
# The guest side of the test suite: run the sections of this boot's plan
# ($NETNS_SECTIONS, from tests/plan through /etc/netns-plan) and write
# their TAP to the results channel, the second serial port, apart from
# the kernel's console (which the host scans for kernel reports):
#   NETNS-SECTION-BEGIN: NAME
#   ... the section's TAP ...
#   NETNS-SECTION-END: NAME rc=N
# kunit is not run here: the kernel runs it at boot, on the console.
out=${NETNS_RESULTS:-/dev/ttyS1}
exec 3>"$out" || { echo "netns guest: cannot open the results channel $out"; exit 1; }

run_section() { # run_section NAME CMD...
	name=$1
	shift
	echo "netns guest: section $name"
	echo "NETNS-SECTION-BEGIN: $name" >&3
	# The tests write to the results channel, and do not get its fd.
	"$@" >&3 2>&1 3>&-
	rc=$?
	echo "NETNS-SECTION-END: $name rc=$rc" >&3
	echo "netns guest: section $name ended, rc=$rc"
}

# Debug kernel: forget what kmemleak holds against the boot itself.
if [ -w /sys/kernel/debug/kmemleak ]; then
	echo scan >/sys/kernel/debug/kmemleak
	echo clear >/sys/kernel/debug/kmemleak
fi

for s in $NETNS_SECTIONS; do
	case $s in
	kunit) ;;
	netns/*) run_section "$s" /kselftest/run_kselftest.sh -t "net/netns:${s#netns/}" ;;
	# The way a kernel developer runs them from an applied tree (make
	# and the tree's selftests directory are in the initramfs; the
	# programs are the ones built for /kselftest, so nothing compiles).
	# Not in tests/plan: all four programs, churn's 120 s included.
	run_tests) run_section "$s" make -C /src/tools/testing/selftests TARGETS=net/netns \
		O=/kselftest-obj KHDR_INCLUDES= run_tests ;;
	referee) run_section "$s" /tests/referee/run.sh ;;
	kmemleak) run_section "$s" /tests/kmemleak.sh ;;
	# scripts/bench: figures, not tests; NETNS_BENCH_ARGS from the plan.
	# shellcheck disable=SC2086
	bench) run_section "$s" /tests/bin/nsbench $NETNS_BENCH_ARGS ;;
	# scripts/test: what a program sees of a namespace, vanilla vs patched.
	visible) run_section "$s" /tests/nsdump.sh ;;
	# Not in tests/plan: where creating a namespace spends its time, on the
	# profiling kernel (README, "Where the time goes").
	# NETNS_PROFILE_CALLERS=FUNC: who calls FUNC instead;
	# NETNS_PROFILE_SERIAL=1: how long RTNL is held instead;
	# NETNS_PROFILE_GRAPH=FUNC: what FUNC calls, to NETNS_PROFILE_DEPTH.
	createprofile)
		if [ -n "$NETNS_PROFILE_SERIAL" ]; then
			run_section "$s" /tests/createprofile.sh --serial ${NETNS_PROFILE_N:-200}
		elif [ -n "$NETNS_PROFILE_GRAPH" ]; then
			run_section "$s" /tests/createprofile.sh --graph "$NETNS_PROFILE_GRAPH" ${NETNS_PROFILE_N:-20}
		elif [ -n "$NETNS_PROFILE_CALLERS" ]; then
			run_section "$s" /tests/createprofile.sh --callers "$NETNS_PROFILE_CALLERS" ${NETNS_PROFILE_N:-20}
		else
			run_section "$s" /tests/createprofile.sh ${NETNS_PROFILE_N:-200}
		fi ;;
	*) run_section "$s" echo "netns guest: no section named '$s'" ;;
	esac
done
echo "NETNS-RESULTS-END" >&3
# The host decides pass/fail from the results and the console; the
# guest's own status only says that the runner itself finished.
exit 0
