#!/bin/sh
# Where creating and dismantling a namespace spend their time: the
# kernel's function profiler (CONFIG_FUNCTION_PROFILER; scripts/build
# --profile has it) over N unshare(CLONE_NEWNET) and their teardown (the
# profiler stays on until nsbench --drain has seen every namespace
# freed), for the pernet init and exit functions and the calls they
# spend on.  Prints "function calls us/namespace setup% cleanup%",
# sorted: the shares are of setup_net()'s and cleanup_net()'s own totals.
# Time includes callees, time spent asleep (an RCU wait) and the
# profiler's own overhead: read the shares, not the figures.  The drain
# adds 3 namespaces of its own to the N.
# Usage (guest shell): /tests/createprofile.sh [N]   (default 200)
#
# With --callers FUNC: who calls FUNC while N namespaces are made and
# dismantled (the function tracer, with a stack trace per call): prints
# "calls/namespace calls task frame <- frame <- ...", the top four frames of
# its stack trace, sorted.  The task is the creating process (unshare)
# or the one that dismantles (kworker).  E.g. --callers pcpu_alloc_noprof lists a
# namespace's per-CPU allocations.
# Usage: /tests/createprofile.sh --callers FUNC [N]   (default 20)
T=/sys/kernel/tracing
mount -t tracefs nodev $T 2>/dev/null

# N namespaces made and let go of, then every one of them freed
make_and_drain() {
	i=0
	while [ $i -lt "$1" ]; do
		unshare -n true || { echo "createprofile: unshare -n failed"; exit 1; }
		i=$((i + 1))
	done
	/tests/bin/nsbench --drain || { echo "createprofile: nsbench --drain failed"; exit 1; }
}

if [ "$1" = --callers ]; then
	f=$2
	n=${3:-20}
	[ -n "$f" ] || { echo "createprofile: --callers needs a function name"; exit 1; }
	[ -e $T/set_ftrace_filter ] ||
		{ echo "createprofile: no $T/set_ftrace_filter (CONFIG_DYNAMIC_FTRACE)"; exit 1; }
	echo nop >$T/current_tracer
	echo "$f" >$T/set_ftrace_filter 2>/dev/null ||
		{ echo "createprofile: cannot trace '$f' (not in $T/available_filter_functions)"; exit 1; }
	echo 8192 >$T/buffer_size_kb
	echo >$T/trace
	echo function >$T/current_tracer
	echo 1 >$T/options/func_stack_trace
	echo 1 >$T/tracing_on
	make_and_drain "$n"
	echo 0 >$T/tracing_on
	grep -q 'LOST EVENTS' $T/trace && echo "createprofile: the trace buffer overflowed: try a smaller N"
	echo "createprofile: callers of $f over $n namespaces (+3 of the drain)"
	awk -v n="$n" '
		/<stack trace>/ { task = $1; sub(/-[0-9]+$/, "", task); sub(/\/.*/, "", task); d = 0; key = ""; next }
		/^ => \[/ { next }	# the ftrace trampoline
		/^ => / {
			d++
			if (d <= 4) key = key (d > 1 ? " <- " : "") $2
			if (d == 4) count[task " " key]++
			next
		}
		END { for (k in count) printf "%8.2f %7d %s\n", count[k] / n, count[k], k }' $T/trace |
		sort -r -n -k2 >/tmp/callers
	[ -s /tmp/callers ] || { echo "createprofile: no call traced; the trace begins:"; head -40 $T/trace; }
	# (a change of tracer empties the trace: only now)
	echo 0 >$T/options/func_stack_trace
	echo nop >$T/current_tracer
	[ -s /tmp/callers ] && cat /tmp/callers
	exit 0
fi
[ -e $T/function_profile_enabled ] ||
	{ echo "createprofile: no $T/function_profile_enabled (CONFIG_FUNCTION_PROFILER)"; exit 1; }
n=${1:-200}
echo 0 >$T/function_profile_enabled
grep -E '^([a-z0-9_]+_net_init|[a-z0-9_]+_net_exit|[a-z0-9_]+_exit_net|[a-z0-9_]+_exit_batch|[a-z0-9_]+_exit_batch_rtnl|ops_init|setup_net|cleanup_net|unregister_netdevice_many_notify|netdev_run_todo|netdev_unregister_kobject|device_del|unregister_net_sysctl_table|remove_proc_entry|remove_proc_subtree|netlink_kernel_release|sock_release|synchronize_rcu_expedited|synchronize_net|register_net_sysctl_sz|__register_sysctl_table|sysctl_insert_table_header|kmemdup|inet_ctl_sock_create|sock_create_kern|netlink_kernel_create|proc_create_net_data|proc_create_net_single|proc_mkdir_data|register_netdevice|netdev_register_kobject|kobject_uevent_env|device_add|neigh_sysctl_register|__addrconf_sysctl_register|__devinet_sysctl_register|snmp6_alloc_dev|ipv6_add_dev|inetdev_init|loopback_net_init|synchronize_rcu|rcu_barrier|default_device_exit_batch|dev_close_many|dev_shutdown|call_netdevice_notifiers_info|addrconf_ifdown|inetdev_event|neigh_ifdown|rtmsg_ifinfo_build_skb|rtnl_notify|netdev_wait_allrefs_any|free_netdev|unhash_nsid|ops_undo_list|net_complete_free|rtnl_lock|mutex_spin_on_owner|rt6_sync_down_dev|fib_disable_ip|fib_sync_down_dev|flush_all_backlogs|dev_deactivate_many|kobject_put|nsfs_evict|net_free|snmp6_alloc_dev|neigh_parms_alloc|ipv6_mc_init_dev|snmp6_register_dev|addrconf_sysctl_register|pcpu_alloc_noprof|free_percpu|ip_mc_init_dev|devinet_sysctl_register|ipv6_mc_destroy_dev|ip_mc_destroy_dev|snmp6_unregister_dev|neigh_parms_release|in6_dev_finish_destroy|in_dev_finish_destroy|addrconf_notify|ndisc_netdev_event|fib_netdev_event|ip6_route_dev_notify|inet6_netconf_notify_devconf|netdev_name_node_alloc|dev_addr_init|netif_alloc_rx_queues|netif_alloc_netdev_queues|alloc_netdev_mqs|loopback_setup|netdev_init_one_queue|qdisc_create_dflt|dev_activate|list_netdevice|netdev_name_in_use|dev_get_valid_name|init_dummy_netdev|ipv4_mib_init_net|ipv4_mib_exit_net|inet6_net_init|ipv6_init_mibs|ipv6_cleanup_mibs)$' \
	$T/available_filter_functions | sort -u >$T/set_ftrace_filter
echo "createprofile: $(wc -l <$T/set_ftrace_filter) functions, $n namespaces"
echo 1 >$T/function_profile_enabled
make_and_drain "$n"
echo 0 >$T/function_profile_enabled
cat $T/trace_stat/function* | awk -v n="$n" '
	$1 == "Function" || $1 ~ /^-/ || NF < 3 { next }
	{ hits[$1] += $2; t = $3; if ($4 == "us") us[$1] += t; else if ($4 == "ms") us[$1] += t * 1000; else us[$1] += t }
	END {
		base = us["setup_net"]; down = us["cleanup_net"]
		for (f in us)
			printf "%-36s %8d %10.1f %6.1f%% %6.1f%%\n", f, hits[f], us[f] / n,
				base ? 100 * us[f] / base : 0, down ? 100 * us[f] / down : 0
	}' | sort -k3 -n -r
