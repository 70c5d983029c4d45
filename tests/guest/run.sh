#!/bin/sh
# The guest side of the test suite.  Each section prints TAP lines; the
# host (tests/report.py) reads them from the console between the markers.
# $1: run only the sections whose name matches (empty: all).
only=$1
section() {
	case $1 in *"$only"*) ;; *) return 1 ;; esac
	echo "NETNS-SECTION-BEGIN: $1"
}
end() { echo "NETNS-SECTION-END: $1 rc=$2"; }

if section conformance; then
	/tests/bin/conformance
	end conformance $?
fi
if section referee && [ -x /tests/referee/run.sh ]; then
	/tests/referee/run.sh
	end referee $?
fi
# The host decides pass/fail from the TAP lines and the console; the
# guest's own status only says the runner itself finished.
exit 0
