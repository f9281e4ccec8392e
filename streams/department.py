"""How a department declares itself: its matters (事项), their triggers, outputs, SLA, materials.

    market_regulation = Department("market_regulation", "市场监管局")

    @market_regulation.matter("business_license", "营业执照", trigger="RestaurantApplicationSubmitted",
                              done="BusinessLicenseIssued", sla_working_days=1)
    async def issue_business_license(event: Event) -> list[NewEvent]:
        ...

Handlers are plain async functions; the runtime does everything else.

``trigger`` may also be a tuple of event types: the matter then waits for ALL of them in the same
case (a join) and its handler is called once, when the last one arrives (see streams/joins.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from streams.conditions import Condition
from streams.events import Event, NewEvent
from streams.rules import Rule

REJECTED = "MatterRejected"

Handler = Callable[[Event], Awaitable[Sequence[NewEvent]]]


@dataclass(frozen=True, kw_only=True)
class Matter:
    """One 事项 a department performs."""

    department: str
    name: str
    display_name: str
    # One event type, or several that must all arrive for the same case (a join).
    triggers: tuple[str, ...]
    done: str
    emits: tuple[str, ...]
    sla_working_days: int
    materials: tuple[str, ...]
    handler: Handler
    when: Condition | None = None
    # Checked on the trigger before the handler runs, and on the application at submission (预审).
    rules: tuple[Rule, ...] = ()
    # Why a person must act (现场检查, 体检…); None: decided by data alone, approved at once (秒办).
    manual: str | None = None
    # How long the department usually takes, in working days (streams/handling.py); 0: at once.
    typical_working_days: float = 0.0

    @property
    def instant(self) -> bool:
        return self.manual is None

    @property
    def key(self) -> str:
        return f"{self.department}.{self.name}"

    @property
    def is_join(self) -> bool:
        return len(self.triggers) > 1

    @property
    def trigger(self) -> str:
        """The single trigger; a joined matter has several, so reading one of them is a mistake."""
        if self.is_join:
            raise ValueError(f"{self.key} is triggered by all of {', '.join(self.triggers)}; read .triggers")
        return self.triggers[0]

    @property
    def trigger_text(self) -> str:
        """``A`` or ``A + B`` (all of them), for listings and docs."""
        return " + ".join(self.triggers)


class _Declares:
    """What a department and an extension of one share: the ``matter`` decorator and the list it fills."""

    name: str
    matters: list[Matter]

    def matter(
        self,
        name: str,
        display_name: str,
        *,
        trigger: str | tuple[str, ...],
        done: str,
        sla_working_days: int,
        materials: Sequence[str] = (),
        also_emits: Sequence[str] = (),
        when: Condition | None = None,
        rules: Sequence[Rule] = (),
        manual: str | None = None,
        typical_working_days: float = 0.0,
    ) -> Callable[[Handler], Handler]:
        """Declare a matter. ``done`` is the event that completes it; every matter may reject.

        ``trigger`` is one event type, or a tuple meaning all of them for the same case (a join).
        ``rules`` are checked before the handler runs (and at submission by the flow's lead);
        ``manual`` says why a person must act, and leaves the matter out of 秒办.
        ``typical_working_days`` is how long the department usually takes, at most the SLA; each
        case draws its own around it when the worker runs with handling times (streams/handling.py).
        """
        triggers = (trigger,) if isinstance(trigger, str) else tuple(trigger)
        if not triggers or len(set(triggers)) != len(triggers):
            raise ValueError(f"{self.name}.{name}: triggers must be distinct and at least one")
        if not 0 <= typical_working_days <= sla_working_days:
            raise ValueError(
                f"{self.name}.{name}: typical_working_days must be between 0 and sla_working_days "
                f"({sla_working_days}), not {typical_working_days}"
            )

        def register(handler: Handler) -> Handler:
            if any(m.name == name for m in self.matters):
                raise ValueError(f"{self.name} declares matter {name!r} twice")
            self.matters.append(
                Matter(
                    department=self.name,
                    name=name,
                    display_name=display_name,
                    triggers=triggers,
                    done=done,
                    emits=(done, *also_emits, REJECTED),
                    sla_working_days=sla_working_days,
                    materials=tuple(materials),
                    handler=handler,
                    when=when,
                    rules=tuple(rules),
                    manual=manual,
                    typical_working_days=typical_working_days,
                )
            )
            return handler

        return register

    @property
    def triggers(self) -> list[str]:
        return sorted({t for m in self.matters for t in m.triggers})


class Department(_Declares):
    """A department: a name, a display name and the matters it performs."""

    def __init__(self, name: str, display_name: str, *, version: str = "1.0.0") -> None:
        self.name = name
        self.display_name = display_name
        self.version = version
        self.matters: list[Matter] = []

    @staticmethod
    def extend(name: str) -> DepartmentExtension:
        """Matters for the department ``name``, declared in another package (see DepartmentExtension)."""
        return DepartmentExtension(name)

    def merged(self, *extensions: DepartmentExtension) -> Department:
        """This department with the extensions' matters: one department, one agent, one processed table.

        A new object; raises ValueError when an extension names a matter the department already has.
        """
        merged = Department(self.name, self.display_name, version=self.version)
        merged.matters = list(self.matters)
        for extension in extensions:
            if extension.name != self.name:
                raise ValueError(f"an extension of {extension.name} cannot extend {self.name}")
            taken = {m.name for m in merged.matters} & {m.name for m in extension.matters}
            if taken:
                raise ValueError(f"{self.name} already has matter {', '.join(sorted(taken))}")
            merged.matters += extension.matters
        return merged

    def __repr__(self) -> str:
        return f"Department({self.name!r}, {self.display_name!r})"


class DepartmentExtension(_Declares):
    """Matters a package adds to a department declared elsewhere (人社 takes on 退休 matters).

        human_resources = DepartmentExtension("human_resources")

        @human_resources.matter("pension_start", "养老金待遇核定", trigger=..., done=..., sla_working_days=5)
        async def start_pension(event: Event) -> list[NewEvent]: ...

    Registered under the same ``onething.departments`` entry-point group as a department; discovery
    merges it into the department of that name, so results name the department that exists.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.matters: list[Matter] = []

    def __repr__(self) -> str:
        return f"DepartmentExtension({self.name!r})"


def reject(*reasons: str, missing_materials: Sequence[str] = ()) -> NewEvent:
    """Decline the matter, naming every reason at once (一次告知)."""
    return NewEvent(REJECTED, {"reasons": list(reasons), "missing_materials": list(missing_materials)})
