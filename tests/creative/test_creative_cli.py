"""`brandrail check` on images and HTML e-mails, in every output format, and its exit codes."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from brandrail.cli import app

POLICY = """\
version: 1
brand:
  website: https://fernhill.example
  postal_address: 12 Quarry Lane, Kendal LA9 4XY
creative:
  palette:
    - {name: Fern, hex: "#2f6b3b"}
  images:
    social: {min_width: 1080, aspect_ratios: ["1:1"]}
channels:
  social: {kind: social}
"""

EMAIL = """<html><body>
<div style="display:none">A preview line that is long enough for the inbox list view.</div>
<p style="color:#cccccc">Pale text</p>
<p>12 Quarry Lane, Kendal LA9 4XY</p>
<a href="https://fernhill.example/unsubscribe">Unsubscribe</a>
</body></html>
"""


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "brandrail.yaml").write_text(POLICY, encoding="utf-8")
    arr = np.zeros((100, 200, 3), dtype=np.uint8)
    arr[:, :100] = (0x2F, 0x6B, 0x3B)
    arr[:, 100:] = (230, 0, 200)
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, "PNG")
    (tmp_path / "banner.png").write_bytes(buf.getvalue())
    (tmp_path / "mail.html").write_text(EMAIL, encoding="utf-8")
    return tmp_path


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_json_output_for_image_and_email(files: Path) -> None:
    code, out = invoke(
        "check",
        str(files / "banner.png"),
        str(files / "mail.html"),
        "-p",
        str(files / "brandrail.yaml"),
        "-f",
        "json",
    )
    assert code == 1, out
    data = json.loads(out)
    found = {Path(r["path"]).name: [f["code"] for f in r["findings"]] for r in data["results"]}
    assert found["banner.png"] == ["BR701"]
    assert found["mail.html"] == ["BR710"]
    (image,) = [r for r in data["results"] if r["path"].endswith("banner.png")]
    swatch = image["findings"][0]["evidence"]["swatches"][0]
    assert swatch["share"] == pytest.approx(0.5, abs=0.02) and swatch["hex"].startswith("#")


def test_channel_selects_the_image_spec(files: Path) -> None:
    code, out = invoke(
        "check", str(files / "banner.png"), "-p", str(files / "brandrail.yaml"), "-c", "social", "-f", "json"
    )
    assert code == 1
    codes = [f["code"] for r in json.loads(out)["results"] for f in r["findings"]]
    assert sorted(codes) == ["BR701", "BR702", "BR703"]


@pytest.mark.parametrize("fmt", ["text", "sarif", "github"])
def test_other_formats(files: Path, fmt: str) -> None:
    code, out = invoke("check", str(files), "-p", str(files / "brandrail.yaml"), "-f", fmt)
    assert code == 1
    assert "BR701" in out and "BR710" in out


def test_html_report_shows_swatches(files: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "report"
    code, _ = invoke(
        "check", str(files), "-p", str(files / "brandrail.yaml"), "-f", "html", "-o", str(out_dir)
    )
    assert code == 1
    page = (out_dir / "report.html").read_text(encoding="utf-8")
    assert 'class="swatch"' in page and "BR701" in page


def test_corrupt_image_exits_2_with_the_file_name(files: Path) -> None:
    bad = files / "broken.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    code, out = invoke("check", str(bad), "-p", str(files / "brandrail.yaml"))
    assert code == 2
    assert "broken.jpg" in out and "Traceback" not in out


def test_bad_creative_policy_exits_2(files: Path) -> None:
    (files / "bad.yaml").write_text("version: 1\ncreative:\n  palete: []\n", encoding="utf-8")
    code, out = invoke("check", str(files / "mail.html"), "-p", str(files / "bad.yaml"))
    assert code == 2
    assert "palette" in out  # the did-you-mean hint


def test_sarif_for_images_and_email_validates(files: Path) -> None:
    import jsonschema

    schema_path = Path(__file__).resolve().parents[1] / "data" / "sarif-schema-2.1.0.json"
    if not schema_path.exists():
        pytest.fail(f"SARIF schema not found at {schema_path}")
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    code, out = invoke("check", str(files), "-p", str(files / "brandrail.yaml"), "-f", "sarif")
    assert code == 1
    sarif = json.loads(out)
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
    errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(sarif)]
    assert not errors, errors
    results = sarif["runs"][0]["results"]
    assert {r["ruleId"] for r in results} == {"BR701", "BR710"}
