"""Every name that templates use without a view passing it, registered in this one place.

The functions and labels stay with the feature they belong to; this module
only makes them known to Jinja. Labels are lazy strings and helpers look up
the locale when called, so one registration serves every language.
"""

from flask import Flask

from app.agreements.routes import agreement_status
from app.appointments.forms import APPOINTMENT_STATUS_LABELS, OFFER_STATUS_LABELS
from app.appointments.services import calendar_token
from app.clearance import clearance_status
from app.formatting import (
    format_day,
    format_long_day,
    format_moment,
    format_money,
    format_number,
    isolate,
    list_filter,
    phone_markup,
)
from app.forms import DAY_PART_LABELS, GENDER_LABELS, LEVEL_LABELS, WEEKDAY_LABELS, language_with_level, spoken
from app.i18n import html_lang, language_context, language_name, text_direction
from app.intake.forms import RELATION_LABELS, RESIDENCE_LABELS
from app.intake.routes import category_icon
from app.interests import in_vocabulary_order, interest_icon, interest_label
from app.legal.services import german
from app.matches.explain import appointment_exclusion, fit_percent, fit_words, reason_text
from app.navigation import menu
from app.notifications.services import unread_count
from app.policies import allowed_actions, can, party_of, unscoped_coordinator
from app.reference_data import label
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
    # interests, on both kinds of profile
    "interest_icon": interest_icon,
    "interest_label": interest_label,
    "in_vocabulary_order": in_vocabulary_order,
    # staff
    "STAFF_ROLE_LABELS": STAFF_ROLE_LABELS,
    "ORGANISATION_KIND_LABELS": ORGANISATION_KIND_LABELS,
    "organisation_of": organisation_of,
    # matching, groups and agreements
    "explain": reason_text,
    "fit_words": fit_words,
    "fit_percent": fit_percent,
    "agreement_status": agreement_status,
    # the operator's own words, written in German, inside pages in any language (app/legal)
    "german": german,
    # appointments
    "APPOINTMENT_STATUS_LABELS": APPOINTMENT_STATUS_LABELS,
    "OFFER_STATUS_LABELS": OFFER_STATUS_LABELS,
    "appointment_exclusion": appointment_exclusion,
    "calendar_token": calendar_token,
    # the header's badge: unread inbox entries of a user
    "unread_count": unread_count,
    # formatting
    "language_name": language_name,
    "language_with_level": language_with_level,
    "html_lang": html_lang,
    "text_direction_of": text_direction,
    "phone": phone_markup,
    "zip": zip,
}
# Flask-Babel's date filters are replaced: app.formatting picks the formats each language reads best.
TEMPLATE_FILTERS = {
    "dateformat": format_day,
    "longdateformat": format_long_day,
    "datetimeformat": format_moment,
    "number": format_number,
    "money": format_money,
    "as_list": list_filter,
    "isolate": isolate,
    "label": label,
    "language_name": language_name,
    "spoken": spoken,
}


def register_template_globals(app: Flask) -> None:
    app.jinja_env.globals.update(TEMPLATE_GLOBALS)
    app.jinja_env.filters.update(TEMPLATE_FILTERS)
    # What depends on the request's language is computed per request.
    app.context_processor(language_context)
