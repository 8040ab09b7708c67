"""What the legal pages say about this installation: its operator, the purposes, recipients and periods.

The texts ship translated; the facts come from the configuration (config.py's
operator block, the retention settings, the consent texts of app/consents.py),
so the imprint, privacy notice, accessibility statement and records of
processing never disagree with each other or with what the code does.
"""

from dataclasses import dataclass
from datetime import date

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from markupsafe import Markup

from app.consents import REFUGEE_CONSENTS, VOLUNTEER_CONSENTS
from app.models import ConsentPurpose

# The retention settings and their defaults, as app/privacy states them (the defaults hold before it is there).
RETENTION_DEFAULTS = {
    "RETENTION_INACTIVE_ACCOUNT_MONTHS": 24,
    "RETENTION_WARNING_DAYS": 30,
    "RETENTION_UNFINISHED_REGISTRATION_DAYS": 30,
    "RETENTION_ENDED_SPONSORSHIP_MONTHS": 36,
    "RETENTION_AUDIT_MONTHS": 24,
    "ERASURE_AFTER_DAYS": 30,
}
# The person's own data page, where rights are used without asking anyone (app/privacy).
MY_DATA_ENDPOINT = "privacy.my_data"
MY_DATA_PATH = "/me/data"


def setting(name: str) -> int:
    return int(current_app.config.get(name, RETENTION_DEFAULTS[name]))


def months(count: int) -> str:
    return ngettext("%(num)d month", "%(num)d months", count)


def days(count: int) -> str:
    return ngettext("%(num)d day", "%(num)d days", count)


def german(value: str) -> Markup:
    """Text the operator wrote in German, marked as such and isolated inside pages in other directions."""
    return Markup('<bdi lang="de">%s</bdi>') % value


@dataclass(frozen=True)
class Operator:
    installation: str
    name: str
    address_lines: list[str]
    representative: str
    email: str
    phone: str
    supervisory_body: str
    dpo_name: str
    dpo_email: str
    supervisory_authority: str
    hosting_provider: str


def operator() -> Operator:
    config = current_app.config
    return Operator(
        installation=config["INSTALLATION_NAME"],
        name=config["OPERATOR_NAME"],
        address_lines=[line.strip() for line in config["OPERATOR_ADDRESS"].split("|") if line.strip()],
        representative=config["OPERATOR_REPRESENTATIVE"],
        email=config["OPERATOR_EMAIL"],
        phone=config["OPERATOR_PHONE"],
        supervisory_body=config["OPERATOR_SUPERVISORY_BODY"],
        dpo_name=config["DPO_NAME"],
        dpo_email=config["DPO_EMAIL"],
        supervisory_authority=config["SUPERVISORY_AUTHORITY"],
        hosting_provider=config["HOSTING_PROVIDER"],
    )


@dataclass(frozen=True)
class Processing:
    """One purpose of processing: what for, on which legal basis, whose data, which data."""

    key: str
    purpose: str
    legal_basis: str
    subjects: str
    data: str


VOLUNTEERS = _l("Volunteers")
REFUGEES = _l("Refugees and the members of their households")
BOTH = _l("Volunteers, refugees and the members of their households")
CONSENT = _l("Your consent, Art. 6 (1) (a) GDPR; you can withdraw it at any time.")
EXPLICIT_CONSENT = _l("Your explicit consent, Art. 9 (2) (a) GDPR; you can withdraw it at any time.")

# Each consent purpose of app/models/consent.py, as the privacy notice explains it.
CONSENT_PURPOSES = {
    ConsentPurpose.MATCHING: (
        _l("Finding a fitting sponsorship or activity: your answers are compared with those of others."),
        CONSENT,
        _l("Name, year of birth, place, languages, household, what you need or offer, times, interests."),
    ),
    ConsentPurpose.CONTACT_LISTS: (
        _l("Contact lists of the working groups you belong to, for their members."),
        CONSENT,
        _l("Name, e-mail address, phone number."),
    ),
    ConsentPurpose.EMAIL_CONTACT: (
        _l("E-mails from the coordination office about volunteering."),
        CONSENT,
        _l("E-mail address."),
    ),
    ConsentPurpose.RESIDENCE_STATUS: (
        _l("Your residence status, so that coordinators can find help that fits it."),
        EXPLICIT_CONSENT,
        _l("Residence status."),
    ),
    ConsentPurpose.PROTECTION_NEEDS: (
        _l("Your notes on special protection needs (for example health or safety), so that help fits them."),
        EXPLICIT_CONSENT,
        _l("Notes on health, safety or other protection needs (stored encrypted)."),
    ),
}


def _subjects(purpose: ConsentPurpose) -> str:
    volunteers, refugees = purpose in VOLUNTEER_CONSENTS, purpose in REFUGEE_CONSENTS
    return str(BOTH if volunteers and refugees else VOLUNTEERS if volunteers else REFUGEES)


def processings() -> list[Processing]:
    """Every purpose, the ones that need no consent first."""
    fixed = [
        Processing(
            "account",
            str(_l("Your account: logging in, keeping it secure, and a record of who at coordination saw your data.")),
            str(_l("Art. 6 (1) (b) and (c) GDPR with Art. 32 GDPR (security of processing).")),
            str(BOTH),
            str(_l("Name, phone number or e-mail address, user name, password (only as a hash), language, log-ins.")),
        ),
        Processing(
            "sponsorship",
            str(_l("Sponsorship agreements and working groups: agreeing, meeting, check-ins, ending.")),
            str(_l("Art. 6 (1) (b) GDPR: the agreement you made.")),
            str(BOTH),
            str(_l("Names of both sides, dates, meetings, short notes on how it went (stored encrypted).")),
        ),
    ]
    consented = [
        Processing(str(purpose), str(text), str(basis), _subjects(purpose), str(data))
        for purpose, (text, basis, data) in CONSENT_PURPOSES.items()
    ]
    return fixed + consented


