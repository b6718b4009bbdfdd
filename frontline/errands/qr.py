"""The household's QR code as inline SVG (qrcode's path image: no raster library)."""

import io

import qrcode
import qrcode.image.svg


def qr_svg(data: str) -> str:
    """An SVG QR code of `data`, medium error correction, sized by the page's CSS."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    code.add_data(data)
    code.make(fit=True)
    image = code.make_image(image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    # Drop the XML prolog: the SVG sits inside the page's HTML.
    return svg[svg.index("<svg") :]
