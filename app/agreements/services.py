"""Sponsorship agreements from draft to end: parties' consent, approval without overbooking, check-ins, reminders."""

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, and_, case, false, func, or_, select, true
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import selectinload

from app import audit, policies
from app.errors import DomainError
from app.extensions import db
from app.models import (
    HOLDING_STATUSES,
    Agreement,
    AgreementStatus,
    CheckIn,
    HelpCategory,
    Organisation,
    Proposal,
    ProposalStatus,
    RefugeeProfile,
    User,
    VolunteerProfile,
    VolunteerStatus,
    utcnow,
)
from app.notifications.services import existing_keys, notify, settle
from app.outbox.services import on_delivered, undelivered
from app.policies import party_of
from app.staff.services import issuing_organisation

SIX_MONTHS = 182
SCHOOL_YEAR_ENDS = (7, 31)  # education sponsorships run one school year


class AgreementError(DomainError, abstract=True):
    """A change of an agreement that the rules do not allow."""


class AgreementNotDraft(AgreementError):
    message = _l("This agreement is no longer a draft; perhaps it changed in another window.")


class NotAParty(AgreementError):
    message = _l("Only the people of this sponsorship can do that.")


class NotAnAlternative(AgreementError):
    message = _l("This person is not among the alternatives.")


class VolunteerFull(AgreementError):
    message = _l("This volunteer has no free place left.")


class RefugeeInAgreement(AgreementError):
    """A proposal is accepted for someone who has a sponsorship or a draft being agreed."""

    message = _l("This person already has a sponsorship or one being agreed.")


class RefugeeSponsored(AgreementError):
    """Approval found the person's confirmed sponsorship (the unique index said no)."""

    message = _l("This person already has a confirmed sponsorship. Nothing was changed.")


class NotAgreed(AgreementError):
    message = _l("Both sides must agree before the agreement can be approved.")


class EndBeforeStart(AgreementError):
    message = _l("The end must come after the start.")


class NotRunning(AgreementError):
    message = _l("Only confirmed or active sponsorships can do that.")


class NotCancellable(AgreementError):
    message = _l("Only drafts and confirmed agreements can be cancelled.")


class NotRenewable(AgreementError):
    message = _l("Only active or ended sponsorships can be renewed.")


class CheckInDate(AgreementError):
    message = _l("The date must lie between the start of the sponsorship and today.")


def default_term(starts_on: date, focus: list[HelpCategory]) -> date:
    """Six months; for an education sponsorship until the end of the school year."""
    if any(category.key == "education_sponsorship" for category in focus):
        end = date(starts_on.year, *SCHOOL_YEAR_ENDS)
        return end if end > starts_on + timedelta(days=60) else date(starts_on.year + 1, *SCHOOL_YEAR_ENDS)
    return starts_on + timedelta(days=SIX_MONTHS)


def _open_draft_for(refugee_id: int) -> bool:
    return (
        db.session.scalar(
            select(Agreement.id).where(
                Agreement.refugee_id == refugee_id,
                Agreement.status.in_([AgreementStatus.DRAFT, *HOLDING_STATUSES]),
            )
        )
        is not None
    )


def _ask_parties(agreement: Agreement, volunteers: list[VolunteerProfile] | None = None) -> None:
    """Tell the parties (or only ``volunteers``) that a draft waits for their yes or no."""
    if volunteers is None:
        notify(agreement.refugee.user, "proposal_waiting", agreement=agreement.id)
    for volunteer in agreement.volunteers if volunteers is None else volunteers:
        notify(volunteer.user, "sponsorship_proposed", agreement=agreement.id)


def _notify_parties(agreement: Agreement, kind: str) -> None:
    for party in [v.user for v in agreement.volunteers] + [agreement.refugee.user]:
        notify(party, kind, agreement=agreement.id)


