#!/usr/bin/env python3
"""Writes the history of bench/compile/generate.py a second time as an Alembic project in
DIR (alembic.ini, env.py for offline SQL, one revision per migration), with the same
tables, columns, keys and indexes, so `alembic upgrade head --sql` and `mig sql` print the
upgrade of the same schema."""
import argparse
import pathlib
import shutil

ENV_PY = '''from alembic import context

context.configure(url="postgresql://", literal_binds=True, transaction_per_migration=True)
with context.begin_transaction():
    context.run_migrations()
'''

INI = """[alembic]
script_location = %(here)s
"""

CHILD = """    op.create_table(
        "t{i}",
        sa.Column("id", sa.BigInteger, sa.Identity(always=True), primary_key=True),
        sa.Column("parent_id", sa.BigInteger, sa.ForeignKey("t{p}.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
    )
    op.create_index("t{i}_parent_id_idx", "t{i}", ["parent_id"])
"""

PLAIN = """    op.create_table(
        "t{i}",
        sa.Column("id", sa.BigInteger, sa.Identity(always=True), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("created_at", sa.TIMESTAMP(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.UniqueConstraint("name"),
    )
"""

ADD_COLUMN = """    op.add_column("t{p}", sa.Column("note", sa.Text))
"""

CONCURRENT_INDEX = """    with op.get_context().autocommit_block():
        op.create_index("t{o}_created_at_idx", "t{o}", ["created_at"], postgresql_concurrently=True)
"""


def revision(i: int) -> str:
    body = CHILD if i % 10 == 5 and i > 1 else PLAIN
    if i % 10 == 3 and i > 1:
        body += ADD_COLUMN
    if i % 10 == 7 and i > 3:
        body += CONCURRENT_INDEX
    down = "None" if i == 1 else f'"r{i - 1:05d}"'
    return (
        "from alembic import op\nimport sqlalchemy as sa\n\n"
        f'revision = "r{i:05d}"\ndown_revision = {down}\n\n\n'
        "def upgrade():\n" + body.format(i=i, p=i - 1, o=i - 3) + "\n\n"
        f'def downgrade():\n    op.drop_table("t{i}")\n'
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("dir", type=pathlib.Path)
    parser.add_argument("--count", type=int, required=True)
    args = parser.parse_args()
    shutil.rmtree(args.dir, ignore_errors=True)
    (args.dir / "versions").mkdir(parents=True)
    (args.dir / "alembic.ini").write_text(INI)
    (args.dir / "env.py").write_text(ENV_PY)
    (args.dir / "script.py.mako").write_text("")
    for i in range(1, args.count + 1):
        (args.dir / "versions" / f"r{i:05d}.py").write_text(revision(i))


if __name__ == "__main__":
    main()
