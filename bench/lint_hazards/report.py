#!/usr/bin/env python3
"""Lints the corpus with mig and squawk, maps their rules onto hazard families, reports.

    python3 bench/lint_hazards/report.py cases OUT MIG SQUAWK   # the labelled corpus
    python3 bench/lint_hazards/report.py real OUT MIG SQUAWK    # OUT/real/<project>/*.sql

Run by run.sh, which installs squawk and builds the corpus first. Every file is linted
on its own by each tool (squawk lints files independently; mig would otherwise read the
files as one history). Writes OUT/results.md (cases) or OUT/real_results.md (real), and
for the cases OUT/<tool>_misses.txt and OUT/<tool>_false_positives.txt.
"""

import json
import os
import subprocess
import sys
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor

from extract import LOCK_FAMILIES, SQUAWK_FAMILIES

MIG_FAMILIES = {
    "locking-index": "index-blocks-writes",
    "locking-index-drop": "index-drop-blocks",
    "concurrently-in-transaction": "concurrently-in-transaction",
    "constraint-without-not-valid": "constraint-validation-scan",
    "validate-in-same-migration": "constraint-validation-scan",
    "unique-constraint-blocking": "unique-constraint-blocks",
    "set-not-null-scan": "set-not-null-scan",
    "type-change-rewrite": "column-type-rewrite",
    "volatile-default": "volatile-default-rewrite",
    "required-column-without-default": "required-column",
    "rename-column": "rename",
    "rename-table": "rename",
    "drop-column": "drop",
    "drop-table": "drop",
    "blocking-table-lock": "table-lock",
    "mixed-schema-and-data": "mixed-schema-and-data",
    "unbatched-update": "unbatched-data-change",
    "multiple-alter-table": "style:multiple-alter-table",
    "fk-without-index": "style:fk-without-index",
    "prefer-bigint": "style:prefer-bigint",
    "prefer-text": "style:prefer-text",
    "prefer-timestamptz": "style:prefer-timestamptz",
    "prefer-identity": "style:prefer-identity",
    "prefer-jsonb": "style:prefer-jsonb",
    "ban-char": "style:ban-char",
    "identifier-too-long": "style:identifier-too-long",
    "irreversible-migration": "style:reversibility",
    "lossy-downgrade": "style:reversibility",
    "unused-allow": "style:unused-allow",
}


def run(command):
    done = subprocess.run(command, capture_output=True, text=True)
    return done.returncode, done.stdout, done.stderr


def lint_mig(mig, path):
    """(families found, parse error or None) for one file."""
    code, out, err = run([mig, "lint", "--format", "json", path])
    try:
        findings = json.loads(out)["findings"]
    except (ValueError, KeyError):
        return set(), f"exit {code}: {(err or out).strip()}"
    failures = [f for f in findings if f["rule"] is None]
    families = {MIG_FAMILIES.get(f["rule"], "other:" + f["rule"]) for f in findings if f["rule"]}
    error = None
    if failures:
        f = failures[0]
        error = f"{f['line']}:{f['column']}: {f['message']}"
    return families, error


def lint_squawk(squawk, paths):
    """{path: (families found, parse error or None)}, one squawk process per 200 files."""
    results = {p: (set(), None) for p in paths}
    for i in range(0, len(paths), 200):
        chunk = paths[i:i + 200]
        code, out, err = run([squawk, "--reporter", "json", *chunk])
        try:
            violations = json.loads(out or "[]")
        except ValueError:
            sys.exit(f"squawk: exit {code}: {err.strip() or out.strip()}")
        for v in violations:
            families, error = results[v["file"]]
            rule = v["rule_name"]
            if rule == "syntax-error":
                error = error or f"{v['line'] + 1}:{v['column'] + 1}: {v['message']}"
            else:
                families.add(SQUAWK_FAMILIES.get(rule, "other:" + rule))
            results[v["file"]] = (families, error)
    return results


def lint_all(mig, squawk, paths):
    with ThreadPoolExecutor(max_workers=2) as pool:
        mig_results = dict(zip(paths, pool.map(lambda p: lint_mig(mig, p), paths)))
    return {"mig": mig_results, "squawk": lint_squawk(squawk, paths)}


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |",
             "|" + "|".join("---" if i == 0 else "---:" for i in range(len(header))) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def first_lines(path, limit=6):
    with open(path) as f:
        lines = [l.rstrip() for l in f if l.strip() and l.strip() != "-- mig:no-transaction"]
    shown = lines[:limit] + (["    ..."] if len(lines) > limit else [])
    return "\n".join("    " + l for l in shown)


