#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Host-side checks of tests/report.py: it must not be fooled.

Each check feeds the reporter a made-up boot (console, results channel)
with one way of lying about a run, and requires the verdict it must give.
Prints one line per check: "pass NAME" or "fail NAME: why".
"""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPORT = os.path.join(HERE, '..', 'report.py')

CONSOLE = 'Linux version 6.12\nnetns guest: mode=test\nNETNS-EXIT: 0\n'
REFEREE_LIST = 'socket c\nfib_tests.sh:carrier sh -t carrier\nnettest helper\n'
REFEREE_VANILLA = 'socket pass\nfib_tests.sh:carrier pass\n'
REFEREE_CHECKS = 'socket 0\nfib_tests.sh:carrier 2\n'


def kselftest(name, inner, outer='ok 1 selftests: net/netns: {n}', rc=0):
    """A netns/NAME section as run_kselftest.sh prints it."""
    lines = ['TAP version 13', '1..1', f'# selftests: net/netns: {name}']
    lines += [('# ' + l) if l else '#' for l in inner]
    if outer:
        lines.append(outer.format(n=name))
    body = '\n'.join(lines)
    end = f'NETNS-SECTION-END: netns/{name} rc={rc}\n' if rc is not None else ''
    return f'NETNS-SECTION-BEGIN: netns/{name}\n{body}\n{end}'


def harness(results, plan=None, totals=True):
    """A kselftest_harness program's TAP."""
    out = ['TAP version 13', f'1..{plan if plan is not None else len(results)}']
    p = f = s = 0
    for i, (status, name, note) in enumerate(results, 1):
        if status == 'pass':
            out.append(f'ok {i} {name}')
            p += 1
        elif status == 'skip':
            out.append(f'ok {i} {name} # SKIP {note}'.rstrip())
            s += 1
        else:
            out.append(f'not ok {i} {name}')
            f += 1
    if totals:
        out.append(f'# Totals: pass:{p} fail:{f} xfail:0 xpass:0 skip:{s} error:0')
    return out


EXIT1 = 'not ok 1 selftests: net/netns: {n} # exit=1'


def failing_b(b_log, a_log=()):
    """Two harness tests, netns.a passing and netns.b failing, each with
    the log lines given printed before its result."""
    return (['TAP version 13', '1..2', '#  RUN           netns.a ...', *a_log,
             '#            OK  netns.a', 'ok 1 netns.a', '#  RUN           netns.b ...', *b_log,
             '#          FAIL  netns.b', 'not ok 2 netns.b',
             '# Totals: pass:1 fail:1 xfail:0 xpass:0 skip:0 error:0'])


def referee(entries, rc=0):
    """The referee section: (name, ok, output lines)."""
    lines = ['TAP version 13', f'1..{len(entries)}']
    for i, (name, ok, output) in enumerate(entries, 1):
        lines.append(f'# running {name}: ./{name} (limit 300s)')
        lines += ['# ' + l for l in output]
        lines.append(f'# {name}: exit {0 if ok else 1} after 1s')
        lines.append(f'{"ok" if ok else "not ok"} {i} {name}')
    return 'NETNS-SECTION-BEGIN: referee\n' + '\n'.join(lines) + f'\nNETNS-SECTION-END: referee rc={rc}\n'


GOOD = [('pass', 'netns.a', ''), ('pass', 'netns.b', '')]
CARRIER_OK = ['TEST: carrier one  [ OK ]', 'TEST: carrier two  [ OK ]']


def run(tmp, sections, results, end=True, console=CONSOLE):
    with open(os.path.join(tmp, 'console'), 'w') as f:
        f.write(console)
    with open(os.path.join(tmp, 'results'), 'w') as f:
        f.write(results + ('NETNS-RESULTS-END\n' if end else ''))
    ref = os.path.join(tmp, 'referee')
    os.makedirs(ref, exist_ok=True)
    for name, text in (('list', REFEREE_LIST), ('vanilla', REFEREE_VANILLA), ('checks', REFEREE_CHECKS)):
        with open(os.path.join(ref, name), 'w') as f:
            f.write(text)
    p = subprocess.run([sys.executable, REPORT, '--console', os.path.join(tmp, 'console'),
                        '--results', os.path.join(tmp, 'results'), '--sections', sections,
                        '--ksrc', tmp, '--referee', ref],
                       capture_output=True, text=True)
    return p.returncode, p.stdout


