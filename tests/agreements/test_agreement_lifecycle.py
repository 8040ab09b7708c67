"""Sponsorship agreements from draft to end, through the pages the parties and coordinators use."""

from datetime import date, timedelta

import pytest
from babel.dates import format_date
from sqlalchemy import select

from app.agreements.services import daily, inactive_agreements
from app.jobs.queue import run_ready
from app.matches.services import run_matching
from app.matching_problem import sponsorship_problem
from app.models import Agreement, AgreementStatus, AuditEvent, CheckIn, Proposal, ProposalStatus, Role


@pytest.fixture
def draft(coordinator_client, pair, db):
    coordinator_client.post("/matching/run")
    proposal = db.session.scalar(select(Proposal))
    coordinator_client.post(f"/matching/proposals/{proposal.id}/accept")
    return db.session.scalar(select(Agreement))


def as_user(client, login, user):
    client.post("/auth/logout")
    login(client, user)
    return client


def test_both_sides_agree_then_coordination_approves(client, login, draft, pair, coordinator, db, outbox):
    volunteer, refugee = pair
    as_user(client, login, refugee)
    page = client.get(f"/sponsorships/{draft.id}").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    client.post(f"/sponsorships/{draft.id}/agree")
    as_user(client, login, volunteer)
    client.post(f"/sponsorships/{draft.id}/agree")
    assert draft.all_agreed and draft.status == AgreementStatus.DRAFT

    as_user(client, login, coordinator)
    client.post(f"/sponsorships/{draft.id}/approve")

    db.session.expire_all()
    assert draft.status == AgreementStatus.ACTIVE and draft.approved_by_id == coordinator.id
    assert "Ihre Patenschaft ist bestätigt" in outbox[-1].subject
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"agreement.drafted", "agreement.party_agreed", "agreement.approved"} <= actions


def test_approval_waits_for_both_sides(coordinator_client, draft, db):
    response = coordinator_client.post(f"/sponsorships/{draft.id}/approve", follow_redirects=True)
    assert "Beide Seiten müssen zustimmen" in response.get_data(as_text=True)
    assert draft.status == AgreementStatus.DRAFT


def test_strangers_cannot_see_or_answer(client, login, draft, make_volunteer, make_refugee):
    for stranger in (make_volunteer("Stranger", email="s@example.org"), make_refugee("Other", phone="+4917622222222")):
        as_user(client, login, stranger)
        assert client.get(f"/sponsorships/{draft.id}").status_code == 403
        assert client.post(f"/sponsorships/{draft.id}/agree").status_code == 403


def test_a_party_declines_and_the_pair_is_not_proposed_again(client, login, draft, pair, db):
    as_user(client, login, pair[1])
    client.post(f"/sponsorships/{draft.id}/decline", data={"reason": ""})
    assert draft.status == AgreementStatus.DRAFT
    client.post(f"/sponsorships/{draft.id}/decline", data={"reason": "zu weit weg"})
    db.session.expire_all()
    assert draft.status == AgreementStatus.CANCELLED and draft.proposal.status == ProposalStatus.DECLINED
    assert sponsorship_problem()["excluded"] != []


def test_the_refugee_picks_an_alternative(client, login, coordinator_client, pair, make_volunteer, db):
    otto = make_volunteer(
        "Otto",
        email="otto@example.org",
        languages={"de": "native", "ar": "C1"},
        offers=("mentoring",),
        slots=("tue-afternoon",),
        locality="werl",
    )
    coordinator_client.post("/matching/run")
    proposal = db.session.scalar(select(Proposal))
    coordinator_client.post(f"/matching/proposals/{proposal.id}/accept")
    first = db.session.scalar(select(Agreement))
    as_user(client, login, pair[1])
    assert "Otto" in client.get(f"/sponsorships/{first.id}").get_data(as_text=True)

    client.post(f"/sponsorships/{first.id}/pick", data={"volunteer": str(otto.volunteer_profile.id)})

    db.session.expire_all()
    second = db.session.scalar(select(Agreement).where(Agreement.id != first.id))
    assert first.status == AgreementStatus.CANCELLED and second.status == AgreementStatus.DRAFT
    assert second.volunteer_id == otto.volunteer_profile.id and second.refugee_agreed_at is not None


