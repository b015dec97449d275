"""Image opening, palette analysis and the image rules (BR701-BR705), on images made in the tests."""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import pytest
from PIL import Image

from brandrail.creative import analyse_image, open_image
from brandrail.creative.colour import ciede2000, hex_to_rgb, srgb_to_lab
from brandrail.engine import _check_image, check_paths
from brandrail.errors import InputError
from brandrail.policy import Policy, policy_from_dict

FERN = "#2f6b3b"
SAND = "#d8c7a1"
MAGENTA = (230, 0, 200)


def encode(arr: np.ndarray[Any, Any], fmt: str = "PNG", **kw: Any) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, fmt, **kw)
    return buf.getvalue()


def stripes(size: tuple[int, int], parts: list[tuple[tuple[int, ...], float]]) -> np.ndarray[Any, Any]:
    """An image of horizontal bands: each (colour, share of the height)."""
    w, h = size
    channels = len(parts[0][0])
    arr = np.zeros((h, w, channels), dtype=np.uint8)
    row = 0
    for i, (colour, share) in enumerate(parts):
        rows = h - row if i == len(parts) - 1 else round(share * h)
        arr[row : row + rows] = colour
        row += rows
    return arr


def policy(**creative: Any) -> Policy:
    base: dict[str, Any] = {
        "palette": [{"name": "Fern", "hex": FERN}, {"name": "Sand", "hex": SAND}],
    }
    base.update(creative)
    return policy_from_dict(
        {"creative": base, "channels": {"social": {"kind": "social"}, "email": {"kind": "email"}}}
    )


def codes(result: Any) -> list[str]:
    return [f.code for f in result.findings]


# -- open_image -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_open_image_reads_the_three_formats(fmt: str) -> None:
    data = encode(np.full((30, 40, 3), 120, dtype=np.uint8), fmt)
    subject = open_image(f"x.{fmt.lower()}", data)
    assert (subject.format, subject.width, subject.height, subject.size_bytes) == (fmt, 40, 30, len(data))
    assert subject.sample().shape == (1200, 3)


def test_corrupt_image_names_the_file() -> None:
    with pytest.raises(InputError, match=r"banner\.png: is not an image"):
        open_image("banner.png", b"\x89PNG\r\n\x1a\nthis is not a png")


