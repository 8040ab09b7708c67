"""Form building blocks shared by the feature packages."""

from collections.abc import Iterable
from datetime import date

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.i18n import get_translations
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, NumberRange, ValidationError
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from app.formatting import ltr_isolated
from app.i18n import language_name
from app.languages import resolve_language
from app.models import DAY_PARTS, TIME_SLOTS, WEEKDAYS, Gender, LanguageLevel
from app.models.user import PASSWORD_MIN_LENGTH
from app.phones import normalise_phone
from app.security.converters import MAX_ID

GENDER_LABELS = {Gender.FEMALE: _l("female"), Gender.MALE: _l("male"), Gender.DIVERSE: _l("diverse")}
LEVEL_LABELS = {
    LanguageLevel.A1: _l("A1 – a few words"),
    LanguageLevel.A2: _l("A2 – simple sentences"),
    LanguageLevel.B1: _l("B1 – everyday conversation"),
    LanguageLevel.B2: _l("B2 – fluent on most topics"),
    LanguageLevel.C1: _l("C1 – very good"),
    LanguageLevel.C2: _l("C2 – near native"),
    LanguageLevel.NATIVE: _l("native language"),
}
WEEKDAY_LABELS = dict(
    zip(
        WEEKDAYS,
        (_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"), _l("Saturday"), _l("Sunday")),
        strict=True,
    )
)
DAY_PART_LABELS = dict(zip(DAY_PARTS, (_l("morning"), _l("afternoon"), _l("evening")), strict=True))


# Dates people enter lie in this range; date arithmetic (ends, renewals, calendars) stays far
# from the limits of Python's date (year 1 to 9999).
FIRST_DATE, LAST_DATE = date(1900, 1, 1), date(2100, 12, 31)


def plausible_date(form, field):
    if field.data and not FIRST_DATE <= field.data <= LAST_DATE:
        raise ValidationError(
            _l("Please enter a date between %(first)s and %(last)s.", first=FIRST_DATE.year, last=LAST_DATE.year)
        )


def language_with_level(code: str, level: LanguageLevel, in_full: bool = False) -> str:
    """A language someone speaks: "Deutsch (Muttersprache)", "Arabisch (B2)"; ``in_full`` describes every level."""
    shown = LEVEL_LABELS[level] if in_full or level == LanguageLevel.NATIVE else level.value
    return f"{language_name(code)} ({shown})"


def spoken(row, in_full: bool = False) -> str:
    """A profile's language row (``code`` and ``level``) as ``language_with_level`` writes it."""
    return language_with_level(row.code, row.level, in_full)


_CHOOSE = _l("Please choose one of the options.")
_NUMBER = _l("Please enter a number.")
# WTForms' own messages, said plainly through our catalogues: WTForms has no catalogue for Dari,
# Pashto, Tigrinya or Kurmanji, and none at all reaches its sub-forms (FormField).
WTFORMS_MESSAGES = {
    "This field is required.": _l("Please fill in this field."),
    "Field must be at least %(min)d character long.": _l("Please write at least %(min)d characters."),
    "Field must be at least %(min)d characters long.": _l("Please write at least %(min)d characters."),
    "Field cannot be longer than %(max)d character.": _l("At most %(max)d characters."),
    "Field cannot be longer than %(max)d characters.": _l("At most %(max)d characters."),
    "Field must be exactly %(max)d character long.": _l("Please write exactly %(max)d characters."),
    "Field must be exactly %(max)d characters long.": _l("Please write exactly %(max)d characters."),
    "Field must be between %(min)d and %(max)d characters long.": _l(
        "Please write between %(min)d and %(max)d characters."
    ),
    "Number must be between %(min)s and %(max)s.": _l("Please enter a number between %(min)s and %(max)s."),
    "Number must be at least %(min)s.": _l("Please enter a number of at least %(min)s."),
    "Number must be at most %(max)s.": _l("Please enter a number of at most %(max)s."),
    "Invalid input.": _l("Please check what you entered here."),
    "Invalid email address.": _l("This is not a valid e-mail address."),
    "Not a valid integer value.": _l("Please enter a whole number."),
    "Not a valid float value.": _NUMBER,
    "Not a valid decimal value.": _NUMBER,
    "Not a valid date value.": _l("Please enter a date."),
    "Not a valid time value.": _l("Please enter a time."),
    "Not a valid choice.": _CHOOSE,
    "Invalid Choice: could not coerce.": _CHOOSE,
    "Invalid choice(s): one or more data inputs could not be coerced.": _CHOOSE,
    # WTForms fills in the refused values; the plain message does without them.
    "'%(value)s' is not a valid choice for this field.": _CHOOSE,
    "'%(value)s' are not valid choices for this field.": _CHOOSE,
}


class FormMessages:
    """The translations WTForms asks for its own messages: ours where we have them, else WTForms' catalogue."""

    def gettext(self, string: str) -> str:
        if string in WTFORMS_MESSAGES:
            return str(WTFORMS_MESSAGES[string])
        return get_translations([str(get_locale()), "en"]).gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        if singular in WTFORMS_MESSAGES:
            return str(WTFORMS_MESSAGES[singular if n == 1 else plural])
        return get_translations([str(get_locale()), "en"]).ngettext(singular, plural, n)


class FormMeta:
    """Form options: WTForms' own messages in the user's language, date fields only within FIRST_DATE and LAST_DATE."""

    def get_translations(self, form):
        return FormMessages()

    def bind_field(self, form, unbound_field, options):
        field = super().bind_field(form, unbound_field, options)
        if isinstance(field, DateField):
            field.validators = [*field.validators, plausible_date]
        return field


class BaseForm(FlaskForm):
    """A FlaskForm whose built-in WTForms messages ("Not a valid choice") are in the user's language,
    and whose date fields accept only dates between FIRST_DATE and LAST_DATE."""

    Meta = FormMeta


class SubForm(Form):
    """A form repeated inside another (a FieldList of FormFields), with the same messages and date range."""

    Meta = FormMeta


def choices_of(labels: dict) -> list[SelectChoice]:
    return options(labels.items())


def optional_choice(labels: dict, empty_label) -> list[SelectChoice]:
    return options([("", empty_label), *labels.items()])


def options(pairs: Iterable[tuple[object, object]]) -> list[SelectChoice]:
    """Select options from (value, label) pairs; labels may be lazy strings."""
    return [SelectChoice(value=str(value), label=label) for value, label in pairs]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, *args, default=(), invalid_message=None, **kwargs):
        # Nothing ticked is an empty selection, also when a form arrives with no fields at all.
        super().__init__(*args, default=default, **kwargs)
        # Said instead of WTForms' "'x' is not a valid choice", which some of our languages lack.
        self.invalid_message = invalid_message

    def pre_validate(self, form):
        try:
            super().pre_validate(form)
        except ValidationError:
            if self.invalid_message is None:
                raise
            raise ValidationError(self.invalid_message) from None