def test_only_alternatives_can_be_picked(client, login, draft, pair, make_volunteer, db):
    other = make_volunteer("Other", email="other@example.org")
    as_user(client, login, pair[1])
    client.post(f"/sponsorships/{draft.id}/pick", data={"volunteer": str(other.volunteer_profile.id)})
    assert draft.status == AgreementStatus.DRAFT and len(db.session.scalars(select(Agreement)).all()) == 1


@pytest.mark.parametrize(
    ("change", "kept"),
    [
        ({"starts_on": "2027-01-10", "ends_on": "2027-01-01"}, "ends_on"),
        ({"meetings_per_month": "0"}, "meetings_per_month"),
        ({"hours_per_meeting": "500"}, "hours_per_meeting"),
        ({"focus": []}, "focus"),
        ({"starts_on": "kein Datum"}, "starts_on"),
    ],
)
def test_bad_terms_change_nothing(coordinator_client, draft, db, change, kept):
    before = (draft.starts_on, draft.ends_on, draft.meetings_per_month, draft.hours_per_meeting, list(draft.focus))
    data = {
        "focus": ["mentoring"],
        "meetings_per_month": "2",
        "hours_per_meeting": "2",
        "starts_on": "2027-01-01",
        "ends_on": "2027-06-30",
        "second_volunteer": "",
        **change,
    }
    coordinator_client.post(f"/sponsorships/{draft.id}/terms", data=data)
    db.session.expire_all()
    assert (
        draft.starts_on,
        draft.ends_on,
        draft.meetings_per_month,
        draft.hours_per_meeting,
        list(draft.focus),
    ) == before


def test_terms_and_a_future_start(client, login, coordinator_client, coordinator, draft, pair, db):
    start = date.today() + timedelta(days=10)
    coordinator_client.post(
        f"/sponsorships/{draft.id}/terms",
        data={
            "focus": ["mentoring", "paperwork"],
            "meetings_per_month": "4",
            "hours_per_meeting": "2",
            "starts_on": start.isoformat(),
            "ends_on": (start + timedelta(days=180)).isoformat(),
            "second_volunteer": "",
        },
    )
    for party in pair:
        as_user(client, login, party)
        client.post(f"/sponsorships/{draft.id}/agree")
    as_user(client, login, coordinator)
    client.post(f"/sponsorships/{draft.id}/approve")
    db.session.expire_all()
    assert draft.status == AgreementStatus.CONFIRMED and draft.meetings_per_month == 4
    assert daily(today=start) == {"started": 1, "reminded": 0}
    assert draft.status == AgreementStatus.ACTIVE


def active(db, agreement, days_ago=0):
    agreement.volunteer_agreed_at = agreement.refugee_agreed_at = agreement.created_at
    agreement.starts_on = date.today() - timedelta(days=days_ago)
    agreement.status = AgreementStatus.ACTIVE
    db.session.commit()
    return agreement


def test_a_volunteer_is_never_overbooked(coordinator_client, draft, make_refugee, agreed_draft, db):
    other = make_refugee("Zweite Familie", phone="+4917633333333")
    active(db, draft)
    second = agreed_draft(other.refugee_profile, draft.volunteer)
    response = coordinator_client.post(f"/sponsorships/{second.id}/approve", follow_redirects=True)
    assert "keinen freien Platz" in response.get_data(as_text=True)
    assert second.status == AgreementStatus.DRAFT


def test_a_person_never_gets_two_sponsorships(coordinator_client, draft, make_volunteer, agreed_draft, db):
    active(db, draft)
    helper = make_volunteer("Zweiter", email="zweiter@example.org", capacity=3)
    second = agreed_draft(draft.refugee, helper.volunteer_profile)
    response = coordinator_client.post(f"/sponsorships/{second.id}/approve", follow_redirects=True)
    assert "schon eine bestätigte Patenschaft" in response.get_data(as_text=True)
    db.session.expire_all()
    assert second.status == AgreementStatus.DRAFT


def test_check_ins_and_inactivity(client, login, draft, pair, app, db):
    active(db, draft, days_ago=60)
    assert inactive_agreements() == [draft]
    as_user(client, login, pair[0])
    client.post(
        f"/sponsorships/{draft.id}/check-in", data={"happened_on": (date.today() + timedelta(days=1)).isoformat()}
    )
    client.post(f"/sponsorships/{draft.id}/check-in", data={"happened_on": date.today().isoformat(), "note": "Arzt"})
    assert [c.note for c in db.session.scalars(select(CheckIn))] == ["Arzt"]
    assert inactive_agreements() == []
    as_user(client, login, pair[1])
    assert client.post(f"/sponsorships/{draft.id}/check-in", data={"happened_on": "2026-01-01"}).status_code == 403


