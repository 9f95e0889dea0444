"""How the admin names a colleague: by the name they sign with, not by their login."""

from django import template

register = template.Library()


@register.filter
def person(user) -> str:
    """The staff profile's public name, else the account's full name, else the login; "—"
    for nobody (a step or revision made by a command)."""
    if user is None:
        return "—"
    profile = getattr(user, "staff_profile", None)
    if profile is not None:
        return profile.public_name
    return user.get_full_name() or user.get_username()
