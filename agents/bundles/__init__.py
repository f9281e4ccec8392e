"""一类事 bundles: industry bundles declared from existing flows, one module each, registered under
the `onething.bundles` entry points in pyproject.toml."""
