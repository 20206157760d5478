#!/usr/bin/env python3
"""Writes the hostile-input corpus of this folder (deterministic: run it again, get the same files).

The files a test must not keep in the repository (several megabytes) are written by
HostileInputTests itself into a temporary folder; see README.md.
"""
import os, random

here = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(20261125)

def write(name, data):
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(os.path.join(here, name), mode) as f:
        f.write(data)

# A small reference cohort: 60 patients, two arms, ages 30-89, nodes 0-9, status 0/1.
rows = ["time,status,age,nodes,arm"]
for i in range(60):
    rows.append(f"{10 + (i * 37) % 300},{1 if i % 3 else 0},{30 + (i * 7) % 60},{i % 10},{'A' if i % 2 else 'B'}")
cohort = "\n".join(rows) + "\n"
write("cohort.csv", cohort)

def protocol(when="age >= 18", data="cohort.csv", event="{column: status, event_value: 1}",
             constraints=None, extra_variables="", rows=None):
    text = f"""syntharm: 1
id: hostile
time_unit: month
reference:
  data: {data}
{"  rows: " + rows + chr(10) if rows else ""}  time: {{column: time, unit: day}}
  event: {event}
variables:
  age: {{type: continuous, unit: year}}
  nodes: {{type: count}}
{extra_variables}eligibility:
  inclusion:
    - id: IN1
      when: {when}
endpoint: {{name: overall survival, kind: time-to-event}}
arms:
  - {{id: control, role: control}}
  - {{id: test, role: experimental, hazard_ratio: 0.7}}
design:
  patients: 200
  accrual: {{duration: 12}}
  analysis: {{at: calendar, follow_up: 12}}
  test: {{method: logrank, alpha: 0.05}}
"""
    if constraints is not None:
        text += "synthesis:\n  generator: gaussian-copula\n  outcome: weibull\n  constraints:\n"
        text += "".join(f"    - {c}\n" for c in constraints)
    return text

# 1. Expressions that used to overflow the stack, and their legal neighbours.
write("expr-100000-parens.yaml", protocol("(" * 100_000 + "age > 1" + ")" * 100_000))
write("expr-1000-parens.yaml", protocol("(" * 1000 + "age > 1" + ")" * 1000))
write("expr-150-parens.yaml", protocol("(" * 150 + "age > 1" + ")" * 150))
write("expr-20000-nots.yaml", protocol("not " * 20_000 + "age > 1"))
write("expr-300-nots.yaml", protocol("not " * 300 + "age > 1"))
write("expr-50000-term-sum.yaml", protocol(" + ".join(["age"] * 50_000) + " > 1"))
write("expr-1500-term-sum.yaml", protocol("+".join(["age"] * 1500) + " > 1"))
write("expr-250-term-sum.yaml", protocol("+".join(["age"] * 250) + " > 1"))
write("expr-1050-rules.yaml", protocol(" or ".join(["age>1"] * 1050)))
write("expr-300-negations.yaml", protocol("-" * 300 + "age < 1"))
write("expr-nested-functions.yaml", protocol("abs(" * 250 + "age" + ")" * 250 + " > 1"))
# 2. Division by zero is unknown, so nobody is eligible: an error of validate.
write("expr-divide-by-zero.yaml", protocol("age / 0 > 1"))
# 3. Numbers that cannot be represented.
big = rows[:]
big[3] = "100,1,1e308,2,A"  # a continuous covariate of 1e308: legal, and must not trap
write("huge-covariate.csv", "\n".join(big) + "\n")
write("huge-covariate.yaml", protocol(data="huge-covariate.csv", constraints=[]).replace("constraints:\n", "covariates: [age, nodes]\n"))
big = rows[:]
big[2] = "100,1,50,100000000000000000000,A"  # a count beyond 2^53
write("count-beyond-2-53.csv", "\n".join(big) + "\n")
write("count-beyond-2-53.yaml", protocol(data="count-beyond-2-53.csv"))
big = rows[:]
big[4] = "100,1,1e400,2,A"  # overflows to infinity
write("infinite-covariate.csv", "\n".join(big) + "\n")
write("infinite-covariate.yaml", protocol(data="infinite-covariate.csv"))
write("huge-numbers.yaml", protocol().replace("patients: 200", "patients: 99999999999999999999999999")
      .replace("alpha: 0.05", "alpha: 1e400").replace("duration: 12", "duration: 1e308 years"))
