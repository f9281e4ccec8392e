"""The runtime's own ceiling for one hop: a faust worker whose agent does no work at all.

The worker is built as `onething run` builds one (streams.runtime.create_app: the same consumer,
producer and commit settings) and runs the same agent loop (``batched_records``: records taken in
batches, every output of a batch sent before any is waited for), but each record is only forwarded
as it came: no decoding, no dedupe, no handling, no state. What it reaches is what faust's path for one
record costs, the part of the hop that handling code cannot make faster.
Runs as its own process (``python -m streams.bench.runtime_floor``), as the worker does.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

import faust

from streams.config import Settings
from streams.runtime import batched_records, create_app
from streams.startup import connect


def forward_all(app: faust.App, source: str, target: str) -> None:
    """An agent on ``source`` that sends each record's key and value to ``target``."""
    producer = app.producer

    async def forward(messages: list[faust.types.Message]) -> list[faust.types.Message]:
        sent = [await producer.send(target, m.key, m.value, None, None, None) for m in messages]
        await asyncio.gather(*sent)  # acknowledged by the broker, as a department's outputs are
        return messages

    @app.agent(app.topic(source, key_serializer="raw", value_serializer="raw"), name="floor", concurrency=1)
    async def floor(stream: faust.StreamT) -> None:
        await batched_records(stream, forward)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m streams.bench.runtime_floor")
    parser.add_argument("--source", required=True)
    parser.add_argument("--target", required=True)
    parser.add_argument("--app-id", required=True)
    args = parser.parse_args(argv)
    app = create_app(connect(Settings.from_env()), app_id=args.app_id)
    forward_all(app, args.source, args.target)
    faust.Worker(app, loglevel="INFO", quiet=True).execute_from_commandline()
    return 0


if __name__ == "__main__":
    sys.exit(main())
