"""The sizes a photo is served in, and the worker's code that makes them.

Every slot is made in a modern format (AVIF) and in JPEG for the browsers without it; the og
slot only in JPEG, which every social network reads. Fixed-ratio slots are cropped around the
photo's focal point. Files go through the default storage, so the same code runs on S3.
"""

import hashlib
import io
import math
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from PIL import Image as PILImage
from PIL import ImageCms

from photos.models import Image, Rendition

MODERN = Rendition.Format.AVIF

# Measured on a 12 MP photo (4000×3000, widths 320–1920): at the same PSNR, AVIF at speed 8 is
# 17 % smaller than WebP at its default method on a detailed photo, and costs about 1.5 s for the
# five widths against WebP's 0.5 s. Speed 6 saves 3–9 % more for twice the time; speed 9 is as
# fast as WebP and 7–20 % bigger than speed 8. Quality numbers do not compare across codecs:
# these three give similar PSNR.
ENCODER_OPTIONS: dict[str, dict[str, Any]] = {
    Rendition.Format.AVIF: {"quality": 55, "speed": 8},
    Rendition.Format.WEBP: {"quality": 75, "method": 4},
    Rendition.Format.JPEG: {"quality": 80, "progressive": True, "optimize": True},
}
EXTENSIONS: dict[str, str] = {
    Rendition.Format.AVIF: "avif",
    Rendition.Format.WEBP: "webp",
    Rendition.Format.JPEG: "jpg",
}
MIME_TYPES: dict[str, str] = {
    Rendition.Format.AVIF: "image/avif",
    Rendition.Format.WEBP: "image/webp",
    Rendition.Format.JPEG: "image/jpeg",
}


@dataclass(frozen=True)
class Slot:
    """A use of photos on the site: its proportions, the widths it is served at, its formats."""

    name: str
    ratio: Fraction | None  # width / height; None keeps the photo's own
    widths: tuple[int, ...]
    formats: tuple[Rendition.Format, ...] = (MODERN, Rendition.Format.JPEG)


SLOTS = {
    slot.name: slot
    for slot in [
        Slot("original", None, (320, 640, 960, 1280, 1920)),
        Slot("16x9", Fraction(16, 9), (320, 640, 960, 1280, 1920)),
        Slot("1x1", Fraction(1), (320, 640)),
        Slot("og", Fraction(1200, 630), (1200,), formats=(Rendition.Format.JPEG,)),
        # A site's favicon (32) and its icon on a phone's home screen (apple-touch-icon, 180):
        # JPEG, which every browser takes as an icon; a few kilobytes a photo.
        Slot("icon", Fraction(1), (32, 180), formats=(Rendition.Format.JPEG,)),
    ]
}


@dataclass(frozen=True)
class Spec:
    """One rendition to make: a box of the source (in its pixels) resized to width × height."""

    slot: str
    format: Rendition.Format
    width: int
    height: int
    box: tuple[float, float, float, float]

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.slot, self.format, self.width)


def crop_box(
    width: int, height: int, ratio: Fraction | None, focal_x: float, focal_y: float
) -> tuple[float, float, float, float]:
    """The largest box of `ratio` inside the photo, as centred on the focal point as its
    edges allow, so the point is always in it."""
    if ratio is None:
        return (0.0, 0.0, float(width), float(height))
    if width / height > ratio:
        crop_w, crop_h = float(height * ratio), float(height)
    else:
        crop_w, crop_h = float(width), float(width / ratio)
    left = min(max(focal_x * width - crop_w / 2, 0.0), width - crop_w)
    top = min(max(focal_y * height - crop_h / 2, 0.0), height - crop_h)
    return (left, top, left + crop_w, top + crop_h)


def slot_widths(slot: Slot, crop_width: float) -> list[int]:
    """The slot's widths that the crop can fill without upscaling. A crop narrower than the
    next width is served at its own width too, unless that is within a fifth of the last one."""
    widths = [w for w in slot.widths if w <= crop_width]
    own = math.floor(crop_width)
    if own < slot.widths[-1] and (not widths or own >= widths[-1] * 1.2):
        widths.append(own)
    return widths


def plan(image: Image) -> list[Spec]:
    """Every rendition the photo should have, for its current size and focal point."""
    if not image.width or not image.height:
        return []
    specs: list[Spec] = []
    for slot in SLOTS.values():
        box = crop_box(image.width, image.height, slot.ratio, image.focal_x, image.focal_y)
        crop_w, crop_h = box[2] - box[0], box[3] - box[1]
        for width in slot_widths(slot, crop_w):
            height = max(1, round(width * crop_h / crop_w))
            specs.extend(Spec(slot.name, fmt, width, height, box) for fmt in slot.formats)
    return specs


