"""`onething new-agent`: a department's package, ready to install, with a flow and passing tests."""
