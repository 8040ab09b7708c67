"""Forms of appointments: the request (full for coordination and sponsors, short with symbols for refugees),
offers, a new time, the volunteer's report and an organisation's allowance rates."""

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from app.forms import MAX_ID, BaseForm, MultiCheckboxField, RowIds, options
from app.models import AppointmentStatus, Gender, OfferStatus

# Durations offered (minutes); an appointment at an office rarely takes less than an hour with the way there.
DURATIONS = (30, 60, 90, 120, 180, 240)
# The languages asked for most often come first in the short form (DOMAIN.md), the rest follow by name.
COMMON_LANGUAGES = ("ar", "fa", "ps", "ti", "ku", "uk", "ru", "tr", "so", "fr", "en")

DURATION_CHOICES = options((m, f"{m // 60}:{m % 60:02d} h") for m in DURATIONS)

_CHOOSE_KIND = _l("Please choose what the help is for.")
_CHOOSE_DAY = _l("Please enter the date.")
_CHOOSE_TIME = _l("Please enter the time.")
_CHOOSE_PLACE = _l("Please choose the place.")
_CHOOSE_LANGUAGE = _l("Please choose at least one language.")


APPOINTMENT_STATUS_LABELS = {
    AppointmentStatus.REVIEW: _l("waiting for review"),
    AppointmentStatus.OPEN: _l("looking for a volunteer"),
    AppointmentStatus.ASSIGNED: _l("confirmed"),
    AppointmentStatus.REPORTED: _l("reported"),
    AppointmentStatus.APPROVED: _l("approved"),
    AppointmentStatus.CANCELLED: _l("cancelled"),
}
OFFER_STATUS_LABELS = {
    OfferStatus.WAITING: _l("waiting in line"),
    OfferStatus.OFFERED: _l("asked"),
    OfferStatus.ACCEPTED: _l("accepted"),
    OfferStatus.DECLINED: _l("declined"),
    OfferStatus.TAKEN: _l("taken by someone else"),
    OfferStatus.WITHDRAWN: _l("withdrawn"),
}

# A wish for a woman or a man as volunteer (interpreting at a gynaecologist, for example).
GENDER_WISHES = options([("", _l("No matter")), (Gender.FEMALE, _l("a woman")), (Gender.MALE, _l("a man"))])


class RequestForm(BaseForm):
    """A request for one appointment; the view fills in the kinds, places, languages and (for staff) refugees."""

    refugee = SelectField(_l("For whom"), validators=[Optional()])
    kind = RadioField(_l("What for"), validators=[InputRequired(_CHOOSE_KIND)])
    day = DateField(_l("Date"), validators=[InputRequired(_CHOOSE_DAY)])
    at = TimeField(_l("Time"), validators=[InputRequired(_CHOOSE_TIME)])
    minutes = SelectField(
        _l("How long"),
        coerce=int,
        choices=DURATION_CHOICES,
        default=60,
        validators=[InputRequired()],
    )
    place = SelectField(_l("Where (place)"), validators=[InputRequired(_CHOOSE_PLACE)])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=200)])
    meeting_point = StringField(
        _l("Meeting point"),
        description=_l("Where the volunteer meets you, e.g. in front of the town hall."),
        validators=[Optional(), Length(max=200)],
    )
    languages = MultiCheckboxField(_l("Which language"), invalid_message=_l("Please choose languages from the list."))
    gender = RadioField(_l("Woman or man"), choices=GENDER_WISHES, default="", validators=[Optional()])
    children = BooleanField(_l("Children are there too"))
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=1000)])
    special_notes = TextAreaField(
        _l("Notes for coordination only"),
        description=_l("Health or residence matters: only coordination reads them, never the volunteer."),
        validators=[Optional(), Length(max=1000)],
    )
    submit = SubmitField(_l("Ask for help"))

    def validate_languages(self, field):
        if not field.data:
            raise ValidationError(_CHOOSE_LANGUAGE)


class OfferForm(BaseForm):
    volunteers = SelectMultipleField(
        _l("Volunteers"),
        coerce=int,
        validate_choice=False,  # any volunteer's id: the service checks who may be asked
        validators=[RowIds(_l("Please choose at least one volunteer."))],
    )
    in_order = BooleanField(_l("One after the other"), description=_l("Ask the next only when the one before says no."))
    submit = SubmitField(_l("Offer"))


class AssignForm(BaseForm):
    volunteer = IntegerField(validators=[InputRequired(), NumberRange(1, MAX_ID)])
    submit = SubmitField()


class MoveForm(BaseForm):
    day = DateField(_l("Date"), validators=[InputRequired(_CHOOSE_DAY)])
    at = TimeField(_l("Time"), validators=[InputRequired(_CHOOSE_TIME)])
    minutes = SelectField(_l("How long"), coerce=int, choices=DURATION_CHOICES, default=60)
    submit = SubmitField(_l("Move"))


class ReportForm(BaseForm):
    took_place = RadioField(
        _l("Did it take place?"),
        choices=options([("yes", _l("Yes")), ("no", _l("No"))]),
        validators=[InputRequired(_l("Please say whether it took place."))],
    )
    minutes = IntegerField(
        _l("Time spent (minutes)"),
        validators=[Optional(), NumberRange(0, 24 * 60, message=_l("Please enter between 0 and 1440 minutes."))],
    )
    km = IntegerField(
        _l("Kilometres driven"),
        validators=[Optional(), NumberRange(0, 2000, message=_l("Please enter between 0 and 2000 km."))],
    )
    submit = SubmitField(_l("Report"))


class RatesForm(BaseForm):
    """An organisation's allowance for one kind, in euros (stored as cents)."""

    kind = SelectField(_l("Kind of appointment"), validators=[InputRequired()])
    per_assignment = DecimalField(
        _l("Per appointment (€)"), places=2, default=Decimal(0), validators=[InputRequired(), NumberRange(0, 1000)]
    )
    per_km = DecimalField(
        _l("Per kilometre (€)"), places=2, default=Decimal(0), validators=[InputRequired(), NumberRange(0, 10)]
    )
    submit = SubmitField(_l("Save"))


class PayoutForm(BaseForm):
    class Meta:
        csrf = False  # a GET filter

    organisation = SelectField(_l("Organisation"), validators=[InputRequired()])
    month = StringField(_l("Month (YYYY-MM)"), validators=[InputRequired(), Length(7, 7)])
