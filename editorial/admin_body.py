"""The article body's editor in the admin: django-prose-editor with the library's photos,
galleries and videos (static/admin_extras/body_media.js), which read the photo picker
(`ImageAdmin.picker_view`) and open the library's add form in a popup."""

from typing import Any

from django import forms
from django.templatetags.static import static
from django.urls import reverse
from django_prose_editor.widgets import AdminProseEditorWidget

from articles.body import MEDIA_EXTENSIONS


class BodyEditorWidget(AdminProseEditorWidget):
    @property
    def media(self):
        return super().media + forms.Media(css={"all": ["admin_extras/body_media.css"]})

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        urls = {
            "pickerUrl": reverse("admin:photos_image_picker"),
            "addUrl": reverse("admin:photos_image_add"),
        }
        extensions = config["extensions"] | {name: urls for name in MEDIA_EXTENSIONS}
        modules = [*config.get("js_modules", []), static("admin_extras/body_media.js")]
        return config | {"extensions": extensions, "js_modules": modules}


def body_editor(widget: AdminProseEditorWidget) -> BodyEditorWidget:
    """The admin's body widget, made from the one the model field chose."""
    return BodyEditorWidget(attrs=widget.attrs, config=widget.config, preset=widget.preset)
