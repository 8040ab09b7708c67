"""The proposals page at scale: pages of 25, the filters kept after every decision, several decided at once,
the fit in words, alternatives on demand, the scope, and a statement count that does not grow with the rows."""

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from app.matches.explain import fit_words
from app.models import Agreement, MatchRun, Proposal, ProposalStatus, Role, UnmatchedRefugee

REASONS = [{"code": "shared_need", "detail": "mentoring"}, {"code": "nearby", "detail": "2.5"}]


@pytest.fixture
def propose(db, coordinator, make_refugee, make_volunteer):
    """``propose(n, place=…)``: ``n`` stored proposals (each with its own refugee, volunteer and an alternative)
    and as many people without a match, in one run over the whole installation."""
    run = MatchRun(
        started_by=coordinator,
        scope="installation",
        settings={},
        metrics={"proposed": 0, "unmatched": 0, "seconds_total": 1},
    )
    db.session.add(run)
    db.session.commit()
    made = []

    def build(count: int, place: str = "soest") -> list[Proposal]:
        start = len(made)
        for index in range(start, start + count):
            refugee = make_refugee(f"Person {place} {index}", locality=place).refugee_profile
            volunteer = make_volunteer(f"Helper {place} {index}", email=f"h{place}{index}@example.org", locality=place)
            other = make_volunteer(f"Other {place} {index}", email=f"o{place}{index}@example.org", locality=place)
            unmatched = make_refugee(f"Alone {place} {index}", locality=place, needs={"driving": "needed"})
            proposal = Proposal(
                run_id=run.id,
                refugee=refugee,
                volunteer=volunteer.volunteer_profile,
                score=0.9 - index / 1000,
                reasons=REASONS,
                alternatives=[{"volunteer": other.volunteer_profile.id, "score": 0.6}],
            )
            db.session.add_all(
                [proposal, UnmatchedRefugee(run_id=run.id, refugee=unmatched.refugee_profile, reason="too_far")]
            )
            made.append(proposal)
        db.session.commit()
        return made[start:]

    return build


def articles(page: str) -> list[str]:
    return re.findall(r'<article class="proposal" id="proposal-(\d+)"', page)


@pytest.mark.parametrize(
    "url",
    [
        "/matching/",
        "/matching/?locality=soest&language=ar",
        "/matching/unmatched",
        "/matching/proposals/{id}/alternatives",
    ],
)
def test_the_statements_of_a_page_do_not_grow_with_its_rows(coordinator_client, propose, count_queries, db, url):
    first = propose(3)[0]
    url = url.format(id=first.id)
    db.session.expire_all()  # both requests start from nothing loaded, as in production
    with count_queries() as few:
        assert coordinator_client.get(url).status_code == 200
    propose(27)
    db.session.expire_all()
    with count_queries() as many:
        assert coordinator_client.get(url).status_code == 200
    assert len(many) == len(few)


def test_proposals_come_25_to_a_page_with_links_and_a_count(coordinator_client, propose):
    made = propose(30)
    first = coordinator_client.get("/matching/").get_data(as_text=True)
    second = coordinator_client.get("/matching/?page=2").get_data(as_text=True)
    assert articles(first) == [str(p.id) for p in made[:25]]  # best first
    assert articles(second) == [str(p.id) for p in made[25:]]
    assert "30 offene Vorschläge" in first
    assert 'href="/matching/?page=2"' in first
    beyond = coordinator_client.get("/matching/?page=9")
    assert beyond.status_code == 302 and beyond.location.endswith("page=2")


def test_each_proposal_names_who_is_who_links_both_and_says_the_fit_in_words(coordinator_client, propose):
    [proposal] = propose(1)
    page = coordinator_client.get("/matching/").get_data(as_text=True)
    assert f'Geflüchtete Person: <a href="/refugees/{proposal.refugee_id}">' in page
    assert f'Ehrenamtliche Person: <a href="/volunteers/{proposal.volunteer_id}">' in page
    assert "Passung: sehr gut (90 von 100)" in page
    assert "1 Alternative" in page and "Other" not in page  # the alternatives' names come on demand


@pytest.mark.parametrize(("score", "words"), [(0.95, "very good"), (0.8, "very good"), (0.7, "good"), (0.5, "fair")])
def test_fit_in_words(app, score, words):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert fit_words(score) == words


def test_alternatives_on_their_own_page_keep_the_filters(coordinator_client, propose, db):
    [proposal] = propose(1)
    page = coordinator_client.get(f"/matching/proposals/{proposal.id}/alternatives?locality=soest&page=1").get_data(
        as_text=True
    )
    alternative = proposal.alternatives[0]["volunteer"]
    assert "Other soest 0" in page and f'value="{alternative}"' in page
    response = coordinator_client.post(
        f"/matching/proposals/{proposal.id}/swap?locality=soest&page=1", data={"volunteer": str(alternative)}
    )
    assert response.location == "/matching/?locality=soest&page=1"
    assert proposal.status == ProposalStatus.SUPERSEDED


