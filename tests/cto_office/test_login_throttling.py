"""Sign-in is throttled: wrong passwords in a row pause it for that username (django-axes)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from tests import factories

PASSWORD = "correct-horse-battery"


def _sign_in(client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_wrong_password_re_renders_the_form_with_a_message(client, db):
    factories.UserFactory(username="lead", password=PASSWORD)

    response = _sign_in(client, "lead", "nope")

    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_too_many_wrong_passwords_pause_sign_in_even_with_the_right_one(client, db):
    factories.UserFactory(username="lead", password=PASSWORD)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "lead", "guess")

    response = _sign_in(client, "lead", PASSWORD)

    assert response.status_code == 429
    page = response.content.decode()
    assert "Sign-in paused" in page and "lead" in page
    assert "_auth_user_id" not in client.session


def test_another_username_is_not_paused(client, db):
    factories.UserFactory(username="lead", password=PASSWORD)
    factories.UserFactory(username="cos", password=PASSWORD)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "lead", "guess")

    response = _sign_in(client, "cos", PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_chief_of_staff_can_unlock_a_paused_sign_in_in_admin(client, db):
    cos = factories.chief_of_staff(username="chief")
    client.force_login(cos)

    response = client.get(reverse("admin:axes_accessattempt_changelist"))

    assert response.status_code == 200
    assert cos.has_perm("axes.delete_accessattempt")
