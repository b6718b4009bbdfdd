"""A link is shown only where its target opens for the user who sees it.

Each demo user signs in to the demo zone and follows every link of every page reachable
from home (a few of each kind of page: a page's links depend on its kind, not on its row);
none may answer 403 or 404. A page that lists links to pages the user cannot open tells
them the feature is broken, and tells an attacker which ids exist.
"""

from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import Resolver404, resolve

from frontline.core.demo import demo_logins
from frontline.core.models import User

# Pages of one kind (url name) visited per user: enough to meet each kind's links.
PER_KIND = 3
SKIP_PREFIXES = ("/static/", "/media/", "/api/docs", "/api/openapi", "/admin/")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def _links(base: str, html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        url = urljoin(base, href)
        parts = urlsplit(url)
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if not path.startswith(SKIP_PREFIXES):
            found.append(path)
    return found


def _kind(path: str) -> str:
    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return path


def crawl(client, start: str = "/") -> tuple[dict[str, int], dict[str, str]]:
    """Every page reachable from `start` (PER_KIND of each kind): its status, and where
    each was linked from."""
    seen: dict[str, int] = {}
    linked_from: dict[str, str] = {start: "(start)"}
    per_kind: Counter = Counter()
    queue = deque([start])
    while queue:
        path = queue.popleft()
        response = client.get(path)
        seen[path] = response.status_code
        kind_type = response.get("Content-Type", "")
        if response.status_code != 200 or not kind_type.startswith("text/html"):
            continue
        for link in _links(path, response.content.decode()):
            if link in linked_from:
                continue
            kind = _kind(link)
            if per_kind[kind] >= PER_KIND:
                continue
            per_kind[kind] += 1
            linked_from[link] = path
            queue.append(link)
    return seen, linked_from


def test_every_link_a_demo_user_sees_opens(db, client):
    # One test for every user: the demo zone is built once, inside the test's transaction.
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    broken = {}
    for username, *_ in demo_logins():
        client.force_login(User.objects.get(username=username))
        seen, linked_from = crawl(client)
        assert len(seen) > 3, f"{username} reached only {list(seen)}"
        for path, status in seen.items():
            if status in (403, 404):
                broken.setdefault(username, []).append((path, status, linked_from[path]))
    assert not broken, f"links that do not open (path, status, linked from): {broken}"


def _render(text: str, user, **context) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load access %}" + text).render(Context({"request": request, **context}))


def test_if_can_shows_a_link_only_to_who_holds_the_permission_there(world):
    text = '{% if_can "control.alert" node %}<a>处置</a>{% else %}待处置{% endif_can %}'
    assert _render(text, world.health_sandian, node=world.sandian) == "<a>处置</a>"
    assert _render(text, world.volunteer_sandian, node=world.sandian) == "待处置"
    assert _render(text, world.health_sandian, node=world.zhengyuan) == "待处置"
    assert _render('{% if_can "control.reading" %}测温{% endif_can %}', AnonymousUser()) == ""


def test_can_keeps_the_check_in_a_variable(world):
    text = '{% can "control.edit" node as ok %}{% if ok %}a{% else %}div{% endif %}'
    assert _render(text, world.cadre_zhengyuan, node=world.zhengyuan_grid) == "a"
    assert _render(text, world.police_zhengyuan, node=world.zhengyuan_grid) == "div"