def test_a_rejection_comes_back_to_the_same_filters_and_page(coordinator_client, propose, db):
    [proposal] = propose(1)
    response = coordinator_client.post(
        f"/matching/proposals/{proposal.id}/reject?locality=soest&language=ar&page=1&evil=x",
        data={"note": "kennen sich"},
    )
    assert response.location == "/matching/?locality=soest&language=ar&page=1"  # only the filters' own fields
    assert proposal.status == ProposalStatus.REJECTED


def batch(client, ids, query="", **data):
    return client.post(f"/matching/proposals/decide{query}", data={"proposals": [str(i) for i in ids], **data})


def test_several_accepted_at_once_back_on_the_same_page(coordinator_client, propose, db):
    made = propose(3)
    response = batch(coordinator_client, [made[0].id, made[2].id], "?locality=soest&page=1", accept="1")
    assert response.location == "/matching/?locality=soest&page=1"
    assert [p.status for p in made] == [ProposalStatus.ACCEPTED, ProposalStatus.PROPOSED, ProposalStatus.ACCEPTED]
    assert db.session.scalar(select(func.count(Agreement.id))) == 2


def test_several_rejected_at_once_need_a_reason(coordinator_client, propose, db):
    made = propose(2)
    page = batch(coordinator_client, [p.id for p in made], reject="1", note="")
    assert [p.status for p in made] == [ProposalStatus.PROPOSED] * 2
    assert "kurzen Grund" in coordinator_client.get(page.location).get_data(as_text=True)
    batch(coordinator_client, [p.id for p in made], reject="1", note="passt nicht")
    db.session.expire_all()
    assert [(p.status, p.decision_note) for p in made] == [(ProposalStatus.REJECTED, "passt nicht")] * 2


def test_a_stale_or_taken_proposal_in_a_batch_is_reported_and_the_rest_decided(
    coordinator_client, propose, db, coordinator
):
    stale, taken, fine = propose(3)
    stale.status = ProposalStatus.REJECTED
    db.session.add(
        Agreement(
            refugee=taken.refugee,
            volunteer=fine.volunteer,
            contact_person=coordinator,
            starts_on=date.today(),
            ends_on=date.today(),
        )
    )
    db.session.commit()
    response = batch(coordinator_client, [stale.id, taken.id, fine.id], accept="1", follow_redirects=True)
    response = coordinator_client.get(response.location)
    page = response.get_data(as_text=True)
    assert fine.status == ProposalStatus.ACCEPTED
    assert (stale.status, taken.status) == (ProposalStatus.REJECTED, ProposalStatus.PROPOSED)
    assert "1 Vorschlag angenommen" in page
    assert page.count("Nicht entschieden") == 2


@pytest.mark.parametrize("ids", [[], ["abc"], ["0"], ["99999999999"]])
def test_a_batch_without_a_readable_selection_changes_nothing(coordinator_client, propose, db, ids):
    made = propose(1)
    response = coordinator_client.post("/matching/proposals/decide?page=1", data={"proposals": ids, "accept": "1"})
    assert response.status_code == 302 and response.location == "/matching/?page=1"
    assert made[0].status == ProposalStatus.PROPOSED
    assert "mindestens einen Vorschlag" in coordinator_client.get(response.location).get_data(as_text=True)


@pytest.mark.parametrize("foreign", ["elsewhere", "missing"])
def test_a_batch_with_a_proposal_outside_the_scope_is_404_and_changes_nothing(
    client, login, propose, db, make_user, foreign
):
    mine = propose(1, place="lippstadt")[0]
    theirs = propose(1, place="werl")[0]
    coordinator = make_user(Role.COORDINATOR, email="l@example.org", places=("lippstadt",))
    login(client, coordinator)
    other = theirs.id if foreign == "elsewhere" else theirs.id + 1000
    assert batch(client, [mine.id, other], accept="1").status_code == 404
    assert (mine.status, theirs.status) == (ProposalStatus.PROPOSED, ProposalStatus.PROPOSED)
    assert db.session.scalar(select(func.count(Agreement.id))) == 0


def test_a_coordinator_sees_only_their_areas_proposals(client, login, propose, make_user):
    mine = propose(2, place="lippstadt")
    theirs = propose(2, place="werl")
    coordinator = make_user(Role.COORDINATOR, email="l@example.org", places=("lippstadt",))
    login(client, coordinator)
    page = client.get("/matching/").get_data(as_text=True)
    assert sorted(articles(page)) == sorted(str(p.id) for p in mine)
    assert "Alone werl" not in page and "Alone lippstadt" in page
    assert client.get(f"/matching/proposals/{theirs[0].id}/alternatives").status_code == 404
