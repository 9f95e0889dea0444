from typing import Any, cast

from django import forms
from django.contrib.admin.helpers import ActionForm
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Tag
from network.hosts import current_site
from network.models import Site

from . import permissions, workflow
from .permissions import RequestUser


def https_url_formfield(model_field, **kwargs):
    """Addresses typed without a scheme are read as https, as Django 6 will do by default."""
    if isinstance(model_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return model_field.formfield(**kwargs)


class ArticleAdminForm(forms.ModelForm):
    """The admin's article form: no lost edits, and no step the editor may not take.

    The version the editor started from travels in a hidden field; `clean()` locks the row
    (the admin wraps the whole save in one transaction) and compares it with the stored one.
    The status changes only through the workflow buttons, checked here against the regions the
    article is about to be saved with, and again by `articles.workflow` when it is applied.
    `editorial_user` and `requested_action` are set by the admin for each request.
    """

    base_version = forms.IntegerField(
        label=_("версия, с которой начата правка"), widget=forms.HiddenInput, required=False
    )
    workflow_comment = forms.CharField(
        label=_("Комментарий к смене статуса"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Обязателен, когда статью возвращают автору: что исправить."),
    )
    also_on = forms.ModelMultipleChoiceField(
        label=_("Разместить также на сайтах"),
        queryset=Site.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Снятая отметка убирает статью с того сайта; на основном она остаётся."),
    )
    on_whole_network = forms.BooleanField(
        label=_("На всех сайтах сети"),
        required=False,
        help_text=_("Разместить на каждом сайте, который сейчас есть в сети."),
    )
    editorial_user: RequestUser | None = None
    requested_action: str | None = None

    def clean_tags(self) -> list[str]:
        """A tag longer than its column is refused here, not by the database on save."""
        tags = self.cleaned_data.get("tags") or []
        limit = Tag._meta.get_field("name").max_length or 0
        for tag in tags:
            if len(tag) > limit:
                raise forms.ValidationError(
                    _("Тег длиннее %(limit)d символов: «%(start)s…»."),
                    params={"limit": limit, "start": tag[:30]},
                    code="max_length",
                )
        return tags

    class Meta:
        model = Article
        fields = "__all__"  # noqa: DJ007 - ArticleAdmin's fieldsets choose the fields shown
        formfield_callback = https_url_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "base_version" in self.fields:
            self.fields["base_version"].initial = self.instance.version
        user = self.editorial_user
        own_sites = permissions.desk_site_ids(user) if user is not None else set()
        sites = Site.objects.all() if own_sites is None else Site.objects.filter(pk__in=own_sites)
        if "site" in self.fields:
            site_field = cast(forms.ModelChoiceField, self.fields["site"])
            site_field.queryset = sites
            site_field.required = False
            site_field.help_text = _("Пусто — сайт, на котором открыта админка.")
        if "published_at" in self.fields:
            self._name_date_and_time(self.fields["published_at"].widget)
        if "also_on" in self.fields:
            offered = sites.exclude(pk=self.instance.site_id) if self.instance.site_id else sites
            cast(forms.ModelMultipleChoiceField, self.fields["also_on"]).queryset = offered
            if self.instance.pk is not None:
                self.fields["also_on"].initial = list(
                    self.instance.placements.elsewhere().values_list("site_id", flat=True)
                )

    @staticmethod
    def _name_date_and_time(widget: forms.Widget) -> None:
        """The admin's date and time inputs carry no label of their own, and the field's label
        points at neither: a screen reader would announce two nameless text boxes."""
        if isinstance(widget, forms.MultiWidget):
            date, time = widget.widgets
            date.attrs["aria-label"] = gettext("Дата публикации")
            time.attrs["aria-label"] = gettext("Время публикации")

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if "status" in self.data and self.data["status"] != self.instance.status:
            raise forms.ValidationError(
                _("Статус меняют только кнопками внизу формы."), code="status_not_editable"
            )
        if self.instance.pk is not None:
            self._refuse_stale_version(cleaned)
        elif self.instance.created_by_id is None:
            # A new article is its writer's, on the site chosen: the desk and the step are
            # checked as such.
            self.instance.created_by = self.editorial_user
        if self.instance.pk is None:
            self._choose_site(cleaned)
        self._check_desk(cleaned)
        if self.requested_action:
            assert self.editorial_user is not None, "The admin sets both for each request."
            try:
                workflow.check_transition(
                    self.instance,
                    self.requested_action,
                    user=self.editorial_user,
                    comment=cleaned.get("workflow_comment", ""),
                    regions=cleaned.get("regions"),
                )
            except workflow.TransitionRefused as refusal:
                raise forms.ValidationError(refusal.args[0], code="transition_refused") from None
        return cleaned

    def _choose_site(self, cleaned):
        """A new article's primary site: the one chosen, or the site the admin is opened on,
        which must be one the user works for."""
        site = cleaned.get("site") or current_site()
        user = self.editorial_user
        if user is not None and not permissions.works_on(user, site.pk):
            self.add_error(
                "site" if "site" in self.fields else None,
                _("Вы не в редакции сайта «%(site)s»: выберите сайт своей редакции.")
                % {"site": site.name},
            )
        cleaned["site"] = self.instance.site = site

    def _check_desk(self, cleaned):
        """An editor editing through their desk may not move the article out of it."""
        user, regions = self.editorial_user, cleaned.get("regions")
        if user is None or regions is None or user.is_superuser:
            return
        if permissions.is_owner(user, self.instance):
            return
        if not permissions.covers_regions(user, regions):
            self.add_error(
                "regions",
                _("Оставьте у статьи хотя бы один регион вашей редакции."),
            )

    def _refuse_stale_version(self, cleaned):
        current = (
            Article.objects.select_for_update(of=("self",))
            .select_related("updated_by")
            .only("version", "updated_at", "updated_by__username")
            .get(pk=self.instance.pk)
        )
        if cleaned.get("base_version") != current.version:
            raise forms.ValidationError(
                format_html(
                    gettext(
                        "Пока вы редактировали, статью сохранил {user} ({time}). Ваши правки "
                        "не сохранены и остались в форме ниже. Откройте "
                        '<a href="{url}" target="_blank">текущую версию</a> в новой вкладке, '
                        "перенесите в неё нужное и сохраните."
                    ),
                    user=current.updated_by.username if current.updated_by else _("кто-то"),
                    time=date_format(timezone.localtime(current.updated_at), "DATETIME_FORMAT"),
                    url=reverse("admin:articles_article_change", args=[current.pk]),
                ),
                code="stale_version",
            )
        self.instance.version = current.version


class ArticleActionForm(ActionForm):
    """The changelist's action bar, with room for the comment that returning an article needs."""

    comment = forms.CharField(
        label=_("Комментарий"),
        required=False,
        widget=forms.TextInput(attrs={"size": 40}),
    )
