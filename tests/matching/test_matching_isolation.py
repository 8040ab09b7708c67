"""The engine is a pure library: no web framework, database layer or app imports."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = ("flask", "sqlalchemy", "app", "flask_sqlalchemy", "werkzeug", "jinja2")


def test_source_imports_nothing_forbidden() -> None:
    for path in sorted((ROOT / "matching").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0].lower() not in FORBIDDEN, f"{path.name} imports {name}"


@pytest.mark.slow
def test_importing_and_running_loads_nothing_forbidden() -> None:
    code = (
        "import json, sys, matching\n"
        "matching.propose(json.load(open('matching/example-problem.json')))\n"
        "print('\\n'.join(sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    loaded = {name.split(".")[0].lower() for name in result.stdout.split()}
    assert not loaded & set(FORBIDDEN)


def test_schema_ships_inside_the_package() -> None:
    assert (ROOT / "matching" / "problem.schema.json").is_file()