def test_truncated_jpeg_is_an_input_error() -> None:
    data = encode(np.random.default_rng(0).integers(0, 255, (200, 200, 3), dtype=np.uint8), "JPEG")
    with pytest.raises(InputError, match=r"cut\.jpg: cannot be decoded"):
        open_image("cut.jpg", data[: len(data) // 2])


def test_unsupported_format_is_refused() -> None:
    buf = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buf, "BMP")
    with pytest.raises(InputError, match=r"old\.png: is a BMP image; BMP is not supported"):
        open_image("old.png", buf.getvalue())


def test_decompression_bomb_is_refused_before_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    import brandrail.creative.image as image_module

    data = encode(np.zeros((100, 100, 3), dtype=np.uint8))
    monkeypatch.setattr(image_module, "MAX_PIXELS", 9_999)
    decoded: list[bool] = []
    monkeypatch.setattr(image_module, "_sample", lambda *a: decoded.append(True))
    with pytest.raises(
        InputError, match=r"bomb\.png: is 100×100 = 10,000 pixels, over the 9,999-pixel limit"
    ):
        open_image("bomb.png", data)
    assert decoded == []


def test_real_bomb_header_is_refused() -> None:
    # a 1-bit PNG of 8000 × 7000 = 56 Mpx compresses to a few kB
    buf = io.BytesIO()
    Image.new("1", (8000, 7000)).save(buf, "PNG")
    assert len(buf.getvalue()) < 100_000
    with pytest.raises(InputError, match="decompression bomb"):
        open_image("huge.png", buf.getvalue())


# -- palette --------------------------------------------------------------------------------------------------


def test_off_palette_share_counts_known_bands() -> None:
    arr = stripes((200, 200), [(hex_to_rgb(FERN), 0.5), (MAGENTA, 0.3), ((255, 255, 255), 0.2)])
    pol = policy()
    analysis = analyse_image("bands.png", encode(arr), pol)
    # white is ignored as near-white: 30 % magenta of the 80 % counted
    assert analysis.ignored_share == pytest.approx(0.2, abs=0.01)
    assert analysis.off_palette_share == pytest.approx(0.3 / 0.8, abs=0.01)
    assert len(analysis.off_palette) == 1
    swatch = analysis.off_palette[0]
    assert ciede2000(srgb_to_lab(hex_to_rgb(swatch.hex)), srgb_to_lab(MAGENTA)) < 1.0
    assert swatch.share == pytest.approx(0.375, abs=0.01)
    assert swatch.delta_e > 40
    dominant = {d.nearest: d for d in analysis.dominant if d.delta_e < 1}
    assert dominant["Fern"].share == pytest.approx(0.625, abs=0.01)

    counting_white = policy(palette_check={"ignore_near_white_black": False})
    analysis = analyse_image("bands.png", encode(arr), counting_white)
    assert analysis.off_palette_share == pytest.approx(0.5, abs=0.01)


def test_br701_fires_above_the_share_with_swatch_evidence() -> None:
    arr = stripes((120, 120), [(hex_to_rgb(SAND), 0.6), (MAGENTA, 0.4)])
    result = _check_image("b.png", encode(arr), policy(palette_check={"max_off_palette_share": 0.3}))
    (finding,) = result.findings
    assert finding.code == "BR701" and finding.severity.value == "warning"
    assert finding.evidence["measured"] == pytest.approx(0.4, abs=0.01)
    swatches = finding.evidence["swatches"]
    assert len(swatches) == 1 and set(swatches[0]) >= {"hex", "share", "delta_e"}
    assert swatches[0]["hex"].startswith("#") and len(swatches[0]["hex"]) == 7
    # below the threshold: nothing
    assert (
        codes(_check_image("b.png", encode(arr), policy(palette_check={"max_off_palette_share": 0.5}))) == []
    )


def test_colours_within_delta_e_count_as_on_palette() -> None:
    # a slightly different green (ΔE00 ≈ 2.6) is on-palette at max ΔE 12, off at max ΔE 1
    near = (52, 112, 62)
    de = ciede2000(srgb_to_lab(near), srgb_to_lab(hex_to_rgb(FERN)))
    assert 1 < de < 12
    data = encode(np.full((50, 50, 3), near, dtype=np.uint8))
    assert codes(_check_image("g.png", data, policy())) == []
    strict = policy(palette_check={"max_delta_e": 1.0})
    assert codes(_check_image("g.png", data, strict)) == ["BR701"]


def test_transparent_pixels_are_ignored() -> None:
    arr = np.zeros((100, 100, 4), dtype=np.uint8)
    arr[:50] = (*MAGENTA, 0)  # fully transparent magenta
    arr[50:] = (*hex_to_rgb(FERN), 255)
    assert codes(_check_image("t.png", encode(arr), policy())) == []


def test_jpeg_sampling_is_close_to_the_true_share() -> None:
    arr = stripes((1080, 1080), [(hex_to_rgb(FERN), 0.7), (MAGENTA, 0.3)])
    analysis = analyse_image("p.jpg", encode(arr, "JPEG", quality=90), policy())
    assert analysis.off_palette_share == pytest.approx(0.3, abs=0.02)


def test_no_palette_means_no_palette_check() -> None:
    pol = policy_from_dict({})
    data = encode(np.full((10, 10, 3), MAGENTA, dtype=np.uint8))
    assert codes(_check_image("m.png", data, pol)) == []


# -- specs -----------------------------------------------------------------------------------------------------

SPECS = {
    "default": {"max_bytes": 10_000_000},
    "social": {"min_width": 1080, "min_height": 1080, "aspect_ratios": ["1:1", "4:5"]},
    "email": {"max_width": 600, "formats": ["PNG", "JPEG"], "max_bytes": 500},
}


def test_specs_follow_the_channel() -> None:
    pol = policy(images=SPECS, palette=[])
    noise = np.random.default_rng(0).integers(0, 255, (400, 800, 3), dtype=np.uint8)
    small_wide = encode(noise, "WEBP", quality=80)
    assert len(small_wide) > 500
    social = next(check_paths_bytes(pol, "social", "w.webp", small_wide))
    assert sorted(codes(social)) == ["BR702", "BR702", "BR703"]
    ev = {f.evidence["dimension"]: f.evidence for f in social.findings if f.code == "BR702"}
    assert ev["width"]["measured"] == 800 and ev["width"]["limit"] == 1080
    assert ev["height"]["measured"] == 400
    email = next(check_paths_bytes(pol, "email", "w.webp", small_wide))
    assert sorted(codes(email)) == ["BR702", "BR704", "BR705"]
    default = next(check_paths_bytes(pol, None, "w.webp", small_wide))
    assert codes(default) == []


def test_aspect_ratio_tolerance() -> None:
    pol = policy(images={"default": {"aspect_ratios": ["1.91:1"], "aspect_tolerance": 0.01}}, palette=[])
    ok = encode(np.zeros((628, 1200, 3), dtype=np.uint8))  # 1.9108
    bad = encode(np.zeros((600, 1200, 3), dtype=np.uint8))  # 2.0
    assert codes(_check_image("ok.png", ok, pol)) == []
    (f,) = _check_image("bad.png", bad, pol).findings
    assert f.code == "BR703" and f.evidence["closest"] == "1.91:1"


def check_paths_bytes(pol: Policy, channel: str | None, name: str, data: bytes) -> Any:
    view = pol.for_channel(channel)
    yield _check_image(name, data, view)


def test_bad_spec_is_a_policy_error() -> None:
    from brandrail.errors import PolicyError

    with pytest.raises(PolicyError):
        policy_from_dict({"creative": {"images": {"default": {"aspect_ratios": ["wide"]}}}})
    with pytest.raises(PolicyError):
        policy_from_dict({"creative": {"palette": [{"name": "x", "hex": "green"}]}})
    with pytest.raises(PolicyError):
        policy_from_dict({"creative": {"images": {"default": {"formats": ["BMP"]}}}})


def test_engine_checks_images_html_and_text_in_one_run(tmp_path: Any) -> None:
    (tmp_path / "a.png").write_bytes(encode(stripes((40, 40), [(MAGENTA, 1.0)])))
    (tmp_path / "b.html").write_text("<p style='color:#eee'>Hello there</p>", encoding="utf-8")
    (tmp_path / "c.txt").write_text("hello", encoding="utf-8")
    results = [r for r, _ in check_paths([str(tmp_path)], policy())]
    by_name = {r.path.rsplit("/", 1)[-1]: codes(r) for r in results if r.path}
    assert by_name["a.png"] == ["BR701"]
    assert "BR710" in by_name["b.html"]
    assert by_name["c.txt"] == []


def test_exif_rotation_swaps_the_shown_dimensions() -> None:
    img = Image.fromarray(np.zeros((300, 400, 3), dtype=np.uint8))  # stored 400 wide, 300 high
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise when shown
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif)
    subject = open_image("phone.jpg", buf.getvalue())
    assert (subject.width, subject.height) == (300, 400)
    pol = policy(images={"default": {"aspect_ratios": ["3:4"]}}, palette=[])
    assert codes(_check_image("phone.jpg", buf.getvalue(), pol)) == []


