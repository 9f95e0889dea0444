from datetime import date, datetime, time, timedelta
from typing import Any

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regions.models import Region
from staff.models import StaffProfile

from .forms import SlugChoiceField
from .models import AgeMark, Article, Rubric, Tag


class SlugChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = SlugChoiceField


class ArchiveFilterForm(forms.Form):
    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("Начальная дата позже конечной."))
        return cleaned


class ArchiveFilter(django_filters.FilterSet):
    """The archive's filters; values are slugs so filtered URLs stay readable and shareable."""

    rubric = SlugChoiceFilter(
        label=_("Рубрика"),
        queryset=Rubric.objects.all(),
        to_field_name="slug",
        method="filter_rubric",
    )
    region = SlugChoiceFilter(
        label=_("Регион"),
        queryset=Region.objects.all(),
        to_field_name="slug",
        method="filter_region",
    )
    tag = SlugChoiceFilter(
        label=_("Тег"),
        queryset=Tag.objects.all(),
        to_field_name="slug",
        field_name="tags",
        widget=forms.TextInput,
    )
    author = SlugChoiceFilter(
        label=_("Автор"),
        queryset=StaffProfile.objects.all(),
        to_field_name="slug",
        field_name="authors",
    )
    age_mark = django_filters.ChoiceFilter(
        label=_("Возрастная маркировка"), choices=AgeMark.choices
    )
    date_from = django_filters.DateFilter(
        label=_("С даты"),
        method="filter_date_from",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        label=_("По дату"),
        method="filter_date_to",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Article
        fields = ["rubric", "region", "tag", "author", "age_mark", "date_from", "date_to"]
        form = ArchiveFilterForm

    def filter_rubric(self, queryset, name, rubric):
        return queryset.in_rubric_on(rubric)

    def filter_region(self, queryset, name, region):
        return queryset.in_region(region)

    def filter_date_from(self, queryset, name, day):
        return queryset.shown_between(start=start_of_day(day))

    def filter_date_to(self, queryset, name, day):
        if day == date.max:
            return queryset
        return queryset.shown_between(end=start_of_day(day + timedelta(days=1)))


def start_of_day(day: date) -> datetime:
    """Midnight of `day` in the site's time zone.

    Dates are compared as a range of `published_at`, which the list indexes hold; the
    `published_at__date` lookup casts every row to a local date, and no index can serve it.
    """
    return timezone.make_aware(datetime.combine(day, time.min))
