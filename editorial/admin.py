from typing import cast
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.contrib.postgres.forms import SimpleArrayField
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import prefetch_related_objects
from django.forms.models import BaseInlineFormSet
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.dateformat import format as date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag as TaggitTag

from articles.body import render_body
from articles.models import Article, ArticleAuthor, ArticleQuerySet, Rubric, SiteRubric, Tag
from network import services as network_services
from network.hosts import current_site
from network.models import Site
from newsroom import admin as newsroom_admin
from photos.admin import photo_thumbnail

from . import (
    admin_network,  # noqa: F401 - registers the network's admin pages
    nouns,
    permissions,
    presence,
    revisions,
    services,
    workflow,
)
from .admin_body import body_editor
from .admin_calendar import ArticleCalendarAdminMixin
from .admin_preview import ArticlePreviewAdminMixin
from .admin_revisions import ArticleRevisionsAdminMixin
from .forms import ArticleActionForm, ArticleAdminForm
from .models import ArticleTransition

# What only those who may edit the article's text change: everything a restore copies back
# (the byline is its inline), plus the address and the lead-story flag.
CONTENT_FIELDS = [
    *(name for name in revisions.RESTORABLE if name != "bylines"),
    "slug",
    "is_featured",
]

# taggit registers its own tag model, which no article uses (they are tagged with
# `articles.Tag`): its list would be an empty «Теги» beside ours.
admin.site.unregister(TaggitTag)


