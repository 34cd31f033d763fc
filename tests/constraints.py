"""Helper for the per-app constraint tests (``tests/<app>/test_constraints.py``)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import IntegrityError, transaction


def refused(make: Callable[[], object]) -> None:
    """Assert the write raises IntegrityError, in a savepoint so the test goes on."""
    with pytest.raises(IntegrityError), transaction.atomic():
        make()
