"""The capacity questionnaire (four steps), self-service forms and coordinator filters."""
from datetime import date

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import (BooleanField, DateField, FieldList, Form, FormField, IntegerField, SelectField,
                     StringField, SubmitField, TextAreaField)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from app.forms import AtLeastOne, BaseForm, MultiCheckboxField, YearRange, not_in_future, options
from app.languages import resolve_language
from app.models import (DAY_PARTS, TIME_SLOTS, WEEKDAYS, ClearanceStatus, Commitment, Gender, LanguageLevel,
                        Resilience, VolunteerStatus)

FREE_TEXT_MAX = 1000
MAX_CAPACITY = 10
MAX_TRAVEL_KM = 200

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
COMMITMENT_LABELS = {
    Commitment.ONE_OFF: _l("now and then, for single tasks"),
    Commitment.MONTHS_3: _l("about 3 months"),
    Commitment.MONTHS_6: _l("about 6 months"),
    Commitment.MONTHS_12: _l("a year or longer"),
}
RESILIENCE_LABELS = {
    Resilience.LOW: _l("low – I need to take care of myself"),
    Resilience.MEDIUM: _l("medium"),
    Resilience.HIGH: _l("high – I can carry a lot"),
}
WEEKDAY_LABELS = dict(zip(WEEKDAYS, (_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"),
                                     _l("Friday"), _l("Saturday"), _l("Sunday"))))
DAY_PART_LABELS = dict(zip(DAY_PARTS, (_l("morning"), _l("afternoon"), _l("evening"))))
STATUS_LABELS = {
    VolunteerStatus.ACTIVE: _l("active"),
    VolunteerStatus.PAUSED: _l("paused"),
    VolunteerStatus.WITHDRAWN: _l("withdrawn"),
}
CLEARANCE_LABELS = {
    ClearanceStatus.VALID: _l("checked and valid"),
    ClearanceStatus.UNCHECKED: _l("declared, not yet checked"),
    ClearanceStatus.EXPIRED: _l("expired"),
    ClearanceStatus.NONE: _l("none"),
}

# Digits with the separators people actually type: +49 171 1234567, 0171/123 45-67, (02921) 123.
PHONE_PATTERN = r"^\+?[0-9 ()/\-]{6,30}$"


def choices_of(labels: dict) -> list:
    return options(labels.items())


def optional_choice(labels: dict, empty_label) -> list:
    return options([("", empty_label), *labels.items()])


class PersonalForm(BaseForm):
    phone = StringField(
        _l("Phone (optional)"),
        validators=[Optional(), Length(max=30),
                    Regexp(PHONE_PATTERN, message=_l("Please enter a phone number with digits only, "
                                                       "e.g. 0171 1234567 or +49 171 1234567."))],
    )
    gender = SelectField(_l("Gender"), choices=optional_choice(GENDER_LABELS, _l("I prefer not to say")))
    birth_year = IntegerField(_l("Year of birth"),
                              validators=[InputRequired(_l("Please enter your year of birth.")), YearRange(14, 100)])
    locality_id = SelectField(_l("Where you live"),
                              validators=[InputRequired(_l("Please choose the place where you live."))])
    travel_km = IntegerField(
        _l("How far can you travel? (km)"),
        validators=[InputRequired(_l("Please enter a distance in kilometres; 0 if only in your own town.")),
                    NumberRange(0, MAX_TRAVEL_KM, message=_l("Please enter a distance between %(min)s and %(max)s km."))],
    )
    travels_by_car = BooleanField(_l("by car"))
    travels_by_bicycle = BooleanField(_l("by bicycle"))
    travels_by_public_transport = BooleanField(_l("by bus and train"))
    submit = SubmitField(_l("Save and continue"))


class LanguageEntryForm(Form):
    """One language row; an empty row is ignored."""

    language = StringField(_l("Language"), validators=[Length(max=80)])
    level = SelectField(_l("Level"), choices=optional_choice(LEVEL_LABELS, _l("Level …")))


class LanguagesForm(BaseForm):
    languages = FieldList(FormField(LanguageEntryForm), min_entries=1, max_entries=20)
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
            if not level:
                entry.form.level.errors.append(_l("Please choose how well you speak it."))
        if any(entry.form.errors for entry in field.entries):
            raise ValidationError(_l("Please correct the marked languages."))
        if not seen:
            raise ValidationError(_l("Please enter at least one language."))

    def language_levels(self) -> list[tuple[str, str]]:
        """The validated rows as (ISO code, level) pairs."""
        locale = str(get_locale())
        return [(resolve_language(entry.form.language.data, locale), entry.form.level.data)
                for entry in self.languages.entries if (entry.form.language.data or "").strip()]


