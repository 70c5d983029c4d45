#!/bin/sh
# Helpers for the guest scripts.  Sourced.
IP=/usr/bin/ip

# waitfor SECONDS CMD...: wait until CMD succeeds, polling, at most SECONDS.
# Namespace teardown is asynchronous (cleanup_net runs on a workqueue), so
# its effects are awaited as a condition with a bound, never slept for.
waitfor() {
	_wf_left=$(($1 * 20))
	shift
	until "$@"; do
		_wf_left=$((_wf_left - 1))
		[ $_wf_left -gt 0 ] || return 1
		sleep 0.05
	done
}
