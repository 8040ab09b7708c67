"""The engine's codes in words: why a pair or a group member was proposed, what would help the unmatched.

Every code the engine emits (``matching.PAIR_REASONS``, ``GROUP_REASONS`` and
``UNMATCHED_REASONS``) has its message here, with what fills its
placeholders; the tests check that none is missing and that every catalogue
translates them.
"""

from collections.abc import Callable

from flask import g
from flask_babel import get_locale
from flask_babel import gettext as _

from app.formatting import format_items, format_number
from app.forms import DAY_PART_LABELS, WEEKDAY_LABELS
from app.interests import interest_label
from app.languages import language_names
from app.models import Gender, RefugeeProfile
from app.reference_data import all_categories, place_labels
from app.taxonomy import N_


def _locale() -> str:
    return str(get_locale())


def _language(code: str) -> str:
    return language_names(_locale()).get(code, code)


def _category_labels() -> dict[str, str]:
    """Every activity's label, read once per request: a page of proposals names many activities."""
    if "category_labels" not in g:
        g.category_labels = {category.key: category.label(_locale()) for category in all_categories()}
    return g.category_labels


def _categories(keys: str) -> str:
    labels = _category_labels()
    return format_items(labels.get(key, key) for key in filter(None, (k.strip() for k in keys.split(","))))


def _interests(keys: str) -> str:
    return ", ".join(interest_label(key) for key in filter(None, (k.strip() for k in keys.split(","))))


def _slots(slots: str) -> str:
    words = []
    for slot in filter(None, (s.strip() for s in slots.split(","))):
        day, _sep, part = slot.partition("-")
        words.append(f"{WEEKDAY_LABELS.get(day, day)} {DAY_PART_LABELS.get(part, part)}")
    return format_items(words)


def _distance(km: str) -> str:
    """The engine's distance (``8.6``) as the reader writes numbers (8,6 in German)."""
    try:
        return format_number(float(km))
    except ValueError:
        return km


def _place(locality_id: str) -> str:
    if "place_labels" not in g:
        g.place_labels = place_labels()
    return g.place_labels.get(locality_id, locality_id)


REASON_TEXTS: dict[str, tuple[str, Callable[[str], dict[str, str]]]] = {
    # pairs
    "urgent_need": (
        N_("helps with what is urgent: %(activities)s"),
        lambda detail: {"activities": _categories(detail)},
    ),
    "shared_language": (N_("both speak %(language)s"), lambda detail: {"language": _language(detail)}),
    "shared_need": (N_("needs and offers: %(activities)s"), lambda detail: {"activities": _categories(detail)}),
    "nearby": (N_("%(km)s km apart"), lambda detail: {"km": _distance(detail)}),
    "common_time": (N_("both free: %(times)s"), lambda detail: {"times": _slots(detail)}),
    "shared_interests": (N_("shared interests: %(interests)s"), lambda detail: {"interests": _interests(detail)}),
    "similar_age": (N_("%(years)s years apart in age"), lambda detail: {"years": detail}),
    # group members
    "offers_activity": (N_("offers %(activity)s"), lambda detail: {"activity": _categories(detail)}),
    "preferred_group": (N_("asked to join (wish %(rank)s)"), lambda detail: {"rank": detail}),
    "fills_language_quota": (N_("speaks %(language)s"), lambda detail: {"language": _language(detail)}),
    "fills_locality_quota": (N_("lives in %(place)s"), lambda detail: {"place": _place(detail)}),
    # volunteers for an appointment (matching/appointments.py)
    "speaks_language": (N_("speaks %(language)s"), lambda detail: {"language": _language(detail)}),
    "fewest_recent_assignments": (
        N_("%(count)s appointments in the last 30 days"),
        lambda detail: {"count": detail},
    ),
}
"""Reason code -> (message, its placeholders' values from the reason's detail)."""


# The engine's scores lie between 0 and 1; coordinators read them as words. The bounds follow the scores of a
# district-size run (bench/README.md): the lowest proposal scores about 0.5, a tenth score below 0.62.
FIT_BANDS = ((0.8, N_("very good")), (0.65, N_("good")), (0.0, N_("fair")))


