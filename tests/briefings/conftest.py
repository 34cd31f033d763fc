"""Fixtures of the briefing tests."""

from __future__ import annotations

import pytest

from tests.briefings import dataset


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """The datasets create dozens of users; PBKDF2 would make up most of the run time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def week_data(db) -> dataset.Dataset:
    """One copy of the realistic organisation around ``dataset.WEEK``."""
    return dataset.build(scale=1)
