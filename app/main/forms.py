from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField


class LanguageForm(FlaskForm):
    """The language switcher: one button per language, works without JavaScript."""

    language = StringField()
    next = HiddenField()