CASES = [
    # name, sections, results, end, want_rc, text the report must show
    ('complete-run-passes', 'netns/c',
     kselftest('c', harness(GOOD)), True, 0, 'ok 4 console/clean'),
    ('truncated-exit-0', 'netns/c',
     kselftest('c', harness(GOOD[:1], plan=4, totals=False)), True, 1, 'planned 4 tests, reported 1'),
    ('exit-code-disagrees', 'netns/c',
     kselftest('c', harness(GOOD), outer='not ok 1 selftests: net/netns: {n} # exit=1'), True, 1,
     'exited non-zero although no test failed'),
    ('failure-with-exit-0', 'netns/c',
     kselftest('c', harness([('pass', 'netns.a', ''), ('fail', 'netns.b', '')])), True, 1,
     'exited 0 although 1 test(s) failed'),
    ('skip-without-reason', 'netns/c',
     kselftest('c', harness([('pass', 'netns.a', ''), ('skip', 'netns.b', '')])), True, 1,
     'SKIP without a reason'),
    ('skip-is-a-failure-here', 'netns/c',
     kselftest('c', harness([('pass', 'netns.a', ''), ('skip', 'netns.b', 'no debugfs')])), True, 1,
     'skipped in a pass that must run it: no debugfs'),
    ('no-plan', 'netns/c',
     kselftest('c', ['ok 1 netns.a']), True, 1, 'no TAP plan'),
    ('output-elsewhere', 'netns/c',
     kselftest('c', []), True, 1, 'no TAP plan'),
    ('section-unfinished', 'netns/c',
     kselftest('c', harness(GOOD), outer='', rc=None), True, 1, 'did not finish'),
    ('section-missing', 'netns/c,netns/d',
     kselftest('c', harness(GOOD)), True, 1, 'section missing from the results channel'),
    ('results-cut-short', 'netns/c',
     kselftest('c', harness(GOOD)), False, 1, 'the results channel ended early'),
    ('referee-passes', 'referee',
     referee([('socket', True, []), ('fib_tests.sh:carrier', True, CARRIER_OK)]), True, 0,
     'ok 2 referee/fib_tests.sh:carrier'),
    ('referee-noop-entry', 'referee',
     referee([('socket', True, []), ('fib_tests.sh:carrier', True, [])]), True, 1,
     'ran 0 checks, vanilla 6.12 runs 2'),
    ('referee-fewer-checks', 'referee',
     referee([('socket', True, []), ('fib_tests.sh:carrier', True, CARRIER_OK[:1])]), True, 1,
     'ran 1 checks, vanilla 6.12 runs 2'),
    ('referee-failed-check-exit-0', 'referee',
     referee([('socket', True, []), ('fib_tests.sh:carrier', True,
                                     CARRIER_OK + ['TEST: carrier three  [FAIL]'])]), True, 1,
     'exited 0 but printed a failed check'),
    ('referee-regression-not-skip', 'referee',
     referee([('socket', False, []), ('fib_tests.sh:carrier', True, CARRIER_OK)]), True, 1,
     'failed; it passes on vanilla 6.12'),
    ('referee-entry-missing', 'referee',
     referee([('socket', True, [])]), True, 1, 'planned 1 entries, tests/referee/list has 2'),
    ('duplicate-section', 'netns/c',
     kselftest('c', harness([('fail', 'netns.a', '')]), outer='not ok 1 selftests: net/netns: {n} # exit=1')
     + kselftest('c', harness(GOOD)), True, 1, 'the section ran more than once'),
    ('empty-plan', 'netns/c',
     kselftest('c', harness([])), True, 1, 'planned no tests (1..0)'),
    ('totals-disagree', 'netns/c',
     kselftest('c', harness(GOOD)[:-1] + ['# Totals: pass:3 fail:0 xfail:0 xpass:0 skip:0 error:0']),
     True, 1, 'Totals line says pass:3'),
    ('runner-timeout', 'netns/c',
     kselftest('c', harness(GOOD), outer='not ok 1 selftests: net/netns: {n} # TIMEOUT 45 seconds'),
     True, 1, 'killed by the kselftest timeout'),
    # A failed test's FAILED line says why: what the test logged first,
    # then the failed checks; the harness's word when the test died.
    ('failure-says-why', 'netns/c',
     kselftest('c', failing_b(['# c.c:41:b:Expected 0 (0) == r->failed (1)',
                               '# c.c:42:b:worker 0 failed in cycle 3, 12 s into it, at step'
                               ' "accept": Timer expired', '# b: Test failed']), outer=EXIT1), True, 1,
     '# FAILED: netns/c/netns.b: c.c:42:b:worker 0 failed in cycle 3, 12 s into it, at step'
     ' "accept": Timer expired | c.c:41:b:Expected'),
    ('failure-timeout-says-why', 'netns/c',
     kselftest('c', failing_b(['# b: Test terminated by timeout']), outer=EXIT1), True, 1,
     '# FAILED: netns/c/netns.b: b: Test terminated by timeout'),
    ('failure-not-blamed-on-a-pass-log', 'netns/c',
     kselftest('c', failing_b([], a_log=['# c.c:9:a:said by a']), outer=EXIT1), True, 1,
     '# FAILED: netns/c/netns.b\n'),
    ('failure-note-escapes-hash', 'netns/c',
     kselftest('c', failing_b(['# c.c:42:b:step # TODO later']), outer=EXIT1), True, 1,
     'not ok 2 netns/c/netns.b # c.c:42:b:step \\# TODO later'),
    ('kernel-warning', 'netns/c',
     kselftest('c', harness(GOOD)), True, 1, 'not ok 4 console/clean',
     CONSOLE + 'WARNING: CPU: 0 PID: 1 at net/core/dev.c:1 foo\n'),
]


