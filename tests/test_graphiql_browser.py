"""GraphiQL in a real headless Chromium with only 127.0.0.1 reachable (tests/browser/check_graphiql.py).

CI installs Debian's chromium first (.ci/run), so this never skips there.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import unavailable

CHECK = Path(__file__).resolve().parent / "browser" / "check_graphiql.py"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def test_graphiql_renders_and_runs_a_query_offline() -> None:
    if not Path(CHROMIUM).exists():
        unavailable(f"no {CHROMIUM} here (apt-get install -y chromium; .ci/run installs it)")
    result = subprocess.run([sys.executable, str(CHECK)], capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("OK: GraphiQL rendered offline")
