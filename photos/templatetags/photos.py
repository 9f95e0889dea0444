"""`{% picture %}`: a library photo as a responsive `<picture>`, and its og:image URL.

Both read `image.renditions.all()`, so a page that prefetches `renditions` renders any number of
photos without a query each. Until the worker has made the renditions, the sanitised upload is
shown as it is: nothing is resized while a reader waits.
"""

from dataclasses import dataclass

from django import template
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from photos.models import Image, Rendition
from photos.renditions import MIME_TYPES, SLOTS

register = template.Library()

# The `src` of the fallback `<img>`, for the rare browser that ignores `srcset`.
FALLBACK_WIDTH = 1280


@register.simple_tag
def picture(
    image: Image | None,
    slot: str = "original",
    sizes: str = "100vw",
    loading: str = "lazy",
    fetchpriority: str = "",
    css_class: str = "",
) -> SafeString:
    """`{% picture image slot="16x9" sizes="(min-width: 900px) 600px, 100vw" %}`; a lead photo
    above the fold takes `loading="eager" fetchpriority="high"`."""
    if slot not in SLOTS:
        raise template.TemplateSyntaxError(f"Unknown photo slot {slot!r}: one of {list(SLOTS)}.")
    if image is None or not image.file:
        return SafeString("")
    by_format: dict[str, list[Rendition]] = {}
    for rendition in image.renditions.all():
        if rendition.slot == slot:
            by_format.setdefault(rendition.format, []).append(rendition)
    attrs = {
        "alt": image.alt,
        "loading": loading or None,
        "decoding": "async",
        "fetchpriority": fetchpriority or None,
        "class": css_class or None,
    }
    jpegs = sorted(by_format.pop(Rendition.Format.JPEG, []), key=lambda r: r.width)
    if not jpegs:
        img = {"src": image.file.url, "width": image.width, "height": image.height}
        return format_html("<img{}>", flatatt(img | attrs))

    largest = jpegs[-1]
    fallback = [r for r in jpegs if r.width <= FALLBACK_WIDTH][-1:] or jpegs[:1]
    img = {
        "src": fallback[0].file.url,
        "srcset": srcset(jpegs),
        "sizes": sizes,
        "width": largest.width,
        "height": largest.height,
    }
    sources = format_html_join(
        "",
        "<source{}>",
        (
            (flatatt({"type": MIME_TYPES[fmt], "srcset": srcset(renditions), "sizes": sizes}),)
            for fmt, renditions in sorted(by_format.items())
        ),
    )
    return format_html("<picture>{}<img{}></picture>", sources, flatatt(img | attrs))


def srcset(renditions: list[Rendition]) -> str:
    return ", ".join(f"{r.file.url} {r.width}w" for r in sorted(renditions, key=lambda r: r.width))


@register.simple_tag
def og_image_url(image: Image | None) -> str:
    """The photo's 1200×630 JPEG for og:image, or its upload until the worker has made it;
    a site-relative URL that the page makes absolute."""
    if image is None or not image.file:
        return ""
    for rendition in image.renditions.all():
        if rendition.slot == "og":
            return rendition.file.url
    return image.file.url


@dataclass(frozen=True)
class ImageLink:
    """One file of a photo with its size: what og:image, JSON-LD and icon links need."""

    url: str
    width: int
    height: int


def jpeg_link(image: Image | None, slot: str, max_width: int) -> ImageLink | None:
    """The photo's widest JPEG of `slot` no wider than `max_width` (the narrowest when all
    are wider), or its upload until the worker has made them; a site-relative URL. Reads
    `image.renditions.all()` like `{% picture %}`."""
    if image is None or not image.file:
        return None
    jpegs = sorted(
        (r for r in image.renditions.all() if r.slot == slot and r.format == Rendition.Format.JPEG),
        key=lambda r: r.width,
    )
    if not jpegs:
        return ImageLink(image.file.url, image.width, image.height)
    chosen = ([r for r in jpegs if r.width <= max_width] or jpegs[:1])[-1]
    return ImageLink(chosen.file.url, chosen.width, chosen.height)


@register.simple_tag
def icon_url(image: Image | None, width: int = 32) -> str:
    """`{% icon_url site.favicon 180 %}`: the square icon at `width` for `<link rel="icon">`
    and apple-touch-icon; a photo rendered before the icon slot existed gives its square, and
    one without renditions its upload."""
    if image is None or not image.file:
        return ""
    slots = {rendition.slot for rendition in image.renditions.all()}
    slot = next((slot for slot in ("icon", "1x1") if slot in slots), "icon")
    link = jpeg_link(image, slot, width)
    return link.url if link else ""