def interests_field(label, description) -> MultiCheckboxField:
    """Interests ticked from the list in app/interests.py; the options are filled in when the form is built."""
    return MultiCheckboxField(
        label, description=description, invalid_message=_l("Please choose only interests from the list.")
    )


class AtLeastOne:
    """For multi-choice fields: at least one option must be ticked."""

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        if not field.data:
            raise ValidationError(self.message)


def not_in_future(form, field):
    if field.data and field.data > date.today():
        raise ValidationError(_l("This date lies in the future."))


class YearRange:
    """A birth year for someone aged between ``min_age`` and ``max_age`` today."""

    def __init__(self, min_age: int, max_age: int):
        self.min_age, self.max_age = min_age, max_age

    def __call__(self, form, field):
        this_year = date.today().year
        if field.data is None or not this_year - self.max_age <= field.data <= this_year - self.min_age:
            raise ValidationError(
                _l(
                    "Please enter a year between %(low)d and %(high)d.",
                    low=this_year - self.max_age,
                    high=this_year - self.min_age,
                )
            )


def slots_field(label) -> MultiCheckboxField:
    """The weekly time grid: 7 days × morning, afternoon, evening."""
    return MultiCheckboxField(
        label,
        choices=options((slot, slot) for slot in TIME_SLOTS),
        validators=[AtLeastOne(_l("Please tick at least one time of the week."))],
    )


def place_field(label) -> SelectField:
    """Where someone lives; the places are filled in when the form is built."""
    return SelectField(label, validators=[InputRequired(_l("Please choose the place where you live."))])


def travel_km_field(label, max_km: int) -> IntegerField:
    """How far someone goes to meet; 0 means only in their own town."""
    return IntegerField(
        label,
        validators=[
            InputRequired(_l("Please enter a distance in kilometres; 0 if only in your own town.")),
            NumberRange(0, max_km, message=_l("Please enter a distance between %(min)s and %(max)s km.")),
        ],
    )


