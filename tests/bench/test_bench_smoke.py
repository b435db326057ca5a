"""Every benchmark runs end to end at smoke size and prints its figures (CI runs these, so
the benchmarks never rot; the figures themselves live in BENCHMARKS.md)."""

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
Figures = dict[str, str]

SHAPES = ("equals", "contains", "ends_with", "date_range_join", "or_group_join", "custom_number")


def _counts(figures: Figures) -> None:
    for name in [
        *(f"count_{s}_ms" for s in SHAPES),
        "count_worst_ms",
        "count_p50_ms",
        "count_p99_ms",
    ]:
        assert float(figures[name]) > 0, name
    assert float(figures["count_equals_rows"]) > 0


def _dialer(figures: Figures) -> None:
    for name in (
        "ready_to_dial_p50_ms",
        "ready_to_dial_p99_ms",
        "answer_to_agent_p99_ms",
        "dnc_to_removed_p99_ms",
        "engine_rss_mb",
        "ray_worker_processes",
    ):
        assert name in figures, name
    assert float(figures["dials_per_s"]) > 0
    assert figures["suppressed_dials"] == "0"
    assert figures["out_of_window_dials"] == "0"


def _stream(figures: Figures) -> None:
    assert float(figures["events_delivered"]) > 0
    assert float(figures["event_to_client_p99_ms"]) > 0
    assert float(figures["event_to_dom_p99_ms"]) > 0  # ui/dist is built before the tests


def _email(figures: Figures) -> None:
    for name in (
        "bare_send_message_msgs_per_s",
        "bare_prebuilt_bytes_msgs_per_s",
        "messages_per_s",
        "ratio_to_bare_aiosmtplib",
        "ratio_to_bare_prebuilt_bytes",
    ):
        assert name in figures, name
    assert float(figures["pacer_msgs_per_s"]) > 0
    assert figures["duplicate_sends"] == "0"
    assert float(figures["pacing_error_pct"]) < 10  # generous: CI machines are shared


def _imports(figures: Figures) -> None:
    for name in ("import_100k_s", "rows_per_s", "copy_100k_s", "peak_rss_mb"):
        assert float(figures[name]) > 0, name
    assert int(figures["error_rows"]) > 0  # the generated file has bad rows and duplicates
    assert int(figures["contacts_written"]) + int(figures["error_rows"]) == 5_000


BENCHMARKS: dict[str, Callable[[Figures], None]] = {
    "filters": _counts,
    "dialer": _dialer,
    "stream": _stream,
    "email_pacing": _email,
    "imports": _imports,
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(BENCHMARKS))
def test_benchmark_runs_at_smoke_size(name: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", f"bench.{name}", "--size", "smoke"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    figures = dict(re.findall(r"^(\w+): ([\d.]+)", result.stdout, re.MULTILINE))
    BENCHMARKS[name](figures)
