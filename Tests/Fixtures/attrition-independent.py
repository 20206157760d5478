#!/usr/bin/env python3
"""Independent attrition counts for three SynthArm protocols.

Run from the repository root with plain python3 (standard library only):

    python3 Tests/Fixtures/attrition-independent.py > Tests/Fixtures/attrition-independent.json

No SynthArm code and no YAML parsing: the reference-row filter and every eligibility rule of

    colon-adjuvant-os   (the contract example in Docs/ProtocolFormat.md)
    lung-advanced-ecog  (Protocols/lung-advanced-ecog.yaml)
    veteran-lung-trial  (Protocols/veteran-lung-trial.yaml)

are written below by hand as Python predicates over the raw CSV fields (csv module, header row,
empty field = missing). A predicate returns True, False or None (None = unknown because a value it
needs is missing; Kleene logic). Label comparisons are translated to the CSV codes by hand
(e.g. extent == "contiguous" -> extent code 4; ph.ecog <= "in-bed-under-half" -> code <= 2;
prior == "yes" -> code 10).

Semantics:
  * reference rows = rows where the `rows` predicate is True (all rows when there is none);
  * rules are applied in order, inclusion rules first, then exclusion rules;
  * inclusion: the patient stays when the rule is True; False removes; unknown removes under
    on_unknown: exclude and keeps under on_unknown: include;
  * exclusion: the patient is removed when the rule is True; False keeps; unknown removes under
    exclude and keeps under include;
  * per rule: true / false / unknown are counted over ALL reference rows; excluded_in_order is the
    number removed by this rule among patients who survived all earlier rules; gain_if_dropped is
    (eligible count with this rule alone removed) - (eligible count).
"""

import csv
import json
import os
import sys


def num(row, col):
    """The field as a number, or None when missing (empty)."""
    v = row[col].strip()
    return None if v == "" else float(v)


def between(x, lo, hi):
    return None if x is None else (lo <= x <= hi)


def cmp(x, op, y):
    if x is None:
        return None
    return {"<": x < y, "<=": x <= y, "==": x == y, "!=": x != y, ">=": x >= y, ">": x > y}[op]


def kleene_or(*vals):
    if any(v is True for v in vals):
        return True
    if any(v is None for v in vals):
        return None
    return False


# ---------------------------------------------------------------------------------------------
# The three protocols, transcribed by hand.
# ---------------------------------------------------------------------------------------------

PROTOCOLS = [
    {
        "id": "colon-adjuvant-os",
        "source": "Docs/ProtocolFormat.md (contract example)",
        "data": "Data/colon_os.csv",
        "rows": ('rx == "Obs"', lambda r: r["rx"] == "Obs"),
        "on_unknown": "exclude",
        "rules": [
            ("IN1", "inclusion", "age between 18 and 80",
             lambda r: between(num(r, "age"), 18, 80)),
            ("IN2", "inclusion", "nodes >= 1",
             lambda r: cmp(num(r, "nodes"), ">=", 1)),
            # extent codes {1: submucosa, 2: muscle, 3: serosa, 4: contiguous}
            ("EX1", "exclusion", 'extent == "contiguous"',
             lambda r: cmp(num(r, "extent"), "==", 4)),
        ],
    },
    {
        "id": "lung-advanced-ecog",
        "source": "Protocols/lung-advanced-ecog.yaml",
        "data": "Data/lung.csv",
        "rows": None,  # all rows
        "on_unknown": "exclude",
        "rules": [
            ("IN1", "inclusion", "age between 18 and 80",
             lambda r: between(num(r, "age"), 18, 80)),
            # ph.ecog codes {0: asymptomatic, 1: symptomatic-ambulatory, 2: in-bed-under-half,
            #                3: in-bed-over-half, 4: bedbound}
            ("IN2", "inclusion", 'ph.ecog <= "in-bed-under-half"',
             lambda r: cmp(num(r, "ph.ecog"), "<=", 2)),
            ("IN3", "inclusion", "ph.karno >= 60",
             lambda r: cmp(num(r, "ph.karno"), ">=", 60)),
            ("EX1", "exclusion", "wt.loss > 20",
             lambda r: cmp(num(r, "wt.loss"), ">", 20)),
            ("EX2", "exclusion", "pat.karno < 50",
             lambda r: cmp(num(r, "pat.karno"), "<", 50)),
        ],
    },
    {
        "id": "veteran-lung-trial",
        "source": "Protocols/veteran-lung-trial.yaml",
        "data": "Data/veteran.csv",
        "rows": ('trt == "1"', lambda r: r["trt"] == "1"),  # trt undeclared: compared as text
        "on_unknown": "exclude",
        "rules": [
            ("IN1", "inclusion", "karno >= 30",
             lambda r: cmp(num(r, "karno"), ">=", 30)),
            ("IN2", "inclusion", "age between 35 and 75",
             lambda r: between(num(r, "age"), 35, 75)),
            # diagtime is declared in months; 3 years = 36 months
            ("IN3", "inclusion", "diagtime <= 3 years",
             lambda r: cmp(num(r, "diagtime"), "<=", 36)),
            # prior codes {0: no, 10: yes}
            ("EX1", "exclusion", 'prior == "yes"',
             lambda r: cmp(num(r, "prior"), "==", 10)),
        ],
    },
]


