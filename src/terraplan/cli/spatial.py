"""CLI commands: spatial (see terraplan.cli)."""
