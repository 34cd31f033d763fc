from django.urls import path

from actions import views

app_name = "actions"

urlpatterns = [
    path("actions/", views.register, name="register"),
    path("actions/ACT-<int:pk>/", views.action_detail, name="action_detail"),
    path("escalations/", views.escalations, name="escalations"),
    path("escalations/ESC-<int:pk>/", views.escalation_detail, name="escalation_detail"),
]