@admin.register(Rubric)
class RubricAdmin(newsroom_admin.ModelAdmin):
    noun = nouns.RUBRIC
    list_display = ["name", "slug", "order", "default_age_mark", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    class Media:
        js = ["admin/js/urlify.js", "admin_extras/urlify_ru.js"]


@admin.register(Tag)
class TagAdmin(newsroom_admin.ModelAdmin):
    """Tags are mostly typed in the article form; here editors rename them.

    The slug is read-only so it is always made by `Tag.slugify`, like the slugs of tags typed in
    an article, and tag pages keep their address after a rename.
    """

    noun = nouns.TAG

    list_display = ["name", "slug"]
    search_fields = ["name"]
    readonly_fields = ["slug"]


class BylineFormSet(BaseInlineFormSet):
    """A new article's byline starts with its writer: that row is saved as offered, though a
    row the user did not touch is normally taken for an empty one and dropped."""

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        extra_index = (index or 0) - self.initial_form_count()
        offered = self.initial_extra or []
        if 0 <= extra_index < len(offered) and offered[extra_index].get("author"):
            kwargs["empty_permitted"] = False
        return kwargs


class ArticleAuthorInline(newsroom_admin.TabularInline):
    """The byline: authors in the order the article page lists them."""

    model = ArticleAuthor
    formset = BylineFormSet
    fields = ["author", "order"]
    autocomplete_fields = ["author"]
    extra = 1

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and _may_edit(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and _may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and _may_edit(request, obj)


def _may_edit(request, article):
    return article is None or permissions.can_edit(request.user, article)


class TrashFilter(admin.SimpleListFilter):
    """Trashed articles stay out of the list unless the editor opens the trash."""

    title = _("корзина")
    parameter_name = "trash"

    def lookups(self, request, model_admin):
        return [("yes", _("В корзине"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.trashed()
        return queryset.not_trashed()


class ArticleChangeList(newsroom_admin.ChangeList):
    """The article list, with what its columns show read in a fixed number of queries."""

    def get_queryset(self, request, exclude_parameters=None):
        articles = super().get_queryset(request, exclude_parameters)
        return cast(ArticleQuerySet, articles).for_admin_list()


@admin.register(Article)
class ArticleAdmin(
    ArticleCalendarAdminMixin,
    ArticleRevisionsAdminMixin,
    ArticlePreviewAdminMixin,
    newsroom_admin.ModelAdmin,
):
    noun = nouns.ARTICLE
    form = ArticleAdminForm
    action_form = ArticleActionForm
    # One line per article, the most important columns first: on a phone the last ones hide.
    list_display = [
        "thumbnail",
        "headline",
        "publication_status",
        "rubric",
        "byline_names",
        "site_names",
        "region_names",
        "shown_time",
    ]
    list_display_links = ["thumbnail", "headline"]
    list_filter = [TrashFilter, "status", "site", "rubric", "age_mark", "regions"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_select_related = ["rubric", "site", "cover"]
    search_fields = ["title", "lead", "slug"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["regions", "cover"]
    inlines = [ArticleAuthorInline]
    readonly_fields = ["status", "created_at", "created_by", "updated_at", "updated_by"]
    actions = [
        "submit_for_review",
        "publish",
        "return_to_author",
        "unpublish",
        "move_to_trash",
        "restore_from_trash",
        "empty_trash",
    ]
    fieldsets = [
        (_("Основное"), {"fields": ["title", "slug", "lead", "body", "base_version"]}),
        (_("Фото"), {"fields": ["cover"]}),
        (_("Источник"), {"fields": ["source_name", "source_url"]}),
        # The side panel, as in WordPress's publish box (`aside`, change_form.html).
        (
            _("Публикация"),
            {"fields": ["status", "published_at", "workflow_comment"], "classes": ["aside"]},
        ),
        (
            _("Классификация"),
            {
                "fields": ["rubric", "regions", "tags", "age_mark", "is_featured"],
                "classes": ["aside"],
            },
        ),
        (_("Сайты"), {"fields": ["site", "also_on", "on_whole_network"], "classes": ["aside"]}),
        (
            _("Создана и изменена"),
            {
                "fields": ["created_at", "created_by", "updated_at", "updated_by"],
                "classes": ["aside", "collapse"],
            },
        ),
    ]

    class Media:
        css = {"all": ["admin_extras/workflow.css"]}
        js = [
            "admin/js/urlify.js",
            "admin_extras/urlify_ru.js",
            "admin_extras/tag_suggest.js",
            "admin_extras/writing.js",
            "admin_extras/editor_ru.js",
            "admin_extras/autosave.js",
        ]

    def get_queryset(self, request):
        """Authors see their own articles; editors and moderators those of their sites (other
        sites' are in the "Лента сети"); the network desk and superusers, all."""
        # The stubs know the model, not its manager: the queryset is the model's own class.
        articles = cast(ArticleQuerySet, super().get_queryset(request))
        user = request.user
        if user.is_superuser or user.has_perm("articles.view_all_articles"):
            sites = permissions.desk_site_ids(user)
            return articles if sites is None else articles.filter(site__in=sites)
        return articles.owned_by(user)

    def get_changelist(self, request, **kwargs):
        return ArticleChangeList

    def get_object(self, request, object_id, from_field=None):
        """The change form's article, with the bylines the ownership checks read."""
        article = super().get_object(request, object_id, from_field)
        if article is not None:
            prefetch_related_objects([article], "bylines__author")
        return article

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or permissions.can_view(request.user, obj))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or permissions.can_change(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        """Deleting moves to the trash: open to whoever may trash this article."""
        if obj is None:
            return request.user.has_perm("articles.change_article")
        return permissions.can_trash(request.user, obj)

    def get_fieldsets(self, request, obj=None):
        """The sites to place the article on are offered to those who may publish it; the
        whole network, to the network desk."""
        user = request.user
        hidden = set()
        if not user.has_perm("articles.publish_article") or (
            obj is not None and not permissions.can_publish(user, obj)
        ):
            hidden |= {"also_on", "on_whole_network"}
        if permissions.desk_site_ids(user) is not None:
            hidden.add("on_whole_network")
        only_read = obj is not None and not self.has_change_permission(request, obj)
        if only_read:
            # A form only to read: the fields that exist only to be sent would show empty.
            hidden |= {"base_version", "workflow_comment", "also_on", "on_whole_network"}
        read_only_body = obj is not None and (
            only_read or "body" in self.get_readonly_fields(request, obj)
        )
        return [
            (
                name,
                {
                    **options,
                    "fields": [
                        "body_as_read" if field == "body" and read_only_body else field
                        for field in options["fields"]
                        if field not in hidden
                    ],
                },
            )
            for name, options in super().get_fieldsets(request, obj)
        ]

    @admin.display(description=_("Текст"))
    def body_as_read(self, article):
        """The body as readers will see it, for those who may read but not edit it: Django
        shows a read-only field's HTML as escaped tags."""
        return format_html('<div class="article-body-preview">{}</div>', render_body(article.body))

    def get_formset_kwargs(self, request, obj, inline, prefix):
        """On the add form, the writer's own staff profile is the byline's first author."""
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        profile = getattr(request.user, "staff_profile", None)
        if isinstance(inline, ArticleAuthorInline) and obj.pk is None and profile is not None:
            kwargs["initial"] = [{"author": profile.pk, "order": 0}]
        return kwargs

    def get_changeform_initial_data(self, request):
        return {"site": current_site().pk, **super().get_changeform_initial_data(request)}

    def get_readonly_fields(self, request, obj=None):
        """What the user may not change here is shown, not offered as a field."""
        user = request.user
        readonly = [*self.readonly_fields, "body_as_read"]
        if obj is not None:
            # Moving an article to another primary site would move its canonical address.
            readonly.append("site")
        if obj is not None and not permissions.can_edit(user, obj):
            readonly += CONTENT_FIELDS
        if not permissions.can_set_age_mark(user):
            readonly.append("age_mark")
        if not user.has_perm("articles.publish_article"):
            readonly.append("published_at")
        return readonly

    def get_prepopulated_fields(self, request, obj=None):
        if "slug" in self.get_readonly_fields(request, obj):
            return {}
        return {"slug": ["title"]}

    def get_form(self, request, obj=None, change=False, **kwargs):
        # Made by modelform_factory from `self.form`, so it is a subclass of ArticleAdminForm.
        form = cast(type[ArticleAdminForm], super().get_form(request, obj, change, **kwargs))
        form.editorial_user = request.user
        form.requested_action = request.POST.get("_transition") or None
        return form

    def get_actions(self, request):
        """Offer only the steps the user's role allows at all; each article is checked again."""
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        user = request.user
        # Moderators may change articles (their age mark) but write none: no writers' steps.
        writes = user.has_perm("articles.add_article")
        allowed = {
            "submit_for_review": writes,
            "publish": user.has_perm("articles.publish_article")
            or user.has_perm("articles.review_article"),
            "return_to_author": user.has_perm("articles.publish_article")
            or user.has_perm("articles.review_article"),
            "unpublish": user.has_perm("articles.publish_article"),
            "move_to_trash": writes,
            "restore_from_trash": writes,
            "empty_trash": user.has_perm("articles.delete_article"),
        }
        return {name: action for name, action in actions.items() if allowed.get(name, True)}

    @admin.display(description=_("фото"))
    def thumbnail(self, article):
        if article.cover is None:
            return mark_safe('<span class="list-thumbnail list-thumbnail--none"></span>')
        return format_html(
            '<img class="list-thumbnail" src="{}" alt="" width="48" height="48" loading="lazy">',
            article.cover.thumbnail_url(),
        )

    @admin.display(description=_("заголовок"), ordering="title")
    def headline(self, article):
        """Cut to one line by the list's CSS, whole on hover."""
        return format_html('<span class="list-headline" title="{0}">{0}</span>', article.title)

    @admin.display(description=_("статус"), ordering="status")
    def publication_status(self, article):
        if article.is_trashed:
            label, kind = _("в корзине"), "trashed"
        elif article.is_scheduled:
            label, kind = _("запланировано"), "scheduled"
        else:
            label, kind = article.get_status_display(), article.status
        return format_html('<span class="status-badge status-badge--{}">{}</span>', kind, label)

    @admin.display(description=_("авторы"))
    def byline_names(self, article):
        return ", ".join(byline.author.public_name for byline in article.bylines.all()) or "—"

    @admin.display(description=_("сайты"), ordering="site__name")
    def site_names(self, article):
        """The primary site, and how many others carry the article."""
        if not article.other_site_count:
            return article.site.name
        return format_html(
            '{} <span class="list-more">+{}</span>', article.site.name, article.other_site_count
        )

    @admin.display(description=_("время"), ordering="published_at")
    def shown_time(self, article):
        """When it came out or comes out; for a draft, when it was last saved."""
        moment = article.published_at or article.updated_at
        local = localtime(moment)
        if local.date() == localtime().date():
            text = date_format(local, "H:i")
        else:
            text = date_format(local, "d.m.Y H:i")
        return format_html('<time datetime="{}">{}</time>', moment.isoformat(), text)

    @admin.display(description=_("регионы"))
    def region_names(self, article):
        return ", ".join(region.name for region in article.regions.all())

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        """The body's editor with library photos; the tag input pointed at the admin's
        autocomplete, which tag_suggest.js queries."""
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "body" and field is not None:
            field.widget = body_editor(field.widget)
        if db_field.name == "tags" and field is not None:
            query = urlencode(
                {"app_label": "articles", "model_name": "article", "field_name": "tags"}
            )
            field.widget.attrs["data-tag-suggest-url"] = f"{reverse('admin:autocomplete')}?{query}"
        return field

    def view_on_site(self, article):
        """Link only to what readers can open; a draft's address is a 404."""
        return article.get_absolute_url() if article.is_published else None

    def get_urls(self):
        return [
            path(
                "<path:object_id>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name="articles_article_restore",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        """The list leads to the review queue: what waits for approval, as the user sees it."""
        waiting = self.get_queryset(request).not_trashed().filter(status=Article.Status.REVIEW)
        in_trash = request.GET.get(TrashFilter.parameter_name) == "yes"
        extra_context = {
            "review_count": waiting.count(),
            "in_trash": in_trash,
            **({"title": _("Корзина")} if in_trash else {}),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        """The workflow's buttons, log and notices, for the article the form already holds."""
        if obj is not None and obj.pk is not None:
            context.update(self._workflow_context(request, obj))
        else:
            context["transitions"] = [
                transition
                for transition in workflow.TRANSITIONS.values()
                if transition.action == ArticleTransition.Action.SUBMIT
                or (
                    transition.action == ArticleTransition.Action.PUBLISH
                    and request.user.has_perm("articles.publish_article")
                )
            ]
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _workflow_context(self, request, article):
        context = {
            "transitions": workflow.available_transitions(request.user, article),
            "is_trashed": article.is_trashed,
            "can_restore": permissions.can_restore(request.user, article),
            "transition_log": article.transitions.select_related("user__staff_profile"),
        }
        if request.method == "GET":
            presence.note_open(article, request.user)
            context["also_open"] = presence.others_with_it_open(article, request.user)
        return context

    def save_model(self, request, obj, form, change):
        """Nothing yet: `save_related` saves the article with its relations in one service call."""

    def save_related(self, request, form, formsets, change):
        """Save the article, its regions, tags and byline, and the requested step, as one write.

        The byline formset is saved with commit=False only to learn what changed, for the
        admin's log; its rows are written by the service.
        """
        for formset in formsets:
            formset.save(commit=False)
        cleaned = form.cleaned_data
        action = form.requested_action
        services.save_article(
            article=form.instance,
            user=request.user,
            regions=cleaned.get("regions") if "regions" in form.fields else None,
            tags=cleaned.get("tags") if "tags" in form.fields else None,
            authors=self._byline(request, form.instance, formsets),
            action=action,
            comment=cleaned.get("workflow_comment", ""),
            revision_comment=self._revision_comment(form, formsets, change, action),
        )
        self._place(request, form)
        if action:
            messages.success(request, self._step_message(form.instance, action))

    @staticmethod
    def _step_message(article, action) -> str:
        """What the workflow button did; a publication set for later says when it comes out."""
        if action == ArticleTransition.Action.PUBLISH and article.is_scheduled:
            moment = date_format(localtime(article.published_at), "j E Y в H:i")
            return f"Запланировано: выйдет {moment}."
        return str(capfirst(ArticleTransition.Action(action).label))

    def _place(self, request, form):
        """Add and remove the article's placements on the sites the form offered."""
        if "also_on" not in form.fields:
            return
        article = form.instance
        if form.cleaned_data.get("on_whole_network"):
            services.place_on_network(article=article, user=request.user)
            return
        chosen = {site.pk: site for site in form.cleaned_data.get("also_on") or []}
        offered = set(form.fields["also_on"].queryset.values_list("pk", flat=True))
        placements = article.placements.elsewhere().select_related("site")
        carried = {placement.site_id: placement for placement in placements}
        services.place_article(
            article=article,
            sites=[site for pk, site in chosen.items() if pk not in carried],
            user=request.user,
        )
        for site_id, placement in carried.items():
            if site_id in offered and site_id not in chosen:
                services.remove_placement(placement=placement, user=request.user)

    def _byline(self, request, article, formsets):
        """The authors in the inline's order; None when the user may not change the byline."""
        for formset in formsets:
            if formset.model is ArticleAuthor and _may_edit(request, article):
                rows = [
                    (row["order"], index, row["author"])
                    for index, row in enumerate(formset.cleaned_data)
                    if row.get("author") and not row.get("DELETE")
                ]
                return [author for _order, _index, author in sorted(rows, key=lambda r: r[:2])]
        return None

    @staticmethod
    def _revision_comment(form, formsets, change, action):
        if action:
            return ""
        if not change:
            return _("Создано.")
        names = [
            str(form.fields[name].label)
            for name in form.changed_data
            if name not in ("base_version", "workflow_comment")
        ]
        if any(formset.has_changed() for formset in formsets):
            names.append(str(_("авторы")))
        if not names:
            return _("Сохранено без изменений.")
        return _("Изменено: %(fields)s.") % {"fields": ", ".join(names)}

    def delete_view(self, request, object_id, extra_context=None):
        """Deleting an article moves it to the trash, after a confirmation that says so."""
        article = self._article_or_404(request, object_id)
        if not self.has_delete_permission(request, article):
            raise PermissionDenied
        if request.method == "POST":
            services.move_to_trash(article=article, user=request.user)
            self.message_user(request, _("Статья перемещена в корзину."), messages.SUCCESS)
            return redirect("admin:articles_article_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "article": article,
            "title": _("Переместить в корзину?"),
        }
        return TemplateResponse(request, "admin/articles/article/trash_confirmation.html", context)

    def restore_view(self, request, object_id):
        article = self._article_or_404(request, object_id)
        if request.method != "POST" or not permissions.can_restore(request.user, article):
            raise PermissionDenied
        services.restore_from_trash(article=article, user=request.user)
        self.message_user(request, _("Статья восстановлена из корзины."), messages.SUCCESS)
        return redirect("admin:articles_article_change", article.pk)

    def _apply_to_each(self, request, queryset, step, done_message):
        """Run `step` on every selected article it is allowed for; report what was refused."""
        done, refused = 0, []
        for article in queryset.select_related("created_by").prefetch_related(
            "bylines__author", "regions"
        ):
            try:
                with transaction.atomic():
                    step(article)
            except workflow.TransitionRefused as refusal:
                refused.append(f"«{article.title}»: {refusal.args[0]}")
            else:
                done += 1
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)
        for problem in refused:
            self.message_user(request, problem, messages.WARNING)

    def _transition_action(self, request, queryset, action):
        comment = request.POST.get("comment", "")
        self._apply_to_each(
            request,
            queryset,
            lambda article: services.take_step(
                article=article, action=action, user=request.user, comment=comment
            ),
            lambda count: (
                f"{capfirst(ArticleTransition.Action(action).label)}: {self.noun.counted(count)}."
            ),
        )

    @admin.action(description=_("Отправить на проверку"))
    def submit_for_review(self, request, queryset):
        self._transition_action(request, queryset, ArticleTransition.Action.SUBMIT)

    @admin.action(description=_("Опубликовать (одобрить)"))
    def publish(self, request, queryset):
        self._transition_action(request, queryset, ArticleTransition.Action.PUBLISH)

    @admin.action(description=_("Вернуть автору (с комментарием)"))
    def return_to_author(self, request, queryset):
        self._transition_action(request, queryset, ArticleTransition.Action.RETURN)

    @admin.action(description=_("Снять с публикации"))
    def unpublish(self, request, queryset):
        self._transition_action(request, queryset, ArticleTransition.Action.UNPUBLISH)

    @admin.action(description=_("Переместить в корзину"))
    def move_to_trash(self, request, queryset):
        self._apply_to_each(
            request,
            queryset,
            lambda article: services.move_to_trash(article=article, user=request.user),
            lambda count: _("В корзину перемещено статей: %(count)d.") % {"count": count},
        )

    @admin.action(description=_("Восстановить из корзины"))
    def restore_from_trash(self, request, queryset):
        self._apply_to_each(
            request,
            queryset,
            lambda article: services.restore_from_trash(article=article, user=request.user),
            lambda count: _("Восстановлено статей: %(count)d.") % {"count": count},
        )

    @admin.action(description=_("Удалить навсегда (очистить корзину)"))
    def empty_trash(self, request, queryset):
        """Deleting for good asks once more, listing what will go, before it deletes."""
        articles = list(queryset.trashed().prefetch_related("regions"))
        if not articles:
            self.message_user(
                request, _("Навсегда удаляются только статьи из корзины."), messages.WARNING
            )
            return None
        if request.POST.get("confirmed") != "yes":
            context = {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "articles": articles,
                "title": _("Удалить навсегда?"),
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(
                request, "admin/articles/article/empty_trash_confirmation.html", context
            )
        try:
            count = services.empty_trash(articles=articles, user=request.user)
        except workflow.TransitionRefused as refusal:
            self.message_user(request, refusal.args[0], messages.ERROR)
            return None
        self.message_user(
            request, _("Удалено навсегда статей: %(count)d.") % {"count": count}, messages.SUCCESS
        )
        return None


class SiteRubricInline(newsroom_admin.TabularInline):
    """The site's rubric menu; empty means every active rubric, in their common order."""

    model = SiteRubric
    fields = ["rubric", "order"]
    extra = 1


@admin.register(Site)
class SiteAdmin(newsroom_admin.ModelAdmin):
    """A new district site is one form here (or `manage.py add_site`): no deploy, no restart.

    Here rather than in `network`, because its menu of rubrics belongs to `articles`.
    """

    noun = nouns.SITE

    inlines = [SiteRubricInline]

    list_display = ["name", "domain", "region", "age_mark", "is_default"]
    search_fields = ["name", "domain", "aliases"]
    list_select_related = ["region"]
    autocomplete_fields = ["region", "logo", "favicon", "card_image"]
    readonly_fields = ["chosen_images"]
    fieldsets = [
        (None, {"fields": ["name", "domain", "aliases", "is_default", "region", "age_mark"]}),
        (
            _("Выходные данные (ст. 27 Закона о СМИ)"),
            {
                "fields": [
                    "founder",
                    "editor_in_chief",
                    "registration",
                    "email",
                    "phone",
                    "address",
                ]
            },
        ),
        (
            _("Оформление"),
            {"fields": ["logo", "favicon", "card_image", "chosen_images", "accent_colour"]},
        ),
        (
            _("Счётчик и соцсети"),
            {"fields": ["metrika_counter", "vk_url", "telegram_url", "ok_url"]},
        ),
    ]

    class Media:
        css = {"all": ["admin_extras/photos.css"]}

    @admin.display(description=_("выбрано сейчас"))
    def chosen_images(self, site):
        return format_html_join(
            "",
            '<figure class="chosen-photo">{}<figcaption>{}</figcaption></figure>',
            (
                (photo_thumbnail(image), label)
                for label, image in [
                    (_("логотип"), site.logo),
                    (_("значок"), site.favicon),
                    (_("для соцсетей"), site.card_image),
                ]
                if image is not None
            ),
        ) or _("Ничего: название текстом и значок сети.")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "aliases":
            return SimpleArrayField(
                db_field.base_field.formfield(),
                label=capfirst(db_field.verbose_name),
                help_text=db_field.help_text,
                required=False,
            )
        if db_field.name.endswith("_url"):
            kwargs.setdefault("assume_scheme", "https")
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        network_services.save_site(site=obj)
