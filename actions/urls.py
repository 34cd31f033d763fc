from django.urls import path

from actions.views import (
    action_page,
    email_links,
    escalations,
    jira_upload,
    register,
    transitions,
)

app_name = "actions"

urlpatterns = [
    path("actions/", register.register, name="register"),
    path("actions/export.csv", register.register_export, name="register_export"),
    path("actions/new/", action_page.action_new, name="action_new"),
    path("actions/import/", jira_upload.jira_upload, name="jira_upload"),
    path("actions/import/confirm/", jira_upload.jira_confirm, name="jira_confirm"),
    path("actions/ACT-<int:pk>/", action_page.action_detail, name="action_detail"),
    path("actions/ACT-<int:pk>/update/", action_page.action_update, name="action_update"),
    path("escalations/", escalations.escalations, name="escalations"),
    path("escalations/raise/", escalations.escalation_raise, name="escalation_raise"),
    path("escalations/mine/", escalations.my_escalations, name="my_escalations"),
    path("escalations/raised-to-me/", escalations.raised_to_me, name="raised_to_me"),
    path("escalations/bulk/", transitions.bulk, name="bulk"),
    path("escalations/ESC-<int:pk>/", escalations.escalation_detail, name="escalation_detail"),
    path(
        "escalations/ESC-<int:pk>/<slug:verb>/",
        transitions.transition,
        name="escalation_transition",
    ),
    path("actions/link/<str:token>/", email_links.email_link, name="email_link"),
]
