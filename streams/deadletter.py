"""Dead letters: the original bytes, untouched, with why and where from in the headers."""

from __future__ import annotations

from dataclasses import dataclass

REASON = "x-dead-letter-reason"
KIND = "x-dead-letter-kind"
SOURCE_TOPIC = "x-source-topic"
SOURCE_PARTITION = "x-source-partition"
SOURCE_OFFSET = "x-source-offset"
AGENT = "x-dead-letter-agent"

# Kinds, so operators can count and replay by cause.
UNDECODABLE = "undecodable"
HANDLER_FAILED = "handler-failed"
INVALID_OUTPUT = "invalid-output"


@dataclass(frozen=True, slots=True)
class DeadLetter:
    kind: str
    reason: str

    def headers(self, *, agent: str, topic: str, partition: int, offset: int) -> list[tuple[str, bytes]]:
        return [
            (KIND, self.kind.encode()),
            (REASON, self.reason.encode()),
            (AGENT, agent.encode()),
            (SOURCE_TOPIC, topic.encode()),
            (SOURCE_PARTITION, str(partition).encode()),
            (SOURCE_OFFSET, str(offset).encode()),
        ]


def header_map(headers: list[tuple[str, bytes]] | None) -> dict[str, str]:
    return {k: v.decode() for k, v in headers or []}
