"""QR codes as SVG (inline on pages, crisp in print) and PNG (to save to a phone)."""

import io
import re

import qrcode
import qrcode.image.svg
from django.utils.html import escape
from django.utils.safestring import mark_safe


def _code(data: str) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10, border=4)
    code.add_data(data)
    code.make(fit=True)
    return code


def qr_svg(data: str, *, label: str) -> str:
    """Give an inline <svg> of the QR code, sized by CSS, announced by `label`."""
    image = _code(data).make_image(image_factory=qrcode.image.svg.SvgPathFillImage)
    markup = image.to_string(encoding="unicode")
    markup = re.sub(r'^<svg width="[^"]*" height="[^"]*"', "<svg", markup)
    markup = markup.replace(
        "<svg", f'<svg class="qr" role="img" aria-label="{escape(label)}" focusable="false"', 1
    )
    return mark_safe(markup)  # noqa: S308  (made here from a QR library; the label is escaped)


def qr_png(data: str) -> bytes:
    """Give a PNG of the QR code, black on white with a quiet zone."""
    buffer = io.BytesIO()
    _code(data).make_image().save(buffer)
    return buffer.getvalue()
