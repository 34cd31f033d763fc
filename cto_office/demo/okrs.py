"""The OKR quarter: objectives, key results and their weekly check-ins, some quietly behind.

- **The OKR quarter** (``okr_quarter``): 13 weeks starting on the Monday eleven
  weeks before this week's Monday, so today always falls in week 12 (86–92 %
  elapsed) and each key result has 12 weekly check-ins (Mondays). It is labelled
  in GitLab's fiscal calendar (the year starts on 1 February) by the quarter
  holding its middle day (``FY27-Q3`` for 31 Aug–29 Nov 2026). A true
  calendar quarter would leave a demo seeded early in a quarter with no
  check-ins and nothing behind.
- **Quietly behind, by design** (``KR_PROFILES``): four teams with key
  results, two whose progress sits at 35–55 % of the share of the quarter
  elapsed while their confidence stays at 0.70–0.80, and two whose progress
  is on plan but whose confidence falls over the last four check-ins
  (0.80 → ~0.45); one more team is openly at risk (low confidence, flagged).

Texts come from the handbook's OKR pages; check-in notes from ``content``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from briefings.models import KeyResult, KeyResultCheckIn, Objective
from cto_office.clock import monday_of
from cto_office.demo import content
from cto_office.demo.context import HISTORY_WEEKS, WEEK, Context


def okr_quarter(today: dt.date) -> tuple[str, dt.date, dt.date]:
    """(label, first day, last day) of the demo's OKR quarter; see the module docstring."""
    start = monday_of(today) - 11 * WEEK
    end = start + 13 * WEEK - dt.timedelta(days=1)
    middle = start + (end - start) / 2
    months_into_fiscal_year = (middle.month - 2) % 12  # GitLab's fiscal year starts in February
    fiscal_year = middle.year + 1 if middle.month >= 2 else middle.year
    return f"FY{fiscal_year % 100:02d}-Q{months_into_fiscal_year // 3 + 1}", start, end


def to_decimal(value: float, places: int = 2) -> Decimal:
    """``value`` rounded to ``places`` decimals, as a ``Decimal`` for a decimal field."""
    return Decimal(f"{value:.{places}f}")


#: Key-result trajectories: share of planned progress reached now, confidence, and shape.
KR_PROFILES = {
    "on_track": {"factor": (0.95, 1.2), "confidence": (0.72, 0.9), "falling": False},
    "behind_quietly": {"factor": (0.35, 0.55), "confidence": (0.7, 0.8), "falling": False},
    "confidence_falling": {"factor": (0.9, 1.05), "confidence": (0.78, 0.85), "falling": True},
    "at_risk_flagged": {"factor": (0.4, 0.6), "confidence": (0.25, 0.4), "falling": False},
}


def choose_kr_profiles(ctx: Context) -> dict[str, str]:
    """Team slug → trajectory profile: 2 quietly behind on progress, 2 with falling confidence, 1 flagged."""
    kr_teams = sorted(
        {kr["team"] for o in ctx.org.data["objectives"] for kr in o["key_results"]}
        - {"engineering"}
    )
    picked = ctx.rng.sample(kr_teams, 5)
    profiles = {slug: "on_track" for slug in kr_teams}
    profiles["engineering"] = "on_track"
    profiles.update(
        {
            picked[0]: "behind_quietly",
            picked[1]: "behind_quietly",
            picked[2]: "confidence_falling",
            picked[3]: "confidence_falling",
            picked[4]: "at_risk_flagged",
        }
    )
    return profiles


def seed_okrs(ctx: Context) -> dict[str, str]:
    """Objectives and key results of the demo quarter with 12 weekly check-ins (Mondays) each.

    Texts come from the handbook's OKR pages. A key result with numbers in its
    text keeps them (start, target, unit); any other is measured in percent
    complete (0 → 100). Returns the team profiles (``choose_kr_profiles``).
    """
    rng, org = ctx.rng, ctx.org
    label, start, end = okr_quarter(ctx.today)
    profiles = choose_kr_profiles(ctx)
    days = (end - start).days + 1
    check_dates = [start + WEEK * k for k in range(HISTORY_WEEKS) if start + WEEK * k <= ctx.today]
    objectives, krs = [], []
    for o in org.data["objectives"]:
        objective = Objective(
            team=org.teams[o["team"]],
            title=o["title"][:400],
            quarter=label,
            period_start=start,
            period_end=end,
            owner=org.lead_user(o["team"]),
        )
        objectives.append(objective)
        for kr in o["key_results"]:
            measure = kr["measure"] or {"start": 0, "target": 100, "unit": "%"}
            krs.append((objective, kr, measure))
    Objective.objects.bulk_create(objectives)

    key_results, check_ins = [], []
    for objective, kr, measure in krs:
        profile_name = profiles.get(kr["team"], "on_track")
        profile = KR_PROFILES[profile_name]
        factor = rng.uniform(*profile["factor"])
        if profile_name == "on_track" and rng.random() < 0.15:
            factor = 1.4  # finished early
        base_conf = rng.uniform(*profile["confidence"])
        integer = measure["unit"] == "items"
        s, t = float(measure["start"]), float(measure["target"])
        values, confidences = [], []
        progress = 0.0
        for k, day in enumerate(check_dates):
            planned = ((day - start).days + 1) / days
            progress = max(progress, min(1.0, planned * factor * rng.uniform(0.9, 1.1)))
            value = s + (t - s) * progress
            values.append(round(value) if integer else round(value, 2))
            # Confidence never dips by chance: only the falling profile falls.
            confidence = base_conf + (0.01 * (k // 3) if profile_name == "on_track" else 0.0)
            from_end = len(check_dates) - 1 - k
            if profile["falling"] and from_end < 4:
                confidence = base_conf - (4 - from_end) * 0.1
            confidences.append(min(1.0, max(0.05, confidence)))
        if not check_dates:
            values = [s]
        key_result = KeyResult(
            objective=objective,
            team=org.teams[kr["team"]],
            title=kr["title"][:400],
            owner=org.lead_user(kr["team"]),
            start_value=to_decimal(s),
            target_value=to_decimal(t),
            current_value=to_decimal(values[-1]),
            unit=measure["unit"][:30],
        )
        key_results.append(key_result)
        notes = content.CHECK_IN_NOTES[profile_name]
        for day, value, confidence in zip(check_dates, values, confidences):
            check_ins.append(
                KeyResultCheckIn(
                    key_result=key_result,
                    date=day,
                    value=to_decimal(value),
                    confidence=to_decimal(confidence),
                    note=rng.choice(notes),
                    author=key_result.owner,
                )
            )
    KeyResult.objects.bulk_create(key_results)
    KeyResultCheckIn.objects.bulk_create(check_ins)
    return profiles
