"""Fault: the PostgreSQL connection waiting in the pool is dropped (a database restart,
a failover, a proxy's idle timeout; here ``pg_terminate_backend``).

The test turns on the production pool for the default connection (the test
settings run without it, ``tests/conftest.py``), serves a page, kills every
session of the test database from outside, and asks for the page and a job
again. Measured before ``CONN_HEALTH_CHECKS`` was set: the next request failed with
``OperationalError`` (a 500 in production).
"""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest
from django.db import close_old_connections, connection

from actions.tasks import chase_overdue_actions
from cto_office.clock import office_today
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def pooled_connection():
    """The default connection drawn from psycopg's pool, configured as in production."""
    options = connection.settings_dict["OPTIONS"]
    connection.close()
    options["pool"] = True  # what cto_office/settings.py sets, with CONN_HEALTH_CHECKS
    try:
        yield
    finally:
        connection.close()
        connection.close_pool()
        del options["pool"]


def get(client, path: str) -> int:
    """GET ``path``; then end the request as Django's handler does in production (the test
    client skips that): with ``CONN_MAX_AGE = 0`` the connection goes back to the pool."""
    status = client.get(path).status_code
    close_old_connections()
    return status


def terminate_every_session() -> int:
    """Kill every session of the test database from a connection of our own; return how many."""
    params = connection.get_connection_params()
    params.pop("pool", None)
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as admin:
        return admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchone()[0]


def test_a_dropped_pooled_connection_costs_the_next_request_and_job_nothing(
    client, cos, pooled_connection
):
    factories.OfficeSettingsFactory()
    factories.ActionItemFactory(owner=cos, due_date=office_today() - dt.timedelta(days=2))
    client.force_login(cos)
    assert get(client, "/briefings/") == 200

    assert terminate_every_session() >= 1  # the pooled connection, idle

    assert get(client, "/briefings/") == 200
    assert terminate_every_session() >= 1
    # The daily chase, eagerly: its queries come from the pool too.
    assert chase_overdue_actions.delay().get()["digests"] == 1
