"""The baseline of one department hop: a plain aiokafka loop doing the same Avro work.

Consume a restaurant application, decode it (fastavro), build the licence event the department
would emit, encode it (fastavro), produce it with acks from all replicas, commit after each batch.
No dedupe, no state, no dead letters, no metrics: what the platform's hop is measured against.
Runs as its own process (``python -m streams.bench.raw_hop``), as the worker does.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import signal
import sys
import time
import uuid
from typing import Any

import fastavro
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from streams.contracts import default_catalog
from streams.identifiers import make_uscc
from streams.wire import frame, unframe

SOURCE = "gov.service_center.RestaurantApplicationSubmitted"
TARGET = "gov.market_regulation.BusinessLicenseIssued"
READY = "raw hop ready"


def licence(application: dict[str, Any]) -> dict[str, Any]:
    """What market_regulation's business_license matter emits for an eligible application."""
    cause, payload = application["envelope"], application["payload"]
    uscc = make_uscc(cause["case_id"])
    envelope = {
        "event_id": str(uuid.uuid4()),
        "event_type": TARGET,
        "occurred_at": int(time.time() * 1000),
        "case_id": cause["case_id"],
        "correlation_id": cause["correlation_id"],
        "causation_id": str(cause["event_id"]),
        "producer": {"department": "raw", "agent_version": "0"},
        "subject": uscc,
        "trace": cause["trace"],
    }
    return {
        "envelope": envelope,
        "payload": {
            "uscc": uscc,
            "business_name": payload["business_name"].strip(),
            "address": payload["address"],
            "premises_area_m2": payload["premises_area_m2"],
            "staff_count": payload["staff_count"],
            "signboard_text": payload["signboard_text"],
        },
    }


async def run(
    bootstrap: str, *, source_topic: str, target_topic: str, group: str, schema_id: int, partitions: int
) -> None:
    catalog = default_catalog()
    reader = fastavro.parse_schema(catalog[SOURCE].schema, named_schemas={})
    writer = fastavro.parse_schema(catalog[TARGET].schema, named_schemas={})
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False)
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await consumer.start()
    await producer.start()
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    try:
        assigned = [TopicPartition(source_topic, p) for p in range(partitions)]
        consumer.assign(assigned)
        await consumer.seek_to_end(*assigned)
        for tp in assigned:
            await consumer.position(tp)  # resolved now, so nothing produced after "ready" is missed
        print(READY, flush=True)
        while not stop.is_set():
            batches = await consumer.getmany(timeout_ms=100, max_records=500)
            futures = []
            for records in batches.values():
                for record in records:
                    _, body = unframe(record.value)
                    application = fastavro.schemaless_reader(io.BytesIO(body), reader, None)
                    out = io.BytesIO()
                    fastavro.schemaless_writer(out, writer, licence(application))
                    value = frame(schema_id, out.getvalue())
                    futures.append(await producer.send(target_topic, value, key=record.key))
            if futures:
                await asyncio.gather(*futures)
                await consumer.commit()
    finally:
        await producer.stop()
        await consumer.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m streams.bench.raw_hop")
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--source", required=True)
    parser.add_argument("--target", required=True)
    parser.add_argument("--group", required=True)
    parser.add_argument("--schema-id", type=int, required=True)
    parser.add_argument("--partitions", type=int, required=True)
    args = parser.parse_args(argv)
    asyncio.run(
        run(
            args.bootstrap,
            source_topic=args.source,
            target_topic=args.target,
            group=args.group,
            schema_id=args.schema_id,
            partitions=args.partitions,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
