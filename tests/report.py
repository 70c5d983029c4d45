#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Read a guest console log and give the verdict of the test suite.

Three sources of results, printed as one TAP stream:
  kunit/...        the KUnit suites run at boot, parsed with the kernel
                   tree's own tools/testing/kunit/kunit_parser.py
  conformance/...  tests/guest/conformance.c (kselftest harness TAP)
  referee/...      the kernel's selftests of tests/referee/list; a test that
                   passed on vanilla 6.12 (tests/referee/vanilla) must pass
plus the console itself: an oops, BUG, WARNING, KASAN/lockdep report or
"unregister_netdevice: waiting" anywhere fails the run.

The last line is "N passed, N failed" (", N skipped" when there are skips).
Exit status 0 only when nothing failed and at least one test ran.
"""
import argparse
import io
import os
import re
import sys
from contextlib import redirect_stdout

TAP = re.compile(r'^(not ok|ok) +\d+ +(?:- +)?([^#]*?)\s*(?:#\s*(SKIP|skip|TODO)\s*(.*))?$')
# What the kernel prints when something is wrong.  Not "Call Trace:" on
# its own: an injected allocation failure (faultinject) is reported by
# warn_alloc with a stack dump, and that is the expected outcome there; so
# is ref_tracker's note that it could not allocate a tracker.
BAD = re.compile(r'(Oops:|BUG:|WARNING:|Kernel panic|general protection fault|'
                 r'KASAN:|UBSAN:|ODEBUG:|ref_tracker: (?!memory allocation failure)|possible recursive locking|'
                 r'possible circular locking|unregister_netdevice: waiting for|'
                 r'refcount_t: |kmemleak: \d+ new suspected|INFO: task .* blocked|'
                 r'RCU detected stall|rcu_sched self-detected stall)')


class Results:
    def __init__(self):
        self.rows = []  # (status, name, note)

    def add(self, status, name, note=''):
        self.rows.append((status, name, note))

    def count(self, status):
        return sum(1 for s, _, _ in self.rows if s == status)


def kunit_results(res, lines, ksrc):
    """KUnit output comes before /init runs: parse it with kunit_parser."""
    sys.path.insert(0, os.path.join(ksrc, 'tools', 'testing', 'kunit'))
    try:
        import kunit_parser
        from kunit_parser import TestStatus
    except ImportError as e:
        res.add('fail', 'kunit', f'cannot import the tree\'s kunit_parser: {e}')
        return
    buf = io.StringIO()
    with redirect_stdout(buf):
        top = kunit_parser.parse_run_tests(lines)
    summary = [l for l in buf.getvalue().splitlines() if l.strip()]
    for line in summary:
        print('# kunit.py: ' + re.sub(r'\x1b\[[0-9;]*m', '', line))

    def walk(test, prefix):
        if not test.subtests:
            name = f'{prefix}{test.name}'
            if test.status == TestStatus.SUCCESS:
                res.add('pass', name)
            elif test.status == TestStatus.SKIPPED:
                res.add('skip', name, 'skipped by KUnit')
            else:
                res.add('fail', name, test.status.name)
            return
        for sub in test.subtests:
            walk(sub, f'{prefix}{test.name}.' if test.name else prefix)

    if top.status in (TestStatus.FAILURE_TO_PARSE_TESTS, TestStatus.NO_TESTS):
        res.add('fail', 'kunit', 'no KUnit results on the console (CONFIG_KUNIT off?)')
        return
    walk(top, 'kunit/')


def sections_of(lines):
    """{name: (lines, rc)} for the NETNS-SECTION markers printed by run.sh."""
    out, cur, body = {}, None, []
    for line in lines:
        m = re.match(r'NETNS-SECTION-BEGIN: (\S+)', line)
        if m:
            cur, body = m.group(1), []
            continue
        m = re.match(r'NETNS-SECTION-END: (\S+) rc=(\d+)', line)
        if m and cur:
            out[cur] = (body, int(m.group(2)))
            cur = None
            continue
        if cur:
            body.append(line)
    if cur:
        out[cur] = (body, None)
    return out


def tap_results(res, prefix, body, rc, expect=None):
    seen = 0
    for line in body:
        m = TAP.match(line.strip())
        if not m:
            continue
        seen += 1
        ok, name, directive, why = m.groups()
        name = name.strip()
        full = f'{prefix}/{name}'
        if directive and directive.lower() == 'skip':
            if expect is not None and expect.get(name) == 'pass':
                res.add('fail', full, f'skipped ({why}), but passes on vanilla 6.12')
            else:
                res.add('skip', full, why or 'skipped')
        elif ok == 'ok':
            res.add('pass', full)
        elif expect is not None and expect.get(name) != 'pass':
            res.add('skip', full, 'fails on vanilla 6.12 too (tests/referee/vanilla)')
        else:
            res.add('fail', full)
    if rc is None:
        res.add('fail', prefix, 'section did not finish (guest crashed or hung)')
    elif not seen:
        res.add('fail', prefix, 'section printed no results')


def read_expect(path):
    exp = {}
    if path and os.path.exists(path):
        for line in open(path):
            line = line.split('#', 1)[0].split()
            if len(line) >= 2:
                exp[line[0]] = line[1]
    return exp


def one_run(res, label, console, sections, args):
    """Results of one boot: KUnit, its sections and its console."""
    prefix = f'{label}/' if label else ''
    if not os.path.exists(console):
        res.add('fail', f'{prefix}boot', f'no console log {console}')
        return
    lines = open(console, errors='replace').read().splitlines()
    sub = Results()

    # Everything before the guest's /init is the kernel booting (and KUnit).
    boot = []
    for line in lines:
        if 'netns guest:' in line:
            break
        boot.append(line)
    if not args.no_kunit:
        kunit_results(sub, boot, args.ksrc)

    secs = sections_of(lines)
    expect = read_expect(args.vanilla)
    for name in [s for s in sections.split(',') if s]:
        if name not in secs:
            sub.add('fail', name, 'section missing from the console (guest crashed?)')
            continue
        body, rc = secs[name]
        tap_results(sub, name, body, rc, expect if name == 'referee' else None)

    bad = [l.strip() for l in lines if BAD.search(l)]
    if bad:
        sub.add('fail', 'console/clean', 'kernel reported: ' + ' | '.join(bad[:5]))
        for l in bad[:40]:
            print(f'# {label or "console"}: {l}')
    else:
        sub.add('pass', 'console/clean')
    for status, name, note in sub.rows:
        res.add(status, prefix + name, note)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('console', nargs='?', help='the guest console log')
    ap.add_argument('--run', action='append', default=[],
                    help='LABEL=CONSOLE:SECTIONS, one per boot (LABEL may be empty)')
    ap.add_argument('--ksrc', required=True, help='kernel tree (for kunit_parser)')
    ap.add_argument('--vanilla', help='referee results on vanilla 6.12')
    ap.add_argument('--sections', default='conformance,referee',
                    help='sections that must be present (comma separated)')
    ap.add_argument('--no-kunit', action='store_true')
    ap.add_argument('--extra', action='append', default=[],
                    help='host-side results: lines "pass NAME", "fail NAME: why", "skip NAME: why"')
    args = ap.parse_args()

    res = Results()
    runs = []
    if args.console:
        runs.append(('', args.console, args.sections))
    for r in args.run:
        label, rest = r.split('=', 1)
        console, sections = rest.rsplit(':', 1)
        runs.append((label, console, sections))
    if not runs:
        ap.error('name a console log or give --run')
    for label, console, sections in runs:
        one_run(res, label, console, sections, args)

    for path in args.extra:
        for line in open(path):
            m = re.match(r'(pass|fail|skip) (\S+?):?(?: (.*))?$', line.strip())
            if m:
                res.add(m.group(1), m.group(2), m.group(3) or '')

    n = 0
    print('TAP version 13')
    print(f'1..{len(res.rows)}')
    for status, name, note in res.rows:
        n += 1
        if status == 'pass':
            print(f'ok {n} {name}')
        elif status == 'skip':
            print(f'ok {n} {name} # SKIP {note}')
        else:
            print(f'not ok {n} {name}' + (f' # {note}' if note else ''))
    skips = [(name, note) for s, name, note in res.rows if s == 'skip']
    for name, note in skips:
        print(f'# skipped: {name}: {note}')
    failed = [name for s, name, _ in res.rows if s == 'fail']
    for name in failed:
        print(f'# FAILED: {name}')
    line = f'{res.count("pass")} passed, {res.count("fail")} failed'
    if skips:
        line += f', {len(skips)} skipped'
    print(line)
    return 0 if not failed and res.count('pass') > 1 else 1


if __name__ == '__main__':
    sys.exit(main())
