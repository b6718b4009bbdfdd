"""The household's QR code as inline SVG, drawn from qrcode's module matrix.

Each dark run of a row is one rectangle and the picture is a whole number of pixels per
module, so a printer or a phone screen shows no seams between modules (which keeps the
code readable by cheap phone cameras).
"""

import qrcode

# The printed code is at most this wide (it fits a 360 px phone with the page's margins).
MAX_WIDTH_PX = 320


def qr_svg(data: str) -> str:
    """An SVG QR code of `data`, medium error correction, a quiet zone of 4 modules."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    size = len(matrix)
    scale = max(MAX_WIDTH_PX // size, 2)
    runs = []
    for y, row in enumerate(matrix):
        x = 0
        while x < size:
            if row[x]:
                start = x
                while x < size and row[x]:
                    x += 1
                runs.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    width = size * scale
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{width}" '
        f'viewBox="0 0 {size} {size}" shape-rendering="crispEdges">'
        f'<rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(runs)}"/></svg>'
    )
