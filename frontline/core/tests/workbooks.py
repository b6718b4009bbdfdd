"""Reading a downloaded workbook back in tests, as the person who opens it sees it."""

import io

from python_calamine import CalamineWorkbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook_rows(response) -> list[list]:
    """The first sheet's rows of an .xlsx answer (the header row first)."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == XLSX
    data = b"".join(response.streaming_content)
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
