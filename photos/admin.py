import re

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from newsroom import admin as newsroom_admin
from newsroom.russian import Gender, Noun

from . import services
from .forms import PhotoUploadField
from .models import Image, Rendition

THUMBNAIL_WIDTH = 96
PICKER_RESULTS = 24
# An id as the editor sends it: ASCII digits ("²".isdigit() is true too), within a bigint.
PHOTO_ID = re.compile(r"[0-9]{1,18}")


def photo_thumbnail(image: Image | None) -> str:
    """A small preview of a library photo for admin lists and the forms that pick one."""
    if image is None or not image.file:
        return "—"
    return format_html(
        '<img class="photo-thumbnail" src="{}" alt="" width="{}" loading="lazy">',
        image.file.url,
        THUMBNAIL_WIDTH,
    )


class ImageAddForm(forms.ModelForm):
    """A new photo: the file is checked by `photos.uploads` before anything is stored."""

    upload = PhotoUploadField(
        label=_("Файл"),
        help_text=_("JPEG, PNG, WebP, AVIF, GIF или HEIC с телефона. Данные EXIF и GPS удаляются."),
    )

    class Meta:
        model = Image
        fields = ["upload", "title", "alt", "caption", "credit"]


class ImageChangeForm(forms.ModelForm):
    class Meta:
        model = Image
        fields = ["title", "alt", "caption", "credit", "focal_x", "focal_y"]
        widgets = {
            "focal_x": forms.NumberInput(attrs={"step": "0.001", "min": 0, "max": 1}),
            "focal_y": forms.NumberInput(attrs={"step": "0.001", "min": 0, "max": 1}),
        }


@admin.register(Image)
class ImageAdmin(newsroom_admin.ModelAdmin):
    """The media library: search, thumbnails, and a click on the photo to set its focal point."""

    noun = Noun(
        one="фотография",
        few="фотографии",
        many="фотографий",
        plural="фотографии",
        accusative="фотографию",
        gender=Gender.FEMININE,
    )

    list_display = [
        "thumbnail",
        "title",
        "credit",
        "dimensions",
        "size",
        "uploaded_by",
        "created_at",
    ]
    list_display_links = ["thumbnail", "title"]
    list_select_related = ["uploaded_by"]
    search_fields = ["title", "alt", "caption", "credit"]
    date_hierarchy = "created_at"
    readonly_fields = ["focal_picker", "dimensions", "size", "uploaded_by", "created_at"]

    class Media:
        css = {"all": ["admin_extras/photos.css"]}
        js = ["admin_extras/focal_point.js"]

    def get_urls(self):
        return [
            path(
                "picker/",
                self.admin_site.admin_view(self.picker_view),
                name="photos_image_picker",
            ),
            *super().get_urls(),
        ]

    def picker_view(self, request: HttpRequest) -> JsonResponse:
        """The article editor's photo picker: `?q=` finds photos by title (the newest first,
        the newest of all without `q`), `?ids=1,2` reads the photos a body already shows."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        images = Image.objects.prefetch_related("renditions")
        if "ids" in request.GET:
            ids = [part for part in request.GET["ids"].split(",") if PHOTO_ID.fullmatch(part)]
            images = images.filter(pk__in=[int(part) for part in ids[:PICKER_RESULTS]])
        elif query := request.GET.get("q", "").strip()[:100]:
            images = images.filter(title__icontains=query)
        return JsonResponse({"results": [picker_entry(image) for image in images[:PICKER_RESULTS]]})

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = ImageChangeForm if obj is not None else ImageAddForm
        return super().get_form(request, obj, change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["upload", "title", "alt", "caption", "credit"]})]
        return [
            (None, {"fields": ["title", "alt", "caption", "credit"]}),
            (
                _("Фокус кадрирования"),
                {
                    "fields": ["focal_picker", "focal_x", "focal_y"],
                    "description": _(
                        "Нажмите на главное в кадре: при обрезке под карточки, квадрат и "
                        "соцсети эта точка останется в кадре."
                    ),
                },
            ),
            (_("Файл"), {"fields": ["dimensions", "size", "uploaded_by", "created_at"]}),
        ]

    @admin.display(description=_("фото"))
    def thumbnail(self, image):
        return photo_thumbnail(image)

    @admin.display(description=_("фокус"))
    def focal_picker(self, image):
        return format_html(
            '<div class="focal-picker" data-focal-x="{}" data-focal-y="{}">'
            '<img class="focal-picker__image" src="{}" alt="{}">'
            '<span class="focal-picker__marker" aria-hidden="true"></span></div>',
            image.focal_x,
            image.focal_y,
            image.file.url,
            image.alt,
        )

    @admin.display(description=_("размер в точках"))
    def dimensions(self, image):
        return f"{image.width}×{image.height}"

    @admin.display(description=_("размер файла"), ordering="bytes")
    def size(self, image):
        return filesizeformat(image.bytes)

    def save_model(self, request, obj, form, change):
        if change:
            moved = bool({"focal_x", "focal_y"} & set(form.changed_data))
            services.change_image(image=obj, focal_moved=moved)
            return
        saved = services.add_image(
            photo=form.cleaned_data["upload"],
            title=obj.title,
            alt=obj.alt,
            caption=obj.caption,
            credit=obj.credit,
            user=request.user,
        )
        obj.pk, obj.file = saved.pk, saved.file

    def delete_model(self, request, obj):
        services.delete_image(image=obj)

    def delete_queryset(self, request, queryset):
        deleted = 0
        for image in queryset:
            try:
                services.delete_image(image=image)
            except services.ImageInUse as refusal:
                self.message_user(request, refusal.messages[0], messages.ERROR)
            else:
                deleted += 1
        self.report_deleted(request, deleted)


def picker_entry(image: Image) -> dict[str, object]:
    """A photo as the editor's picker shows it: a small JPEG (or the upload until there is one)."""
    jpegs = sorted(
        (
            r
            for r in image.renditions.all()
            if r.slot == "original" and r.format == Rendition.Format.JPEG
        ),
        key=lambda r: r.width,
    )
    return {
        "id": image.pk,
        "title": image.title,
        "alt": image.alt,
        "caption": image.caption,
        "credit": image.credit,
        "width": image.width,
        "height": image.height,
        "thumbnail": jpegs[0].file.url if jpegs else image.file.url,
        "change_url": reverse("admin:photos_image_change", args=[image.pk]),
    }
