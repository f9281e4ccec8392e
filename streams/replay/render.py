"""A replayed chain as text, JSON (whole or one event a line) and a self-contained HTML page."""

from __future__ import annotations

import base64
import html
import json
import uuid
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from streams.calendar import CHINA
from streams.demo import duration
from streams.replay.chain import Chain, Link, at_millis
from streams.terminal import pad
from streams.tracker import from_millis


def when(ms: int | None) -> str:
    """Beijing time, to the second."""
    if ms is None:
        return "—"
    return from_millis(ms).astimezone(CHINA).strftime("%Y-%m-%d %H:%M:%S")


def plain(value: Any) -> Any:
    """A decoded Avro value as JSON: times as ISO text, bytes as base64, decimals and UUIDs as text."""
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    return value


def link_record(link: Link, names: Mapping[str, str]) -> dict[str, Any]:
    event, located = link.event, link.located
    return {
        "case_id": event.case_id,
        "event_id": event.event_id,
        "type": event.type,
        "occurred_at": plain(event.envelope["occurred_at"]),
        "department": event.producer,
        "department_name": names.get(event.producer, event.producer),
        "agent_version": event.envelope["producer"]["agent_version"],
        "causation_id": event.causation_id,
        "cause_type": link.cause.event.type if link.cause else None,
        "held_seconds": None if link.held_ms is None else link.held_ms / 1000,
        "subject": event.subject,
        "topic": located.topic,
        "partition": located.partition,
        "offset": located.offset,
        "schema_id": located.schema_id,
        "payload": plain(event.payload),
    }


def chain_record(chain: Chain, names: Mapping[str, str]) -> dict[str, Any]:
    return {
        "case_id": chain.case_id,
        "events": [link_record(link, names) for link in chain.links],
        "outcome": chain.outcome,
        "consistent": chain.consistent,
        "duplicates_dropped": chain.duplicates,
        "causes_outside_chain": chain.dangling,
        "held_seconds": {d: ms / 1000 for d, ms in chain.holdings().items()},
        "deadlines_lost": [
            {
                "event_id": loss.event_id,
                "type": loss.event_type,
                "at": when(loss.at),
                "scope": loss.scope,
                "holder": loss.holder,
                "due_at": when(loss.due_at) if loss.due_at else None,
            }
            for loss in chain.deadline_losses()
        ],
    }


def text(chain: Chain, names: Mapping[str, str]) -> list[str]:
    if not chain.links:
        return [f"{chain.case_id}: no events"]
    start = chain.links[0]
    lines = [
        f"{chain.case_id}: {len(chain.links)} events, causes before effects"
        + (f" · {chain.outcome}" if chain.outcome else "")
        + ("" if chain.consistent else " · chain incomplete")
    ]
    column = max(len(names.get(link.event.producer, link.event.producer)) for link in chain.links) + 2
    for link in chain.links:
        event = link.event
        held = f" (held {duration(link.held_ms / 1000)})" if link.held_ms is not None else ""
        because = f" ← {link.cause.event.type}" if link.cause else ""
        at = at_millis(event)
        since_start = duration((at - at_millis(start.event)) / 1000)
        lines.append(
            f"  {when(at)}  +{pad(since_start, 7)} {pad(names.get(event.producer, event.producer), column)}"
            f" {event.type}{because}{held}"
        )
    holdings = chain.holdings()
    if holdings:
        lines.append("  held by:")
        lines += [f"    {pad(names.get(d, d), column)} {duration(ms / 1000)}" for d, ms in holdings.items()]
    for loss in chain.deadline_losses():
        holder = f", held by {names.get(loss.holder, loss.holder)}" if loss.holder else ""
        due = f" (due {when(loss.due_at)})" if loss.due_at else ""
        lines.append(f"  deadline lost: {loss.scope}{due} — {loss.event_type} at {when(loss.at)}{holder}")
    if chain.duplicates:
        lines.append(f"  {chain.duplicates} duplicate record(s) of events already shown were dropped")
    if chain.dangling:
        lines.append(f"  causes not in the log for: {', '.join(chain.dangling)}")
    return lines


def jsonl(chains: Sequence[Chain], names: Mapping[str, str]) -> list[str]:
    return [json.dumps(link_record(link, names), ensure_ascii=False) for c in chains for link in c.links]


PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font: 14px/1.5 system-ui, sans-serif; margin: 2em; color: #222; }}
table {{ border-collapse: collapse; margin: 1em 0; }}
td, th {{ border-bottom: 1px solid #ddd; padding: 4px 10px; text-align: left; vertical-align: top; }}
th {{ background: #f4f4f4; }} .lost {{ color: #b00; }} .bar {{ background: #4a7; height: 10px; }}
code {{ font-size: 12px; color: #555; }}
</style></head><body>
<h1>{title}</h1>
{body}
</body></html>
"""


def html_report(chains: Sequence[Chain], names: Mapping[str, str], *, title: str) -> str:
    """One page, no scripts or links to fetch: it opens anywhere, as it was written."""
    esc = html.escape
    parts = []
    for chain in chains:
        holdings = chain.holdings()
        longest = max(holdings.values(), default=0) or 1
        parts.append(
            f"<h2>{esc(chain.case_id)}</h2><p>{len(chain.links)} events"
            + (f" · {esc(chain.outcome)}" if chain.outcome else "")
            + ("" if chain.consistent else " · <span class=lost>chain incomplete</span>")
            + "</p>"
        )
        rows = "".join(
            f"<tr><td>{esc(when(at_millis(link.event)))}</td>"
            f"<td>{esc(names.get(link.event.producer, link.event.producer))}</td>"
            f"<td>{esc(link.event.type)}</td>"
            f"<td>{esc(link.cause.event.type) if link.cause else '—'}</td>"
            f"<td>{esc(duration(link.held_ms / 1000)) if link.held_ms is not None else ''}</td>"
            f"<td><code>{esc(link.located.position)}</code></td></tr>"
            for link in chain.links
        )
        parts.append(
            "<table><tr><th>when (Beijing)</th><th>who</th><th>what</th><th>because of</th>"
            f"<th>held</th><th>where in the log</th></tr>{rows}</table>"
        )
        if holdings:
            bars = "".join(
                f"<tr><td>{esc(names.get(d, d))}</td><td>{esc(duration(ms / 1000))}</td>"
                f"<td><div class=bar style='width:{max(2, int(300 * ms / longest))}px'></div></td></tr>"
                for d, ms in holdings.items()
            )
            parts.append(f"<h3>Who held it</h3><table>{bars}</table>")
        for loss in chain.deadline_losses():
            holder = f", held by {names.get(loss.holder, loss.holder)}" if loss.holder else ""
            parts.append(
                f"<p class=lost>Deadline lost: {esc(loss.scope)} — {esc(loss.event_type)} at "
                f"{esc(when(loss.at))}{esc(holder)}</p>"
            )
    return PAGE.format(title=esc(title), body="\n".join(parts))
