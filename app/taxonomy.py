"""The activity taxonomy shipped with the app, in every interface language.

The database keeps a category's label per interface language, which admins
enter and edit. A shipped category arrives with its German and English
labels; while its English label is the shipped one, the other languages are
looked up in the translation catalogues. An activity whose label is missing
in a language is shown in English (and listed on the admin page) until an
admin enters it.
"""

from flask_babel import force_locale, gettext


def N_(text: str) -> str:  # noqa: N802  (the gettext convention for "translate later")
    """Mark ``text`` for the catalogues; it is translated where it is shown."""
    return text


SHIPPED_LABELS = {
    "mentoring": N_("Sponsorship / mentoring"),
    "education_sponsorship": N_("Education sponsorship"),
    "homework_help": N_("Homework help / tutoring"),
    "german_practice": N_("German practice / language sponsorship"),
    "authority_accompaniment": N_("Accompaniment to authorities and doctors"),
    "paperwork": N_("Help with forms and official letters"),
    "job_search": N_("Job-search sponsorship"),
    "housing_search": N_("Flat search and moving"),
    "childcare": N_("Childcare during courses"),
    "interpreting": N_("Interpreting / language mediation"),
    "driving": N_("Driving / ride sharing"),
    "bicycle": N_("Bicycle workshop and cycling course"),
    "public_transport": N_("Public transport guidance"),
    "sport": N_("Sport and clubs"),
    "culture_leisure": N_("Culture and leisure / meeting café"),
    "first_care": N_("First care and arrival"),
    "clothing_store": N_("Clothing store and donations"),
    "round_table": N_("Round table"),
}


def shipped_label_kept(key: str, labels: dict[str, str]) -> bool:
    """Whether a category is shipped with the app and still has its shipped English label."""
    return key in SHIPPED_LABELS and SHIPPED_LABELS[key] == labels.get("en")


def category_label(key: str, labels: dict[str, str], locale: str) -> str:
    """A category's label for a page in ``locale``: as entered, else translated by the catalogues, else English."""
    if labels.get(locale):
        return labels[locale]
    english = labels.get("en")
    if shipped_label_kept(key, labels):
        return gettext(english)
    return english or labels.get("de") or key


def labels_in(key: str, labels: dict[str, str], languages: list[str]) -> dict[str, str]:
    """A category's label in each of ``languages`` where it has one: entered, or translated by the catalogues."""
    if not shipped_label_kept(key, labels):
        return {code: labels[code] for code in languages if labels.get(code)}
    translated = {}
    for code in languages:
        with force_locale(code):
            translated[code] = category_label(key, labels, code)
    return translated
