"""Text logos and letter icons for the demo sites, drawn at seed time from their names."""

import math
from io import BytesIO

from PIL import Image, ImageDraw, ImageFont

# DejaVu has Cyrillic and comes with Debian's fontconfig (and so with Chromium); Pillow finds a
# bare file name in the system's font folders.
FONT = "DejaVuSerif-Bold.ttf"
FONT_SIZE = 56
PADDING = 8


def text_logo(name: str, colour: str) -> bytes | None:
    """A PNG of `name` in `colour` on a transparent background, two lines when it has two
    words or more, so that it stays narrow in a phone's header. None without the font: the
    site then shows its name as text."""
    try:
        font = ImageFont.truetype(FONT, FONT_SIZE)
    except OSError:
        return None
    words = name.split()
    middle = (len(words) + 1) // 2
    text = "\n".join(filter(None, (" ".join(words[:middle]), " ".join(words[middle:]))))
    measure = ImageDraw.Draw(Image.new("RGBA", (1, 1)))
    left, top, right, bottom = measure.multiline_textbbox((0, 0), text, font=font, spacing=4)
    size = (math.ceil(right - left) + 2 * PADDING, math.ceil(bottom - top) + 2 * PADDING)
    image = Image.new("RGBA", size, (255, 255, 255, 0))
    ImageDraw.Draw(image).multiline_text(
        (PADDING - left, PADDING - top), text, font=font, fill=colour, spacing=4
    )
    png = BytesIO()
    image.save(png, format="PNG", optimize=True)
    return png.getvalue()


ICON_SIZE = 192


def letter_icon(name: str, colour: str) -> bytes | None:
    """A square PNG icon: the first letter of `name` in white on `colour`, for the favicon and
    a phone's home screen. None without the font."""
    try:
        font = ImageFont.truetype(FONT, ICON_SIZE * 2 // 3)
    except OSError:
        return None
    image = Image.new("RGB", (ICON_SIZE, ICON_SIZE), colour)
    centre = (ICON_SIZE / 2, ICON_SIZE / 2)
    ImageDraw.Draw(image).text(centre, name[:1].upper(), font=font, fill="white", anchor="mm")
    png = BytesIO()
    image.save(png, format="PNG", optimize=True)
    return png.getvalue()
