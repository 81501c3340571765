"""Shared fixtures: the project's own sample data and a CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def sample_feed() -> Path:
    return DATA / "sample-feed.tsv"


@pytest.fixture
def clean_feed() -> Path:
    return DATA / "clean-feed.txt"