class LanguageEntryForm(SubForm):
    """One language row; an empty row is ignored."""

    language = StringField(_l("Language"), validators=[Length(max=80)])
    level = SelectField(_l("Level"), choices=optional_choice(LEVEL_LABELS, _l("Level …")))


class LanguagesForm(BaseForm):
    """Languages with levels, as many rows as needed; works without JavaScript."""

    languages = FieldList(FormField(LanguageEntryForm), min_entries=1)
    add_row = SubmitField(_l("Add another language"))
    submit = SubmitField(_l("Save and continue"))

    def validate_languages(self, field):
        seen: set[str] = set()
        for entry in field.entries:
            text, level = entry.form.language.data or "", entry.form.level.data
            if not text.strip():
                if level:
                    entry.form.language.errors.append(_l("Please name the language for this level."))
                continue
            code = resolve_language(text, str(get_locale()))
            if code is None:
                entry.form.language.errors.append(_l("We do not know this language. Please pick one from the list."))
            elif code in seen:
                entry.form.language.errors.append(_l("This language is listed twice."))
            else:
                seen.add(code)
                self.check_language(entry, code)
            if not level:
                entry.form.level.errors.append(_l("Please choose how well you speak it."))
        if any(entry.form.errors for entry in field.entries):
            raise ValidationError(_l("Please correct the marked languages."))
        if not seen:
            raise ValidationError(_l("Please enter at least one language."))

    def check_language(self, entry, code: str) -> None:
        """Hook for forms that refuse some languages in the rows."""

    def language_levels(self) -> list[tuple[str, str]]:
        """The validated rows as (ISO code, level) pairs."""
        locale = str(get_locale())
        return [
            (resolve_language(entry.form.language.data, locale), entry.form.level.data)
            for entry in self.languages.entries
            if (entry.form.language.data or "").strip()
        ]


class RowIds:
    """Validator of a multiple field of row ids (``coerce=int``, ``validate_choice=False``): each one a
    number the database's id columns can hold (a larger one names no row, and the database refuses it)."""

    def __init__(self, message: str) -> None:
        self.message = message

    def __call__(self, form, field) -> None:
        if any(not 1 <= value <= MAX_ID for value in field.data or ()):
            raise ValidationError(self.message)


def id_field() -> IntegerField:
    """A row id a form sends back (hidden): a whole number the database's id columns can hold."""
    return IntegerField(widget=HiddenInput(), validators=[InputRequired(), NumberRange(1, MAX_ID)])


class ButtonForm(BaseForm):
    """A form that is only a button; it carries the CSRF token."""

    submit = SubmitField()


class PhoneField(StringField):
    """A phone number in any usual format, kept as +49…; empty is allowed."""

    def pre_validate(self, form):
        if self.data and normalise_phone(self.data) is None:
            raise ValidationError(
                _l(
                    "This is not a phone number we can call. "
                    "Please write it with the area code, e.g. %(local)s or %(international)s.",
                    # isolated, so that the numbers keep their order on right-to-left pages
                    local=ltr_isolated("0171 1234567"),
                    international=ltr_isolated("+49 171 1234567"),
                )
            )

    @property
    def normalised(self) -> str | None:
        return normalise_phone(self.data) if self.data else None


class NewPasswordMixin:
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(_l("Please choose a password.")),
            Length(
                min=PASSWORD_MIN_LENGTH,
                max=200,
                message=_l("The password must have at least %(min)d characters.", min=PASSWORD_MIN_LENGTH),
            ),
        ],
        description=_l(
            "At least %(min)d characters. A few words you remember are a good password.", min=PASSWORD_MIN_LENGTH
        ),
    )
    password_confirm = PasswordField(
        _l("Repeat the password"),
        validators=[
            DataRequired(_l("Please repeat the password.")),
            EqualTo("password", _l("The two passwords are not the same.")),
        ],
    )


def strip_whitespace(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def code_field(label) -> StringField:
    """A second factor's code: from an authenticator app (123 456) or a recovery code (ABCDE-FGHJK)."""
    return StringField(
        label,
        filters=[strip_whitespace],
        validators=[DataRequired(_l("Please enter the code.")), Length(max=20, message=_l("This is not a code."))],
        render_kw={"autocomplete": "one-time-code", "autocapitalize": "characters", "spellcheck": "false"},
    )


# Identifiers that appear in URLs and exports (places, groups): readable, stable, safe.
SLUG_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
SLUG_MESSAGE = _l("Only lower-case letters, digits, - and _.")
