"""SynthArm against SDV's GaussianCopulaSynthesizer on each shipped protocol, scored by SDMetrics.

Called by Scripts/validate-sdmetrics (which sets up the virtual environment). Prints one
Markdown table row per protocol, generator and seed, then the means per protocol and generator.
"""

import argparse
import importlib.util
import os
import random
import subprocess
import sys
import tempfile

import warnings

import numpy as np
import pandas as pd
import yaml
import sdmetrics
import sdv
from sdmetrics.reports.single_table import QualityReport
from sdv.metadata import Metadata
from sdv.single_table import GaussianCopulaSynthesizer

warnings.filterwarnings("ignore")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def independent_protocols():
    """The hand-written reference filters and eligibility predicates (no SynthArm code)."""
    path = os.path.join(ROOT, "Tests/Fixtures/attrition-independent.py")
    spec = importlib.util.spec_from_file_location("attrition_independent", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    protocols = {p["id"]: p for p in module.PROTOCOLS}
    # The whole colon cohort: every row, no eligibility rules.
    protocols["colon-os-whole-cohort"] = {
        "id": "colon-os-whole-cohort", "data": "Data/colon_os.csv", "rows": None, "on_unknown": "exclude", "rules": []}
    return module, protocols


def eligible_rows(module, p):
    import csv
    with open(os.path.join(ROOT, p["data"]), newline="") as f:
        rows = list(csv.DictReader(f))
    indices = [i for i, r in enumerate(rows) if p["rows"] is None or p["rows"][1](r) is True]
    return [i for i in indices
            if all(not module.removes(kind, pred(rows[i]), p["on_unknown"]) for (_, kind, _, pred) in p["rules"])]


def shipped(module, known):
    """Protocols/*.yaml with a reference cohort, parsed for their columns and variable types."""
    out = []
    for name in sorted(os.listdir(os.path.join(ROOT, "Protocols"))):
        if not name.endswith(".yaml"):
            continue
        path = os.path.join(ROOT, "Protocols", name)
        with open(path) as f:
            doc = yaml.safe_load(f)
        if "reference" not in doc:
            continue
        if doc["id"] not in known:
            sys.exit(f"{name}: no hand-written eligibility for protocol '{doc['id']}' in attrition-independent.py")
        out.append((path, doc))
    return out


def tables(doc, p, module):
    ref = doc["reference"]
    data = pd.read_csv(os.path.join(ROOT, p["data"]), keep_default_na=True, dtype=str)
    variables = doc["variables"]
    covariates = (doc.get("synthesis") or {}).get("covariates") or list(variables)
    time, event = ref["time"]["column"], ref["event"]["column"]
    columns = covariates + [time, event]
    real = data.iloc[eligible_rows(module, p)][columns].reset_index(drop=True)
    sdtypes = {}
    for c in covariates:
        kind = variables[c]["type"]
        sdtypes[c] = "numerical" if kind in ("continuous", "count") else "categorical"
    sdtypes[time] = "numerical"
    sdtypes[event] = "categorical"
    return real, sdtypes, columns


def typed(frame, sdtypes):
    out = frame.copy()
    for c, kind in sdtypes.items():
        if kind == "numerical":
            out[c] = pd.to_numeric(out[c])
        else:  # categories compared as their CSV codes
            out[c] = out[c].map(lambda v: None if pd.isna(v) or v == "" else str(int(float(v))) if _number(v) else str(v))
    return out


def _number(v):
    try:
        float(v)
        return True
    except (TypeError, ValueError):
        return False


def metadata(sdtypes):
    return {"columns": {c: {"sdtype": k} for c, k in sdtypes.items()}}


def score(real, synthetic, sdtypes):
    """Column Shapes, Column Pair Trends over all pairs and over SDMetrics' default pairs (real
    correlation >= 0.5 or association >= 0.3), the default quality score, and the quality score
    over all pairs."""
    meta = metadata(sdtypes)
    out = {}
    for name, thresholds in (("default", None), ("all", (0.0, 0.0))):
        report = QualityReport()
        if thresholds is not None:
            report.real_correlation_threshold, report.real_association_threshold = thresholds
        report.generate(real, synthetic, meta, verbose=False)
        properties = report.get_properties().set_index("Property")["Score"]
        out[name] = (properties["Column Shapes"], properties["Column Pair Trends"], report.get_score())
    return (out["all"][0], out["all"][1], out["default"][1], out["default"][2], out["all"][2])


def syntharm_rows(binary, protocol_path, n, seed, columns):
    with tempfile.TemporaryDirectory() as folder:
        out = os.path.join(folder, "synthetic.csv")
        subprocess.run([binary, "generate", protocol_path, "--n", str(n), "--seed", str(seed), "--holdout", "0",
                        "--output", out], check=True, stdout=subprocess.DEVNULL)
        return pd.read_csv(out, dtype=str)[columns]


def sdv_rows(real, sdtypes, seed):
    random.seed(seed)
    np.random.seed(seed)
    try:
        import torch
        torch.manual_seed(seed)
    except ImportError:
        pass
    meta = Metadata.load_from_dict({"tables": {"t": metadata(sdtypes)}})
    synthesizer = GaussianCopulaSynthesizer(meta)
    synthesizer.fit({"t": real})
    # SDV samples with a fixed internal seed unless told otherwise (every run would give the same
    # rows); give it ours through its own (private) hook so that the seeds mean the same for both.
    synthesizer._set_random_state(seed)
    return synthesizer.sample(num_rows=len(real))["t"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--syntharm", required=True)
    parser.add_argument("--seeds", default="1,2,3")
    args = parser.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    module, known = independent_protocols()
    print(f"sdv {sdv.__version__}, sdmetrics {sdmetrics.__version__}, numpy {np.__version__}, pandas {pd.__version__}; seeds {seeds}")
    print()
    header = "Column Shapes | Column Pair Trends, all pairs | Column Pair Trends, default pairs | quality score (default) | quality score, all pairs"
    print(f"| protocol | eligible rows | generator | seed | {header} |")
    print("|---|---|---|---|---|---|---|---|---|")
    means = []
    for path, doc in shipped(module, known):
        p = known[doc["id"]]
        real_text, sdtypes, columns = tables(doc, p, module)
        real = typed(real_text, sdtypes)
        results = {"SynthArm": [], "SDV GaussianCopula": []}
        for seed in seeds:
            ours = typed(syntharm_rows(args.syntharm, path, len(real), seed, columns), sdtypes)
            theirs = typed(sdv_rows(real, sdtypes, seed), sdtypes)
            for name, frame in (("SynthArm", ours), ("SDV GaussianCopula", theirs)):
                s = score(real, frame, sdtypes)
                results[name].append(s)
                cells = " | ".join(f"{x:.4f}" for x in s)
                print(f"| {doc['id']} | {len(real)} | {name} | {seed} | {cells} |", flush=True)
        for name, rows in results.items():
            m = np.mean(np.array(rows), axis=0)
            means.append((doc["id"], len(real), name, m))
    print()
    print(f"Mean over seeds {args.seeds}:")
    print()
    print(f"| protocol | eligible rows | generator | {header} |")
    print("|---|---|---|---|---|---|---|---|")
    for pid, n, name, m in means:
        cells = " | ".join(f"{x:.4f}" for x in m)
        print(f"| {pid} | {n} | {name} | {cells} |")


if __name__ == "__main__":
    main()
