"""Forms of a sponsorship agreement."""

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from app.filters import FilterForm
from app.forms import AtLeastOne, BaseForm, MultiCheckboxField, id_field, options
from app.models import AgreementStatus


class TermsForm(BaseForm):
    focus = MultiCheckboxField(_l("Focus"), validators=[AtLeastOne(_l("Please choose at least one activity."))])
    meetings_per_month = IntegerField(_l("Meetings per month"), validators=[InputRequired(), NumberRange(1, 30)])
    hours_per_meeting = IntegerField(_l("Hours per meeting"), validators=[InputRequired(), NumberRange(1, 12)])
    starts_on = DateField(_l("Starts on"), validators=[InputRequired(_l("Please give a start date."))])
    ends_on = DateField(_l("Ends on"), validators=[InputRequired(_l("Please give an end date."))])
    second_volunteer = SelectField(_l("Second volunteer (optional)"), default="")
    submit = SubmitField(_l("Save the terms"))

    def validate_ends_on(self, field):
        if self.starts_on.data and field.data and field.data <= self.starts_on.data:
            raise ValidationError(_l("The end must come after the start."))


class AgreementListForm(FilterForm):
    """The list's status filter (its buttons send it), so that the pages keep it."""

    status = SelectField(choices=options([("", ""), *((s, s) for s in AgreementStatus)]), validators=[Optional()])


class ReasonForm(BaseForm):
    """Ending, cancelling or declining needs a reason."""

    reason = TextAreaField(_l("Reason"), validators=[DataRequired(_l("Please give a reason.")), Length(max=500)])
    submit = SubmitField()


class PickForm(BaseForm):
    volunteer = id_field()
    submit = SubmitField(_l("I would rather have this person"))


class CheckInForm(BaseForm):
    happened_on = DateField(_l("Date of the meeting"), default=date.today, validators=[InputRequired()])
    note = TextAreaField(_l("How was it? (optional)"), validators=[Length(max=1000)])
    submit = SubmitField(_l("Add check-in"))