def test_sixteen_bit_greyscale_is_scaled_not_clipped() -> None:
    arr = np.full((20, 20), 32768, dtype=np.uint16)  # mid grey in 16 bits
    subject = open_image("g16.png", encode(arr))
    sample = subject.sample()
    assert int(sample.min()) == int(sample.max()) == 127


def test_fully_transparent_image_has_nothing_to_count() -> None:
    arr = np.zeros((10, 10, 4), dtype=np.uint8)
    subject = open_image("clear.png", encode(arr))
    assert subject.sample().shape == (0, 3)
    assert codes(_check_image("clear.png", encode(arr), policy())) == []


def test_sampled_share_matches_an_exhaustive_scalar_count() -> None:
    """Independent reference: every pixel of the full image, scalar CIEDE2000 per distinct colour."""
    from PIL import ImageDraw

    img = Image.new("RGB", (300, 240), "#2f6b3b")
    draw = ImageDraw.Draw(img)
    draw.ellipse((20, 20, 160, 150), fill="#e8b03a")  # off-palette yellow
    draw.rectangle((170, 30, 290, 90), fill="#d8c7a1")  # sand
    draw.polygon([(0, 240), (150, 160), (300, 240)], fill="#3a8fd0")  # off-palette blue
    draw.rectangle((200, 120, 260, 150), fill="#ffffff")  # near-white, ignored
    data = encode(np.asarray(img))
    pol = policy()
    settings = pol.creative.palette_check
    brand = [srgb_to_lab(hex_to_rgb(c.hex)) for c in pol.creative.palette]

    pixels = np.asarray(img).reshape(-1, 3)
    colours, counts = np.unique(pixels, axis=0, return_counts=True)
    counted = off = 0
    for colour, n in zip(colours, counts, strict=True):
        lab = srgb_to_lab(tuple(int(c) for c in colour))  # type: ignore[arg-type]
        chroma = (lab[1] ** 2 + lab[2] ** 2) ** 0.5
        if chroma <= settings.near_neutral_chroma and (
            lab[0] >= settings.near_white_l or lab[0] <= settings.near_black_l
        ):
            continue
        counted += int(n)
        if min(ciede2000(lab, b) for b in brand) > settings.max_delta_e:
            off += int(n)
    exact = off / counted
    estimate = analyse_image("scene.png", data, pol).off_palette_share
    assert 0.2 < exact < 0.6
    assert estimate == pytest.approx(exact, abs=0.02)


