"""CLI commands: layouts (see terraplan.cli)."""
