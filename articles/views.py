from typing import Any

from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView, TemplateView
from django_filters.views import FilterView

from network.hosts import current_site, url_on_site
from newsroom import fragments
from newsroom.pagecache import patch_error_cache_control
from regions.models import Region
from staff.models import StaffProfile

from .filters import ArchiveFilter
from .forms import SearchForm
from .home import home_page
from .models import (
    AgeMark,
    Article,
    ArticleQuerySet,
    ArticleSlugRedirect,
    Rubric,
    Tag,
)
from .page import ArticlePageRef, find_article_page_ref, rendered_parts, stored_parts
from .pagination import NewerOlderPaginator
from .partitions import ListKind, article_page_partition, list_page_partition
from .search import mark_matches, parse_query, search

ADULT_CONFIRMED_SESSION_KEY = "adult_confirmed"


class HomeView(TemplateView):
    template_name = "articles/home.html"
    page_cache_query_parameters: frozenset[str] = frozenset()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(home=home_page(self.request, current_site()), **kwargs)


class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"
    page_cache_query_parameters: frozenset[str] = frozenset()
    context_object_name = "article"
    object: Article | ArticlePageRef  # a ref when the parts are stored

    @staticmethod
    def page_cache_partition(site_partition: str, slug: str) -> str:
        return article_page_partition(slug)

    def get_queryset(self) -> QuerySet[Article]:
        return Article.objects.published().for_article_page(current_site())

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            self.object = self.article_or_ref()
        except Http404:
            return self.article_elsewhere(kwargs["slug"])
        if not self.object.is_carried_by(current_site()):
            # Published, but not on this site: its address here leads to the one on its own.
            return redirect(self.canonical_url(), permanent=True)
        return self.render_to_response(self.get_context_data(object=self.object))

    def article_or_ref(self) -> Article | ArticlePageRef:
        """The article; only what names its stored parts when the page may use fragments (one
        the page cache serves), the parts then coming from the cache (`articles.page`)."""
        if fragments.generations_of(self.request) is None:
            return self.get_object()
        ref = find_article_page_ref(current_site(), self.kwargs["slug"])
        if ref is None:
            raise Http404
        return ref

    def canonical_url(self) -> str:
        """The article's address on its primary site, wherever it is read."""
        return url_on_site(self.object.site_id, self.object.get_absolute_url(), self.request)

    def article_elsewhere(self, slug: str) -> HttpResponse:
        """An old address 301s to the article's current one; a trashed article is 410 Gone."""
        moved_to = ArticleSlugRedirect.objects.current_article(slug)
        if moved_to is not None:
            return redirect(moved_to, permanent=True)
        if Article.objects.trashed().filter(slug=slug).exists():
            gone = TemplateResponse(self.request, "410.html", status=410)
            patch_error_cache_control(self.request, gone)
            return gone
        raise Http404

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        needs_age_gate = self.object.age_mark == AgeMark.EIGHTEEN and not self.request.session.get(
            ADULT_CONFIRMED_SESSION_KEY
        )
        canonical_url = self.canonical_url()
        if isinstance(self.object, ArticlePageRef):
            parts = stored_parts(self.request, self.object, canonical_url)
        else:
            parts = rendered_parts(self.request, self.object, canonical_url)
        return super().get_context_data(
            needs_age_gate=needs_age_gate, canonical_url=canonical_url, parts=parts, **kwargs
        )


@csrf_exempt
@require_POST
def confirm_age(request: HttpRequest) -> HttpResponseRedirect:
    """Remember for the session that the reader is an adult, then return to the article.

    CSRF-exempt on purpose: anonymous pages are cached and carry no per-reader token, and a
    forged request could do no more than skip a confirmation screen.
    """
    request.session[ADULT_CONFIRMED_SESSION_KEY] = True
    next_url = request.POST.get("next", "")
    if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    # Not `redirect()`: it would take a word for a URL pattern's name and fail to find it.
    return HttpResponseRedirect(next_url)


