from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from newsroom.pagecache import reads_query_parameters

from .hosts import current_site

# How much darker the hover shade of the accent colour is.
DARKER = 0.78


def darker(colour: str, factor: float = DARKER) -> str:
    """#RRGGBB with every channel scaled down, for links on hover and pressed buttons."""
    channels = (int(colour[index : index + 2], 16) for index in (1, 3, 5))
    return "#" + "".join(f"{round(channel * factor):02x}" for channel in channels)


@reads_query_parameters()
@require_safe
def theme(request: HttpRequest) -> HttpResponse:
    """The site's colours as CSS custom properties: a stylesheet rather than a <style> in every
    page, so pages carry no inline CSS and browsers and the page cache keep it per site."""
    accent = current_site().accent_colour.lower()
    css = f":root {{ --color-accent: {accent}; --color-accent-dark: {darker(accent)}; }}\n"
    return HttpResponse(css, content_type="text/css; charset=utf-8")
