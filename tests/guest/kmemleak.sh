#!/bin/sh
# Final kmemleak scan of a debug-kernel run (section "kmemleak").  Boot-time
# reports were cleared when the run started (run.sh), so anything reported
# now was leaked by the tests.
f=/sys/kernel/debug/kmemleak
echo "TAP version 13"
echo "1..1"
if [ ! -w $f ]; then
	echo "ok 1 kmemleak_clean # SKIP no $f (kernel without CONFIG_DEBUG_KMEMLEAK)"
	exit 4
fi
# kmemleak never reports an object younger than 5 s (MSECS_MIN_AGE), and
# only one that stayed unreferenced across two scans.  So scan, in a
# loop, until the kernel's own clock says that everything the tests
# allocated is old enough, then scan twice more.  No fixed sleep: each
# round is a scan, which takes seconds on the debug kernel anyway.
uptime_cs() { # the kernel's uptime in hundredths of a second
	sed 's/^\([0-9]*\)\.\([0-9]*\) .*/\1\2/; s/^0*//; s/^$/0/' /proc/uptime
}
t_end=$(($(uptime_cs) + 510))
rounds=0
until [ "$(uptime_cs)" -ge "$t_end" ] || [ $rounds -ge 1000 ]; do
	echo scan >$f
	rounds=$((rounds + 1))
done
echo scan >$f
echo scan >$f
echo "# $((rounds + 2)) scans"
leaks=$(cat $f)
if [ -z "$leaks" ]; then
	echo "ok 1 kmemleak_clean"
else
	echo "$leaks" | head -120 | sed 's/^/# /'
	echo "not ok 1 kmemleak_clean"
	exit 1
fi
