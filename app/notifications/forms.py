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

    def validate(self, extra_validators=None) -> bool:
        # Not a field validator: Optional() stops a field's chain when it is empty.
        if not super().validate(extra_validators):
            return False
        if (self.quiet_from.data is None) != (self.quiet_until.data is None):
            self.quiet_until.errors = [*self.quiet_until.errors, _l("Please give both times, or none.")]
            return False
        return True
