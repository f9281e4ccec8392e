"""The embedded Schema Registry: the Confluent REST subset we need, stored in a compacted topic.

Every worker may run one. They agree without talking to each other because
- schema ids are derived from the schema's normalized JSON, so equal schemas get equal ids;
- all state is a fold of the topic, and every request first reads the topic to its end, so each
  worker sees the others' writes;
- a registration appends a claim for version last+1 and reads to the end again: the first claim
  for a slot in log order owns it, and a loser retries on the next version. Claim keys are unique,
  so compaction never drops or reorders them and every worker, now or after a restart, folds the
  same order. Schema texts and compatibility levels are keyed by id and subject (latest wins).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
import signal
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.errors import KafkaError
from avro.schema import Schema

from streams import compatibility
from streams.config import Settings
from streams.registry.client import CONTENT_TYPE
from streams.security import aiokafka_options, kafka_options

log = logging.getLogger(__name__)

SCHEMAS_TOPIC = "_onething_schemas"
DEFAULT_LEVEL = "BACKWARD"
MAX_ID = 2**31 - 1
_CATCH_UP_TIMEOUT_S = 30.0
_REGISTER_ATTEMPTS = 10


# --- schema identity -------------------------------------------------------------------------


def normalize(schema: Schema) -> str:
    """The text that identifies a schema: avro's full JSON form with sorted keys, no spaces.

    Not the Parsing Canonical Form: that drops defaults, docs, aliases and logical types, which
    would give e.g. "field x without default" and "field x with default 0" the same id even though
    they differ for compatibility.
    """
    return json.dumps(schema.to_json(), sort_keys=True, separators=(",", ":"))


def derive_id(normalized: str, attempt: int = 0) -> int:
    """A positive 31-bit id from the schema text; attempt > 0 probes past a (rare) collision."""
    base = int.from_bytes(hashlib.sha256(normalized.encode()).digest()[:4], "big") & MAX_ID
    return (base - 1 + attempt) % MAX_ID + 1


# --- in-memory index (pure) --------------------------------------------------------------------


@dataclass
class Index:
    """The registry's state: the fold of the topic in log order."""

    schemas: dict[int, str] = field(default_factory=dict)
    subjects: dict[str, dict[int, int]] = field(default_factory=dict)  # subject -> version -> id
    levels: dict[str | None, str] = field(default_factory=dict)  # None is the global level
    _parsed: dict[int, Schema] = field(default_factory=dict, init=False, repr=False)

    def apply(self, key: bytes | None, value: bytes | None) -> None:
        if key is None or value is None:
            return  # we never write tombstones; nothing to undo
        try:
            doc = json.loads(value)
            kind = key.split(b":", 1)[0]
            if kind == b"schema":
                self.schemas[int(doc["id"])] = str(doc["schema"])
                self._parsed.pop(int(doc["id"]), None)
            elif kind == b"subject":
                # The first claim of a version owns it; later claims lost a race and are ignored.
                versions = self.subjects.setdefault(str(doc["subject"]), {})
                versions.setdefault(int(doc["version"]), int(doc["id"]))
            elif kind == b"config":
                self.levels[doc.get("subject")] = str(doc["compatibility"])
        except (ValueError, KeyError, TypeError):
            log.warning("skipping malformed registry record %r", key)

    def id_for(self, text: str) -> int:
        """The id this schema text has or would get: derived, probing past other schemas' ids."""
        for attempt in range(MAX_ID):
            candidate = derive_id(text, attempt)
            if self.schemas.get(candidate, text) == text:
                return candidate
        raise RuntimeError("schema id space exhausted")

    def parsed(self, schema_id: int) -> Schema:
        if schema_id not in self._parsed:
            self._parsed[schema_id] = compatibility.parse(self.schemas[schema_id])
        return self._parsed[schema_id]

    def versions(self, subject: str) -> dict[int, int]:
        """version -> id, oldest first; a claim whose schema text is not read yet waits for it."""
        claimed = self.subjects.get(subject, {})
        return {v: sid for v, sid in sorted(claimed.items()) if sid in self.schemas}

    def version_of(self, subject: str, text: str) -> tuple[int, int] | None:
        """(version, id) if this exact schema is already registered under the subject."""
        for version, schema_id in self.versions(subject).items():
            if self.schemas.get(schema_id) == text:
                return version, schema_id
        return None

    def level(self, subject: str | None) -> str:
        return self.levels.get(subject) or self.levels.get(None) or DEFAULT_LEVEL


# --- the topic ---------------------------------------------------------------------------------


