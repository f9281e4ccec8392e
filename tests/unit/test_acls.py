"""The ACLs follow from the declarations: each department reaches its own topics and no others."""

from __future__ import annotations

from collections import defaultdict

from streams import discovery
from streams.acls import Grant, derive_acls, to_kafka
from streams.commands.acls import render
from streams.contracts import default_catalog
from streams.topics import DEAD_LETTER_TOPIC

CATALOG = default_catalog()
DEPARTMENTS = discovery.departments()
GRANTS = derive_acls(DEPARTMENTS, discovery.flows(), CATALOG)


def topics(principal: str, operation: str) -> set[str]:
    return {
        g.name
        for g in GRANTS
        if g.principal == principal and g.operation == operation and g.resource == "TOPIC"
        if g.pattern == "LITERAL"
    }


def test_a_department_writes_what_its_matters_emit_and_reads_its_triggers():
    assert topics("User:tax", "WRITE") == {
        "gov.tax.taxpayer_registered.v1",
        "gov.tax.tax_registration_updated.v1",
        "gov.tax.tax_registration_relocated.v1",
        "gov.tax.tax_cleared.v1",
        "gov.onething.matter_rejected.v1",
        DEAD_LETTER_TOPIC,
    }
    tax = next(d for d in DEPARTMENTS if d.name == "tax")
    assert topics("User:tax", "READ") == {CATALOG[t].topic for t in tax.triggers}
    assert "gov.market_regulation.transport_company_license_issued.v1" in topics("User:tax", "READ")


def test_a_department_has_its_own_group_and_internal_topics_only():
    groups = {g.name for g in GRANTS if g.principal == "User:tax" and g.resource == "GROUP"}
    assert groups == {"onething-tax"}
    prefixes = {g.name for g in GRANTS if g.pattern == "PREFIXED"}
    # The dash keeps housing's prefix from covering housing_fund's topics.
    assert "onething-housing-" in prefixes and "onething-housing_fund-" in prefixes
    assert all(p.endswith("-") for p in prefixes)


def test_no_department_may_write_another_departments_events():
    writers = defaultdict(set)
    for g in GRANTS:
        if g.operation == "WRITE" and g.pattern == "LITERAL":
            writers[g.name].add(g.principal)
    for department in DEPARTMENTS:
        own = {f"User:{department.name}"}
        for matter in department.matters:
            topic = CATALOG[matter.done].topic
            others = writers[topic] - own - {"User:tracker"}
            assert others == set() or topic.startswith("gov.issues."), (topic, others)
    assert "User:tax" not in writers["gov.market_regulation.business_license_issued.v1"]


def test_the_desk_writes_applications_only():
    desk = topics("User:service_center", "WRITE")
    assert "gov.service_center.restaurant_application_submitted.v1" in desk
    assert topics("User:service_center", "READ") == set()
    assert not any(t.startswith(("gov.market_regulation.", "gov.onething.")) for t in desk)


def test_nothing_is_granted_cluster_wide_or_to_everyone():
    assert {g.resource for g in GRANTS} == {"TOPIC", "GROUP"}
    assert all(g.principal.startswith("User:") and g.principal != "User:*" for g in GRANTS)
    assert {g.operation for g in GRANTS} <= {"READ", "WRITE", "CREATE"}


def test_grants_become_kafka_acls_and_a_table():
    acl = to_kafka(Grant("User:tax", "TOPIC", "PREFIXED", "onething-tax-", "CREATE"))
    assert (acl.principal, acl.host, acl.operation.name) == ("User:tax", "*", "CREATE")
    assert acl.resource_pattern.pattern_type.name == "PREFIXED"
    lines = render(GRANTS)
    assert lines[-1] == f"{len(GRANTS)} ACLs for {len({g.principal for g in GRANTS})} principals"
