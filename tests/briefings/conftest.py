"""Fixtures of the briefing tests."""

from __future__ import annotations

import pytest

from tests.briefings import dataset


@pytest.fixture
def week_data(db) -> dataset.Dataset:
    """One copy of the realistic organisation around ``dataset.WEEK``."""
    return dataset.build(scale=1)
