"""The refugee registration, declared once: its five steps, served by app.questionnaire."""

from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.intake import services
from app.intake.forms import HouseholdForm, NeedsForm, PreferencesForm, RefugeeLanguagesForm, TimePlaceForm
from app.models import RefugeeProfile, Urgency
from app.questionnaire import Questionnaire, Step, activity_choices, interest_choices, place_choices, saved_languages


def _household(profile: RefugeeProfile) -> dict:
    return {
        "gender": profile.gender or "",
        "birth_year": profile.birth_year,
        "members": [{"relation": m.relation, "age": m.age} for m in profile.members] + [{"relation": "", "age": None}],
    }


def _languages(profile: RefugeeProfile) -> dict:
    return {**saved_languages(profile), "german_level": profile.german_level or ""}


def _needs(profile: RefugeeProfile) -> dict:
    return {
        "needs": [n.category_key for n in profile.needs],
        "urgent": [n.category_key for n in profile.needs if n.urgency == Urgency.URGENT],
    }


def _time_place(profile: RefugeeProfile) -> dict:
    return {"locality_id": profile.locality_id, "travel_km": profile.travel_km, "slots": sorted(profile.slots)}


def _preferences(profile: RefugeeProfile) -> dict:
    return {
        "preferred_mentor_gender": profile.preferred_mentor_gender or "",
        "interests": profile.interest_keys,
        "interests_note": profile.interests_note,
        "residence_status": profile.residence_status or "",
        "protection_notes": profile.protection_notes,
        "consent_residence_status": profile.residence_status is not None,
        "consent_protection_needs": bool(profile.protection_notes),
    }


def _save_preferences(profile: RefugeeProfile, form: PreferencesForm) -> None:
    # A coordinator answering on the person's behalf is recorded with the consents given here.
    recorded_by = current_user._get_current_object() if current_user.is_coordinator else None
    services.save_preferences(profile, form.data, recorded_by=recorded_by)


REGISTRATION = Questionnaire(
    Step(
        _l("You and your family"),
        HouseholdForm,
        "intake/step_household.html",
        "family",
        load=_household,
        save=lambda profile, form: services.save_household(
            profile, form.gender.data, form.birth_year.data, form.member_rows()
        ),
        rows="members",
    ),
    Step(
        _l("Languages"),
        RefugeeLanguagesForm,
        "intake/step_languages.html",
        "language",
        load=_languages,
        save=lambda profile, form: services.save_languages(profile, form.language_levels(), form.german_level.data),
        rows="languages",
    ),
    Step(
        _l("What would help you"),
        NeedsForm,
        "intake/step_needs.html",
        "mentoring",
        load=_needs,
        save=lambda profile, form: services.save_needs(profile, form.chosen()),
        choices={"needs": activity_choices, "urgent": activity_choices},
    ),
    Step(
        _l("Time and place"),
        TimePlaceForm,
        "intake/step_time_place.html",
        "time",
        load=_time_place,
        save=lambda profile, form: services.save_time_place(
            profile, form.locality_id.data, form.travel_km.data, form.slots.data
        ),
        choices={"locality_id": place_choices},
        blank_until_answered=("travel_km",),
    ),
    Step(
        _l("Wishes and notes"),
        PreferencesForm,
        "intake/step_preferences.html",
        "wishes",
        load=_preferences,
        save=_save_preferences,
        choices={"interests": interest_choices},
    ),
)
