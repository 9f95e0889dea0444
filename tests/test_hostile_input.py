"""No input gives a server error: every admin list filter, search, autocomplete, form field and
action of ours, and every query parameter of the readers' pages, with hostile values, as each
role. A NUL byte gets 400; a malformed value, a form error or the page without it."""

from collections.abc import Iterable
from urllib.parse import quote, urlencode

import lxml.html
import pytest
from django.conf import settings
from django.contrib import admin
from django.db import transaction
from django.urls import reverse

from articles.models import AgeMark, Article
from editorial import services
from tests.factories import (
    ArticleFactory,
    PhotoFactory,
    RegionFactory,
    RubricFactory,
    SiteFactory,
    StaffProfileFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "author", "editor", "moderator", "superuser"]
OUR_APPS = {"articles", "editorial", "network", "photos", "regions", "staff"}
HOSTILE = [
    "\x00",
    "a\x00b",
    "abc",
    "-1",
    "1.5",
    "99999999999999999999999",
    "%",
    "x" * 3000,
    "Ж😀\u202e\ufeff\u0301",
    "2026-13-45",
    "' OR 1=1 --",
]
# Where each request renders a whole admin page, the values that take different paths: NUL,
# a word for a number, a number too large for any column, a LIKE wildcard, too long, not ASCII.
HOSTILE_SHORT = ["\x00", "abc", "-1", "99999999999999999999999", "%", "x" * 3000, "Ж😀\u202e"]
# In forms, text fields take anything: what matters is numbers, choices and dates.
HOSTILE_FORM = ["abc", "99999999999999999999999", "x" * 3000]
# Sent as they are, not encoded: broken percent escapes and bytes that are not UTF-8.
RAW_QUERY_VALUES = ["%", "%zz", "%E0%A4%A", "%FF%FE", "%C0%80", "%00"]
SERVER_ERROR = 500


def server_errors(client, requests: Iterable[tuple]) -> str:
    """The requests that got a 5xx, one a line: "METHOD url [what was hostile]"."""
    client.raise_request_exception = False
    failed = []
    for method, url, data, *label in requests:
        if method == "GET":
            response = client.get(url)
        else:
            # Each post sees the same rows: a save it makes is undone before the next.
            with transaction.atomic():
                response = client.post(url, data)
                transaction.set_rollback(True)
        if response.status_code >= SERVER_ERROR:
            failed.append(f"{method} {url[:150]} {label[0] if label else str(data)[:150]}")
    return "\n".join(failed)


def with_query(url: str, **params: str) -> str:
    return f"{url}?{urlencode(params)}"


@pytest.fixture
def newsroom(desk_region, superuser, author, editor, moderator):
    """One of everything the admin lists, with the roles' users."""
    other_site = SiteFactory(name="Тогучинские вести")
    rubric = RubricFactory(name="Экономика")
    photo = PhotoFactory(title="Комбайн")
    article = ArticleFactory(
        title="Уборка урожая",
        rubric=rubric,
        cover=photo,
        regions=[desk_region],
        tags=["урожай"],
        authors=[author.staff_profile],
    )
    services.place_article(article=article, sites=[other_site], user=superuser)
    ArticleFactory(
        title="Черновик",
        status=Article.Status.DRAFT,
        published_at=None,
        regions=[desk_region],
        authors=[author.staff_profile],
        user=author,
    )
    ArticleFactory(title="Новость соседей", site=other_site, age_mark=AgeMark.EIGHTEEN)
    RegionFactory(name="Бердск", parent=desk_region)
    StaffProfileFactory(public_name="Ольга Петрова")
    return article


@pytest.fixture(params=ROLES)
def role_client(request, client, newsroom):
    if request.param != "anonymous":
        client.force_login(request.getfixturevalue(request.param))
    return client


def our_model_admins():
    return [
        model_admin
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in OUR_APPS
    ]


