"""The activity taxonomy shipped with the app, in every interface language.

The database keeps a German and an English label per category, which admins
may edit. For the other languages the English label of a shipped category is
looked up in the translation catalogues; a label an admin has reworded has no
translation yet and is shown in English until the catalogues catch up.
"""

from flask_babel import gettext


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


def category_label(key: str, label_de: str, label_en: str, locale: str) -> str:
    """A category's label for a page in ``locale``."""
    if locale == "de":
        return label_de
    if SHIPPED_LABELS.get(key) == label_en:
        return gettext(label_en)
    return label_en
