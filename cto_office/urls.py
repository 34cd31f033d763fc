"""URL map. Every page needs login (``LoginRequiredMiddleware``) except the auth pages."""

from django.contrib import admin
from django.urls import include, path

from cto_office.home import views as home_views

admin.site.site_header = "CTO Office administration"
admin.site.site_title = "CTO Office admin"

urlpatterns = [
    path("", home_views.home, name="home"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("", include("actions.urls")),
    path("meetings/", include("cadence.urls")),
    path("briefings/", include("briefings.urls")),
]
