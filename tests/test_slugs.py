import json
import re
from pathlib import Path

from django.conf import settings

from newsroom.slugs import transliterate_slug

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
