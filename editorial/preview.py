"""Previews: an unpublished article on its reader page, for staff and for outside reviewers.

Staff preview through the admin, which checks who may see the article. An outside reviewer gets
a link whose token is the article's primary key signed with the site's secret key and a salt of
its own: it opens that one article and no other, and stops working after
`NEWSROOM_PREVIEW_MAX_AGE` seconds.
"""

import functools
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.views.defaults import page_not_found
from django.views.generic import DetailView

from articles.models import Article
from articles.views import ArticleDetailView
from network.hosts import current_site

PREVIEW_SALT = "articles.preview"
ROBOTS_DIRECTIVE = "noindex, nofollow"


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=PREVIEW_SALT)


def make_preview_token(article: Article) -> str:
    return _signer().sign_object({"pk": article.pk})


def read_preview_token(token: str) -> int:
    """The article's primary key; `SignatureExpired` if the link is too old, `BadSignature`
    (its parent class) if the token was not made by `make_preview_token` with this secret key.
    """
    payload = _signer().unsign_object(token, max_age=settings.NEWSROOM_PREVIEW_MAX_AGE)
    return payload["pk"]


def shared_preview_url(request, article: Article) -> str:
    token = make_preview_token(article)
    return request.build_absolute_uri(reverse("editorial:preview", kwargs={"token": token}))


def shared_preview_expiry():
    """When a link made now stops working."""
    return timezone.now() + timedelta(seconds=settings.NEWSROOM_PREVIEW_MAX_AGE)


def private_response(view):
    """Mark every answer, the 404 included, as never to be cached or indexed.

    A page cache in front of the site keys on the URL: a preview stored there would be shown to
    whoever asks next, and a stored 404 would outlive the article's return from the trash.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except Http404 as exception:
            response = page_not_found(request, exception)
        add_never_cache_headers(response)
        response.headers["X-Robots-Tag"] = ROBOTS_DIRECTIVE
        return response

    return wrapper


@method_decorator(private_response, name="dispatch")
class ArticlePreviewView(ArticleDetailView):
    """The article page exactly as readers will get it, whatever the status, under a banner.

    The caller decides which articles may be shown by passing `queryset`; by default, any that
    is not in the trash.
    """

    template_name = "articles/preview.html"
    queryset = Article.objects.not_trashed()
    edit_url = None

    def get_queryset(self):
        return self.queryset.for_article_page(current_site())

    def get(self, request, *args, **kwargs):
        """Found by primary key or not at all: the article page's old-address redirects and
        410 for the trash are about public addresses, which a preview does not have."""
        return DetailView.get(self, request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(edit_url=self.edit_url, **kwargs)


@private_response
def shared_preview(request, token):
    """The page an outside reviewer opens from a signed link.

    A token that is not ours is a 404, as for any unknown address. A genuine token that is too
    old is a 410 Gone: the link did work and never will again, which is what the reviewer needs
    to hear to ask for a new one; a 403 would suggest that logging in could help.
    """
    try:
        pk = read_preview_token(token)
    except signing.SignatureExpired:
        return render(request, "articles/preview_expired.html", status=410)
    except signing.BadSignature as error:
        raise Http404("Not a preview link") from error
    return ArticlePreviewView.as_view()(request, pk=pk)
