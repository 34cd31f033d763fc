"""The Jira upload page (Chief of Staff): preview, confirm all or nothing, the file kept safely."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actions.models import ActionItem
from tests import factories
from tests.actions.test_jira_import import REAL, rows_of
from tests.pages import page_text

pytestmark = pytest.mark.django_db

UPLOAD = reverse("actions:jira_upload")
CONFIRM = reverse("actions:jira_confirm")


@pytest.fixture
def assignee(db):
    return factories.UserFactory(
        first_name="Saicharan", last_name="Basireddy", email="sai@example.com"
    )


def _upload(client, data: bytes, name: str = "jira.csv"):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, data, "text/csv")})


def test_preview_then_confirm_imports_the_real_export(client, cos, assignee):
    client.force_login(cos)
    preview = _upload(client, REAL.read_bytes())
    assert preview.status_code == 200
    result = preview.context["result"]
    assert result.created and not result.updated and ActionItem.objects.count() == 0
    assert f'id="preview-created">{len(result.created)}<' in page_text(preview)
    done = client.post(CONFIRM, {"sha256": preview.context["sha256"]})
    assert done.status_code == 200
    assert ActionItem.objects.filter(source="import").count() == len(result.created)
    # The same file again: nothing to create, every issue updated or unchanged.
    again = _upload(client, REAL.read_bytes()).context["result"]
    assert not again.created and again.total == len(result.created)


def test_preview_lists_every_error_by_row_and_column_and_writes_nothing(client, cos, assignee):
    client.force_login(cos)
    response = _upload(client, rows_of(**{"Due date": "31/Foo/26"}))
    assert response.status_code == 422
    assert "<td>2</td><td>Due date</td>" in page_text(response)
    response = _upload(client, rows_of(Assignee="nobody"))
    assert response.status_code == 422
    assert "<td>2</td><td>Assignee</td>" in page_text(response)
    assert ActionItem.objects.count() == 0
    assert client.post(CONFIRM, {"sha256": "0" * 64}).status_code == 409


def test_confirm_refuses_a_digest_other_than_the_previewed_file(client, cos, assignee):
    client.force_login(cos)
    first = _upload(client, rows_of())
    _upload(client, rows_of(**{"Issue key": "OPS-2"}))  # another tab replaced the file
    response = client.post(CONFIRM, {"sha256": first.context["sha256"]})
    assert response.status_code == 409
    assert "upload the file again" in page_text(response)
    assert ActionItem.objects.count() == 0


def test_a_confirmed_file_cannot_be_imported_twice(client, cos, assignee):
    client.force_login(cos)
    digest = _upload(client, rows_of()).context["sha256"]
    assert client.post(CONFIRM, {"sha256": digest}).status_code == 200
    assert client.post(CONFIRM, {"sha256": digest}).status_code == 409
    assert ActionItem.objects.count() == 1


@pytest.mark.parametrize("who", ["lead", "cto", "staff"])
def test_only_the_chief_of_staff_may_import(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(UPLOAD).status_code == 404
    assert "Import from Jira" not in page_text(client.get(reverse("actions:register")))
