from django.contrib import admin

from .models import StaffProfile


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ["public_name", "position", "user"]
    list_select_related = ["user"]
    search_fields = ["public_name"]
    autocomplete_fields = ["user", "desk_regions"]
    prepopulated_fields = {"slug": ["public_name"]}

    class Media:
        js = ["admin/js/urlify.js", "admin_extras/urlify_ru.js"]
