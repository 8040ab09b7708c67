"""QR codes drawn by the app as inline SVG (segno, pure Python): nothing is loaded from another host."""

import segno


def qr_svg(content: str, title: str) -> str:
    """An inline SVG of a QR code holding ``content``; ``title`` is what screen readers and tooltips show."""
    return segno.make(content, error="m").svg_inline(scale=4, title=title)
