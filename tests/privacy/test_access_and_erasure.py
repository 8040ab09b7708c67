"""Right of access, erasure requests and erasure (GDPR Art. 15, 17, 20): pages, JSON file, anonymisation."""

import io
import json
import zipfile
from datetime import date, time, timedelta

import pytest
from flask_babel import force_locale, gettext
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import MetaData, select

from app.consents import REFUGEE_CONSENTS, set_consent
from app.extensions import db
from app.intake.services import issue_access_code
from app.matching_problem import mentee_ref, sponsorship_problem
from app.models import (
    Agreement,
    AgreementStatus,
    AuditEvent,
    CheckIn,
    ConsentPurpose,
    GroupMembership,
    MatchRun,
    MembershipStatus,
    Notification,
    OutboxMessage,
    Proposal,
    ProposalStatus,
    RefugeeStatus,
    Role,
    User,
)
from app.notifications.services import KINDS, notify
from app.privacy import services
from app.refugees.duplicates import merge

LISTED = (ConsentPurpose.MATCHING, ConsentPurpose.CONTACT_LISTS)


def stored_texts() -> list[tuple[str, str, str]]:
    """(table, column, text) of every value of every column of every table, found by reflecting the database."""
    connection = db.session.connection()
    metadata = MetaData()
    metadata.reflect(bind=connection)
    found = []
    for table in metadata.sorted_tables:
        for row in connection.execute(table.select()).mappings():
            for column, value in row.items():
                if isinstance(value, bytes):
                    value = value.decode("utf-8", "ignore")
                elif isinstance(value, (dict, list)):
                    value = json.dumps(value, ensure_ascii=False)
                if isinstance(value, str):
                    found.append((table.name, column, value))
    return found


def traces(*needles: str) -> list[tuple[str, str]]:
    return [(table, column) for table, column, text in stored_texts() for needle in needles if needle in text]


def export_texts(client, group) -> dict[str, str]:
    """Every export a working group has: contact lists in every format and the meeting calendar."""
    texts = {}
    for fmt in ("csv", "csv-semicolon", "vcf"):
        texts[fmt] = client.get(f"/groups/{group.id}/contacts.{fmt}").get_data(as_text=True)
    xlsx = client.get(f"/groups/{group.id}/contacts.xlsx").get_data()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        texts["xlsx"] = " ".join(archive.read(name).decode("utf-8", "ignore") for name in archive.namelist())
    texts["ics"] = client.get(f"/groups/calendar/{group.calendar_token}.ics").get_data(as_text=True)
    return texts


@pytest.fixture
def sponsorship(pair, coordinator, make_volunteer, make_group):
    """Amal and Vera in a confirmed sponsorship with check-ins that name her; Vera leads a working group."""
    volunteer, refugee = pair
    for purpose in LISTED:
        set_consent(volunteer, purpose, True)
    agreement = Agreement(
        refugee=refugee.refugee_profile,
        volunteer=volunteer.volunteer_profile,
        contact_person=coordinator,
        starts_on=date.today(),
        ends_on=date.today() + timedelta(days=90),
        status=AgreementStatus.CONFIRMED,
    )
    agreement.check_ins.append(
        CheckIn(author=volunteer, happened_on=date.today(), note="Met Amal Haddad, called +4917611111111")
    )
    db.session.add(agreement)
    other_lead = make_volunteer("Otto Other", email="otto@example.org", consents=LISTED)
    group = make_group(
        "interpreting-pool",
        members=[(volunteer, "active", True), (other_lead, "active", True)],
        first_meeting_on=date.today(),
        meeting_time=time(18, 0),
    )
    db.session.commit()
    return volunteer, refugee, agreement, group, other_lead


# --- access and portability -----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["volunteer", "refugee", "coordinator"])
def test_everyone_reads_and_downloads_their_own_data(client, login, volunteer, refugee, coordinator, who):
    user = {"volunteer": volunteer, "refugee": refugee, "coordinator": coordinator}[who]
    login(client, user)
    page = client.get("/me/data")
    data = client.get("/me/data.json")

    assert page.status_code == 200 and user.full_name in page.get_data(as_text=True)
    assert data.status_code == 200 and data.mimetype == "application/json"
    assert data.json["account"]["name"] == user.full_name
    assert {"profile", "consents", "proposals", "agreements", "group_memberships", "viewed_by_coordination"} <= set(
        data.json
    )