# 4. compare-arms without events.
write("no-events.csv", "\n".join(r if i == 0 else r.split(",")[0] + ",0," + ",".join(r.split(",")[2:])
                                  for i, r in enumerate(rows)) + "\n")
# 5. Event values.
bad = rows[:]
bad[5] = "100,3,50,2,A"
bad[9] = "100,dead,50,2,A"
write("event-bad-value.csv", "\n".join(bad) + "\n")
write("event-bad-value.yaml", protocol(data="event-bad-value.csv"))
lung = [r.replace(",1,", ",2,", 1) if i and r.split(",")[1] == "1" else r for i, r in enumerate(rows)]
lung = [r if i == 0 or r.split(",")[1] == "2" else r.replace(",0,", ",1,", 1) for i, r in enumerate(lung)]
write("event-one-two.csv", "\n".join(lung) + "\n")
write("event-one-two.yaml", protocol(data="event-one-two.csv", event="{column: status, event_value: 2}"))
write("event-values-list.yaml", protocol(event="{column: status, event_values: [1, 2], censor_value: [0]}"))
write("event-both-keys.yaml", protocol(event="{column: status, event_value: 1, event_values: [1]}"))
write("event-censor-is-event.yaml", protocol(event="{column: status, event_value: 1, censor_value: 1}"))
write("event-zero-needs-censor.yaml", protocol(event="{column: status, event_value: 0}"))
# 6. validate: eligibility and constraints against the reference.
write("eligible-few.yaml", protocol("age >= 85"))
write("eligible-none.yaml", protocol("age > 200"))
write("constraints-unsatisfiable.yaml", protocol("age >= 18", constraints=["nodes > 50"]))
write("constraints-some-violate.yaml", protocol("age >= 18", constraints=["nodes <= 5"]))
# Files that are not protocols at all.
write("empty.yaml", "")
write("empty.csv", "")
write("binary-garbage.yaml", bytes(rng.randrange(256) for _ in range(4096)))
write("binary-garbage.csv", bytes(rng.randrange(256) for _ in range(4096)))
write("nul-bytes.yaml", protocol().replace("id: hostile", "id: host\0ile").encode())
write("nul-bytes.csv", cohort.replace("A\n", "A\0\n", 3))
write("invalid-utf8.yaml", protocol().encode().replace(b"id: hostile", b"id: host\xc3\x28ile"))
write("invalid-utf8.csv", cohort.encode().replace(b"time,status", b"time,st\xff\xfeatus"))
write("deep-yaml-flow.yaml", "syntharm: 1\nid: " + "[" * 100_000 + "]" * 100_000 + "\n")
write("deep-yaml-block.yaml", "syntharm: 1\nid:\n  " + "- " * 5_000 + "x\n")
laughs = ["syntharm: 1", 'a0: &a0 "lol"']
for k in range(1, 10):
    laughs.append(f"a{k}: &a{k} [" + ", ".join([f"*a{k - 1}"] * 10) + "]")
laughs.append("id: *a9")
write("billion-laughs.yaml", "\n".join(laughs) + "\n")
write("alias-as-key.yaml", "syntharm: 1\nbomb: &b [1, 2, 3]\n? *b\n: value\nid: x\n")
write("duplicate-keys.yaml", protocol().replace("id: hostile", "id: hostile\nid: again"))
neg = rows[:]
neg[6] = "-5,1,50,2,A"
write("negative-time.csv", "\n".join(neg) + "\n")
write("negative-time.yaml", protocol(data="negative-time.csv"))
write("expr-nul-and-unicode.yaml", protocol('"age \\0 > 1 \u00e9\u200b"'))
write("not-a-mapping.yaml", "- just\n- a\n- list\n")
# 7. mimic: arm A is the reference (the control arm); --treated must select other rows.
write("mimic-arms.yaml", protocol(rows='arm == "A"'))
