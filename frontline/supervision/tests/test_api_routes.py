"""The API has exactly the routes issue 19 names, with their methods."""

import pytest

from frontline.api import api

ISSUE_19 = [
    ("GET", "/api/v1/rubrics"),
    ("GET", "/api/v1/inspections"),
    ("POST", "/api/v1/inspections"),
    ("POST", "/api/v1/findings/{finding_id}/rectify"),
    ("GET", "/api/v1/rankings"),
    ("POST", "/api/v1/rankings/{ranking_id}/publish"),
    ("POST", "/api/v1/honours"),
    ("POST", "/api/v1/cadre-records"),
    ("POST", "/api/v1/community/publicity"),
    ("POST", "/api/v1/community/family-events"),
    ("POST", "/api/v1/community/care-visits"),
    ("POST", "/api/v1/community/exemplars"),
]


@pytest.mark.parametrize(("method", "path"), ISSUE_19)
def test_the_issues_route_exists(method, path):
    paths = api.get_openapi_schema()["paths"]
    assert path in paths and method.lower() in paths[path], f"{method} {path}"


def test_rankings_are_published_by_id_only():
    """The earlier `POST /api/v1/rankings {period, start}` is gone: nothing used it."""
    assert "post" not in api.get_openapi_schema()["paths"]["/api/v1/rankings"]
