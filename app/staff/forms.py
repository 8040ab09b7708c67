"""Forms for organisations, areas, invitations and staff access."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, EmailField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional

from app.forms import BaseForm, MultiCheckboxField, NewPasswordMixin, choices_of
from app.models import OrganisationKind, StaffRole

ORGANISATION_KIND_LABELS = {
    OrganisationKind.MUNICIPALITY: _l("municipality"),
    OrganisationKind.DISTRICT_OFFICE: _l("district office"),
    OrganisationKind.WELFARE: _l("welfare organisation"),
    OrganisationKind.INITIATIVE: _l("volunteer initiative"),
    OrganisationKind.OTHER: _l("other"),
}

STAFF_ROLE_LABELS = {
    StaffRole.COORDINATOR: _l("coordinator"),
    StaffRole.ORG_ADMIN: _l("organisation admin (also manages the staff)"),
}


class OrganisationForm(BaseForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=120)])
    kind = SelectField(_l("Kind"), choices=choices_of(ORGANISATION_KIND_LABELS))
    email = EmailField(_l("E-mail address"), validators=[Optional(), Email(), Length(max=254)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    address = TextAreaField(_l("Postal address"), validators=[Optional(), Length(max=500)])
    website = StringField(_l("Website"), validators=[Optional(), Length(max=200)])
    logo = FileField(
        _l("Logo"), description=_l("PNG or JPEG, at most 200 KB; printed on the organisation's documents.")
    )
    submit = SubmitField(_l("Save"))


class AreaForm(BaseForm):
    name = StringField(_l("Name of the area"), validators=[InputRequired(), Length(max=120)])
    places = MultiCheckboxField(_l("Places"), validators=[DataRequired(_l("Please choose at least one place."))])
    submit = SubmitField(_l("Save"))


class AccessForm(BaseForm):
    """Role and areas of a membership; the choices are what the person filling it in may give."""

    role = SelectField(_l("Role"), choices=choices_of(STAFF_ROLE_LABELS))
    areas = MultiCheckboxField(_l("Areas"), coerce=int)
    whole_installation = BooleanField(_l("Responsible for the whole district (district office)"))
    submit = SubmitField(_l("Save"))


class InvitationForm(AccessForm):
    organisation = SelectField(_l("Organisation"), coerce=int)
    full_name = StringField(_l("Name"), validators=[InputRequired(), Length(max=120)])
    email = EmailField(_l("E-mail address"), validators=[InputRequired(), Email(), Length(max=254)])
    submit = SubmitField(_l("Send the invitation"))


class JoinForm(NewPasswordMixin, BaseForm):
    full_name = StringField(_l("Your name"), validators=[InputRequired(), Length(max=120)])
    submit = SubmitField(_l("Open my account"))
