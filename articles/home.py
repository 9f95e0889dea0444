"""The home page's layout: which articles it shows where, worked out once per change on the site.

The layout names its cards (`articles.cards.CardRef`) rather than holding the articles, so that a
home page the page cache misses is assembled from the stored layout and the stored cards, and
only the cards of articles that changed are rendered again.
"""

from dataclasses import dataclass, field, replace

from django.db.models import Value

from newsroom import fragments

from .cards import CardRef, cards_html
from .models import CARD_REF_FIELDS, Article, Rubric

HOME_GRID_SIZE = 6
HOME_ARTICLES_PER_RUBRIC = 4


@dataclass(frozen=True)
class SectionHeading:
    rubric_id: int
    name: str
    url: str


@dataclass
class HomeLayout:
    lead: CardRef | None = None
    top: list[CardRef] = field(default_factory=list)
    sections: list[tuple[SectionHeading, list[CardRef]]] = field(default_factory=list)

    def cards(self) -> list[CardRef]:
        return [
            *([self.lead] if self.lead else []),
            *self.top,
            *(ref for _, refs in self.sections for ref in refs),
        ]


@dataclass
class HomePage:
    """The layout with each card's HTML in its place."""

    lead: str
    top: list[str]
    sections: list[tuple[SectionHeading, list[str]]]


def home_page(request, site) -> HomePage:
    layout = fragments.cached_one(request, "home-layout", "", lambda: home_layout(site))
    html = iter(cards_html(request, layout.cards()))
    lead = next(html) if layout.lead else ""
    top = [next(html) for _ in layout.top]
    sections = [(heading, [next(html) for _ in refs]) for heading, refs in layout.sections]
    return HomePage(lead=lead, top=top, sections=sections)


# The parts of the layout's one query, beside the rubrics' own (a rubric's id is its part).
LEAD_PART, NEWEST_PART = -1, 0


def home_layout(site) -> HomeLayout:
    """The lead story (the newest featured one, else the newest), the next newest, and the
    newest of each rubric of the site's menu not shown above.

    Two queries: the rubrics, then one UNION ALL of a part for the lead, one for the newest and
    one per rubric, each a walk of the site's index that stops at its LIMIT. They read only the
    ids and versions that name the cards; the cards come from the cache or one more query.
    """
    rubrics = list(Rubric.objects.in_menu_of(site).with_articles_on(site).only("name", "slug"))
    listed = Article.objects.published_on(site)

    def part(articles, number: int, size: int):
        return articles.annotate(part=Value(number)).values_list(*CARD_REF_FIELDS, "part")[:size]

    lead_first = listed.order_by(
        "-placement__is_featured", "-placement__published_at", "-placement__article_id"
    )
    # Enough of a rubric that it has its own after the lead and the grid took theirs.
    rubric_size = HOME_ARTICLES_PER_RUBRIC + HOME_GRID_SIZE + 1
    parts = [
        part(lead_first, LEAD_PART, 1),
        part(listed, NEWEST_PART, HOME_GRID_SIZE + 1),
        *(part(listed.in_rubric_on(rubric.pk), rubric.pk, rubric_size) for rubric in rubrics),
    ]
    by_part: dict[int, list[CardRef]] = {}
    for article_id, version, rubric_id, number in parts[0].union(*parts[1:], all=True):
        by_part.setdefault(number, []).append(CardRef(article_id, version, rubric_id))
    if LEAD_PART not in by_part:
        return HomeLayout()
    lead = by_part[LEAD_PART][0]
    top = [ref for ref in by_part[NEWEST_PART] if ref.article_id != lead.article_id]
    top = top[:HOME_GRID_SIZE]
    shown = {lead.article_id, *(ref.article_id for ref in top)}
    sections = []
    for rubric in rubrics:
        refs = [ref for ref in by_part.get(rubric.pk, []) if ref.article_id not in shown]
        if refs:
            heading = SectionHeading(rubric.pk, rubric.name, rubric.get_absolute_url())
            sections.append((heading, refs[:HOME_ARTICLES_PER_RUBRIC]))
    return HomeLayout(lead=replace(lead, large=True), top=top, sections=sections)
