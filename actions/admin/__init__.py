"""Django admin for the actions app: the action register and chase log (``action_items``) and
escalations (``escalations``). Every change goes through the same services as the pages."""

from actions.admin import action_items, escalations  # noqa: F401 - importing registers the admins