def admin_url(model_admin, view: str, *args) -> str:
    opts = model_admin.opts
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def list_parameters(client, model_admin) -> set[str]:
    """The parameters a changelist reads: its filters', its date drill-down's, Django's own."""
    parameters = {"q"}
    if model_admin.model is Article:
        # Django's own, read the same way by every list.
        parameters |= {"o", "p", "all", "e", "_popup", "_to_field", "_changelist_filters"}
    if model_admin.date_hierarchy:
        field = model_admin.date_hierarchy
        parameters |= {f"{field}__year", f"{field}__month", f"{field}__day"}
    response = client.get(admin_url(model_admin, "changelist"))
    if response.status_code == 200:
        for spec in response.context["cl"].filter_specs:
            parameters.update(spec.expected_parameters())
    return parameters


def test_admin_lists_never_fail_on_hostile_filters_search_or_paging(role_client, superuser):
    staff = type(role_client)()
    staff.force_login(superuser)
    requests = []
    for model_admin in our_model_admins():
        url = admin_url(model_admin, "changelist")
        for parameter in sorted(list_parameters(staff, model_admin)):
            requests += [("GET", with_query(url, **{parameter: v}), None) for v in HOSTILE_SHORT]

    assert server_errors(role_client, requests) == ""


def test_admin_list_actions_never_fail_on_hostile_selections(role_client):
    requests = []
    for model_admin in our_model_admins():
        url = admin_url(model_admin, "changelist")
        actions = [*(model_admin.actions or []), "delete_selected", "no_such_action"]
        for action in actions:
            for value in HOSTILE_FORM:
                requests.append(
                    ("POST", url, {"action": action, "_selected_action": value, "index": "0"})
                )
        for value in HOSTILE_SHORT:
            requests.append(
                ("POST", url, {"action": value, "_selected_action": "1", "index": value})
            )
            requests.append(
                (
                    "POST",
                    url,
                    {
                        "action": actions[0],
                        "_selected_action": "1",
                        "index": "0",
                        "select_across": value,
                        "rubric": value,
                        "comment": value,
                        "confirmed": value,
                    },
                )
            )

    assert server_errors(role_client, requests) == ""


def autocomplete_fields() -> list[tuple[str, str, str]]:
    """(app_label, model_name, field_name) of every autocomplete of ours, inlines' included."""
    fields = [("articles", "article", "tags")]
    for model_admin in our_model_admins():
        opts = model_admin.opts
        inlines = [inline(model_admin.model, admin.site) for inline in model_admin.inlines]
        for owner in [model_admin, *inlines]:
            owner_opts = owner.opts
            for name in owner.autocomplete_fields:
                fields.append((owner_opts.app_label, owner_opts.model_name, name))
        del opts
    return fields


def test_admin_autocomplete_never_fails_on_hostile_values(role_client):
    url = reverse("admin:autocomplete")
    requests = []
    for app_label, model_name, field_name in autocomplete_fields():
        good = {"app_label": app_label, "model_name": model_name, "field_name": field_name}
        for value in HOSTILE_SHORT:
            for parameter in [*good, "term", "page"]:
                requests.append(("GET", with_query(url, **(good | {parameter: value})), None))
        for raw in RAW_QUERY_VALUES:
            requests.append(("GET", f"{url}?{urlencode(good)}&term={raw}", None))

    assert server_errors(role_client, requests) == ""


def form_values(html: str) -> list[tuple[str, str]]:
    """What a browser would send from the page's main form, unchanged."""
    document = lxml.html.fromstring(html)
    forms = [form for form in document.forms if form.get("method", "").lower() == "post"]
    form = max(forms, key=lambda candidate: len(candidate.inputs))
    return list(form.form_values())


# Text typed by a person: what can go wrong there is a NUL, or more than the column holds.
TEXT_INPUTS = {"text", "email", "url", "tel", "search", "password"}
TEXT_VALUES = ["\x00", "x" * 3000]
SUBMIT_BUTTONS = {"_save", "_continue", "_addanother", "_saveasnew"}


