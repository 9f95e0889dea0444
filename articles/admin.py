from urllib.parse import urlencode

from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .forms import ArticleAdminForm
from .models import Article, ArticleAuthor, Rubric, Tag


@admin.register(Rubric)
class RubricAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order", "default_age_mark", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    class Media:
        js = ["admin/js/urlify.js", "admin_extras/urlify_ru.js"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    """Tags are mostly typed in the article form; here editors rename them.

    The slug is read-only so it is always made by `Tag.slugify`, like the slugs of tags typed in
    an article, and tag pages keep their address after a rename.
    """

    list_display = ["name", "slug"]
    search_fields = ["name"]
    readonly_fields = ["slug"]


class ArticleAuthorInline(admin.TabularInline):
    """The byline: authors in the order the article page lists them."""

    model = ArticleAuthor
    fields = ["author", "order"]
    autocomplete_fields = ["author"]
    extra = 1


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = [
        "title",
        "publication_status",
        "rubric",
        "region_names",
        "age_mark",
        "published_at",
    ]
    list_filter = ["status", "rubric", "age_mark", "regions"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_select_related = ["rubric"]
    search_fields = ["title", "lead", "slug"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["regions"]
    inlines = [ArticleAuthorInline]
    readonly_fields = ["created_at", "created_by", "updated_at", "updated_by"]
    fieldsets = [
        (_("Основное"), {"fields": ["title", "slug", "lead", "body", "base_version"]}),
        (_("Фото"), {"fields": ["cover_image", "cover_alt", "cover_caption", "cover_credit"]}),
        (_("Классификация"), {"fields": ["rubric", "regions", "tags", "age_mark", "is_featured"]}),
        (_("Источник"), {"fields": ["source_name", "source_url"]}),
        (_("Публикация"), {"fields": ["status", "published_at"]}),
        (
            _("История"),
            {
                "fields": ["created_at", "created_by", "updated_at", "updated_by"],
                "classes": ["collapse"],
            },
        ),
    ]

    class Media:
        js = ["admin/js/urlify.js", "admin_extras/urlify_ru.js", "admin_extras/tag_suggest.js"]

    def get_queryset(self, request):
        return super().get_queryset(request).for_admin_list()

    @admin.display(description=_("статус"), ordering="status")
    def publication_status(self, article):
        if article.is_scheduled:
            return _("запланировано")
        return article.get_status_display()

    @admin.display(description=_("регионы"))
    def region_names(self, article):
        return ", ".join(region.name for region in article.regions.all())

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        """Point the tag input at the admin's autocomplete, which tag_suggest.js queries."""
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "tags":
            query = urlencode(
                {"app_label": "articles", "model_name": "article", "field_name": "tags"}
            )
            field.widget.attrs["data-tag-suggest-url"] = f"{reverse('admin:autocomplete')}?{query}"
        return field

    def get_readonly_fields(self, request, obj=None):
        """A published article keeps its address: links to it are already out there."""
        if obj is not None and obj.status == Article.Status.PUBLISHED:
            return [*self.readonly_fields, "slug"]
        return self.readonly_fields

    def get_prepopulated_fields(self, request, obj=None):
        if "slug" in self.get_readonly_fields(request, obj):
            return {}
        return {"slug": ["title"]}

    def view_on_site(self, article):
        """Link only to what readers can open; a draft's address is a 404."""
        return article.get_absolute_url() if article.is_published else None

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
