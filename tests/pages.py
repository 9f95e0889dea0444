"""Pick the parts of a rendered page that a test is about."""

import html
import re

import lxml.html


def main_column(response) -> str:
    return response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]


def recent_news(response) -> str:
    return response.content.decode().split('class="recent-news"', 1)[1].split("</section>", 1)[0]


def page(client, url):
    """The page at `url`, which must answer 200, parsed for XPath queries."""
    response = client.get(url)
    assert response.status_code == 200
    return lxml.html.fromstring(response.content)


def meta(document, key):
    """The content of the page's <meta> with that property or name; None without one."""
    values = document.xpath(f'//meta[@property="{key}" or @name="{key}"]/@content')
    return values[0] if values else None


def home_sections(response) -> dict[str, list[str]]:
    """The home page's rubric sections: each rubric's name and the addresses of its cards."""
    sections = {}
    for section in main_column(response).split('aria-labelledby="rubric-')[1:]:
        heading, cards = section.split("</h2>", 1)
        name = re.search(r">([^<]+)</a>", heading)[1]
        sections[name] = re.findall(r'<h3 class="card__title"><a href="([^"]+)">', cards)
    return sections


def card_titles(response) -> list[str]:
    """The titles of the article cards in the page's main column, in order."""
    return [
        html.unescape(title)
        for title in re.findall(
            r'<h3 class="card__title"><a href="[^"]+">([^<]*)</a>', main_column(response)
        )
    ]


def card_addresses(response) -> list[str]:
    """The addresses the cards of the page's main column link to, in order."""
    return re.findall(r'<h3 class="card__title"><a href="([^"]+)">', main_column(response))
