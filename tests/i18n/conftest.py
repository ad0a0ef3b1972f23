"""The plan fixtures of tests/plans, for printing plans in every language."""

from tests.plans.conftest import goal, plan  # noqa: F401 (fixtures)
