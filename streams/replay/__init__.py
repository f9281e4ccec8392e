"""Replay and audit: one case, issue, enterprise, flow or time window read back from the log."""
