"""Admin template filters that speak of a model in the right case: our admins (`newsroom.admin`)
know their model's noun; Django's own and third-party admins keep Django's wording."""

from django import template
from django.utils.translation import gettext

register = template.Library()


@register.filter
def add_label(model_admin, opts) -> str:
    """«Добавить статью»."""
    label = getattr(model_admin, "add_label", None)
    return label or gettext("Add %(name)s") % {"name": opts.verbose_name}


@register.filter
def result_count(changelist) -> str:
    """«301 статья», «5 статей»."""
    counted = getattr(changelist.model_admin, "counted", None)
    if counted is not None:
        return counted(changelist.result_count)
    opts = changelist.opts
    name = opts.verbose_name if changelist.result_count == 1 else opts.verbose_name_plural
    return f"{changelist.result_count} {name}"
