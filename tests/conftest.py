"""Shared test settings.

Hypothesis runs without per-example deadlines: the CI machine has 2 cores and the timing of one
example says nothing about correctness.
"""

from hypothesis import settings

settings.register_profile("terraplan", deadline=None, max_examples=100)
settings.load_profile("terraplan")
