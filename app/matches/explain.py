"""The engine's reason codes in words, and what would help someone who stayed unmatched."""

from flask_babel import get_locale
from flask_babel import gettext as _

from app.extensions import db
from app.forms import DAY_PART_LABELS, WEEKDAY_LABELS
from app.languages import language_names
from app.models import Gender, HelpCategory, RefugeeProfile


def _locale() -> str:
    return str(get_locale())


def _categories(keys: str) -> str:
    labels = []
    for key in filter(None, (k.strip() for k in keys.split(","))):
        category = db.session.get(HelpCategory, key)
        labels.append(category.label(_locale()) if category else key)
    return ", ".join(labels)


def _slots(slots: str) -> str:
    words = []
    for slot in filter(None, (s.strip() for s in slots.split(","))):
        day, _sep, part = slot.partition("-")
        words.append(f"{WEEKDAY_LABELS.get(day, day)} {DAY_PART_LABELS.get(part, part)}")
    return ", ".join(words)


def reason_text(reason: dict) -> str:
    """``{"code": "shared_language", "detail": "ar"}`` → "both speak Arabic"."""
    code, detail = reason["code"], str(reason.get("detail", ""))
    if code == "shared_language":
        return _("both speak %(language)s", language=language_names(_locale()).get(detail, detail))
    if code == "shared_need":
        return _("needs and offers: %(activities)s", activities=_categories(detail))
    if code == "nearby":
        return _("%(km)s km apart", km=detail)
    if code == "common_time":
        return _("both free: %(times)s", times=_slots(detail))
    if code == "shared_interests":
        return _("shared interests: %(interests)s", interests=detail)
    if code == "similar_age":
        return _("%(years)s years apart in age", years=detail)
    return code


def unmatched_hint(reason: str, refugee: RefugeeProfile) -> str:
    """Why nobody was found, said so that a coordinator sees what would help."""
    names = language_names(_locale())
    languages = ", ".join(names.get(row.code, row.code) for row in refugee.languages) or "–"
    needs = ", ".join(need.category.label(_locale()) for need in refugee.needs) or "–"
    km = refugee.travel_km
    hints = {
        "no_matching_offer": lambda: _("Nobody offers %(needs)s.", needs=needs),
        "no_shared_language": lambda: _(
            "Nobody who offers this speaks %(languages)s or enough of another of their languages.", languages=languages
        ),
        "too_far": lambda: _("Nobody who could help lives within reach (the person travels up to %(km)s km).", km=km),
        "no_common_time": lambda: _("Nobody who could help is free at the same times."),
        "gender_preference": lambda: _(
            "The person would like a %(gender)s volunteer; none is available.",
            gender=_("female")
            if refugee.preferred_mentor_gender == Gender.FEMALE
            else _("male")
            if refugee.preferred_mentor_gender == Gender.MALE
            else _("diverse"),
        ),
        "clearance_required": lambda: _(
            "Children are involved: a volunteer with a checked police clearance is needed."
        ),
        "excluded": lambda: _("Every fitting volunteer was declined before."),
        "capacity_exhausted": lambda: _("Every fitting volunteer is fully booked at the moment."),
    }
    return hints[reason]() if reason in hints else reason
