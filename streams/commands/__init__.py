"""`onething` subcommands that read the declarations and the log: lists, graph check, docs, report.

Each module with a ``register(commands)`` is named in ``streams.cli.COMMAND_MODULES``; the pure
parts (analysis, rendering, measurement) live in their own modules so tests and the dashboard can
use them without a broker.
"""
