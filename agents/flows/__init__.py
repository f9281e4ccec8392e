"""The 一件事 flows, one module per item: its `flow` declaration, a complete and eligible
`application(**overrides)`, and `sample(rng)` for simulations. Each is registered under the
`onething.flows` entry points in pyproject.toml.
"""

from agents.flows.restaurant import flow as open_restaurant  # the name earlier code imports

__all__ = ["open_restaurant"]