def draft_from_proposal(proposal: Proposal, actor: User, volunteer: VolunteerProfile | None = None) -> Agreement:
    """Accept a proposal: a draft agreement that the parties are asked to agree to."""
    if _open_draft_for(proposal.refugee_id):
        raise RefugeeInAgreement()
    volunteer = volunteer or proposal.volunteer
    offered = {c.key for c in volunteer.offers}
    focus = [need.category for need in proposal.refugee.needs if need.category_key in offered]
    today = date.today()
    agreement = Agreement(
        refugee=proposal.refugee,
        volunteer=volunteer,
        proposal=proposal,
        contact_person=actor,
        starts_on=today,
        ends_on=default_term(today, focus),
        focus=focus,
    )
    proposal.status, proposal.decided_by, proposal.decided_at = ProposalStatus.ACCEPTED, actor, utcnow()
    db.session.add(agreement)
    db.session.flush()
    audit.record("agreement.drafted", agreement, actor=actor, proposal=proposal.id)
    _ask_parties(agreement)
    db.session.commit()
    return agreement


def naming(user: User) -> ColumnElement[bool]:
    """A condition on ``Agreement``: those that name one of ``user``'s profiles (``party_of`` says as what).

    The pages of a refugee or volunteer ask the database for these; every agreement of the installation
    sifted in Python made their own pages cost more the more sponsorships a district had."""
    named = []
    if user.refugee_profile is not None:
        named.append(Agreement.refugee_id == user.refugee_profile.id)
    if user.volunteer_profile is not None:
        volunteer_id = user.volunteer_profile.id
        named += [Agreement.volunteer_id == volunteer_id, Agreement.second_volunteer_id == volunteer_id]
    return or_(*named) if named else false()


def agreements_of(user: User) -> list[Agreement]:
    """Every sponsorship ``user`` is a party to, newest first."""
    statement = select(Agreement).where(naming(user)).order_by(Agreement.created_at.desc())
    return [agreement for agreement in db.session.scalars(statement) if party_of(agreement, user)]


def standing_of(user: User) -> tuple[list[Agreement], list[Agreement]]:
    """What ``user``'s sponsorships wait for: (drafts waiting for their yes or no, drafts they said yes to
    and confirmed or active sponsorships)."""
    waiting, under_way = [], []
    for agreement in db.session.scalars(
        select(Agreement)
        .where(Agreement.status.in_([AgreementStatus.DRAFT, *HOLDING_STATUSES]), naming(user))
        .order_by(Agreement.created_at)
    ):
        party = party_of(agreement, user)
        if party is None:
            continue
        answered = agreement.status != AgreementStatus.DRAFT or getattr(agreement, f"{party}_agreed_at")
        (under_way if answered else waiting).append(agreement)
    return waiting, under_way


def _require_draft(agreement: Agreement) -> None:
    if agreement.status != AgreementStatus.DRAFT:
        raise AgreementNotDraft()


def agree(agreement: Agreement, user: User) -> None:
    """A party agrees to the draft; their consent is recorded with the time."""
    _require_draft(agreement)
    party = party_of(agreement, user)
    if party is None:
        raise NotAParty()
    setattr(agreement, f"{party}_agreed_at", getattr(agreement, f"{party}_agreed_at") or utcnow())
    audit.record("agreement.party_agreed", agreement, actor=user, party=party)
    settle(user, agreement.id)
    if agreement.all_agreed and agreement.contact_person:
        notify(agreement.contact_person, "agreement_to_confirm", agreement=agreement.id)
    db.session.commit()


def decline(agreement: Agreement, user: User, reason: str) -> None:
    """A party says no: the draft is cancelled and this pair is never proposed again."""
    _require_draft(agreement)
    party = party_of(agreement, user)
    if party is None:
        raise NotAParty()
    agreement.status, agreement.end_reason = AgreementStatus.CANCELLED, reason.strip()
    if agreement.proposal is not None:
        agreement.proposal.status = ProposalStatus.DECLINED
    audit.record("agreement.party_declined", agreement, actor=user, party=party)
    settle(user, agreement.id)
    if agreement.contact_person:
        notify(agreement.contact_person, "proposal_declined", agreement=agreement.id)
    db.session.commit()


