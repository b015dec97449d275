"""The policy file: models, YAML loading with file:line:col errors, ``extends:`` packs, version hash."""

from brandrail.policy.loader import builtin_packs, load_policy, loads_policy, policy_from_dict
from brandrail.policy.model import SCHEMA_VERSION, Policy

__all__ = ["SCHEMA_VERSION", "Policy", "builtin_packs", "load_policy", "loads_policy", "policy_from_dict"]
