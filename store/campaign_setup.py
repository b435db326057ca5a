"""A call campaign's script, qualification questions and own dispositions, written whole."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import CallScript, Disposition, QualificationQuestion


async def save_script(session: AsyncSession, *, campaign_id: int, body: str) -> int:
    """A new version of the script (agents see the latest); returns its version number."""
    latest = await session.scalar(
        select(func.max(CallScript.version)).where(CallScript.campaign_id == campaign_id)
    )
    version = (latest or 0) + 1
    session.add(CallScript(campaign_id=campaign_id, body=body, version=version))
    return version


async def questions(session: AsyncSession, *, campaign_id: int) -> list[QualificationQuestion]:
    query = (
        select(QualificationQuestion)
        .where(QualificationQuestion.campaign_id == campaign_id)
        .order_by(QualificationQuestion.position, QualificationQuestion.id)
    )
    return list(await session.scalars(query))


async def replace_questions(
    session: AsyncSession, *, campaign_id: int, questions: Sequence[dict[str, Any]]
) -> None:
    await session.execute(
        delete(QualificationQuestion).where(QualificationQuestion.campaign_id == campaign_id)
    )
    session.add_all(
        QualificationQuestion(campaign_id=campaign_id, position=position, **question)
        for position, question in enumerate(questions)
    )


async def replace_dispositions(
    session: AsyncSession, *, campaign_id: int, dispositions: Sequence[dict[str, Any]]
) -> None:
    """The campaign's own set; a code it leaves out falls back to the default one."""
    await session.execute(delete(Disposition).where(Disposition.campaign_id == campaign_id))
    session.add_all(Disposition(campaign_id=campaign_id, **d) for d in dispositions)
