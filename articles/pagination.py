"""Pagination that costs the same at a thousand articles and at a million."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

MAX_PAGES = 500


class BoundedPaginator(Paginator):
    """Counts rows only as far as its last page: the list shows "из 500+" beyond that.

    Counting a rubric, tag or region of a large archive to its end costs a scan of every one of
    its articles on every request; readers who go further back use the archive's date filter.
    """

    max_pages = MAX_PAGES

    @cached_property
    def count(self):
        return self.object_list[: self.per_page * self.max_pages + 1].count()

    @cached_property
    def num_pages(self):
        return min(super().num_pages, self.max_pages)

    @property
    def has_more_than_shown(self):
        return self.count > self.per_page * self.max_pages
