"""智能预审 and 一次告知 across departments: at submission, the flow's lead checks the application
against every rule every department declared for the matters this application needs, and names
everything wrong in one notice, before any certificate or licence is issued.

Without it a newborn's name was refused by 公安 after 卫健 had issued the birth certificate, and a
restaurant of 8 m² was refused its food permit after 市场监管 had issued its business licence: two
notices, and a licence for a refused case.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from streams.days import occurred_on
from streams.department import REJECTED, Matter, reject
from streams.events import Event, NewEvent
from streams.flows import Flow, FlowMap
from streams.rules import problems_of


def lead_matter(flow: Flow, flow_map: FlowMap) -> str:
    """The matter that answers the application for the flow: the lead department's first matter
    the application triggers (or, failing that, the first matter it triggers)."""
    first = [s.matter for s in flow.steps if flow.application in flow_map.matters[s.matter].triggers]
    if not first:
        raise ValueError(f"flow {flow.name!r}: no matter is triggered by its application {flow.application}")
    return next((key for key in first if flow_map.matters[key].department == flow.lead), first[0])


class PreReview:
    def __init__(self, flow_map: FlowMap) -> None:
        self.flow_map = flow_map
        self.leads = {flow.application: lead_matter(flow, flow_map) for flow in flow_map.flows.values()}

    def problems(self, flow: Flow, application: dict[str, Any], on: date) -> list[str]:
        """Every declared rule of every matter the application needs, checked on the application.

        Another department's findings are prefixed with its name, so the applicant knows who asks.
        """
        found: list[str] = []
        for key in self.flow_map.required_matters(flow, application):
            matter = self.flow_map.matters[key]
            prefix = "" if matter.department == flow.lead else f"{self.flow_map.display_name(matter)}："
            found += [prefix + problem for problem in problems_of(matter.rules, application, on)]
        return list(dict.fromkeys(found))

    def settle(self, matter: Matter, event: Event, outputs: Sequence[NewEvent]) -> list[NewEvent]:
        """What a matter answering an application may emit once the whole flow was pre-reviewed.

        The lead answers with one rejection naming its own reasons and every other department's;
        any other matter the application triggers stays silent, since the lead's notice covers it.
        """
        flow = self.flow_map.by_application.get(event.type)
        if flow is None:
            return list(outputs)
        problems = self.problems(flow, event.payload, occurred_on(event))
        if not problems:
            return list(outputs)
        if matter.key != self.leads[event.type]:
            return []
        own = next((o for o in outputs if o.type == REJECTED), None)
        reasons = list(own.payload["reasons"]) if own else []
        missing = list(own.payload["missing_materials"]) if own else []
        return [reject(*dict.fromkeys(reasons + problems), missing_materials=missing)]