def test_channel_override_of_the_creative_section() -> None:
    pol = policy_from_dict(
        {
            "creative": {"contrast": {"min_ratio": 4.5}},
            "channels": {"email": {"kind": "email", "creative": {"contrast": {"min_ratio": 7}}}},
        }
    )
    html = '<p style="color:#595959">Grey 7.0:1 text</p><p style="color:#666666">Grey 5.7:1 text</p>'
    from brandrail.engine import check_text

    base = [f.match for f in check_text(html, pol, kind="html").findings if f.code == "BR710"]
    email = [
        f.match for f in check_text(html, pol, kind="html", channel="email").findings if f.code == "BR710"
    ]
    assert base == []
    assert email == ["Grey 5.7:1 text"]


def test_br701_doc_example_message() -> None:
    arr = stripes((50, 50), [(MAGENTA, 0.6), (hex_to_rgb(SAND), 0.4)])  # small enough to be read whole
    (f,) = _check_image("banner.png", encode(arr), policy()).findings
    assert (
        f.message
        == "60% of the image is off-palette (ΔE00 > 12 from every brand colour); at most 25% is allowed"
    )


# -- issue 14 item 14: full-size decode, stratified sampling ---------------------------------------------------


def _jpeg(arr: np.ndarray[Any, Any]) -> bytes:
    return encode(arr, "JPEG", quality=95, subsampling=0)


def test_thin_lines_in_a_jpeg_are_counted_at_their_true_share() -> None:
    """A green image with 1-px magenta lines every 5 px is 20 % magenta; a 1/8-scale decode said 39 %."""
    arr = np.empty((1080, 1080, 3), dtype=np.uint8)
    arr[:] = hex_to_rgb(FERN)
    arr[::5, :] = MAGENTA
    analysis = analyse_image("lines.jpg", _jpeg(arr), policy())
    assert analysis.off_palette_share == pytest.approx(0.20, abs=0.02)
    # vertical lines too (a grid aligned with the lines must not alias)
    arr2 = np.empty((1080, 1080, 3), dtype=np.uint8)
    arr2[:] = hex_to_rgb(FERN)
    arr2[:, 2::8] = MAGENTA
    assert analyse_image("v.jpg", _jpeg(arr2), policy()).off_palette_share == pytest.approx(0.125, abs=0.02)


