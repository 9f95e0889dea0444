"""The article body: what the editor offers, what the sanitiser keeps, and how it is shown.

Photos, galleries and videos are stored in the body in one canonical form, which only
`sanitize_body` writes:

- a photo of the library: `<figure data-image="12"><figcaption>Подпись</figcaption></figure>`
  (the caption is optional and plain text; the file, its sizes, alt text and credit are never
  stored in the body but read from the library when the body is shown);
- a gallery: `<div class="gallery">` holding such figures only;
- a video: `<iframe src="…" title="…" allowfullscreen="" loading="lazy"></iframe>`, whose
  address is an embed address of VK Video, Rutube or YouTube, rebuilt here from its parts.

Everything else the editor cannot make (other iframes, images by URL, styles, scripts, event
handlers, `javascript:` and `data:` URLs) is removed by nh3 before the canonical form is written.
Readers get a `<picture>` for each photo (`render_body`), aggregators a `<figure><img>`
(`render_feed_body`); both read every photo of the bodies at hand in one query.
"""

import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlsplit

import nh3
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef
from django.db.models.functions import JSONObject
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django_prose_editor.config import DEFAULT_MENU_GROUPS, allowlist_from_extensions
from django_prose_editor.fields import _actually_empty

from photos.models import Image, Rendition
from photos.templatetags.photos import FALLBACK_WIDTH, picture

# The editor's own extensions (static/admin_extras/body_media.js) beside django-prose-editor's.
MEDIA_EXTENSIONS = {"LibraryFigure": True, "Gallery": True, "Video": True}
BODY_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {"enableTarget": True, "protocols": ["http", "https", "mailto", "tel"]},
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    # The default menu, with a group of its own for the media buttons after the block nodes.
    "Menu": {"groups": [*DEFAULT_MENU_GROUPS[:3], {"group": "media"}, *DEFAULT_MENU_GROUPS[3:]]},
    **MEDIA_EXTENSIONS,
}

GALLERY_CLASS = "gallery"
BODY_SLOT = "original"
VIDEO_TITLE = "Видео"
CAPTION_LENGTH = 300
IMAGE_ID = re.compile(r"[1-9][0-9]{0,17}")


@dataclass(frozen=True)
class VideoHost:
    """A video service whose player may be embedded: its hosts, player path and parameters."""

    name: str
    hosts: frozenset[str]
    path: re.Pattern[str]
    params: dict[str, re.Pattern[str]]
    required: frozenset[str] = frozenset()

    def watch_url(self, path: str, query: dict[str, str]) -> str:
        """The video's own page, for aggregators that take no players."""
        if self.name == "youtube":
            return f"https://www.youtube.com/watch?v={path.rsplit('/', 1)[-1]}"
        if self.name == "rutube":
            return f"https://rutube.ru/video/{path.rstrip('/').rsplit('/', 1)[-1]}/"
        return f"https://vkvideo.ru/video{query['oid']}_{query['id']}"


VIDEO_HOSTS = [
    VideoHost(
        "youtube",
        frozenset({"www.youtube.com", "youtube.com", "www.youtube-nocookie.com"}),
        re.compile(r"/embed/[A-Za-z0-9_-]{6,20}"),
        {"start": re.compile(r"\d{1,6}"), "end": re.compile(r"\d{1,6}")},
    ),
    VideoHost(
        "rutube",
        frozenset({"rutube.ru"}),
        re.compile(r"/play/embed/[A-Za-z0-9]{6,64}/?"),
        {"p": re.compile(r"[A-Za-z0-9_-]{1,64}"), "t": re.compile(r"\d{1,6}")},
    ),
    VideoHost(
        "vk",
        frozenset({"vk.com", "vkvideo.ru"}),
        re.compile(r"/video_ext\.php"),
        {
            "oid": re.compile(r"-?\d{1,20}"),
            "id": re.compile(r"\d{1,20}"),
            "hash": re.compile(r"[0-9a-f]{1,32}"),
            "hd": re.compile(r"[0-4]"),
            "t": re.compile(r"[0-9hms]{1,12}"),
        },
        required=frozenset({"oid", "id"}),
    ),
]


