"""Project-level views: sign-in, the layout, error pages (``cto_office.views``), htmx errors."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.pages import page_text

pytestmark = pytest.mark.django_db


TODAY = timezone.localdate


# Sign-in, sign-out, layout


def test_anonymous_is_redirected_to_sign_in(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/"


def test_sign_in_page_renders_and_signs_in(client, staff):
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert "Sign in to CTO Office" in page_text(page)
    response = client.post(
        reverse("login"), {"username": "staff", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_sign_in_with_a_wrong_password_shows_the_error(client, staff):
    response = client.post(reverse("login"), {"username": "staff", "password": "nope"})
    assert response.status_code == 200
    assert "errorlist" in page_text(response)


def test_sign_out_is_a_post_and_lands_on_the_signed_out_page(client, staff):
    client.force_login(staff)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"), {"next": f"{reverse('login')}?signed-out=1"})
    assert response.status_code == 302
    assert "You are signed out." in page_text(client.get(response["Location"]))
    assert client.get(reverse("home")).status_code == 302


def test_layout_has_csrf_header_scripts_deferred_and_no_inline_code(client, staff):
    client.force_login(staff)
    response = client.get(reverse("home"))
    html = page_text(response)
    assert re.search(r"""<body hx-headers='\{"X-CSRFToken": "[^"]+"\}'""", html)
    assert '<script src="/static/js/htmx.min.js" defer></script>' in html
    assert '<script src="/static/js/app.js" defer></script>' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html), "inline <script> is blocked by the CSP"
    assert "<style" not in html and " style=" not in html
    assert " hx-on" not in html
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_navigation_shows_admin_to_staff_users_only(client, cos, staff):
    client.force_login(staff)
    assert reverse("admin:index") not in page_text(client.get(reverse("home")))
    client.force_login(cos)
    assert reverse("admin:index") in page_text(client.get(reverse("home")))


def test_navigation_shows_name_and_role(client, lead):
    client.force_login(lead)
    html = page_text(client.get(reverse("home")))
    assert lead.get_full_name() in html
    assert "Team lead" in html
    assert 'action="/accounts/logout/"' in html


def test_navigation_offers_briefings_to_the_office_only(client, cto, staff):
    archive = reverse("briefings:archive")
    client.force_login(staff)
    assert f'href="{archive}"' not in page_text(client.get(reverse("home")))
    client.force_login(cto)
    assert f'href="{archive}"' in page_text(client.get(reverse("home")))


@pytest.mark.parametrize("code", [400, 403, 404, 500])
def test_error_pages_render(client, settings, code):
    from django.template.loader import render_to_string

    html = render_to_string(f"{code}.html", {})
    assert str(code) in html
    assert "/static/css/app.css" in html


def test_unknown_page_is_a_styled_404(client, settings, staff):
    settings.DEBUG = False
    client.force_login(staff)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Not found" in page_text(response)
    assert "/static/css/app.css" in page_text(response)


# 403 and 404 on htmx requests: a message partial, never bare text


def test_htmx_404_is_a_message_partial_for_the_message_region(client, settings, staff):
    settings.DEBUG = False
    hidden = factories.EscalationFactory(confidential=True, title="Attrition risk")
    client.force_login(staff)
    response = client.get(
        reverse("actions:escalation_detail", args=[hidden.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 404
    assert response["HX-Retarget"] == "#messages"
    assert response["HX-Reswap"] == "beforeend"
    assert "HX-Request" in response["Vary"]
    html = page_text(response).strip()
    assert html.startswith('<li class="message message-error" role="alert">')
    assert "That item no longer exists, or you cannot see it." in html
    assert "<html" not in html and "Attrition risk" not in html


def test_full_404_is_still_the_styled_page(client, settings, staff):
    settings.DEBUG = False
    client.force_login(staff)
    response = client.get(reverse("actions:escalation_detail", args=[987654]))
    assert response.status_code == 404
    assert "<html" in page_text(response) and "Not found" in page_text(response)
    assert "HX-Retarget" not in response


def test_htmx_403_keeps_the_refusals_sentence(rf, staff):
    from django.core.exceptions import PermissionDenied

    from cto_office import views

    request = rf.get("/", headers={"HX-Request": "true"})
    request.user = staff
    response = views.permission_denied(request, PermissionDenied("Only the Chief of Staff may."))
    assert response.status_code == 403
    assert response["HX-Retarget"] == "#messages"
    assert "Only the Chief of Staff may." in page_text(response)
    assert "<html" not in page_text(response)
    generic = views.permission_denied(request, PermissionDenied())
    assert "You are not allowed to do that." in page_text(generic)


def test_full_403_is_the_styled_page(rf, staff):
    from django.core.exceptions import PermissionDenied

    from cto_office import views

    request = rf.get("/")
    request.user = staff
    response = views.permission_denied(request, PermissionDenied("Only the Chief of Staff may."))
    assert response.status_code == 403
    assert "<html" in page_text(response) and "Only the Chief of Staff may." in page_text(response)


def test_urls_route_403_and_404_to_the_htmx_aware_handlers():
    from cto_office import urls, views

    assert urls.handler403 is views.permission_denied
    assert urls.handler404 is views.page_not_found


# The minimal page (the baseline of make bench)


def test_signed_in_page_names_the_user_in_the_layout(client, django_assert_max_num_queries):
    user = factories.UserFactory(first_name="Ada", last_name="Lovelace")
    client.force_login(user)
    with django_assert_max_num_queries(4):
        response = client.get(reverse("signed_in"))
    assert response.status_code == 200
    assert "You are signed in as Ada Lovelace." in page_text(response)


def test_signed_in_page_needs_login(client):
    response = client.get(reverse("signed_in"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
