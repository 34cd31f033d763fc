from django.urls import path, register_converter

from briefings import views

app_name = "briefings"


class IsoWeekConverter:
    """An ISO week number in a URL: ``W7`` or ``W07`` in, always two digits (``W07``) out.

    Only the number's shape is checked here; the views check the week exists
    (``cto_office.clock.IsoWeek``) and answer 404 if not.
    """

    regex = "[0-9]{1,2}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{int(value):02d}"


register_converter(IsoWeekConverter, "isoweek")

urlpatterns = [
    path("", views.archive, name="archive"),
    path("generate/", views.generate, name="generate"),
    path("<int:year>-W<isoweek:week>/", views.detail, name="detail"),
    path("<int:year>-W<isoweek:week>/pdf/", views.pdf, name="pdf"),
]
