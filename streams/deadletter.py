"""Dead letters: the original bytes, untouched, with why and where from in the headers.

Every record an agent reads ends either processed or here, with its reason. A letter whose
original bytes would not fit the broker's record limit is written as a reference instead: no
value, the source's topic, partition, offset and size in the headers, and a truncation mark, so
`onething deadletters replay` can fetch the original from its source topic.
"""

from __future__ import annotations

from dataclasses import dataclass

REASON = "x-dead-letter-reason"
KIND = "x-dead-letter-kind"
SOURCE_TOPIC = "x-source-topic"
SOURCE_PARTITION = "x-source-partition"
SOURCE_OFFSET = "x-source-offset"
SOURCE_SIZE = "x-source-size"
TRUNCATED = "x-dead-letter-truncated"
AGENT = "x-dead-letter-agent"
# Set on a record that `onething deadletters replay` put back on its source topic.
REPLAYED_FROM = "x-replayed-from"

# Kinds, so operators can count and replay by cause.
UNDECODABLE = "undecodable"
MISMATCHED_ENVELOPE = "mismatched-envelope"
HANDLER_FAILED = "handler-failed"
INVALID_OUTPUT = "invalid-output"
# The outputs could not be written (too large for the broker, for example).
PUBLISH_FAILED = "publish-failed"
# Anything else that went wrong in the agent: a bug in a condition, in the tracker, in the runtime.
AGENT_FAILED = "agent-failed"

# A reason is for people: long exception texts (which may quote a whole payload) are cut.
MAX_REASON_CHARS = 2000


@dataclass(frozen=True, slots=True)
class DeadLetter:
    kind: str
    reason: str

    def headers(
        self,
        *,
        agent: str,
        topic: str,
        partition: int,
        offset: int,
        size: int,
        truncated: bool = False,
    ) -> list[tuple[str, bytes]]:
        reason = self.reason
        if len(reason) > MAX_REASON_CHARS:
            reason = reason[: MAX_REASON_CHARS - 1] + "…"
        headers = [
            (KIND, self.kind.encode()),
            (REASON, reason.encode()),
            (AGENT, agent.encode()),
            (SOURCE_TOPIC, topic.encode()),
            (SOURCE_PARTITION, str(partition).encode()),
            (SOURCE_OFFSET, str(offset).encode()),
            (SOURCE_SIZE, str(size).encode()),
        ]
        if truncated:
            headers.append((TRUNCATED, b"true"))
        return headers


def header_map(headers: list[tuple[str, bytes]] | None) -> dict[str, str]:
    return {k: v.decode(errors="replace") for k, v in headers or []}
