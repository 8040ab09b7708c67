"""The audit viewer's filters."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import Length, NumberRange, Optional, ValidationError
from wtforms.widgets import HiddenInput

from app.filters import FilterForm
from app.security.converters import MAX_ID


class AuditFilterForm(FilterForm):
    list_endpoint = "audit_log.index"

    person = StringField(
        _l("Person (name, e-mail, phone or number)"),
        validators=[Optional(), Length(max=100, message=_l("At most %(max)d characters.", max=100))],
    )
    # Set when the viewer picked one of several people the search found.
    person_id = IntegerField(
        widget=HiddenInput(),
        validators=[Optional(), NumberRange(1, MAX_ID, message=_l("This is not a person's number."))],
    )
    staff = SelectField(_l("Staff member"), validators=[Optional()])
    action = SelectField(_l("Action"), validators=[Optional()])
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("Until"), validators=[Optional()])
    submit = SubmitField(_l("Filter"))

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date lies before the start date."))
