#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Give the verdict of one boot of the test suite, or of several together.

One boot (scripts/test runs one per pass):

  report.py --console CONSOLE --results RESULTS --sections S1,S2,...
            --ksrc TREE [--label debug] [--extra HOSTFILE] [--tsv OUT]

  CONSOLE   the guest's console (ttyS0): kernel messages.  KUnit's TAP is
            there (the kernel prints it at boot); it is parsed with the
            tree's own tools/testing/kunit/kunit_parser.py.  Any Oops, BUG,
            WARNING, KASAN or lockdep report, refcount or ref_tracker
            warning, or "unregister_netdevice: waiting for" fails the boot
            (console/clean).
  RESULTS   the results channel (ttyS1): every other section's TAP between
            NETNS-SECTION-BEGIN/END markers (tests/guest/run.sh).
  SECTIONS  what tests/plan says this pass runs; each must be there and
            complete.

A section passes only when it is complete and consistent:
  - it began and ended (END carries the runner's exit code);
  - it printed its TAP plan 1..N, and exactly the results 1..N, each once;
  - the exit code agrees with the results (non-zero exactly when a test
    failed; kselftest's 4 only when everything skipped);
  - for the kselftests (netns/NAME, run by run_kselftest.sh) all of that
    holds for the program's own TAP nested inside, and for its "Totals"
    line;
  - every SKIP gives a reason; and a skip is a failure here, since the
    passes of scripts/test are built to run every test (the reason is
    printed);
  - a referee entry also must show that it ran its checks: as many check
    lines as on vanilla 6.12 (tests/referee/checks), none failed.

Several boots together: report.py --merge A.tsv B.tsv ... counts each
distinct test once (a test that ran in two passes passes when it passed in
both) and prints the closing line.

The last line is "N passed, N failed" (", N skipped" when there are
skips).  Exit status 0 only when nothing failed and something passed.
"""
import argparse
import io
import os
import re
import sys
from contextlib import redirect_stdout

TAP_LINE = re.compile(r'^(not ok|ok)\s+(\d+)\s*(?:-\s*)?(.*?)\s*(?:#\s*(SKIP|TODO|XFAIL)\b\s*(.*))?$', re.I)
PLAN = re.compile(r'^1\.\.(\d+)')
TOTALS = re.compile(r'^# Totals: pass:(\d+) fail:(\d+) xfail:(\d+) xpass:(\d+) skip:(\d+) error:(\d+)')
# What the kernel prints when something is wrong.  Not "Call Trace:" on
# its own: an injected allocation failure (faultinject) is reported by
# warn_alloc with a stack dump, and that is the expected outcome there; so
# is ref_tracker's note that it could not allocate a tracker.
BAD = re.compile(r'(Oops:|BUG:|WARNING:|Kernel panic|general protection fault|'
                 r'KASAN:|UBSAN:|ODEBUG:|ref_tracker: (?!memory allocation failure)|possible recursive locking|'
                 r'possible circular locking|unregister_netdevice: waiting for|'
                 r'refcount_t: |kmemleak: \d+ new suspected|INFO: task .* blocked|'
                 r'RCU detected stall|rcu_sched self-detected stall)')
# A check line in a referee entry's output, and a failed one.
CHECK = re.compile(r'TEST: .*\[ ?(OK|PASS) ?\]|^(# )*ok \d+ (?!.*# SKIP)|\[OK\]|\.\.\. pass$|'
                   r'^(# )*PASSED$|works correctly$|^Success$')
CHECK_FAIL = re.compile(r'TEST: .*\[ ?FAIL ?\]|^(# )*not ok \d+ (?!.*# (TODO|XFAIL))|\[FAIL\]')


class Results:
    def __init__(self):
        self.rows = []  # (status, name, note)

    def add(self, status, name, note=''):
        self.rows.append((status, name, note))

    def count(self, status):
        return sum(1 for s, _, _ in self.rows if s == status)


class Tap:
    """One TAP stream: its plan, its results and what is wrong with it."""

    def __init__(self, lines):
        self.plan = None
        self.results = []  # (num, ok, name, directive, reason)
        self.totals = None
        self.problems = []
        for line in lines:
            line = line.rstrip()
            m = PLAN.match(line)
            if m and self.plan is None and not self.results:
                self.plan = int(m.group(1))
                continue
            m = TAP_LINE.match(line)
            if m:
                ok, num, name, directive, reason = m.groups()
                self.results.append((int(num), ok == 'ok', name.strip(),
                                     (directive or '').upper(), (reason or '').strip()))
                continue
            m = TOTALS.match(line)
            if m:
                self.totals = [int(x) for x in m.groups()]
        if self.plan is None:
            self.problems.append('no TAP plan (1..N)')
            return
        nums = [r[0] for r in self.results]
        if nums != list(range(1, len(nums) + 1)):
            self.problems.append(f'results numbered {short(nums)}, not 1..{len(nums)} in order')
        if len(self.results) != self.plan:
            self.problems.append(f'planned {self.plan} tests, reported {len(self.results)}')
        if self.plan == 0:
            self.problems.append('planned no tests (1..0)')

    def failed(self):
        return [r for r in self.results if not r[1] and r[3] not in ('TODO', 'XFAIL')]

    def skipped(self):
        return [r for r in self.results if r[1] and r[3] == 'SKIP']


def short(nums):
    return ','.join(map(str, nums[:8])) + (',...' if len(nums) > 8 else '')


def rc_problem(rc, tap):
    """What is wrong with a program's exit code, given its own TAP."""
    fails, skips = tap.failed(), tap.skipped()
    if rc is None:
        return 'did not finish (guest crashed or hung)'
    if fails and rc == 0:
        return f'exit code 0 although {len(fails)} test(s) failed'
    if not fails and rc not in (0, 4):
        return f'exit code {rc} although no test failed (died after its results?)'
    if rc == 4 and len(skips) != len(tap.results):
        return 'exit code 4 (skip) although not every test skipped'
    return None


# What kselftest_harness.h prints of a failing test: TH_LOG() and a failed
# ASSERT/EXPECT ("# FILE.c:LINE:TEST:message", FILE.h from a helper), and
# how its child ended when not by returning ("# TEST: Test terminated by
# timeout", "... unexpectedly by signal N", "... ended in some other way").
HARNESS_LOG = re.compile(r'^#\s*(\S+\.[ch]:\d+:|\S+: (Test (terminated|exited|ended)|'
                         r'unable to|Failed to wait|SIGALRM))')
# A failed check's own line: after the test's TH_LOG() lines in a note.
HARNESS_EXPECTED = re.compile(r'^\S+\.[ch]:\d+:[^:]*:Expected ')


def failure_logs(lines):
    """{result number: the harness log lines printed before it}: why a
    test failed, carried into its FAILED line (CI shows only the tail)."""
    logs, pending = {}, []
    for line in lines:
        line = line.rstrip()
        m = TAP_LINE.match(line)
        if m:
            logs[int(m.group(2))] = pending
            pending = []
        elif HARNESS_LOG.match(line):
            pending.append(line.lstrip('# '))
    return logs


def why(logs, num):
    """A failed test's log as one note line, at most 400 characters: what
    the test said first, then the checks that failed."""
    lines = logs.get(num, [])
    lines = ([l for l in lines if not HARNESS_EXPECTED.match(l)] +
             [l for l in lines if HARNESS_EXPECTED.match(l)])
    text = ' | '.join(lines[:4]).replace('\t', ' ')
    return text if len(text) <= 400 else text[:397] + '...'


def verdict_rows(res, prefix, tap, logs=None):
    """One row per test of @tap.  The passes are built to run every test,
    so a skip is a failure; it must still give its reason.  @logs: see
    failure_logs()."""
    for num, ok, name, directive, reason in tap.results:
        full = f'{prefix}/{name}'
        if directive == 'SKIP':
            if not reason:
                res.add('fail', full, 'SKIP without a reason')
            else:
                res.add('fail', full, f'skipped in a pass that must run it: {reason}')
        elif directive in ('TODO', 'XFAIL'):
            res.add('fail', full, f'{directive} {reason}'.strip())
        elif ok:
            res.add('pass', full)
        else:
            res.add('fail', full, why(logs or {}, num))


def strip_prefix(lines):
    """The lines of a nested TAP stream, without run_kselftest's '# '."""
    out = []
    for line in lines:
        if line.startswith('# '):
            out.append(line[2:])
        elif line == '#':
            out.append('')
    return out


def kselftest_section(res, name, body, rc):
    """netns/NAME: run_kselftest.sh's TAP with the program's TAP inside."""
    outer = Tap([l for l in body if not l.startswith('#')])
    inner = Tap(strip_prefix(body))
    problems = [f'runner: {p}' for p in outer.problems]
    if outer.plan is not None and len(outer.results) != 1:
        problems.append(f'run_kselftest.sh should report one program, reported {len(outer.results)}')
    if rc is None:
        problems.append('did not finish (guest crashed or hung)')
    elif rc not in (0, 4):
        problems.append(f'run_kselftest.sh exit code {rc}')
    problems += inner.problems
    prog_ok = outer.results[0][1] if len(outer.results) == 1 else None
    if prog_ok is False and 'TIMEOUT' in ' '.join(body[-3:]):
        problems.append('killed by the kselftest timeout (settings)')
    if prog_ok is not None and inner.plan is not None:
        fails = inner.failed()
        if prog_ok and fails:
            problems.append(f'the program exited 0 although {len(fails)} test(s) failed')
        if not prog_ok and not fails:
            problems.append('the program exited non-zero although no test failed (died after its results?)')
    if inner.totals is not None and inner.plan is not None:
        p, f, xf, xp, s, e = inner.totals
        got = (sum(1 for r in inner.results if r[1] and not r[3]),
               len(inner.failed()), len(inner.skipped()))
        if (p, f, s) != got:
            problems.append(f'Totals line says pass:{p} fail:{f} skip:{s}, results say {got[0]}/{got[1]}/{got[2]}')
    elif inner.plan is not None:
        problems.append('no "# Totals:" line (the harness did not finish)')
    verdict_rows(res, name, inner, failure_logs(strip_prefix(body)))
    res.add('fail' if problems else 'pass', f'{name}/complete', '; '.join(problems))


def tap_section(res, name, body, rc):
    """A plain TAP section (kmemleak) with its runner's exit code."""
    tap = Tap(body)
    problems = list(tap.problems)
    p = rc_problem(rc, tap)
    if p:
        problems.append(p)
    verdict_rows(res, name, tap)
    res.add('fail' if problems else 'pass', f'{name}/complete', '; '.join(problems))


def read_checks(path):
    """tests/referee/checks: NAME MIN [REGEX]."""
    checks = {}
    for line in open(path):
        if line.lstrip().startswith('#'):
            continue
        f = line.split(None, 2)
        if len(f) >= 2:
            checks[f[0]] = (int(f[1]), re.compile(f[2].strip()) if len(f) > 2 else None)
    return checks


def read_list(path):
    """tests/referee/list: NAME KIND [ARGS] -> {NAME: KIND}, helpers left out."""
    kinds = {}
    for line in open(path):
        f = line.split('#', 1)[0].split()
        if len(f) >= 2 and f[1] != 'helper':
            kinds[f[0]] = f[1]
    return kinds


def entry_outputs(body):
    """Each referee entry's output, between "# running NAME:" and "# NAME: exit RC"."""
    out, cur = {}, None
    for line in body:
        m = re.match(r'# running (\S+): ', line)
        if m:
            cur = m.group(1)
            out[cur] = []
            continue
        if cur and re.match(rf'# {re.escape(cur)}: exit \d+', line):
            cur = None
            continue
        if cur:
            out[cur].append(line[2:] if line.startswith('# ') else line)
    return out


def count_checks(results, refdir):
    """NAME COUNT [REGEX] for each entry of a referee run (tests/referee/checks)."""
    rlines = open(results, errors='replace').read().replace('\r', '').splitlines()
    secs = sections_of(rlines)
    if 'referee' not in secs:
        print(f'no referee section in {results}', file=sys.stderr)
        return 1
    path = os.path.join(refdir, 'checks')
    checks = read_checks(path) if os.path.exists(path) else {}
    for name, lines in entry_outputs(secs['referee'][0]).items():
        pattern = checks.get(name, (0, None))[1]
        n = sum(1 for l in lines if (pattern or CHECK).search(l))
        print(f'{name} {n}' + (f' {pattern.pattern}' if pattern else ''))
    return 0


def read_set(path):
    """tests/referee/debug: the NAMEs of the list that the debug pass runs."""
    names = set()
    for line in open(path):
        f = line.split('#', 1)[0].split()
        if f:
            names.add(f[0])
    return names


def referee_section(res, body, rc, refdir, label=''):
    """The kernel's own selftests: each must pass and show its checks.
    The debug pass runs the entries of tests/referee/debug, all of them."""
    kinds = read_list(os.path.join(refdir, 'list'))
    if label == 'debug':
        subset = read_set(os.path.join(refdir, 'debug'))
        for name in sorted(subset - set(kinds)):
            res.add('fail', f'referee/{name}', 'in tests/referee/debug, not in tests/referee/list')
        kinds = {n: k for n, k in kinds.items() if n in subset}
    checks = read_checks(os.path.join(refdir, 'checks'))
    vanilla = {}
    for line in open(os.path.join(refdir, 'vanilla')):
        f = line.split('#', 1)[0].split()
        if len(f) >= 2:
            vanilla[f[0]] = f[1]
    tap = Tap([l for l in body if not l.startswith('#')])
    problems = list(tap.problems)
    if rc is None:
        problems.append('did not finish (guest crashed or hung)')
    if tap.plan is not None and tap.plan != len(kinds):
        problems.append(f'planned {tap.plan} entries, tests/referee/{"debug" if label == "debug" else "list"} has {len(kinds)}')
    out = entry_outputs(body)
    seen = set()
    for num, ok, name, directive, reason in tap.results:
        seen.add(name)
        full = f'referee/{name}'
        lines = out.get(name, [])
        want, pattern = checks.get(name, (None, None))
        nchecks = sum(1 for l in lines if (pattern or CHECK).search(l))
        nfailed = [l for l in lines if CHECK_FAIL.search(l)]
        why = []
        if name not in kinds:
            why.append('not in tests/referee/list')
        if vanilla.get(name) != 'pass':
            why.append('not recorded as passing on vanilla 6.12 (tests/referee/vanilla)')
        if want is None:
            why.append('no entry in tests/referee/checks')
        elif kinds.get(name) == 'sh' and want < 1:
            why.append('a script entry must name at least one check (tests/referee/checks)')
        if directive == 'SKIP':
            why.append(f'skipped ({reason or "no reason given"}), but passes on vanilla 6.12')
        elif not ok:
            why.append('failed; it passes on vanilla 6.12')
        if ok and want is not None and nchecks < want:
            why.append(f'ran {nchecks} checks, vanilla 6.12 runs {want}')
        if ok and nfailed:
            why.append(f'exited 0 but printed a failed check: {nfailed[0].strip()[:100]}')
        if why:
            res.add('fail', full, '; '.join(why))
        else:
            res.add('pass', full, f'{nchecks} checks' if want else '')
    for name in kinds:
        if name not in seen and tap.plan is not None:
            res.add('fail', f'referee/{name}', 'listed, but no result')
    res.add('fail' if problems else 'pass', 'referee/complete', '; '.join(problems))


def series_suites():
    """The KUnit suites the series' patches add (their .name), in series order."""
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    names = []
    try:
        with open(os.path.join(top, 'series')) as f:
            patches = [l.split()[0] for l in f if l.strip() and not l.startswith('#')]
    except OSError:
        return ['net_namespace']
    for p in patches:
        try:
            text = open(os.path.join(top, 'patches', p), errors='replace').read()
        except OSError:
            continue
        for m in re.finditer(r'^\+static struct kunit_suite \w+ = \{\n(?:\+.*\n)*?\+\s*\.name = "([^"]+)"',
                             text, re.M):
            names.append(m.group(1))
    return names or ['net_namespace']


def kunit_results(res, lines, ksrc):
    """KUnit output comes before /init runs: parse it with kunit_parser."""
    sys.path.insert(0, os.path.join(ksrc, 'tools', 'testing', 'kunit'))
    sys.dont_write_bytecode = True  # nothing written into the tree
    try:
        import kunit_parser
        import kunit_printer
        from kunit_parser import TestStatus
    except ImportError as e:
        res.add('fail', 'kunit', f'cannot import the tree\'s kunit_parser: {e}')
        return
    # kunit_printer keeps the sys.stdout it found at import: point it here.
    buf = io.StringIO()
    kunit_printer.stdout._output = buf
    with redirect_stdout(buf):
        top = kunit_parser.parse_run_tests(lines)
    for line in buf.getvalue().splitlines():
        if line.strip():
            print('# kunit.py: ' + re.sub(r'\x1b\[[0-9;]*m', '', line))

    def walk(test, prefix):
        if test.subtests and test.name and test.status != TestStatus.SUCCESS:
            res.add('fail', f'{prefix}{test.name}', f'suite {test.status.name}')
        if not test.subtests:
            name = f'{prefix}{test.name}'
            if test.status == TestStatus.SUCCESS:
                res.add('pass', name)
            elif test.status == TestStatus.SKIPPED:
                res.add('fail', name, 'skipped by KUnit in a pass that must run it')
            else:
                res.add('fail', name, test.status.name)
            return
        for sub in test.subtests:
            walk(sub, f'{prefix}{test.name}.' if test.name else prefix)

    if top.status in (TestStatus.FAILURE_TO_PARSE_TESTS, TestStatus.NO_TESTS):
        res.add('fail', 'kunit', 'no KUnit results on the console (CONFIG_KUNIT off?)')
        return
    suites = [t.name for t in top.subtests]
    missing = [s for s in series_suites() if s not in suites]
    if top.counts.errors:
        res.add('fail', 'kunit/complete', f'kunit_parser found {top.counts.errors} error(s) (a crashed or incomplete suite)')
    elif missing:
        res.add('fail', 'kunit/complete', f'the series\' suites {missing} did not run (suites: {suites})')
    else:
        res.add('pass', 'kunit/complete')
    walk(top, 'kunit/')


def sections_of(lines):
    """{name: (lines, rc)} between the NETNS-SECTION markers of run.sh.
    A section that began twice is reported with rc None and a marker line."""
    out, cur, body = {}, None, []
    for line in lines:
        m = re.match(r'NETNS-SECTION-BEGIN: (\S+)', line)
        if m:
            if cur:
                out[cur] = (body, None)
            cur, body = m.group(1), []
            if cur in out:
                out[cur] = (['NETNS-DUPLICATE'], None)
                cur = None
            continue
        m = re.match(r'NETNS-SECTION-END: (\S+) rc=(\d+)', line)
        if m and cur == m.group(1):
            out[cur] = (body, int(m.group(2)))
            cur = None
            continue
        if cur:
            body.append(line)
    if cur:
        out[cur] = (body, None)
    return out


def one_boot(res, args):
    lines = []
    if not os.path.exists(args.console):
        res.add('fail', 'boot', f'no console log {args.console}')
    else:
        lines = open(args.console, errors='replace').read().replace('\r', '').splitlines()
    rlines = []
    if os.path.exists(args.results):
        rlines = open(args.results, errors='replace').read().replace('\r', '').splitlines()
    wanted = [s for s in args.sections.split(',') if s]

    if 'kunit' in wanted:
        boot = []
        for line in lines:
            if 'netns guest:' in line:
                break
            boot.append(line)
        kunit_results(res, boot, args.ksrc)

    secs = sections_of(rlines)
    for name in wanted:
        if name == 'kunit':
            continue
        if name not in secs:
            res.add('fail', name, 'section missing from the results channel (guest crashed or never ran it?)')
            continue
        body, rc = secs[name]
        if body == ['NETNS-DUPLICATE']:
            res.add('fail', name, 'the section ran more than once in one boot')
            continue
        if name.startswith('netns/'):
            kselftest_section(res, name, body, rc)
        elif name == 'referee':
            referee_section(res, body, rc, args.referee, args.label)
        else:
            tap_section(res, name, body, rc)
    for name in secs:
        if name not in wanted:
            res.add('fail', name, 'ran, but this pass does not run it (tests/plan)')
    if wanted != ['kunit'] and 'NETNS-RESULTS-END' not in rlines:
        res.add('fail', 'results/complete', 'the results channel ended early (guest crashed?)')

    bad = [l.strip() for l in lines if BAD.search(l)]
    if bad:
        res.add('fail', 'console/clean', 'kernel reported: ' + ' | '.join(bad[:5]))
        for l in bad[:40]:
            print(f'# console: {l}')
    elif lines:
        res.add('pass', 'console/clean')


def print_tap(res, label):
    prefix = f'{label}/' if label else ''
    print('TAP version 13')
    print(f'1..{len(res.rows)}')
    for n, (status, name, note) in enumerate(res.rows, 1):
        if status == 'pass':
            print(f'ok {n} {prefix}{name}')
        elif status == 'skip':
            print(f'ok {n} {prefix}{name} # SKIP {note}')
        else:
            # A '#' in the note (a test's own words) is escaped, so that
            # no TAP reader takes what follows for a directive (# TODO).
            esc = note.replace('#', '\\#')
            print(f'not ok {n} {prefix}{name}' + (f' # {esc}' if note else ''))
    for s, name, note in res.rows:
        if s == 'skip':
            print(f'# skipped: {prefix}{name}: {note}')
    for s, name, note in res.rows:
        if s == 'fail':
            print(f'# FAILED: {prefix}{name}' + (f': {note}' if note else ''))


def closing(passed, failed, skipped, extra=''):
    line = f'{passed} passed, {failed} failed'
    if skipped:
        line += f', {skipped} skipped'
    print(line + extra)
    return 0 if not failed and passed else 1


def merge(paths):
    """Each distinct test once: failed if it failed in any pass."""
    status, passes, notes = {}, {}, {}
    for path in paths:
        if not os.path.exists(path):
            print(f'# FAILED: no results {path} (that pass did not get to its verdict)')
            status[f'pass:{path}'] = 'fail'
            continue
        rows = 0
        for line in open(path):
            f = line.rstrip('\n').split('\t')
            if len(f) < 3:
                continue
            label, st, name = f[0], f[1], f[2]
            if st == 'fail' and len(f) > 3 and f[3]:
                notes.setdefault(name, f'{label or "plain"}: {f[3]}')
            rows += 1
            passes.setdefault(label, [0, 0])
            passes[label][0 if st == 'pass' else 1] += st != 'skip'
            old = status.get(name)
            if old == 'fail' or st == 'fail':
                status[name] = 'fail'
            elif old == 'skip' or st == 'skip':
                status[name] = 'skip'
            else:
                status[name] = 'pass'
        if not rows:
            print(f'# FAILED: {path} has no results')
            status[f'pass:{path}'] = 'fail'
    for name, st in status.items():
        if st == 'fail':
            print(f'# FAILED: {name}' + (f' ({notes[name]})' if name in notes else ''))
    per = '; '.join(f'{l or "plain"} pass: {p} passed, {f} failed' for l, (p, f) in passes.items())
    vals = list(status.values())
    return closing(vals.count('pass'), vals.count('fail'), vals.count('skip'),
                   f' (distinct tests; {per})' if per else '')


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--console', help='the guest console (ttyS0)')
    ap.add_argument('--results', help='the results channel (ttyS1)')
    ap.add_argument('--sections', default='', help='the sections of this pass (tests/plan)')
    ap.add_argument('--label', default='', help='prefix of the test names (debug)')
    ap.add_argument('--ksrc', help='kernel tree (for kunit_parser)')
    ap.add_argument('--referee', default=os.path.join(os.path.dirname(os.path.abspath(__file__)), 'referee'),
                    help='the referee directory (list, checks, vanilla)')
    ap.add_argument('--extra', action='append', default=[],
                    help='host-side results: lines "pass NAME", "fail NAME: why"')
    ap.add_argument('--tsv', help='write LABEL<TAB>STATUS<TAB>NAME<TAB>NOTE rows here')
    ap.add_argument('--merge', nargs='+', metavar='TSV', help='count several passes together')
    ap.add_argument('--count-checks', metavar='RESULTS',
                    help='print NAME COUNT [REGEX] of a referee run, for tests/referee/checks')
    args = ap.parse_args()

    if args.count_checks:
        return count_checks(args.count_checks, args.referee)

    if args.merge:
        return merge(args.merge)
    if not args.console or not args.results or not args.ksrc:
        ap.error('--console, --results and --ksrc are needed (or --merge)')
    res = Results()
    one_boot(res, args)
    for path in args.extra:
        for line in open(path):
            m = re.match(r'(pass|fail|skip) (\S+?):?(?: (.*))?$', line.strip())
            if m:
                res.add(m.group(1), m.group(2), m.group(3) or '')
            elif line.strip():
                res.add('fail', 'host', f'{path}: a line that is no result: {line.strip()[:80]}')
    print_tap(res, args.label)
    if args.tsv:
        with open(args.tsv, 'w') as f:
            for s, name, note in res.rows:
                f.write(f'{args.label}\t{s}\t{name}\t{note}\n')
    return closing(res.count('pass'), res.count('fail'), res.count('skip'))


if __name__ == '__main__':
    sys.exit(main())
