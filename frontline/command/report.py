"""The battle report (战报): the seed's own manner of writing, every number a figure of
the registry. A sentence whose figure is zero or absent is left out, never printed as
"0 支"; a town may reword any sentence, keeping the figure keys as placeholders."""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from frontline.command.selectors import FigureValue, figure_values, wordings_of
from frontline.core.models import Node, User


@dataclass(frozen=True)
class Sentence:
    """One sentence of the report in its default wording; `{key}` is a figure's value."""

    id: str
    section: str
    text: str


SECTIONS = ("党员先上", "干部跟上", "一起上", "复工复产")

SENTENCES = (
    Sentence(
        "party_members",
        "党员先上",
        "{party_orgs}个基层党组织、{party_members}名党员冲锋在疫情防控第一线。",
    ),
    Sentence("calls", "党员先上", "{calling_orgs}个党组织发出倡议，党员递交请战书{pledges}份。"),
    Sentence("activists", "党员先上", "{activists}名入党积极分子主动请缨。"),
    Sentence(
        "temporary_branches", "党员先上", "在卡口和隔离点成立临时党支部{temporary_branches}个。"
    ),
    Sentence(
        "posts_zones",
        "党员先上",
        "设立党员先锋岗{pioneer_posts}个、党员责任区{responsibility_zones}个。",
    ),
    Sentence("flags", "党员先上", "党旗插在{flag_sites}个防控一线点位。"),
    Sentence(
        "purchase_vehicles", "党员先上", "组织党员代购车{purchase_vehicles}辆，为群众代购生活物资。"
    ),
    Sentence("service_squads", "党员先上", "组建服务小分队{service_squads}支。"),
    Sentence("patrol_teams", "党员先上", "组建志愿巡逻队{patrol_teams}支，劝散聚集人员。"),
    Sentence(
        "loudspeaker_teams",
        "党员先上",
        "组建{loudspeaker_teams}支党员小喇叭宣传队，利用电瓶车、摩托车走村串巷宣传疫情防控知识。",
    ),
    Sentence(
        "party_donations",
        "党员先上",
        "党员义捐款{party_donation_cash}元、物资折合{party_donation_goods}元。",
    ),
    Sentence("cadres_on_duty", "干部跟上", "{cadres_on_duty}名干部坚守一线。"),
    Sentence("places", "干部跟上", "全覆盖排查{villages}个村（社区）、{enterprises}家企业。"),
    Sentence("units_screened", "干部跟上", "排查单位{units_screened}个次。"),
    Sentence("key_persons", "干部跟上", "落实重点人员管控{key_persons}人。"),
    Sentence("isolated_now", "干部跟上", "居家隔离{isolated_now}人，落实“六包一”责任。"),
    Sentence("readings", "干部跟上", "上门测量体温{readings}人次。"),
    Sentence("fevers", "干部跟上", "发现发热{fevers}人次，均按规定处置。"),
    Sentence("checkpoints_manned", "干部跟上", "{checkpoints_manned}个卡口有人值守。"),
    Sentence("passers", "干部跟上", "卡口登记通行{passers}人次。"),
    Sentence("turned_back", "干部跟上", "劝返{turned_back}人次。"),
    Sentence(
        "inspections",
        "干部跟上",
        "{inspection_groups}个督察组明察暗访，评出示范村{model_villages}个、标杆卡口{benchmark_checkpoints}个。",
    ),
    Sentence(
        "three_mechanisms",
        "干部跟上",
        "考察股级干部{cadres_evaluated}名，提拔村干部{cadres_promoted}名，发展入党积极分子{activists_developed}名。",
    ),
    Sentence("prevention_teams", "一起上", "组建防控志愿队{prevention_teams}支。"),
    Sentence(
        "volunteer_teams",
        "一起上",
        "组建志愿服务队{volunteer_service_teams}支，{volunteers}名志愿者参与。",
    ),
    Sentence("volunteer_hours", "一起上", "志愿服务{volunteer_hours}小时。"),
    Sentence("errands_done", "一起上", "为居家隔离和困难群众代购、送餐{errands_done}次。"),
    Sentence("leaflets", "一起上", "发放宣传资料{leaflets}份。"),
    Sentence(
        "family_events",
        "一起上",
        "延办红事{weddings_postponed}起、简办白事{funerals_simplified}起。",
    ),
    Sentence(
        "care", "一起上", "{care_volunteers}名志愿者关爱走访孤寡老人和留守儿童{care_visits}次。"
    ),
    Sentence("donated_items", "一起上", "接收社会捐赠物资{donated_items}件。"),
    Sentence("fund", "一起上", "景清基金募集善款{fund_raised}元，帮扶{fund_beneficiaries}人。"),
    Sentence("exemplars", "一起上", "涌现先进典型{exemplars}个。"),
    Sentence(
        "coordinated",
        "复工复产",
        "优先保障企业防疫需求，协调口罩{coordinated_masks}只、防护服{coordinated_suits}套。",
    ),
    Sentence("coordinated_goggles", "复工复产", "协调护目镜{coordinated_goggles}个。"),
    Sentence("coordinated_gloves", "复工复产", "协调手套{coordinated_gloves}副。"),
    Sentence("coordinated_alcohol", "复工复产", "协调酒精等消毒物资{coordinated_alcohol}吨。"),
    Sentence(
        "resumed",
        "复工复产",
        "{enterprises_resumed}家企业复工复产，在岗员工{employees_on_site}人。",
    ),
    Sentence("policy_support", "复工复产", "兑现惠企资金{policy_support}元。"),
    Sentence("tickets_resolved", "复工复产", "帮助企业解决困难{tickets_resolved}个。"),
)
SENTENCE_IDS = {sentence.id: sentence for sentence in SENTENCES}
PLACEHOLDER = re.compile(r"\{([a-z0-9_]+)\}")


