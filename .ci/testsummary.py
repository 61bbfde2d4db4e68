#!/usr/bin/python3
"""Print 'N passed, N failed' from meson's testlog.json (JSON lines).

Exit 1 if any test failed, or (with CI=true) if any test was skipped: CI must not hide a
missing tool behind a skip.
"""
import json
import os
import sys

log = sys.argv[1] if len(sys.argv) > 1 else 'build/meson-logs/testlog.json'
PASS = {'OK', 'EXPECTEDFAIL'}
FAIL = {'FAIL', 'TIMEOUT', 'ERROR', 'UNEXPECTEDPASS'}
ci = os.environ.get('CI') == 'true'

passed = failed = 0
for line in open(log, encoding='utf-8'):
    if not line.strip():
        continue
    entry = json.loads(line)
    result = entry['result']
    if result in PASS:
        passed += 1
    elif result in FAIL or (ci and result == 'SKIP'):
        failed += 1
        print(f"{result}: {entry['name']}", file=sys.stderr)
print(f'{passed} passed, {failed} failed')
sys.exit(1 if failed else 0)
