from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from newsroom import admin as newsroom_admin
from newsroom.russian import Gender, Noun
from photos.admin import photo_thumbnail

from .models import StaffProfile


@admin.register(StaffProfile)
class StaffProfileAdmin(newsroom_admin.ModelAdmin):
    noun = Noun(
        one="сотрудник",
        few="сотрудника",
        many="сотрудников",
        plural="сотрудники",
        accusative="сотрудника",
        gender=Gender.MASCULINE,
        animate=True,
    )
    list_display = ["public_name", "position", "user", "site_names"]
    list_select_related = ["user"]
    list_filter = ["sites"]
    search_fields = ["public_name"]
    autocomplete_fields = ["user", "desk_regions", "sites", "photo"]
    readonly_fields = ["photo_preview"]
    fields = [
        "public_name",
        "slug",
        "user",
        "position",
        "photo",
        "photo_preview",
        "bio",
        "desk_regions",
        "sites",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("sites")

    @admin.display(description=_("сайты редакции"))
    def site_names(self, profile):
        return ", ".join(site.name for site in profile.sites.all()) or _("сайт по умолчанию")

    prepopulated_fields = {"slug": ["public_name"]}

    class Media:
        css = {"all": ["admin_extras/photos.css"]}
        js = ["admin/js/urlify.js", "admin_extras/urlify_ru.js"]

    @admin.display(description=_("фото сейчас"))
    def photo_preview(self, profile):
        return photo_thumbnail(profile.photo)
