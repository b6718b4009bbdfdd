"""Core's pages and endpoints show no health data (test_audited_reads)."""

AUDITED: dict = {}

PLAIN = {
    "core:home": "cards with counts",
    "core:account": "the user's own account and devices",
    "core:password_change": "the password form",
    "core:audit_list": "who did what: actions and field names, never values",
    "core:node_list": "the jurisdiction tree",
    "core:node_detail": "one node of the tree",
    "core:node_below": "the places of one kind under a node",
    "core:node_create": "the form for a node",
    "core:node_move": "the form to move a node",
    "core:node_rename": "the form to rename a node",
    "core:node_import": "the upload form for the tree",
    "core:node_import_template": "an empty workbook with the column headings",
    "core:user_list": "staff accounts",
    "core:user_detail": "a staff account and its roles",
    "core:user_create": "the form for a staff account",
    "healthz": "200 when the database answers",
    "api:me": "the caller's account",
    "api:ping": "a token check",
    "api:api_token_list": "the caller's own tokens",
    "api:node_list": "the jurisdiction tree",
    "api:node_detail": "one node of the tree",
}
