#!/usr/bin/env python3
"""Rebuilds the labelled lock-hazard corpus from the test suites of squawk and eugene.

    python3 bench/lint_hazards/extract.py [--mirrors DIR] [--out DIR]
    python3 bench/lint_hazards/extract.py --real [--mirrors DIR] [--out DIR]

Reads bare clones DIR/<owner>+<name>/repo (default DIR: /work/.mirror, as the fetch tool
leaves them; `git clone --bare https://github.com/sbdchd/squawk /work/.mirror/sbdchd+squawk/repo`
works as well). Writes OUT/cases/<source>_<n>.sql and OUT/labels.json (default OUT:
bench/lint_hazards/out); with --real, the PostgreSQL migrations of the projects in REAL
into OUT/real/<project>/ and OUT/real/commits.json instead.

Each case is labelled with the family its test expects to fire, or "none" when the test
expects the rule to stay quiet ("quiet_for" then names the family it is quiet for).
"also" lists further lock families the SQL really contains, by hand review (ALSO below).
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter

# Families whose findings count for the headline: they stall live traffic or break it.
LOCK_FAMILIES = [
    "index-blocks-writes",
    "index-drop-blocks",
    "concurrently-in-transaction",
    "constraint-validation-scan",
    "unique-constraint-blocks",
    "set-not-null-scan",
    "column-type-rewrite",
    "volatile-default-rewrite",
    "required-column",
    "rename",
    "drop",
    "table-lock",
    "mixed-schema-and-data",
    "unbatched-data-change",
]

SQUAWK_FAMILIES = {
    "require-concurrent-index-creation": "index-blocks-writes",
    "require-concurrent-reindex": "index-blocks-writes",
    "require-concurrent-index-deletion": "index-drop-blocks",
    "ban-concurrent-index-creation-in-transaction": "concurrently-in-transaction",
    "constraint-missing-not-valid": "constraint-validation-scan",
    "adding-foreign-key-constraint": "constraint-validation-scan",
    "ban-alter-domain-with-add-constraint": "constraint-validation-scan",
    "disallowed-unique-constraint": "unique-constraint-blocks",
    "adding-serial-primary-key-field": "unique-constraint-blocks",
    "adding-not-nullable-field": "set-not-null-scan",
    "changing-column-type": "column-type-rewrite",
    "adding-field-with-default": "volatile-default-rewrite",
    "adding-required-field": "required-column",
    "renaming-column": "rename",
    "renaming-table": "rename",
    "ban-drop-column": "drop",
    "ban-drop-table": "drop",
    "ban-drop-database": "drop",
    "prefer-repack": "table-lock",
    "ban-truncate-cascade": "table-lock",
    "require-concurrent-partition-detach": "table-lock",
    "prefer-bigint-over-int": "style:prefer-bigint",
    "prefer-bigint-over-smallint": "style:prefer-bigint",
    "prefer-text-field": "style:prefer-text",
    "prefer-timestamptz": "style:prefer-timestamptz",
    "prefer-timestamp-tz": "style:prefer-timestamptz",
    "prefer-identity": "style:prefer-identity",
    "ban-char-field": "style:ban-char",
    "identifier-too-long": "style:identifier-too-long",
    "ban-drop-not-null": "style:ban-drop-not-null",
    "ban-create-domain-with-constraint": "style:domain-constraint",
    "prefer-robust-stmts": "style:prefer-robust-stmts",
    "require-table-schema": "style:require-table-schema",
    "transaction-nesting": "style:transaction-nesting",
    "ban-uncommitted-transaction": "style:transaction-nesting",
    "require-timeout-settings": "style:timeouts",
    "require-lock-timeout": "style:timeouts",
    "require-statement-timeout": "style:timeouts",
    "require-enum-value-ordering": "style:enum-value-ordering",
    "ban-duplicate-column-assignments": "style:duplicate-assignments",
}

# eugene's rule constants (src/lints/rules.rs) and hint ids (src/hint_data.rs).
EUGENE_FAMILIES = {
    "ADDING_VALID_CONSTRAINT": "constraint-validation-scan",
    "E1": "constraint-validation-scan",
    "MAKE_COLUMN_NOT_NULLABLE_WITH_LOCK": "set-not-null-scan",
    "E2": "set-not-null-scan",
    "SET_COLUMN_TYPE_TO_JSON": "style:prefer-jsonb",
    "E3": "style:prefer-jsonb",
    "RUNNING_STATEMENT_WHILE_HOLDING_ACCESS_EXCLUSIVE": "style:held-lock",
    "CHANGE_COLUMN_TYPE": "column-type-rewrite",
    "E5": "column-type-rewrite",
    "CREATE_INDEX_NONCONCURRENTLY": "index-blocks-writes",
    "E6": "index-blocks-writes",
    "ADD_NEW_UNIQUE_CONSTRAINT_WITHOUT_USING_INDEX": "unique-constraint-blocks",
    "E7": "unique-constraint-blocks",
    "ADDING_EXCLUSION_CONSTRAINT": "unique-constraint-blocks",
    "E8": "unique-constraint-blocks",
    "LOCKTIMEOUT_WARNING": "style:timeouts",
    "ADDED_SERIAL_OR_STORED_GENERATED_COLUMN": "volatile-default-rewrite",
    "ADD_SERIAL_COLUMN": "volatile-default-rewrite",
    "E11": "volatile-default-rewrite",
    "MULTIPLE_ALTER_TABLES_WHERE_ONE_WILL_DO": "style:multiple-alter-table",
    "CREATING_ENUM": "style:enum",
    "ADD_PRIMARY_KEY_USING_INDEX": "style:pk-using-index",
}

# squawk rules whose tests are about something other than the statements they contain
# (statement robustness, schema qualification, transaction bookkeeping, timeouts): their
# SQL holds lock hazards no label speaks of, so they are left out.
SQUAWK_SKIPPED_RULES = {
    "prefer-robust-stmts",
    "require-table-schema",
    "transaction-nesting",
    "ban-uncommitted-transaction",
    "require-timeout-settings",
    "require-lock-timeout",
    "require-statement-timeout",
    "require-enum-value-ordering",
    "ban-duplicate-column-assignments",
}
EUGENE_SKIPPED_RULES = {"LOCKTIMEOUT_WARNING"}

# eugene's documentation examples (eugene/examples/<hint>/{bad,good}.sql) are several
# migrations each, marked `-- N.sql`; section 1 creates the tables, so the later sections
# act on existing tables. Only these sections are used, each a case of its own, labelled
# by what its SQL does (the examples are about one hint each and ignore the others).
EUGENE_EXAMPLES = {
    ("E1", "bad", 2): "constraint-validation-scan",
    ("E1", "good", 2): "none",
    ("E1", "good", 3): "none",
    ("E2", "bad", 2): "set-not-null-scan",
    ("E2", "good", 2): "none",
    ("E2", "good", 3): "none",
    ("E3", "bad", 1): "style:prefer-jsonb",
    ("E3", "good", 1): "none",
    ("E5", "bad", 2): "column-type-rewrite",
    ("E5", "good", 2): "none",
    ("E6", "bad", 2): "index-blocks-writes",
    ("E6", "good", 2): "none",
    ("E7", "bad", 2): "unique-constraint-blocks",
    ("E7", "good", 2): "none",
    ("E7", "good", 3): "none",
    ("E8", "bad", 2): "unique-constraint-blocks",
    ("E11", "bad", 2): "volatile-default-rewrite",
}

# Where a test's expectation and the SQL's lock behaviour disagree, the SQL wins (keyed by
# the case's "test" field): squawk keeps quiet on these for reasons other than locks.
RELABEL = {
    # ACCESS EXCLUSIVE and a full rewrite; squawk only speaks once `repack` exists (PG 19).
    "squawk:prefer-repack:cluster_below_pg19_ok": "table-lock",
    "squawk:prefer-repack:vacuum_full_below_pg19_ok": "table-lock",
    # TRUNCATE takes ACCESS EXCLUSIVE; the test is about CASCADE only.
    "squawk:ban-truncate-cascade:ok": "table-lock",
    # DROP TRIGGER takes ACCESS EXCLUSIVE on its table.
    "squawk:require-concurrent-index-deletion:regression_false_positive_drop_trigger_ok":
        "table-lock",
    "squawk:require-concurrent-index-deletion:regression_false_positive_drop_table_ok": "drop",
    # VALIDATE inside the transaction that added the constraint keeps its SHARE ROW
    # EXCLUSIVE lock through the scan (squawk's constraint-missing-not-valid says so too).
    "squawk:adding-foreign-key-constraint:add_foreign_key_constraint_not_valid_validate":
        "constraint-validation-scan",
    # An identity column fills every existing row: PostgreSQL rewrites the table.
    "eugene:test_alter_table_generated_always_column": "volatile-default-rewrite",
}

# Lock hazards a case's SQL contains besides the one its test is about, by reading the SQL
# (keyed by the case's "test" field). A finding of such a family is not a false positive.
ALSO = {
    # `update` of a table beside DDL, in the same migration.
    "squawk:adding-not-nullable-field:regression_gh_issue_519": ["mixed-schema-and-data"],
    # `add column ... not null` without a default fails on a table with rows.
    "squawk:adding-not-nullable-field:adding_field_that_is_not_nullable_without_default":
        ["required-column"],
    # A stored generated column rewrites the table.
    "squawk:adding-required-field:generated_stored_not_null_ok": ["volatile-default-rewrite"],
    "squawk:adding-required-field:generated_stored_ok": ["volatile-default-rewrite"],
    # `serial` fills every row from a sequence: a rewrite.
    "squawk:adding-serial-primary-key-field:serial_primary_key": ["volatile-default-rewrite"],
    # `alter column ... type` takes ACCESS EXCLUSIVE and, the old type unknown, may rewrite.
    "squawk:prefer-text-field:increase_varchar_size_err": ["column-type-rewrite"],
    "squawk:prefer-text-field:fix_alter_table": ["column-type-rewrite"],
    "squawk:prefer-timestamptz:fix_alter_table_timestamp": ["column-type-rewrite"],
    "squawk:prefer-timestamptz:alter_table_with_timestamp_err": ["column-type-rewrite"],
    "eugene:test_alter_to_json_type": ["column-type-rewrite"],
    # The long names are on statements that lock or drop.
    "squawk:identifier-too-long:drop_table_long_name_err": ["drop"],
    "squawk:identifier-too-long:create_index_long_name_err": ["index-blocks-writes"],
}

# Open-source projects with plain PostgreSQL migration files: the mirror, and which files.
REAL = {
    "kratos": ("ory/kratos", re.compile(r"^persistence/sql/migrations/sql/.*\.postgres\.up\.sql$")),
    "temporal": ("temporalio/temporal",
                 re.compile(r"^schema/postgresql/v12/[a-z]+/versioned/.*\.sql$")),
    "harbor": ("goharbor/harbor", re.compile(r"^make/migrations/postgresql/.*\.up\.sql$")),
}

SKIP_LINE = "-- mig:no-transaction\n"


def git_show(git_dir, path):
    return subprocess.run(["git", "--git-dir", git_dir, "show", f"HEAD:{path}"],
                          check=True, capture_output=True, text=True).stdout


def git_ls(git_dir, under):
    out = subprocess.run(["git", "--git-dir", git_dir, "ls-tree", "-r", "--name-only", "HEAD",
                          under], check=True, capture_output=True, text=True).stdout
    return out.split()


def git_head(git_dir):
    return subprocess.run(["git", "--git-dir", git_dir, "rev-parse", "HEAD"], check=True,
                          capture_output=True, text=True).stdout.strip()


def rust_string_at(text, i):
    """The Rust string literal starting at text[i] (r#"..."#, r"...", "..."), or None,
    with the index after it."""
    m = re.compile(r'r(#*)"').match(text, i)
    if m:
        end = text.index('"' + m.group(1), m.end())
        return text[m.end():end], end + 1 + len(m.group(1))
    if text.startswith('"', i):
        out, j = [], i + 1
        while text[j] != '"':
            if text[j] == "\\":
                nxt = text[j + 1]
                if nxt == "\n":  # line continuation: drop the newline and the indent
                    j += 2
                    while text[j] in " \t\n":
                        j += 1
                    continue
                out.append({"n": "\n", "t": "\t", "\\": "\\", '"': '"', "'": "'",
                            "0": "\0"}.get(nxt, "\\" + nxt))
                j += 2
            else:
                out.append(text[j])
                j += 1
        return "".join(out), j + 1
    return None


def rust_test_functions(source):
    """(name, body) of each #[test] function, body with string literals intact."""
    for m in re.finditer(r"#\[test\]\s*fn\s+(\w+)\s*\(\)\s*\{", source):
        depth, j = 1, m.end()
        while depth:
            c = source[j]
            if c in "r\"" and (lit := rust_string_at(source, j)) and (c == '"' or
                                                                    not source[j - 1].isalnum()):
                j = lit[1]
                continue
            depth += {"{": 1, "}": -1}.get(c, 0)
            j += 1
        yield m.group(1), source[m.end():j - 1]


def kebab(camel):
    return re.sub(r"(?<!^)(?=[A-Z])", "-", camel).lower()


def squawk_cases(git_dir):
    cases = []
    for path in git_ls(git_dir, "crates/squawk_linter/src/rules"):
        if not path.endswith(".rs") or path.endswith("mod.rs"):
            continue
        source = git_show(git_dir, path)
        if "mod test" not in source:
            continue
        tests = source[source.index("mod test"):]
        rules = re.findall(r"Rule::(\w+)", tests)
        if not rules:
            continue
        file_rule = max(set(rules), key=rules.count)
        for name, body in rust_test_functions(tests):
            variables = {}
            for m in re.finditer(r"let\s+(\w+)\s*=\s*", body):
                lit = rust_string_at(body, m.end())
                if lit:
                    variables[m.group(1)] = lit[0]
            for m in re.finditer(r"\b(lint_errors|lint_ok|fix)(_with)?\(", body):
                if m.group(2):  # non-default settings (pg_version, assume_in_transaction)
                    continue
                start = m.end() + len(body[m.end():]) - len(body[m.end():].lstrip())
                lit = rust_string_at(body, start)
                if lit:
                    sql, after = lit
                else:
                    var = re.compile(r"\w+").match(body, start)
                    sql, after = (variables.get(var.group()), var.end()) if var else (None, 0)
                if sql is None:
                    continue
                rule_arg = re.compile(r"\s*,\s*Rule::(\w+)").match(body, after)
                rule = kebab(rule_arg.group(1) if rule_arg else file_rule)
                rule = {"prefer-timestamp-tz": "prefer-timestamptz"}.get(rule, rule)
                if rule in SQUAWK_SKIPPED_RULES:
                    continue
                family = SQUAWK_FAMILIES[rule]
                fires = m.group(1) != "lint_ok"
                cases.append({"source": "squawk", "test": f"squawk:{rule}:{name}",
                              "origin": path, "rule": rule, "sql": sql,
                              "family": family if fires else "none",
                              "quiet_for": None if fires else family})
    return cases


def eugene_cases(git_dir):
    cases = []
    path = "eugene/src/lints.rs"
    source = git_show(git_dir, path)
    for name, body in rust_test_functions(source[source.index("mod tests"):]):
        for m in re.finditer(r"anon_lint\(\s*", body):
            lit = rust_string_at(body, m.end())
            if not lit:
                continue  # built with format!
            sql = lit[0]
            rest = body[lit[1]:]
            nxt = rest.find("anon_lint(")
            asserts = re.findall(r"assert!\((!?)matched_lint_rule\(\s*&report,\s*(?:rules::)?(\w+)",
                                 rest if nxt < 0 else rest[:nxt])
            if not asserts or any(rule in EUGENE_SKIPPED_RULES for _, rule in asserts):
                continue
            fired = [rule for neg, rule in asserts if not neg]
            quiet = [rule for neg, rule in asserts if neg]
            case = {"source": "eugene", "test": f"eugene:{name}", "origin": path,
                    "rule": (fired or quiet)[0], "sql": sql}
            if fired:
                case.update(family=EUGENE_FAMILIES[fired[0]], quiet_for=None)
            else:
                case.update(family="none", quiet_for=EUGENE_FAMILIES[quiet[0]])
            cases.append(case)
    for (hint, kind, section), family in EUGENE_EXAMPLES.items():
        path = f"eugene/examples/{hint}/{kind}.sql"
        parts = re.split(r"^-- (\d+)\.sql\n", git_show(git_dir, path), flags=re.M)
        sections = dict(zip(map(int, parts[1::2]), parts[2::2]))
        cases.append({"source": "eugene", "test": f"eugene:examples/{hint}/{kind}/{section}",
                      "origin": path, "rule": hint, "sql": sections[section].strip() + "\n",
                      "family": family,
                      "quiet_for": EUGENE_FAMILIES[hint] if family == "none" else None})
    return cases


def as_file(sql):
    """The case as a migration file. The tests ran outside a transaction unless their SQL
    opens one; a plain SQL file is one transaction for mig unless it says otherwise."""
    sql = sql.strip("\n") + "\n"
    opens = re.search(r"^\s*(begin|start\s+transaction)\b", sql, re.I | re.M)
    if re.search(r"\bconcurrently\b", sql, re.I) and not opens:
        return SKIP_LINE + sql
    return sql


def mirror(mirrors, repo):
    return os.path.join(mirrors, repo.replace("/", "+"), "repo")


def extract_real(mirrors, out):
    root = os.path.join(out, "real")
    shutil.rmtree(root, ignore_errors=True)
    commits = {}
    for project, (repo, pattern) in REAL.items():
        git_dir = mirror(mirrors, repo)
        commits[project] = {"repo": repo, "commit": git_head(git_dir)}
        os.makedirs(os.path.join(root, project))
        paths = [p for p in git_ls(git_dir, ".") if pattern.match(p)]
        for path in paths:
            # temporal: schema/postgresql/v12/<db>/versioned/<version>/<name>.sql
            parts = path.split("/")
            name = "_".join([parts[3]] + parts[-2:]) if project == "temporal" else parts[-1]
            with open(os.path.join(root, project, name), "w") as f:
                f.write(git_show(git_dir, path))
        print(f"{project}: {len(paths)} files from {repo} {commits[project]['commit'][:12]}",
              file=sys.stderr)
    with open(os.path.join(root, "commits.json"), "w") as f:
        json.dump(commits, f, indent=1)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirrors", default="/work/.mirror")
    parser.add_argument("--out", default=os.path.join(here, "out"))
    parser.add_argument("--real", action="store_true")
    args = parser.parse_args()
    if args.real:
        extract_real(args.mirrors, args.out)
        return

    sources = {"squawk": (mirror(args.mirrors, "sbdchd/squawk"), squawk_cases),
               "eugene": (mirror(args.mirrors, "kaaveland/eugene"), eugene_cases)}
    cases_dir = os.path.join(args.out, "cases")
    shutil.rmtree(cases_dir, ignore_errors=True)
    os.makedirs(cases_dir)
    labels = {"sources": {}, "cases": {}}
    for source, (git_dir, extract) in sources.items():
        labels["sources"][source] = {"repo": git_dir, "commit": git_head(git_dir)}
        seen = set()
        n = 0
        for case in extract(git_dir):
            text = as_file(case.pop("sql"))
            if text in seen:  # the same SQL under several tests
                continue
            seen.add(text)
            n += 1
            name = f"{source}_{n}.sql"
            with open(os.path.join(cases_dir, name), "w") as f:
                f.write(text)
            if case["test"] in RELABEL:
                case["quiet_for"] = None
                case["family"] = RELABEL[case["test"]]
            case["also"] = ALSO.get(case["test"], [])
            labels["cases"][name] = case
    with open(os.path.join(args.out, "labels.json"), "w") as f:
        json.dump(labels, f, indent=1)
    by_family = Counter(case["family"] for case in labels["cases"].values())
    print(f"{len(labels['cases'])} cases in {cases_dir}: " +
          ", ".join(f"{family} {count}" for family, count in sorted(by_family.items())),
          file=sys.stderr)


if __name__ == "__main__":
    main()
