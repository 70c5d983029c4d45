#!/bin/sh
# Final kmemleak scan of a debug-kernel run (section "kmemleak").  Boot-time
# reports were cleared when the run started (run.sh), so anything reported
# now was leaked by the tests.
f=/sys/kernel/debug/kmemleak
echo "TAP version 13"
echo "1..1"
if [ ! -w $f ]; then
	echo "ok 1 kmemleak_clean # SKIP no kmemleak (not the debug kernel)"
	exit 0
fi
# kmemleak never reports an object younger than 5 s (MSECS_MIN_AGE): let
# the last test's objects age past that, then scan twice (an object must
# stay unreferenced across scans to be reported).
sleep 6
echo scan >$f
echo scan >$f
leaks=$(cat $f)
if [ -z "$leaks" ]; then
	echo "ok 1 kmemleak_clean"
else
	echo "$leaks" | head -120 | sed 's/^/# /'
	echo "not ok 1 kmemleak_clean"
fi
