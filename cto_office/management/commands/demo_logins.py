"""``python manage.py demo_logins``: print the demo logins (``make run`` shows them before serving)."""

from django.core.management.base import BaseCommand

from cto_office.demo.loader import format_logins


class Command(BaseCommand):
    help = "Print the demo organisation's logins (username, role, password)."

    def handle(self, *args, **options) -> None:
        self.stdout.write("\nDemo logins for http://127.0.0.1:8000/ :\n")
        self.stdout.write(format_logins())
        self.stdout.write("")
