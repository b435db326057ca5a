"""Roles and what each may do. The API checks these; the rules live here."""

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    CAMPAIGN_MANAGER = "campaign_manager"
    DATA_OPS = "data_ops"
    QA_ANALYST = "qa_analyst"
    AGENT = "agent"
    CLIENT_USER = "client_user"


STAFF = frozenset(Role) - {Role.CLIENT_USER}

# Who may read and who may change each resource. Admin is implied everywhere.
READ: dict[str, frozenset[Role]] = {
    "accounts": frozenset({Role.CAMPAIGN_MANAGER, Role.DATA_OPS, Role.QA_ANALYST, Role.AGENT}),
    "contacts": frozenset({Role.CAMPAIGN_MANAGER, Role.DATA_OPS, Role.QA_ANALYST, Role.AGENT}),
    "campaigns": frozenset({Role.CAMPAIGN_MANAGER, Role.DATA_OPS, Role.QA_ANALYST, Role.AGENT}),
    # segments, lists, domain sets and count previews
    "segments": frozenset({Role.CAMPAIGN_MANAGER, Role.DATA_OPS, Role.QA_ANALYST, Role.AGENT}),
    # bulk downloads of contact data: fewer roles than may browse contacts one by one
    "exports": frozenset({Role.CAMPAIGN_MANAGER, Role.DATA_OPS}),
    # bulk imports of contacts, their progress and error files
    "imports": frozenset({Role.CAMPAIGN_MANAGER, Role.DATA_OPS}),
    "suppressions": frozenset({Role.CAMPAIGN_MANAGER, Role.DATA_OPS, Role.QA_ANALYST}),
    "suppression_imports": frozenset({Role.CAMPAIGN_MANAGER, Role.DATA_OPS}),
    "suppression_removal": frozenset(),
    "leads": frozenset({Role.CAMPAIGN_MANAGER, Role.QA_ANALYST}),
    # call recordings: listening and downloading (every download is audited)
    "recordings": frozenset({Role.CAMPAIGN_MANAGER, Role.QA_ANALYST}),
    "orders": frozenset({Role.CAMPAIGN_MANAGER}),
    "client_orders": frozenset({Role.CLIENT_USER}),
    # live dialer state: the pacing monitor and wallboard
    "live": frozenset({Role.CAMPAIGN_MANAGER}),
    "console": frozenset({Role.AGENT}),
    "users": frozenset(),
    # client organisations' names, states and counts, for staff choosing one (a client
    # user's, an API key's, a webhook's)
    "clients": STAFF,
    "audit": frozenset(),
    # KPI reports and their downloads (aggregates, agent names, account domains)
    "reporting": frozenset({Role.CAMPAIGN_MANAGER, Role.QA_ANALYST}),
    # outgoing webhook subscriptions and their delivery log: operations staff
    "webhooks": frozenset({Role.CAMPAIGN_MANAGER}),
    "automations": frozenset({Role.CAMPAIGN_MANAGER}),
}
WRITE: dict[str, frozenset[Role]] = {
    "accounts": frozenset({Role.CAMPAIGN_MANAGER, Role.DATA_OPS}),
    "contacts": frozenset({Role.CAMPAIGN_MANAGER, Role.DATA_OPS}),
    "campaigns": frozenset({Role.CAMPAIGN_MANAGER}),
    "segments": frozenset({Role.CAMPAIGN_MANAGER, Role.DATA_OPS}),
    "exports": frozenset({Role.CAMPAIGN_MANAGER, Role.DATA_OPS}),
    "imports": frozenset({Role.CAMPAIGN_MANAGER, Role.DATA_OPS}),
    # Anyone who may hear a do-not-call request may record it; bulk files and removals not.
    "suppressions": frozenset({Role.CAMPAIGN_MANAGER, Role.DATA_OPS, Role.AGENT}),
    "suppression_imports": frozenset({Role.CAMPAIGN_MANAGER, Role.DATA_OPS}),
    "suppression_removal": frozenset(),
    "leads": frozenset({Role.QA_ANALYST}),
    "recordings": frozenset(),
    "orders": frozenset({Role.CAMPAIGN_MANAGER}),
    "client_orders": frozenset({Role.CLIENT_USER}),
    "live": frozenset(),
    # the agent console acts on the caller's own agent session
    "console": frozenset({Role.AGENT}),
    "users": frozenset(),
    "clients": frozenset(),  # onboarding, renaming, deactivating: admins only
    "audit": frozenset(),
    "reporting": frozenset(),  # reports are read-only
    "webhooks": frozenset({Role.CAMPAIGN_MANAGER}),
    "automations": frozenset({Role.CAMPAIGN_MANAGER}),
}


def can(role: Role, action: str, resource: str) -> bool:
    if role is Role.ADMIN and resource != "client_orders":
        return True
    table = READ if action == "read" else WRITE
    return role in table[resource]
