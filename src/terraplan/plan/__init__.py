"""The planning layer: plan files, the seven criteria and consistency checks, monitoring."""