class GivingForm(BaseForm):
    offers = MultiCheckboxField(_l("What would you like to do?"),
                                validators=[AtLeastOne(_l("Please choose at least one activity."))])
    slots = MultiCheckboxField(_l("When are you usually free?"), choices=options((slot, slot) for slot in TIME_SLOTS),
                               validators=[AtLeastOne(_l("Please tick at least one time of the week."))])
    hours_per_month = IntegerField(
        _l("Hours per month"),
        validators=[InputRequired(_l("Please estimate your hours per month.")),
                    NumberRange(1, 160, message=_l("Please enter between %(min)s and %(max)s hours."))],
    )
    commitment = SelectField(_l("For how long?"), choices=optional_choice(COMMITMENT_LABELS, _l("Please choose")),
                             validators=[InputRequired(_l("Please choose for how long you want to commit."))])
    capacity = IntegerField(
        _l("How many people or families can you accompany at the same time?"),
        description=_l("0 if you do not want a sponsorship and only help in working groups."),
        validators=[InputRequired(_l("Please enter a number, 0 if none.")),
                    NumberRange(0, MAX_CAPACITY, message=_l("Please enter a number between %(min)s and %(max)s."))],
    )
    submit = SubmitField(_l("Save and continue"))


class MentoringForm(BaseForm):
    accepted_genders = MultiCheckboxField(_l("Whom would you accompany?"), choices=choices_of(GENDER_LABELS))
    works_with_children = BooleanField(_l("I am willing to work with children and young people."))
    clearance_issued_on = DateField(
        _l("Date of your extended police clearance certificate (optional)"),
        description=_l("Needed for work with children. Coordination will ask to see it; "
                       "we only note its date, never the document."),
        validators=[Optional(), not_in_future],
    )
    physical_resilience = SelectField(
        _l("Physically, how much can you take on?"), choices=optional_choice(RESILIENCE_LABELS, _l("Please choose")),
        validators=[InputRequired(_l("Please give an honest estimate."))])
    emotional_resilience = SelectField(
        _l("Emotionally, how much can you take on? (e.g. hearing about flight and loss)"),
        choices=optional_choice(RESILIENCE_LABELS, _l("Please choose")),
        validators=[InputRequired(_l("Please give an honest estimate."))])
    profession = TextAreaField(_l("Profession and experience (optional)"),
                               validators=[Length(max=FREE_TEXT_MAX, message=_l("At most %(max)d characters."))])
    interests = TextAreaField(_l("Interests and hobbies (optional)"),
                              description=_l("Shared interests help us find good pairs."),
                              validators=[Length(max=FREE_TEXT_MAX, message=_l("At most %(max)d characters."))])
    submit = SubmitField(_l("Finish"))


class ConsentForm(BaseForm):
    consent_matching = BooleanField()
    consent_contact_lists = BooleanField()
    consent_email_contact = BooleanField()
    submit = SubmitField(_l("Save consents"))


class PauseForm(BaseForm):
    paused_until = DateField(_l("Paused until (optional)"), validators=[Optional()])
    submit = SubmitField(_l("Pause"))

    def validate_paused_until(self, field):
        if field.data and field.data <= date.today():
            raise ValidationError(_l("Please choose a date in the future, or leave it empty."))


class ButtonForm(BaseForm):
    """A form that is only a button; it carries the CSRF token."""

    submit = SubmitField()


class WithdrawForm(BaseForm):
    confirm = BooleanField(_l("Yes, I want to stop volunteering."),
                           validators=[InputRequired(_l("Please tick the box to confirm."))])
    submit = SubmitField(_l("Stop volunteering"))


class ClearanceCheckForm(BaseForm):
    issued_on = DateField(_l("Date printed on the certificate"),
                          validators=[InputRequired(_l("Please enter the date from the certificate.")), not_in_future])
    submit = SubmitField(_l("Mark as checked"))


class VolunteerFilterForm(BaseForm):
    """The coordinator's search; sent by GET so that filtered lists can be bookmarked."""

    class Meta:
        csrf = False

    q = StringField(_l("Name or e-mail"), validators=[Optional(), Length(max=100)])
    locality = SelectField(_l("Place"), validators=[Optional()])
    language = SelectField(_l("Language"), validators=[Optional()])
    offer = SelectField(_l("Activity"), validators=[Optional()])
    day = SelectField(_l("Weekday"), choices=optional_choice(WEEKDAY_LABELS, _l("any day")), validators=[Optional()])
    part = SelectField(_l("Time of day"), choices=optional_choice(DAY_PART_LABELS, _l("any time")),
                       validators=[Optional()])
    status = SelectField(_l("Status"), choices=optional_choice(STATUS_LABELS, _l("any status")),
                         validators=[Optional()])
    clearance = SelectField(_l("Police clearance"), choices=optional_choice(CLEARANCE_LABELS, _l("any")),
                            validators=[Optional()])
    submit = SubmitField(_l("Filter"))
