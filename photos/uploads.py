"""The check every uploaded photo passes before it is stored.

Pillow decides what a file is, from its content: the name and the declared type are the
uploader's word. A file is measured before it is read (bytes, from the upload object) and before
it is decoded (pixels, from its header), then decoded once and re-encoded, so that what is
stored is pixels only: oriented, in sRGB, without EXIF, GPS, XMP, comments or ICC profiles.
"""

import io
import struct
import warnings
from dataclasses import dataclass
from typing import IO

import pillow_heif
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageFile, ImageOps, ImageSequence

pillow_heif.register_heif_opener()

# Pillow's format names, in the order they are tried (AVIF before HEIF: both are ISO media
# files, and Pillow's AVIF plugin gives way when the file is not AVIF after all).
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "AVIF", "GIF", "HEIF")

# Pillow's format → the stored file's extension. HEIC/HEIF becomes JPEG: browsers do not show
# it. MPO is a JPEG with more pictures after the first (phones' depth maps): the first is kept.
EXTENSIONS = {
    "JPEG": "jpg",
    "MPO": "jpg",
    "HEIF": "jpg",
    "PNG": "png",
    "WEBP": "webp",
    "AVIF": "avif",
    "GIF": "gif",
}
SAVE_FORMATS = {"jpg": "JPEG", "png": "PNG", "webp": "WEBP", "avif": "AVIF", "gif": "GIF"}
SAVE_OPTIONS: dict[str, dict[str, object]] = {
    "jpg": {"quality": 85, "optimize": True, "progressive": True},
    "png": {},
    "webp": {"quality": 85, "method": 4},
    # AVIF's scale is not JPEG's: Pillow's default of 75 already looks like JPEG's 85.
    "avif": {"quality": 75},
    "gif": {},
}

# An animated GIF keeps its frames when there are at most this many and all of them together
# hold no more pixels than one photo may; otherwise its first frame is stored.
MAX_GIF_FRAMES = 300

# What survives of a frame's metadata: how it is drawn, nothing about who made it or where.
KEPT_INFO = ("transparency", "duration")

_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


@dataclass(frozen=True)
class CheckedPhoto:
    """An upload that passed: its re-encoded bytes, ready to be saved in `Image.file`."""

    content: ContentFile
    extension: str
    width: int
    height: int
    bytes: int


def check_upload(
    upload: File, *, max_bytes: int | None = None, max_pixels: int | None = None
) -> CheckedPhoto:
    """Check an uploaded file and return the photo to store, or raise `ValidationError`
    (codes: `empty`, `too_large`, `not_a_photo`, `corrupt`, `too_many_pixels`)."""
    max_bytes = settings.PHOTO_MAX_BYTES if max_bytes is None else max_bytes
    max_pixels = settings.PHOTO_MAX_PIXELS if max_pixels is None else max_pixels

    size = upload.size
    if not size:
        raise ValidationError(_("Файл пустой."), code="empty")
    if size > max_bytes:
        raise ValidationError(
            _("Файл больше %(limit)s МБ."),
            code="too_large",
            params={"limit": _number(max_bytes / 2**20)},
        )

    upload.seek(0)
    # Pillow warns of a bomb where it measures a size itself (a GIF frame growing the canvas):
    # that is a refusal too.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = _open_header(upload)
            _check_pixels(image.size, max_pixels)
            extension = EXTENSIONS[image.format or ""]
            content = _reencode(image, extension, max_pixels)
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise _too_many_pixels(None, max_pixels) from None
        except (OSError, SyntaxError, EOFError, ValueError, IndexError, struct.error):
            raise _corrupt() from None

    with Image.open(io.BytesIO(content), formats=[SAVE_FORMATS[extension]]) as stored:
        width, height = stored.size
    return CheckedPhoto(
        content=ContentFile(content, name=f"photo.{extension}"),
        extension=extension,
        width=width,
        height=height,
        bytes=len(content),
    )