def placeholders(text: str) -> list[str]:
    """The figure keys a wording names, in order."""
    return PLACEHOLDER.findall(text)


def number_text(value: int | Decimal) -> str:
    """A figure as the report prints it: 22.5, 200000, never 200000.00 or 2E+5."""
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    return str(value)


@dataclass
class Paragraph:
    """One section of the report: its heading, its text, and the text cut into pieces,
    each number with the link to the rows it counts (the page's links)."""

    section: str
    text: str = ""
    pieces: list[tuple[str, str | None]] = field(default_factory=list)


@dataclass
class BattleReport:
    """A node's report for a span: title, period, paragraphs and every figure it read."""

    node: Node
    start: date
    end: date
    title: str
    period: str
    paragraphs: list[Paragraph]
    figures: list[FigureValue]


def period_text(start: date, end: date) -> str:
    """2026年12月3日, or 2026年12月1日至3日, or across months and years as needed."""
    first = f"{start.year}年{start.month}月{start.day}日"
    if start == end:
        return first
    if start.year != end.year:
        return f"{first}至{end.year}年{end.month}月{end.day}日"
    if start.month != end.month:
        return f"{first}至{end.month}月{end.day}日"
    return f"{first}至{end.day}日"


def sentence_render(
    text: str, values: dict[str, FigureValue]
) -> list[tuple[str, str | None]] | None:
    """A wording with its figures filled in, as pieces (text, link or None); None when a
    figure it names is absent or zero — the sentence is then left out."""
    pieces: list[tuple[str, str | None]] = []
    position = 0
    for match in PLACEHOLDER.finditer(text):
        figure = values.get(match.group(1))
        if figure is None or not figure.value:
            return None
        if match.start() > position:
            pieces.append((text[position : match.start()], None))
        pieces.append((number_text(figure.value), figure.url))
        position = match.end()
    if position < len(text):
        pieces.append((text[position:], None))
    return pieces


def battle_report(user: User, node: Node, start: date, end: date) -> BattleReport:
    """The report of the node's subtree over start…end, from the figures this user may read."""
    figures = figure_values(user, node, start, end)
    values = {figure.key: figure for figure in figures}
    wordings = wordings_of(node)
    paragraphs = []
    for section in SECTIONS:
        paragraph = Paragraph(section)
        for sentence in SENTENCES:
            if sentence.section != section:
                continue
            pieces = sentence_render(wordings.get(sentence.id, sentence.text), values)
            if pieces:
                paragraph.pieces.extend(pieces)
        if paragraph.pieces:
            paragraph.text = "".join(text for text, _ in paragraph.pieces)
            paragraphs.append(paragraph)
    return BattleReport(
        node=node,
        start=start,
        end=end,
        title=f"{node.name}疫情防控和复工复产战报",
        period=period_text(start, end),
        paragraphs=paragraphs,
        figures=figures,
    )