def test_the_file_holds_household_needs_consents_and_who_looked(client, login, coordinator, make_refugee):
    refugee = make_refugee(phone="+4917699999999", members=(("child", 4),), language="ar")
    coordinator_client = client
    login(coordinator_client, coordinator)
    assert coordinator_client.get(f"/refugees/{refugee.refugee_profile.id}").status_code == 200
    login(client, refugee)

    data = client.get("/me/data.json").json

    assert data["profile"]["household"] == [{"relation": "child", "age": 4}]
    assert data["profile"]["needs"] == [{"kind_of_help": "mentoring", "urgency": "needed"}]
    assert data["consents"][0]["purpose"] == "matching" and data["consents"][0]["text_version"] == "r-2026-11"
    assert data["viewed_by_coordination"][0]["action"] == "refugee.viewed"
    assert data["viewed_by_coordination"][0]["by"] == "Cora Coordinator"
    page = client.get("/me/data").get_data(as_text=True)
    assert "Cora Coordinator" in page and 'dir="rtl"' in page


def test_the_menu_links_the_own_data(volunteer_client):
    assert 'href="/me/data"' in volunteer_client.get("/volunteers/me").get_data(as_text=True)


def test_coordination_produces_the_data_of_a_person_in_scope_and_it_is_audited(coordinator_client, refugee):
    response = coordinator_client.get(f"/people/{refugee.id}/data.json")

    assert response.status_code == 200 and response.json["account"]["phone"] == "+491761234567"
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "privacy.data_exported")).all()
    assert [(e.subject_type, e.subject_id) for e in events] == [("User", str(refugee.id))]


@pytest.mark.parametrize(
    ("method", "url"),
    [("GET", "/people/{id}/data"), ("GET", "/people/{id}/data.json"), ("POST", "/people/{id}/erase")],
)
def test_a_coordinator_outside_the_persons_scope_gets_404(client, login, make_user, refugee, method, url):
    outsider = make_user(Role.COORDINATOR, email="lena@example.org", places=("lippstadt",))
    login(client, outsider)

    response = client.open(url.format(id=refugee.id), method=method, data={"confirm": "y"})

    assert response.status_code == 404
    assert refugee.erased_at is None and refugee.full_name == "Amal Haddad"
    assert "Amal Haddad" not in response.get_data(as_text=True)


# --- erasure requests -----------------------------------------------------------------------------


@pytest.mark.parametrize("data", [{}, {"confirm": ""}, {"confirm": "false", "submit": "x"}])
def test_an_erasure_request_without_the_tick_changes_nothing(refugee_client, refugee, data):
    response = refugee_client.post("/me/erasure", data=data, follow_redirects=True)

    assert response.status_code == 200 and refugee.erasure_requested_at is None


def test_the_request_is_confirmed_in_the_persons_language_and_coordination_sees_it(
    refugee_client, refugee, client, login, coordinator
):
    response = refugee_client.post("/me/erasure", data={"confirm": "y"}, follow_redirects=True)

    assert refugee.erasure_requested_at is not None
    with force_locale("ar"):
        confirmation = gettext("We have your request. Your data will be deleted. You can still change your mind here.")
    assert confirmation in response.get_data(as_text=True)
    login(client, coordinator)
    assert "Amal Haddad" in client.get("/people/erasure-requests").get_data(as_text=True)
    assert f"/people/{refugee.id}/data" in client.get(f"/refugees/{refugee.refugee_profile.id}").get_data(as_text=True)


def test_staff_cannot_ask_for_their_own_erasure(coordinator_client, coordinator):
    coordinator_client.post("/me/erasure", data={"confirm": "y"})

    assert coordinator.erasure_requested_at is None


def test_someone_with_a_pending_request_who_logs_in_again_sees_it_and_can_withdraw_it(client, make_refugee, password):
    refugee = make_refugee(phone="+4917612345670")
    services.request_erasure(refugee)

    response = client.post("/auth/login", data={"identifier": "+4917612345670", "password": password})

    assert response.headers["Location"].endswith("/me/data")
    page = client.get("/me/data").get_data(as_text=True)
    assert "/me/erasure/withdraw" in page
    client.post("/me/erasure/withdraw")
    assert refugee.erasure_requested_at is None and refugee.erased_at is None


# --- erasure --------------------------------------------------------------------------------------


