"""CLI commands: analysis (see terraplan.cli)."""
