from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from newsroom import admin as newsroom_admin
from newsroom.russian import Gender, Noun

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
    autocomplete_fields = ["user", "desk_regions", "sites"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("sites")

    @admin.display(description=_("сайты редакции"))
    def site_names(self, profile):
        return ", ".join(site.name for site in profile.sites.all()) or _("сайт по умолчанию")

    prepopulated_fields = {"slug": ["public_name"]}

    class Media:
        js = ["admin/js/urlify.js", "admin_extras/urlify_ru.js"]
