"""Every name that templates use without a view passing it, registered in this one place.

The functions and labels stay with the feature they belong to; this module
only makes them known to Jinja. Labels are lazy strings and helpers look up
the locale when called, so one registration serves every language.
"""

from flask import Flask

from app.agreements.routes import agreement_status
from app.clearance import clearance_status
from app.forms import DAY_PART_LABELS, GENDER_LABELS, LEVEL_LABELS, WEEKDAY_LABELS
from app.i18n import language_context, language_name
from app.intake.forms import RELATION_LABELS, RESIDENCE_LABELS
from app.intake.routes import category_icon
from app.matches.explain import reason_text
from app.navigation import menu
from app.phones import display_phone
from app.policies import allowed_actions, can, party_of, unscoped_coordinator
from app.refugees.forms import REFUGEE_STATUS_LABELS
from app.staff.forms import ORGANISATION_KIND_LABELS, STAFF_ROLE_LABELS
from app.staff.services import organisation_of
from app.volunteers.forms import CLEARANCE_LABELS, COMMITMENT_LABELS, RESILIENCE_LABELS, VOLUNTEER_STATUS_LABELS

TEMPLATE_GLOBALS = {
    # who may do what (app/policies.py) and the menu built from it
    "can": can,
    "allowed_actions": allowed_actions,
    "party_of": party_of,
    "unscoped_coordinator": unscoped_coordinator,
    "menu": menu,
    # labels of choices that volunteer and refugee profiles share
    "GENDER_LABELS": GENDER_LABELS,
    "LEVEL_LABELS": LEVEL_LABELS,
    "WEEKDAY_LABELS": WEEKDAY_LABELS,
    "DAY_PART_LABELS": DAY_PART_LABELS,
    # volunteers
    "COMMITMENT_LABELS": COMMITMENT_LABELS,
    "RESILIENCE_LABELS": RESILIENCE_LABELS,
    "VOLUNTEER_STATUS_LABELS": VOLUNTEER_STATUS_LABELS,
    "CLEARANCE_LABELS": CLEARANCE_LABELS,
    "clearance_status": clearance_status,
    # refugees
    "REFUGEE_STATUS_LABELS": REFUGEE_STATUS_LABELS,
    "RELATION_LABELS": RELATION_LABELS,
    "RESIDENCE_LABELS": RESIDENCE_LABELS,
    "category_icon": category_icon,
    # staff
    "STAFF_ROLE_LABELS": STAFF_ROLE_LABELS,
    "ORGANISATION_KIND_LABELS": ORGANISATION_KIND_LABELS,
    "organisation_of": organisation_of,
    # matching, groups and agreements
    "explain": reason_text,
    "agreement_status": agreement_status,
    # formatting
    "language_name": language_name,
    "display_phone": display_phone,
    "zip": zip,
}


def register_template_globals(app: Flask) -> None:
    app.jinja_env.globals.update(TEMPLATE_GLOBALS)
    # What depends on the request's language is computed per request.
    app.context_processor(language_context)
