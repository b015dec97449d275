"""The creative demo section runs on the bundled data and shows what it should."""

from __future__ import annotations

from pathlib import Path

from brandrail.creative import analyse_image
from brandrail.demo import data_path
from brandrail.demo.creative import draw_off_brand_banner, draw_on_brand_post, section
from brandrail.policy import load_policy


def test_demo_section(tmp_path: Path) -> None:
    result = section(tmp_path)
    summary = dict(result.summary)
    assert summary["on-brand post"] == "passed"
    assert "BR701" in summary["off-brand banner"]
    assert (tmp_path / "creative-report.html").exists()
    assert (tmp_path / "creative" / "social-autumn-post.png").exists()
    assert "swatch" in (tmp_path / "creative-report.html").read_text(encoding="utf-8")


def test_demo_images_are_deterministic_and_as_designed() -> None:
    policy = load_policy(data_path("fernhill", "creative", "creative.yaml"))
    import io

    def png(img: object) -> bytes:
        buf = io.BytesIO()
        img.save(buf, "PNG")  # type: ignore[attr-defined]
        return buf.getvalue()

    assert png(draw_on_brand_post(216)) == png(draw_on_brand_post(216))
    on = analyse_image("post.png", png(draw_on_brand_post(216)), policy)
    off = analyse_image("banner.png", png(draw_off_brand_banner(280, 80)), policy)
    assert on.off_palette_share < 0.02
    assert off.off_palette_share > 0.8