def main():
    with tempfile.TemporaryDirectory() as tmp:
        for case in CASES:
            name, sections, results, end, want_rc, want = case[:6]
            console = case[6] if len(case) > 6 else CONSOLE
            rc, out = run(tmp, sections, results, end, console)
            if rc != want_rc:
                print(f'fail {name}: exit {rc}, expected {want_rc}; report: '
                      + ' | '.join(l for l in out.splitlines() if l.startswith('not ok'))[:300])
            elif want not in out:
                print(f'fail {name}: no "{want}" in the report')
            else:
                print(f'pass {name}')
        # --merge counts each distinct test once.
        a, b = os.path.join(tmp, 'a.tsv'), os.path.join(tmp, 'b.tsv')
        with open(a, 'w') as f:
            f.write('\tpass\tnetns/c/x\t\n\tpass\tnetns/c/y\t\n')
        with open(b, 'w') as f:
            f.write('debug\tpass\tnetns/c/x\t\ndebug\tfail\tnetns/c/y\tc.c:7:y:lost\n'
                    'debug\tpass\tkmemleak/k\t\n')
        p = subprocess.run([sys.executable, REPORT, '--merge', a, b], capture_output=True, text=True)
        last = p.stdout.strip().splitlines()[-1] if p.stdout.strip() else ''
        if p.returncode == 1 and last.startswith('2 passed, 1 failed'):
            print('pass merge-counts-each-test-once')
        else:
            print(f'fail merge-counts-each-test-once: exit {p.returncode}, "{last}"')
        # The merged verdict, the last lines CI shows, says why a test failed.
        if '# FAILED: netns/c/y (debug: c.c:7:y:lost)' in p.stdout:
            print('pass merge-failure-says-why')
        else:
            print(f'fail merge-failure-says-why: {p.stdout.strip()[:200]}')
        # A pass that left no results is a failure, not nothing.
        e = os.path.join(tmp, 'empty.tsv')
        open(e, 'w').close()
        p = subprocess.run([sys.executable, REPORT, '--merge', a, e], capture_output=True, text=True)
        if p.returncode == 1 and 'has no results' in p.stdout:
            print('pass merge-empty-pass-fails')
        else:
            print(f'fail merge-empty-pass-fails: exit {p.returncode}')

    visible_checks()


