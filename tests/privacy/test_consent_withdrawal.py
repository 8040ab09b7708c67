"""Withdrawing a consent takes effect everywhere at once: matching, contact lists, calendars, notifications.

Each test withdraws through the consents page, as the person does, and looks at the place it must reach.
"""

from datetime import date, time

from sqlalchemy import select

from app.consents import set_consent
from app.extensions import db
from app.matching_problem import matchable_volunteers, sponsorship_problem
from app.models import Channel, ConsentPurpose, MatchRun, Notification, OutboxMessage, Proposal, ProposalStatus
from app.notifications.services import notify

ALL_VOLUNTEER_CONSENTS = (ConsentPurpose.MATCHING, ConsentPurpose.CONTACT_LISTS, ConsentPurpose.EMAIL_CONTACT)


def keep_all_but(purpose: ConsentPurpose) -> dict:
    """The consents form with every box ticked except ``purpose`` (an unticked box is not sent)."""
    return {f"consent_{p}": "y" for p in ALL_VOLUNTEER_CONSENTS if p != purpose}


def test_without_consent_to_matching_a_volunteer_leaves_the_problem_and_open_proposals(
    client, login, make_volunteer, make_refugee
):
    volunteer = make_volunteer("Vera Volunteer", email="vera@example.org", consents=ALL_VOLUNTEER_CONSENTS)
    refugee = make_refugee(languages={"ar": "native", "de": "B1"})
    proposal = Proposal(
        run=MatchRun(settings={}, metrics={}),
        volunteer=volunteer.volunteer_profile,
        refugee=refugee.refugee_profile,
        score=0.7,
        reasons=[],
        alternatives=[],
    )
    db.session.add(proposal)
    db.session.commit()
    assert volunteer.volunteer_profile in matchable_volunteers()
    login(client, volunteer)

    client.post("/auth/consents", data=keep_all_but(ConsentPurpose.MATCHING))

    assert volunteer.volunteer_profile not in matchable_volunteers()
    problem = sponsorship_problem()
    assert f"v-{volunteer.volunteer_profile.id}" not in [v["id"] for v in problem["volunteers"]]
    assert proposal.status == ProposalStatus.DECLINED


def test_without_consent_to_contact_lists_a_member_leaves_every_list_and_export(
    client, login, make_volunteer, make_group, coordinator
):
    volunteer = make_volunteer("Vera Volunteer", email="vera@example.org", consents=ALL_VOLUNTEER_CONSENTS)
    group = make_group("interpreting-pool", members=[(volunteer, "active", False)])
    login(client, coordinator)
    assert "vera@example.org" in client.get(f"/groups/{group.id}/contacts.csv").get_data(as_text=True)
    login(client, volunteer)

    client.post("/auth/consents", data=keep_all_but(ConsentPurpose.CONTACT_LISTS))

    login(client, coordinator)
    for page in ("contacts", "contacts.csv", "contacts.vcf", "contacts.csv-semicolon"):
        text = client.get(f"/groups/{group.id}/{page}").get_data(as_text=True)
        assert "vera@example.org" not in text and "Vera Volunteer" not in text, page


def test_calendar_feeds_never_carry_a_member_so_withdrawal_leaves_nothing_behind(
    client, login, make_volunteer, make_group
):
    volunteer = make_volunteer("Vera Volunteer", email="vera@example.org", consents=ALL_VOLUNTEER_CONSENTS)
    group = make_group(
        "interpreting-pool",
        members=[(volunteer, "active", True)],
        first_meeting_on=date.today(),
        meeting_time=time(18, 0),
        meeting_every_weeks=2,
    )
    login(client, volunteer)
    client.post("/auth/consents", data=keep_all_but(ConsentPurpose.CONTACT_LISTS))

    feed = client.get(f"/groups/calendar/{group.calendar_token}.ics").get_data(as_text=True)

    assert "BEGIN:VEVENT" in feed
    assert "Vera" not in feed and "vera@example.org" not in feed


def test_without_consent_to_e_mails_news_comes_by_the_inbox_only(client, login, make_volunteer, draft):
    volunteer = make_volunteer("Vera Volunteer", email="vera2@example.org", consents=ALL_VOLUNTEER_CONSENTS)
    notify(volunteer, "sponsorship_proposed", agreement=draft.id)
    db.session.commit()
    login(client, volunteer)

    client.post("/auth/consents", data=keep_all_but(ConsentPurpose.EMAIL_CONTACT))
    notify(volunteer, "sponsorship_proposed", agreement=draft.id)
    db.session.commit()

    mails = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient_id == volunteer.id, OutboxMessage.channel == Channel.EMAIL)
    ).all()
    entries = db.session.scalars(select(Notification).where(Notification.recipient_id == volunteer.id)).all()
    assert len(mails) == 1 and len(entries) == 2
    set_consent(volunteer, ConsentPurpose.EMAIL_CONTACT, True)  # given again: mails again
    notify(volunteer, "sponsorship_proposed", agreement=draft.id)
    db.session.commit()
    assert (
        len(
            db.session.scalars(
                select(OutboxMessage).where(
                    OutboxMessage.recipient_id == volunteer.id, OutboxMessage.channel == Channel.EMAIL
                )
            ).all()
        )
        == 2
    )