def report_cases(out, mig, squawk):
    labels = json.load(open(os.path.join(out, "labels.json")))
    lock = LOCK_FAMILIES
    cases = labels["cases"]
    paths = [os.path.join(out, "cases", name) for name in cases]
    results = lint_all(mig, squawk, paths)

    style = sorted({c["family"] for c in cases.values() if c["family"].startswith("style:")})
    labelled = Counter(c["family"] for c in cases.values())
    caught = {tool: Counter() for tool in results}
    false_pos = {tool: Counter() for tool in results}
    fp_cases = {tool: defaultdict(list) for tool in results}
    misses = {tool: [] for tool in results}
    failures = {tool: [] for tool in results}
    for name, case in cases.items():
        path = os.path.join(out, "cases", name)
        for tool, found in results.items():
            families, error = found[path]
            if error:
                failures[tool].append((name, error))
            if case["family"] != "none":
                if case["family"] in families:
                    caught[tool][case["family"]] += 1
                else:
                    misses[tool].append(name)
            for family in families:
                if family in lock and family != case["family"] and family not in case["also"]:
                    false_pos[tool][family] += 1
                    fp_cases[tool][family].append(name)

    rows = []
    for family in lock + style:
        rows.append([family, labelled[family], caught["mig"][family], caught["squawk"][family],
                     false_pos["mig"][family] if family in lock else "",
                     false_pos["squawk"][family] if family in lock else ""])
    totals = ["**lock families**", sum(labelled[f] for f in lock),
              sum(caught["mig"][f] for f in lock), sum(caught["squawk"][f] for f in lock),
              sum(false_pos["mig"].values()), sum(false_pos["squawk"].values())]
    rows.insert(len(lock), [f"**{c}**" if isinstance(c, int) else c for c in totals])
    header = ["family", "cases", "caught by mig", "caught by squawk", "mig false pos.",
              "squawk false pos."]
    behind = [f for f in lock if caught["mig"][f] < caught["squawk"][f]]
    text = [table(header, rows), "",
            f"{len(cases)} cases, {labelled['none']} of them expected quiet "
            f"(labelled `none`). Sources: " + ", ".join(
                f"{s} {v['commit'][:12]}" for s, v in labels["sources"].items()), "",
            "Families where mig catches fewer than squawk: " +
            (", ".join(f"`{f}` ({caught['mig'][f]} vs {caught['squawk'][f]})" for f in behind)
             or "none"), "",
            f"Parse failures: mig {len(failures['mig'])}, squawk {len(failures['squawk'])}."]
    for tool in results:
        for name, error in failures[tool]:
            text.append(f"- {tool}: `{name}`: {error}")
    with open(os.path.join(out, "results.md"), "w") as f:
        f.write("\n".join(text) + "\n")
    print("\n".join(text))

    for tool in results:
        with open(os.path.join(out, f"{tool}_misses.txt"), "w") as f:
            f.write(f"# Lock-hazard cases {tool} did not report (its family is in brackets)\n\n")
            for name in misses[tool]:
                case = cases[name]
                if case["family"] not in lock:
                    continue
                error = results[tool][os.path.join(out, "cases", name)][1]
                f.write(f"{name} [{case['family']}] ({case['test']})\n")
                if error:
                    f.write(f"  parse failure: {error}\n")
                f.write(first_lines(os.path.join(out, "cases", name)) + "\n\n")
            f.write(f"# Files {tool} failed to parse\n\n")
            for name, error in failures[tool]:
                f.write(f"{name}: {error}\n{first_lines(os.path.join(out, 'cases', name))}\n\n")
    for tool in results:
        with open(os.path.join(out, f"{tool}_false_positives.txt"), "w") as f:
            f.write(f"# Lock-family findings of {tool} on cases labelled otherwise\n\n")
            for family, names in sorted(fp_cases[tool].items()):
                for name in names:
                    case = cases[name]
                    label = case["family"] if case["family"] != "none" else \
                        f"none, quiet for {case['quiet_for']}"
                    f.write(f"{name} reported {family}, labelled {label} ({case['test']})\n")
                    f.write(first_lines(os.path.join(out, "cases", name)) + "\n\n")


def report_real(out, mig, squawk):
    root = os.path.join(out, "real")
    commits = json.load(open(os.path.join(root, "commits.json")))
    projects = sorted(commits)
    text = []
    counts, files, failures = {}, {}, {}
    for project in projects:
        directory = os.path.join(root, project)
        paths = sorted(os.path.join(directory, n) for n in os.listdir(directory))
        files[project] = len(paths)
        results = lint_all(mig, squawk, paths)
        counts[project] = {tool: Counter(f for fams, _ in r.values() for f in fams)
                           for tool, r in results.items()}
        failures[project] = {tool: [(os.path.basename(p), e) for p, (_, e) in r.items() if e]
                             for tool, r in results.items()}
    families = sorted({f for p in counts.values() for c in p.values() for f in c},
                      key=lambda f: (f.startswith("style:") or f.startswith("other:"), f))
    header = ["family"] + [f"{p}: {t}" for p in projects for t in ("mig", "squawk")]
    rows = [[f] + [counts[p][t][f] for p in projects for t in ("mig", "squawk")]
            for f in families]
    rows.append(["**files**"] + [files[p] for p in projects for _ in (0, 1)])
    rows.append(["**parse failures**"] + [len(failures[p][t]) for p in projects
                                          for t in ("mig", "squawk")])
    text.append("Files with at least one finding of the family (each file linted alone):\n")
    text.append(table(header, rows))
    for p in projects:
        for tool in ("mig", "squawk"):
            for name, error in failures[p][tool]:
                text.append(f"- {tool} could not parse {p}/{name}: {error}")
    with open(os.path.join(out, "real_results.md"), "w") as f:
        f.write("\n".join(text) + "\n")
    print("\n".join(text))


def main():
    mode, out, mig, squawk = sys.argv[1:5]
    if mode == "cases":
        report_cases(out, mig, squawk)
    else:
        report_real(out, mig, squawk)


if __name__ == "__main__":
    main()
