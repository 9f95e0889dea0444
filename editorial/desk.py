"""The desk: the admin's start page, with what each person has to do next.

Each panel is a list of the articles the user may see in the article admin (its own
`get_queryset`: authors their own, editors and moderators their sites'), a count and a link to
the same list in the admin, filtered.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import cast
from urllib.parse import urlencode

from django.contrib import admin
from django.db.models import OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleQuerySet

from .models import ArticleTransition

PANEL_ROWS = 6
JUST_PUBLISHED = timedelta(hours=24)


@dataclass(frozen=True)
class Panel:
    title: str
    empty: str
    articles: list[Article]
    count: int
    url: str
    # What the panel's rows show beside the title: "sent" (who sent it, when, for how long),
    # "comment" (the moderator's comment), "scheduled" or "published" (the time), "updated".
    shows: str
    # Whether each row offers «Одобрить» and «Вернуть» (the list's actions, in one step).
    reviewable: bool = False


def _changelist(**params) -> str:
    url = reverse("admin:articles_article_changelist")
    return f"{url}?{urlencode(params)}" if params else url


def _last_step(action: str, field: str):
    steps = ArticleTransition.objects.filter(article=OuterRef("pk"), action=action)
    return Subquery(steps.order_by("-created_at", "-pk").values(field)[:1])


def _panel(
    request,
    articles: QuerySet,
    *,
    title: str,
    empty: str,
    url: str,
    shows: str,
    reviewable: bool = False,
) -> Panel:
    return Panel(
        title=title,
        empty=empty,
        articles=list(articles[:PANEL_ROWS]),
        count=articles.count(),
        url=url,
        shows=shows,
        reviewable=reviewable,
    )


def panels_for(request) -> list[Panel]:
    """The panels of the user's desk, in the order the work comes: writers see their drafts and
    what came back to them; those who publish, the review queue and today's schedule."""
    user = request.user
    article_admin = admin.site._registry[Article]
    # The stubs know the model, not its manager: the queryset is the model's own class.
    every = cast(ArticleQuerySet, article_admin.get_queryset(request))
    visible = every.not_trashed()
    now = timezone.now()
    reviews = user.has_perm("articles.review_article") or user.has_perm("articles.publish_article")
    panels = []
    if user.has_perm("articles.add_article"):
        mine = visible.owned_by(user)
        panels += [
            _panel(
                request,
                mine.filter(status=Article.Status.RETURNED)
                .annotate(
                    returned_comment=_last_step(ArticleTransition.Action.RETURN, "comment"),
                    returned_at=_last_step(ArticleTransition.Action.RETURN, "created_at"),
                )
                .order_by("-updated_at"),
                title="Возвращены мне",
                empty="Ничего не вернули.",
                url=_changelist(status__exact=Article.Status.RETURNED),
                shows="comment",
            ),
            _panel(
                request,
                mine.filter(status=Article.Status.DRAFT).order_by("-updated_at"),
                title="Мои черновики",
                empty="Черновиков нет.",
                url=_changelist(status__exact=Article.Status.DRAFT),
                shows="updated",
            ),
        ]
    if reviews:
        queue = visible.filter(status=Article.Status.REVIEW)
    else:
        queue = visible.owned_by(user).filter(status=Article.Status.REVIEW)
    panels.append(
        _panel(
            request,
            queue.annotate(
                sent_at=_last_step(ArticleTransition.Action.SUBMIT, "created_at"),
                sent_by=_last_step(
                    ArticleTransition.Action.SUBMIT, "user__staff_profile__public_name"
                ),
                sent_by_login=_last_step(ArticleTransition.Action.SUBMIT, "user__username"),
            ).order_by("sent_at", "pk"),
            title="На проверке",
            empty="Очередь пуста.",
            url=_changelist(status__exact=Article.Status.REVIEW),
            shows="sent",
            reviewable=reviews,
        )
    )
    if reviews:
        today = timezone.localtime(now)
        today_ends = today.replace(hour=23, minute=59, second=59)
        panels.append(
            _panel(
                request,
                visible.filter(
                    status=Article.Status.PUBLISHED,
                    published_at__gt=now,
                    published_at__lte=today_ends,
                ).order_by("published_at"),
                title="Выйдут сегодня",
                empty="На сегодня ничего не запланировано.",
                url=_changelist(
                    status__exact=Article.Status.PUBLISHED,
                    published_at__year=today.year,
                    published_at__month=today.month,
                    published_at__day=today.day,
                ),
                shows="scheduled",
            )
        )
    panels.append(
        _panel(
            request,
            visible.filter(
                status=Article.Status.PUBLISHED,
                published_at__lte=now,
                published_at__gt=now - JUST_PUBLISHED,
            ).order_by("-published_at"),
            title="Вышли за сутки",
            empty="За последние сутки ничего не вышло.",
            url=_changelist(status__exact=Article.Status.PUBLISHED),
            shows="published",
        )
    )
    if article_admin.has_delete_permission(request):
        trashed = every.trashed().order_by("-deleted_at")
        panels.append(
            _panel(
                request,
                trashed,
                title="Корзина",
                empty="Корзина пуста.",
                url=_changelist(trash="yes"),
                shows="updated",
            )
        )
    return panels
