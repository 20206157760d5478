#!/usr/bin/env python3
"""Independent eligible counts for the four sweep cells of the contract colon scenario
(Scenarios/colon-augmented.yaml), by hand in Python over Data/colon_os.csv (csv module only).

Reference rows: rx == "Obs". Rules (on_unknown: exclude, so a missing value fails the rule):
  IN1 age between 18 and 80; IN2 nodes >= 1; EX1 extent == "contiguous" (code 4).
Cells: as-written; age-70 adds IN3 age <= 70; node-4plus replaces IN2 by nodes >= 4; no-EX1 drops EX1.
Run from the repository root: python3 Tests/Fixtures/sweep-independent.py
"""
import csv, json

rows = [r for r in csv.DictReader(open("Data/colon_os.csv")) if r["rx"] == "Obs"]

def num(x):
    return None if x == "" else float(x)

def eligible(r, max_age=80, min_nodes=1, ex1=True):
    a, n, e = num(r["age"]), num(r["nodes"]), num(r["extent"])
    if a is None or not (18 <= a <= max_age):
        return False
    if n is None or not n >= min_nodes:
        return False
    if ex1 and (e is None or e == 4):
        return False
    return True

print(json.dumps({
    "reference_rows": len(rows),
    "cells": {
        "as-written": sum(eligible(r) for r in rows),
        "age-70": sum(eligible(r, max_age=70) for r in rows),
        "node-4plus": sum(eligible(r, min_nodes=4) for r in rows),
        "no-EX1": sum(eligible(r, ex1=False) for r in rows),
    },
}, indent=1))
