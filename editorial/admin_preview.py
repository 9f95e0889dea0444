"""Preview buttons for the article admin: the page as readers will see it, and a link to share."""

from typing import TYPE_CHECKING

from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from articles.models import Article

from . import revisions
from .preview import ArticlePreviewView, shared_preview_expiry, shared_preview_url

if TYPE_CHECKING:
    # To the type checker the mixin is the ModelAdmin it is mixed into.
    from django.contrib.admin import ModelAdmin

    ArticleModelAdmin = ModelAdmin[Article]
else:
    ArticleModelAdmin = object


class ArticlePreviewAdminMixin(ArticleModelAdmin):
    """Adds `<pk>/preview/` and `<pk>/preview/link/` to an article ModelAdmin.

    Both are open to whoever may view the article in this admin (`has_view_permission`, which
    knows each role's articles), for any status; anyone else gets a 403.
    """

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="{}_{}_preview".format(*info),
            ),
            path(
                "<path:object_id>/preview/link/",
                self.admin_site.admin_view(self.preview_link_view),
                name="{}_{}_preview_link".format(*info),
            ),
            *super().get_urls(),
        ]

    def get_previewable_article(self, request, object_id) -> Article:
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404(_("Статья не найдена."))
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        return article

    def preview_view(self, request, object_id):
        """The saved article on its reader page, even from the trash, which editors check.

        This is the moderator's review screen too: for an article that is not on the site now,
        it also says what changed since readers last saw it, or that they never did. A published or
        scheduled article is what readers get (or will), with nothing to compare.
        """
        article = self.get_previewable_article(request, object_id)
        edit_url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
            args=[quote(article.pk)],
            current_app=self.admin_site.name,
        )
        extra_context = {}
        if article.status != Article.Status.PUBLISHED:
            extra_context = {
                "compares_with_published": True,
                "since_publication": revisions.changes_since_publication(article),
            }
        view = ArticlePreviewView.as_view(
            queryset=Article.objects.all(), edit_url=edit_url, extra_context=extra_context
        )
        return view(request, pk=article.pk)

    def preview_link_view(self, request, object_id):
        """A signed link to the preview for someone without an admin account."""
        article = self.get_previewable_article(request, object_id)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Ссылка для предпросмотра"),
            "subtitle": str(article),
            "opts": self.opts,
            "original": article,
            "preview_url": shared_preview_url(request, article),
            "expires_at": shared_preview_expiry(),
            "is_trashed": article.is_trashed,
        }
        return TemplateResponse(request, "admin/articles/article/preview_link.html", context)
