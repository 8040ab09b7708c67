"""Properties of the month a payout list covers and of the allowance, over many dates and rates."""

from datetime import datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from app.appointments import services

moments = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31)).map(
    lambda moment: moment.replace(tzinfo=timezone.utc)
)


@given(moments)
def test_every_moment_falls_in_the_payout_month_of_its_german_date(moment):
    month = moment.astimezone(services.BERLIN).strftime("%Y-%m")
    start, end = services.month_bounds(month)
    assert start <= moment < end
    assert (end - start) in {timedelta(days=days, hours=hours) for days in (28, 29, 30, 31) for hours in (-1, 0, 1)}


@given(st.integers(0, 10_000), st.integers(0, 500), st.integers(0, 2000))
def test_the_allowance_is_the_rate_per_appointment_plus_the_rate_per_km(per_assignment, per_km, km):
    rates = services.Rates(per_assignment, per_km)
    assert rates.allowance(True, km) == per_assignment + per_km * km
    assert rates.allowance(False, km) == 0
