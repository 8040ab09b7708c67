"""The code forms of two-factor authentication."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SubmitField
from wtforms.validators import InputRequired

from app.forms import BaseForm, code_field


class EnrolForm(BaseForm):
    code = code_field(_l("Code shown in your authenticator app"))
    submit = SubmitField(_l("Switch on two-factor authentication"))


class DisableForm(BaseForm):
    code = code_field(_l("Current code from your app, or a recovery code"))
    confirm = BooleanField(
        _l("Yes, switch two-factor authentication off for my account"),
        validators=[InputRequired(_l("Please tick the box to confirm."))],
    )
    submit = SubmitField(_l("Switch off"))
