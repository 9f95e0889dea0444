from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import slug_re
from django.utils.translation import gettext_lazy as _

from regions.models import Region

from .models import Rubric
from .search import MAX_QUERY_LENGTH


class SlugChoiceField(forms.ModelChoiceField):
    """A choice by slug; a value that cannot be a slug is refused before it reaches the database."""

    def to_python(self, value):
        if value not in self.empty_values and not slug_re.match(str(value)):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Что искать"),
        required=False,
        widget=forms.SearchInput(attrs={"maxlength": MAX_QUERY_LENGTH}),
    )
    rubric = SlugChoiceField(
        label=_("Рубрика"),
        queryset=Rubric.objects.only("name", "slug"),
        to_field_name="slug",
        required=False,
        empty_label=_("Все рубрики"),
    )
    region = SlugChoiceField(
        label=_("Регион"),
        queryset=Region.objects.only("name", "slug"),
        to_field_name="slug",
        required=False,
        empty_label=_("Все регионы"),
    )

    def __init__(self, data=None, **kwargs):
        """Long queries are cut, not refused: only the first words are searched anyway."""
        if data is not None and "q" in data:
            data = data.copy()
            data["q"] = " ".join(data["q"].split())[:MAX_QUERY_LENGTH]
        super().__init__(data, **kwargs)
