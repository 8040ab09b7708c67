"""The volunteer questionnaire, declared once: its four steps, served by app.questionnaire."""

from flask_babel import lazy_gettext as _l

from app.forms import LanguagesForm
from app.models import VolunteerProfile
from app.questionnaire import Questionnaire, Step, activity_choices, interest_choices, place_choices, saved_languages
from app.volunteers import services
from app.volunteers.forms import GivingForm, MentoringForm, PersonalForm


def _personal(profile: VolunteerProfile) -> dict:
    return {
        "phone": profile.phone or "",
        "gender": profile.gender or "",
        "birth_year": profile.birth_year,
        "locality_id": profile.locality_id,
        "travel_km": profile.travel_km,
        "travels_by_car": profile.travels_by_car,
        "travels_by_bicycle": profile.travels_by_bicycle,
        "travels_by_public_transport": profile.travels_by_public_transport,
    }


def _giving(profile: VolunteerProfile) -> dict:
    return {
        "offers": [c.key for c in profile.offers],
        "slots": sorted(profile.slots),
        "hours_per_month": profile.hours_per_month,
        "commitment": profile.commitment or "",
        "capacity": profile.capacity,
    }


def _mentoring(profile: VolunteerProfile) -> dict:
    return {
        "accepted_genders": [str(g) for g in profile.accepted_genders],
        "works_with_children": profile.works_with_children,
        "clearance_issued_on": profile.clearance_issued_on,
        "physical_resilience": profile.physical_resilience or "",
        "emotional_resilience": profile.emotional_resilience or "",
        "profession": profile.profession,
        "interests": profile.interest_keys,
        "interests_note": profile.interests_note,
    }


QUESTIONNAIRE = Questionnaire(
    Step(
        _l("About you"),
        PersonalForm,
        "volunteers/step_personal.html",
        "person",
        load=_personal,
        save=lambda profile, form: services.save_personal(profile, form.data),
        choices={"locality_id": place_choices},
    ),
    Step(
        _l("Languages"),
        LanguagesForm,
        "volunteers/step_languages.html",
        "language",
        load=saved_languages,
        save=lambda profile, form: services.save_languages(profile, form.language_levels()),
        rows="languages",
    ),
    Step(
        _l("What you can give"),
        GivingForm,
        "volunteers/step_giving.html",
        "giving",
        load=_giving,
        save=lambda profile, form: services.save_giving(profile, form.data),
        choices={"offers": activity_choices},
        blank_until_answered=("capacity",),
    ),
    Step(
        _l("Accompanying people and your load"),
        MentoringForm,
        "volunteers/step_mentoring.html",
        "load",
        load=_mentoring,
        save=lambda profile, form: services.save_mentoring(profile, form.data),
        choices={"interests": interest_choices},
    ),
)
