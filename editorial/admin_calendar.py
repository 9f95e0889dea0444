"""The article admin's calendar view («Планирование»)."""

from typing import TYPE_CHECKING, cast

from django.template.response import TemplateResponse
from django.urls import path

from articles.models import Article, ArticleQuerySet
from network.models import Site

from . import calendar, permissions

if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin

    ArticleModelAdmin = ModelAdmin[Article]
else:
    ArticleModelAdmin = object

MONTH_NAMES = [
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
]  # fmt: skip


class ArticleCalendarAdminMixin(ArticleModelAdmin):
    """Adds `calendar/` to the article admin: the user's articles (`get_queryset`) that came or
    come out in a week or a month, per site; opening an article is where it is rescheduled."""

    def get_urls(self):
        return [
            path(
                "calendar/",
                self.admin_site.admin_view(self.calendar_view),
                name="articles_article_calendar",
            ),
            *super().get_urls(),
        ]

    def calendar_view(self, request):
        kind = calendar.WEEK if request.GET.get("view") == calendar.WEEK else calendar.MONTH
        start = calendar.parse_start(kind, request.GET.get("start"))
        articles = cast(ArticleQuerySet, self.get_queryset(request)).not_trashed()
        sites = Site.objects.order_by("-is_default", "name")
        desk_sites = permissions.desk_site_ids(request.user)
        if desk_sites is not None:
            sites = sites.filter(pk__in=desk_sites)
        site_id = request.GET.get("site", "")
        site = sites.filter(pk=site_id).first() if site_id.isdigit() and len(site_id) < 10 else None
        if site is not None:
            articles = articles.filter(site=site)
        period = calendar.period_of(kind, start, articles)
        if kind == calendar.MONTH:
            heading = f"{MONTH_NAMES[start.month - 1].capitalize()} {start.year}"
        else:
            end = period.weeks[0][-1].date
            heading = f"{start:%d.%m} — {end:%d.%m.%Y}"
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Планирование",
            "period": period,
            "kind": kind,
            "heading": heading,
            "sites": list(sites),
            "site": site,
            "weekdays": ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"],
        }
        return TemplateResponse(request, "admin/articles/article/calendar.html", context)
