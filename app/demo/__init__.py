"""Demo data for a rural district (Kreis Soest): 150 volunteers, 300 refugee households, the round table.

Generated from fixed seeds, so every run produces the same people; people who
exist already are skipped, so ``flask seed-demo`` can run any number of times.
"""

import random

from flask import current_app
from sqlalchemy import select

from app.demo.appointments import demo_appointments
from app.demo.groups import demo_groups
from app.demo.refugees import DEMO_REFUGEE_PHONE as DEMO_REFUGEE_PHONE  # the fixed logins, with the others
from app.demo.refugees import RE_REGISTRATIONS, REFUGEE_COUNT, demo_refugee, re_registration
from app.demo.sponsorships import demo_sponsorships
from app.demo.staff import demo_staff
from app.demo.volunteers import DEMO_VOLUNTEER as DEMO_VOLUNTEER
from app.demo.volunteers import VOLUNTEER_COUNT, demo_volunteer
from app.extensions import db
from app.models import Agreement, Appointment, HelpCategory, Locality, Role, User, WorkingGroup
from app.passwords import hash_password
from app.reference_data import import_reference_data
from app.staff.services import organisation_of

DEMO_PASSWORD = "demo-demo-demo"
DEMO_COORDINATOR = "koordination@example.org"
DEMO_ADMIN = "admin@example.org"
DEMO_DPO = "dpo@example.org"


def _staff_user(email: str, name: str, role: Role, password_hash: str) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(email=email, full_name=name, role=role, password_hash=password_hash, preferred_language="de")
        db.session.add(user)
    return user


def _profiles(role: Role) -> list:
    """The volunteer or refugee profiles of every account of ``role``, oldest first: the generators that
    build on them (groups, sponsorships, appointments) pick from the same order every time."""
    users = db.session.scalars(select(User).where(User.role == role).order_by(User.id))
    profiles = [u.volunteer_profile if role == Role.VOLUNTEER else u.refugee_profile for u in users]
    return sorted(profiles, key=lambda profile: profile.id)


def seed_demo(
    volunteer_count: int = VOLUNTEER_COUNT, refugee_count: int = REFUGEE_COUNT, sponsorship_months: int = 0
) -> dict[str, int]:
    """Load reference data, demo staff, volunteers and refugees; returns how many people were added.

    Larger sizes make a district for load tests (5,000 households, 2,000
    volunteers); ``sponsorship_months`` adds that many months of sponsorships.
    """
    import_reference_data()
    password_hash = hash_password(DEMO_PASSWORD)  # hashed once: hashing is slow on purpose
    _staff_user(DEMO_ADMIN, "Admin Brückenbau", Role.ADMIN, password_hash)
    _staff_user(DEMO_DPO, "Datenschutzbeauftragte", Role.DPO, password_hash)
    coordinator = demo_staff(password_hash)[DEMO_COORDINATOR]
    categories = {c.key: c for c in db.session.scalars(select(HelpCategory))}
    locality_ids = sorted(db.session.scalars(select(Locality.id)))
    known_emails = set(db.session.scalars(select(User.email).where(User.email.is_not(None))))
    known_phones = set(db.session.scalars(select(User.phone).where(User.phone.is_not(None))))
    known_names = set(db.session.scalars(select(User.full_name).where(User.role == Role.REFUGEE)))

    volunteers_added = 0
    rng = random.Random(2015)
    for index in range(1, volunteer_count + 1):
        user = demo_volunteer(rng, index, password_hash, categories, locality_ids)
        if user.email not in known_emails:
            db.session.add(user)
            volunteers_added += 1

    refugees_added = 0
    rng = random.Random(2016)
    for index in range(1, refugee_count + 1):
        user = demo_refugee(rng, index, password_hash, categories, locality_ids, coordinator)
        if user.phone not in known_phones:
            db.session.add(user)
            refugees_added += 1
            if index in RE_REGISTRATIONS:
                again = re_registration(user)
                if again.full_name not in known_names:
                    db.session.add(again)
                    refugees_added += 1
    db.session.flush()
    groups_added = 0
    if db.session.scalar(select(WorkingGroup.id).limit(1)) is None:
        for group in demo_groups(_profiles(Role.VOLUNTEER), random.Random(2017)):
            db.session.add(group)
            groups_added += 1
    sponsorships_added = 0
    if sponsorship_months and db.session.scalar(select(Agreement.id).limit(1)) is None:
        volunteers, refugees = _profiles(Role.VOLUNTEER), _profiles(Role.REFUGEE)
        for agreement in demo_sponsorships(random.Random(2018), volunteers, refugees, coordinator, sponsorship_months):
            db.session.add(agreement)
            sponsorships_added += 1
    appointments_added = 0
    if db.session.scalar(select(Appointment.id).limit(1)) is None:
        db.session.flush()
        volunteers, refugees = _profiles(Role.VOLUNTEER), _profiles(Role.REFUGEE)
        organisation = organisation_of(coordinator)
        allowances = current_app.config["APPOINTMENT_ALLOWANCES"]
        # Built without flushing: a new appointment is in its refugee's list before it is in the session,
        # and a flush in between (a lazy load of a volunteer's offers) warned that it could not add it.
        with db.session.no_autoflush:
            appointments = demo_appointments(
                random.Random(2019), volunteers, refugees, coordinator, organisation, allowances
            )
        db.session.add_all(appointments)
        appointments_added = len(appointments)
    db.session.commit()
    return {
        "volunteers_added": volunteers_added,
        "refugees_added": refugees_added,
        "groups_added": groups_added,
        "sponsorships_added": sponsorships_added,
        "appointments_added": appointments_added,
    }
