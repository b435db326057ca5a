"""The count benchmark runs end to end at smoke size and prints every figure (CI runs this)."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHAPES = ("equals", "contains", "ends_with", "date_range_join", "or_group_join", "custom_number")


@pytest.mark.slow
def test_segment_count_smoke() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bench.segment_count", "--size", "smoke"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    figures = dict(re.findall(r"^(\w+): ([\d.]+) ", result.stdout, re.MULTILINE))
    for name in [*(f"count_{s}_ms" for s in SHAPES), "count_worst_ms", "count_p50_ms"]:
        assert float(figures[name]) > 0, name
    assert float(figures["count_equals_rows"]) > 0
