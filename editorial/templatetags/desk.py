from django import template

from editorial import desk

register = template.Library()


@register.inclusion_tag("admin/desk/panels.html", takes_context=True)
def desk_panels(context):
    """The desk's panels on the admin's start page (`editorial.desk`)."""
    return {"panels": desk.panels_for(context["request"])}