def _ensure_topic(bootstrap_servers: str, topic: str, **client_options: Any) -> None:
    """Create the compacted single-partition topic unless it exists (blocking: run in a thread)."""
    from kafka.admin import KafkaAdminClient
    from kafka.errors import TopicAlreadyExistsError

    admin = KafkaAdminClient(
        bootstrap_servers=bootstrap_servers, client_id="onething-registry", **client_options
    )
    try:
        spec = {
            # One partition keeps a single total order; replication_factor -1 = broker default.
            "num_partitions": 1,
            "replication_factor": -1,
            "configs": {"cleanup.policy": "compact"},
        }
        admin.create_topics({topic: spec}, wait_for_metadata=True)
        log.info("created schema topic %s", topic)
    except TopicAlreadyExistsError:
        pass
    finally:
        admin.close()


class StoreError(RuntimeError):
    """The topic could not be read or written."""


class TopicLog:
    """Appends records to the schema topic and reads it to its current end."""

    def __init__(self, bootstrap_servers: str, topic: str, *, settings: Settings | None = None) -> None:
        self._bootstrap = bootstrap_servers
        self._topic = topic
        self._settings = settings  # only its client security is used
        self._tp = TopicPartition(topic, 0)
        self._producer: AIOKafkaProducer | None = None
        self._consumer: AIOKafkaConsumer | None = None
        # End offsets come from a second, idle client: on the reading consumer's connection they
        # would queue behind its long-polling fetch and take fetch_max_wait_ms (500 ms) each.
        self._offsets: AIOKafkaConsumer | None = None
        self._read_lock = asyncio.Lock()  # one reader of the shared consumer at a time

    async def start(self) -> None:
        settings = self._settings or Settings()
        await asyncio.to_thread(_ensure_topic, self._bootstrap, self._topic, **kafka_options(settings))
        self._producer = AIOKafkaProducer(
            bootstrap_servers=self._bootstrap,
            client_id="onething-registry",
            acks="all",
            enable_idempotence=True,
            **aiokafka_options(settings),
        )
        self._consumer, self._offsets = (
            AIOKafkaConsumer(
                bootstrap_servers=self._bootstrap,
                client_id="onething-registry",
                group_id=None,
                enable_auto_commit=False,
                **aiokafka_options(settings),
            )
            for _ in range(2)
        )
        for client in (self._producer, self._consumer, self._offsets):
            await client.start()
        self._consumer.assign([self._tp])
        await self._consumer.seek_to_beginning(self._tp)

    async def stop(self) -> None:
        for client in (self._consumer, self._offsets, self._producer):
            if client is not None:
                await client.stop()
        self._consumer = self._offsets = self._producer = None

    async def read_to_end(self, apply: Callable[[bytes | None, bytes | None], None]) -> None:
        """Feed every record up to the end offset as of now into apply, in log order.

        Records are applied together once the end is reached, so handlers running meanwhile
        never see a half-read state.
        """
        consumer = self._running(self._consumer)
        offsets = self._running(self._offsets)
        records: list[tuple[bytes | None, bytes | None]] = []
        async with self._read_lock:
            try:
                async with asyncio.timeout(_CATCH_UP_TIMEOUT_S):
                    end = (await offsets.end_offsets([self._tp]))[self._tp]
                    while await consumer.position(self._tp) < end:
                        batch = await consumer.getmany(self._tp, timeout_ms=500)
                        records += [(r.key, r.value) for r in batch.get(self._tp, [])]
            except (KafkaError, TimeoutError) as exc:
                raise StoreError(f"cannot read {self._topic}: {exc!r}") from exc
            for key, value in records:
                apply(key, value)

    async def append(self, records: list[tuple[str, dict[str, Any]]]) -> None:
        producer = self._running(self._producer)
        try:
            for key, value in records:
                await producer.send_and_wait(
                    self._topic,
                    key=key.encode(),
                    value=json.dumps(value, sort_keys=True).encode(),
                    partition=0,
                )
        except KafkaError as exc:
            raise StoreError(f"cannot write {self._topic}: {exc!r}") from exc

    @staticmethod
    def _running(client: Any) -> Any:
        if client is None:
            raise StoreError("schema registry is not started")
        return client


# --- HTTP --------------------------------------------------------------------------------------


class ApiError(Exception):
    """An error answered in Confluent's shape: {"error_code": ..., "message": ...}."""

    def __init__(self, status: int, error_code: int, message: str) -> None:
        super().__init__(message)
        self.status, self.error_code, self.message = status, error_code, message


UNAUTHORIZED = 40101


