"""Norwegian public holidays for any year, so the simulator can close services without a calendar
package."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

# Joins the names of two holidays that fall on the same date (e.g. 1 May and Ascension in 2008).
NAME_SEPARATOR = " og "

# Offsets from Easter Sunday, in days, of the movable holidays.
_MOVABLE: tuple[tuple[int, str], ...] = (
    (-3, "skjærtorsdag"),
    (-2, "langfredag"),
    (0, "1. påskedag"),
    (1, "2. påskedag"),
    (39, "Kristi himmelfartsdag"),
    (49, "1. pinsedag"),
    (50, "2. pinsedag"),
)

# (month, day) of the fixed holidays.
_FIXED: tuple[tuple[int, int, str], ...] = (
    (1, 1, "1. nyttårsdag"),
    (5, 1, "Arbeidernes dag"),
    (5, 17, "Grunnlovsdag"),
    (12, 25, "1. juledag"),
    (12, 26, "2. juledag"),
)


def easter_sunday(year: int) -> date:
    """Western (Gregorian) Easter Sunday by the anonymous Meeus/Jones/Butcher algorithm.

    Every movable Norwegian holiday is a fixed offset from this date.
    """
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return date(year, month, day + 1)


def norwegian_public_holidays(year: int) -> dict[date, str]:
    """Map each Norwegian public holiday date in `year` to its name, in date order.

    Holidays that share a date (Ascension or Whitsun on 1 or 17 May) get one key, names joined.
    """
    easter = easter_sunday(year)
    named = [(date(year, month, day), name) for month, day, name in _FIXED]
    named += [(easter + timedelta(days=offset), name) for offset, name in _MOVABLE]
    holidays: dict[date, str] = {}
    for day, name in sorted(named, key=lambda pair: pair[0]):
        holidays[day] = f"{holidays[day]}{NAME_SEPARATOR}{name}" if day in holidays else name
    return holidays


@lru_cache(maxsize=8)
def _holiday_dates(year: int) -> frozenset[date]:
    """Holiday dates of one year, cached because the simulator asks about the same years often."""
    return frozenset(norwegian_public_holidays(year))


def is_public_holiday(day: date) -> bool:
    """True if `day` is a Norwegian public holiday; ordinary Sundays are not counted."""
    return day in _holiday_dates(day.year)
