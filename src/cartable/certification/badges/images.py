"""Badge images, and credentials baked into them (Open Badges 3.0 §5.3 "Baking"): in a PNG, an
``iTXt`` chunk with the keyword ``openbadgecredential``; in an SVG, an
``<openbadges:credential>`` element holding the JSON in a CDATA section."""

from __future__ import annotations

import io
import json
import textwrap
from typing import Any
from xml.sax.saxutils import escape

from PIL import Image, ImageDraw, ImageFont
from PIL.PngImagePlugin import PngInfo

KEYWORD = "openbadgecredential"
SIZE = 400
COLOURS = {"block": "#1d4f91", "ue": "#0f6e4e", "certification": "#7a3b00"}


def _lines(title: str, width: int = 22) -> list[str]:
    return textwrap.wrap(title, width)[:4] or [""]


def png(title: str, kind: str) -> bytes:
    """A round badge with its title, in the colour of its kind."""
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    colour = COLOURS.get(kind, "#444444")
    draw.ellipse((8, 8, SIZE - 8, SIZE - 8), fill=colour, outline="#ffffff", width=10)
    font = ImageFont.load_default(size=26)
    lines = _lines(title)
    top = SIZE // 2 - len(lines) * 17
    for number, line in enumerate(lines):
        draw.text((SIZE // 2, top + number * 34), line, fill="#ffffff", font=font, anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def bake_png(image: bytes, credential: dict[str, Any]) -> bytes:
    """The PNG with the credential baked in (an existing baked credential is replaced)."""
    source = Image.open(io.BytesIO(image))
    info = PngInfo()
    for key, value in getattr(source, "text", {}).items():
        if key != KEYWORD:
            info.add_text(key, value)
    info.add_itxt(KEYWORD, json.dumps(credential, ensure_ascii=False), zip=False)
    out = io.BytesIO()
    source.save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def unbake_png(image: bytes) -> dict[str, Any] | None:
    text = getattr(Image.open(io.BytesIO(image)), "text", {})
    raw = text.get(KEYWORD)
    return json.loads(raw) if raw else None


def svg(title: str, kind: str, credential: dict[str, Any] | None = None) -> str:
    """A round SVG badge; with ``credential``, baked."""
    colour = COLOURS.get(kind, "#444444")
    lines = _lines(title)
    top = SIZE // 2 - (len(lines) - 1) * 17
    texts = "".join(
        f'<text x="{SIZE // 2}" y="{top + n * 34}" text-anchor="middle" '
        f'dominant-baseline="middle" font-family="sans-serif" font-size="26" '
        f'fill="#ffffff">{escape(line)}</text>'
        for n, line in enumerate(lines)
    )
    baked = ""
    if credential is not None:
        payload = json.dumps(credential, ensure_ascii=False).replace("]]>", "]]]]><![CDATA[>")
        baked = f"<openbadges:credential><![CDATA[{payload}]]></openbadges:credential>"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" '
        f'xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0" '
        f'width="{SIZE}" height="{SIZE}" viewBox="0 0 {SIZE} {SIZE}" role="img" '
        f'aria-label="{escape(title, {chr(34): "&quot;"})}">'
        f"{baked}<title>{escape(title)}</title>"
        f'<circle cx="{SIZE // 2}" cy="{SIZE // 2}" r="{SIZE // 2 - 13}" fill="{colour}" '
        f'stroke="#ffffff" stroke-width="10"/>{texts}</svg>'
    )