def test_erasing_a_person_in_a_confirmed_sponsorship_leaves_no_trace_and_tells_the_other_party(
    sponsorship, client, login, coordinator
):
    volunteer, refugee, agreement, group, _ = sponsorship
    login(client, coordinator)
    client.get(f"/refugees/{refugee.refugee_profile.id}")  # audited view of her record
    notify(volunteer, "sponsorship_confirmed", agreement=agreement.id)  # a mail about the sponsorship
    db.session.commit()

    response = client.post(f"/people/{refugee.id}/erase", data={"confirm": "y"})

    assert response.status_code == 302
    assert traces("Amal Haddad", "+4917611111111") == []
    assert agreement.status == AgreementStatus.ENDED and agreement.end_reason == "erased"
    told = db.session.scalars(
        select(Notification).where(
            Notification.recipient_id == volunteer.id, Notification.kind == "sponsorship_partner_erased"
        )
    ).all()
    assert len(told) == 1
    mail = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient_id == volunteer.id).order_by(OutboxMessage.id.desc())
    ).first()
    with force_locale("de"):
        assert mail.subject == str(KINDS["sponsorship_partner_erased"].subject)
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action.in_(["refugee.viewed", "privacy.erased"])))
    assert {e.subject_id for e in events} == {refugee.full_name} and refugee.full_name.startswith("person-")
    # counts for statistics stay, without identity
    profile = refugee.refugee_profile
    assert profile.locality_id == "soest" and [row.code for row in profile.languages] == ["ar"]
    assert [need.category_key for need in profile.needs] == ["mentoring"]
    assert refugee.email is None and refugee.phone is None and not refugee.active


def test_the_erased_person_disappears_from_lists_and_matching(sponsorship, coordinator_client):
    _, refugee, _, _, _ = sponsorship
    assert mentee_ref(refugee.refugee_profile.id) in {m["id"] for m in sponsorship_problem()["mentees"]}

    services.erase(refugee)

    assert mentee_ref(refugee.refugee_profile.id) not in {m["id"] for m in sponsorship_problem()["mentees"]}
    assert refugee.full_name not in coordinator_client.get("/refugees/").get_data(as_text=True)
    assert coordinator_client.get(f"/refugees/{refugee.refugee_profile.id}").status_code == 404


def test_erasing_a_group_lead_ends_the_membership_clears_every_export_and_tells_the_other_lead(
    sponsorship, coordinator_client
):
    volunteer, refugee, agreement, group, other_lead = sponsorship
    assert "vera@example.org" in export_texts(coordinator_client, group)["csv"]

    services.erase(volunteer)

    membership = db.session.scalars(select(GroupMembership).where(GroupMembership.group_id == group.id)).first()
    assert membership.status == MembershipStatus.LEFT and not membership.is_lead
    assert [m.profile.user for m in group.leads] == [other_lead]
    leaked = {
        fmt for fmt, text in export_texts(coordinator_client, group).items() for n in ("Vera", "vera@") if n in text
    }
    assert leaked == set()
    assert traces("Vera Volunteer", "vera@example.org") == []
    kinds = db.session.scalars(select(Notification.kind).where(Notification.recipient_id == other_lead.id)).all()
    assert kinds == ["group_member_erased"]
    # the refugee of Vera's sponsorship is told in her language, and the sponsorship ended
    assert agreement.status == AgreementStatus.ENDED
    assert db.session.scalars(select(Notification.kind).where(Notification.recipient_id == refugee.id)).all() == [
        "sponsorship_partner_erased"
    ]


def test_open_proposals_are_withdrawn(pair):
    volunteer, refugee = pair
    proposal = Proposal(
        run=MatchRun(settings={}, metrics={}),
        volunteer=volunteer.volunteer_profile,
        refugee=refugee.refugee_profile,
        score=0.7,
        reasons=[],
        alternatives=[],
        decision_note="Amal Haddad fragen",
    )
    db.session.add(proposal)
    db.session.commit()

    services.erase(refugee)

    assert proposal.status == ProposalStatus.DECLINED and proposal.decision_note == "erased"


def test_erasing_a_record_erases_the_duplicates_merged_into_it(make_refugee, coordinator):
    keep = make_refugee("Amal Haddad", phone="+4917611111111", birth_year=1990)
    duplicate = make_refugee("Amal Hadad", phone="+4917622222222", birth_year=1990, username="amal90")
    merge(keep.refugee_profile, duplicate.refugee_profile, coordinator)

    services.erase(keep)

    assert duplicate.erased_at is not None and duplicate.refugee_profile.status == RefugeeStatus.MERGED
    assert traces("Amal Haddad", "Amal Hadad", "+4917611111111", "+4917622222222", "amal90") == []


