"""The demo audits the bundled synthetic log and its report shows the injected price bias and proxy."""

from __future__ import annotations

from brandrail.demo.fairness import section


def test_demo_shows_price_bias_and_proxy(tmp_path):
    result = section(tmp_path)
    rows = dict(result.summary)
    assert "FA005" in rows["findings"] and "FA007" in rows["findings"]
    assert rows["proxy"].startswith("zip3 ~ ethnicity")
    ratio = float(rows["price, ethnicity B vs A"].split("x")[0])
    assert 1.04 < ratio < 1.12  # injected: 8% markup
    page = (tmp_path / "fairness.html").read_text(encoding="utf-8")
    assert "mean price for ethnicity=&#x27;B&#x27;" in page
    assert "feature &#x27;zip3&#x27; stands in for &#x27;ethnicity&#x27;" in page
    assert result.reports == [tmp_path / "fairness.html"]
