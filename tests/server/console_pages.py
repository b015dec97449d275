"""Page objects of the reviewer console (``/console``) for the Playwright tests."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

SHOTS = os.environ.get("BRANDRAIL_SCREENSHOTS")  # a folder: save a screenshot of each page there


class ConsolePage:
    """What every console page has: the header (who is signed in, navigation) and screenshots."""

    def __init__(self, page: Any, base_url: str) -> None:
        self.page = page
        self.base = base_url

    def shot(self, name: str) -> None:
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(Path(SHOTS) / f"console-{name}.png"), full_page=True)

    @property
    def signed_in_as(self) -> str:
        return str(self.page.get_by_test_id("me").inner_text())

    def sign_out(self) -> LoginPage:
        self.page.get_by_role("button", name="Sign out", exact=True).click()
        self.page.wait_for_url("**/console/login")
        return LoginPage(self.page, self.base)

    def sign_out_everywhere(self) -> LoginPage:
        self.page.get_by_role("button", name="Sign out everywhere").click()
        self.page.wait_for_url("**/console/login")
        return LoginPage(self.page, self.base)

    def go_history(self) -> HistoryPage:
        self.page.get_by_role("link", name="History").click()
        self.page.wait_for_url("**/console/history**")
        return HistoryPage(self.page, self.base)

    def go_ledger(self) -> LedgerPage:
        self.page.get_by_role("link", name="Ledger").click()
        self.page.wait_for_url("**/console/ledger")
        return LedgerPage(self.page, self.base)

    def go_taints(self) -> TaintsPage:
        self.page.get_by_role("link", name="Taints", exact=True).click()
        self.page.wait_for_url("**/console/taints**")
        return TaintsPage(self.page, self.base)

    def go_queue(self) -> QueuePage:
        self.page.get_by_role("link", name="Queue", exact=True).first.click()
        self.page.wait_for_url("**/console")
        return QueuePage(self.page, self.base)


class LoginPage(ConsolePage):
    @classmethod
    def open(cls, page: Any, base_url: str) -> LoginPage:
        page.goto(f"{base_url}/console")  # not signed in: redirected to the sign-in page
        page.wait_for_url("**/console/login**")
        return cls(page, base_url)

    def submit(self, key: str) -> None:
        self.page.get_by_label("API key").fill(key)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_load_state()

    def sign_in(self, key: str) -> QueuePage:
        self.submit(key)
        self.page.wait_for_url("**/console")
        return QueuePage(self.page, self.base)

    @property
    def error(self) -> str:
        return str(self.page.get_by_role("alert").inner_text())


class QueuePage(ConsolePage):
    @property
    def pending_count(self) -> int:
        return int(self.page.get_by_test_id("pending-count").inner_text())

    def approval_ids(self) -> list[str]:
        links = self.page.get_by_test_id("approval-link")
        return [str(links.nth(i).get_attribute("href")).rsplit("/", 1)[-1] for i in range(links.count())]

    def open(self, approval_id: str) -> ApprovalPage:
        self.page.locator(f'a[href="/console/approvals/{approval_id}"]').click()
        self.page.wait_for_url(f"**/console/approvals/{approval_id}")
        return ApprovalPage(self.page, self.base)


class ApprovalPage(ConsolePage):
    @property
    def status(self) -> str:
        return str(self.page.get_by_test_id("status").inner_text())

    def finding_codes(self) -> list[str]:
        cells = self.page.locator("[data-testid=finding-code]")
        return [str(cells.nth(i).inner_text()) for i in range(cells.count())]

    def highlighted(self) -> list[str]:
        marks = self.page.locator("[data-testid=content] mark, [data-testid=subject] mark")
        return [str(marks.nth(i).inner_text()) for i in range(marks.count())]

    def caps_rows(self) -> dict[str, str]:
        """The caps and budget table: rule → its figures."""
        rows = self.page.locator("[data-testid=caps] tr")
        out = {}
        for i in range(1, rows.count()):
            cells = rows.nth(i).locator("td")
            out[str(cells.nth(0).inner_text()).strip()] = " ".join(str(cells.nth(1).inner_text()).split())
        return out

    @property
    def preview(self) -> Any:
        return self.page.locator("iframe[title='message preview']")

    def preview_text(self) -> str:
        return str(self.page.frame_locator("iframe[title='message preview']").locator("body").inner_text())

    def approve(self, reason: str) -> None:
        self.page.get_by_label("reason for approving").fill(reason)
        self.page.get_by_role("button", name="Approve").click()
        self.page.wait_for_load_state()

    @property
    def error(self) -> str:
        return str(self.page.get_by_test_id("error").inner_text())

    @property
    def done(self) -> str:
        return str(self.page.get_by_test_id("done").inner_text())


class HistoryPage(ConsolePage):
    def filter(self, **fields: str) -> HistoryPage:
        for name, value in fields.items():
            if name == "status":
                self.page.get_by_label("status").select_option(value)
            else:
                self.page.get_by_label(name).fill(value)
        self.page.get_by_role("button", name="Filter").click()
        self.page.wait_for_load_state()
        return self

    def rows(self) -> list[dict[str, str]]:
        rows = self.page.locator("[data-testid=history-row]")
        out = []
        for i in range(rows.count()):
            cells = rows.nth(i).locator("td")
            out.append(
                {
                    "status": str(cells.nth(1).inner_text()),
                    "kind": str(cells.nth(2).inner_text()),
                    "agent": str(cells.nth(3).inner_text()),
                    "reviewer": str(cells.nth(4).inner_text()),
                    "reason": str(cells.nth(5).inner_text()),
                }
            )
        return out


class LedgerPage(ConsolePage):
    @property
    def status(self) -> str:
        return str(self.page.get_by_test_id("ledger-status").inner_text())


class TaintsPage(ConsolePage):
    def callers(self) -> list[str]:
        links = self.page.get_by_test_id("taint-link")
        return [str(links.nth(i).inner_text()) for i in range(links.count())]

    def filter(self, state: str) -> TaintsPage:
        self.page.get_by_label("state").select_option(state)
        self.page.get_by_role("button", name="Filter").click()
        self.page.wait_for_load_state()
        return self

    def open(self, key: str) -> TaintPage:
        self.page.get_by_test_id("taint-link").filter(has_text=key).click()
        self.page.wait_for_url("**/console/taints/**")
        return TaintPage(self.page, self.base)


class TaintPage(ConsolePage):
    @property
    def status(self) -> str:
        return str(self.page.get_by_test_id("taint-status").inner_text())

    def result_tools(self) -> list[str]:
        cells = self.page.get_by_test_id("result-tool")
        return [str(cells.nth(i).inner_text()) for i in range(cells.count())]

    def covers(self) -> dict[str, bool]:
        """The lift form's result boxes: digest → ticked."""
        boxes = self.page.locator("input[name=covers]")
        return {
            str(boxes.nth(i).get_attribute("value")): boxes.nth(i).is_checked() for i in range(boxes.count())
        }

    def untick(self, digest: str) -> None:
        self.page.locator(f"input[name=covers][value='{digest}']").uncheck()

    def lift(self, reason: str, cover_for: str | None = None) -> None:
        if cover_for is not None:
            self.page.get_by_label("cover for").fill(cover_for)
        self.page.get_by_label("reason for lifting").fill(reason)
        self.page.get_by_role("button", name="Lift").click()
        self.page.wait_for_load_state()

    @property
    def error(self) -> str:
        return str(self.page.get_by_test_id("error").inner_text())

    @property
    def done(self) -> str:
        return str(self.page.get_by_test_id("done").inner_text())
