"""Writing a call campaign's script, qualification questions and dispositions (with their
queue rules). Agents read them through the console kit (`GET /campaigns/{id}/console-kit`)."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field, ValidationError, model_validator

from api.campaigns import reload_if_live
from api.deps import Dialer, Principal, SessionDep, require
from api.schemas import RowId, Strict
from engine.analysis import qualifying_errors
from engine.disposition import CHOICE_TYPES, DispositionRule
from engine.errors import Conflict, FieldError, NotFound, ValidationFailed
from engine.retry import Outcome
from store import audit, campaign_setup, campaigns, orders
from store.models import Campaign

router = APIRouter(tags=["campaigns"])

Writer = Annotated[Principal, Depends(require("campaigns", "write"))]
Key = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")]


class ScriptIn(Strict):
    body: Annotated[str, Field(max_length=100_000)]


class QuestionIn(Strict):
    key: Key
    label: Annotated[str, Field(min_length=1, max_length=300)]
    answer_type: Literal["radio", "dropdown", "checkbox", "number", "date", "text"]
    options: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=200)]], Field(max_length=50)
    ] = []
    required: bool = False
    qualifying_options: Annotated[list[str], Field(max_length=50)] = []
    qualifying_min: Annotated[float, Field(allow_inf_nan=False)] | None = None

    @model_validator(mode="after")
    def _options(self) -> "QuestionIn":
        if self.answer_type in CHOICE_TYPES and len(self.options) < 2:
            raise ValueError("A choice question needs two or more options.")
        return self


class QuestionsIn(Strict):
    questions: Annotated[list[QuestionIn], Field(max_length=100)]


class DispositionIn(Strict):
    code: Key
    label: Annotated[str, Field(min_length=1, max_length=100)]
    rule: DispositionRule
    retry_outcome: Outcome | None = None
    shortcut: Annotated[str, Field(pattern=r"^[1-9]$")] | None = None

    @model_validator(mode="after")
    def _retry(self) -> "DispositionIn":
        if (self.rule is DispositionRule.RETRY) != (self.retry_outcome is not None):
            raise ValueError("A retry disposition, and only it, names its retry outcome.")
        if self.retry_outcome is Outcome.CALLBACK:
            raise ValueError("A retry uses busy, no_answer, machine or failed.")
        return self


class DispositionsIn(Strict):
    dispositions: Annotated[list[DispositionIn], Field(max_length=30)]


def _unique(rows: list[Any], field: str, path: str) -> None:
    """Refuses two rows sharing a value of `field`, naming each later one."""
    seen: set[object] = set()
    errors = []
    for i, row in enumerate(rows):
        value = getattr(row, field)
        if value is not None and value in seen:
            errors.append(FieldError(f"{path}.{i}.{field}", f"{value!r} is used twice."))
        seen.add(value)
    if errors:
        raise ValidationFailed(errors)


def _check_qualifying(questions: list[QuestionIn]) -> None:
    errors = [
        error
        for i, q in enumerate(questions)
        for error in qualifying_errors(
            f"questions.{i}", q.answer_type, q.options, q.qualifying_options, q.qualifying_min
        )
    ]
    if errors:
        raise ValidationFailed(errors)


async def _call_campaign(session: SessionDep, campaign_id: int) -> Campaign:
    campaign = await campaigns.get_or_raise(session, campaign_id=campaign_id)
    if campaign.kind != "call":
        raise NotFound("Call campaign")
    return campaign


def _audit(
    session: SessionDep,
    principal: Principal,
    action: str,
    campaign_id: int,
    data: dict[str, Any] | None = None,
) -> None:
    audit.record(
        session,
        action=action,
        target_type="campaign",
        target_id=campaign_id,
        data=data,
        by=principal.audit(),
    )


async def _commit_live(session: SessionDep, dialer: Dialer, campaign: Campaign) -> None:
    """Commits a change the dialer works by (questions it checks at a disposition, retry
    rules of dispositions), and has a running campaign take it at once."""
    await session.commit()
    await reload_if_live(dialer, campaign)


@router.put("/campaigns/{campaign_id}/script")
async def save_script(
    campaign_id: RowId, body: ScriptIn, principal: Writer, session: SessionDep
) -> dict[str, Any]:
    """A new script version: agents get it with their next console kit."""
    await _call_campaign(session, campaign_id)
    version = await campaign_setup.save_script(session, campaign_id=campaign_id, body=body.body)
    _audit(session, principal, "campaign.script", campaign_id)
    await session.commit()
    return {"body": body.body, "version": version}


async def _replace_questions(
    session: SessionDep,
    principal: Principal,
    dialer: Dialer,
    campaign_id: int,
    body: QuestionsIn,
    data: dict[str, Any] | None = None,
) -> None:
    """The one way a campaign's questions are replaced: checked, written, audited, committed,
    and live in the dialer."""
    campaign = await _call_campaign(session, campaign_id)
    _unique(body.questions, "key", "questions")
    _check_qualifying(body.questions)
    await campaign_setup.replace_questions(
        session, campaign_id=campaign_id, questions=[q.model_dump() for q in body.questions]
    )
    _audit(session, principal, "campaign.questions", campaign_id, data)
    await _commit_live(session, dialer, campaign)


@router.put("/campaigns/{campaign_id}/questions")
async def save_questions(
    campaign_id: RowId, body: QuestionsIn, principal: Writer, session: SessionDep, dialer: Dialer
) -> QuestionsIn:
    """Replaces the qualification questions, in the order given; a running campaign asks
    them from the next disposition on."""
    await _replace_questions(session, principal, dialer, campaign_id, body)
    return body


@router.put("/campaigns/{campaign_id}/dispositions")
async def save_dispositions(
    campaign_id: RowId, body: DispositionsIn, principal: Writer, session: SessionDep, dialer: Dialer
) -> DispositionsIn:
    """Replaces the campaign's own dispositions; the defaults fill in codes it lacks. A
    running campaign works by them from the next disposition on."""
    campaign = await _call_campaign(session, campaign_id)
    _unique(body.dispositions, "code", "dispositions")
    _unique(body.dispositions, "shortcut", "dispositions")
    await campaign_setup.replace_dispositions(
        session,
        campaign_id=campaign_id,
        dispositions=[d.model_dump(mode="json") for d in body.dispositions],
    )
    _audit(session, principal, "campaign.dispositions", campaign_id)
    await _commit_live(session, dialer, campaign)
    return body


# --- an order's questions, copied into a campaign linked to it -----------------------------

OrderReader = Annotated[Principal, Depends(require("orders", "read"))]


def _as_body(rows: list[dict[str, Any]]) -> QuestionsIn:
    """Rows checked like a PUT body: an order question a campaign cannot hold (e.g. text
    longer than a campaign question's) is a 422 naming it."""
    try:
        return QuestionsIn.model_validate({"questions": rows})
    except ValidationError as exc:
        errors = [FieldError(".".join(map(str, e["loc"])), e["msg"]) for e in exc.errors()]
        raise ValidationFailed(errors, "The order's questions do not fit a call campaign.") from exc


class OrderLinkRead(BaseModel):
    order_id: int
    title: str
    status: str
    # the campaign asks what the order asks, with its qualifying rules (None: it asks none)
    questions_match: bool | None


@router.get("/campaigns/{campaign_id}/order-links")
async def list_order_links(
    campaign_id: RowId, _: OrderReader, session: SessionDep
) -> list[OrderLinkRead]:
    """The orders this call campaign is linked to, and whether its questions match each."""
    await _call_campaign(session, campaign_id)
    return [
        OrderLinkRead(
            order_id=order.id,
            title=order.title,
            status=order.status,
            questions_match=await orders.questions_match(
                session,
                asked=await orders.asked_questions(session, order=order),
                campaign_id=campaign_id,
            ),
        )
        for order in await orders.linked_orders(session, campaign_id=campaign_id)
    ]


@router.post("/campaigns/{campaign_id}/questions/from-order/{order_id}")
async def copy_order_questions(
    campaign_id: RowId,
    order_id: RowId,
    principal: Writer,
    _: OrderReader,
    session: SessionDep,
    dialer: Dialer,
) -> QuestionsIn:
    """Replaces the campaign's questions with those the client asked in a linked order
    (the pinned version, qualifying rules included), through the PUT's checks and audit."""
    await _call_campaign(session, campaign_id)
    order = await orders.get_or_raise(session, order_id=order_id, client_id=None)
    if not await orders.is_linked(session, order_id=order_id, campaign_id=campaign_id):
        raise Conflict(
            f"Campaign #{campaign_id} is not linked to order #{order_id}: link it first."
        )
    rows = await orders.questions_for_campaign(session, order=order, campaign_id=campaign_id)
    if not rows:  # copying nothing would wipe the campaign's questions
        raise Conflict(f"Order #{order_id} asks no qualification questions: nothing to copy.")
    body = _as_body(rows)
    await _replace_questions(
        session, principal, dialer, campaign_id, body, {"from_order": order_id}
    )
    return body
