"""The admin's base class: Django's admin with its titles, buttons and messages in Russian that
agrees with the model's noun («Добавить статью», «Статья «…» сохранена», «5 статей»).

It also keeps forged input from becoming a server error where Django's admin trusts it: ids
that cannot be ids in autocomplete widgets and action selections, and dates past the calendar
in a list's date drill-down (`tests/test_hostile_input.py`)."""

from typing import Any, ClassVar

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.options import IS_POPUP_VAR, IncorrectLookupParameters
from django.contrib.admin.utils import quote
from django.contrib.admin.views.main import ChangeList as DjangoChangeList
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import capfirst

from newsroom.csp import with_admin_nonce
from newsroom.russian import Noun

# Where a view leaves the message that replaces Django's own success message (`message_user`).
REPLACEMENT_ATTRIBUTE = "_russian_success_message"
# How many rows a save of the list's editable columns changed, counted by `log_change`.
LIST_EDIT_COUNT_ATTRIBUTE = "_russian_list_edit_count"


class ChangeList(DjangoChangeList):
    """Django's list, with a date drill-down past the calendar's end (`?published_at__year=
    99999`) treated like any wrong filter value (the list without it), not a server error."""

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except OverflowError as error:
            raise IncorrectLookupParameters(error) from error


def could_be_stored(field, value) -> bool:
    """Whether the model field could hold the submitted value: "abc" or a number past the
    column's range cannot be an id, and a query with it would fail rather than find nothing."""
    try:
        field.run_validators(field.to_python(value))
    except (ValidationError, TypeError, ValueError, OverflowError):
        return False
    return True


class _CheckedValuesMixin:
    """An autocomplete widget that shows back only values its model could hold.

    Re-rendering a form after an error shows the chosen objects, which Django's widget looks up
    by the submitted values as they came: `regions=abc` made that query raise ValueError, a
    server error that lost the editor's text. The field itself reports the value as an error.
    """

    field: Any

    def optgroups(self, name, value, attr=None):
        target = self.field.target_field
        return super().optgroups(  # type: ignore[misc]
            name, [item for item in value if could_be_stored(target, item)], attr
        )


class CheckedAutocompleteSelect(_CheckedValuesMixin, AutocompleteSelect):
    pass


class CheckedAutocompleteSelectMultiple(_CheckedValuesMixin, AutocompleteSelectMultiple):
    pass


class CheckedAutocompleteMixin:
    """Our admins' and inlines' autocomplete fields use the widgets above."""

    admin_site: admin.AdminSite
    get_autocomplete_fields: Any

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = CheckedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = CheckedAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]


class TabularInline(CheckedAutocompleteMixin, admin.TabularInline):
    """Django's inline with our autocomplete widgets."""


