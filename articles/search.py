"""Full-text search that understands Russian word forms.

PostgreSQL's Snowball stemmer cuts "Беларусь" and "Беларуси" to different stems, so we
lemmatise with pymorphy3 instead: `editorial.services` stores every word of the title, lead and
body as its dictionary forms, generated `search_terms` and `search_vector` columns index those
with the `simple` configuration, and a query is lemmatised the same way before it reaches the
database.
"""

import functools
import re
from dataclasses import dataclass

import pymorphy3
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db.models import BigIntegerField, F, QuerySet, Value
from django.db.models.functions import Cast
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from articles.models import Placement, SiteListing, SiteTerms
from newsroom.text import cut_at_word, html_to_text

MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 16
MAX_WORD_LENGTH = 64
SNIPPET_LENGTH = 200
# Searches rank the newest this many matches (see `search`).
MAX_RANKED_MATCHES = 200
SNIPPET_LEAD_IN = 60

WORD = re.compile(r"[^\W_]+")
FUNCTION_WORDS = {"PREP", "CONJ", "PRCL", "INTJ"}


@functools.cache
def morph() -> pymorphy3.MorphAnalyzer:
    """The analyser loads its dictionaries for a fifth of a second: build it once per process."""
    return pymorphy3.MorphAnalyzer()


@functools.lru_cache(maxsize=100_000)
def word_lemmas(word: str) -> tuple[str, ...]:
    """Every dictionary form the word may be, most likely first ("стали" → стать, сталь)."""
    word = word.lower().replace("ё", "е")
    if word.isdigit() or len(word) > MAX_WORD_LENGTH:
        return (word,)
    lemmas = dict.fromkeys(parse.normal_form.replace("ё", "е") for parse in morph().parse(word))
    return tuple(lemmas) or (word,)


@functools.lru_cache(maxsize=10_000)
def is_function_word(word: str) -> bool:
    return morph().parse(word.lower())[0].tag.POS in FUNCTION_WORDS


def lemmatise(text: str) -> str:
    """The text as its words' dictionary forms, for the `simple` text-search configuration."""
    return " ".join(" ".join(word_lemmas(word)) for word in WORD.findall(text or ""))


@dataclass(frozen=True)
class SearchTerms:
    """A reader's query as lemmas: every word must match one of its possible dictionary forms."""

    words: tuple[tuple[str, ...], ...] = ()

    def __bool__(self):
        return bool(self.words)

    @functools.cached_property
    def lemmas(self) -> frozenset[str]:
        return frozenset(lemma for word in self.words for lemma in word)

    def as_query(self) -> SearchQuery | None:
        """All words, each as any of its lemmas; each lemma is a bound parameter, never syntax.

        None when there are no words.
        """
        query: SearchQuery | None = None
        for lemmas in self.words:
            word_query: SearchQuery | None = None
            for lemma in lemmas:
                lemma_query = SearchQuery(lemma, search_type="plain", config="simple")
                word_query = lemma_query if word_query is None else word_query | lemma_query
            if word_query is not None:
                query = word_query if query is None else query & word_query
        return query


def parse_query(text: str) -> SearchTerms:
    """Letters and digits only, so quotes, &|!:*() and SQL-ish text are just words or nothing.

    Prepositions, conjunctions and particles are dropped unless the query has nothing else.
    """
    words = list(dict.fromkeys(WORD.findall((text or "")[:MAX_QUERY_LENGTH].lower())))
    words = words[:MAX_QUERY_WORDS]
    meaningful = [word for word in words if not is_function_word(word)]
    return SearchTerms(words=tuple(word_lemmas(word) for word in meaningful or words))


def search(queryset, terms: SearchTerms):
    """Articles matching every word, the most relevant first and the newest among equals.

    Only the newest MAX_RANKED_MATCHES matches are ranked: a common word in a million-article
    archive would otherwise rank hundreds of thousands of rows on every search. A site's list
    that its placements alone can say (`site_listing`) finds them on the site's own index of
    terms (`placement_site_search_idx`, on the copy `editorial.services` keeps): walking the
    site's placements by date and testing each article's terms reads thousands of article rows
    before it has 200 matches. Any other list finds them in the articles' GIN index.

    Matching is on `search_terms` (`@@`), the article's words without positions; the matches
    found are read through the whole list, `published()` and the article's own terms included,
    so a stale copy on a placement can drop a match but never show a hidden or non-matching
    article. The rank only orders, from `search_vector`, where title words weigh A, lead B,
    body C, so a title match outranks a body-only one.
    """
    query = terms.as_query()
    if query is None:
        return queryset.none()
    listing = getattr(queryset, "site_listing", None)
    if listing is not None:
        newest_matches = site_matches(listing, terms).values("article_id")
    else:
        matches = queryset.filter(search_terms=query)
        if not queryset.ordered:
            matches = matches.order_by("-published_at", "-pk")
        newest_matches = matches.values("pk")
    return (
        queryset.filter(pk__in=newest_matches[:MAX_RANKED_MATCHES], search_terms=query)
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank", "-published_at", "-pk")
    )


def site_matches(listing: SiteListing, terms: SearchTerms) -> "QuerySet[Placement]":
    """The placements of a site's list whose terms have every word, in the list's order.

    A word matches when the terms hold any of its lemmas' "site:term" keys (`SiteTerms`), which
    the site's search index answers from the site's own posting lists. The keys are made from
    the lemmas by the same function as the index's, so they are normalised as the terms were;
    they can let through more than `@@` would (a lemma the parser splits), never less, and
    `search` reads the matches found through the article's own terms.
    """
    site_id = Cast(Value(listing.site_id), BigIntegerField())
    placements = listing.placements().alias(site_terms=SiteTerms(F("site_id"), F("search_terms")))
    for lemmas in terms.words:
        words = SearchVector(Value(" ".join(lemmas)), config="simple")
        placements = placements.filter(site_terms__overlap=SiteTerms(site_id, words))
    return placements


def highlight(text: str, lemmas: frozenset[str]) -> SafeString:
    """The plain text, escaped, with every form of the query's words wrapped in <mark>."""
    parts = []
    position = 0
    for match in WORD.finditer(text):
        if lemmas.isdisjoint(word_lemmas(match.group())):
            continue
        parts.append(escape(text[position : match.start()]))
        parts.append(format_html("<mark>{}</mark>", match.group()))
        position = match.end()
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # every part was escaped or built by format_html


def snippet(text: str, lemmas: frozenset[str], length: int = SNIPPET_LENGTH) -> SafeString:
    """About `length` characters of the text around its first match, highlighted.

    Without a match (the words were in the title) it is the beginning of the text.
    """
    first = next(
        (m for m in WORD.finditer(text) if not lemmas.isdisjoint(word_lemmas(m.group()))), None
    )
    start = 0
    if first is not None and first.end() > length:
        start = text.rfind(" ", 0, max(first.start() - SNIPPET_LEAD_IN, 0)) + 1
    return format_html(
        "{}{}", "…" if start else "", highlight(cut_at_word(text[start:], length), lemmas)
    )


def mark_matches(articles, terms: SearchTerms):
    """Give each article a highlighted `marked_title` and `marked_snippet` for its card."""
    for article in articles:
        text = " ".join(f"{article.lead} {html_to_text(article.body)}".split())
        article.marked_title = highlight(article.title, terms.lemmas)
        article.marked_snippet = snippet(text, terms.lemmas)
    return articles
