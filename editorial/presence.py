"""Who else has an article's change form open, kept in the shared cache.

Opening the form notes the editor for PRESENCE_SECONDS; saving it forgets them. It is a hint
for people, not a lock: the version check is what actually protects the text.
"""

from contextlib import suppress
from datetime import datetime
from typing import TypedDict

from django.contrib.auth.models import User
from django.core.cache import cache
from django.utils import timezone

from articles.models import Article

PRESENCE_SECONDS = 30 * 60

# User id: (name, when they opened the form as a Unix timestamp).
Viewers = dict[int, tuple[str, float]]


class OtherViewer(TypedDict):
    name: str
    since: datetime


def _key(article: Article) -> str:
    return f"article-open:{article.pk}"


def _current(article: Article) -> Viewers:
    cutoff = timezone.now().timestamp() - PRESENCE_SECONDS
    viewers: Viewers = {}
    # A hint is not worth an error page when the cache is down.
    with suppress(Exception):
        viewers = cache.get(_key(article)) or {}
    return {user_id: seen for user_id, seen in viewers.items() if seen[1] > cutoff}


def _store(article: Article, viewers: Viewers) -> None:
    with suppress(Exception):
        cache.set(_key(article), viewers, PRESENCE_SECONDS)


def note_open(article: Article, user: User) -> None:
    viewers = _current(article)
    viewers[user.pk] = (user.get_full_name() or user.get_username(), timezone.now().timestamp())
    _store(article, viewers)


def note_closed(article: Article, user: User) -> None:
    viewers = _current(article)
    if viewers.pop(user.pk, None) is not None:
        _store(article, viewers)


def others_with_it_open(article: Article, user: User) -> list[OtherViewer]:
    """Names and opening times of the other people with the form open, earliest first."""
    return [
        {
            "name": name,
            "since": datetime.fromtimestamp(seen, tz=timezone.get_current_timezone()),
        }
        for user_id, (name, seen) in sorted(_current(article).items(), key=lambda item: item[1][1])
        if user_id != user.pk
    ]