def _check_token(request: web.Request, token: str) -> None:
    """Refuse a write that does not carry the registry's bearer token (Confluent's 401 shape)."""
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    # Constant-time comparison: the answer's timing must not reveal how much of a guess was right.
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise ApiError(401, UNAUTHORIZED, "Unauthorized: schema registry writes need a bearer token")


def _subject_not_found(subject: str) -> ApiError:
    return ApiError(404, 40401, f"Subject '{subject}' not found.")


def _reply(data: Any, status: int = 200) -> web.Response:
    return web.json_response(data, status=status, content_type=CONTENT_TYPE)


def _flag(request: web.Request, name: str) -> bool:
    # Confluent's Python client sends Python booleans as "True"/"False".
    return request.query.get(name, "false").lower() == "true"


def _version_arg(raw: str) -> int | None:
    """A positive version number, or None for latest."""
    if raw in ("latest", "-1"):
        return None
    try:
        version = int(raw)
    except ValueError:
        version = 0
    if not 1 <= version <= MAX_ID:
        raise ApiError(
            422,
            42202,
            f"The specified version '{raw}' is not a valid version id. "
            f'Allowed values are between [1, {MAX_ID}] and the string "latest"',
        )
    return version


def _level_arg(body: dict[str, Any]) -> str:
    level = str(body.get("compatibility", "")).upper()
    if level not in compatibility.LEVELS:
        valid = ", ".join(lvl.lower() for lvl in compatibility.LEVELS)
        raise ApiError(422, 42203, f"Invalid compatibility level. Valid values are {valid}")
    return level


async def _json_body(request: web.Request) -> dict[str, Any]:
    # Accept any content type: Confluent clients send application/vnd.schemaregistry.v1+json.
    raw = await request.read()
    try:
        body = json.loads(raw) if raw else {}
    except ValueError as exc:
        raise ApiError(400, 400, f"Malformed JSON body: {exc}") from None
    if not isinstance(body, dict):
        raise ApiError(400, 400, "Request body must be a JSON object")
    return body


def _schema_arg(body: dict[str, Any]) -> tuple[Schema, str]:
    schema_type = body.get("schemaType") or "AVRO"
    if schema_type != "AVRO":
        raise ApiError(422, 42201, f"Invalid schema: schema type {schema_type} is not supported")
    if body.get("references"):
        raise ApiError(422, 42201, "Invalid schema: schema references are not supported")
    text = body.get("schema")
    if not isinstance(text, str) or not text.strip():
        raise ApiError(422, 42201, "Invalid schema: empty schema")
    try:
        parsed = compatibility.parse(text)
    except compatibility.InvalidSchemaError as exc:
        raise ApiError(422, 42201, f"Invalid schema: {exc}") from None
    return parsed, normalize(parsed)


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def _errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except ApiError as exc:
        return _reply({"error_code": exc.error_code, "message": exc.message}, exc.status)
    except web.HTTPException as exc:  # unknown route, wrong method
        return _reply({"error_code": exc.status, "message": f"HTTP {exc.status} {exc.reason}"}, exc.status)
    except StoreError as exc:
        log.error("schema store failure: %s", exc)
        return _reply({"error_code": 50001, "message": f"Error in the backend data store: {exc}"}, 500)


