#!/usr/bin/env python3
"""Tables for scripts/bench: read the guests' results, print the comparison.

  benchtab.py --out DIR --kernel LABEL FILE... --kernel LABEL FILE...
              [--profile FILE] [--expect-groups G,G]
  benchtab.py --agree OLD.tsv NEW.tsv

Each FILE is one boot's results channel (scripts/boot --results) holding
the `bench` section: `BENCH figure value unit` and `MAP ...` lines from
tests/guest/nsbench.c.  Writes DIR/bench.tsv and DIR/bench.md and prints
the Markdown table: per figure, each kernel's median over its boots with
min-max, and the second kernel over the first.  --expect-groups: exit 1
unless every figure of those groups came from every boot (the smoke test).
--agree: the largest difference between two runs' medians, per figure.
"""
import argparse
import statistics
import sys

GROUP_FIGURES = {  # figures each nsbench group must produce
    "mem": ["mem.lo_down.", "mem.lo_up."],
    "create": ["create.latency"] + [f"create.{p}proc.{k}" for p in (1, 2)
                                    for k in ("latency", "churn", "mem_residue")],
    "veth": ["veth.pair.rate", "veth.pair.latency"],
    "cross": [f"cross.{p}.{k}" for p in ("lo", "veth", "routed")
              for k in ("udp_rr.rtt", "tcp_rr.rtt", "tcp_stream")],
    "capacity": ["capacity.namespaces"],
}


def parse(path):
    """figures {name: (value, unit)}, maps [(lo, n, kind, name, bytes)] of one boot."""
    figs, maps, inside, done, rc = {}, [], False, False, None
    with open(path, errors="replace") as f:
        for line in f:
            w = line.split()
            if line.startswith("NETNS-SECTION-BEGIN: bench"):
                inside = True
            elif line.startswith("NETNS-SECTION-END: bench"):
                inside, rc = False, line.strip().rsplit("rc=", 1)[-1]
            elif not inside:
                continue
            elif w[:1] == ["BENCH"] and len(w) == 4:
                figs[w[1]] = (float(w[2]), w[3])
            elif w[:1] == ["MAP"] and len(w) == 6:
                maps.append((w[1], int(w[2]), w[3], w[4], float(w[5])))
            elif line.startswith("nsbench: done"):
                done = True
            elif line.startswith("nsbench: error"):
                sys.exit(f"benchtab: {path}: {line.strip()}")
    if rc != "0" or not done:
        sys.exit(f"benchtab: {path}: the bench section did not finish (rc={rc}); "
                 f"see the console log next to it")
    return figs, maps


def num(v):
    a = abs(v)
    return f"{v:.0f}" if a >= 1000 else f"{v:.1f}" if a >= 100 else f"{v:.2f}" if a >= 10 else f"{v:.3f}"


def cell(vals):
    if not vals:
        return "-"
    m = statistics.median(vals)
    if len(vals) == 1:
        return num(m)
    return f"{num(m)} ({num(min(vals))}–{num(max(vals))})"


def spread(vals):
    m = statistics.median(vals)
    return (max(vals) - min(vals)) / abs(m) * 100 if m else 0.0