def test_a_merged_duplicate_can_be_erased_on_its_own(make_refugee, coordinator, client, login):
    keep = make_refugee("Amal Haddad", phone="+4917611111111", birth_year=1990)
    duplicate = make_refugee("Amal Hadad", phone="+4917622222222", birth_year=1990)
    merge(keep.refugee_profile, duplicate.refugee_profile, coordinator)
    login(client, coordinator)

    assert client.post(f"/people/{duplicate.id}/erase", data={"confirm": "y"}).status_code == 302

    assert duplicate.erased_at is not None and keep.erased_at is None and keep.full_name == "Amal Haddad"
    assert traces("Amal Hadad", "+4917622222222") == []


def test_an_erased_person_cannot_be_erased_again_or_log_in(refugee, client, password):
    services.erase(refugee)

    with pytest.raises(services.AlreadyErased):
        services.erase(refugee)
    response = client.post("/auth/login", data={"identifier": "+491761234567", "password": password})
    assert "/me/data" not in response.headers.get("Location", "")
    assert db.session.get(User, refugee.id).check_password(password) is False


@pytest.mark.parametrize("data", [{}, {"confirm": ""}])
def test_coordination_must_confirm_an_erasure(coordinator_client, refugee, data):
    coordinator_client.post(f"/people/{refugee.id}/erase", data=data)

    assert refugee.erased_at is None


def test_the_stored_texts_scan_finds_a_name(refugee):
    """The scan of the test above is not blind: before erasure it finds her name and phone."""
    assert ("users", "full_name") in traces("Amal Haddad") and ("users", "phone") in traces("+491761234567")


def test_the_access_code_login_also_shows_a_pending_request_first(client, refugee, coordinator):
    code = issue_access_code(refugee.refugee_profile, coordinator)
    services.request_erasure(refugee)

    response = client.post("/welcome/code", data={"code": code})

    assert response.status_code == 302 and response.headers["Location"].endswith("/me/data")


PSEUDONYM = "person-0123456789ab"


@settings(max_examples=50)
@given(
    before=st.text(max_size=30),
    after=st.text(max_size=30),
    # Letters the pseudonym does not use: a replacement cannot form the name anew with its neighbours.
    name=st.text(st.characters(blacklist_characters=PSEUDONYM), min_size=services.MIN_SCRUB_LENGTH, max_size=20),
)
def test_the_scrub_leaves_no_copy_of_a_name_in_text_or_json(before, after, name):
    """Whatever surrounds a name, in a string or nested in JSON, the replacement leaves none of it."""
    value = {"note": before + name + after, "list": [name, {"deeper": f"{name}{name}"}]}

    replaced = services._replaced(value, [name], PSEUDONYM)

    assert name not in json.dumps(replaced, ensure_ascii=False)
    assert replaced["list"][0] == PSEUDONYM


def test_coordination_finds_the_requests_in_the_menu_and_people_do_not(coordinator_client, client, login, volunteer):
    assert 'href="/people/erasure-requests"' in coordinator_client.get("/coordination/").get_data(as_text=True)
    login(client, volunteer)
    assert 'href="/people/erasure-requests"' not in client.get("/volunteers/me").get_data(as_text=True)
    assert client.get("/people/erasure-requests").status_code == 403


def test_the_page_names_each_consent_by_its_text_in_the_readers_language(refugee_client):
    page = refugee_client.get("/me/data").get_data(as_text=True)

    with force_locale("ar"):
        text = str(REFUGEE_CONSENTS[ConsentPurpose.MATCHING].text)
    assert text in page


def test_someone_else_with_the_same_name_and_phone_keeps_both(make_refugee):
    erased = make_refugee("Amal Haddad", phone="+4917611111111")
    namesake = make_refugee("Amal Haddad", phone="+4917611111111", locality="lippstadt")  # same household phone
    notify(namesake, "proposal_waiting", agreement=1)
    db.session.commit()

    services.erase(erased)

    assert namesake.full_name == "Amal Haddad" and namesake.phone == "+4917611111111"
    sms = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient_id == namesake.id)).one()
    assert sms.address == "+4917611111111"


def test_the_audit_log_shows_the_pseudonym_not_the_person(coordinator_client, refugee, client, login, admin):
    coordinator_client.get(f"/refugees/{refugee.refugee_profile.id}")
    pseudonym = services.erase(refugee, actor=admin)
    login(client, admin)

    page = client.get("/audit/").get_data(as_text=True)
    export = client.get("/audit/export.csv").get_data(as_text=True)

    assert pseudonym in page and pseudonym in export
    assert "Amal Haddad" not in page + export and "+491761234567" not in page + export