@dataclass(frozen=True)
class Period:
    what: str
    how_long: str


def retention_periods() -> list[Period]:
    config = current_app.config
    warning = days(setting("RETENTION_WARNING_DAYS"))
    return [
        Period(
            str(
                _l(
                    "Accounts without log-in and without an active sponsorship or group membership "
                    "(you are told %(warning)s before and can keep your account)",
                    warning=warning,
                )
            ),
            months(setting("RETENTION_INACTIVE_ACCOUNT_MONTHS")),
        ),
        Period(
            str(_l("Registrations that were never finished")), days(setting("RETENTION_UNFINISHED_REGISTRATION_DAYS"))
        ),
        Period(
            str(_l("Details of ended sponsorships, after their end")),
            months(setting("RETENTION_ENDED_SPONSORSHIP_MONTHS")),
        ),
        Period(str(_l("Access codes on printed slips")), days(int(config["ACCESS_CODE_MAX_AGE_DAYS"]))),
        Period(str(_l("Delivered messages (e-mail, SMS)")), days(int(config["OUTBOX_KEEP_DAYS"]))),
        Period(str(_l("Record of who saw or exported data (audit log)")), months(setting("RETENTION_AUDIT_MONTHS"))),
        Period(str(_l("Your data after you ask for its deletion, at the latest")), days(setting("ERASURE_AFTER_DAYS"))),
    ]


RIGHTS = (
    _l("Access: you may see all data we hold about you and get a copy (Art. 15 GDPR)."),
    _l("Rectification: you may have wrong data corrected (Art. 16 GDPR)."),
    _l("Erasure: you may have your data deleted (Art. 17 GDPR)."),
    _l("Restriction: you may have the use of your data limited (Art. 18 GDPR)."),
    _l("Portability: you may get your data in a machine-readable file (Art. 20 GDPR)."),
    _l("Objection: you may object to processing for a public task or legitimate interest (Art. 21 GDPR)."),
    _l("Withdrawal: you may withdraw a consent at any time; this does not affect what happened before (Art. 7 GDPR)."),
)


def my_data_link() -> Markup:
    """The person's own data page: a link where app/privacy serves it, else its path as text."""
    if MY_DATA_ENDPOINT in current_app.view_functions:
        return Markup('<a href="%s" dir="ltr">%s</a>') % (url_for(MY_DATA_ENDPOINT), MY_DATA_PATH)
    return Markup('<bdi dir="ltr">%s</bdi>') % MY_DATA_PATH


CONFORMANCE = {
    "full": _l("This website is fully compliant with BITV 2.0."),
    "partial": _l("This website is partially compliant with BITV 2.0 because of the limitations listed below."),
    "none": _l("This website is not yet compliant with BITV 2.0. The limitations are listed below."),
}

KNOWN_LIMITATIONS = (
    _l("There are no explanations in German Sign Language and in Easy German (Leichte Sprache) yet."),
    _l(
        "Texts that coordinators or the operator write themselves (addresses, notes, new activities) "
        "may be in German only."
    ),
    _l("Translations into Pashto, Tigrinya and Kurmanji have not yet been reviewed by native speakers."),
)


def conformance() -> str:
    return str(CONFORMANCE[current_app.config["ACCESSIBILITY_CONFORMANCE"]])


def check_settings(config) -> None:
    """Stop the start on settings the pages could not honour, rather than show a wrong statement."""
    if config["ACCESSIBILITY_CONFORMANCE"] not in CONFORMANCE:
        raise RuntimeError(f"ACCESSIBILITY_CONFORMANCE must be one of: {', '.join(CONFORMANCE)}")
    if "//" in config["LOGO"]:
        raise RuntimeError("LOGO names a file in the instance folder; pages load nothing from another host")
    date.fromisoformat(config["ACCESSIBILITY_REVIEWED_ON"])


def reviewed_on() -> date:
    return date.fromisoformat(current_app.config["ACCESSIBILITY_REVIEWED_ON"])


TECHNICAL_MEASURES = (
    _l("Notes on health, safety and residence are encrypted in the database; the key is kept apart from it."),
    _l("Connections only over HTTPS; cookies only for the session, secure and not readable by scripts."),
    _l("Staff who see special-category data log in with a second factor."),
    _l("Access by role and by area: coordinators see only the people of their areas."),
    _l("Every view and export of a person's data is written to the audit log."),
    _l("Passwords are stored only as hashes, access codes only as keyed digests."),
    _l("Nightly backups on another machine; restoring them is tested."),
    _l("Pages load nothing from other hosts; no tracking and no advertising."),
)


def records_file_name(locale: str) -> str:
    """The download's name: the document, the installation and the language, without characters a file system minds."""
    installation = "".join(
        c if c.isascii() and c.isalnum() else "-" for c in current_app.config["INSTALLATION_NAME"]
    ).strip("-")
    return f"records-of-processing-{installation}-{locale}.md"


def logo_file() -> str | None:
    """The logo's file name in the instance folder, if the installation has one."""
    return current_app.config.get("LOGO") or None
