"""The files of a new department's package, as templates (``string.Template``: ``$name``, ``${camel}``).

Placeholders: name (the department, e.g. pension), camel (Pension), package (onething_pension),
distribution (onething-pension), display_name, prefix (the approval number's letters).
"""

PYPROJECT = """\
[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "$distribution"
version = "0.1.0"
description = "$display_name: a OneThing department and its 一件事 flow"
requires-python = ">=3.11"
dependencies = ["onething"]

[project.optional-dependencies]
test = ["pytest", "pytest-asyncio"]

# How OneThing finds this package once it is installed: its department, its flow, its contracts.
[project.entry-points."onething.departments"]
$name = "$package.department:department"

[project.entry-points."onething.flows"]
$name = "$package.flow:flow"

[project.entry-points."onething.schemas"]
$name = "$package.schemas"

[tool.setuptools.packages.find]
include = ["$package*"]

[tool.setuptools.package-data]
$package = ["schemas/**/*.avsc"]

[tool.pytest.ini_options]
testpaths = ["tests"]
asyncio_mode = "auto"
asyncio_default_fixture_loop_scope = "function"
# kafka-python (under OneThing) loads its protocol schemas with importlib.resources APIs Python deprecates.
filterwarnings = [
    "ignore:read_text is deprecated:DeprecationWarning",
    "ignore:open_text is deprecated:DeprecationWarning",
]
"""

README = """\
# $display_name ($name)

A OneThing department and its 一件事 flow, plugged in as a package.

```sh
pip install -e .          # OneThing discovers the department, the flow and the contracts
onething graph --check    # the flow can run on the declared triggers
pytest                    # the department's tests, in memory
onething run --demo       # with the other departments, on the broker
```

- `$package/department.py`: the department, its matter and its handler
- `$package/flow.py`: the flow: its application, its steps, a sample applicant
- `$package/schemas/$name/`: the Avro contracts of its events (`<event>.v1/1.avsc`)
"""

INIT = '''\
"""$display_name ($name): a OneThing department and its 一件事 flow."""
'''

DEPARTMENT = '''\
"""$display_name: approves an application once its materials are complete."""

from __future__ import annotations

from streams import Department, Event, NewEvent, emit, reject

APPLICATION = "${camel}ApplicationSubmitted"
APPROVED = "${camel}Approved"
# Codes of the materials an applicant hands in.
MATERIALS = ("id_card", "application_form")

department = Department("$name", "$display_name")


@department.matter(
    "approval",
    "审批",
    trigger=APPLICATION,
    done=APPROVED,
    sla_working_days=5,
    materials=MATERIALS,
)
async def approve(event: Event) -> list[NewEvent]:
    missing = [code for code in MATERIALS if code not in event["materials"]]
    if missing:
        # 一次告知: every missing material named at once.
        return [reject("申请材料不全", missing_materials=missing)]
    return [emit(APPROVED, applicant=event["applicant"], approval_no="$prefix" + event.case_id[-8:])]
'''

FLOW = '''\
"""$display_name一件事: one application, one matter."""

from __future__ import annotations

from random import Random
from typing import Any

from streams import Flow, Step, tokenize_citizen_id

from $package.department import APPLICATION, MATERIALS


def application(**overrides: Any) -> dict[str, Any]:
    """A complete application; ``overrides`` change any field."""
    payload = {
        "applicant": tokenize_citizen_id("sample-applicant"),  # never the identity number itself
        "channel": "ONLINE",
        "materials": list(MATERIALS),
    }
    return payload | overrides


def sample(rng: Random) -> dict[str, Any]:
    """One realistic application for `onething simulate`: now and then a material short."""
    materials = [code for code in MATERIALS if rng.random() > 0.1]
    return application(
        applicant=tokenize_citizen_id(f"sample-{rng.getrandbits(64)}"),
        channel=rng.choice(("ONLINE", "ONLINE", "COUNTER", "SELF_SERVICE")),
        materials=materials,
    )


flow = Flow(
    name="$name",
    display_name="$display_name一件事",
    lead="$name",
    application=APPLICATION,
    steps=(Step(matter="$name.approval"),),
    sla_working_days=5,
    audience="individual",
    sample=sample,
)
'''

# The department's tests, on the platform's in-memory harness (streams.testing).
TESTS = '''\
"""$display_name: what the department answers, and the whole flow, in memory (no broker)."""

from random import Random

from streams.testing import Harness

from $package.department import APPLICATION, APPROVED, department
from $package.flow import application, flow


def test_a_complete_application_is_approved():
    [approved] = Harness([department]).give(APPLICATION, application())
    assert approved.type == APPROVED
    assert approved["applicant"] == application()["applicant"]


def test_every_missing_material_is_named_at_once():
    [rejected] = Harness([department]).give(APPLICATION, application(materials=[]))
    assert rejected.type == "MatterRejected"
    assert rejected["missing_materials"] == ["id_card", "application_form"]


def test_a_case_of_the_flow_completes():
    case = Harness.of_flow(flow).start(application())
    assert case.outcome.type == "CaseCompleted"


def test_every_sample_application_fits_its_contract():
    harness = Harness([department])
    for seed in range(20):
        harness.published(APPLICATION, flow.sample(Random(seed)))  # raises on a field that does not fit
'''

APPLICATION_SCHEMA = """\
{
  "type": "record",
  "name": "${camel}ApplicationSubmitted",
  "namespace": "gov.$name",
  "doc": "$display_name: the one application (一次提交).",
  "fields": [
    {"name": "envelope", "type": "onething.Envelope"},
    {"name": "payload", "type": {
      "type": "record", "name": "${camel}Application",
      "fields": [
        {"name": "applicant", "type": "string", "doc": "citizen token, never a raw identity number"},
        {"name": "channel",
         "type": {"type": "enum", "name": "Channel", "symbols": ["ONLINE", "COUNTER", "SELF_SERVICE"]}},
        {"name": "materials", "type": {"type": "array", "items": "string"},
         "doc": "Codes of the materials submitted"}
      ]}}
  ]
}
"""

APPROVED_SCHEMA = """\
{
  "type": "record",
  "name": "${camel}Approved",
  "namespace": "gov.$name",
  "doc": "$display_name: the application approved.",
  "fields": [
    {"name": "envelope", "type": "onething.Envelope"},
    {"name": "payload", "type": {
      "type": "record", "name": "${camel}Approval",
      "fields": [
        {"name": "applicant", "type": "string", "doc": "citizen token"},
        {"name": "approval_no", "type": "string"}
      ]}}
  ]
}
"""

GITIGNORE = """\
__pycache__/
*.egg-info/
build/
"""
