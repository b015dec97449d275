"""Fixtures for the integration tests: the test policy, a gate on a fresh SQLite file, the fake upstream."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from integ_testlib import POLICY

from brandrail.gate import Gate
from brandrail.integrations.fakeupstream import FakeReply, FakeUpstream
from brandrail.policy import Policy, loads_policy


@pytest.fixture
def policy() -> Policy:
    return loads_policy(POLICY, name="policy.yaml")


@pytest.fixture
def gate(policy: Policy, tmp_path: Path) -> Gate:
    return Gate(policy, store=f"sqlite:///{tmp_path / 'gate.db'}")


@pytest.fixture
def upstream() -> FakeUpstream:
    return FakeUpstream()


@pytest.fixture
def proxy_client(policy: Policy, gate: Gate, upstream: FakeUpstream) -> Callable[..., httpx.Client]:
    """proxy_client(*replies, policy=..., gate=...) → an httpx client talking to the proxy, whose upstream is the
    fake (in process)."""
    from brandrail.integrations.proxy import create_proxy_app

    def make(*replies: FakeReply | str, **kw: Any) -> Any:
        upstream.script(list(replies))
        app = create_proxy_app(
            kw.pop("policy", policy),
            gate=kw.pop("gate", gate),
            upstream_url="http://upstream.test/v1",
            api_key=kw.pop("api_key", "sk-test-secret-123"),
            transport=httpx.ASGITransport(app=upstream.app),
            offload=kw.pop("offload", False),
        )
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://proxy.test")

    return make