class ModelAdmin(CheckedAutocompleteMixin, admin.ModelAdmin):
    """Set `noun` to the model's `Noun`; every admin screen of ours speaks of the model in the
    right case. Django's own phrases are replaced, not patched in its catalogue: Russian needs
    the noun's case and gender, which a translated format string cannot know."""

    noun: ClassVar[Noun]

    def get_changelist(self, request, **kwargs):
        return ChangeList

    # Titles

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST" and "_save" in request.POST and self.list_editable:
            setattr(request, LIST_EDIT_COUNT_ATTRIBUTE, 0)
        if IS_POPUP_VAR in request.GET:
            title = f"Выберите {self.noun.accusative}"
        else:
            title = capfirst(self.noun.plural)
        return super().changelist_view(request, {"title": title, **(extra_context or {})})

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if add:
            context["title"] = f"Добавить {self.noun.accusative}"
        elif self.has_change_permission(request, obj):
            context["title"] = f"Изменить {self.noun.accusative}"
        else:
            context["title"] = f"Просмотр: {self.noun.one}"
        context["add_label"] = self.add_label
        context["media"] = with_admin_nonce(context["media"], request)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def delete_view(self, request, object_id, extra_context=None):
        noun = self.noun
        context = {
            "object_name": noun.accusative,
            "noun": noun,
            "refers_to": noun.agree(masculine="на него", feminine="на неё", neuter="на него"),
            "refers_to_with": noun.agree(masculine="ним", feminine="ней", neuter="ним"),
            **(extra_context or {}),
        }
        response = super().delete_view(request, object_id, context)
        shown = getattr(response, "context_data", None)
        if shown and (shown.get("perms_lacking") or shown.get("protected")):
            shown["title"] = f"Нельзя удалить {noun.accusative}"
        return response

    @property
    def add_label(self) -> str:
        return f"Добавить {self.noun.accusative}"

    def counted(self, count: int) -> str:
        return self.noun.counted(count)

    # Actions

    def response_action(self, request, queryset, *args: Any, **kwargs: Any):
        """Django filters the list by the ticked ids as they came: a forged "abc" among them
        was a server error. Such a selection is refused with a message, like an empty one."""
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if not all(could_be_stored(self.opts.pk, value) for value in selected):
            self.message_user(
                request,
                "Выбраны объекты, которых нет в списке: действие не выполнено.",
                messages.WARNING,
            )
            return None
        return super().response_action(request, queryset, *args, **kwargs)

    # Messages

    def message_user(self, request, message, level=messages.INFO, *args: Any, **kwargs: Any):
        if level == messages.SUCCESS:
            list_edits = getattr(request, LIST_EDIT_COUNT_ATTRIBUTE, None)
            if list_edits:
                message = f"Сохранено: {self.noun.counted(list_edits)}."
            replacement = getattr(request, REPLACEMENT_ATTRIBUTE, None)
            if replacement is not None:
                delattr(request, REPLACEMENT_ATTRIBUTE)
                if not replacement:
                    return
                message = replacement
        super().message_user(request, message, level, *args, **kwargs)

    def log_change(self, request, obj, message):
        list_edits = getattr(request, LIST_EDIT_COUNT_ATTRIBUTE, None)
        if list_edits is not None:
            setattr(request, LIST_EDIT_COUNT_ATTRIBUTE, list_edits + 1)
        return super().log_change(request, obj, message)

    def response_add(self, request, obj, post_url_continue=None):
        done = self.noun.agree(masculine="добавлен", feminine="добавлена", neuter="добавлено")
        self._replace_success_message(request, obj, done)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        done = self.noun.agree(masculine="сохранён", feminine="сохранена", neuter="сохранено")
        self._replace_success_message(request, obj, done)
        return super().response_change(request, obj)

    def response_delete(self, request, obj_display, obj_id):
        done = self.noun.agree(masculine="удалён", feminine="удалена", neuter="удалено")
        setattr(
            request,
            REPLACEMENT_ATTRIBUTE,
            f"{capfirst(self.noun.one)} «{obj_display}» {done}.",
        )
        return super().response_delete(request, obj_display, obj_id)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            plural = self.noun.many if self.noun.animate else self.noun.plural
            actions["delete_selected"] = (
                self._delete_selected,
                "delete_selected",
                f"Удалить выбранные {plural}",
            )
        return actions

    def _delete_selected(self, modeladmin, request, queryset):
        """Django's action, reporting «Удалено: 5 рубрик» (`report_deleted`)."""
        self.report_deleted(request, queryset.count())
        return delete_selected(modeladmin, request, queryset)

    def report_deleted(self, request, count: int) -> None:
        """The success message of the list's delete, for admins that delete fewer than asked."""
        message = f"Удалено: {self.noun.counted(count)}." if count else ""
        setattr(request, REPLACEMENT_ATTRIBUTE, message)

    def _replace_success_message(self, request, obj, done: str) -> None:
        """Django's message names the object with a link to it when the user may edit it; ours
        keeps the link and adds what comes next, as Django's save buttons ask."""
        if self.has_change_permission(request, obj):
            url = reverse(
                f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change",
                args=(quote(obj.pk),),
                current_app=self.admin_site.name,
            )
            name = format_html('«<a href="{}">{}</a>»', url, obj)
        else:
            name = format_html("«{}»", obj)
        message: SafeString = format_html("{} {} {}.", capfirst(self.noun.one), name, done)
        if "_continue" in request.POST or "_saveasnew" in request.POST:
            message = format_html("{} {}", message, "Можно продолжить правку ниже.")
        elif "_addanother" in request.POST:
            message = format_html("{} Ниже можно добавить {}.", message, self.noun.another())
        setattr(request, REPLACEMENT_ATTRIBUTE, message)
