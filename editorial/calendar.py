"""The editorial calendar («Планирование»): published and scheduled articles by day, a week or a
month at a time, as the article admin shows them to the user."""

import calendar as stdlib_calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from articles.models import Article

WEEK = "week"
MONTH = "month"
# Dates a newsroom plans in; beyond them a month's neighbours overflow `date`.
FIRST_YEAR, LAST_YEAR = 1900, 2999


@dataclass
class Day:
    date: date
    in_period: bool
    articles: list[Article] = field(default_factory=list)

    @property
    def is_today(self) -> bool:
        return self.date == timezone.localdate()


@dataclass
class Period:
    """A week or a month of days, whole weeks from Monday to Sunday."""

    kind: str
    start: date
    weeks: list[list[Day]]

    @property
    def previous(self) -> date:
        if self.kind == WEEK:
            return self.start - timedelta(days=7)
        return (self.start.replace(day=1) - timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> date:
        if self.kind == WEEK:
            return self.start + timedelta(days=7)
        days = stdlib_calendar.monthrange(self.start.year, self.start.month)[1]
        return self.start.replace(day=1) + timedelta(days=days)


def parse_start(kind: str, value: str | None) -> date:
    """The period's first day from `?start=YYYY-MM-DD` (any day inside it); today's period when
    the value is missing or not a date."""
    today = timezone.localdate()
    try:
        day = date.fromisoformat(value) if value else today
    except ValueError:
        day = today
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        day = today
    if kind == WEEK:
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def period_of(kind: str, start: date, articles: QuerySet[Article]) -> Period:
    """The days of the period with the articles that come or came out on each, in order."""
    if kind == WEEK:
        first, last = start, start + timedelta(days=6)
    else:
        month_end = start.replace(day=stdlib_calendar.monthrange(start.year, start.month)[1])
        first = start - timedelta(days=start.weekday())
        last = month_end + timedelta(days=6 - month_end.weekday())
    zone = timezone.get_current_timezone()
    begins = datetime.combine(first, time.min, tzinfo=zone)
    ends = datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone)
    shown = (
        articles.filter(
            status=Article.Status.PUBLISHED, published_at__gte=begins, published_at__lt=ends
        )
        .select_related("site")
        .only("title", "published_at", "status", "deleted_at", "site__name")
        .order_by("published_at", "pk")
    )
    by_day: dict[date, list[Article]] = {}
    for article in shown:
        assert article.published_at is not None
        by_day.setdefault(timezone.localtime(article.published_at).date(), []).append(article)
    days: list[Day] = [
        Day(
            date=first + timedelta(days=offset),
            in_period=kind == WEEK or (first + timedelta(days=offset)).month == start.month,
            articles=by_day.get(first + timedelta(days=offset), []),
        )
        for offset in range((last - first).days + 1)
    ]
    return Period(kind=kind, start=start, weeks=[days[i : i + 7] for i in range(0, len(days), 7)])
