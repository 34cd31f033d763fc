"""Shared fixtures. Services the tests need are checked loudly: in CI a missing
PostgreSQL, Redis or Chromium fails the run instead of skipping tests."""

from __future__ import annotations

import os

import pytest

from tests import factories


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("CI") and not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise pytest.UsageError("CI must run against PostgreSQL: set DATABASE_URL=postgres://…")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded and generated files go to a per-test folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def cos(db):
    return factories.chief_of_staff(username="cos")


@pytest.fixture
def cto(db):
    return factories.cto(username="cto")


@pytest.fixture
def lead(db):
    return factories.team_lead(username="lead")


@pytest.fixture
def staff(db):
    return factories.UserFactory(username="staff")
