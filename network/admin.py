from django.contrib import admin
from django.contrib.postgres.forms import SimpleArrayField
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Site


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    """A new district site is one form here (or `manage.py add_site`): no deploy, no restart."""

    list_display = ["name", "domain", "region", "age_mark", "is_default"]
    search_fields = ["name", "domain", "aliases"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]
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
        (_("Оформление"), {"fields": ["logo", "favicon", "accent_colour"]}),
        (
            _("Счётчик и соцсети"),
            {"fields": ["metrika_counter", "vk_url", "telegram_url", "ok_url"]},
        ),
    ]

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
        services.save_site(site=obj)
