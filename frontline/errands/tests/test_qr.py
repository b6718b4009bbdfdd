"""The printed code draws exactly qrcode's modules, a whole number of pixels each."""

import re

import qrcode

from frontline.errands.qr import qr_svg

URL = "https://frontline.example/errands/h/open/?t=eyJhIjoxfQ:1abc:xyz"


def test_the_svg_draws_every_dark_module_and_nothing_else():
    svg = qr_svg(URL)
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(URL)
    code.make(fit=True)
    matrix = code.get_matrix()
    drawn = set()
    for x, y, w in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\d+z", svg):
        drawn |= {(int(x) + i, int(y)) for i in range(int(w))}
    expected = {(x, y) for y, row in enumerate(matrix) for x, dark in enumerate(row) if dark}
    assert drawn == expected
    width = int(re.search(r'width="(\d+)"', svg).group(1))
    assert width % len(matrix) == 0 and width <= 320
