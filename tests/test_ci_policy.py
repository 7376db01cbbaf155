"""With `CI` set, a skipped test or module fails the run (tests/ci_policy.py); elsewhere it stays a skip."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

SUITE = {
    "test_skips.py": """
import pytest

def test_runs():
    pass

def test_skips():
    pytest.skip("no widget here")

@pytest.mark.xfail(reason="known bug", strict=True)
def test_expected_failure():
    assert False
""",
    "test_skipped_module.py": """
import pytest

pytest.skip("no gadget here", allow_module_level=True)
""",
}


def run_suite(folder: Path, ci: str | None) -> subprocess.CompletedProcess[str]:
    for name, text in SUITE.items():
        (folder / name).write_text(text, encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if key != "CI"}
    env["PYTHONPATH"] = str(ROOT)
    if ci is not None:
        env["CI"] = ci
    command = [sys.executable, "-m", "pytest", "-p", "tests.ci_policy", "-p", "no:cacheprovider", "-p", "no:xdist"]
    options = ["-p", "no:asyncio", "--continue-on-collection-errors", "-rfs"]
    return subprocess.run([*command, *options, str(folder)], capture_output=True, text=True, cwd=folder, env=env)


def test_in_ci_every_skip_is_a_failure_with_its_reason(tmp_path: Path) -> None:
    result = run_suite(tmp_path, "true")
    assert result.returncode == 1, result.stdout
    summary = result.stdout.strip().splitlines()[-1]
    assert "1 failed, 1 passed, 1 xfailed, 1 error" in summary, result.stdout
    assert "skipped in CI, where every test must run: Skipped: no widget here" in result.stdout
    assert "skipped in CI, where every test must run: Skipped: no gadget here" in result.stdout


@pytest.mark.parametrize("ci", [None, "false"])
def test_elsewhere_a_skip_stays_a_skip(tmp_path: Path, ci: str | None) -> None:
    result = run_suite(tmp_path, ci)
    assert result.returncode == 0, result.stdout
    assert "1 passed, 2 skipped, 1 xfailed" in result.stdout.strip().splitlines()[-1], result.stdout
