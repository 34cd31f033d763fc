"""Template context shared by every page."""

from django.http import HttpRequest

from cto_office import access


def roles(request: HttpRequest) -> dict:
    """``role`` (the user's most senior role) and ``can_see_briefings`` for the navigation."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "role": access.role_label(user),
        "can_see_briefings": access.can_see_briefings(user),
        "is_chief_of_staff": access.is_chief_of_staff(user),
    }
