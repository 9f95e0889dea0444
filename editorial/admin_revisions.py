"""The article admin's revision history: list, compare two revisions, restore one.

Not reversion's VersionAdmin: its "revert" and "recover deleted" views put every field back,
status and publication time included, which would step around the editorial workflow.
"""

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from reversion.errors import RevertError

from articles.models import Article, ArticleAuthor
from regions.models import Region

from . import permissions, revisions, services

HISTORY_PER_PAGE = 50

if TYPE_CHECKING:
    # To the type checker the mixin is the ModelAdmin it is mixed into.
    from django.contrib.admin import ModelAdmin

    ArticleModelAdmin = ModelAdmin[Article]
else:
    ArticleModelAdmin = object


class ArticleRevisionsAdminMixin(ArticleModelAdmin):
    """History, comparison and restore views for the article admin (revisions are recorded by
    `editorial.services`, which every save goes through)."""

    revisions_template = "admin/articles/article/revisions/history.html"
    revisions_compare_template = "admin/articles/article/revisions/compare.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        own = [
            path(
                "<path:object_id>/revisions/",
                self.admin_site.admin_view(self.revisions_view),
                name="{}_{}_revisions".format(*info),
            ),
            path(
                "<path:object_id>/revisions/compare/",
                self.admin_site.admin_view(self.revisions_compare_view),
                name="{}_{}_revisions_compare".format(*info),
            ),
            path(
                "<path:object_id>/revisions/<int:revision_id>/revert/",
                self.admin_site.admin_view(require_POST(self.revision_restore_view)),
                name="{}_{}_revision_restore".format(*info),
            ),
        ]
        return own + super().get_urls()

    # Views

    def _article_or_404(self, request, object_id):
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404(_("Статья не найдена."))
        return article

    def _viewable_article(self, request, object_id):
        article = self._article_or_404(request, object_id)
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        return article

    def _version_or_404(self, article, revision_id):
        version = revisions.version_in_revision(article, revision_id)
        if version is None:
            raise Http404(_("У этой статьи нет такой версии."))
        return version

    def _revisions_context(self, request, article, **context):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "article": article,
            "has_change_permission": self.has_change_permission(request, article),
            **context,
        }

    def history_view(self, request, object_id, extra_context=None):
        """Django's «История» button opens the article's one history: its workflow steps and
        the versions of its text, with comparison and restore."""
        info = self.opts.app_label, self.opts.model_name
        return redirect("admin:{}_{}_revisions".format(*info), object_id)

    def revisions_view(self, request, object_id):
        article = self._viewable_article(request, object_id)
        page = Paginator(revisions.versions_of(article), HISTORY_PER_PAGE).get_page(
            request.GET.get("page")
        )
        rows = [
            {"version": version, "number": revisions.version_number(version)} for version in page
        ]
        steps = (
            article.transitions.select_related("user__staff_profile") if page.number == 1 else []
        )
        context = self._revisions_context(
            request,
            article,
            title=_("История: %(title)s") % {"title": article},
            page=page,
            steps=steps,
            rows=rows,
            latest_revision_id=rows[0]["version"].revision_id
            if page.number == 1 and rows
            else None,
        )
        return TemplateResponse(request, self.revisions_template, context)

    def revisions_compare_view(self, request, object_id):
        article = self._viewable_article(request, object_id)
        try:
            comparison = revisions.compare(
                self._version_or_404(article, request.GET.get("old")),
                self._version_or_404(article, request.GET.get("new")),
            )
        except RevertError as error:
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(self._revisions_url(article))
        context = self._revisions_context(
            request,
            article,
            title=_("Сравнение версий: %(title)s") % {"title": article},
            old=comparison.old,
            new=comparison.new,
            comparison=comparison,
        )
        return TemplateResponse(request, self.revisions_compare_template, context)

    def revision_restore_view(self, request, object_id, revision_id):
        article = self._article_or_404(request, object_id)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        version = self._version_or_404(article, revision_id)
        fields = self.restorable_fields(request, article)
        if "regions" in fields and not self._keeps_desk(request.user, article, version):
            fields.remove("regions")
            self.message_user(
                request,
                _("Регионы не восстановлены: в той версии нет ни одного региона вашей редакции."),
                messages.WARNING,
            )
        try:
            restored = services.restore_revision(
                article=article, version=version, user=request.user, fields=fields
            )
        except (ValidationError, RevertError) as error:
            problems = error.messages if isinstance(error, ValidationError) else [str(error)]
            self.message_user(
                request,
                _("Версию не удалось восстановить: %(problems)s")
                % {"problems": " ".join(problems)},
                messages.ERROR,
            )
            return HttpResponseRedirect(self._revisions_url(article))
        comment = revisions.restore_comment(version)
        self.log_change(request, restored, comment)
        self.message_user(request, comment, messages.SUCCESS)
        return HttpResponseRedirect(
            reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                args=[restored.pk],
                current_app=self.admin_site.name,
            )
        )

    @staticmethod
    def _keeps_desk(user, article, version):
        """An editor working through their desk may not restore the article out of it."""
        if user.is_superuser or permissions.is_owner(user, article):
            return True
        old_regions = Region.objects.filter(pk__in=revisions.snapshot(version).region_ids)
        return permissions.covers_regions(user, old_regions)

    def restorable_fields(self, request, article):
        """What this user could change in the form, so a restore grants no right the form lacks."""
        editable = set(flatten_fieldsets(self.get_fieldsets(request, article)))
        editable -= set(self.get_readonly_fields(request, article))
        if any(
            inline.model is ArticleAuthor and inline.has_change_permission(request, article)
            for inline in self.get_inline_instances(request, article)
        ):
            editable.add("bylines")
        return [name for name in revisions.RESTORABLE if name in editable]

    def _revisions_url(self, article):
        return reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_revisions",
            args=[article.pk],
            current_app=self.admin_site.name,
        )
