from django.urls import path, register_converter

from briefings.views import briefings as views
from briefings.views import check_ins, imports

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
    path("<int:year>-W<isoweek:week>/lists.csv", views.lists_csv, name="lists_csv"),
    path("<int:year>-W<isoweek:week>/status/", views.status, name="status"),
    path("<int:year>-W<isoweek:week>/generate/", views.regenerate, name="regenerate"),
    path("<int:year>-W<isoweek:week>/commentary/", views.comment, name="comment"),
    path("<int:year>-W<isoweek:week>/publish/", views.publish, name="publish"),
    path("<int:year>-W<isoweek:week>/deliveries/retry/", views.retry_deliveries, name="retry"),
    path("<int:year>-W<isoweek:week>/actions/", views.make_action, name="make_action"),
    path("check-ins/", check_ins.check_ins, name="check_ins"),
    path("check-ins/<int:pk>/", check_ins.check_in, name="check_in"),
    path("imports/", imports.imports, name="imports"),
    path("imports/preview/", imports.preview, name="import_preview"),
    path("imports/commit/", imports.commit, name="import_commit"),
]