def form_fields(html: str) -> dict[str, bool]:
    """Each field the form sends, and whether it is typed text (True) or a choice, a number, a
    date part, a checkbox or a hidden value (False). Formsets' empty templates are skipped."""
    document = lxml.html.fromstring(html)
    fields: dict[str, bool] = {}
    for element in document.iter("input", "select", "textarea"):
        name = element.get("name")
        if not name or name == "csrfmiddlewaretoken" or name in SUBMIT_BUTTONS:
            continue
        if "__prefix__" in name:
            continue
        typed = element.tag == "textarea" or (
            element.tag == "input" and element.get("type", "text") in TEXT_INPUTS
        )
        fields.setdefault(name, typed)
    return fields


def garbage_posts(url: str, html: str, values: list[str]) -> list[tuple]:
    """The form as it came, with one field at a time replaced by each hostile value."""
    sent = form_values(html)
    requests = []
    for name, typed in sorted(form_fields(html).items()):
        kept = [(key, value) for key, value in sent if key != name]
        for value in TEXT_VALUES if typed else values:
            data: dict[str, list[str]] = {}
            for key, kept_value in [*kept, (name, value)]:
                data.setdefault(key, []).append(kept_value)
            requests.append(("POST", url, data, f"{name}={value[:12]!r}"))
    return requests


def form_urls(model_admin, article) -> list[str]:
    """The add form, and the change form of the first object the superuser's list has."""
    urls = [admin_url(model_admin, "add")]
    model = model_admin.model
    obj = article if model is Article else model._default_manager.order_by("pk").first()
    if obj is not None:
        urls.append(admin_url(model_admin, "change", obj.pk))
    return urls


@pytest.mark.parametrize("role", ["author", "editor", "moderator", "superuser"])
def test_admin_forms_never_fail_on_garbage_in_any_field(role, request, client, newsroom):
    """The superuser has every form with every field. Only the article form changes with the
    role (its fields, what is read-only, whose sites and regions it offers): the others try it
    with the values that reach a query."""
    client.force_login(request.getfixturevalue(role))
    superuser = role == "superuser"
    values = HOSTILE_FORM if superuser else ["abc", "99999999999999999999999"]
    requests = []
    for model_admin in our_model_admins() if superuser else [admin.site._registry[Article]]:
        for url in form_urls(model_admin, newsroom):
            response = client.get(url)
            if response.status_code == 200:
                requests += garbage_posts(url, response.content.decode(), values)

    assert requests
    assert server_errors(client, requests) == ""


def test_admin_article_pages_never_fail_on_hostile_parameters(role_client, newsroom):
    article_admin = admin.site._registry[Article]
    calendar = admin_url(article_admin, "calendar")
    revisions = admin_url(article_admin, "revisions", newsroom.pk)
    compare = admin_url(article_admin, "revisions_compare", newsroom.pk)
    picker = reverse("admin:photos_image_picker")
    requests = []
    for value in HOSTILE:
        requests += [
            ("GET", with_query(calendar, view="week", start=value), None),
            ("GET", with_query(calendar, view=value, start=value, site=value), None),
            ("GET", with_query(revisions, page=value), None),
            ("GET", with_query(compare, old=value, new=value), None),
            ("GET", with_query(picker, q=value), None),
            ("GET", with_query(picker, ids=value), None),
            ("GET", with_query(picker, ids=f"1,{value},²,٣"), None),
            ("GET", with_query(reverse("admin:index"), **{"desk": value}), None),
        ]
        for view in ["change", "preview", "preview_link", "revisions", "delete", "history"]:
            requests.append(("GET", admin_url(article_admin, view, quote(value)), None))

    assert server_errors(role_client, requests) == ""


# Readers' pages


def reader_urls(article) -> list[str]:
    region = article.regions.get()
    return [
        reverse("articles:home"),
        reverse("articles:archive"),
        article.get_absolute_url(),
        article.rubric.get_absolute_url(),
        region.get_absolute_url(),
        reverse("articles:tag", kwargs={"slug": article.tags.get().slug}),
        article.authors.get().get_absolute_url(),
        reverse("articles:search"),
        reverse("feeds:site"),
        reverse("feeds:yandex"),
        reverse("feeds:dzen"),
        reverse("feeds:rubric", args=[article.rubric.slug]),
        reverse("feeds:region", args=[region.slug]),
        reverse("sitemaps:index"),
        reverse("sitemaps:news"),
        reverse("sitemaps:section", kwargs={"section": "articles"}),
        reverse("network:theme"),
        reverse("robots"),
        reverse("healthz"),
    ]


