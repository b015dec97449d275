import pytest

from brandrail.policy import loads_policy

GOALS_POLICY = """
goals:
  objective: {name: net_revenue, pre_column: pre_revenue}
  proxies:
    - {name: opened, kind: proportion}
    - {name: clicked, kind: proportion}
  guardrails:
    - {name: unsubscribed, kind: proportion, higher_is_better: false, margin: 0.002}
  experiment: {segments: [customer_type]}
  ope:
    proxy_reward: proxy
    goal_reward: goal
    features: [x1, x2, segment]
    bootstrap: 200
"""


@pytest.fixture
def goals_policy():
    return loads_policy(GOALS_POLICY)


@pytest.fixture
def policy_text():
    return GOALS_POLICY
