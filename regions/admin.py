from django.contrib import admin

from newsroom import admin as newsroom_admin
from newsroom.russian import Gender, Noun

from .models import Region


@admin.register(Region)
class RegionAdmin(newsroom_admin.ModelAdmin):
    noun = Noun(
        one="регион",
        few="региона",
        many="регионов",
        plural="регионы",
        accusative="регион",
        gender=Gender.MASCULINE,
    )
    list_display = ["name", "kind", "parent"]
    list_filter = ["kind"]
    list_select_related = ["parent"]
    search_fields = ["name"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name"]}

    class Media:
        js = ["admin/js/urlify.js", "admin_extras/urlify_ru.js"]
