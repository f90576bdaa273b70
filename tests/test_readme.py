"""The commands the README shows work as it says."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")
CASES = REPO / "evals" / "cases"


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, check=False
    )


def _calltriage(*args: str) -> subprocess.CompletedProcess:
    return _run("-m", "agent.cli", *args)


def test_the_quick_start_is_two_commands_that_need_only_python() -> None:
    quick_start = README.split("## Quick start", 1)[1].split("##", 1)[0]
    commands = re.findall(r"^python3 dev\.py (\w+)", quick_start, re.MULTILINE)

    assert commands == ["demo", "test"]
    assert "python3 dev.py test" in (REPO / ".ci" / "run").read_text()


def test_the_demo_triages_the_bundled_calls_offline(tmp_path: Path) -> None:
    env = os.environ | {"CALLTRIAGE_DATA_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, str(REPO / "dev.py"), "demo"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert "using the offline rules triager" in done.stderr
    assert "skipped: internal" in done.stdout
    assert "skipped: private" in done.stdout
    assert "skipped: too_short" in done.stdout
    assert "skipped: no_transcript" in done.stdout
    assert re.search(r"filed [1-9]\d* new issue", done.stdout)
    assert (tmp_path / "demo.db").exists()


def test_eval_prints_the_headline_and_writes_record_and_report(tmp_path: Path) -> None:
    done = _calltriage(
        "eval", str(CASES), "--model", "offline", "--json", "--out", str(tmp_path)
    )

    assert done.returncode == 0, done.stderr
    headline = json.loads(done.stdout)
    for key in ("cases", "precision", "recall", "f1", "filter_failures"):
        assert key in headline
    assert headline["cases"] == len(list(CASES.glob("*.json")))
    assert len(list(tmp_path.glob("*.json"))) == 1
    assert len(list(tmp_path.glob("*.html"))) == 1


def test_eval_fails_below_the_bar_it_is_given(tmp_path: Path) -> None:
    # A finding no rule can see, so the offline triager's F1 falls below 1.
    case = json.loads((CASES / "tw01-brightwell-qbr-2026-04.json").read_text())
    case["expected"]["findings"].append(
        {
            "id": "unseen",
            "kind": "pain_point",
            "team": case["workspace"]["default_team"],
            "evidence": [{"start_ms": 151000, "end_ms": 160000}],
            "summary": "a point the customer only implies",
        }
    )
    (tmp_path / "tw01-brightwell-qbr-2026-04.json").write_text(json.dumps(case))

    done = _calltriage("eval", str(tmp_path), "--model", "offline", "--min-f1", "1")

    assert done.returncode == 1
    assert "below the bar" in done.stderr


def test_eval_compare_names_what_moved_between_two_records(tmp_path: Path) -> None:
    for name, epochs in (("a", "1"), ("b", "2")):
        out = tmp_path / name
        _calltriage(
            "eval",
            str(CASES),
            "--model",
            "offline",
            "--epochs",
            epochs,
            "--out",
            str(out),
            "--json",
        )
    [a] = (tmp_path / "a").glob("*.json")
    [b] = (tmp_path / "b").glob("*.json")

    done = _calltriage("eval", "compare", str(a), str(b))

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()
