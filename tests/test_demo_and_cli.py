"""The demo data and the command line."""

import pytest
from sqlalchemy import func, select

from app.demo import DEMO_COORDINATOR, DEMO_DPO, DEMO_PASSWORD, DEMO_REFUGEE_PHONE, DEMO_VOLUNTEER
from app.models import Consent, ConsentPurpose, RefugeeProfile, Role, User, VolunteerProfile, VolunteerStatus
from app.refugees.duplicates import possible_duplicates
from app.volunteers.forms import MAX_CAPACITY, MAX_TRAVEL_KM


def count(db, column) -> int:
    return db.session.scalar(select(func.count(column)))


@pytest.mark.slow
def test_seed_demo_is_idempotent_and_realistic(runner, db, client):
    first = runner.invoke(args=["seed-demo"])
    second = runner.invoke(args=["seed-demo"])

    assert first.exit_code == 0
    assert "150 volunteers, 304 refugees or households and 9 working groups added" in first.output
    assert DEMO_COORDINATOR in first.output and DEMO_PASSWORD in first.output
    assert "0 volunteers, 0 refugees or households and 0 working groups added" in second.output
    assert count(db, VolunteerProfile.id) == 150
    profiles = db.session.scalars(select(VolunteerProfile)).all()
    assert all(p.locality_id and p.languages and p.offers and p.slots and p.completed_at for p in profiles)
    assert all(0 <= p.capacity <= MAX_CAPACITY and 0 <= p.travel_km <= MAX_TRAVEL_KM for p in profiles)
    older = sum(1 for p in profiles if p.birth_year <= 1976)
    assert older > len(profiles) / 2  # in rural districts most volunteers are 50+
    assert sum(1 for p in profiles if any(lang.code in {"ar", "fa", "ti", "ku", "uk"} for lang in p.languages)) >= 10
    assert count(db, Consent.id) >= 150
    assert db.session.scalar(select(func.count(Consent.id)).where(Consent.purpose == ConsentPurpose.MATCHING)) == 454
    refugees = db.session.scalars(select(RefugeeProfile)).all()
    assert len(refugees) == 304
    assert sum(p.has_children for p in refugees) > 50 and sum(p.household_size == 1 for p in refugees) > 80
    assert {row.code for p in refugees for row in p.languages} >= {"ar", "fa", "ps", "ti", "ku", "uk", "ru", "so"}
    assert all(p.needs and p.slots and p.locality_id for p in refugees if p.completed_at)
    assert sum(bool(p.interest_keys) for p in profiles) > 100 and sum(bool(p.interest_keys) for p in refugees) > 200
    notes = [p.interests_note for p in refugees if p.interests_note]  # people's own words, in their language
    assert any("كرة القدم" in note for note in notes) and any("футбол" in note for note in notes)
    assert all(p.interest_keys for p in refugees if p.interests_note)
    re_registered = [p for p in refugees if p.completed_at is None]
    coordinator = db.session.scalar(select(User).where(User.email == DEMO_COORDINATOR))
    assert len(re_registered) == 4 and all(possible_duplicates(p, coordinator).shown for p in re_registered)

    response = client.post("/auth/login", data={"identifier": DEMO_COORDINATOR, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert "150" in client.get("/volunteers/").get_data(as_text=True)

    client.post("/auth/logout")
    assert DEMO_DPO in first.output
    response = client.post("/auth/login", data={"identifier": DEMO_DPO, "password": DEMO_PASSWORD})
    assert response.location.endswith("/audit/") and client.get("/refugees/").status_code == 403
    demo_staff_has_people_in_every_area(db)
    assert DEMO_VOLUNTEER in first.output and DEMO_REFUGEE_PHONE in first.output
    client.post("/auth/logout")
    demo_volunteer_and_refugee_log_in_with_fixed_logins(db, client)


def demo_volunteer_and_refugee_log_in_with_fixed_logins(db, client):
    """The README's fixed demo logins: a volunteer who can be proposed, and a household by its phone number."""
    volunteer = db.session.scalar(select(User).where(User.email == DEMO_VOLUNTEER))
    assert volunteer.role == Role.VOLUNTEER and volunteer.volunteer_profile.status == VolunteerStatus.ACTIVE
    assert volunteer.volunteer_profile.capacity >= 1
    response = client.post("/auth/login", data={"identifier": DEMO_VOLUNTEER, "password": DEMO_PASSWORD})
    assert response.location.endswith("/volunteers/me")
    assert "status-active" in client.get(response.location).get_data(as_text=True)
    client.post("/auth/logout")
    refugee = db.session.scalar(select(User).where(User.phone == DEMO_REFUGEE_PHONE))
    assert refugee.role == Role.REFUGEE and refugee.refugee_profile.completed_at
    response = client.post("/auth/login", data={"identifier": "0176 30000001", "password": DEMO_PASSWORD})
    assert response.status_code == 302 and response.location.endswith("/welcome/me")
    client.post("/auth/logout")


def demo_staff_has_people_in_every_area(db):
    """The fixed demo addresses: each logs in with the demo password and has people in its area."""
    from app.models import StaffRole
    from app.policies import refugees_in_scope, volunteers_in_scope

    expected = {
        "koordination@example.org": ("Kreis Soest – Kommunales Integrationszentrum", None),
        "lippstadt@example.org": ("Stadt Lippstadt", "Lippstadt"),
        "werl@example.org": ("Caritas Soest", "Werl, Wickede (Ruhr), Ense"),
        "caritas-admin@example.org": ("Caritas Soest", None),
    }
    for email, (organisation, area) in expected.items():
        user = db.session.scalar(select(User).where(User.email == email))
        assert user.check_password(DEMO_PASSWORD) and user.role == Role.COORDINATOR
        [membership] = user.memberships
        assert membership.organisation.name == organisation
        assert [a.name for a in membership.areas] == ([area] if area else [])
        if area:
            refugees = db.session.scalar(select(func.count(RefugeeProfile.id)).where(refugees_in_scope(user)))
            volunteers = db.session.scalar(select(func.count(VolunteerProfile.id)).where(volunteers_in_scope(user)))
            assert refugees > 10 and volunteers > 5, email
            assert all(
                db.session.scalar(select(func.count(RefugeeProfile.id)).where(RefugeeProfile.locality_id == place.id))
                for place in membership.areas[0].places
            )
    admin_membership = db.session.scalar(select(User).where(User.email == "caritas-admin@example.org")).memberships[0]
    assert admin_membership.role == StaffRole.ORG_ADMIN
    district = db.session.scalar(select(User).where(User.email == DEMO_COORDINATOR)).memberships[0]
    assert district.whole_installation


def test_create_admin(runner, db):
    result = runner.invoke(
        args=["create-admin", "--email", "Chef@Example.org", "--name", "Chefin"],
        input="a long admin password\na long admin password\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User))
    assert (user.email, user.role) == ("chef@example.org", Role.ADMIN)
    assert user.check_password("a long admin password")


def test_create_admin_refuses_short_passwords_and_duplicates(runner, db):
    short = runner.invoke(args=["create-admin", "--email", "a@example.org", "--name", "A"], input="short\nshort\n")
    assert short.exit_code != 0 and count(db, User.id) == 0
    runner.invoke(
        args=["create-admin", "--email", "a@example.org", "--name", "A"],
        input="a long admin password\na long admin password\n",
    )
    again = runner.invoke(
        args=["create-admin", "--email", "a@example.org", "--name", "A"],
        input="a long admin password\na long admin password\n",
    )
    assert again.exit_code != 0 and "exists already" in again.output
    assert count(db, User.id) == 1


def test_seed_demo_if_empty_runs_only_on_a_new_database(runner, db, make_user):
    make_user(Role.COORDINATOR)
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0 and "not loaded" in result.output
    assert count(db, VolunteerProfile.id) == 0


def test_interest_notes_are_mapped_and_the_rest_listed_without_names(runner, db, make_volunteer, make_refugee):
    volunteer = make_volunteer("Vera Volunteer", interests=(), interests_note="Fußball, Kicken im Park")
    refugee = make_refugee("Amal Haddad", interests=("chess",), interests_note="كرة القدم، Kicken im Park، خياطة")

    result = runner.invoke(args=["interests", "map-notes"])

    assert result.exit_code == 0
    assert "Interests added: 2 (in 2 profiles)." in result.output
    assert "     2  Kicken im Park" in result.output and "     1  خياطة" in result.output
    assert "Vera" not in result.output and "Amal" not in result.output
    db.session.expire_all()
    assert volunteer.volunteer_profile.interest_keys == ["football"]
    assert refugee.refugee_profile.interest_keys == ["chess", "football"]
    assert refugee.refugee_profile.interests_note == "كرة القدم، Kicken im Park، خياطة"

    also = ["--also", "kicken im park=football", "--also", "خياطة=sewing"]
    again = runner.invoke(args=["interests", "map-notes", *also])

    assert again.exit_code == 0 and "Interests added: 1 (in 1 profiles)." in again.output
    assert "Words that name no interest" not in again.output
    db.session.expire_all()
    assert refugee.refugee_profile.interest_keys == ["chess", "football", "sewing"]


@pytest.mark.parametrize("also", ["Stricken=knitting", "football", "=football"])
def test_map_notes_refuses_unknown_keys(runner, db, make_volunteer, also):
    volunteer = make_volunteer(interests=(), interests_note="Stricken")
    result = runner.invoke(args=["interests", "map-notes", "--also", also])
    assert result.exit_code == 2 and "WORDS=KEY" in result.output
    assert volunteer.volunteer_profile.interest_keys == []