def tables(args):
    kernels = []  # (label, [(figs, maps)])
    for k in args.kernel:
        kernels.append((k[0], [parse(p) for p in k[1:]]))
    order, units = [], {}
    for _, boots in kernels:
        for figs, _ in boots:
            for name, (_, unit) in figs.items():
                if name not in units:
                    order.append(name)
                    units[name] = unit
    labels = [k[0] for k in kernels]
    ratio_head = f"{labels[-1]}/{labels[0]}" if len(labels) > 1 else ""
    md = [f"| figure | unit | {' | '.join(labels)} |" + (f" {ratio_head} | spread |" if ratio_head else " spread |"),
          "|---|---|" + "---:|" * len(labels) + ("---:|---:|" if ratio_head else "---:|")]
    tsv = ["figure\tunit\t" + "\t".join(f"{l}_median\t{l}_min\t{l}_max" for l in labels) + "\tratio\tspread_pct"]
    missing = []
    for name in order:
        vals = [[b[0][name][0] for b in boots if name in b[0]] for _, boots in kernels]
        for (label, boots), v in zip(kernels, vals):
            if len(v) != len(boots):
                missing.append(f"{name} in {len(boots) - len(v)} of {label}'s boots")
        meds = [statistics.median(v) if v else None for v in vals]
        ratio = meds[-1] / meds[0] if len(meds) > 1 and meds[0] and meds[-1] is not None else None
        sp = max((spread(v) for v in vals if v), default=0.0)
        row = f"| {name} | {units[name]} | " + " | ".join(cell(v) for v in vals) + " |"
        row += (f" {ratio:.3f} |" if ratio is not None else " - |") if ratio_head else ""
        md.append(row + f" {sp:.2f}% |")
        tsv.append(f"{name}\t{units[name]}\t" + "\t".join(
            f"{statistics.median(v)}\t{min(v)}\t{max(v)}" if v else "\t\t" for v in vals)
            + f"\t{ratio if ratio is not None else ''}\t{sp:.3f}")

    # Where the memory goes: the slab caches that grew most, largest n.
    mapmd = []
    for lo in ("lo_down", "lo_up"):
        ns = [m[1] for _, boots in kernels for b in boots for m in b[1] if m[0] == lo and m[2] == "slab"]
        if not ns:
            continue
        n = max(ns)
        per = []
        for _, boots in kernels:
            d = {}
            for b in boots:
                for m in b[1]:
                    if m[:3] == (lo, n, "slab"):
                        d.setdefault(m[3], []).append(m[4])
            per.append({c: statistics.median(v + [0.0] * (len(boots) - len(v))) for c, v in d.items()})
        caches = sorted(set().union(*per), key=lambda c: -max(p.get(c, 0) for p in per))[:10]
        mapmd += ["", f"Slab caches that grew most, bytes per namespace ({lo}, {n} namespaces held):", "",
                  f"| cache | {' | '.join(labels)} |", "|---|" + "---:|" * len(labels)]
        mapmd += [f"| {c} | " + " | ".join(f"{p.get(c, 0):.0f}" for p in per) + " |" for c in caches]
    if args.profile:
        figs, maps = parse(args.profile)
        al = [m for m in maps if m[2] == "alloc"]
        if not al:
            sys.exit(f"benchtab: {args.profile}: no /proc/allocinfo lines (not a profiling kernel?)")
        n = max(m[1] for m in al)
        mapmd += ["", f"Allocation call sites that grew most, bytes per namespace "
                  f"(/proc/allocinfo, profiling build of {labels[-1]}, lo_down, {n} namespaces held):", "",
                  "| call site | bytes/ns |", "|---|---:|"]
        site = lambda t: t.replace("~", " ").strip().removeprefix("../linux/")
        mapmd += [f"| {site(m[3])} | {m[4]:.0f} |" for m in al if m[0] == "lo_down" and m[1] == n][:20]
        mapmd += ["", "(mm/slub.c alloc_slab_page is the slab pages themselves, which hold the "
                  "objects of the other sites; mm/percpu*.c is the per-CPU allocator's chunks.)"]

    out = "\n".join(md + mapmd) + "\n"
    with open(f"{args.out}/bench.md", "w") as f:
        f.write(out)
    with open(f"{args.out}/bench.tsv", "w") as f:
        f.write("\n".join(tsv) + "\n")
    print(out, end="")
    if args.expect_groups:
        for g in args.expect_groups.split(","):
            for want in GROUP_FIGURES[g]:
                if not any(name.startswith(want) for name in order):
                    missing.append(f"{want}* (group {g}) in every boot")
    if missing:
        for m in missing:
            print(f"benchtab: missing figure: {m}", file=sys.stderr)
        return 1
    return 0


def agree(old, new):
    def read(p):
        with open(p) as f:
            rows = [l.rstrip("\n").split("\t") for l in f]
        head = rows[0]
        cols = {h[:-len("_median")]: i for i, h in enumerate(head) if h.endswith("_median")}
        return {r[0]: {k: float(r[i]) for k, i in cols.items() if i < len(r) and r[i]}
                for r in rows[1:]}
    a, b = read(old), read(new)
    worst, missing = 0.0, 0
    print("figure\tkernel\told\tnew\tdiff_pct")
    for name in list(a) + [n for n in b if n not in a]:
        for k in list(a.get(name, {})) + [k for k in b.get(name, {}) if k not in a.get(name, {})]:
            x, y = a.get(name, {}).get(k), b.get(name, {}).get(k)
            if x is None or y is None:
                missing += 1
                print(f"{name}\t{k}\t{x if x is not None else 'missing'}\t{y if y is not None else 'missing'}\t-")
                continue
            d = (y - x) / abs(x) * 100 if x else (0.0 if y == x else float("inf"))
            worst = max(worst, abs(d))
            print(f"{name}\t{k}\t{x:g}\t{y:g}\t{d:+.2f}")
    print(f"largest difference: {worst:.2f}%" + (f"; {missing} figure(s) in one run only" if missing else ""))
    return 1 if missing else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out")
    ap.add_argument("--kernel", nargs="+", action="append", metavar=("LABEL", "FILE"))
    ap.add_argument("--profile")
    ap.add_argument("--expect-groups")
    ap.add_argument("--agree", nargs=2, metavar=("OLD", "NEW"))
    args = ap.parse_args()
    if args.agree:
        return agree(*args.agree)
    if not args.kernel or not args.out or any(len(k) < 2 for k in args.kernel):
        ap.error("--out DIR and --kernel LABEL FILE... (at least one boot per kernel) are needed")
    return tables(args)


if __name__ == "__main__":
    sys.exit(main())