def _same_terms(agreement: Agreement) -> dict:
    """What a follow-up agreement (another volunteer, or a renewal) takes over unchanged."""
    return {
        "refugee_id": agreement.refugee_id,
        "focus": list(agreement.focus),
        "meetings_per_month": agreement.meetings_per_month,
        "hours_per_meeting": agreement.hours_per_meeting,
    }


def places_left(volunteer: VolunteerProfile) -> int:
    """Capacity minus sponsorships that hold a place or are being agreed."""
    taken = db.session.scalar(
        select(func.count(Agreement.id)).where(
            or_(Agreement.volunteer_id == volunteer.id, Agreement.second_volunteer_id == volunteer.id),
            Agreement.status.in_([AgreementStatus.DRAFT, *HOLDING_STATUSES]),
        )
    )
    return volunteer.capacity - taken


def pick_alternative(agreement: Agreement, user: User, volunteer_profile_id: int) -> Agreement:
    """The refugee prefers one of the alternatives: a new draft with that volunteer, already agreed by them."""
    _require_draft(agreement)
    if party_of(agreement, user) != "refugee" or agreement.proposal is None:
        raise NotAParty()
    if volunteer_profile_id not in {alt["volunteer"] for alt in agreement.proposal.alternatives}:
        raise NotAnAlternative()
    volunteer = db.session.get(VolunteerProfile, volunteer_profile_id, with_for_update=True)
    if volunteer is None or places_left(volunteer) < 1:
        raise VolunteerFull()
    agreement.status, agreement.end_reason = AgreementStatus.CANCELLED, "alternative chosen"
    agreement.proposal.status = ProposalStatus.DECLINED
    replacement = Agreement(
        **_same_terms(agreement),
        volunteer=volunteer,
        proposal=agreement.proposal,
        contact_person_id=agreement.contact_person_id,
        starts_on=agreement.starts_on,
        ends_on=agreement.ends_on,
        refugee_agreed_at=utcnow(),
    )
    db.session.add(replacement)
    db.session.flush()
    audit.record("agreement.alternative_chosen", replacement, actor=user, replaces=agreement.id)
    settle(user, agreement.id)
    _ask_parties(replacement, [volunteer])
    db.session.commit()
    return replacement


def update_terms(agreement: Agreement, data: dict, actor: User) -> None:
    """Focus, intensity, term, a second volunteer and the contact person; only while it is a draft."""
    _require_draft(agreement)
    if data["ends_on"] <= data["starts_on"]:
        raise EndBeforeStart()
    second = data["second_volunteer"]
    if second is not None and (
        second.id == agreement.volunteer_id or (second.id != agreement.second_volunteer_id and places_left(second) < 1)
    ):
        raise VolunteerFull()
    if second is None or second.id != agreement.second_volunteer_id:
        agreement.second_volunteer_agreed_at = None
    agreement.second_volunteer = second
    agreement.focus = data["focus"]
    for name in ("meetings_per_month", "hours_per_meeting", "starts_on", "ends_on"):
        setattr(agreement, name, data[name])
    audit.record("agreement.terms_changed", agreement, actor=actor)
    db.session.commit()


