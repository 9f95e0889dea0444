"""Pick the parts of a rendered page that a test is about."""


def main_column(response) -> str:
    return response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]


def recent_news(response) -> str:
    return response.content.decode().split('class="recent-news"', 1)[1].split("</section>", 1)[0]
