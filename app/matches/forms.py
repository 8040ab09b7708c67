"""Decisions on proposals."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.forms import BaseForm, id_field


class RejectForm(BaseForm):
    note = TextAreaField(
        _l("Why not?"),
        validators=[DataRequired(_l("Please give a short reason; it helps the next run.")), Length(max=500)],
    )
    submit = SubmitField(_l("Reject"))


class SwapForm(BaseForm):
    volunteer = id_field()
    submit = SubmitField(_l("Take this one instead"))


class ProposalFilterForm(BaseForm):
    class Meta:
        csrf = False

    locality = SelectField(_l("Place"), validators=[Optional()])
    need = SelectField(_l("Need"), validators=[Optional()])
    language = SelectField(_l("Language"), validators=[Optional()])
    submit = SubmitField(_l("Filter"))
