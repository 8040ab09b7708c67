"""Forms for working groups: the group itself, confirming proposals, decisions on members."""

import re

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, SelectField, StringField, SubmitField, TextAreaField, TimeField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from app.filters import FilterForm
from app.forms import SLUG_MESSAGE, SLUG_PATTERN, BaseForm, MultiCheckboxField, options
from app.models import QuotaKind

QUOTA_ITEM = re.compile(r"^\s*([a-z0-9_-]+)\s*:\s*(\d+)\s*$")
MAX_MEMBERS = 5000
"""Members of a group at most, and so the largest quota (the engine refuses numbers beyond any group's)."""


def parse_quotas(text: str) -> list[tuple[str, int]]:
    """``"ar: 3, fa: 2"`` → ``[("ar", 3), ("fa", 2)]``; raises ValueError on anything else."""
    items = []
    for part in filter(str.strip, (text or "").split(",")):
        match = QUOTA_ITEM.match(part.lower())
        if match is None:
            raise ValueError(part)
        items.append((match.group(1), int(match.group(2))))
    return items


class QuotaField(StringField):
    """Quotas typed as ``key: number, key: number``; ``known`` says which keys exist."""

    def __init__(self, label, kind: QuotaKind, **kwargs):
        super().__init__(label, **kwargs)
        self.kind = kind
        self.known: set[str] = set()

    def pre_validate(self, form):
        try:
            items = parse_quotas(self.data)
        except ValueError as error:
            raise ValidationError(_l("Please write quotas as “key: number”, separated by commas.")) from error
        unknown = [key for key, _ in items if key not in self.known]
        if unknown:
            raise ValidationError(_l("Unknown: %(keys)s", keys=", ".join(unknown)))
        if len({key for key, _ in items}) != len(items):
            raise ValidationError(_l("Each key only once, please."))
        if any(minimum > MAX_MEMBERS for _, minimum in items):
            raise ValidationError(_l("Please enter a number between %(min)s and %(max)s.", min=0, max=MAX_MEMBERS))

    @property
    def quotas(self) -> list[tuple[QuotaKind, str, int]]:
        return [(self.kind, key, minimum) for key, minimum in parse_quotas(self.data) if minimum > 0]


class GroupForm(BaseForm):
    slug = StringField(
        _l("Identifier"),
        description=_l("Short and permanent, e.g. interpreting-pool. Used on the command line."),
        validators=[InputRequired(), Length(max=40), Regexp(SLUG_PATTERN, message=SLUG_MESSAGE)],
    )
    name = StringField(_l("Name of the group"), validators=[InputRequired(), Length(max=120)])
    description = TextAreaField(_l("What the group does"), validators=[Length(max=2000)])
    parent_id = SelectField(_l("Part of"), coerce=str, default="")
    requires_offer = SelectField(_l("Members offer this activity"), default="")
    capacity = IntegerField(
        _l("Members at most"), default=20, validators=[InputRequired(), NumberRange(1, MAX_MEMBERS)]
    )
    language_quotas = QuotaField(
        _l("Language quotas"),
        QuotaKind.LANGUAGE,
        description=_l("Members speaking a language at B2 or better, e.g. “ar: 3, fa: 2, ti: 1”."),
    )
    locality_quotas = QuotaField(
        _l("Place quotas"),
        QuotaKind.LOCALITY,
        description=_l("Members living in a place, e.g. “warstein: 2, ruethen: 1”."),
    )
    meeting_rhythm = StringField(_l("Meeting rhythm, in words"), validators=[Length(max=200)])
    meeting_place = StringField(_l("Meeting place"), validators=[Length(max=200)])
    first_meeting_on = DateField(_l("Next meeting on"), validators=[Optional()])
    meeting_time = TimeField(_l("at"), validators=[Optional()])
    meeting_minutes = IntegerField(
        _l("Duration (minutes)"), default=120, validators=[InputRequired(), NumberRange(15, 600)]
    )
    meeting_every_weeks = IntegerField(_l("Every how many weeks"), validators=[Optional(), NumberRange(1, 52)])
    submit = SubmitField(_l("Save"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # On the whole form: Optional() would stop a field validator on an empty time.
        if bool(self.meeting_time.data) != bool(self.first_meeting_on.data):
            self.meeting_time.errors.append(_l("Please give both the date and the time of the meeting, or neither."))
            return False
        return valid


class ConfirmProposalsForm(BaseForm):
    volunteers = MultiCheckboxField(_l("Proposed members"))
    submit = SubmitField(_l("Add the ticked volunteers"))


class DecisionForm(BaseForm):
    decision = SelectField(
        choices=options((decision, decision) for decision in ("accept", "remove", "lead", "no-lead"))
    )
    submit = SubmitField()


class MemberPagesForm(FilterForm):
    """No filters: the member list's pages link to the same group (``FilterForm.page_url``)."""