class ArchiveView(FilterView):
    """Every published article, filtered by rubric, region, tag, author, age mark and dates."""

    filterset_class = ArchiveFilter
    paginate_by = 20
    page_cache_query_parameters = frozenset({*ArchiveFilter.base_filters, "page"})
    paginator_class = NewerOlderPaginator
    template_name = "articles/archive.html"
    context_object_name = "articles"

    def get_queryset(self) -> QuerySet[Article]:
        return Article.objects.published_on(current_site()).for_cards()


class ArticleListView(ListView):
    """A paginated list of published articles under a heading: the base of every list page."""

    paginate_by = 20
    paginator_class = NewerOlderPaginator
    template_name = "articles/article_list.html"
    page_cache_query_parameters = frozenset({"page"})
    context_object_name = "articles"
    # What the list is of, for the page cache's partition of its pages (`articles.partitions`).
    list_kind: str
    # Set by `get_articles`: what the list is of, and the title it is shown under.
    subject: Model
    heading: str

    @classmethod
    def page_cache_partition(cls, site_partition: str, slug: str) -> str:
        return list_page_partition(site_partition, cls.list_kind, slug)

    def get_articles(self) -> ArticleQuerySet:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet[Article]:
        return self.get_articles().for_cards()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(heading=self.heading, subject=self.subject, **kwargs)


class RubricArticleListView(ArticleListView):
    list_kind = ListKind.RUBRIC

    def get_articles(self) -> ArticleQuerySet:
        self.subject = get_object_or_404(Rubric, slug=self.kwargs["slug"])
        self.heading = self.subject.name
        return Article.objects.published_on(current_site()).in_rubric_on(self.subject)


class TagArticleListView(ArticleListView):
    list_kind = ListKind.TAG

    def get_articles(self) -> ArticleQuerySet:
        self.subject = get_object_or_404(Tag, slug=self.kwargs["slug"])
        self.heading = f"#{self.subject.name}"
        return Article.objects.published_on(current_site()).filter(tags=self.subject)


class RegionArticleListView(ArticleListView):
    """A region's news includes the news of every region below it."""

    list_kind = ListKind.REGION
    template_name = "regions/region_detail.html"
    subject: Region

    def get_articles(self) -> ArticleQuerySet:
        self.subject = get_object_or_404(
            Region.objects.select_related("parent"), slug=self.kwargs["slug"]
        )
        self.heading = self.subject.name
        return Article.objects.published_on(current_site()).in_region(self.subject)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(subregions=self.subject.children.all(), **kwargs)


class AuthorArticleListView(ArticleListView):
    list_kind = ListKind.AUTHOR
    template_name = "staff/author_detail.html"

    def get_articles(self) -> ArticleQuerySet:
        profiles = StaffProfile.objects.select_related("photo").prefetch_related(
            "photo__renditions"
        )
        self.subject = get_object_or_404(profiles, slug=self.kwargs["slug"])
        self.heading = self.subject.public_name
        return Article.objects.published_on(current_site()).filter(authors=self.subject)


class SearchView(ListView):
    """Published articles that contain every word of the query, in any of its forms."""

    paginate_by = ArticleListView.paginate_by
    paginator_class = NewerOlderPaginator
    template_name = "articles/search.html"
    page_cache_query_parameters = frozenset({*SearchForm.base_fields, "page"})
    context_object_name = "articles"

    def get_queryset(self) -> QuerySet[Article]:
        self.form = SearchForm(self.request.GET)
        self.form.is_valid()
        filters = self.form.cleaned_data
        self.query = filters.get("q", "")
        self.terms = parse_query(self.query)
        articles = Article.objects.published_on(current_site())
        if filters.get("rubric"):
            articles = articles.in_rubric_on(filters["rubric"])
        if filters.get("region"):
            articles = articles.in_region(filters["region"])
        return search(articles, self.terms).for_search_results()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(
            form=self.form,
            query=self.query,
            is_filtered=bool(
                self.form.cleaned_data.get("rubric") or self.form.cleaned_data.get("region")
            ),
            **kwargs,
        )
        mark_matches(context["articles"], self.terms)
        return context
