"""bandit over src/: no high-severity finding (CI runs this with the `dev` extra installed).

pip-audit needs a vulnerability service this build machine cannot reach; see
docs/reliability.md for how to run it where the network allows.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# High findings reviewed and judged not exploitable, with why; each still wants its one-line fix
# (docs/reliability.md). A new high finding anywhere else fails the test.
REVIEWED: dict[tuple[str, str], str] = {}


@pytest.mark.slow
def test_bandit_finds_no_high_severity_issue():
    pytest.importorskip("bandit")
    bandit = shutil.which("bandit", path=str(Path(sys.executable).parent)) or "bandit"
    out = subprocess.run(
        [bandit, "-r", str(ROOT / "src"), "-lll", "-q", "-f", "json", "-x", "*/migrations/*"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    report = json.loads(out.stdout)
    high = [
        f"{r['filename']}:{r['line_number']} {r['test_id']} {r['issue_text']}"
        for r in report["results"]
        if r["issue_severity"] == "HIGH"
        and (str(Path(r["filename"]).relative_to(ROOT)), r["test_id"]) not in REVIEWED
    ]
    assert high == []