def video_embed(url: str) -> tuple[VideoHost, str, dict[str, str]] | None:
    """The host, path and parameters of an allowed player address, or None.

    The host must be one of the list exactly (no subdomain, no port, no user), the scheme https,
    the path the service's player; parameters other than the service's own are dropped.
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme != "https" or port is not None or parts.username or parts.password:
        return None
    for host in VIDEO_HOSTS:
        if parts.hostname in host.hosts and parts.netloc == parts.hostname:
            if not host.path.fullmatch(parts.path):
                return None
            query = {
                key: value
                for key, value in parse_qsl(parts.query)
                if key in host.params and host.params[key].fullmatch(value)
            }
            if not host.required <= query.keys():
                return None
            return host, parts.path, query
    return None


def clean_video_url(url: str) -> str | None:
    """An allowed player address rebuilt from its checked parts, or None."""
    embed = video_embed(url)
    if embed is None:
        return None
    _host, path, query = embed
    netloc = urlsplit(url.strip()).hostname
    return f"https://{netloc}{path}" + (f"?{urlencode(query)}" if query else "")


def _filter_attribute(element: str, attribute: str, value: str) -> str | None:
    if element == "iframe" and attribute == "src":
        return clean_video_url(value)
    if element == "figure" and attribute == "data-image":
        return value if IMAGE_ID.fullmatch(value) else None
    if element == "div" and attribute == "class":
        return GALLERY_CLASS if value == GALLERY_CLASS else None
    return value


def _cleaner() -> nh3.Cleaner:
    text = {
        name: config for name, config in BODY_EXTENSIONS.items() if name not in MEDIA_EXTENSIONS
    }
    allowed = allowlist_from_extensions(text)
    attributes = {tag: set(names) for tag, names in allowed["attributes"].items()}
    attributes |= {"figure": {"data-image"}, "div": {"class"}, "iframe": {"src", "title"}}
    return nh3.Cleaner(
        tags=allowed["tags"] | {"figure", "figcaption", "div", "iframe"},
        attributes=attributes,
        attribute_filter=_filter_attribute,
        url_schemes=allowed.get("url_schemes", {"http", "https", "mailto", "tel"}),
        link_rel=None,
    )


CLEANER = _cleaner()
MEDIA_TAGS = ("<figure", "<figcaption", "<iframe", "<div")


# A small tree of nh3's output, enough to keep the media elements in their canonical form.

VOID_TAGS = {"br", "hr", "img", "wbr"}


class Element:
    def __init__(self, tag: str, attrs: list[tuple[str, str | None]]):
        self.tag = tag
        self.attrs = dict(attrs)
        self.children: list[Element | str] = []

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("", [])
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, attrs)
        self.stack[-1].children.append(element)
        if tag not in VOID_TAGS:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Element(tag, attrs))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def _parse(markup: str) -> Element:
    builder = _TreeBuilder()
    builder.feed(markup)
    builder.close()
    return builder.root


# Escaped as html5ever (nh3's serialiser) escapes, so that what is not rewritten stays the same.
def _text(value: str) -> str:
    return (
        value.replace("&", "&amp;")
        .replace("\xa0", "&nbsp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
    )


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace("\xa0", "&nbsp;").replace('"', "&quot;")


def _walk(element: Element) -> Iterable[Element]:
    for child in element.children:
        if isinstance(child, Element):
            yield child
            yield from _walk(child)


class _Writer:
    """Serialises the tree, writing figures, galleries and videos in their canonical form."""

    def __init__(self, image_ids: set[int]):
        self.image_ids = image_ids

    def children(self, element: Element) -> str:
        return "".join(
            _text(child) if isinstance(child, str) else self.element(child)
            for child in element.children
        )

    def element(self, element: Element) -> str:
        if element.tag == "figure":
            return self.figure(element)
        if element.tag == "iframe":
            return self.video(element)
        if element.tag == "div":
            return self.gallery(element)
        if element.tag == "figcaption":  # outside a figure: its words stay, as a paragraph
            text = " ".join(element.text().split())
            return f"<p>{_text(text)}</p>" if text else ""
        attrs = "".join(f' {name}="{_attr(value or "")}"' for name, value in element.attrs.items())
        if element.tag in VOID_TAGS:
            return f"<{element.tag}{attrs}>"
        if element.tag == "p":
            # A player pasted inside a paragraph goes after it: it is a block of its own.
            videos = [c for c in element.children if isinstance(c, Element) and c.tag == "iframe"]
            element.children = [
                c for c in element.children if not isinstance(c, Element) or c.tag != "iframe"
            ]
            text = self.children(element)
            after = "".join(self.video(video) for video in videos)
            if videos and not text.strip():
                return after
            return f"<p{attrs}>{text}</p>{after}"
        return f"<{element.tag}{attrs}>{self.children(element)}</{element.tag}>"

    def figure(self, element: Element) -> str:
        image_id = element.attrs.get("data-image") or ""
        if not IMAGE_ID.fullmatch(image_id) or int(image_id) not in self.image_ids:
            return ""
        captions = [c for c in element.children if isinstance(c, Element) and c.tag == "figcaption"]
        caption = " ".join(" ".join(c.text() for c in captions).split())[:CAPTION_LENGTH]
        inner = f"<figcaption>{_text(caption)}</figcaption>" if caption else ""
        return f'<figure data-image="{int(image_id)}">{inner}</figure>'

    def video(self, element: Element) -> str:
        src = clean_video_url(element.attrs.get("src") or "")
        if src is None:
            return ""
        title = " ".join((element.attrs.get("title") or "").split())[:200] or VIDEO_TITLE
        return (
            f'<iframe src="{_attr(src)}" title="{_attr(title)}" allowfullscreen="" '
            'loading="lazy"></iframe>'
        )

    def gallery(self, element: Element) -> str:
        if element.attrs.get("class") != GALLERY_CLASS:
            return self.children(element)
        figures = [self.figure(child) for child in _walk(element) if child.tag == "figure"]
        figures = [figure for figure in figures if figure]
        return f'<div class="{GALLERY_CLASS}">{"".join(figures)}</div>' if figures else ""


def sanitize_body(markup: str) -> str:
    """The body as it may be stored: nh3's allowlist, then photos of the library that exist
    (one query, only when the body has figures) and players of the allowed video services."""
    cleaned = CLEANER.clean(markup or "")
    if not any(tag in cleaned for tag in MEDIA_TAGS):
        return _actually_empty(cleaned)
    tree = _parse(cleaned)
    wanted = {
        int(value)
        for element in _walk(tree)
        if element.tag == "figure"
        and IMAGE_ID.fullmatch(value := element.attrs.get("data-image") or "")
    }
    existing = (
        set(Image.objects.filter(pk__in=wanted).values_list("pk", flat=True)) if wanted else set()
    )
    return _actually_empty(_Writer(existing).children(tree))


# Showing the stored body. These patterns match the canonical form `sanitize_body` writes, and
# nothing else can be stored.

FIGURE = re.compile(r'<figure data-image="(\d+)">(?:<figcaption>([^<]*)</figcaption>)?</figure>')
GALLERY = re.compile(r'<div class="gallery">((?:<figure [^>]*>.*?</figure>)*)</div>')
VIDEO = re.compile(
    r'<iframe src="([^"]*)" title="([^"]*)" allowfullscreen="" loading="lazy"></iframe>'
)


def image_ids(markup: str) -> set[int]:
    return {int(match[1]) for match in FIGURE.finditer(markup)}


def images_for(bodies: Iterable[str]) -> dict[int, Image]:
    """The library photos the bodies show, with the renditions of their own proportions (the
    only ones a body shows), in one query, none if no body has a photo: the renditions come
    as a JSON array in each photo's row."""
    wanted: set[int] = set()
    for markup in bodies:
        if "<figure" in markup:
            wanted |= image_ids(markup)
    if not wanted:
        return {}
    renditions = Rendition.objects.filter(image=OuterRef("pk"), slot=BODY_SLOT).values(
        row=JSONObject(
            id="id", slot="slot", format="format", width="width", height="height", file="file"
        )
    )
    images = (
        Image.objects.filter(pk__in=wanted)
        .only("file", "title", "alt", "caption", "credit", "width", "height")
        .annotate(rendition_rows=ArraySubquery(renditions))
    )
    found: dict[int, Image] = {}
    for image in images:
        loaded = [Rendition(image=image, **row) for row in image.rendition_rows]
        cached = image.renditions.all()
        cached._result_cache = loaded
        cached._prefetch_done = True  # type: ignore[attr-defined]
        image._prefetched_objects_cache = {"renditions": cached}  # type: ignore[attr-defined]
        found[image.pk] = image
    return found


