#!/usr/bin/env python3
"""Compare what a program sees of a fresh network namespace on two kernels.

Usage: visible.py VANILLA.tap PATCHED.tap [--diff DIR]

The inputs are the results channels of two boots that ran the guest
section "visible" (tests/guest/nsdump.sh): lines "STATE|SOURCE|LINE".
What is random by nature, or global to the machine rather than the
namespace's own, is masked (MASKS below, each with its reason); every
other line must be identical.  Prints one line per check in the format
of scripts/test's host results:
    pass visible/complete: ...        both dumps whole (every state, every
                                      source, nsdump finished)
    pass visible/STATE: N lines       the two dumps of STATE are identical
    fail visible/STATE: first difference ...
With --diff DIR the masked dumps and their unified diff go to DIR.
Exit status 0 when everything passed, 1 otherwise, 2 on bad usage.
"""
import difflib
import os
import re
import sys

STATES = ["fresh", "sysctl", "lo_up", "moved_in", "late_look", "early_mount"]
# The least a whole dump of a state has, per source: a dump cut short, or
# a tool that failed to run, must not compare equal to another like it.
MINIMUM = {"sysctl": 400, "procnet": 200, "sysfs": 50, "ip-4-link": 1,
           "ip-6-link": 1, "ip-4-rule": 3, "ip-6-rule": 2, "ip-4-netconf": 2,
           "ip-6-netconf": 2, "ip-stats": 4, "ip-maddr": 2, "ip-addrlabel": 10, "ss": 1,
           "meta": 500}

# (source, file or None, pattern, replacement, why)
MASKS = [
    ("procnet", "/proc/net/netlink", r"\s+\d+\s*$", " INODE",
     "the socket inode number depends on every inode made since boot"),
    ("procnet", "/proc/net/netlink", r"^(/proc/net/netlink:)(\(____ptrval____\)|[0-9a-f]{16}) ",
     r"\1SOCK ",
     "the socket's address, hashed once the boot's random key is there, and"
     " '(____ptrval____)' before"),
    ("procnet", "/proc/net/softnet_stat", r"[0-9a-f]{8}", "N",
     "per-CPU packet counters of the whole machine"),
    ("procnet", "/proc/net/stat/", r"[0-9a-f]{8}", "N",
     "route and neighbour cache statistics of the whole machine"),
    ("procnet", "/proc/net/sockstat", r"\bmem \d+", "mem N",
     "protocol memory is counted for the whole machine"),
    ("procnet", "/proc/net/protocols", r"^(\S+\s+\d+\s+\d+\s+)-?\d+", r"\1MEM",
     "protocol memory is counted for the whole machine"),
    ("sysctl", "/proc/sys/net/ipv4/tcp_fastopen_key", r":.*", ":KEY",
     "a random key per namespace"),
    ("sysctl", "/proc/sys/net/core/netdev_rss_key", r":.*", ":KEY",
     "a random key, made once for the machine"),
    ("ss", None, r"\s+", " ",
     "ss pads its columns to the widest entry, masked or not"),
    ("ss", None, r"^nl (\S+ \d+ -?\d+ )\S+", r"nl \1ADDR",
     "ss prints its own dump socket's uninitialised address"),
    ("ss", None, r"^nl (\S+) -?\d+ -?\d+ ", r"nl \1 Q Q ",
     "a netlink socket's queues are what is in flight while ss dumps"),
]


def mask(source, line):
    for src, path, pat, repl, _ in MASKS:
        if src != source or (path and not line.startswith(path)):
            continue
        line = re.sub(pat, repl, line)
    return line


def load(path):
    """{state: {source: [lines]}}, whether nsdump finished, error lines."""
    dump = {s: {} for s in STATES}
    done = False
    errors = []
    try:
        f = open(path, errors="replace")
    except OSError as e:
        return None, False, [str(e)]
    with f:
        for raw in f:
            raw = raw.rstrip("\r\n")
            if raw == "nsdump: done":
                done = True
                continue
            parts = raw.split("|", 2)
            if len(parts) != 3 or parts[0] not in dump:
                if raw.startswith("nsdump:"):
                    errors.append(raw)
                continue
            state, source, line = parts
            if source == "error":
                errors.append(f"{state}: {line}")
                continue
            dump[state].setdefault(source, []).append(mask(source, line))
    return dump, done, errors


def whole(name, dump, done, errors):
    """Why the dump is not whole, or None."""
    if dump is None:
        return f"{name}: {errors[0]}"
    if errors:
        return f"{name}: {errors[0]}"
    if not done:
        return f"{name}: no 'nsdump: done' (the guest section did not finish)"
    for state in STATES:
        for source, least in MINIMUM.items():
            n = len(dump[state].get(source, []))
            if n < least:
                return f"{name}: {state} has {n} {source} lines, a whole dump has {least} or more"
    return None


# Sources the guest sorts: sorted again once masked, as a mask can change
# the order (a pointer that sorted the lines is masked out).
SORTED = {"sysctl", "procnet", "sysfs"}


def flat(dump, state):
    return [f"{src}|{line}" for src in sorted(dump[state])
            for line in (sorted(dump[state][src]) if src in SORTED else dump[state][src])]


def main(argv):
    args = argv[1:]
    outdir = None
    if "--diff" in args:
        i = args.index("--diff")
        if i + 1 >= len(args):
            print("usage: visible.py VANILLA.tap PATCHED.tap [--diff DIR]", file=sys.stderr)
            return 2
        outdir = args[i + 1]
        del args[i:i + 2]
    if len(args) != 2:
        print("usage: visible.py VANILLA.tap PATCHED.tap [--diff DIR]", file=sys.stderr)
        return 2
    loaded = [load(p) for p in args]
    bad = [whole(n, *d) for n, d in zip(["vanilla", "patched"], loaded)]
    bad = [b for b in bad if b]
    if bad:
        print(f"fail visible/complete: {'; '.join(bad)}")
        return 1
    (van, _, _), (pat, _, _) = loaded
    total = sum(len(flat(van, s)) for s in STATES)
    print(f"pass visible/complete: {total} lines in {len(STATES)} states from each kernel")
    ok = True
    for state in STATES:
        a, b = flat(van, state), flat(pat, state)
        diff = list(difflib.unified_diff(a, b, "vanilla", "patched", n=0, lineterm=""))
        if outdir:
            os.makedirs(outdir, exist_ok=True)
            for name, lines in (("vanilla", a), ("patched", b)):
                with open(os.path.join(outdir, f"{state}.{name}"), "w") as f:
                    f.write("\n".join(lines) + "\n")
            with open(os.path.join(outdir, f"{state}.diff"), "w") as f:
                f.write("\n".join(diff) + "\n")
        if not diff:
            print(f"pass visible/{state}: {len(a)} lines identical")
            continue
        ok = False
        changed = [d for d in diff if d[:1] in "+-" and d[:3] not in ("+++", "---")]
        print(f"fail visible/{state}: {len(changed)} lines differ, first: "
              + " / ".join(changed[:2]))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
