"""Set up a virtual environment and run the demo or the tests: needs only Python 3.11+.

python3 dev.py demo   triage the bundled sample calls, offline
python3 dev.py test   run the whole test suite
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".calltriage-installed"


def ensure_venv() -> None:
    """Create .venv and install the project with its test tools, when out of date."""
    if sys.version_info < (3, 11):  # noqa: UP036  (any python3 may run this file)
        sys.exit("calltriage needs Python 3.11 or newer")
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not BIN.exists():
        print("creating .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("installing calltriage and its test tools into .venv …", flush=True)
    python = str(BIN / "python")
    pip = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "--editable", f"{ROOT}[test]"], check=True)
    STAMP.write_text(wanted)


def demo() -> int:
    data_dir = Path(os.environ.get("CALLTRIAGE_DATA_DIR", ROOT / ".calltriage"))
    demo_db = data_dir / "demo.db"
    demo_db.unlink(missing_ok=True)
    env = {**os.environ, "CALLTRIAGE_DATABASE_URL": f"sqlite:///{demo_db}"}
    env.pop("ANTHROPIC_API_KEY", None)
    command = [
        str(BIN / "calltriage"),
        "process",
        str(ROOT / "evals" / "cases"),
        "--workspace",
        str(ROOT / "evals" / "workspace.toml"),
    ]
    code = subprocess.run(command, env=env).returncode
    url = f"sqlite:///{demo_db}"
    print(f"\nThe issues are in {demo_db}. Browse them with:")
    print(f"  CALLTRIAGE_DATABASE_URL={url} .venv/bin/calltriage triage list")
    return code


def test(args: list[str]) -> int:
    return subprocess.run(
        [str(BIN / "python"), "-m", "pytest", *args], cwd=ROOT
    ).returncode


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in {"demo", "test"}:
        print(__doc__.strip())
        return 2
    ensure_venv()
    if sys.argv[1] == "demo":
        return demo()
    return test(sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
