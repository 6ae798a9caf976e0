"""CLI commands: plan (see terraplan.cli)."""
