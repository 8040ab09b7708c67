"""Helpers of the page-cost tests (tests/*/test_*_page_costs.py): a page's statements for few and many rows."""

from app.extensions import db

FEW, MANY = 3, 30  # MANY is more than a list's page (LIST_PAGE_SIZE 25): paged lists show a full page


def statements(client, count_queries, url: str) -> int:
    """How many SQL statements a GET of ``url`` sends, after one request that warms what the app caches
    per process (reference data, translations); the page must answer 200.

    The tests share the app's session, whose identity map holds every row the test made and would answer
    a page's look-ups one by one without a statement; the request starts with an empty one, as in
    production. Tests keep ids, not records, across this call."""
    client.get(url)
    db.session.expunge_all()
    with count_queries() as counted:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(counted)
