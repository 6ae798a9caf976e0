"""CLI commands: report (see terraplan.cli)."""