READER_PARAMETERS = [
    "page",
    "p",
    "q",
    "rubric",
    "region",
    "tag",
    "author",
    "age_mark",
    "date_from",
    "date_to",
    "utm_source",
]


def test_reader_pages_never_fail_on_hostile_query_strings(client, newsroom):
    """Every parameter at once: a reader page validates each on its own, and none stops the
    others from being read (a wrong filter shows the form's error, a wrong page is a 404)."""
    requests = []
    for url in reader_urls(newsroom):
        for value in HOSTILE:
            query = urlencode(dict.fromkeys(READER_PARAMETERS, value))
            requests.append(("GET", f"{url}?{query}", None, f"every parameter={value[:12]!r}"))
        for raw in RAW_QUERY_VALUES:
            query = "&".join(f"{parameter}={raw}" for parameter in READER_PARAMETERS)
            requests.append(("GET", f"{url}?{query}", None))
        requests.append(("GET", f"{url}?{'&'.join(f'x{n}=1' for n in range(500))}", None))

    assert server_errors(client, requests) == ""


def test_reader_pages_never_fail_on_hostile_paths_or_posts(client, newsroom):
    requests = []
    for value in HOSTILE:
        slug = quote(value, safe="")
        requests += [
            ("GET", f"/news/{slug}/", None),
            ("GET", f"/rubric/{slug}/", None),
            ("GET", f"/rubric/{slug}/feed/", None),
            ("GET", f"/sitemap-{slug}.xml", None),
            ("GET", f"/preview/{slug}/", None),
            ("GET", f"/{slug}", None),
            ("GET", f"/media/{slug}", None),
            ("GET", f"/static/{slug}", None),
            ("POST", reverse("articles:confirm_age"), {"next": value}),
        ]

    assert server_errors(client, requests) == ""


@pytest.mark.parametrize("path", ["/?q=\x00", "/search/?q=a%00b", "/news/a%00b/"])
def test_nul_byte_in_an_address_is_a_bad_request(client, path):
    assert client.get(path).status_code == 400


def test_nul_byte_in_a_posted_field_is_a_bad_request(client):
    response = client.post(reverse("articles:confirm_age"), {"next": "/\x00"})

    assert response.status_code == 400


def test_nul_byte_in_a_header_is_a_bad_request(client):
    assert client.get("/", headers={"User-Agent": "a\x00b"}).status_code == 400


def test_nul_byte_in_a_session_cookie_is_a_bad_request(client):
    client.cookies[settings.SESSION_COOKIE_NAME] = "abcdefgh\x00"

    assert client.get(reverse("admin:index")).status_code == 400


def test_nul_byte_in_admin_filter_is_a_bad_request(superuser_client, newsroom):
    url = reverse("admin:articles_article_changelist")

    assert superuser_client.get(f"{url}?status__exact=%00").status_code == 400


def test_nul_byte_in_autocomplete_term_is_a_bad_request(superuser_client, newsroom):
    url = reverse("admin:autocomplete")
    query = "app_label=articles&model_name=article&field_name=regions&term=%00"

    assert superuser_client.get(f"{url}?{query}").status_code == 400


def test_malformed_region_in_the_article_form_is_a_form_error_that_keeps_the_text(
    superuser_client, newsroom
):
    from tests.admin_forms import article_form_data

    url = reverse("admin:articles_article_add")
    data = article_form_data(newsroom.rubric, title="Текст, который нельзя потерять")

    response = superuser_client.post(url, data | {"regions": ["abc"]})

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["regions"]
    assert "Текст, который нельзя потерять" in response.content.decode()
