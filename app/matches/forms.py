"""Decisions on proposals."""

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, SelectMultipleField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from app.filters import FilterForm
from app.forms import BaseForm, RowIds, id_field


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


class BatchDecisionForm(BaseForm):
    """Several proposals decided at once; the checkboxes sit beside each proposal (HTML ``form`` attribute)."""

    proposals = SelectMultipleField(
        coerce=int,
        validate_choice=False,
        validators=[
            DataRequired(_l("Please select at least one proposal.")),
            RowIds(_l("Please select at least one proposal.")),
        ],
    )
    note = TextAreaField(_l("Reason for rejecting the selected"), validators=[Optional(), Length(max=500)])
    accept = SubmitField(_l("Accept selected"))
    reject = SubmitField(_l("Reject selected"))
