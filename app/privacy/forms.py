"""The confirmations of the privacy pages: each is a button with its CSRF token, erasure also a tick."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SubmitField
from wtforms.validators import DataRequired

from app.forms import BaseForm


class ErasureRequestForm(BaseForm):
    confirm = BooleanField(
        _l("Yes, delete my data."),
        validators=[DataRequired(_l("Please tick the box to confirm."))],
    )
    submit = SubmitField(_l("Delete my data"))


class WithdrawErasureForm(BaseForm):
    submit = SubmitField(_l("Keep my data"))


class KeepAccountForm(BaseForm):
    submit = SubmitField(_l("Keep my account"))


class EraseForm(BaseForm):
    confirm = BooleanField(
        _l("I have checked that this person asked for erasure (or the retention period is over)."),
        validators=[DataRequired(_l("Please tick the box to confirm."))],
    )
    submit = SubmitField(_l("Erase now"))
