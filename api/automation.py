"""Automation rules (admin and campaign managers) and each user's own notifications."""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from api.deps import CurrentPrincipal, PageDep, Principal, SessionDep, require
from api.schemas import Page, ReadModel, RowId, Strict
from engine.automation import Trigger, catalogue
from store import audit, automation
from store.models import AutomationRule, Notification
from store.pagination import paginate

router = APIRouter(tags=["automation"])

Reader = Annotated[Principal, Depends(require("automations", "read"))]
Writer = Annotated[Principal, Depends(require("automations", "write"))]
Conditions = Annotated[list[dict[str, Any]], Field(max_length=20)]
Actions = Annotated[list[dict[str, Any]], Field(min_length=1, max_length=10)]


class RuleCreate(Strict):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    trigger: Trigger
    conditions: Conditions = []
    actions: Actions
    active: bool = True


class RuleUpdate(Strict):
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    conditions: Conditions | None = None
    actions: Actions | None = None
    active: bool | None = None


class RuleRead(ReadModel):
    id: int
    name: str
    trigger: str
    conditions: list[dict[str, Any]]
    actions: list[dict[str, Any]]
    active: bool
    created_by_id: int | None
    created_at: datetime
    updated_at: datetime


def _audit(session: SessionDep, principal: Principal, action: str, rule_id: int) -> None:
    audit.record(
        session,
        action=action,
        target_type="automation_rule",
        target_id=rule_id,
        by=principal.audit(),
    )


class OperatorRead(BaseModel):
    op: str
    label: str


class FieldRead(BaseModel):
    name: str
    type: str
    choices: list[str]
    operators: list[OperatorRead]


class ParamRead(BaseModel):
    name: str
    type: str
    choices: list[str]
    required: bool


class ActionRead(BaseModel):
    type: str
    params: list[ParamRead]


class TriggerRead(BaseModel):
    trigger: str
    record_type: str
    fields: list[FieldRead]
    actions: list[ActionRead]


class Catalogue(BaseModel):
    triggers: list[TriggerRead]


@router.get("/automation/catalogue")
async def get_catalogue(_: Reader) -> Catalogue:
    """What a rule may say, from the engine's own definitions: per trigger, the fields its
    conditions test (type, choices, operators) and the actions it takes (parameters)."""
    return Catalogue.model_validate(catalogue())


@router.get("/automation-rules")
async def list_rules(
    _: Reader, session: SessionDep, page: PageDep, trigger: Trigger | None = None
) -> Page[RuleRead]:
    query = automation.rules_query(trigger=trigger.value if trigger else None)
    result = await paginate(session, query, AutomationRule.id, limit=page.limit, cursor=page.cursor)
    return Page[RuleRead](
        items=[RuleRead.model_validate(r) for r in result.items], next_cursor=result.next_cursor
    )


@router.post("/automation-rules", status_code=201)
async def create_rule(body: RuleCreate, principal: Writer, session: SessionDep) -> RuleRead:
    await automation.check_rule(session, body.trigger.value, body.conditions, body.actions)
    rule = AutomationRule(**body.model_dump(mode="json"), created_by_id=principal.user_id)
    session.add(rule)
    await session.flush()
    _audit(session, principal, "automation.create", rule.id)
    await session.commit()
    return RuleRead.model_validate(rule)


@router.get("/automation-rules/{rule_id}")
async def get_rule(rule_id: RowId, _: Reader, session: SessionDep) -> RuleRead:
    return RuleRead.model_validate(await automation.get_rule_or_raise(session, rule_id=rule_id))


@router.patch("/automation-rules/{rule_id}")
async def update_rule(
    rule_id: RowId, body: RuleUpdate, principal: Writer, session: SessionDep
) -> RuleRead:
    rule = await automation.get_rule_or_raise(session, rule_id=rule_id)
    values = {k: v for k, v in body.model_dump(exclude_unset=True).items() if v is not None}
    await automation.check_rule(
        session,
        rule.trigger,
        values.get("conditions", rule.conditions),
        values.get("actions", rule.actions),
    )
    for key, value in values.items():
        setattr(rule, key, value)
    _audit(session, principal, "automation.update", rule.id)
    await session.commit()
    return RuleRead.model_validate(rule)


@router.delete("/automation-rules/{rule_id}", status_code=204)
async def delete_rule(rule_id: RowId, principal: Writer, session: SessionDep) -> None:
    await session.delete(await automation.get_rule_or_raise(session, rule_id=rule_id))
    _audit(session, principal, "automation.delete", rule_id)
    await session.commit()


class NotificationRead(ReadModel):
    id: int
    message: str
    record_type: str | None
    record_id: int | None
    rule_id: int | None
    read_at: datetime | None
    created_at: datetime


@router.get("/notifications")
async def list_notifications(
    principal: CurrentPrincipal, session: SessionDep, page: PageDep, unread: bool = False
) -> Page[NotificationRead]:
    """The caller's own notifications, oldest first."""
    query = automation.notifications_query(user_id=principal.user_id or -1, unread=unread)
    result = await paginate(session, query, Notification.id, limit=page.limit, cursor=page.cursor)
    return Page[NotificationRead](
        items=[NotificationRead.model_validate(n) for n in result.items],
        next_cursor=result.next_cursor,
    )


@router.post("/notifications/{notification_id}/read")
async def read_notification(
    notification_id: RowId, principal: CurrentPrincipal, session: SessionDep
) -> NotificationRead:
    found = await automation.mark_read(
        session, user_id=principal.user_id or -1, notification_id=notification_id
    )
    await session.commit()
    return NotificationRead.model_validate(found)
