"""Settings read from the environment fail loudly on a bad value."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from cto_office import settings as project_settings


def test_boolean_accepts_the_usual_spellings(monkeypatch):
    for raw, expected in [("true", True), ("1", True), ("Yes", True), ("off", False), ("0", False)]:
        monkeypatch.setenv("SOME_FLAG", raw)
        assert project_settings.env_bool("SOME_FLAG", default=not expected) is expected


def test_boolean_typo_is_an_error_not_false(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "ture")
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG"):
        project_settings.env_bool("SOME_FLAG", default=False)


def test_integer_must_parse(monkeypatch):
    monkeypatch.setenv("SOME_NUMBER", "12s")
    with pytest.raises(ImproperlyConfigured, match="SOME_NUMBER"):
        project_settings.env_int("SOME_NUMBER", default=1)


def test_required_value_without_default_is_an_error(monkeypatch):
    monkeypatch.delenv("SOME_SECRET", raising=False)
    with pytest.raises(ImproperlyConfigured, match="SOME_SECRET is required"):
        project_settings.env_str("SOME_SECRET")


def test_secret_can_come_from_a_file(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s3cret\n")
    monkeypatch.delenv("SOME_SECRET", raising=False)
    monkeypatch.setenv("SOME_SECRET_FILE", str(secret))
    assert project_settings.env_str("SOME_SECRET") == "s3cret"


def test_value_and_file_together_is_an_error(monkeypatch, tmp_path):
    monkeypatch.setenv("SOME_SECRET", "a")
    monkeypatch.setenv("SOME_SECRET_FILE", str(tmp_path / "b"))
    with pytest.raises(ImproperlyConfigured, match="not both"):
        project_settings.env_str("SOME_SECRET")


def test_bad_database_url_is_an_error(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "nosuchdb://x")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL names an unknown database"):
        project_settings.env_database("DATABASE_URL", "sqlite://")


def test_list_drops_blanks(monkeypatch):
    monkeypatch.setenv("SOME_HOSTS", "a.example.com, ,b.example.com,")
    assert project_settings.env_list("SOME_HOSTS", []) == ["a.example.com", "b.example.com"]
