"""The OKR quarter: objectives, key results and their weekly check-ins, some quietly behind.

- **The OKR quarter** (``okr_quarter``): 13 weeks starting on the Monday eleven
  weeks before this week's Monday, so today always falls in week 12 (86–92 %
  elapsed) and each key result has 12 weekly check-ins (Mondays). It is labelled
  in GitLab's fiscal calendar (the year starts on 1 February) by the quarter
  holding its middle day (``FY27-Q3`` for 31 Aug–29 Nov 2026). A true
  calendar quarter would leave a demo seeded early in a quarter with no
  check-ins and nothing behind.
- **Quietly behind, by design** (``KR_PROFILES``, ``PROFILE_KRS``): a handful
  of key results, as a CTO would want to hear about (``briefings.rules``): in
  two teams one key result's progress sits at 35–55 % of the share of the
  quarter elapsed while its confidence stays at 0.70–0.80; in two teams one
  key result is on plan but its confidence falls over the last four
  check-ins (0.80 → ~0.45); in one team one key result has gone quiet (no
  check-in for four weeks). One more team reports two key results off
  track openly (confidence 0.20–0.30), which the briefing lists apart.
  Every other key result is on plan, so about 5 of ~110 are quietly behind.

Texts come from the handbook's OKR pages; check-in notes from ``content``.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

from briefings.models import KeyResult, KeyResultCheckIn, Objective
from cto_office.clock import monday_of
from cto_office.demo import content
from cto_office.demo.context import INSERT_BATCH, WEEK, Context

#: An OKR quarter's length.
QUARTER = 13 * WEEK


def okr_quarter(today: dt.date, back: int = 0) -> tuple[str, dt.date, dt.date]:
    """(label, first day, last day) of the demo's OKR quarter, or of the one ``back`` quarters
    before it; see the module docstring."""
    start = monday_of(today) - 11 * WEEK - back * QUARTER
    end = start + QUARTER - dt.timedelta(days=1)
    middle = start + (end - start) / 2
    months_into_fiscal_year = (middle.month - 2) % 12  # GitLab's fiscal year starts in February
    fiscal_year = middle.year + 1 if middle.month >= 2 else middle.year
    return f"FY{fiscal_year % 100:02d}-Q{months_into_fiscal_year // 3 + 1}", start, end


def to_decimal(value: float, places: int = 2) -> Decimal:
    """``value`` rounded to ``places`` decimals, as a ``Decimal`` for a decimal field."""
    return Decimal(f"{value:.{places}f}")


#: Key-result trajectories: share of planned progress reached now, confidence, and shape.
KR_PROFILES = {
    "on_track": {"factor": (1.05, 1.2), "confidence": (0.72, 0.9), "falling": False},
    "behind_quietly": {"factor": (0.35, 0.55), "confidence": (0.7, 0.8), "falling": False},
    "confidence_falling": {"factor": (0.9, 1.05), "confidence": (0.78, 0.85), "falling": True},
    "at_risk_flagged": {"factor": (0.4, 0.6), "confidence": (0.2, 0.3), "falling": False},
    "gone_quiet": {"factor": (1.0, 1.1), "confidence": (0.72, 0.85), "falling": False},
}
#: How many of a picked team's key results follow its profile; the others are on track.
PROFILE_KRS = {"behind_quietly": 1, "confidence_falling": 1, "at_risk_flagged": 2, "gone_quiet": 1}
#: A key result that has gone quiet misses this many of the latest weekly check-ins.
QUIET_WEEKS = 4


def choose_kr_profiles(ctx: Context) -> dict[str, str]:
    """Team slug → trajectory profile: 2 behind on progress, 2 with falling confidence, 1 gone
    quiet, 1 reporting off track (``PROFILE_KRS`` says how many of the team's key results)."""
    kr_teams = sorted(
        {kr["team"] for o in ctx.org.data["objectives"] for kr in o["key_results"]}
        - {"engineering"}
    )
    picked = ctx.rng.sample(kr_teams, 6)
    profiles = {slug: "on_track" for slug in kr_teams}
    profiles["engineering"] = "on_track"
    profiles.update(
        {
            picked[0]: "behind_quietly",
            picked[1]: "behind_quietly",
            picked[2]: "confidence_falling",
            picked[3]: "confidence_falling",
            picked[4]: "at_risk_flagged",
            picked[5]: "gone_quiet",
        }
    )
    return profiles


def seed_okrs(ctx: Context) -> dict[str, str]:
    """Objectives and key results of the demo quarter with 12 weekly check-ins (Mondays) each.

    Texts come from the handbook's OKR pages. A key result with numbers in its
    text keeps them (start, target, unit); any other is measured in percent
    complete (0 → 100). At a large scale (``Scale.okr_quarters``) the same
    objectives also ran in the quarters before, each with its 13 weekly
    check-ins: a year of them. Returns the team profiles (``choose_kr_profiles``).
    """
    rng, org = ctx.rng, ctx.org
    profiles = choose_kr_profiles(ctx)
    objectives, krs = [], []
    for back in reversed(range(ctx.scale.okr_quarters)):  # oldest first, the current one last
        label, start, end = okr_quarter(ctx.today, back)
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
    left = {slug: PROFILE_KRS.get(p, 0) for slug, p in profiles.items()}
    for objective, kr, measure in krs:
        start, end = objective.period_start, objective.period_end
        days = (end - start).days + 1
        weeks = range(QUARTER // WEEK)
        check_dates = [start + WEEK * k for k in weeks if start + WEEK * k <= ctx.today]
        profile_name = profiles.get(kr["team"], "on_track")
        if left.get(kr["team"], 0) > 0:
            left[kr["team"]] -= 1
        else:
            profile_name = "on_track"
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
            # On plan means on plan: little noise, so no on-track key result trips the rule.
            noise = rng.uniform(0.97, 1.05) if profile_name == "on_track" else rng.uniform(0.9, 1.1)
            progress = max(progress, min(1.0, planned * factor * noise))
            value = s + (t - s) * progress
            # Whole items are rounded towards the target (2.4 of 3 done reads 3, not 2).
            toward = math.ceil if t >= s else math.floor
            values.append(toward(value) if integer else round(value, 2))
            # Confidence never dips by chance: only the falling profile falls.
            confidence = base_conf + (0.01 * (k // 3) if profile_name == "on_track" else 0.0)
            from_end = len(check_dates) - 1 - k
            if profile["falling"] and from_end < 4:
                confidence = base_conf - (4 - from_end) * 0.1
            confidences.append(min(1.0, max(0.05, confidence)))
        if not check_dates:
            values = [s]
        # A key result gone quiet has its value as of its last check-in.
        posted = len(check_dates) - (QUIET_WEEKS if profile_name == "gone_quiet" else 0)
        values = values[: max(1, posted)]
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
        for day, value, confidence in zip(check_dates[:posted], values, confidences):
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
    KeyResultCheckIn.objects.bulk_create(check_ins, batch_size=INSERT_BATCH)
    return profiles