def fit_words(score: float) -> str:
    """A proposal's score in words: "very good", "good" or "fair"."""
    return next(_(words) for lowest, words in FIT_BANDS if score >= lowest)


def fit_percent(score: float) -> int:
    return round(score * 100)


def reason_text(reason: dict) -> str:
    """``{"code": "shared_language", "detail": "ar"}`` → "both speak Arabic"."""
    code, detail = reason["code"], str(reason.get("detail", ""))
    if code not in REASON_TEXTS:
        return code
    message, values = REASON_TEXTS[code]
    return _(message, **values(detail))


def _needs(refugee: RefugeeProfile) -> dict[str, str]:
    return {"needs": format_items(need.category.label(_locale()) for need in refugee.needs) or "–"}


def _languages(refugee: RefugeeProfile) -> dict[str, str]:
    return {"languages": format_items(_language(row.code) for row in refugee.languages) or "–"}


def _preferred_gender(refugee: RefugeeProfile) -> dict[str, str]:
    wished = refugee.preferred_mentor_gender
    return {"gender": _("female") if wished == Gender.FEMALE else _("male") if wished == Gender.MALE else _("diverse")}


def _nothing(refugee: RefugeeProfile) -> dict[str, str]:
    return {}


UNMATCHED_TEXTS: dict[str, tuple[str, Callable[[RefugeeProfile], dict[str, str]]]] = {
    "needs_served_elsewhere": (
        N_("A working group or an appointment helps with %(needs)s, not a sponsorship."),
        _needs,
    ),
    "no_matching_offer": (N_("Nobody offers %(needs)s."), _needs),
    "no_shared_language": (
        N_("Nobody who offers this speaks %(languages)s or enough of another of their languages."),
        _languages,
    ),
    "too_far": (
        N_("Nobody who could help lives within reach (the person travels up to %(km)s km)."),
        lambda refugee: {"km": str(refugee.travel_km)},
    ),
    "no_common_time": (N_("Nobody who could help is free at the same times."), _nothing),
    "gender_preference": (N_("The person would like a %(gender)s volunteer; none is available."), _preferred_gender),
    "clearance_required": (
        N_("Children are involved: a volunteer with a checked police clearance is needed."),
        _nothing,
    ),
    "one_off_only": (N_("Every fitting volunteer offered help with single tasks only."), _nothing),
    "excluded": (N_("Every fitting volunteer was declined before."), _nothing),
    "no_hours_left": (N_("Every fitting volunteer has no hours left for another sponsorship."), _nothing),
    "capacity_exhausted": (N_("Every fitting volunteer is fully booked at the moment."), _nothing),
}
"""Unmatched reason -> (what would help, its placeholders' values from the refugee)."""


APPOINTMENT_EXCLUSIONS: dict[str, str] = {
    "no_matching_offer": N_("does not offer this kind of help"),
    "no_shared_language": N_("does not speak the languages well enough"),
    "too_far": N_("lives too far away"),
    "no_car": N_("has no car"),
    "no_common_time": N_("is not free at that time of the week"),
    "already_booked": N_("has another appointment then"),
    "gender_preference": N_("is not of the gender asked for"),
    "clearance_required": N_("has no checked police clearance (children involved)"),
    "monthly_limit_reached": N_("has reached their appointments for the month"),
}
"""Why a volunteer is not a candidate for an appointment (``matching.appointments.EXCLUSIONS``)."""


def appointment_exclusion(code: str) -> str:
    return _(APPOINTMENT_EXCLUSIONS[code]) if code in APPOINTMENT_EXCLUSIONS else code


def unmatched_hint(reason: str, refugee: RefugeeProfile) -> str:
    """Why nobody was found, said so that a coordinator sees what would help."""
    if reason not in UNMATCHED_TEXTS:
        return reason
    message, values = UNMATCHED_TEXTS[reason]
    return _(message, **values(refugee))
