from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CtoOfficeConfig(AppConfig):
    name = "cto_office"
    verbose_name = "Organisation"

    def ready(self) -> None:
        from cto_office.roles import ensure_role_groups

        # Without a sender: it runs after every app, so the last run sees all permissions.
        post_migrate.connect(ensure_role_groups, dispatch_uid="cto_office.ensure_role_groups")
