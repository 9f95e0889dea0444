"""What search engines and social networks read: absolute URLs, JSON-LD and breadcrumbs."""

import json
from dataclasses import dataclass

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from network.hosts import current_site
from photos.templatetags.photos import jpeg_link, og_image_url

register = template.Library()

JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
MAX_REGION_DEPTH = 10
# The widest logo file that og:image and JSON-LD point to: more is only more bytes.
LOGO_MAX_WIDTH = 640


@register.simple_tag(takes_context=True)
def absolute_url(context, url):
    """`url` on the scheme and host of the request; an absolute URL stays as it is."""
    return context["request"].build_absolute_uri(url)


@register.filter
def json_ld(data):
    """
    A <script type="application/ld+json"> holding `data`, escaped like Django's json_script:
    no "<", ">" or "&" is left in the text, so nothing an editor typed can close the script.
    """
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text.translate(JSON_SCRIPT_ESCAPES)),
    )


def isoformat(moment):
    return timezone.localtime(moment).isoformat()


@register.inclusion_tag("articles/includes/article_jsonld.html", takes_context=True)
def article_structured_data(context, article):
    """schema.org NewsArticle for the article page, from what `for_article_page()` loaded."""
    request = context["request"]
    publication = current_site()
    home = request.build_absolute_uri(reverse("articles:home"))
    # On a site that carries another site's article, the page is a copy: the primary site's
    # address is the one search engines should index.
    url = context.get("canonical_url") or request.build_absolute_uri(article.get_absolute_url())
    authors = [
        {
            "@type": "Person",
            "name": author["name"],
            "url": request.build_absolute_uri(
                reverse("articles:author", kwargs={"slug": author["slug"]})
            ),
        }
        for author in article.page_links["bylines"]
    ]
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": article.title,
        "description": article.excerpt,
        "datePublished": isoformat(article.published_at),
        "dateModified": isoformat(article.updated_at),
        "author": authors or {"@type": "Organization", "name": _("Редакция"), "url": home},
        "publisher": publisher(publication, request),
        "articleSection": article.shown_rubric.name,
        "inLanguage": "ru",
        "contentRating": article.age_mark,
        "isAccessibleForFree": True,
    }
    if article.cover is not None:
        data["image"] = [request.build_absolute_uri(og_image_url(article.cover))]
    return {"structured_data": data}


def publisher(site, request) -> dict:
    """The site as schema.org NewsMediaOrganization, with its logo when it has one."""
    data = {
        "@type": "NewsMediaOrganization",
        "name": site.name,
        "url": request.build_absolute_uri(reverse("articles:home")),
    }
    logo = jpeg_link(site.logo, "original", LOGO_MAX_WIDTH)
    if logo is not None:
        data["logo"] = {
            "@type": "ImageObject",
            "url": request.build_absolute_uri(logo.url),
            "width": logo.width,
            "height": logo.height,
        }
    return data


@register.inclusion_tag("articles/includes/article_jsonld.html", takes_context=True)
def site_structured_data(context):
    """schema.org NewsMediaOrganization for the home page: the site, its logo and its pages
    elsewhere."""
    site = current_site()
    data = {"@context": "https://schema.org", **publisher(site, context["request"])}
    same_as = [url for url in (site.vk_url, site.telegram_url, site.ok_url) if url]
    if same_as:
        data["sameAs"] = same_as
    return {"structured_data": data}


@dataclass(frozen=True)
class ShareImage:
    """The og:image of a page: an absolute URL, its description, and whether it is a wide
    picture (Twitter's large card) or a logo (its small one)."""

    url: str
    alt: str
    large: bool


@register.simple_tag(takes_context=True)
def share_image(context, image_url="", image_alt="") -> ShareImage | None:
    """The page's own photo; else the site's card image, cropped to 1200×630; else its logo;
    else none."""
    if image_url:
        return ShareImage(image_url, image_alt, large=True)
    site = current_site()
    request = context["request"]
    if site.card_image is not None:
        url = request.build_absolute_uri(og_image_url(site.card_image))
        return ShareImage(url, site.card_image.alt, large=True)
    logo = jpeg_link(site.logo, "original", LOGO_MAX_WIDTH)
    if logo is not None:
        return ShareImage(request.build_absolute_uri(logo.url), site.name, large=False)
    return None


@register.filter
def with_ancestors(region):
    """
    The regions from the top of the tree down to `region`. The region pages load the parent with
    the region, so only a grandparent and above cost a query each.
    """
    chain = [region]
    while chain[0].parent_id is not None and len(chain) < MAX_REGION_DEPTH:
        chain.insert(0, chain[0].parent)
    return chain


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, *pages):
    """
    "Главная", then each page given (an object with get_absolute_url, or a list of them), the
    last being the current page; with its schema.org BreadcrumbList.
    """
    request = context["request"]
    crumbs = [(_("Главная"), reverse("articles:home"))]
    for page in pages:
        for item in page if isinstance(page, list) else [page]:
            crumbs.append((str(item), item.get_absolute_url()))
    structured_data = {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": name,
                "item": request.build_absolute_uri(url),
            }
            for position, (name, url) in enumerate(crumbs, start=1)
        ],
    }
    return {"crumbs": crumbs, "structured_data": structured_data}
