"""The check of an uploaded photo (photos.uploads) and the admin's upload field."""

import io
import struct
import zlib

import pillow_heif
import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.uploadedfile import InMemoryUploadedFile, SimpleUploadedFile
from django.utils.datastructures import MultiValueDict
from PIL import ExifTags, Image, ImageCms, ImageFile, ImageSequence, JpegImagePlugin

from photos.forms import PhotoUploadField
from photos.uploads import MAX_GIF_FRAMES, CheckedPhoto, check_upload

# The check needs no database, but tests/conftest.py reads the sites before every test, and
# pytest-django makes the test database only for a run with a test that asks for it.
pytestmark = pytest.mark.django_db

NOT_A_PHOTO = "Это не фотография: поддерживаются JPEG, PNG, WebP, AVIF, GIF и HEIC."
CORRUPT = "Файл повреждён или обрезан."


def picture(size=(300, 200), colour="navy") -> Image.Image:
    return Image.new("RGB", size, colour)


def encoded(image: Image.Image, format: str, **options) -> bytes:
    output = io.BytesIO()
    image.save(output, format, **options)
    return output.getvalue()


def heic(image: Image.Image, **options) -> bytes:
    output = io.BytesIO()
    pillow_heif.from_pillow(image).save(output, quality=90, **options)
    return output.getvalue()


