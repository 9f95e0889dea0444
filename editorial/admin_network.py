"""The network in the admin: where an article appears, and the "Лента сети" to pick up from.

Every change goes through `editorial.services` (`place_article`, `change_placement`,
`remove_placement`), which checks the user's rights on each site again.
"""

from typing import cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from articles.models import ArticleQuerySet, Placement, PlacementQuerySet, Rubric
from network.hosts import current_site
from newsroom import admin as newsroom_admin

from . import nouns, permissions, services
from .models import NetworkArticle


class PickUpForm(ActionForm):
    rubric = forms.ModelChoiceField(
        label=_("Рубрика на этом сайте"),
        queryset=Rubric.objects.active(),
        required=False,
        empty_label=_("как у статьи"),
    )


@admin.register(NetworkArticle)
class NetworkArticleAdmin(newsroom_admin.ModelAdmin):
    """What other sites published that this site (the one the admin is opened on) does not
    carry yet, newest first; "Взять на сайт" places the chosen ones here."""

    noun = nouns.NETWORK_ARTICLE

    action_form = PickUpForm
    actions = ["pick_up"]
    list_display = ["title", "site", "rubric", "published_at"]
    list_filter = ["site", "rubric"]
    list_select_related = ["site", "rubric"]
    search_fields = ["title"]
    date_hierarchy = "published_at"
    list_display_links = None

    def get_queryset(self, request):
        site = current_site()
        articles = cast(ArticleQuerySet, super().get_queryset(request))
        carried_here = Placement.objects.filter(article=OuterRef("pk"), site=site)
        return articles.published().exclude(site=site).filter(~Exists(carried_here))

    def has_module_permission(self, request):
        return request.user.has_perm("articles.publish_article") and permissions.works_on(
            request.user, current_site().pk
        )

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def changelist_view(self, request, extra_context=None):
        title = _("Лента сети: что взять на сайт «%(site)s»") % {"site": current_site().name}
        return super().changelist_view(request, {"title": title, **(extra_context or {})})

    @admin.action(description=_("Взять на этот сайт"))
    def pick_up(self, request, queryset):
        site = current_site()
        try:
            rubric = PickUpForm.base_fields["rubric"].clean(request.POST.get("rubric"))
        except ValidationError:
            self.message_user(request, _("Такой рубрики нет: выберите из списка."), messages.ERROR)
            return
        placed, refused = 0, []
        for article in queryset:
            try:
                placed += len(
                    services.place_article(
                        article=article, sites=[site], user=request.user, rubric=rubric
                    )
                )
            except services.ActionRefused as refusal:
                refused.append(f"«{article.title}»: {refusal.args[0]}")
        if placed:
            self.message_user(
                request,
                f"Размещено на сайте «{site.name}»: {nouns.ARTICLE.counted(placed)}.",
                messages.SUCCESS,
            )
        for problem in refused:
            self.message_user(request, problem, messages.WARNING)


class PlacementForm(forms.ModelForm):
    class Meta:
        model = Placement
        fields = ["chosen_rubric", "is_featured"]


@admin.register(Placement)
class PlacementAdmin(newsroom_admin.ModelAdmin):
    """Articles carried by sites other than their own: the rubric and "главная" flag each has
    there, and taking one off a site (deleting the placement; the article stays)."""

    noun = nouns.PLACEMENT

    form = PlacementForm
    list_display = ["article", "site", "rubric", "is_featured", "placed_at", "placed_by"]
    list_filter = ["site", "is_featured"]
    list_select_related = ["article", "site", "rubric", "placed_by"]
    search_fields = ["article__title"]
    fields = ["article", "site", "chosen_rubric", "is_featured", "placed_at", "placed_by"]
    readonly_fields = ["article", "site", "placed_at", "placed_by"]

    def get_queryset(self, request):
        placements = cast(PlacementQuerySet, super().get_queryset(request)).elsewhere()
        sites = permissions.desk_site_ids(request.user)
        return placements if sites is None else placements.filter(site__in=sites)

    def has_module_permission(self, request):
        return request.user.has_perm("articles.publish_article")

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        allowed = self.has_module_permission(request)
        return allowed and (
            obj is None or permissions.can_place(request.user, obj.article, obj.site)
        )

    def has_delete_permission(self, request, obj=None):
        allowed = self.has_module_permission(request)
        return allowed and (obj is None or permissions.can_remove_placement(request.user, obj))

    def save_model(self, request, obj, form, change):
        services.change_placement(
            placement=obj,
            user=request.user,
            rubric=form.cleaned_data.get("chosen_rubric"),
            is_featured=form.cleaned_data.get("is_featured", False),
        )

    def delete_model(self, request, obj):
        services.remove_placement(placement=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for placement in queryset.select_related("article", "site"):
            services.remove_placement(placement=placement, user=request.user)