def _open_header(file: IO[bytes]) -> ImageFile.ImageFile:
    """Identify the file by its content and read its header, not its pixels.

    This is `Image.open` restricted to the accepted formats, without Pillow's own size check:
    the site's limit is lower than Pillow's, and Pillow's refusal does not say the size, which
    the editor's message does. `_check_pixels` runs right after, before anything is decoded."""
    Image.init()
    file.seek(0)
    prefix = file.read(16)
    recognised = False
    for format in ACCEPTED_FORMATS:
        factory, accept = Image.OPEN[format]
        verdict = accept(prefix) if accept else True
        if not verdict or isinstance(verdict, str):
            continue
        recognised = True
        file.seek(0)
        try:
            return factory(file, "")
        except (OSError, SyntaxError, EOFError, ValueError, IndexError, TypeError, struct.error):
            continue
    if recognised:
        # It begins like a photo of an accepted format, but its header does not read.
        raise _corrupt()
    raise ValidationError(
        _("Это не фотография: поддерживаются JPEG, PNG, WebP, AVIF, GIF и HEIC."),
        code="not_a_photo",
    )


def _check_pixels(size: tuple[int, int], max_pixels: int) -> None:
    if size[0] * size[1] > max_pixels:
        raise _too_many_pixels(size, max_pixels)


def _reencode(image: ImageFile.ImageFile, extension: str, max_pixels: int) -> bytes:
    output = io.BytesIO()
    if extension == "gif" and _keeps_animation(image, max_pixels):
        frames = []
        for frame in ImageSequence.Iterator(image):
            # A later frame may draw outside the canvas and grow it: measured before it is decoded.
            _check_pixels(frame.size, max_pixels)
            frames.append(_clean(frame.copy(), frame.info))
        frames[0].save(
            output,
            "GIF",
            save_all=True,
            append_images=frames[1:],
            duration=[frame.info.get("duration", 100) for frame in frames],
            **({"loop": image.info["loop"]} if "loop" in image.info else {}),
        )
        return output.getvalue()

    image.load()
    info = image.info
    ImageOps.exif_transpose(image, in_place=True)
    picture = _to_srgb(image, info.get("icc_profile"))
    if extension == "jpg":
        picture = _for_jpeg(picture, info)
    _clean(picture, info).save(output, SAVE_FORMATS[extension], **SAVE_OPTIONS[extension])
    return output.getvalue()


def _keeps_animation(image: ImageFile.ImageFile, max_pixels: int) -> bool:
    """Whether an animated GIF stays animated: a GIF editors upload is meant to move, but
    decoding every frame must cost no more than one photo does, and the frame count is read
    from the frames' headers without decoding them."""
    frames = getattr(image, "n_frames", 1)
    width, height = image.size
    return 1 < frames <= MAX_GIF_FRAMES and frames * width * height <= max_pixels


def _to_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """Convert the pixels from their colour profile to sRGB, which browsers assume when a file
    has none: iPhones shoot in Display P3, and without its profile such a photo looks dull.
    A profile that cannot be applied to this kind of image is dropped."""
    if not icc_profile or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        converted = ImageCms.profileToProfile(
            image,
            ImageCms.ImageCmsProfile(io.BytesIO(icc_profile)),
            _SRGB,
            outputMode="RGBA" if image.mode == "RGBA" else "RGB",
        )
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image
    return converted or image


def _for_jpeg(image: Image.Image, info: dict) -> Image.Image:
    """JPEG holds neither transparency nor palettes: a transparent HEIC is laid on white."""
    if image.mode in ("RGB", "L"):
        return image
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in info:
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _clean(image: Image.Image, info: dict) -> Image.Image:
    """Drop everything the file said about itself but how to draw it: Pillow's savers write
    back some of what they read (comments, ICC profiles)."""
    image.info = {key: info[key] for key in KEPT_INFO if key in info}
    return image


def _too_many_pixels(size: tuple[int, int] | None, max_pixels: int) -> ValidationError:
    limit = _number(max_pixels / 1_000_000)
    if size is None:
        return ValidationError(
            _("Слишком большое изображение: допустимо не больше %(limit)s млн точек."),
            code="too_many_pixels",
            params={"limit": limit},
        )
    return ValidationError(
        _(
            "Слишком большое изображение: %(width)s×%(height)s точек, "
            "допустимо не больше %(limit)s млн."
        ),
        code="too_many_pixels",
        params={"width": size[0], "height": size[1], "limit": limit},
    )


def _corrupt() -> ValidationError:
    return ValidationError(_("Файл повреждён или обрезан."), code="corrupt")


def _number(value: float) -> str:
    """30.0 → «30», 2.5 → «2,5»: a limit as a Russian reader writes it."""
    return f"{value:.1f}".removesuffix(".0").replace(".", ",")
