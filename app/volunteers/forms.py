"""The capacity questionnaire (four steps), self-service forms and coordinator filters."""

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from app.filters import FilterForm
from app.forms import (
    DAY_PART_LABELS,
    GENDER_LABELS,
    WEEKDAY_LABELS,
    AtLeastOne,
    BaseForm,
    MultiCheckboxField,
    PhoneField,
    YearRange,
    choices_of,
    interests_field,
    not_in_future,
    optional_choice,
    place_field,
    slots_field,
    travel_km_field,
)
from app.models import ClearanceStatus, Commitment, Resilience, VolunteerStatus

FREE_TEXT_MAX = 1000
MAX_CAPACITY = 10
MAX_TRAVEL_KM = 200

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
VOLUNTEER_STATUS_LABELS = {
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


class PersonalForm(BaseForm):
    phone = PhoneField(_l("Phone (optional)"), validators=[Length(max=30)])
    gender = SelectField(_l("Gender"), choices=optional_choice(GENDER_LABELS, _l("I prefer not to say")), default="")
    birth_year = IntegerField(
        _l("Year of birth"), validators=[InputRequired(_l("Please enter your year of birth.")), YearRange(14, 100)]
    )
    locality_id = place_field(_l("Where you live"))
    travel_km = travel_km_field(_l("How far can you travel? (km)"), MAX_TRAVEL_KM)
    travels_by_car = BooleanField(_l("by car"))
    travels_by_bicycle = BooleanField(_l("by bicycle"))
    travels_by_public_transport = BooleanField(_l("by bus and train"))
    submit = SubmitField(_l("Save and continue"))


class GivingForm(BaseForm):
    offers = MultiCheckboxField(
        _l("What would you like to do?"), validators=[AtLeastOne(_l("Please choose at least one activity."))]
    )
    slots = slots_field(_l("When are you usually free?"))
    hours_per_month = IntegerField(
        _l("Hours per month"),
        validators=[
            InputRequired(_l("Please estimate your hours per month.")),
            NumberRange(1, 160, message=_l("Please enter between %(min)s and %(max)s hours.")),
        ],
    )
    commitment = RadioField(
        _l("For how long?"),
        choices=choices_of(COMMITMENT_LABELS),
        validators=[InputRequired(_l("Please choose for how long you want to commit."))],
    )
    capacity = IntegerField(
        _l("How many people or families can you accompany at the same time?"),
        description=_l("0 if you do not want a sponsorship and only help in working groups."),
        validators=[
            InputRequired(_l("Please enter a number, 0 if none.")),
            NumberRange(0, MAX_CAPACITY, message=_l("Please enter a number between %(min)s and %(max)s.")),
        ],
    )
    submit = SubmitField(_l("Save and continue"))


class MentoringForm(BaseForm):
    accepted_genders = MultiCheckboxField(_l("Whom would you accompany?"), choices=choices_of(GENDER_LABELS))
    works_with_children = BooleanField(_l("I am willing to work with children and young people."))
    clearance_issued_on = DateField(
        _l("Date of your extended police clearance certificate (optional)"),
        description=_l(
            "Needed for work with children. Coordination will ask to see it; we only note its date, never the document."
        ),
        validators=[Optional(), not_in_future],
    )
    # Choices with long labels are radio buttons: a drop-down cuts "low – I need to take care of myself" on a phone.
    physical_resilience = RadioField(
        _l("Physically, how much can you take on?"),
        choices=choices_of(RESILIENCE_LABELS),
        validators=[InputRequired(_l("Please give an honest estimate."))],
    )
    emotional_resilience = RadioField(
        _l("Emotionally, how much can you take on? (e.g. hearing about flight and loss)"),
        choices=choices_of(RESILIENCE_LABELS),
        validators=[InputRequired(_l("Please give an honest estimate."))],
    )
    profession = TextAreaField(
        _l("Profession and experience (optional)"),
        validators=[Length(max=FREE_TEXT_MAX, message=_l("At most %(max)d characters."))],
    )
    interests = interests_field(
        _l("Interests and hobbies (optional)"), description=_l("Shared interests help us find good pairs.")
    )
    interests_note = TextAreaField(
        _l("Anything else you like to do? (optional)"),
        description=_l("In your own words, for the coordination office."),
        validators=[Length(max=FREE_TEXT_MAX, message=_l("At most %(max)d characters."))],
    )
    submit = SubmitField(_l("Finish"))


class PauseForm(BaseForm):
    paused_until = DateField(_l("Paused until (optional)"), validators=[Optional()])
    submit = SubmitField(_l("Pause"))

    def validate_paused_until(self, field):
        if field.data and field.data <= date.today():
            raise ValidationError(_l("Please choose a date in the future, or leave it empty."))


class WithdrawForm(BaseForm):
    confirm = BooleanField(
        _l("Yes, I want to stop volunteering."), validators=[InputRequired(_l("Please tick the box to confirm."))]
    )
    submit = SubmitField(_l("Stop volunteering"))


class ClearanceCheckForm(BaseForm):
    issued_on = DateField(
        _l("Date printed on the certificate"),
        validators=[InputRequired(_l("Please enter the date from the certificate.")), not_in_future],
    )
    submit = SubmitField(_l("Mark as checked"))


class VolunteerFilterForm(FilterForm):
    """The coordinator's search, in the order of the page."""

    q = StringField(_l("Name or e-mail"), validators=[Optional(), Length(max=100)])
    locality = SelectField(_l("Place"), validators=[Optional()])
    language = SelectField(_l("Language"), validators=[Optional()])
    offer = SelectField(_l("Activity"), validators=[Optional()])
    day = SelectField(
        _l("Weekday"), choices=optional_choice(WEEKDAY_LABELS, _l("any day")), default="", validators=[Optional()]
    )
    part = SelectField(
        _l("Time of day"), choices=optional_choice(DAY_PART_LABELS, _l("any time")), default="", validators=[Optional()]
    )
    status = SelectField(
        _l("Status"),
        choices=optional_choice(VOLUNTEER_STATUS_LABELS, _l("any status")),
        default="",
        validators=[Optional()],
    )
    clearance = SelectField(
        _l("Police clearance"),
        choices=optional_choice(CLEARANCE_LABELS, _l("any")),
        default="",
        validators=[Optional()],
    )
    submit = SubmitField(_l("Filter"))
