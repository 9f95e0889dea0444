from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from photos.uploads import CheckedPhoto, check_upload

ACCEPT = "image/jpeg,image/png,image/webp,image/avif,image/gif,image/heic,image/heif"


class PhotoUploadField(forms.FileField):
    """A photo upload: `clean()` returns the `CheckedPhoto` to store, or None when the field is
    optional and no new file was sent; the check's refusals are the form's errors."""

    widget = forms.FileInput(attrs={"accept": ACCEPT})
    default_error_messages = {"empty": _("Файл пустой.")}

    def __init__(
        self, *, max_bytes: int | None = None, max_pixels: int | None = None, **kwargs: Any
    ) -> None:
        self.max_bytes = max_bytes
        self.max_pixels = max_pixels
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> CheckedPhoto | None:
        upload = super().clean(data, initial)
        if not upload or upload is initial:
            return None
        return check_upload(upload, max_bytes=self.max_bytes, max_pixels=self.max_pixels)
