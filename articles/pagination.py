"""Pagination that costs the same at a thousand articles and at a million."""

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .models import ArticleQuerySet

# Beyond any archive's end, and small enough that its offset is a valid SQL bigint.
MAX_PAGE_NUMBER = 1_000_000


def rows_between(object_list, start, stop):
    """The list's rows from `start` to `stop`, in one query.

    Past the first rows the skipped ones are found by their ids alone, which the list's index
    holds, and only the wanted rows are read from the table: a plain OFFSET reads every skipped
    article in full, and page 500 of a rubric skips ten thousand. A site's article list skips
    over its placements' index (`ArticleQuerySet.ids_between`).
    """
    if start == 0 or not isinstance(object_list, QuerySet):
        return list(object_list[start:stop])
    if isinstance(object_list, ArticleQuerySet):
        wanted_ids = object_list.ids_between(start, stop)
    else:
        wanted_ids = object_list.values("pk")[start:stop]
    return list(object_list.filter(pk__in=wanted_ids))


class SkipByIdPaginator(Paginator):
    """Django's numbered pages, counted as usual, with deep pages read like `rows_between`."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = rows_between(self.object_list, bottom, top)
        return Page(rows, number, self)


class NewerOlderPage(Page):
    def __init__(self, object_list, number, paginator, *, has_next):
        super().__init__(object_list, number, paginator)
        self._has_next = has_next

    def has_next(self):
        return self._has_next


class NewerOlderPaginator(Paginator):
    """ "Новее / Старше" pages that never count the list.

    Counting a rubric, tag, region or search of a large archive reads every one of its articles
    on each request; a page instead reads one row past its own end to know whether there is more.
    """

    # Pages are not counted, so ListView's "?page=last" means the first page.
    num_pages = 1

    def validate_number(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(_("Номер страницы должен быть числом.")) from None
        if number < 1:
            raise EmptyPage(_("Номер страницы меньше 1."))
        if number > MAX_PAGE_NUMBER:
            raise EmptyPage(_("Такой страницы нет."))
        return number

    def page(self, number):
        number = self.validate_number(number)
        start = (number - 1) * self.per_page
        rows = rows_between(self.object_list, start, start + self.per_page + 1)
        if not rows and number > 1:
            raise EmptyPage(_("На этой странице ничего нет."))
        return NewerOlderPage(
            rows[: self.per_page], number, self, has_next=len(rows) > self.per_page
        )
