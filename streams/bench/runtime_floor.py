"""The runtime's own ceiling for one hop: a faust worker whose agent does no work at all.

The worker is built as `onething run` builds one (streams.runtime.create_app: the same consumer,
producer and commit settings) and runs the same agent shape (streams/pipeline.py: records of
different keys in flight together, acknowledged in order), but each record is only forwarded as it
came: no decoding, no dedupe, no handling, no state. What it reaches is what faust's path for one
record costs, the part of the hop that handling code cannot make faster.
Runs as its own process (``python -m streams.bench.runtime_floor``), as the worker does.
"""

from __future__ import annotations

import argparse
import sys

import faust

from streams.config import Settings
from streams.runtime import create_app, pipelined_records
from streams.startup import connect


def forward_all(app: faust.App, source: str, target: str) -> None:
    """An agent on ``source`` that sends each record's key and value to ``target``."""
    producer = app.producer

    async def forward(message: faust.types.Message) -> None:
        sent = await producer.send(target, message.key, message.value, None, None, None)
        await sent  # acknowledged by the broker, as a department's outputs are

    @app.agent(app.topic(source, key_serializer="raw", value_serializer="raw"), name="floor", concurrency=1)
    async def floor(stream: faust.StreamT) -> None:
        await pipelined_records(stream, forward)


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
