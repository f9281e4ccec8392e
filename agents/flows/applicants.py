"""The sample-data helpers live in streams.samples, so a plug-in needs no example agent; this name stays."""

from streams.samples import (  # noqa: F401
    CHANNELS,
    DISTRICTS,
    GIVEN_NAMES,
    INCOMPLETE_SHARE,
    INELIGIBLE_SHARE,
    SURNAMES,
    born,
    citizen,
    enterprise,
    person_name,
    today,
    vary,
    with_materials,
)
