"""`calltriage eval`: bad input is one sentence, found before any work is done."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from agent.cli import main

CASES = Path(__file__).resolve().parents[3] / "evals" / "cases"


def _eval(*args: str):
    return CliRunner().invoke(main, ["eval", *args])


def test_a_folder_without_labeled_calls_is_a_usage_error(tmp_path: Path) -> None:
    done = _eval(str(tmp_path), "--model", "offline")

    assert done.exit_code == 2
    assert f"{tmp_path} holds no labeled calls" in done.output


def test_an_unwritable_out_folder_fails_before_the_run(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")

    done = _eval(str(CASES), "--model", "offline", "--out", str(blocker / "out"))

    assert done.exit_code == 2
    assert "cannot write eval results to" in done.output
    assert "precision" not in done.output


def test_compare_names_a_file_that_is_not_a_record(tmp_path: Path) -> None:
    bad = tmp_path / "empty.json"
    bad.write_text("{}")

    done = _eval("compare", str(bad), str(bad))

    assert done.exit_code == 2
    assert f"{bad} is not a calltriage eval record" in done.output
    assert "Traceback" not in done.output


def test_the_version_is_printed() -> None:
    done = CliRunner().invoke(main, ["--version"])

    assert done.exit_code == 0
    assert done.output.startswith("calltriage, version ")
