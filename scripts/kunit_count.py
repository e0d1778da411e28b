#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""Print "<passed> <failed>" test-case counts from kunit.py --json output."""
import json
import sys


def count(group, totals):
    for case in group.get("test_cases", []):
        totals["PASS" if case.get("status") == "PASS" else
               "SKIP" if case.get("status") == "SKIP" else "FAIL"] += 1
    for sub in group.get("sub_groups", []):
        count(sub, totals)


def main():
    totals = {"PASS": 0, "FAIL": 0, "SKIP": 0}
    try:
        with open(sys.argv[1]) as f:
            count(json.load(f), totals)
    except (OSError, ValueError):
        totals["FAIL"] += 1     # no results at all is a failure
    print(totals["PASS"], totals["FAIL"])


if __name__ == "__main__":
    main()