def visible_dump(states=None, done=True, change=None):
    """A made-up results channel of the guest section "visible"."""
    import visible
    lines = ['NETNS-SECTION-BEGIN: visible']
    for state in states if states is not None else visible.STATES:
        for source, least in visible.MINIMUM.items():
            for i in range(least):
                lines.append(f'{state}|{source}|/proc/x/{source}/{i}:{i}')
        lines.append(f'{state}|sysctl|/proc/sys/net/ipv4/tcp_fastopen_key:00-11-22')
    if change:
        lines = [change(l) for l in lines]
    if done:
        lines.append('nsdump: done')
    lines += ['NETNS-SECTION-END: visible rc=0', 'NETNS-RESULTS-END']
    return '\n'.join(lines) + '\n'


def with_ss(line):
    """visible_dump() whose first ss line of late_look is @line."""
    return visible_dump(change=lambda l: l.replace('late_look|ss|/proc/x/ss/0:0',
                                                   'late_look|ss|' + line))


def visible_checks():
    """tests/host/visible.py must not be fooled either."""
    sys.path.insert(0, HERE)
    import visible
    key = 'tcp_fastopen_key:00-11-22'
    cases = [
        # (name, vanilla, patched, exit status, a line the output must have)
        ('visible-identical-passes', visible_dump(), visible_dump(), 0,
         'pass visible/late_look'),
        ('visible-random-key-masked', visible_dump(),
         visible_dump(change=lambda l: l.replace(key, 'tcp_fastopen_key:33-44')), 0,
         'pass visible/fresh'),
        ('visible-one-line-differs', visible_dump(),
         visible_dump(change=lambda l: l.replace('late_look|sysfs|/proc/x/sysfs/7:7',
                                                 'late_look|sysfs|/proc/x/sysfs/7:8')), 1,
         'fail visible/late_look'),
        # ss: a netlink socket's queues are what is in flight (masked);
        # any other socket's queues are compared.
        ('visible-netlink-queue-masked', with_ss('nl UNCONN 0 -304 rtnl:ss/1 *'),
         with_ss('nl UNCONN 0 0 rtnl:ss/1 *'), 0, 'pass visible/late_look'),
        ('visible-tcp-queue-differs', with_ss('tcp LISTEN 0 128 127.0.0.1:7 *'),
         with_ss('tcp LISTEN 0 4096 127.0.0.1:7 *'), 1, 'fail visible/late_look'),
        ('visible-unfinished-dump', visible_dump(), visible_dump(done=False), 1,
         'fail visible/complete'),
        ('visible-state-missing', visible_dump(),
         visible_dump(states=visible.STATES[:-1]), 1, 'fail visible/complete'),
        ('visible-both-empty', visible_dump(states=[]), visible_dump(states=[]), 1,
         'fail visible/complete'),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        for name, van, pat, want_rc, want in cases:
            a, b = os.path.join(tmp, 'v.tap'), os.path.join(tmp, 'p.tap')
            with open(a, 'w') as f:
                f.write(van)
            with open(b, 'w') as f:
                f.write(pat)
            p = subprocess.run([sys.executable, os.path.join(HERE, 'visible.py'), a, b],
                               capture_output=True, text=True)
            if p.returncode != want_rc or want not in p.stdout:
                print(f'fail {name}: exit {p.returncode}, expected {want_rc} with "{want}"; '
                      + p.stdout.replace('\n', ' | ')[:300])
            else:
                print(f'pass {name}')


if __name__ == '__main__':
    main()