def test_inactive_sponsorships_show_on_the_overview(coordinator_client, draft, db):
    active(db, draft, days_ago=60)
    page = coordinator_client.get("/coordination/").get_data(as_text=True)
    assert "Patenschaften ohne Rückmeldung" in page and "Amal Haddad" in page


def test_ending_needs_a_reason_and_renewal_follows(coordinator_client, draft, db):
    active(db, draft)
    coordinator_client.post(f"/sponsorships/{draft.id}/end", data={"reason": ""})
    assert draft.status == AgreementStatus.ACTIVE
    coordinator_client.post(f"/sponsorships/{draft.id}/end", data={"reason": "Familie ist umgezogen"})
    db.session.expire_all()
    assert draft.status == AgreementStatus.ENDED and draft.ended_on == date.today()
    coordinator_client.post(f"/sponsorships/{draft.id}/renew")
    renewal = db.session.scalar(select(Agreement).where(Agreement.renewal_of_id == draft.id))
    assert renewal.status == AgreementStatus.DRAFT and renewal.starts_on == draft.ends_on + timedelta(days=1)


def test_reminders_before_the_end_go_out_once(draft, app, db, outbox):
    active(db, draft)
    draft.ends_on = date.today() + timedelta(days=10)
    db.session.commit()
    assert daily()["reminded"] == 1
    assert draft.reminder_sent_at is None  # queued, not delivered yet
    run_ready()
    assert any("endet bald" in mail.subject for mail in outbox)
    db.session.refresh(draft)
    assert draft.reminder_sent_at is not None
    assert daily()["reminded"] == 0


def test_documents_in_german_and_the_refugees_language(coordinator_client, draft, db):
    page = coordinator_client.get(f"/sponsorships/{draft.id}/document").get_data(as_text=True)
    assert 'lang="de"' in page and 'lang="ar" dir="rtl"' in page and "Patenschaftsvereinbarung" in page
    refused = coordinator_client.get(f"/sponsorships/{draft.id}/certificate", follow_redirects=True)
    assert "Urkunde gibt es" in refused.get_data(as_text=True)
    active(db, draft)
    certificate = coordinator_client.get(f"/sponsorships/{draft.id}/certificate").get_data(as_text=True)
    assert "Patenschaftsurkunde" in certificate and "Vera Volunteer" in certificate and 'lang="ar"' in certificate


def test_stale_forms_change_nothing(coordinator_client, draft, db):
    coordinator_client.post(f"/sponsorships/{draft.id}/cancel", data={"reason": "doppelt"})
    response = coordinator_client.post(f"/sponsorships/{draft.id}/approve", follow_redirects=True)
    assert "kein Entwurf mehr" in response.get_data(as_text=True)
    db.session.expire_all()
    assert draft.status == AgreementStatus.CANCELLED


def test_the_matching_run_keeps_confirmed_pairs(draft, db):
    active(db, draft)
    run = run_matching(actor=None)
    assert run.metrics["locked"] == 1 and run.metrics["proposed"] == 0


def signature_block(page: str) -> str:
    return page.split('<ul class="signatures">', 1)[1].split("</ul>", 1)[0]


def test_printed_agreement_names_issuer_date_place_and_every_signatory(coordinator_client, draft, db):
    page = coordinator_client.get(f"/sponsorships/{draft.id}/document").get_data(as_text=True)
    header = page.split('<header class="document-organisation">', 1)[1].split("</header>", 1)[0]
    assert "<strong>Koordination</strong>" in header  # the coordinator's organisation: no area names the place
    assert '<h1 class="visually-hidden">Patenschaftsvereinbarung</h1>' in page
    today = format_date(date.today(), "long", locale="de")  # 2. Dezember 2026
    assert f'<p class="document-date">Soest, {today}</p>' in page
    signatures = signature_block(page)
    assert signatures.count("signature-line") == 3  # volunteer, refugee, coordination
    for label in (
        "Ehrenamtliche Person",
        "Geflüchtete Person, für den Haushalt",
        "Koordination, für Koordination",
        "المتطوع",
        "الشخص اللاجئ، نيابةً عن الأسرة",
    ):
        assert label in signatures, label
    assert "Vera Volunteer" in signatures and "Amal Haddad" in signatures and "Cora Coordinator" in signatures


