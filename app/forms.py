"""Form building blocks shared by the feature packages."""
from datetime import date

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from collections.abc import Iterable

from wtforms import SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.i18n import get_translations
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget


class BaseForm(FlaskForm):
    """A FlaskForm whose built-in WTForms messages ("Not a valid choice") are in the user's language."""

    class Meta:
        def get_translations(self, form):
            return get_translations([str(get_locale()), "en"])


def options(pairs: Iterable[tuple[object, object]]) -> list[SelectChoice]:
    """Select options from (value, label) pairs; labels may be lazy strings."""
    return [SelectChoice(value=str(value), label=label) for value, label in pairs]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AtLeastOne:
    """For multi-choice fields: at least one option must be ticked."""

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        if not field.data:
            raise ValidationError(self.message)


def not_in_future(form, field):
    if field.data and field.data > date.today():
        raise ValidationError(_l("This date lies in the future."))


class YearRange:
    """A birth year for someone aged between ``min_age`` and ``max_age`` today."""

    def __init__(self, min_age: int, max_age: int):
        self.min_age, self.max_age = min_age, max_age

    def __call__(self, form, field):
        this_year = date.today().year
        if field.data is None or not this_year - self.max_age <= field.data <= this_year - self.min_age:
            raise ValidationError(
                _l("Please enter a year between %(low)d and %(high)d.",
                   low=this_year - self.max_age, high=this_year - self.min_age)
            )
