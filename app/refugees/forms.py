"""The coordinators' refugee search and the merge of duplicates."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.filters import FilterForm
from app.forms import BaseForm, id_field, optional_choice
from app.models import RefugeeStatus

REFUGEE_STATUS_LABELS = {
    RefugeeStatus.ACTIVE: _l("looking for support"),
    RefugeeStatus.INACTIVE: _l("no longer looking"),
    RefugeeStatus.MERGED: _l("merged into another record"),
}


class RefugeeFilterForm(FilterForm):
    """The coordinator's search, in the order of the page."""

    q = StringField(_l("Name, phone or user name"), validators=[Optional(), Length(max=100)])
    locality = SelectField(_l("Place"), validators=[Optional()])
    language = SelectField(_l("Language"), validators=[Optional()])
    need = SelectField(_l("Need"), validators=[Optional()])
    status = SelectField(
        _l("Status"), choices=optional_choice(REFUGEE_STATUS_LABELS, _l("all but merged")), validators=[Optional()]
    )
    children = BooleanField(_l("Households with children"))
    unmatched = BooleanField(_l("Without a sponsorship"))
    submit = SubmitField(_l("Filter"))


class HandOverForm(BaseForm):
    """A refugee who moved: their new place, and a note for whoever takes over."""

    locality_id = SelectField(_l("New place"), validators=[DataRequired()])
    note = TextAreaField(_l("Note for the new coordination"), validators=[DataRequired(), Length(max=1000)])
    submit = SubmitField(_l("Hand over"))


class MergeForm(BaseForm):
    duplicate_id = id_field()
    submit = SubmitField(_l("Merge into this record"))
