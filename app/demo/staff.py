"""The demo district's organisations, areas and staff (the addresses are fixed: checks outside the tests use them).

The district office of Kreis Soest coordinates the whole district; the town
of Lippstadt coordinates Lippstadt; Caritas Soest coordinates Werl, Wickede
(Ruhr) and Ense and has an organisation admin who manages its staff.
"""

from sqlalchemy import select

from app.extensions import db
from app.models import Area, Locality, Organisation, OrganisationKind, Role, StaffMembership, StaffRole, User, utcnow

DISTRICT_OFFICE = "Kreis Soest – Kommunales Integrationszentrum"
# (organisation, kind, contact) -> [(e-mail, name, role, area name or None for the whole district, places)]
DEMO_STAFF = {
    (DISTRICT_OFFICE, OrganisationKind.DISTRICT_OFFICE, "Hoher Weg 1–3, 59494 Soest"): [
        ("koordination@example.org", "Koordinationsstelle Ehrenamt", StaffRole.COORDINATOR, None, ()),
    ],
    ("Stadt Lippstadt", OrganisationKind.MUNICIPALITY, "Ostwall 1, 59555 Lippstadt"): [
        ("lippstadt@example.org", "Integrationsbüro Lippstadt", StaffRole.COORDINATOR, "Lippstadt", ("lippstadt",)),
    ],
    ("Caritas Soest", OrganisationKind.WELFARE, "Kirchplatz 2, 59494 Soest"): [
        (
            "werl@example.org",
            "Caritas Werl",
            StaffRole.COORDINATOR,
            "Werl, Wickede (Ruhr), Ense",
            ("werl", "wickede", "ense"),
        ),
        ("caritas-admin@example.org", "Caritas Soest Verwaltung", StaffRole.ORG_ADMIN, None, ()),
    ],
}


def _area(name: str, places: tuple[str, ...]) -> Area:
    area = db.session.scalar(select(Area).where(Area.name == name))
    if area is None:
        area = Area(name=name, places=list(db.session.scalars(select(Locality).where(Locality.id.in_(places)))))
        db.session.add(area)
    return area


def demo_staff(password_hash: str) -> dict[str, User]:
    """Organisations, areas and staff accounts, made once; the accounts by address."""
    accounts = {}
    for (name, kind, address), people in DEMO_STAFF.items():
        organisation = db.session.scalar(select(Organisation).where(Organisation.name == name))
        if organisation is None:
            organisation = Organisation(name=name, kind=kind, address=address)
            db.session.add(organisation)
        for email, full_name, role, area_name, places in people:
            user = db.session.scalar(select(User).where(User.email == email))
            if user is None:
                user = User(
                    email=email,
                    full_name=full_name,
                    role=Role.COORDINATOR,
                    password_hash=password_hash,
                    preferred_language="de",
                )
                db.session.add(user)
            if not any(m.organisation is organisation for m in user.memberships):
                db.session.add(
                    StaffMembership(
                        organisation=organisation,
                        user=user,
                        role=role,
                        # the district office's coordinator covers the district; an organisation admin
                        # without an area manages staff only
                        whole_installation=kind == OrganisationKind.DISTRICT_OFFICE,
                        areas=[_area(area_name, places)] if area_name else [],
                        accepted_at=utcnow(),
                    )
                )
            accounts[email] = user
    db.session.flush()
    return accounts
