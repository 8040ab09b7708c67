"""Benchmark: exporting a working group of 2,000 members in every format.

Builds a throw-away SQLite database with the real migrations, fills one group
with 2,000 volunteers (two thirds agreed to contact lists), then times the
whole export as a request does it: loading the members and their consents,
filtering, writing the file and the audit entry. Run from the repository root:

    .venv/bin/python -m bench.exports [--members 2000] [--repeat 5]
"""

import argparse
import platform
import statistics
import tempfile
import time

from flask_migrate import upgrade
from werkzeug.security import generate_password_hash

from app import create_app
from app.consents import set_consent
from app.exports.services import FORMATS, export_contacts
from app.extensions import db
from app.models import (
    ConsentPurpose,
    GroupMembership,
    LanguageLevel,
    MembershipStatus,
    Role,
    User,
    VolunteerLanguage,
    VolunteerProfile,
    WorkingGroup,
)
from app.reference_data import import_reference_data
from bench.database import MIGRATIONS
from config import TestingConfig


def fill(members: int) -> WorkingGroup:
    import_reference_data()
    password_hash = generate_password_hash("benchmark", method="pbkdf2:sha256:1")
    group = WorkingGroup(slug="round-table", name="Runder Tisch", capacity=members)
    for index in range(members):
        user = User(
            email=f"person{index}@example.org",
            full_name=f"Person Nummer {index} Müller",
            role=Role.VOLUNTEER,
            password_hash=password_hash,
        )
        user.volunteer_profile = VolunteerProfile(phone=f"+49176{10000000 + index}", locality_id="soest", steps_done=4)
        user.volunteer_profile.languages = [
            VolunteerLanguage(code="de", level=LanguageLevel.NATIVE),
            VolunteerLanguage(code="ar", level=LanguageLevel.B2),
        ]
        set_consent(user, ConsentPurpose.MATCHING, True)
        if index % 3:
            set_consent(user, ConsentPurpose.CONTACT_LISTS, True)
        group.memberships.append(
            GroupMembership(profile=user.volunteer_profile, status=MembershipStatus.ACTIVE, is_lead=index == 0)
        )
    db.session.add(group)
    db.session.commit()
    return group


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        config = type("BenchConfig", (TestingConfig,), {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{directory}/b.sqlite"})
        app = create_app(config)
        with app.app_context():
            upgrade(directory=MIGRATIONS)
            group_id = fill(args.members).id
            print(
                f"Export of a group with {args.members} members ({platform.processor() or platform.machine()}, "
                f"Python {platform.python_version()}), median of {args.repeat} runs, SQLite:"
            )
            print(f"{'format':<15}{'seconds':>10}{'listed':>9}{'left out':>10}{'bytes':>12}")
            for fmt in FORMATS:
                timings = []
                for _ in range(args.repeat):
                    db.session.expire_all()  # load everything from the database again, as a request does
                    started = time.perf_counter()
                    result = export_contacts(db.session.get(WorkingGroup, group_id), fmt, actor=None)
                    timings.append(time.perf_counter() - started)
                print(
                    f"{fmt:<15}{statistics.median(timings):>10.3f}{result.people:>9}{result.left_out:>10}"
                    f"{len(result.content):>12}"
                )


if __name__ == "__main__":
    main()
