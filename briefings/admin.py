"""Admin for the briefing's inputs (OKRs, health indicators, tech debt, headcount,
requisitions) and for the briefings themselves.

Briefings are scoped with ``access.briefings_for`` (the CoS and the CTO only)
and are read-only here except the CoS commentary: generating and publishing go
through the briefing services, which render, store the PDF and e-mail the CTO.
"""

from __future__ import annotations

import json

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from briefings.models import (
    Briefing,
    HeadcountSnapshot,
    HealthIndicator,
    KeyResult,
    KeyResultCheckIn,
    Objective,
    Requisition,
    TechDebtSnapshot,
)
from cto_office import access

SNAPSHOT_PREVIEW_CHARS = 20_000


def _week_kwargs(briefing: Briefing) -> dict[str, int]:
    """URL arguments of a briefing's pages (``briefings.urls``), from its ``IsoWeek``."""
    return {"year": briefing.week.year, "week": briefing.week.week}


class KeyResultInline(admin.TabularInline):
    model = KeyResult
    extra = 0
    fields = ("title", "team", "owner", "start_value", "target_value", "current_value", "unit")
    autocomplete_fields = ("team", "owner")


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    list_display = ("title", "team", "quarter", "period_start", "period_end", "owner")
    list_filter = ("quarter", "team")
    search_fields = ("title", "team__name", "quarter")
    autocomplete_fields = ("team", "owner")
    list_select_related = ("team", "owner")
    inlines = (KeyResultInline,)


class KeyResultCheckInInline(admin.TabularInline):
    model = KeyResultCheckIn
    extra = 0
    fields = ("date", "value", "confidence", "note", "author")
    autocomplete_fields = ("author",)
    ordering = ("-date",)


@admin.register(KeyResult)
class KeyResultAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "objective",
        "team",
        "start_value",
        "current_value",
        "target_value",
        "unit",
        "progress_pct",
    )
    list_filter = ("objective__quarter", "team")
    search_fields = ("title", "objective__title", "team__name")
    autocomplete_fields = ("objective", "team", "owner")
    list_select_related = ("objective", "team")
    inlines = (KeyResultCheckInInline,)

    @admin.display(description="progress")
    def progress_pct(self, obj: KeyResult) -> str:
        """``KeyResult.progress`` (the one progress rule) as a whole percentage."""
        return f"{obj.progress:.0%}"


@admin.register(KeyResultCheckIn)
class KeyResultCheckInAdmin(admin.ModelAdmin):
    list_display = ("key_result", "date", "value", "confidence", "author")
    list_filter = ("key_result__team",)
    search_fields = ("key_result__title", "note")
    date_hierarchy = "date"
    autocomplete_fields = ("key_result", "author")
    list_select_related = ("key_result", "author")


@admin.register(HealthIndicator)
class HealthIndicatorAdmin(admin.ModelAdmin):
    list_display = ("name", "team", "health", "is_key", "target")
    list_filter = ("health", "is_key", "team")
    search_fields = ("name", "definition", "team__name")
    autocomplete_fields = ("team",)
    list_select_related = ("team",)


@admin.register(TechDebtSnapshot)
class TechDebtSnapshotAdmin(admin.ModelAdmin):
    list_display = (
        "team",
        "date",
        "items_open",
        "effort_days",
        "critical",
        "high",
        "medium",
        "low",
        "capacity_share",
    )
    list_filter = ("team",)
    search_fields = ("team__name",)
    date_hierarchy = "date"
    autocomplete_fields = ("team",)
    list_select_related = ("team",)


@admin.register(HeadcountSnapshot)
class HeadcountSnapshotAdmin(admin.ModelAdmin):
    list_display = ("team", "date", "filled", "planned", "open_requisitions", "starters", "leavers")
    list_filter = ("team",)
    search_fields = ("team__name",)
    date_hierarchy = "date"
    autocomplete_fields = ("team",)
    list_select_related = ("team",)


@admin.register(Requisition)
class RequisitionAdmin(admin.ModelAdmin):
    list_display = ("title", "team", "hiring_manager", "opened_on", "state")
    list_filter = ("state", "team")
    search_fields = ("title", "team__name")
    autocomplete_fields = ("team", "hiring_manager")
    list_select_related = ("team", "hiring_manager")


@admin.register(Briefing)
class BriefingAdmin(admin.ModelAdmin):
    list_display = ("label", "state", "generated_at", "published_at", "page_count", "pdf_link")
    list_filter = ("state", "iso_year")
    ordering = ("-iso_year", "-iso_week")
    fields = (
        "iso_year",
        "iso_week",
        "state",
        "error",
        "commentary",
        "page_view",
        "pdf_link",
        "page_count",
        "generated_at",
        "generation_seconds",
        "published_at",
        "created_at",
        "snapshot_pretty",
        "html_size",
    )
    readonly_fields = (
        "iso_year",
        "iso_week",
        "state",
        "error",
        "page_view",
        "pdf_link",
        "page_count",
        "generated_at",
        "generation_seconds",
        "published_at",
        "created_at",
        "snapshot_pretty",
        "html_size",
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Briefing]:
        # Briefings are for the CoS and the CTO only, in admin as anywhere else.
        return access.briefings_for(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # generated by the weekly job (briefings.services), never typed in

    @admin.display(description="week", ordering="iso_week")
    def label(self, obj: Briefing) -> str:
        return obj.week.label

    @admin.display(description="PDF")
    def pdf_link(self, obj: Briefing) -> str:
        if not obj.pdf:
            return "—"
        # Through the briefings app's access-checked download, not the media URL.
        url = reverse("briefings:pdf", kwargs=_week_kwargs(obj))
        return format_html('<a href="{}">Download PDF</a>', url)

    @admin.display(description="page")
    def page_view(self, obj: Briefing) -> str:
        url = reverse("briefings:detail", kwargs=_week_kwargs(obj))
        return format_html('<a href="{}">Open the briefing page</a>', url)

    @admin.display(description="rendered HTML")
    def html_size(self, obj: Briefing) -> str:
        return f"{len(obj.html):,} characters" if obj.html else "—"

    @admin.display(description="data snapshot")
    def snapshot_pretty(self, obj: Briefing) -> str:
        text = json.dumps(obj.snapshot, indent=2, sort_keys=True, default=str)
        if len(text) > SNAPSHOT_PREVIEW_CHARS:
            text = text[:SNAPSHOT_PREVIEW_CHARS] + "\n… (truncated)"
        return format_html("<pre>{}</pre>", text)
