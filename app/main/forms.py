from wtforms import HiddenField, StringField

from app.forms import BaseForm


class LanguageForm(BaseForm):
    """The language switcher: one button per language, works without JavaScript."""

    language = StringField()
    next = HiddenField()
