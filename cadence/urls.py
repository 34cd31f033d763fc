from django.urls import path

from cadence import views

app_name = "cadence"

urlpatterns = [
    path("", views.meetings, name="meetings"),
    path("<int:pk>/", views.meeting_detail, name="meeting_detail"),
]
