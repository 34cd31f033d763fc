"""Pseudonyms: people are referred to only by opaque ids (``p0001``) and named by ``Pseudonyms``.

Handles, stories, pictures, locations and social links are not copied.
"""

from __future__ import annotations

import hashlib
import random
import re

from cto_office.demo.derive.text import ascii_fold

#: Locales for pseudonyms: GitLab is all-remote, so the names are mixed too.
PSEUDONYM_LOCALES = (
    "en_US",
    "en_GB",
    "en_IE",
    "en_AU",
    "en_IN",
    "de_DE",
    "nl_NL",
    "fr_FR",
    "es_ES",
    "pt_BR",
    "it_IT",
    "pl_PL",
    "sv_SE",
)


def _seed(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


class Pseudonyms:
    """Deterministic fake names: the same handle always gives the same name.

    Faker is seeded from a SHA-256 of the handle (and of ``handle#n`` when a
    name must be redrawn because it is a real name from the source or already
    taken). Faker is a development dependency: only ``derive_demo_data`` needs
    it, and its output is stable for the version pinned in ``uv.lock``.
    """

    def __init__(self, forbidden: set[str], handles: set[str] = frozenset()):
        # Imported here on purpose: Faker is an optional development dependency that only
        # ``derive_demo_data`` needs; importing this package must not require it.
        try:
            from faker import Faker
        except ImportError as exc:  # pragma: no cover - dev dependency missing
            raise RuntimeError("derive_demo_data needs Faker: uv sync --dev") from exc
        self._fakers = {locale: Faker(locale) for locale in PSEUDONYM_LOCALES}
        self._forbidden = forbidden
        self._handles = {h.lower() for h in handles}
        self._taken_names: set[str] = set()
        self._taken_usernames: set[str] = set()

    def __call__(self, handle: str) -> tuple[str, str, str]:
        """``handle`` → (first name, last name, username ``first.last``)."""
        for attempt in range(100):
            seed = _seed(handle if attempt == 0 else f"{handle}#{attempt}")
            locale = random.Random(seed).choice(PSEUDONYM_LOCALES)
            fake = self._fakers[locale]
            fake.seed_instance(seed)
            first, last = fake.first_name(), fake.last_name()
            full = f"{first} {last}".lower()
            username = re.sub(r"[^a-z0-9.-]", "", ascii_fold(f"{first}.{last}").lower())
            if (
                full in self._forbidden
                or first.lower()
                in self._handles  # a first name that is somebody's handle ("kamil")
                or last.lower() in self._handles
                or username in self._handles
                or full in self._taken_names
                or username in self._taken_usernames
                or len(username) < 3
            ):
                continue
            self._taken_names.add(full)
            self._taken_usernames.add(username)
            return first, last, username
        raise RuntimeError(f"No free pseudonym after 100 draws for a handle ({handle[:2]}…)")