def credit_line(credit: str) -> str:
    """«Фото: ТАСС»; a credit the editor already wrote as «Фото: …» is left as it is."""
    credit = credit.strip()
    if not credit or credit.lower().startswith(("фото", "photo")):
        return credit
    return _("Фото: %(credit)s") % {"credit": credit}


PAGE_SIZES = "(min-width: 1280px) 800px, (min-width: 900px) 64vw, 100vw"
GALLERY_SIZES = "(min-width: 1280px) 395px, (min-width: 900px) 32vw, (min-width: 600px) 48vw, 80vw"


def _page_figure(image: Image | None, caption: str, sizes: str, css_class: str) -> str:
    if image is None:
        return ""
    credit = credit_line(image.credit)
    # The caption is the stored, already escaped text of the figcaption.
    caption_html = mark_safe(caption or html.escape(image.caption))
    figcaption = (
        format_html(
            "<figcaption>{}{}</figcaption>",
            caption_html,
            format_html(' <span class="body-figure__credit">{}</span>', credit) if credit else "",
        )
        if caption_html or credit
        else ""
    )
    return format_html(
        '<figure class="{}">{}{}</figure>',
        css_class,
        picture(image, slot=BODY_SLOT, sizes=sizes, loading="lazy"),
        figcaption,
    )


