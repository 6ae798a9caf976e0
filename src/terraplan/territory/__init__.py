"""The territory: region registry, name matching, boundaries, layouts over time, spatial weights."""
