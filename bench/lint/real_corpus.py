#!/usr/bin/env python3
"""Gathers real projects' PostgreSQL migration files from bare git mirrors into one
directory, for timing linters on SQL nobody wrote for a benchmark.

    python3 bench/lint/real_corpus.py OUT [--mirrors /work/.mirror]

Writes OUT/<project>__<path with / as _>.sql for every file of PROJECTS found in
MIRRORS/<owner>+<name>/repo (at its HEAD), and OUT/../real_commits.json with the commit of
each. A project whose mirror is missing is skipped with a note on stderr.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys

# project -> (repository, the migration files: PostgreSQL only, upgrades only)
PROJECTS = {
    "kratos": ("ory/kratos", r"persistence/sql/migrations/sql/.*\.postgres\.up\.sql"),
    "hydra": ("ory/hydra", r"persistence/sql/migrations/[^/.]*(\.postgres)?\.up\.sql"),
    "keto": ("ory/keto", r"internal/persistence/sql/migrations/sql/.*postgres.*up\.sql"),
    "lemmy": ("LemmyNet/lemmy", r"migrations/[^/]*/up\.sql"),
    "hatchet": ("hatchet-dev/hatchet", r"cmd/hatchet-migrate/migrate/migrations/.*\.sql"),
    "documenso": ("documenso/documenso", r"packages/prisma/migrations/.*/migration\.sql"),
    "formbricks": ("formbricks/formbricks", r"packages/database/migration/.*/migration\.sql"),
    "rallly": ("lukevella/rallly", r".*prisma/migrations/.*/migration\.sql"),
    "umami": ("umami-software/umami", r"prisma/migrations/.*/migration\.sql"),
    "supabase-auth": ("supabase/auth", r"migrations/.*\.sql"),
    "supabase-storage": ("supabase/storage", r"migrations/(tenant|multitenant)/.*\.sql"),
    "temporal": ("temporalio/temporal", r"schema/postgresql/v12/.*/versioned/.*\.sql"),
    "harbor": ("goharbor/harbor", r"make/migrations/postgresql/.*\.up\.sql"),
}


def git(git_dir, *args):
    return subprocess.run(["git", "--git-dir", git_dir, *args], check=True,
                          capture_output=True).stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--mirrors", default="/work/.mirror")
    args = parser.parse_args()
    shutil.rmtree(args.out, ignore_errors=True)
    os.makedirs(args.out)
    commits = {}
    total = 0
    for project, (repo, pattern) in PROJECTS.items():
        git_dir = os.path.join(args.mirrors, repo.replace("/", "+"), "repo")
        if not os.path.isdir(git_dir):
            print(f"{project}: no mirror at {git_dir}, skipped", file=sys.stderr)
            continue
        commit = git(git_dir, "rev-parse", "HEAD").decode().strip()
        paths = [p for p in git(git_dir, "ls-tree", "-r", "--name-only", commit).decode()
                 .splitlines() if re.fullmatch(pattern, p)]
        for path in paths:
            name = f"{project}__{path.replace('/', '_')}"
            with open(os.path.join(args.out, name), "wb") as f:
                f.write(git(git_dir, "show", f"{commit}:{path}"))
        commits[project] = {"repo": repo, "commit": commit, "files": len(paths)}
        total += len(paths)
        print(f"{project}: {len(paths)} files from {repo} {commit[:12]}", file=sys.stderr)
    with open(os.path.join(os.path.dirname(os.path.abspath(args.out)), "real_commits.json"),
              "w") as f:
        json.dump(commits, f, indent=1)
    print(f"{total} files in {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