def test_pixel_noise_is_not_averaged_away() -> None:
    """23 % of pixels replaced by magenta noise: the measured share is ~23 % (1/8-scale decode: 0.02 %)."""
    rng = np.random.default_rng(7)
    arr = np.empty((1080, 1080, 3), dtype=np.uint8)
    arr[:] = hex_to_rgb(SAND)
    mask = rng.random((1080, 1080)) < 0.23
    arr[mask] = MAGENTA
    analysis = analyse_image("noise.jpg", _jpeg(arr), policy())
    assert analysis.off_palette_share == pytest.approx(0.23, abs=0.03)


def test_sampling_is_deterministic_and_only_takes_real_pixels() -> None:
    rng = np.random.default_rng(3)
    palette = np.array([[10, 20, 30], [200, 100, 50], [0, 255, 0]], dtype=np.uint8)
    arr = palette[rng.integers(0, 3, (300, 500))]
    data = encode(arr)
    a = open_image("p.png", data).sample()
    b = open_image("p.png", data).sample()
    assert np.array_equal(a, b)
    colours = {tuple(int(v) for v in row) for row in np.unique(a, axis=0)}
    assert colours <= {tuple(int(v) for v in row) for row in palette}
    assert 3_500 <= len(a) <= 4_700


# -- issue 14 item 16: GIF, unreadable files -------------------------------------------------------------------


def _gif(frames: list[np.ndarray[Any, Any]]) -> bytes:
    buf = io.BytesIO()
    images = [Image.fromarray(f) for f in frames]
    images[0].save(buf, "GIF", save_all=True, append_images=images[1:], duration=100, loop=0)
    return buf.getvalue()


def test_gif_is_read_and_sampled_across_its_frames() -> None:
    fern = np.full((60, 60, 3), hex_to_rgb(FERN), dtype=np.uint8)
    magenta = np.full((60, 60, 3), MAGENTA, dtype=np.uint8)
    still = open_image("still.gif", _gif([fern]))
    assert (still.format, still.width, still.height) == ("GIF", 60, 60)
    # an animation that is on-brand in its first frame only: 3 of 4 frames magenta
    analysis = analyse_image("anim.gif", _gif([fern, magenta, magenta, magenta]), policy())
    assert analysis.off_palette_share == pytest.approx(0.75, abs=0.03)


def test_gif_in_a_folder_is_checked_as_an_image(tmp_path: Any) -> None:
    (tmp_path / "a.gif").write_bytes(_gif([np.full((40, 40, 3), MAGENTA, dtype=np.uint8)]))
    ((result, doc),) = list(check_paths([str(tmp_path)], policy()))
    assert doc is None and codes(result) == ["BR701"]


def test_every_corrupted_file_is_an_input_error_naming_it() -> None:
    """Truncated and byte-flipped PNG/JPEG/WebP/GIF files never raise anything but InputError for that file."""
    import random

    rng = np.random.default_rng(0)
    arr = rng.integers(0, 255, (48, 48, 3), dtype=np.uint8)
    r = random.Random(0)
    for fmt in ("PNG", "JPEG", "WEBP", "GIF"):
        data = encode(arr, fmt)
        for i in range(120):
            broken = bytearray(data)
            if i % 2:
                broken = broken[: r.randrange(1, len(broken))]
            else:
                for _ in range(r.randrange(1, 12)):
                    broken[r.randrange(len(broken))] = r.randrange(256)
            try:
                open_image(f"bad-{i}.{fmt.lower()}", bytes(broken))
            except InputError as exc:
                assert f"bad-{i}.{fmt.lower()}" in str(exc)


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("logo.svg", b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>', "SVG"),
        ("photo.avif", b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf", "AVIF"),
        ("photo.heic", b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "HEIC"),
    ],
)
def test_formats_pillow_cannot_read_are_named(name: str, data: bytes, kind: str) -> None:
    with pytest.raises(InputError, match=rf"{kind} is not supported"):
        open_image(name, data)


def test_an_unsupported_image_named_explicitly_is_opened_as_an_image(tmp_path: Any) -> None:
    """Not read as text ("looks binary"): the error says which format is not supported."""
    path = tmp_path / "old.bmp"
    Image.new("RGB", (4, 4)).save(path, "BMP")
    with pytest.raises(InputError, match=r"old\.bmp: is a BMP image; BMP is not supported"):
        list(check_paths([str(path)], policy()))
