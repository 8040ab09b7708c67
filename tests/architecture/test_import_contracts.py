"""The layering contracts in ``.importlinter`` hold, and they do catch a forbidden import.

``make lint`` runs the same check; this test keeps the contracts themselves
honest: a contract that cannot fail would pass the clean tree just as well.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

pytestmark = pytest.mark.slow


def lint_imports(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tree,
        env={**os.environ, "PYTHONPATH": f"{tree}{os.pathsep}{tree / '.ci'}"},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def tree(tmp_path) -> Path:
    """A copy of the packages and the contracts, to break on purpose."""
    for package in ("app", "matching"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    (tmp_path / ".ci").mkdir()
    shutil.copy(ROOT / ".ci" / "import_contracts.py", tmp_path / ".ci")
    shutil.copy(ROOT / ".importlinter", tmp_path)
    return tmp_path


def test_the_tree_keeps_every_contract(tree):
    result = lint_imports(tree)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "forbidden_import", "contract"),
    [
        ("matching/scoring.py", "import flask", "The matching engine is pure Python"),
        ("matching/engine.py", "from app import models", "The matching engine is pure Python"),
        ("app/models/group.py", "from app.groups import services", "Models know no feature package"),
        ("app/refugees/services.py", "from app.intake import routes", "only through their services"),
        ("app/cli.py", "from app.auth import forms", "only through their services"),
        ("app/volunteers/services.py", "from app.matches import services", "No import cycles"),
    ],
)
def test_a_forbidden_import_breaks_its_contract(tree, module, forbidden_import, contract):
    path = tree / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{forbidden_import}  # noqa\n", encoding="utf-8")
    result = lint_imports(tree)
    assert result.returncode != 0
    broken = result.stdout.split("Broken contracts", 1)[1]
    assert contract in broken
