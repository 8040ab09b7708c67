"""The coordinators' refugee search and the merge of duplicates."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, SubmitField
from wtforms.validators import Length, Optional

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


class MergeForm(BaseForm):
    duplicate_id = id_field()
    submit = SubmitField(_l("Merge into this record"))
