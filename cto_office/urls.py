"""URL map. Every page needs login (``LoginRequiredMiddleware``) except the auth pages.

Composition layer: it imports every app's ``urls`` and the home page; no app imports it.
"""

from django.contrib import admin
from django.urls import include, path

from cto_office import views
from cto_office.home import views as home_views

admin.site.site_header = "CTO Office administration"
admin.site.site_title = "CTO Office admin"

handler403 = views.permission_denied
handler404 = views.page_not_found

urlpatterns = [
    path("", home_views.home, name="home"),
    path("signed-in/", views.signed_in, name="signed_in"),
    path("teams/search/", views.team_search, name="team_search"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("", include("actions.urls")),
    path("meetings/", include("cadence.urls")),
    path("briefings/", include("briefings.urls")),
]
