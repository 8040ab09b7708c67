"""Decisions on proposals."""

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, SelectMultipleField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import HiddenInput

from app.filters import FilterForm
from app.forms import MAX_ID, BaseForm, id_field


class RejectForm(BaseForm):
    note = TextAreaField(
        _l("Why not?"),
        validators=[DataRequired(_l("Please give a short reason; it helps the next run.")), Length(max=500)],
    )
    submit = SubmitField(_l("Reject"))


class SwapForm(BaseForm):
    volunteer = id_field()
    submit = SubmitField(_l("Take this one instead"))


class ProposalFilterForm(FilterForm):
    locality = SelectField(_l("Place"), validators=[Optional()])
    need = SelectField(_l("Need"), validators=[Optional()])
    language = SelectField(_l("Language"), validators=[Optional()])
    # Not shown in the filter form (a new filter starts at the first page); kept in the links of decisions
    # so that a coordinator comes back to the page they were on.
    page = IntegerField(widget=HiddenInput(), validators=[Optional(), NumberRange(1)])
    submit = SubmitField(_l("Filter"))


def _ids_in_range(form, field):
    if any(not 1 <= value <= MAX_ID for value in field.data or ()):
        raise ValidationError(_l("Please select at least one proposal."))


class BatchDecisionForm(BaseForm):
    """Several proposals decided at once; the checkboxes sit beside each proposal (HTML ``form`` attribute)."""

    proposals = SelectMultipleField(
        coerce=int,
        validate_choice=False,
        validators=[DataRequired(_l("Please select at least one proposal.")), _ids_in_range],
    )
    note = TextAreaField(_l("Reason for rejecting the selected"), validators=[Optional(), Length(max=500)])
    accept = SubmitField(_l("Accept selected"))
    reject = SubmitField(_l("Reject selected"))