def render_body(markup: str, images: dict[int, Image] | None = None) -> SafeString:
    """The stored body as readers see it: `<picture>` for photos, a grid for galleries and
    16:9 players for videos. `images` is `images_for([markup])` unless given."""
    if images is None:
        images = images_for([markup])

    def figure(match: re.Match[str], sizes: str = PAGE_SIZES, css: str = "body-figure") -> str:
        return _page_figure(images.get(int(match[1])), match[2] or "", sizes, css)

    def gallery(match: re.Match[str]) -> str:
        figures = FIGURE.sub(lambda m: figure(m, GALLERY_SIZES, "body-gallery__item"), match[1])
        count = len(FIGURE.findall(match[1]))
        label = _("Фотогалерея: %(count)s фото") % {"count": count}
        return (
            f'<div class="body-gallery" role="group" tabindex="0" aria-label="{_attr(label)}">'
            f"{figures}</div>"
        )

    def video(match: re.Match[str]) -> str:
        return (
            f'<div class="body-video"><iframe src="{match[1]}" title="{match[2]}" '
            'allowfullscreen="" loading="lazy" referrerpolicy="strict-origin-when-cross-origin" '
            'allow="autoplay; encrypted-media; fullscreen; picture-in-picture"></iframe></div>'
        )

    if "<figure" in markup:
        markup = GALLERY.sub(gallery, markup)
        markup = FIGURE.sub(figure, markup)
    if "<iframe" in markup:
        markup = VIDEO.sub(video, markup)
    return mark_safe(markup)  # the sanitiser wrote it; photos' words are escaped


def feed_image(image: Image) -> tuple[str, int, int]:
    """The URL and size of a photo for aggregators: a JPEG of its proportions, or the upload."""
    jpegs = sorted(
        (
            r
            for r in image.renditions.all()
            if r.slot == BODY_SLOT and r.format == Rendition.Format.JPEG
        ),
        key=lambda r: r.width,
    )
    chosen = [r for r in jpegs if r.width <= FALLBACK_WIDTH][-1:] or jpegs[:1]
    if chosen:
        return chosen[0].file.url, chosen[0].width, chosen[0].height
    return image.file.url, image.width, image.height


def render_feed_body(markup: str, images: dict[int, Image], absolute: Callable[[str], str]) -> str:
    """The stored body for Yandex and Dzen: a photo as `<figure><img><figcaption>` with an
    absolute JPEG address (no `<picture>`, no AVIF), a gallery as its photos one after another,
    and a video as a link to its page, since neither takes a foreign player."""

    def figure(match: re.Match[str]) -> str:
        image = images.get(int(match[1]))
        if image is None:
            return ""
        url, width, height = feed_image(image)
        caption = " ".join(
            part
            for part in [html.unescape(match[2] or "") or image.caption, credit_line(image.credit)]
            if part
        )
        return format_html(
            '<figure><img src="{}" width="{}" height="{}" alt="{}">{}</figure>',
            absolute(url),
            width,
            height,
            image.alt,
            format_html("<figcaption>{}</figcaption>", caption) if caption else "",
        )

    def video(match: re.Match[str]) -> str:
        embed = video_embed(html.unescape(match[1]))
        if embed is None:
            return ""
        host, path, query = embed
        return format_html(
            '<p><a href="{}">{}</a></p>', host.watch_url(path, query), html.unescape(match[2])
        )

    if "<figure" in markup:
        markup = GALLERY.sub(lambda match: match[1], markup)
        markup = FIGURE.sub(figure, markup)
    if "<iframe" in markup:
        markup = VIDEO.sub(video, markup)
    return markup


def images_in_use(image: Image) -> list[str]:
    """Titles of the articles whose body shows the photo, in the bin included (it may be
    restored). A lookup in the stored bodies, which hold the canonical `data-image="N"`."""
    from articles.models import Article

    marker = f'data-image="{image.pk}"'
    return list(Article.objects.filter(body__contains=marker).values_list("title", flat=True))
