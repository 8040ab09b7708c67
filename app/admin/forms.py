"""Forms for the reference data: localities and help categories, named in every interface language."""

from functools import cache

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from wtforms import (
    BooleanField,
    FloatField,
    FormField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Regexp

from app.forms import SLUG_MESSAGE, SLUG_PATTERN, BaseForm, SubForm, options, strip_whitespace
from app.i18n import language_name
from app.models import CategoryKind

LABEL_MISSING = _l("Please enter it in this language too: people who read it see the page in it.")


def labels_field(languages: tuple[str, ...], legend, hint="") -> FormField:
    """One required text field per language (named by its code), shown under ``legend`` with ``hint``."""
    fields = {
        code: StringField(
            LazyString(language_name, code),
            filters=[strip_whitespace],
            validators=[DataRequired(LABEL_MISSING), Length(max=120)],
        )
        for code in languages
    }
    return FormField(type("LabelsForm", (SubForm,), fields), legend, description=hint)


class LocalityForm(BaseForm):
    id = StringField(
        _l("Identifier"),
        description=_l("Short and permanent, e.g. bad-sassendorf."),
        validators=[InputRequired(), Length(max=40), Regexp(SLUG_PATTERN, message=SLUG_MESSAGE)],
    )
    name = StringField(
        _l("Official name of the place"),
        description=_l("In German, as on the town sign."),
        validators=[InputRequired(), Length(max=120)],
    )
    lat = FloatField(_l("Latitude"), validators=[InputRequired(), NumberRange(-90, 90)])
    lon = FloatField(_l("Longitude"), validators=[InputRequired(), NumberRange(-180, 180)])
    submit = SubmitField(_l("Save"))


class CategoryForm(BaseForm):
    key = StringField(
        _l("Key"),
        description=_l("Used by the matching engine; cannot be changed later."),
        validators=[InputRequired(), Length(max=40), Regexp(SLUG_PATTERN, message=SLUG_MESSAGE)],
    )
    kind = SelectField(
        _l("Kind"),
        choices=options([(CategoryKind.PAIR, _l("pair (sponsorship)")), (CategoryKind.GROUP, _l("working group"))]),
    )
    notes = TextAreaField(_l("Notes"), validators=[Length(max=1000)])
    position = IntegerField(_l("Position in lists"), default=0, validators=[InputRequired(), NumberRange(0, 999)])
    active = BooleanField(_l("Offered in the questionnaire"), default=True)
    bookable = BooleanField(
        _l("Bookable as a single appointment"),
        description=_l("Refugees, sponsors and coordination can ask for it for one date."),
    )
    submit = SubmitField(_l("Save"))


@cache
def locality_form(languages: tuple[str, ...]) -> type[LocalityForm]:
    """The place form with the place's name in every interface language but German (the official name)."""
    others = tuple(code for code in languages if code != "de")
    labels = labels_field(
        others,
        _l("Name in the other languages"),
        _l("In another script, add the official name in brackets, e.g. زوست (Soest): people find it on signs."),
    )
    return type("LocalityForm", (LocalityForm,), {"labels": labels})


@cache
def category_form(languages: tuple[str, ...]) -> type[CategoryForm]:
    """The activity form with its label in every interface language."""
    return type("CategoryForm", (CategoryForm,), {"labels": labels_field(languages, _l("Label in every language"))})
