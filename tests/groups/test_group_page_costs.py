"""A working group's page sends as many SQL statements for 30 members and refugees as for 3."""

import pytest

from app.models import GroupMembership, GroupQuota, MembershipStatus, QuotaKind
from tests.page_costs import FEW, MANY, statements


@pytest.fixture
def groups(db, make_volunteer, make_refugee, make_group):
    """An interpreting pool and a mobility group with quotas; ``grow(n)`` adds n members to each
    (each speaking two languages) and n refugees with little German who need driving."""
    pool = make_group("pool", requires_offer="interpreting")
    mobility = make_group("mobility", requires_offer="driving")
    pool.quotas = [GroupQuota(kind=QuotaKind.LANGUAGE, key="ar", minimum=2)]
    mobility.quotas = [GroupQuota(kind=QuotaKind.LOCALITY, key="warstein", minimum=2)]
    db.session.commit()
    added, group_ids = [], (pool.id, mobility.id)

    def grow(count: int) -> None:
        for _ in range(count):
            number = len(added)
            place = ("warstein", "soest", "ruethen")[number % 3]
            member = make_volunteer(
                f"Member {number}",
                locality=place,
                offers=("interpreting", "driving"),
                languages={"de": "native", ("ar", "ti", "fa")[number % 3]: "B2"},
            )
            for group_id in group_ids:
                status = MembershipStatus.REQUESTED if number % 4 == 0 else MembershipStatus.ACTIVE
                db.session.add(GroupMembership(group_id=group_id, profile=member.volunteer_profile, status=status))
            make_refugee(
                f"Refugee {number}",
                phone=f"+49177{number:08d}",
                locality=place,
                languages={("ar", "ti", "fa")[number % 3]: "native"},
                german_level=None,
                needs={"driving": "needed"},
            )
            added.append(member)
        db.session.commit()

    grow.pool, grow.mobility = group_ids
    return grow


@pytest.mark.parametrize("page", ["pool", "mobility", "list"])
def test_group_pages_cost_the_same_for_few_and_many(coordinator_client, count_queries, groups, page):
    groups(FEW)
    group_id = groups.pool if page == "pool" else groups.mobility
    url = "/groups/" if page == "list" else f"/groups/{group_id}"
    few = statements(coordinator_client, count_queries, url)
    groups(MANY - FEW)
    assert statements(coordinator_client, count_queries, url) == few
