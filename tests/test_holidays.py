"""Tests for sim.holidays: Easter dates, the Norwegian holiday list and the holiday lookup."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.holidays import (
    NAME_SEPARATOR,
    easter_sunday,
    is_public_holiday,
    norwegian_public_holidays,
)

ALL_NAMES = {
    "1. nyttårsdag",
    "skjærtorsdag",
    "langfredag",
    "1. påskedag",
    "2. påskedag",
    "Arbeidernes dag",
    "Grunnlovsdag",
    "Kristi himmelfartsdag",
    "1. pinsedag",
    "2. pinsedag",
    "1. juledag",
    "2. juledag",
}

years = st.integers(min_value=1900, max_value=2200)


@pytest.mark.parametrize(
    "expected",
    [
        date(2022, 4, 17),
        date(2024, 3, 31),
        date(2025, 4, 20),
        date(2038, 4, 25),  # latest possible date
        date(1818, 3, 22),  # earliest possible date
        date(2285, 3, 22),
        date(2000, 4, 23),
        date(2008, 3, 23),
        date(2027, 3, 28),
    ],
)
def test_easter_sunday_matches_published_dates(expected):
    assert easter_sunday(expected.year) == expected


def test_easter_sunday_agrees_with_dateutil_for_the_gregorian_era():
    dateutil_easter = pytest.importorskip("dateutil.easter")
    for year in range(1583, 4100):
        assert easter_sunday(year) == dateutil_easter.easter(year), year


def test_2022_holidays_are_the_twelve_expected_dates_and_names():
    assert norwegian_public_holidays(2022) == {
        date(2022, 1, 1): "1. nyttårsdag",
        date(2022, 4, 14): "skjærtorsdag",
        date(2022, 4, 15): "langfredag",
        date(2022, 4, 17): "1. påskedag",
        date(2022, 4, 18): "2. påskedag",
        date(2022, 5, 1): "Arbeidernes dag",
        date(2022, 5, 17): "Grunnlovsdag",
        date(2022, 5, 26): "Kristi himmelfartsdag",
        date(2022, 6, 5): "1. pinsedag",
        date(2022, 6, 6): "2. pinsedag",
        date(2022, 12, 25): "1. juledag",
        date(2022, 12, 26): "2. juledag",
    }


def test_holidays_are_returned_in_date_order():
    dates = list(norwegian_public_holidays(2022))
    assert dates == sorted(dates)


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2008, 5, 1), "Arbeidernes dag og Kristi himmelfartsdag"),
        (date(2007, 5, 17), "Grunnlovsdag og Kristi himmelfartsdag"),
        (date(2027, 5, 17), "Grunnlovsdag og 2. pinsedag"),
        (date(2043, 5, 17), "Grunnlovsdag og 1. pinsedag"),
    ],
)
def test_holidays_sharing_a_date_keep_both_names_on_one_key(day, name):
    holidays = norwegian_public_holidays(day.year)
    assert holidays[day] == name
    assert len(holidays) == 11


@given(years)
def test_every_year_has_twelve_holidays_on_distinct_dates_unless_they_coincide(year):
    holidays = norwegian_public_holidays(year)
    names = [part for joined in holidays.values() for part in joined.split(NAME_SEPARATOR)]
    assert sorted(names) == sorted(ALL_NAMES)
    assert all(day.year == year for day in holidays)
    easter = easter_sunday(year)
    movable = {easter + timedelta(days=offset) for offset in (39, 49, 50)}
    collisions = len(movable & {date(year, 5, 1), date(year, 5, 17)})
    assert len(holidays) == 12 - collisions


@given(years)
def test_easter_is_a_sunday_between_22_march_and_25_april(year):
    easter = easter_sunday(year)
    assert easter.weekday() == 6
    assert date(year, 3, 22) <= easter <= date(year, 4, 25)


@given(years)
def test_ascension_is_always_a_thursday(year):
    ascension = easter_sunday(year) + timedelta(days=39)
    assert ascension.weekday() == 3
    assert "Kristi himmelfartsdag" in norwegian_public_holidays(year)[ascension]


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)))
def test_is_public_holiday_agrees_with_the_holiday_list(day):
    assert is_public_holiday(day) == (day in norwegian_public_holidays(day.year))


def test_is_public_holiday_ignores_ordinary_sundays_and_weekdays():
    assert is_public_holiday(date(2022, 5, 17))
    assert is_public_holiday(date(2022, 12, 26))
    assert not is_public_holiday(date(2022, 5, 22))  # an ordinary Sunday
    assert not is_public_holiday(date(2022, 5, 18))  # an ordinary Wednesday
