"""What the action and escalation admins share: key search and services' refusals as messages."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponseRedirect

from actions.errors import VersionConflict


def pk_from_key_search(model, search_term: str) -> int | None:
    """The id in a search for a key ("ACT-123", "esc-45"); None for any other search.

    A bare number is not taken as a key: it may be part of a title.
    """
    if not search_term.strip().upper().startswith(f"{model.KEY_PREFIX}-"):
        return None
    return model.pk_from_key(search_term)


class RefusalAsMessageMixin:
    """For a model admin whose ``save_model`` calls services: a refusal raised while saving
    (``refusals``, e.g. a conflict that slipped past the form's check because someone saved in
    between) rolls the save back (the admin's ``changeform_view`` is atomic) and shows the
    message on the current object instead of a server error."""

    refusals: tuple[type[Exception], ...] = (VersionConflict,)

    def changeform_view(
        self, request: HttpRequest, object_id=None, form_url="", extra_context=None
    ):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except self.refusals as error:
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(request.path)