def upload(data: bytes, name="photo.jpg", content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def refusal(data: bytes, name="photo.jpg", content_type="image/jpeg") -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        check_upload(upload(data, name, content_type))
    return refused.value


def stored(photo: CheckedPhoto) -> ImageFile.ImageFile:
    photo.content.seek(0)
    return Image.open(io.BytesIO(photo.content.read()))


def colour_at(image: Image.Image, point: tuple[int, int]) -> str:
    """The primary colour that dominates a point: JPEG does not keep exact values."""
    pixel = image.convert("RGB").getpixel(point)
    assert isinstance(pixel, tuple)
    channels = zip(("red", "green", "blue"), pixel, strict=True)
    return max(channels, key=lambda channel: channel[1])[0]


def revealing_exif() -> Image.Exif:
    """EXIF as a phone writes it: the camera, and where the photo was taken."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Apple"
    exif[ExifTags.Base.Model] = "iPhone 15"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (55.0, 1.0, 30.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (82.0, 55.0, 10.0)
    return exif


def swapped_primaries_profile() -> bytes:
    """sRGB with its red and green primaries swapped: in this profile (255, 0, 0) is green."""
    icc = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    (count,) = struct.unpack_from(">I", icc, 128)
    entries = {}
    for index in range(count):
        signature, offset, size = struct.unpack_from(">4sII", icc, 132 + 12 * index)
        entries[signature] = (index, offset, size)
    red, green = entries[b"rXYZ"], entries[b"gXYZ"]
    struct.pack_into(">4sII", icc, 132 + 12 * red[0], b"rXYZ", green[1], green[2])
    struct.pack_into(">4sII", icc, 132 + 12 * green[0], b"gXYZ", red[1], red[2])
    return bytes(icc)


def png_bomb(width: int, height: int) -> bytes:
    """A real PNG of width×height black points, one bit each: a few hundred KB that would
    decode to width×height bytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte, then the row's bits
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


class CountingReads(io.BytesIO):
    """A file that counts the bytes read from it."""

    bytes_read = 0

    def read(self, size=-1, /):
        data = super().read(size)
        self.bytes_read += len(data)
        return data


# Accepted formats


@pytest.mark.parametrize(
    ("format", "extension"),
    [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp"), ("AVIF", "avif"), ("GIF", "gif")],
)
def test_an_accepted_format_is_stored_in_its_own_format_with_its_size(format, extension):
    photo = check_upload(upload(encoded(picture((300, 200)), format)))

    assert photo.extension == extension
    assert photo.content.name == f"photo.{extension}"
    assert (photo.width, photo.height) == (300, 200)
    assert photo.bytes == photo.content.size
    with stored(photo) as image:
        assert image.format == format
        assert image.size == (300, 200)


def test_a_heic_photo_is_stored_as_jpeg():
    photo = check_upload(upload(heic(picture((300, 200))), "IMG_0001.HEIC", "image/heic"))

    assert (photo.extension, photo.content.name) == ("jpg", "photo.jpg")
    assert (photo.width, photo.height) == (300, 200)
    with stored(photo) as image:
        assert image.format == "JPEG"
        assert image.size == (300, 200)


def test_a_heic_photo_taken_upright_is_stored_upright():
    # An iPhone held upright: the sensor's landscape picture and Orientation 6.
    image = picture((300, 200), "blue")
    image.paste((255, 0, 0), (0, 0, 150, 200))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6

    photo = check_upload(upload(heic(image, exif=exif.tobytes()), "IMG_0002.HEIC", "image/heic"))

    assert (photo.width, photo.height) == (200, 300)
    with stored(photo) as result:
        assert colour_at(result, (100, 20)) == "red"
        assert colour_at(result, (100, 280)) == "blue"


def test_a_multi_picture_jpeg_is_stored_as_its_first_picture():
    first, depth_map = picture((60, 40), "red"), picture((60, 40), "blue")

    photo = check_upload(upload(encoded(first, "MPO", save_all=True, append_images=[depth_map])))

    assert photo.extension == "jpg"
    with stored(photo) as image:
        assert image.format == "JPEG"
        assert colour_at(image, (30, 20)) == "red"


def test_a_photo_is_recognised_by_its_content_whatever_its_name_and_declared_type():
    photo = check_upload(upload(encoded(picture(), "PNG"), "scan.pdf", "application/pdf"))

    assert photo.extension == "png"


def test_a_jpeg_is_stored_at_quality_85_and_progressive():
    photo = check_upload(upload(encoded(picture(), "JPEG", quality=100)))

    with stored(photo) as image:
        assert isinstance(image, JpegImagePlugin.JpegImageFile)
        assert image.info.get("progressive")
        # The first step of the luminance table: the standard 16 scaled to 30 % at quality 85
        # (and to 1 at the upload's quality 100).
        assert image.quantization[0][0] == 5


def test_an_animated_gif_keeps_its_frames_and_their_durations():
    frames = [picture((60, 40), colour) for colour in ("red", "green", "blue")]
    gif = encoded(
        frames[0], "GIF", save_all=True, append_images=frames[1:], duration=[100, 200, 300], loop=0
    )

    photo = check_upload(upload(gif, "anim.gif", "image/gif"))

    with stored(photo) as image:
        assert image.info["loop"] == 0
        durations = [frame.info["duration"] for frame in ImageSequence.Iterator(image)]
        assert durations == [100, 200, 300]


def test_an_animated_gif_over_the_pixel_budget_keeps_its_first_frame():
    frames = [picture((100, 100), colour) for colour in ("red", "green", "blue")]
    gif = encoded(frames[0], "GIF", save_all=True, append_images=frames[1:])

    photo = check_upload(upload(gif, "anim.gif", "image/gif"), max_pixels=20_000)

    with stored(photo) as image:
        assert len(list(ImageSequence.Iterator(image))) == 1
        assert colour_at(image, (50, 50)) == "red"


def test_an_animated_gif_of_too_many_frames_keeps_its_first_frame():
    frames = [picture((4, 4), (index % 256, 0, 0)) for index in range(MAX_GIF_FRAMES + 1)]
    gif = encoded(frames[0], "GIF", save_all=True, append_images=frames[1:])

    photo = check_upload(upload(gif, "anim.gif", "image/gif"))

    with stored(photo) as image:
        assert len(list(ImageSequence.Iterator(image))) == 1


# What is stored: oriented, pixels only


def test_the_exif_orientation_is_applied():
    # Left half red, right half blue; Orientation 6: the camera was turned, the picture is shown
    # rotated 90° clockwise, so the left half is on top.
    image = picture((300, 200), "blue")
    image.paste((255, 0, 0), (0, 0, 150, 200))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6

    photo = check_upload(upload(encoded(image, "JPEG", exif=exif)))

    assert (photo.width, photo.height) == (200, 300)
    with stored(photo) as result:
        assert result.size == (200, 300)
        assert colour_at(result, (100, 20)) == "red"
        assert colour_at(result, (100, 280)) == "blue"
        assert ExifTags.Base.Orientation not in result.getexif()


@pytest.mark.parametrize("format", ["JPEG", "PNG", "WEBP", "AVIF"])
def test_exif_gps_and_xmp_are_stripped(format):
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><exif:GPSLatitude>55,1.5N</exif:GPSLatitude>'
    xmp += b"</x:xmpmeta>"
    source = encoded(picture(), format, exif=revealing_exif(), xmp=xmp)
    with Image.open(io.BytesIO(source)) as original:
        assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)

    photo = check_upload(upload(source))

    content = photo.content.read()
    assert b"Exif" not in content
    assert b"iPhone" not in content
    assert b"xmpmeta" not in content
    with stored(photo) as image:
        assert not image.getexif()
        assert "exif" not in image.info
        assert "xmp" not in image.info


def test_the_exif_of_a_heic_photo_is_stripped():
    photo = check_upload(upload(heic(picture(), exif=revealing_exif().tobytes()), "IMG_0001.HEIC"))

    content = photo.content.read()
    assert b"Exif" not in content
    assert b"iPhone" not in content
    with stored(photo) as image:
        assert not image.getexif()


def test_a_jpeg_comment_is_stripped():
    photo = check_upload(upload(encoded(picture(), "JPEG", comment=b"Camera owner: Ivanov")))

    assert b"Ivanov" not in photo.content.read()


def test_the_colour_profile_is_applied_to_the_pixels_and_not_stored():
    source = encoded(picture((40, 40), (255, 0, 0)), "PNG", icc_profile=swapped_primaries_profile())

    photo = check_upload(upload(source, "photo.png", "image/png"))

    with stored(photo) as image:
        assert "icc_profile" not in image.info
        assert colour_at(image, (20, 20)) == "green"


def test_transparency_of_a_png_is_kept():
    image = Image.new("RGBA", (40, 40), (0, 0, 255, 0))

    photo = check_upload(upload(encoded(image, "PNG"), "photo.png", "image/png"))

    with stored(photo) as result:
        assert result.mode == "RGBA"
        assert result.getchannel("A").getpixel((20, 20)) == 0


# Refused


def test_an_svg_with_a_script_is_refused():
    svg = (
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="300" height="200">'
        b'<script>alert(document.cookie)</script><rect width="300" height="200"/></svg>'
    )

    refused = refusal(svg, "photo.svg", "image/svg+xml")

    assert (refused.code, refused.messages) == ("not_a_photo", [NOT_A_PHOTO])


def test_html_named_as_a_jpeg_is_refused():
    html = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"

    refused = refusal(html, "photo.jpg", "image/jpeg")

    assert (refused.code, refused.messages) == ("not_a_photo", [NOT_A_PHOTO])


def test_a_pdf_is_refused_even_with_a_picture_inside():
    refused = refusal(encoded(picture(), "PDF"), "photo.pdf", "application/pdf")

    assert (refused.code, refused.messages) == ("not_a_photo", [NOT_A_PHOTO])


def test_a_format_pillow_reads_but_the_site_does_not_show_is_refused():
    refused = refusal(encoded(picture(), "BMP"), "photo.bmp", "image/bmp")

    assert (refused.code, refused.messages) == ("not_a_photo", [NOT_A_PHOTO])


@pytest.mark.parametrize("format", ["JPEG", "PNG", "WEBP"])
def test_a_truncated_photo_is_refused(format):
    # Noise, so that half the file is half the picture and not the end of a flat run.
    whole = encoded(Image.effect_noise((300, 200), 64).convert("RGB"), format)

    refused = refusal(whole[: len(whole) // 2])

    assert (refused.code, refused.messages) == ("corrupt", [CORRUPT])


def test_a_photo_cut_inside_its_header_is_refused_as_damaged():
    refused = refusal(encoded(picture(), "PNG")[:20])

    assert (refused.code, refused.messages) == ("corrupt", [CORRUPT])


def test_an_empty_file_is_refused():
    refused = refusal(b"")

    assert (refused.code, refused.messages) == ("empty", ["Файл пустой."])


def test_a_decompression_bomb_is_refused_with_its_size():
    refused = refusal(png_bomb(30_000, 30_000), "photo.png", "image/png")

    assert refused.code == "too_many_pixels"
    assert refused.messages == [
        "Слишком большое изображение: 30000×30000 точек, допустимо не больше 60 млн."
    ]


def test_a_decompression_bomb_is_refused_from_its_header_without_decoding():
    bomb = png_bomb(30_000, 30_000)
    file = CountingReads(bomb)

    with pytest.raises(ValidationError, match="30000×30000"):
        check_upload(InMemoryUploadedFile(file, "file", "photo.png", "image/png", len(bomb), None))

    # Decoding would read all of the compressed points; the header is the first few dozen bytes.
    assert len(bomb) > 100_000
    assert file.bytes_read < 1_000


def test_a_photo_just_over_the_pixel_limit_is_refused():
    with pytest.raises(ValidationError) as refused:
        check_upload(upload(encoded(picture((301, 200)), "PNG")), max_pixels=60_000)

    assert refused.value.code == "too_many_pixels"
    assert "301×200" in refused.value.messages[0]


def test_a_file_over_the_byte_limit_is_refused_without_being_read(tmp_path):
    path = tmp_path / "huge.jpg"
    with path.open("wb") as sparse:
        sparse.truncate(31 * 1024 * 1024)

    with path.open("rb") as handle:
        with pytest.raises(ValidationError) as refused:
            check_upload(File(handle, "huge.jpg"))
        assert handle.tell() == 0

    assert (refused.value.code, refused.value.messages) == ("too_large", ["Файл больше 30 МБ."])


def test_the_byte_limit_comes_from_the_settings(settings):
    settings.PHOTO_MAX_BYTES = 5 * 1024 * 1024 // 2

    with pytest.raises(ValidationError) as refused:
        check_upload(upload(b"\xff\xd8\xff" + b"\x00" * (3 * 1024 * 1024)))

    assert refused.value.messages == ["Файл больше 2,5 МБ."]


# The admin's field


def files(upload: SimpleUploadedFile) -> MultiValueDict:
    return MultiValueDict({"photo": [upload]})


class UploadForm(forms.Form):
    photo = PhotoUploadField()


def test_the_upload_field_cleans_to_the_checked_photo():
    form = UploadForm(files=files(upload(heic(picture()), "IMG_0001.HEIC", "image/heic")))

    assert form.is_valid(), form.errors
    assert isinstance(form.cleaned_data["photo"], CheckedPhoto)
    assert form.cleaned_data["photo"].extension == "jpg"


def test_the_upload_field_shows_the_refusal_as_a_form_error():
    form = UploadForm(files=files(upload(b"<html></html>", "photo.jpg")))

    assert not form.is_valid()
    assert form.errors["photo"] == [NOT_A_PHOTO]
    assert form.errors.as_data()["photo"][0].code == "not_a_photo"


def test_the_upload_field_refuses_an_empty_file_in_russian():
    form = UploadForm(files=files(upload(b"", "photo.jpg")))

    assert not form.is_valid()
    assert form.errors["photo"] == ["Файл пустой."]