def approve(agreement: Agreement, actor: User) -> None:
    """Coordination approves an agreed draft, without ever overbooking a volunteer or a person.

    The volunteers' rows are locked (SELECT … FOR UPDATE on PostgreSQL) while
    their places are counted, so that two coordinators approving at the same
    moment are served one after the other; a second confirmed sponsorship for
    one refugee is refused by a unique index in the database itself.
    """
    _require_draft(agreement)
    if not agreement.all_agreed:
        raise NotAgreed()
    try:
        for volunteer in agreement.volunteers:
            db.session.get(VolunteerProfile, volunteer.id, with_for_update=True, populate_existing=True)
            holding = db.session.scalar(
                select(func.count(Agreement.id)).where(
                    or_(Agreement.volunteer_id == volunteer.id, Agreement.second_volunteer_id == volunteer.id),
                    Agreement.status.in_(HOLDING_STATUSES),
                )
            )
            if holding >= volunteer.capacity:
                raise VolunteerFull()
        agreement.status = AgreementStatus.ACTIVE if agreement.starts_on <= date.today() else AgreementStatus.CONFIRMED
        agreement.approved_by, agreement.approved_at = actor, utcnow()
        db.session.flush()
    except AgreementError:
        db.session.rollback()
        raise
    except (IntegrityError, OperationalError) as error:  # the unique index, or SQLite's lock, said no
        db.session.rollback()
        raise RefugeeSponsored() from error
    audit.record("agreement.approved", agreement, actor=actor)
    _notify_parties(agreement, "sponsorship_confirmed")
    db.session.commit()


def end(agreement: Agreement, reason: str, actor: User) -> None:
    if agreement.status not in HOLDING_STATUSES:
        raise NotRunning()
    agreement.status, agreement.end_reason, agreement.ended_on = AgreementStatus.ENDED, reason.strip(), date.today()
    audit.record("agreement.ended", agreement, actor=actor)
    db.session.commit()


def cancel(agreement: Agreement, reason: str, actor: User) -> None:
    if agreement.status not in (AgreementStatus.DRAFT, AgreementStatus.CONFIRMED):
        raise NotCancellable()
    agreement.status, agreement.end_reason = AgreementStatus.CANCELLED, reason.strip()
    audit.record("agreement.cancelled", agreement, actor=actor)
    db.session.commit()


def renew(agreement: Agreement, actor: User) -> Agreement:
    """A follow-up draft with the same parties and terms, starting the day after this one ends."""
    if agreement.status not in (AgreementStatus.ACTIVE, AgreementStatus.ENDED):
        raise NotRenewable()
    starts = agreement.ends_on + timedelta(days=1)
    renewal = Agreement(
        **_same_terms(agreement),
        volunteer_id=agreement.volunteer_id,
        second_volunteer_id=agreement.second_volunteer_id,
        contact_person=actor,
        starts_on=starts,
        ends_on=starts + (agreement.ends_on - agreement.starts_on),
        renewal_of=agreement,
    )
    db.session.add(renewal)
    db.session.flush()
    audit.record("agreement.renewal_drafted", renewal, actor=actor, renews=agreement.id)
    db.session.commit()
    return renewal


def add_check_in(agreement: Agreement, user: User, happened_on: date, note: str) -> CheckIn:
    if agreement.status not in HOLDING_STATUSES:
        raise NotRunning()
    if happened_on > date.today() or happened_on < agreement.starts_on:
        raise CheckInDate()
    check_in = CheckIn(agreement=agreement, author=user, happened_on=happened_on, note=note.strip())
    db.session.add(check_in)
    audit.record("agreement.check_in", agreement, actor=user)
    db.session.commit()
    return check_in


def last_sign_of_life(agreement: Agreement) -> date:
    return max([agreement.starts_on, *(c.happened_on for c in agreement.check_ins)])


def last_sign_of_life_sql() -> ColumnElement[date]:
    """``last_sign_of_life`` as a column of a query on ``Agreement``: pages that list or count many
    sponsorships ask the database for the latest check-in instead of loading every agreement's check-ins."""
    latest = select(func.max(CheckIn.happened_on)).where(CheckIn.agreement_id == Agreement.id).scalar_subquery()
    return case((latest > Agreement.starts_on, latest), else_=Agreement.starts_on)


