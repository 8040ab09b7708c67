"""Registration of refugees and households: by themselves on a phone, or by coordination."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    FieldList,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from app.consents import REFUGEE_CONSENTS
from app.forms import (
    GENDER_LABELS,
    LEVEL_LABELS,
    BaseForm,
    LanguagesForm,
    MultiCheckboxField,
    NewPasswordMixin,
    PhoneField,
    SubForm,
    YearRange,
    interests_field,
    optional_choice,
    options,
    place_field,
    slots_field,
    strip_whitespace,
    travel_km_field,
)
from app.models import ConsentPurpose, Relation, ResidenceStatus

MAX_HOUSEHOLD = 20
MAX_TRAVEL_KM = 100
FREE_TEXT_MAX = 1000

RELATION_LABELS = {
    Relation.PARTNER: _l("wife or husband, partner"),
    Relation.CHILD: _l("child"),
    Relation.PARENT: _l("mother or father"),
    Relation.SIBLING: _l("sister or brother"),
    Relation.OTHER: _l("other relative"),
}
RESIDENCE_LABELS = {
    ResidenceStatus.ASYLUM_PENDING: _l("asylum procedure running (Aufenthaltsgestattung)"),
    ResidenceStatus.TOLERATED: _l("tolerated stay (Duldung)"),
    ResidenceStatus.RECOGNISED: _l("recognised (residence permit)"),
    ResidenceStatus.TEMPORARY_PROTECTION: _l("temporary protection (for example from Ukraine)"),
    ResidenceStatus.OTHER: _l("other"),
}
GERMAN_LABELS = {"": _l("no German yet"), **LEVEL_LABELS}
del GERMAN_LABELS["native"]


def name_field() -> StringField:
    return StringField(
        _l("Name"),
        filters=[strip_whitespace],
        validators=[
            DataRequired(_l("Please write your name.")),
            Length(max=120, message=_l("At most %(max)d characters.", max=120)),
        ],
    )


class AccountForm(NewPasswordMixin, BaseForm):
    full_name = name_field()
    phone = PhoneField(_l("Phone number"), filters=[strip_whitespace], validators=[Length(max=30)])
    username = StringField(
        _l("User name (if you have no phone number)"),
        filters=[strip_whitespace],
        validators=[
            Optional(),
            Length(min=3, max=40),
            Regexp(r"^[A-Za-z0-9._-]+$", message=_l("Only letters a–z, digits, dot, - and _.")),
        ],
    )
    email = EmailField(
        _l("E-mail (optional)"),
        filters=[strip_whitespace],
        validators=[Optional(), Length(max=254), Email(_l("This is not a valid e-mail address."))],
    )
    consent_matching = BooleanField(
        REFUGEE_CONSENTS[ConsentPurpose.MATCHING].text,
        validators=[InputRequired(_l("Without this consent we cannot look for help."))],
    )
    submit = SubmitField(_l("Create account"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # Checked on the whole form: Optional() would stop a field validator on an empty user name.
        if not (self.phone.data or self.username.data or self.email.data):
            self.username.errors.append(_l("Please give a phone number or choose a user name, so that you can log in."))
            return False
        return valid


class AssistedIntakeForm(BaseForm):
    full_name = name_field()
    phone = PhoneField(_l("Phone number (optional)"), filters=[strip_whitespace], validators=[Length(max=30)])
    language = SelectField(_l("Language for the slip and the pages"))
    consent_matching = BooleanField(
        _l(
            "The person agrees that we store the answers to find volunteers (I explained it in a language "
            "the person understands)."
        ),
        validators=[InputRequired(_l("Without this consent we may not register the person."))],
    )
    submit = SubmitField(_l("Register and continue"))


class MemberForm(SubForm):
    relation = SelectField(_l("Who?"), choices=optional_choice(RELATION_LABELS, _l("Please choose")), default="")
    age = IntegerField(
        _l("Age"), validators=[Optional(), NumberRange(0, 110, message=_l("Please enter an age between 0 and 110."))]
    )


class HouseholdForm(BaseForm):
    gender = SelectField(_l("You are"), choices=optional_choice(GENDER_LABELS, _l("I prefer not to say")), default="")
    birth_year = IntegerField(
        _l("Your year of birth"), validators=[InputRequired(_l("Please enter your year of birth.")), YearRange(10, 100)]
    )
    members = FieldList(FormField(MemberForm), min_entries=1)
    add_row = SubmitField(_l("Add a person"))
    submit = SubmitField(_l("Save and continue"))

    def validate_members(self, field):
        filled = 0
        for entry in field.entries:
            relation, age = entry.form.relation.data, entry.form.age.data
            if not relation and age is None:
                continue
            filled += 1
            if not relation:
                entry.form.relation.errors.append(_l("Who is this person?"))
            if age is None and not entry.form.age.errors:
                entry.form.age.errors.append(_l("Please enter the age."))
        if filled + 1 > MAX_HOUSEHOLD:
            raise ValidationError(
                _l(
                    "A household here has at most %(max)d people. For a larger group, please "
                    "talk to the coordination office.",
                    max=MAX_HOUSEHOLD,
                )
            )
        if any(entry.form.errors for entry in field.entries):
            raise ValidationError(_l("Please correct the marked people."))

    def member_rows(self) -> list[tuple[str, int]]:
        return [
            (entry.form.relation.data, entry.form.age.data)
            for entry in self.members.entries
            if entry.form.relation.data
        ]


class RefugeeLanguagesForm(LanguagesForm):
    german_level = SelectField(_l("How well do you speak German?"), choices=options(GERMAN_LABELS.items()), default="")

    def check_language(self, entry, code: str) -> None:
        if code == "de":
            entry.form.language.errors.append(_l("Please give your German below, not in this list."))


class NeedsForm(BaseForm):
    needs = MultiCheckboxField(_l("What would help you?"))
    urgent = MultiCheckboxField(_l("Urgent"))
    submit = SubmitField(_l("Save and continue"))

    def validate_needs(self, field):
        if not field.data and not self.urgent.data:
            raise ValidationError(_l("Please choose at least one thing."))

    def chosen(self) -> dict[str, bool]:
        """Need key → urgent; ticking 'urgent' alone also means the need."""
        return {key: key in self.urgent.data for key in dict.fromkeys([*self.needs.data, *self.urgent.data])}


class TimePlaceForm(BaseForm):
    locality_id = place_field(_l("Where do you live?"))
    travel_km = travel_km_field(_l("How far can you go to meet someone? (km)"), MAX_TRAVEL_KM)
    slots = slots_field(_l("When do you have time?"))
    submit = SubmitField(_l("Save and continue"))


class PreferencesForm(BaseForm):
    preferred_mentor_gender = SelectField(
        _l("Would you prefer a woman or a man to help you?"),
        choices=optional_choice(
            {"f": _l("a woman"), "m": _l("a man"), "d": _l("a diverse person")}, _l("no preference")
        ),
        default="",
    )
    interests = interests_field(
        _l("What do you like to do? (optional)"), description=_l("Tick what you like. It helps to find a good match.")
    )
    interests_note = TextAreaField(
        _l("Something else? Write it in your words. (optional)"),
        description=_l("Only the coordination office reads this."),
        validators=[Length(max=FREE_TEXT_MAX, message=_l("At most %(max)d characters."))],
    )
    # Radio buttons, since a drop-down cuts long statuses ("asylum procedure running (Aufenthaltsgestattung)")
    # on a phone; none ticked (an old form) means "I do not want to say".
    residence_status = RadioField(
        _l("Residence status (voluntary)"),
        choices=optional_choice(RESIDENCE_LABELS, _l("I do not want to say")),
        default="",
        filters=[lambda status: status or ""],
    )
    consent_residence_status = BooleanField(REFUGEE_CONSENTS[ConsentPurpose.RESIDENCE_STATUS].text)
    protection_notes = TextAreaField(
        _l("Special protection needs, for coordination only (voluntary)"),
        description=_l("For example health, disability, safety. Only coordinators read this."),
        validators=[Length(max=FREE_TEXT_MAX, message=_l("At most %(max)d characters."))],
    )
    consent_protection_needs = BooleanField(REFUGEE_CONSENTS[ConsentPurpose.PROTECTION_NEEDS].text)
    submit = SubmitField(_l("Finish"))

    def validate_consent_residence_status(self, field):
        if self.residence_status.data and not field.data:
            raise ValidationError(_l("Please tick the consent, or choose “I do not want to say”."))

    def validate_consent_protection_needs(self, field):
        if (self.protection_notes.data or "").strip() and not field.data:
            raise ValidationError(_l("Please tick the consent, or leave the notes empty."))


class AccessCodeForm(BaseForm):
    code = StringField(
        _l("Your access code"),
        filters=[strip_whitespace],
        validators=[DataRequired(_l("Please enter the code from your slip.")), Length(max=40)],
    )
    submit = SubmitField(_l("Log in"))
