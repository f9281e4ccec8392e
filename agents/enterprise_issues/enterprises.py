"""Enterprises rating the answers they get (好差评, five levels), in simulation.

The rating follows what the answer did: a solved problem is rated 非常满意 or 满意, an explanation
基本满意, a partial solution 不满意 — which reopens the issue for a fix.
"""

from __future__ import annotations

import zlib

from streams.department import Department
from streams.events import Event, NewEvent, emit
from streams.issues import model as m

department = Department("enterprises", "企业（模拟评价）")

COMMENTS = {
    "VERY_SATISFIED": "问题解决得很快，感谢",
    "SATISFIED": "问题已解决",
    "BASICALLY_SATISFIED": "政策讲清楚了，但问题本身还需企业自己想办法",
    "DISSATISFIED": "只解决了一部分，问题依旧影响生产经营",
}


def rating_for(issue_id: str, resolution: str) -> str:
    if resolution == "PARTIALLY_RESOLVED":
        return "DISSATISFIED"
    if resolution == "EXPLAINED":
        return "BASICALLY_SATISFIED"
    # Deterministic per issue: some enterprises praise more readily than others.
    return "VERY_SATISFIED" if zlib.crc32(issue_id.encode()) % 3 else "SATISFIED"


@department.matter("rate_answer", "评价答复", trigger=m.ANSWERED, done=m.RATED, sla_working_days=5)
async def rate_answer(event: Event) -> list[NewEvent]:
    rating = rating_for(event.case_id, event["resolution"])
    return [emit(m.RATED, rating=rating, comment=COMMENTS[rating])]
