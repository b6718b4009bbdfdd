"""Writes for supervision: groups, rubrics, inspections and findings, the published 红黑榜,
honours, cadre records and typed holiday duty; each in one transaction, each audited."""

from frontline.supervision.services.cadres import *  # noqa: F403
from frontline.supervision.services.common import *  # noqa: F403
from frontline.supervision.services.groups import *  # noqa: F403
from frontline.supervision.services.inspections import *  # noqa: F403
from frontline.supervision.services.rankings import *  # noqa: F403