# ---------------------------------------------------------------------------------------------


def removes(kind, value, on_unknown):
    """Does a rule with this result remove the patient?"""
    if value is None:
        return on_unknown == "exclude"
    return (not value) if kind == "inclusion" else value


def eligible_count(rows, rules, on_unknown, skip=None):
    n = 0
    for r in rows:
        if all(not removes(kind, pred(r), on_unknown)
               for (rid, kind, _, pred) in rules if rid != skip):
            n += 1
    return n


def attrition(p, root):
    with open(os.path.join(root, p["data"]), newline="") as f:
        all_rows = list(csv.DictReader(f))
    rows = all_rows if p["rows"] is None else [r for r in all_rows if p["rows"][1](r) is True]
    on_unknown = p["on_unknown"]
    rules = p["rules"]
    eligible = eligible_count(rows, rules, on_unknown)

    out_rules = []
    surviving = rows
    for (rid, kind, when, pred) in rules:
        vals = [pred(r) for r in rows]
        kept = [r for r in surviving if not removes(kind, pred(r), on_unknown)]
        out_rules.append({
            "id": rid,
            "kind": kind,
            "when": when,
            "true": sum(v is True for v in vals),
            "false": sum(v is False for v in vals),
            "unknown": sum(v is None for v in vals),
            "excluded_in_order": len(surviving) - len(kept),
            "gain_if_dropped": eligible_count(rows, rules, on_unknown, skip=rid) - eligible,
        })
        surviving = kept
    assert len(surviving) == eligible
    return {
        "source": p["source"],
        "data": p["data"],
        "rows": None if p["rows"] is None else p["rows"][0],
        "on_unknown": on_unknown,
        "file_rows": len(all_rows),
        "reference_rows": len(rows),
        "eligible": eligible,
        "rules": out_rules,
    }


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "."
    result = {
        "provenance": (
            "Computed independently of SynthArm by Tests/Fixtures/attrition-independent.py "
            "(python3, standard library csv module only, run from the repository root on "
            "Data/colon_os.csv, Data/lung.csv, Data/veteran.csv). The reference-row filter and "
            "every eligibility rule are hand-written Python predicates (no YAML or expression "
            "parsing); label comparisons are translated to CSV codes by hand. Missing value = "
            "empty CSV field; a comparison with a missing operand is unknown (Kleene). Reference "
            "rows = rows whose `rows` predicate is true. Rules in order, inclusion then exclusion; "
            "inclusion keeps on true, exclusion removes on true; unknown removes under on_unknown "
            "exclude, keeps under include. true/false/unknown are over all reference rows; "
            "excluded_in_order counts removals among patients surviving the earlier rules; "
            "gain_if_dropped = eligible with that rule alone dropped minus eligible. "
            "Regenerate: python3 Tests/Fixtures/attrition-independent.py > "
            "Tests/Fixtures/attrition-independent.json"
        ),
        "protocols": {p["id"]: attrition(p, root) for p in PROTOCOLS},
    }
    json.dump(result, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