class SchemaRegistryServer:
    """Serves the registry API on host:port from the schema topic; start() inside any loop."""

    def __init__(
        self,
        *,
        bootstrap_servers: str,
        host: str = "127.0.0.1",
        port: int = 18081,
        topic: str = SCHEMAS_TOPIC,
        token: str = "",
        settings: Settings | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.topic = topic
        self.index = Index()
        # Non-empty: registering schemas and changing levels need `Authorization: Bearer <token>`.
        self._token = token
        self._log = TopicLog(bootstrap_servers, topic, settings=settings)
        self._write_lock = asyncio.Lock()
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def start(self) -> None:
        try:
            await self._log.start()
            await self._sync()
            self._runner = web.AppRunner(self._app(), access_log=None)
            await self._runner.setup()
            await web.TCPSite(self._runner, self.host, self.port).start()
        except BaseException:
            await self.stop()
            raise
        self.port = self._runner.addresses[0][1]  # the real port when asked for port 0
        log.info("schema registry serving %s from topic %s", self.url, self.topic)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        await self._log.stop()

    async def _sync(self) -> None:
        await self._log.read_to_end(self.index.apply)

    def _app(self) -> web.Application:
        app = web.Application(middlewares=[_errors])
        get, post, put = web.get, web.post, web.put
        # Lookups and compatibility tests are POSTs that change nothing: they stay open like reads.
        register, put_config = self._guarded(self._register), self._guarded(self._put_config)
        app.add_routes(
            [
                get("/", self._root),
                get("/schemas/types", self._types),
                get("/schemas/ids/{id}", self._schema_by_id),
                get("/schemas/ids/{id}/versions", self._versions_by_id),
                get("/schemas/ids/{id}/subjects", self._subjects_by_id),
                get("/subjects", self._subjects),
                post("/subjects/{subject}", self._lookup),
                get("/subjects/{subject}/versions", self._versions),
                post("/subjects/{subject}/versions", register),
                get("/subjects/{subject}/versions/{version}", self._version),
                get("/subjects/{subject}/versions/{version}/schema", self._version_schema),
                post("/compatibility/subjects/{subject}/versions", self._test),
                post("/compatibility/subjects/{subject}/versions/{version}", self._test),
                get("/config", self._get_config),
                put("/config", put_config),
                get("/config/{subject}", self._get_config),
                put("/config/{subject}", put_config),
            ]
        )
        return app

    def _guarded(self, handler: Handler) -> Handler:
        """The handler, behind the bearer token when the registry has one."""
        if not self._token:
            return handler

        async def guarded(request: web.Request) -> web.StreamResponse:
            _check_token(request, self._token)
            return await handler(request)

        return guarded

    # -- reads ---------------------------------------------------------------------------------

    async def _root(self, request: web.Request) -> web.Response:
        return _reply({})

    async def _types(self, request: web.Request) -> web.Response:
        return _reply(["AVRO"])

    async def _schema_id(self, request: web.Request) -> int:
        await self._sync()
        try:
            schema_id = int(request.match_info["id"])
        except ValueError:
            schema_id = -1
        if schema_id not in self.index.schemas:
            raise ApiError(404, 40403, f"Schema {request.match_info['id']} not found")
        return schema_id

    async def _schema_by_id(self, request: web.Request) -> web.Response:
        schema_id = await self._schema_id(request)
        return _reply({"schema": self.index.schemas[schema_id]})

    def _uses(self, schema_id: int) -> list[tuple[str, int]]:
        return [
            (subject, version)
            for subject in sorted(self.index.subjects)
            for version, sid in self.index.versions(subject).items()
            if sid == schema_id
        ]

    async def _versions_by_id(self, request: web.Request) -> web.Response:
        schema_id = await self._schema_id(request)
        return _reply([{"subject": s, "version": v} for s, v in self._uses(schema_id)])

    async def _subjects_by_id(self, request: web.Request) -> web.Response:
        schema_id = await self._schema_id(request)
        return _reply(list(dict.fromkeys(s for s, _ in self._uses(schema_id))))

    async def _subjects(self, request: web.Request) -> web.Response:
        await self._sync()
        prefix = request.query.get("subjectPrefix", "")
        subjects = [s for s in self.index.subjects if s.startswith(prefix) and self.index.versions(s)]
        return _reply(sorted(subjects))

    async def _subject_versions(self, subject: str) -> dict[int, int]:
        await self._sync()
        versions = self.index.versions(subject)
        if not versions:
            raise _subject_not_found(subject)
        return versions

    async def _versions(self, request: web.Request) -> web.Response:
        return _reply(list(await self._subject_versions(request.match_info["subject"])))

    async def _pick(self, request: web.Request) -> tuple[str, int, int]:
        """(subject, version, id) named by the path."""
        subject = request.match_info["subject"]
        wanted = _version_arg(request.match_info["version"])
        versions = await self._subject_versions(subject)
        version = max(versions) if wanted is None else wanted
        if version not in versions:
            raise ApiError(404, 40402, f"Version {version} not found.")
        return subject, version, versions[version]

    def _registered(self, subject: str, version: int, schema_id: int) -> dict[str, Any]:
        schema = self.index.schemas[schema_id]
        return {"subject": subject, "version": version, "id": schema_id, "schema": schema}

    async def _version(self, request: web.Request) -> web.Response:
        return _reply(self._registered(*await self._pick(request)))

    async def _version_schema(self, request: web.Request) -> web.Response:
        _, _, schema_id = await self._pick(request)
        return web.Response(text=self.index.schemas[schema_id], content_type=CONTENT_TYPE)

    async def _lookup(self, request: web.Request) -> web.Response:
        subject = request.match_info["subject"]
        _, text = _schema_arg(await _json_body(request))
        await self._subject_versions(subject)
        found = self.index.version_of(subject, text)
        if found is None:
            raise ApiError(404, 40403, "Schema not found")
        return _reply(self._registered(subject, *found))

    def _problems(self, subject: str, parsed: Schema, against: list[int] | None) -> list[str]:
        """Problems of parsed against the subject's versions (None: as its level prescribes)."""
        level = self.index.level(subject)
        versions = self.index.versions(subject)
        if against is not None:
            # One chosen version: transitivity has nothing to add.
            level = level.removesuffix("_TRANSITIVE")
            versions = {v: versions[v] for v in against}
        history = [self.index.parsed(sid) for sid in versions.values()]
        return compatibility.problems(level, parsed, history)

    async def _test(self, request: web.Request) -> web.Response:
        subject = request.match_info["subject"]
        raw_version = request.match_info.get("version", "latest")
        parsed, _ = _schema_arg(await _json_body(request))
        wanted = _version_arg(raw_version)
        await self._sync()
        if wanted is None:
            problems = self._problems(subject, parsed, None)  # no subject yet: nothing to break
        else:
            _, version, _ = await self._pick(request)
            problems = self._problems(subject, parsed, [version])
        answer: dict[str, Any] = {"is_compatible": not problems}
        if _flag(request, "verbose"):
            answer["messages"] = problems
        return _reply(answer)

    async def _get_config(self, request: web.Request) -> web.Response:
        await self._sync()
        subject = request.match_info.get("subject")
        if subject is None or _flag(request, "defaultToGlobal"):
            return _reply({"compatibilityLevel": self.index.level(subject)})
        if subject not in self.index.levels:
            raise ApiError(
                404,
                40408,
                f"Subject '{subject}' does not have subject-level compatibility configured",
            )
        return _reply({"compatibilityLevel": self.index.levels[subject]})

    # -- writes --------------------------------------------------------------------------------

    async def _put_config(self, request: web.Request) -> web.Response:
        subject = request.match_info.get("subject")
        level = _level_arg(await _json_body(request))
        key = "config:_global" if subject is None else f"config:subject:{subject}"
        async with self._write_lock:
            await self._log.append([(key, {"subject": subject, "compatibility": level})])
            await self._sync()
        return _reply({"compatibility": level})

    async def _register(self, request: web.Request) -> web.Response:
        subject = request.match_info["subject"]
        parsed, text = _schema_arg(await _json_body(request))
        async with self._write_lock:
            schema_id = await self._claim(subject, parsed, text)
        return _reply({"id": schema_id})

    async def _claim(self, subject: str, parsed: Schema, text: str) -> int:
        for _ in range(_REGISTER_ATTEMPTS):
            await self._sync()
            found = self.index.version_of(subject, text)
            if found is not None:
                return found[1]
            problems = self._problems(subject, parsed, None)
            if problems:
                raise ApiError(
                    409,
                    409,
                    f"Schema being registered is incompatible with an earlier schema for subject "
                    f"'{subject}' (level {self.index.level(subject)}), details: " + "; ".join(problems),
                )
            schema_id = self.index.id_for(text)
            version = max(self.index.versions(subject), default=0) + 1
            records: list[tuple[str, dict[str, Any]]] = []
            if schema_id not in self.index.schemas:
                records.append((f"schema:{schema_id}", {"id": schema_id, "schema": text}))
            # Schema first, so a version never points at an id nobody can resolve. The claim key
            # is unique so that compaction keeps every claim, in order (see the module doc).
            claim = {"subject": subject, "version": version, "id": schema_id}
            records.append((f"subject:{subject}:{version}:{uuid.uuid4().hex}", claim))
            await self._log.append(records)
            await self._sync()
            if self.index.schemas.get(schema_id) == text and (
                self.index.versions(subject).get(version) == schema_id
            ):
                log.info("registered %s version %d as id %d", subject, version, schema_id)
                return schema_id
            log.info("lost the race for %s version %d; retrying", subject, version)
        raise StoreError(f"could not claim a version of {subject} in {_REGISTER_ATTEMPTS} tries")


# --- standalone --------------------------------------------------------------------------------


def serve_forever(settings: Settings, *, host: str = "127.0.0.1") -> None:
    """Run the registry alone (`onething registry serve`) until SIGINT or SIGTERM."""
    asyncio.run(_serve(settings, host))


async def _serve(settings: Settings, host: str) -> None:
    server = SchemaRegistryServer(
        bootstrap_servers=settings.bootstrap_servers,
        host=host,
        port=settings.registry_port,
        token=settings.registry_token,
        settings=settings,
    )
    await server.start()
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # not on Windows
            loop.add_signal_handler(sig, stopping.set)
    try:
        await stopping.wait()
    finally:
        await server.stop()
