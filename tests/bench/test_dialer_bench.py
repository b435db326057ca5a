"""The dialer benchmark runs end to end at smoke size (CI runs this so it never rots)."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIGURES = (
    "ready_to_dial_p50_ms",
    "ready_to_dial_p99_ms",
    "answer_to_agent_p99_ms",
    "dials_per_s",
    "dnc_to_removed_p99_ms",
    "suppressed_dials",
    "out_of_window_dials",
    "engine_rss_mb",
    "ray_worker_processes",
)


@pytest.mark.slow
def test_dialer_bench_smoke() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bench.dialer", "--size", "smoke"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    figures = dict(re.findall(r"^(\w+): ([\d.]+)", result.stdout, re.MULTILINE))
    assert set(FIGURES) <= set(figures), result.stdout
    assert float(figures["dials_per_s"]) > 0
    assert figures["suppressed_dials"] == "0"
    assert figures["out_of_window_dials"] == "0"