def test_the_organisation_covering_the_place_issues_the_documents(coordinator_client, draft, db, make_user):
    make_user(Role.COORDINATOR, name="Carla Caritas", places=("soest",), organisation="Caritas Soest")
    active(db, draft)
    certificate = coordinator_client.get(f"/sponsorships/{draft.id}/certificate").get_data(as_text=True)
    assert "<strong>Caritas Soest</strong>" in certificate
    signatures = signature_block(certificate)
    assert signatures.count("signature-line") == 1  # a thank-you: coordination signs alone
    assert "Koordination, für Caritas Soest" in signatures and "Vera Volunteer" not in signatures


def test_without_an_organisation_the_installation_issues_the_documents(app, coordinator_client, draft, db):
    app.config["INSTALLATION_NAME"] = "Brückenbau Kreis Soest"
    draft.contact_person = None
    db.session.commit()
    page = coordinator_client.get(f"/sponsorships/{draft.id}/document").get_data(as_text=True)
    assert "<strong>Brückenbau Kreis Soest</strong>" in page
    assert "Koordination, für Brückenbau Kreis Soest" in signature_block(page)


def test_only_volunteers_with_a_free_place_are_offered_as_second_volunteer(
    coordinator_client, draft, make_volunteer, make_refugee, coordinator, db
):
    make_volunteer("Frieda Frei", capacity=1)
    full = make_volunteer("Volker Voll", capacity=1)
    other = make_refugee("Zweite Familie", phone="+4917633333333")
    db.session.add(
        Agreement(
            refugee=other.refugee_profile,
            volunteer=full.volunteer_profile,
            contact_person=coordinator,
            status=AgreementStatus.ACTIVE,
            starts_on=date.today(),
            ends_on=date.today() + timedelta(days=90),
        )
    )
    db.session.commit()
    page = coordinator_client.get(f"/sponsorships/{draft.id}").get_data(as_text=True)
    assert "Frieda Frei" in page and "Volker Voll" not in page


def test_the_list_pages_keep_the_status_filter(coordinator_client, make_volunteer, make_refugee, coordinator, db):
    volunteer = make_volunteer("Vera Viele", capacity=30)
    for number in range(27):
        refugee = make_refugee(f"Familie {number:02d}", phone=f"+49176400000{number:02d}")
        db.session.add(
            Agreement(
                refugee=refugee.refugee_profile,
                volunteer=volunteer.volunteer_profile,
                contact_person=coordinator,
                status=AgreementStatus.ACTIVE,
                starts_on=date.today(),
                ends_on=date.today() + timedelta(days=number + 1),
            )
        )
    db.session.commit()
    first = coordinator_client.get("/sponsorships/?status=active").get_data(as_text=True)
    assert "Familie 00" in first and "Familie 26" not in first
    assert "/sponsorships/?status=active&amp;page=2" in first
    second = coordinator_client.get("/sponsorships/?status=active&page=2").get_data(as_text=True)
    assert "Familie 26" in second and "Familie 00" not in second


def test_the_refugees_page_shows_their_own_sponsorship_only(client, login, draft, pair, make_refugee):
    """The refugee's page reads the agreements naming them (not every open one of the installation)."""
    link = f"/sponsorships/{draft.id}"
    as_user(client, login, make_refugee("Other", phone="+4917622222222"))
    assert link not in client.get("/welcome/me").get_data(as_text=True)
    as_user(client, login, pair[1])
    assert f'<a class="button primary" href="{link}">' in client.get("/welcome/me").get_data(as_text=True)  # waiting
    client.post(f"{link}/agree")
    assert f'<a href="{link}">' in client.get("/welcome/me").get_data(as_text=True)  # under way


def test_my_sponsorships_lists_the_users_own_only(client, login, draft, pair, make_volunteer):
    link = f'href="/sponsorships/{draft.id}"'
    as_user(client, login, make_volunteer("Stranger", email="s@example.org"))
    assert link not in client.get("/sponsorships/mine").get_data(as_text=True)
    for party in pair:
        as_user(client, login, party)
        assert link in client.get("/sponsorships/mine").get_data(as_text=True)