def inactive(today: date | None = None) -> ColumnElement[bool]:
    """A condition on ``Agreement``: active, and no sign of life (its start or a check-in) for
    ``CHECK_IN_WEEKS``; the database decides it from the indexes, no check-in is loaded."""
    limit = (today or date.today()) - timedelta(weeks=current_app.config["CHECK_IN_WEEKS"])
    return and_(
        Agreement.status == AgreementStatus.ACTIVE,
        Agreement.starts_on < limit,
        ~Agreement.check_ins.any(CheckIn.happened_on >= limit),
    )


def inactive_agreements(today: date | None = None, within: ColumnElement[bool] | None = None) -> list[Agreement]:
    """Active sponsorships (``within``: a condition on them, a scope) without a check-in for ``CHECK_IN_WEEKS``,
    the longest silent first."""
    return list(
        db.session.scalars(
            select(Agreement)
            .where(inactive(today), within if within is not None else true())
            .order_by(last_sign_of_life_sql(), Agreement.id)
        )
    )


# What the detail page shows of an agreement, loaded with it in a constant number of queries.
DETAIL_LOADS = (
    selectinload(Agreement.refugee).selectinload(RefugeeProfile.user),
    selectinload(Agreement.volunteer).selectinload(VolunteerProfile.user),
    selectinload(Agreement.second_volunteer).selectinload(VolunteerProfile.user),
    selectinload(Agreement.check_ins).selectinload(CheckIn.author),
    selectinload(Agreement.focus),
)


def agreement_list(user: User, status: str) -> Select:
    """The sponsorships in ``user``'s scope (of one status, if given) with the names the list shows."""
    stmt = (
        select(Agreement)
        .where(policies.agreements_in_scope(user))
        .options(
            selectinload(Agreement.refugee).selectinload(RefugeeProfile.user),
            selectinload(Agreement.volunteer).selectinload(VolunteerProfile.user),
            selectinload(Agreement.second_volunteer).selectinload(VolunteerProfile.user),
        )
        .order_by(Agreement.status, Agreement.ends_on, Agreement.id)
    )
    return stmt.where(Agreement.status == AgreementStatus(status)) if status else stmt


def inactive_among(agreements: list[Agreement]) -> set[int]:
    """Which of ``agreements`` (one page of the list) have had no sign of life for too long."""
    ids = [a.id for a in agreements if a.status == AgreementStatus.ACTIVE]
    if not ids:
        return set()
    return set(db.session.scalars(select(Agreement.id).where(Agreement.id.in_(ids), inactive())))


def second_volunteer_options(agreement: Agreement, user: User) -> list[tuple[int, str]]:
    """Active volunteers in ``user``'s scope who could join ``agreement`` as second volunteer, by name: those
    with a free place (``update_terms`` refuses the others) and the one chosen already. Only (id, name)
    pairs are read, no profile is loaded."""
    taken = (
        select(func.count(Agreement.id))
        .where(
            or_(Agreement.volunteer_id == VolunteerProfile.id, Agreement.second_volunteer_id == VolunteerProfile.id),
            Agreement.status.in_([AgreementStatus.DRAFT, *HOLDING_STATUSES]),
        )
        .correlate(VolunteerProfile)
        .scalar_subquery()
    )
    return list(
        db.session.execute(
            select(VolunteerProfile.id, User.full_name)
            .join(VolunteerProfile.user)
            .where(
                VolunteerProfile.status == VolunteerStatus.ACTIVE,
                VolunteerProfile.id != agreement.volunteer_id,
                policies.volunteers_in_scope(user),
                or_(VolunteerProfile.capacity > taken, VolunteerProfile.id == agreement.second_volunteer_id),
            )
            .order_by(User.full_name, VolunteerProfile.id)
        )
    )


REMINDER_TOPIC = "agreement_ending"


def _reminder_recipients(agreement: Agreement) -> list[User]:
    return [v.user for v in agreement.volunteers] + ([agreement.contact_person] if agreement.contact_person else [])


def _reminder_key(agreement: Agreement, user: User) -> str:
    return f"{REMINDER_TOPIC}:{agreement.id}:{user.id}"


