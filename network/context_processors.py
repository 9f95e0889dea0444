from django.http import HttpRequest

from .hosts import current_site


def site(request: HttpRequest) -> dict:
    """The site's imprint and age mark, shown in every page's footer, as `publication`."""
    return {"publication": current_site()}
