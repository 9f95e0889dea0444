import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse, set_script_prefix

from newsroom.slugs import slug_address, transliterate_slug

ADMIN_URLIFY = Path(settings.BASE_DIR) / "static" / "admin_extras" / "urlify_ru.js"


def admin_letter_table() -> dict[str, str]:
    source = ADMIN_URLIFY.read_text(encoding="utf-8")
    body = re.search(r"RUSSIAN_TO_LATIN = (\{.*?\});", source, re.S).group(1)
    return json.loads(re.sub(r",\s*\}", "}", body))


def test_admin_prefill_transliterates_every_russian_letter_as_the_server_does():
    table = admin_letter_table()

    assert set(table) == set("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")
    for letter, latin in table.items():
        assert transliterate_slug(f"x{letter}x") == f"x{latin}x"


def test_slug_reads_as_the_russian_title():
    title = "Новосибирская область и Республика Беларусь обсудили совместные проекты"

    assert transliterate_slug(title) == (
        "novosibirskaya-oblast-i-respublika-belarus-obsudili-sovmestnye-proekty"
    )


def test_long_slug_is_cut_after_a_whole_word_and_keeps_the_middle_words():
    title = "Губернатор Новосибирской области провёл совещание о подготовке к отопительному сезону"

    slug = transliterate_slug(title)

    assert len(slug) <= 80
    assert slug == "gubernator-novosibirskoy-oblasti-provyol-soveshchanie-o-podgotovke-k"


def test_hard_sign_soft_sign_and_quotes_disappear():
    assert transliterate_slug("Подъезд, объём и «съезд» — 2026") == "podezd-obyom-i-sezd-2026"


@pytest.mark.parametrize(
    "viewname", ["articles:detail", "articles:rubric", "articles:tag", "articles:author"]
)
@pytest.mark.parametrize("slug", ["most-cherez-berd", "SLUG", "a_b-9"])
def test_slug_address_is_what_reverse_gives(viewname, slug):
    assert slug_address(viewname, slug) == reverse(viewname, kwargs={"slug": slug})


def test_slug_address_follows_the_script_prefix():
    set_script_prefix("/SLUG/")
    try:
        assert slug_address("articles:detail", "most") == "/SLUG/news/most/"
    finally:
        set_script_prefix("/")
