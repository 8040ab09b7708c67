"""The command line: exit codes, messages, output.

A few tests run ``python -m matching`` as a real subprocess; the many
invalid-problem cases call ``matching.cli.main`` in-process (same code, no
interpreter start-up per case).
"""

from __future__ import annotations

import json
import platform
import subprocess
import sys
from pathlib import Path

import pytest

from matching.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = Path(__file__).resolve().parents[2] / "matching" / "example-problem.json"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "matching", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def write_problem(tmp_path: Path, problem: object) -> str:
    path = tmp_path / "problem.json"
    path.write_text(json.dumps(problem), encoding="utf-8")
    return str(path)


def example() -> dict:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


@pytest.mark.slow
def test_example_to_stdout() -> None:
    result = run("propose", str(EXAMPLE))
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["version"] == 1
    assert set(out) == {
        "version",
        "pairs",
        "alternatives",
        "unmatched",
        "group_assignments",
        "group_shortfall",
        "metrics",
    }
    assert any(p["locked"] and p["mentee"] == "r-3" and p["volunteer"] == "v-2" for p in out["pairs"])
    assert out["metrics"]["solver"] == "exact"


@pytest.mark.parametrize("solver", ["exact", "fast"])
def test_solver_option(capsys, solver: str) -> None:
    assert main(["propose", str(EXAMPLE), "--solver", solver]) == 0
    assert json.loads(capsys.readouterr().out)["metrics"]["solver"] == solver


@pytest.mark.slow
def test_output_file(tmp_path: Path) -> None:
    target = tmp_path / "proposals.json"
    result = run("propose", str(EXAMPLE), "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert json.loads(target.read_text(encoding="utf-8"))["metrics"]["mentees"] == 12


@pytest.mark.parametrize(
    "mutate, field, words",
    [
        (lambda p: p["volunteers"][3]["languages"].update(xx="B7"), "volunteers[3].languages.xx", 'unknown level "B7"'),
        (lambda p: p["volunteers"][1].pop("capacity"), "volunteers[1].capacity", "required"),
        (lambda p: p["mentees"][2].update(availability=["mon-night"]), "mentees[2].availability[0]", "mon-night"),
        (lambda p: p["mentees"][0].update(gender="x"), "mentees[0].gender", '"x"'),
        (lambda p: p["mentees"][0].update(preferred_mentor_gender="q"), "mentees[0].preferred_mentor_gender", '"q"'),
        (lambda p: p["volunteers"][0].update(capacity=-1), "volunteers[0].capacity", "-1"),
        (lambda p: p["volunteers"][0].update(capacity="2"), "volunteers[0].capacity", "integer"),
        (lambda p: p.update(version=2), "version", "2"),
        (lambda p: p["settings"].update(alternatives=99), "settings.alternatives", "99"),
        (lambda p: p["volunteers"][2].update(locality="paris"), "volunteers[2].locality", "paris"),
        (lambda p: p["mentees"][5].update(id="r-4"), "mentees[5].id", "duplicate"),
        (lambda p: p["locked"].append({"volunteer": "v-99", "mentee": "r-1"}), "locked[1].volunteer", "v-99"),
        (lambda p: p["excluded"].append({"volunteer": "v-1", "mentee": "r-99"}), "excluded[1].mentee", "r-99"),
        (lambda p: p["locked"].append({"volunteer": "v-1", "mentee": "r-3"}), "locked[1].mentee", "already locked"),
        (
            lambda p: p["volunteers"][0]["languages"].update(Deutsch="B2"),
            "volunteers[0].languages.Deutsch",
            "language code",
        ),
        (lambda p: p.pop("mentees"), "mentees", "required"),
    ],
)
def test_invalid_problem_exits_2_naming_the_field(tmp_path: Path, capsys, mutate, field: str, words: str) -> None:
    problem = example()
    mutate(problem)
    assert main(["propose", write_problem(tmp_path, problem)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    message = captured.err.strip()
    assert message.startswith(f"{field}: "), message
    assert words in message


@pytest.mark.slow
def test_schema_error_through_a_real_subprocess(tmp_path: Path) -> None:
    problem = example()
    problem["volunteers"][3]["languages"]["xx"] = "B7"
    result = run("propose", write_problem(tmp_path, problem), "-o", str(tmp_path / "out.json"))
    assert result.returncode == 2
    assert result.stderr.strip() == 'volunteers[3].languages.xx: unknown level "B7"'
    assert not (tmp_path / "out.json").exists()


def test_first_offending_field_in_document_order(tmp_path: Path, capsys) -> None:
    problem = example()
    problem["mentees"][4]["gender"] = "x"
    problem["volunteers"][6]["travel_km"] = -3
    assert main(["propose", write_problem(tmp_path, problem)]) == 2
    assert capsys.readouterr().err.startswith("volunteers[6].travel_km: ")


@pytest.mark.parametrize("content", ["{not json", "[1, 2", '{"version": NaN}', ""])
def test_invalid_json_exits_2(tmp_path: Path, capsys, content: str) -> None:
    path = tmp_path / "broken.json"
    path.write_text(content, encoding="utf-8")
    assert main(["propose", str(path)]) == 2
    assert "invalid JSON" in capsys.readouterr().err


def test_a_byte_order_mark_is_ignored(tmp_path: Path, capsys) -> None:
    path = tmp_path / "notepad.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(example()).encode("utf-8"))
    assert main(["propose", str(path)]) == 0
    assert json.loads(capsys.readouterr().out)["metrics"]["matched"] > 0


def test_text_that_is_not_utf8_exits_2(tmp_path: Path, capsys) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes('{"version": 1, "localities": [{"id": "Lünen"}]}'.encode("latin-1"))
    assert main(["propose", str(path)]) == 2
    assert "invalid JSON" in capsys.readouterr().err


@pytest.mark.slow
def test_invalid_json_through_a_real_subprocess(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text("{oops", encoding="utf-8")
    result = run("propose", str(path))
    assert result.returncode == 2
    assert "invalid JSON" in result.stderr and "Traceback" not in result.stderr


def test_missing_file_exits_2(tmp_path: Path, capsys) -> None:
    assert main(["propose", str(tmp_path / "nope.json")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_non_object_problem_exits_2(tmp_path: Path, capsys) -> None:
    assert main(["propose", write_problem(tmp_path, [1, 2, 3])]) == 2
    assert "expected object" in capsys.readouterr().err


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")
def test_allocator_keeps_freed_memory() -> None:
    # Run in a child: the setting is process-wide and meant for a process of one run.
    result = subprocess.run(
        [sys.executable, "-c", "from matching.cli import tune_allocator; print(tune_allocator())"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip() == "True", result.stderr
