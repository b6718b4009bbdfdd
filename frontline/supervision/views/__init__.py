"""Pages for supervision: inspections on a phone, findings and their follow-up, the 红黑榜
with its publication and honours, cadre records (audited reads) and holiday duty."""

from frontline.supervision.views.cadres import *  # noqa: F403
from frontline.supervision.views.groups import *  # noqa: F403
from frontline.supervision.views.inspections import *  # noqa: F403
from frontline.supervision.views.rankings import *  # noqa: F403
