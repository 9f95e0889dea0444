import json

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Rubric, Tag
from regions.models import Region
from staff.models import StaffProfile

pytestmark = pytest.mark.django_db


def record(**overrides):
    data = {
        "title": "Новосибирская область и Республика Беларусь обсудили совместные проекты",
        "lead": "Стороны договорились о поставках техники.",
        "body": "<p>Переговоры прошли в Минске.</p>",
        "rubric": "Актуально",
        "regions": ["Новосибирская область", "Тогучинский район"],
        "tags": ["Беларусь", "экономика"],
        "age_mark": "12+",
        "authors": ["Ирина Петрова", "Олег Смирнов"],
        "source_name": "Сайт Правительства НСО.",
        "source_url": "https://nso.example.ru/news/1",
        "published_at": "2026-11-20T10:00:00+07:00",
        "status": "published",
    }
    data.update(overrides)
    return data


@pytest.fixture
def jsonl(tmp_path):
    def write(*lines):
        path = tmp_path / "articles.jsonl"
        path.write_text(
            "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n",
            encoding="utf-8",
        )
        return str(path)

    return write


def test_import_creates_the_article_with_everything_it_refers_to(jsonl):
    call_command("import_articles", jsonl(record()))

    article = Article.objects.get()
    assert article.slug == "novosibirskaya-oblast-i-respublika-belarus-obsudili-sovmestnye-proekty"
    assert article.rubric.name == "Актуально"
    assert sorted(article.regions.values_list("name", flat=True)) == [
        "Новосибирская область",
        "Тогучинский район",
    ]
    assert sorted(article.tags.names()) == ["Беларусь", "экономика"]
    assert [b.author.public_name for b in article.bylines.all()] == [
        "Ирина Петрова",
        "Олег Смирнов",
    ]
    assert article.published_at.isoformat() == "2026-11-20T03:00:00+00:00"
    assert article.is_published
    assert Article.objects.published().count() == 1


def test_import_guesses_the_kind_of_a_new_region(jsonl):
    call_command("import_articles", jsonl(record()))

    assert Region.objects.get(name="Новосибирская область").kind == "oblast"
    assert Region.objects.get(name="Тогучинский район").kind == "district"


def test_import_uses_existing_rubrics_regions_tags_and_staff_whatever_the_case(jsonl):
    call_command("import_articles", jsonl(record()))
    call_command(
        "import_articles",
        jsonl(
            record(
                title="Вторая новость",
                rubric="актуально",
                regions=["тогучинский район"],
                tags=["беларусь"],
                authors=["ирина петрова"],
            )
        ),
    )

    assert Rubric.objects.count() == 1
    assert Region.objects.count() == 2
    assert Tag.objects.filter(name__iexact="беларусь").count() == 1
    assert StaffProfile.objects.count() == 2


def test_reimporting_the_same_file_updates_and_never_duplicates(jsonl):
    path = jsonl(record(), record(title="Другая новость", slug="drugaya"))
    call_command("import_articles", path)

    jsonl(record(lead="Исправленный лид."), record(title="Другая новость", slug="drugaya"))
    call_command("import_articles", path)

    assert Article.objects.count() == 2
    assert Article.objects.exclude(slug="drugaya").get().lead == "Исправленный лид."
    assert Region.objects.count() == 2
    assert StaffProfile.objects.count() == 2


def test_article_without_authors_gets_the_collective_byline(jsonl, client):
    call_command("import_articles", jsonl(record(authors=[])))

    page = client.get(Article.objects.get().get_absolute_url()).content.decode()
    assert "Редакция" in page.split('class="article__byline"')[1]


def test_missing_age_mark_comes_from_the_rubric(jsonl):
    Rubric.objects.create(name="Происшествия", default_age_mark="16+")

    call_command("import_articles", jsonl(record(rubric="Происшествия", age_mark="")))

    assert Article.objects.get().age_mark == "16+"


def test_draft_is_imported_hidden(jsonl):
    call_command("import_articles", jsonl(record(status="draft")))

    assert Article.objects.count() == 1
    assert not Article.objects.published().exists()


def test_import_sanitises_the_body(jsonl):
    call_command(
        "import_articles",
        jsonl(record(body='<p onclick="steal()">Текст<script>alert(1)</script></p>')),
    )

    assert Article.objects.get().body == "<p>Текст</p>"


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        ("{not json", "строка 2: не JSON"),
        ('["a list"]', "строка 2: строка должна быть JSON-объектом"),
        (record(title=""), "строка 2: title:"),
        (record(age_mark="21+"), "строка 2: age_mark:"),
        (record(published_at="20.11.2026"), "строка 2: published_at:"),
        (record(published_at="2026-11-20T10:00:00"), "смещение часового пояса"),
        (record(status="deleted"), "строка 2: status:"),
        (record(regions="Тогучинский район"), "строка 2: regions: нужен список строк"),
        (record(source_url="javascript:alert(1)"), "строка 2: source_url:"),
        (record(tittle="опечатка"), "строка 2: неизвестные ключи: tittle"),
        (record(title="!!!"), "строка 2: из заголовка не получается адрес"),
        (record(title="Нуль\u0000"), "строка 2: title:"),
        (record(tags=["нуль\u0000"]), "строка 2: tags:"),
    ],
)
def test_bad_line_is_reported_with_its_number_and_nothing_is_imported(
    jsonl, capsys, bad_line, message
):
    path = jsonl(record(title="Хорошая первая строка"), bad_line, record(title="Хорошая третья"))

    with pytest.raises(CommandError, match="Ничего не импортировано"):
        call_command("import_articles", path)

    assert message in capsys.readouterr().err
    assert Article.objects.count() == 0
    assert Rubric.objects.count() == 0
    assert Region.objects.count() == 0


def test_two_lines_with_the_same_slug_are_rejected(jsonl, capsys):
    with pytest.raises(CommandError):
        call_command("import_articles", jsonl(record(), record(lead="Другой лид")))

    assert "строка 2: адрес" in capsys.readouterr().err
    assert Article.objects.count() == 0


def test_line_failing_on_save_rolls_back_the_lines_before_it(jsonl, capsys):
    too_long_name = "Р" * 300

    with pytest.raises(CommandError):
        call_command(
            "import_articles",
            jsonl(record(title="Первая"), record(title="Вторая", authors=[too_long_name])),
        )

    assert "строка 2" in capsys.readouterr().err
    assert Article.objects.count() == 0
    assert StaffProfile.objects.count() == 0


def test_unreadable_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Не удалось прочитать"):
        call_command("import_articles", str(tmp_path / "missing.jsonl"))


def test_non_utf8_file_is_a_clear_error(tmp_path):
    path = tmp_path / "cp1251.jsonl"
    path.write_bytes(json.dumps(record(), ensure_ascii=False).encode("cp1251"))

    with pytest.raises(CommandError, match="UTF-8"):
        call_command("import_articles", str(path))
    assert Article.objects.count() == 0


def test_blank_lines_are_skipped(jsonl):
    call_command("import_articles", jsonl("", record(), "   "))

    assert Article.objects.count() == 1


def test_reimport_without_a_status_keeps_the_article_published(jsonl):
    call_command("import_articles", jsonl(record()))
    without_status = record()
    del without_status["status"]

    call_command("import_articles", jsonl(without_status))

    assert Article.objects.published().count() == 1


def test_new_article_without_a_status_is_a_draft(jsonl):
    without_status = record()
    del without_status["status"]

    call_command("import_articles", jsonl(without_status))

    assert Article.objects.get().status == Article.Status.DRAFT
