"""`{% article_body article %}`: the stored body with its photos, galleries and videos."""

from django import template
from django.utils.safestring import SafeString

from articles.body import render_body
from articles.models import Article

register = template.Library()


@register.simple_tag
def article_body(article: Article) -> SafeString:
    """One query for all the body's photos and their sizes; none when it has no photo."""
    return render_body(article.body)
