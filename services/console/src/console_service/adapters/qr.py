"""The authenticator's QR code (seed §10: enrolling the new secret after a 2FA reset), drawn with segno as an SVG
data URI: the page shows it as an <img> (the Content Security Policy allows `img-src data:`), no request leaves the
console and no file is written."""

import segno


def qr_data_uri(text: str) -> str:
    return str(segno.make(text, error="m").svg_data_uri(scale=5, border=4))