def daily(today: date | None = None) -> dict[str, int]:
    """Start sponsorships whose start date has come; remind parties of those about to end.

    A reminder counts as sent only when its messages are delivered (``reminded``
    below); until then the agreement stays due, and the inbox entries' keys keep a
    second daily run from writing the same reminder twice. A reminder that goes
    only to inboxes (nobody chose mail or SMS) counts as sent at once.
    """
    today = today or date.today()
    started = 0
    for agreement in db.session.scalars(
        select(Agreement).where(Agreement.status == AgreementStatus.CONFIRMED, Agreement.starts_on <= today)
    ):
        agreement.status = AgreementStatus.ACTIVE
        started += 1
    horizon = today + timedelta(days=current_app.config["END_REMINDER_DAYS"])
    due = db.session.scalars(
        select(Agreement).where(
            Agreement.status == AgreementStatus.ACTIVE,
            Agreement.ends_on <= horizon,
            Agreement.reminder_sent_at.is_(None),
        )
    ).all()
    queued = 0
    for agreement in due:
        recipients = _reminder_recipients(agreement)
        written = existing_keys([_reminder_key(agreement, user) for user in recipients])
        new = [user for user in recipients if _reminder_key(agreement, user) not in written]
        for user in new:
            notify(
                user,
                "sponsorship_ending",
                dedupe_key=_reminder_key(agreement, user),
                topic=REMINDER_TOPIC,
                topic_id=agreement.id,
                agreement=agreement.id,
                end=agreement.ends_on,
            )
        queued += bool(new)
        db.session.flush()
        if not undelivered(REMINDER_TOPIC, agreement.id):
            agreement.reminder_sent_at = utcnow()  # nothing to deliver: nothing to wait for
    db.session.commit()
    return {"started": started, "reminded": queued}


@on_delivered(REMINDER_TOPIC)
def reminded(agreement_id: int) -> None:
    """The reminder of an agreement counts as sent once every one of its mails is delivered."""
    if not undelivered(REMINDER_TOPIC, agreement_id):
        agreement = db.session.get(Agreement, agreement_id)
        if agreement is not None and agreement.reminder_sent_at is None:
            agreement.reminder_sent_at = utcnow()


def document_languages(agreement: Agreement) -> list[str]:
    """The languages a printed document is written in: German, and the refugee's language beside it."""
    refugee_language = agreement.refugee.user.preferred_language or "de"
    return ["de"] if refugee_language == "de" else ["de", refugee_language]


@dataclass(frozen=True)
class Signatory:
    name: str  # printed under the line; empty where the person signs by hand (coordination)
    roles: list[tuple[str, str]]  # (language, who signs) in each language of the document


def issuer(agreement: Agreement) -> Organisation | None:
    """The organisation that issues the agreement's documents (None: the installation itself)."""
    return issuing_organisation(agreement.refugee.locality_id, agreement.contact_person)


def issuer_name(agreement: Agreement) -> str:
    organisation = issuer(agreement)
    return organisation.name if organisation else current_app.config["INSTALLATION_NAME"]


def signatories(agreement: Agreement, parties: bool = True) -> list[Signatory]:
    """Who signs a printed document, each line labelled in every language of the document: the volunteers and
    the refugee for their household (``parties``), and coordination for the issuing organisation."""
    languages = document_languages(agreement)

    def roles(label) -> list[tuple[str, str]]:
        in_languages = []
        for language in languages:
            with force_locale(language):
                in_languages.append((language, str(label)))
        return in_languages

    lines = []
    if parties:
        lines += [Signatory(v.user.full_name, roles(_l("Volunteer"))) for v in agreement.volunteers]
        lines.append(Signatory(agreement.refugee.user.full_name, roles(_l("Refugee, for the household"))))
    coordinator = agreement.contact_person.full_name if agreement.contact_person else ""
    issuer = issuer_name(agreement)
    lines.append(Signatory(coordinator, roles(_l("Coordination, for %(organisation)s", organisation=issuer))))
    return lines
