"""How a person wants to hear of news."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SubmitField, TimeField
from wtforms.validators import Optional

from app.forms import BaseForm


class ChannelsForm(BaseForm):
    by_email = BooleanField(_l("By e-mail"))
    by_sms = BooleanField(_l("By SMS"))
    quiet_from = TimeField(_l("No SMS from"), validators=[Optional()])
    quiet_until = TimeField(_l("until"), validators=[Optional()])
    submit = SubmitField(_l("Save"))

    def validate_quiet_until(self, field):
        if (self.quiet_from.data is None) != (field.data is None):
            field.errors.append(_l("Please give both times, or none."))
