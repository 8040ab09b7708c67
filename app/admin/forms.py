"""Forms for the reference data: localities and help categories."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, FloatField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Regexp

from app.forms import SLUG_MESSAGE, SLUG_PATTERN, BaseForm, options
from app.models import CategoryKind


class LocalityForm(BaseForm):
    id = StringField(
        _l("Identifier"),
        description=_l("Short and permanent, e.g. bad-sassendorf."),
        validators=[InputRequired(), Length(max=40), Regexp(SLUG_PATTERN, message=SLUG_MESSAGE)],
    )
    name = StringField(_l("Name of the place"), validators=[InputRequired(), Length(max=120)])
    lat = FloatField(_l("Latitude"), validators=[InputRequired(), NumberRange(-90, 90)])
    lon = FloatField(_l("Longitude"), validators=[InputRequired(), NumberRange(-180, 180)])
    submit = SubmitField(_l("Save"))


class CategoryForm(BaseForm):
    key = StringField(
        _l("Key"),
        description=_l("Used by the matching engine; cannot be changed later."),
        validators=[InputRequired(), Length(max=40), Regexp(SLUG_PATTERN, message=SLUG_MESSAGE)],
    )
    kind = SelectField(
        _l("Kind"),
        choices=options([(CategoryKind.PAIR, _l("pair (sponsorship)")), (CategoryKind.GROUP, _l("working group"))]),
    )
    label_de = StringField(_l("Label in German"), validators=[InputRequired(), Length(max=120)])
    label_en = StringField(_l("Label in English"), validators=[InputRequired(), Length(max=120)])
    notes = TextAreaField(_l("Notes"), validators=[Length(max=1000)])
    position = IntegerField(_l("Position in lists"), default=0, validators=[InputRequired(), NumberRange(0, 999)])
    active = BooleanField(_l("Offered in the questionnaire"), default=True)
    submit = SubmitField(_l("Save"))
