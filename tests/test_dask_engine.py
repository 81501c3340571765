"""``--engine dask``: the same per-chunk stages on a Dask cluster give the same reports, byte for byte.

A ``LocalCluster`` of two worker processes stands in for a real cluster: the workers import
tqaudit on their own and get the chunks from the client, as on any cluster.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import tqaudit
from tqaudit import engine
from tqaudit.cli import app

REPORTS = (
    *("findings.csv", "segments.csv", "findings.sarif", "junit.xml", "gl-code-quality-report.json"),
    *("findings.parquet", "segments.parquet"),
)


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        yield cluster.scheduler_address


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of 4 segments, so that the 14-segment sample feed makes four tasks (the client
    cuts the chunks, so the workers need no patch)."""
    monkeypatch.setattr(engine, "CHUNK_SIZE", 4)


def _audit(runner: Any, feed: Path, out: Path, *options: str) -> dict[str, Any]:
    args = ["audit", str(feed), "--out", str(out), "--format", "csv,json,sarif,junit,gitlab,parquet", "-q"]
    result = runner.invoke(app, [*args, "--src-lang", "ru", "--tgt-lang", "en", *options])
    assert result.exit_code == 1, result.output  # the sample feed has errors
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    return summary


def test_reports_equal_the_local_engine_byte_for_byte(
    runner: Any, sample_feed: Path, tmp_path: Path, scheduler: str, small_chunks: None
) -> None:
    local = _audit(runner, sample_feed, tmp_path / "local")
    dask = _audit(runner, sample_feed, tmp_path / "dask", "--engine", "dask", "--scheduler", scheduler)
    for name in REPORTS:
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "local" / name).read_bytes(), name
    assert dask["options"]["engine"] == "dask" and dask["options"]["scheduler"] == scheduler
    for part in (local, dask):
        del part["options"]["engine"], part["options"]["scheduler"]
    assert dask == local  # findings, corpus scores, signature: all equal
    assert local["corpus_scores"]["BLEU"]["score"] > 0 and local["totals"]["findings"] > 5


def test_segment_and_corpus_scores_and_languages_equal(
    sample_feed: Path, scheduler: str, small_chunks: None
) -> None:
    config = tqaudit.Config()
    local = tqaudit.audit(sample_feed, config, src_lang="ru", tgt_lang="en")
    dask = tqaudit.audit(
        sample_feed, config.replace(engine="dask", scheduler=scheduler), src_lang="ru", tgt_lang="en"
    )
    pd.testing.assert_frame_equal(dask.findings, local.findings)
    assert local.scores is not None and dask.scores is not None
    pd.testing.assert_frame_equal(dask.scores, local.scores)
    assert dask.corpus_scores == local.corpus_scores
    assert dask.signature == local.signature


def test_without_a_scheduler_a_local_cluster_is_started(sample_feed: Path, small_chunks: None) -> None:
    config = tqaudit.Config(engine="dask", jobs=2, select=("MK", "TL"))
    local = tqaudit.audit(sample_feed, config.replace(engine="local", jobs=1))
    pd.testing.assert_frame_equal(tqaudit.audit(sample_feed, config).findings, local.findings)


def test_bad_engine_settings_are_one_line_errors(runner: Any, sample_feed: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["audit", str(sample_feed), "--engine", "spark", "--out", str(tmp_path / "r")]
    )
    assert result.exit_code == 2 and "engine must be one of local, dask" in result.output
    result = runner.invoke(
        app, ["audit", str(sample_feed), "--scheduler", "tcp://h:8786", "--out", str(tmp_path)]
    )
    assert result.exit_code == 2 and "goes with engine dask" in result.output
    assert not (tmp_path / "r").exists()
