"""Prometheus metrics of the service (``GET /metrics``, auditor role).

Counters and histograms are per process; with ``--workers N`` each worker answers with its own, unless
``PROMETHEUS_MULTIPROC_DIR`` is set (prometheus_client's multiprocess mode), in which case they are summed.
Gauges that read the database (approval queue length, ledger entries) are computed at scrape time.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["ServiceMetrics", "install"]

_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


_CODE = re.compile(r"[A-Z]{2}\d{3}")


class ServiceMetrics:
    """The service's metrics in their own registry (several apps in one process do not collide)."""

    def __init__(self) -> None:
        from prometheus_client import CollectorRegistry, Counter, Histogram

        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "brandrail_http_requests_total", "HTTP requests by method, route and status.",
            ["method", "route", "status"], registry=self.registry,
        )  # fmt: skip
        self.latency = Histogram(
            "brandrail_http_request_seconds", "HTTP request latency by route.", ["route"],
            buckets=_LATENCY_BUCKETS, registry=self.registry,
        )  # fmt: skip
        self.decisions = Counter(
            "brandrail_gate_decisions_total", "Gate decisions by verdict and action kind.", ["verdict", "kind"],
            registry=self.registry,
        )  # fmt: skip
        self.decision_latency = Histogram(
            "brandrail_gate_decision_seconds", "Time to decide one action (state and ledger write included).",
            buckets=_LATENCY_BUCKETS, registry=self.registry,
        )  # fmt: skip
        self.findings = Counter(
            "brandrail_gate_findings_total",
            "Gate findings by code: how often each cap, limit and rule fired (AG102: a campaign's daily cap).",
            ["code"],
            registry=self.registry,
        )
        self.checks = Counter(
            "brandrail_checks_total", "Content checks by verdict.", ["verdict"], registry=self.registry
        )
        self.approvals = Counter(
            "brandrail_approvals_answered_total",
            "Approval answers by answer.",
            ["answer"],
            registry=self.registry,
        )
        self.reloads = Counter(
            "brandrail_policy_reloads_total", "Policy reloads by result.", ["result"], registry=self.registry
        )
        self.console_sign_ins = Counter(
            "brandrail_console_sign_ins_total",
            "Reviewer console sign-in attempts by result (ok, invalid, forbidden, limited, csrf, error).",
            ["result"],
            registry=self.registry,
        )

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(route).observe(seconds)

    def observe_decision(self, decision: Any, seconds: float) -> None:
        data = decision.to_dict()
        kind = str((data.get("action") or {}).get("kind") or data.get("kind") or "unknown")[:40]
        self.decisions.labels(str(data.get("outcome", "unknown")), kind).inc()
        for code in {str(f.get("code")) for f in data.get("findings") or () if isinstance(f, dict)}:
            if _CODE.fullmatch(code):  # rule codes only: a bounded set of label values
                self.findings.labels(code).inc()
        self.decision_latency.observe(seconds)


def install(app: FastAPI, role: Any, metrics: ServiceMetrics, gate: Any) -> None:
    """Add ``GET /metrics`` (auditor)."""
    from fastapi import Depends  # noqa: F401 - role() returns a Depends
    from fastapi.responses import Response
    from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Gauge, generate_latest

    from brandrail.gate.principal import Principal

    @app.get("/metrics", tags=["operations"], response_class=Response, response_model=None)
    def scrape(_: Principal = role("auditor")) -> Response:
        """Prometheus metrics (auditor role; point the scraper at it with a bearer key)."""
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            from prometheus_client import multiprocess

            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
            body = generate_latest(registry)
        else:
            body = generate_latest(metrics.registry)
        live = CollectorRegistry()
        holder = app.state.brandrail["holder"]
        Gauge("brandrail_policy_info", "The policy being served.", ["version"], registry=live).labels(
            holder.policy.version[:12]
        ).set(1)
        if gate is not None:
            import sqlalchemy as sa

            from brandrail.gate.store import tables as t

            store = gate().store
            now = t.iso(datetime.now(UTC))
            with (
                store.reader() as conn
            ):  # a request past its expiry is no longer waiting: it cannot be answered
                pending = conn.execute(
                    sa.select(sa.func.count())
                    .select_from(t.approvals)
                    .where(t.approvals.c.status == "pending", t.approvals.c.expires_at > now)
                ).scalar_one()
            Gauge(
                "brandrail_approvals_pending", "Approval requests waiting for a reviewer.", registry=live
            ).set(pending)
            Gauge("brandrail_ledger_entries", "Entries in the ledger.", registry=live).set(
                store.ledger.count()
            )
        return Response(body + generate_latest(live), media_type=CONTENT_TYPE_LATEST)