def make_renditions(image: Image) -> list[Rendition]:
    """Make the renditions the photo lacks and return them; a photo that has them all is not
    even opened. The rows are created together once every file is stored, so a page shows all
    of a photo's renditions or none; if another worker got there first, ours are discarded."""
    existing = {(r.slot, r.format, r.width) for r in image.renditions.all()}
    missing = [spec for spec in plan(image) if spec.key not in existing]
    if not missing:
        return []

    source = open_source(image, missing)
    scale = source.width / image.width
    token = version_token(image)
    made: list[Rendition] = []
    try:
        for spec in missing:
            box = (
                spec.box[0] * scale,
                spec.box[1] * scale,
                spec.box[2] * scale,
                spec.box[3] * scale,
            )
            picture = source.resize((spec.width, spec.height), PILImage.Resampling.LANCZOS, box=box)
            data = encode(picture, spec.format)
            rendition = Rendition(
                image=image,
                slot=spec.slot,
                format=spec.format,
                width=spec.width,
                height=spec.height,
                bytes=len(data),
            )
            name = f"{spec.slot}-{spec.width}x{spec.height}-{token}.{EXTENSIONS[spec.format]}"
            rendition.file.save(name, ContentFile(data), save=False)
            made.append(rendition)
        with transaction.atomic():
            Rendition.objects.bulk_create(made)
    except IntegrityError:
        # Another worker made them first, or the photo was deleted meanwhile.
        discard_files(made)
        return []
    except Exception:
        discard_files(made)
        if not Image.objects.filter(pk=image.pk).exists():
            return []
        raise
    return made


def delete_renditions(image: Image) -> None:
    """Remove the photo's renditions, files and rows: before its focal point changes the crops,
    or with the photo itself."""
    renditions = list(Rendition.objects.filter(image=image))
    Rendition.objects.filter(pk__in=[r.pk for r in renditions]).delete()
    discard_files(renditions)


def discard_files(renditions: Iterable[Rendition]) -> None:
    for rendition in renditions:
        if rendition.file.name:
            rendition.file.storage.delete(rendition.file.name)


def version_token(image: Image) -> str:
    """A short hash of what the pixels depend on, so a new crop gets a new URL and the old
    one can be cached for ever."""
    key = f"{image.file.name}:{image.focal_x:.4f}:{image.focal_y:.4f}"
    return hashlib.sha256(key.encode()).hexdigest()[:8]


def open_source(image: Image, specs: list[Spec]) -> PILImage.Image:
    """Decode the photo once, at no more pixels than the largest rendition needs: a JPEG is
    decoded at 1/2, 1/4 or 1/8 of its size (`draft`), anything else is reduced after decoding.
    The result is sRGB, RGB or RGBA."""
    scale = max(spec.width / (spec.box[2] - spec.box[0]) for spec in specs)
    needed = (math.ceil(image.width * scale), math.ceil(image.height * scale))
    with image.file.open("rb") as handle:
        picture: PILImage.Image = PILImage.open(handle)
        picture.draft("RGB", needed)
        picture.load()
    # Resampling from at least twice the target size looks the same as from the full one.
    factor = min(picture.width // (needed[0] * 2), picture.height // (needed[1] * 2))
    if factor >= 2:
        picture = picture.reduce(factor)
    return to_srgb(picture)


def to_srgb(picture: PILImage.Image) -> PILImage.Image:
    transparent = picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info
    mode = "RGBA" if transparent else "RGB"
    icc = picture.info.get("icc_profile")
    if icc and picture.mode in ("RGB", "RGBA", "CMYK"):
        try:
            converted = ImageCms.profileToProfile(
                picture,
                ImageCms.ImageCmsProfile(io.BytesIO(icc)),
                ImageCms.createProfile("sRGB"),
                outputMode=mode,
            )
        except ImageCms.PyCMSError:
            pass
        else:
            if converted is not None:
                return converted
    return picture if picture.mode == mode else picture.convert(mode)


def encode(picture: PILImage.Image, fmt: Rendition.Format) -> bytes:
    if fmt == Rendition.Format.JPEG and picture.mode == "RGBA":
        background = PILImage.new("RGB", picture.size, "white")
        background.paste(picture, mask=picture.getchannel("A"))
        picture = background
    buffer = io.BytesIO()
    picture.save(buffer, fmt.upper(), **ENCODER_OPTIONS[fmt])
    return buffer.getvalue()
