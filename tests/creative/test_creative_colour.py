"""Colour maths against published reference values (Sharma, Wu & Dalal 2005; sRGB/CIELAB; WCAG 2.x)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from brandrail.creative.colour import (
    ciede2000,
    composite,
    contrast_ratio,
    hex_to_rgb,
    lab_to_srgb,
    parse_css_colour,
    relative_luminance,
    rgb_to_hex,
    srgb_to_lab,
)
from brandrail.creative.palette import ciede2000_matrix, kmeans, merge_close, srgb_to_lab_array

# The 34 test pairs of Sharma, Wu & Dalal (2005), Table 1: (L1, a1, b1), (L2, a2, b2), ΔE00.
SHARMA = [
    ((50.0000, 2.6772, -79.7751), (50.0000, 0.0000, -82.7485), 2.0425),
    ((50.0000, 3.1571, -77.2803), (50.0000, 0.0000, -82.7485), 2.8615),
    ((50.0000, 2.8361, -74.0200), (50.0000, 0.0000, -82.7485), 3.4412),
    ((50.0000, -1.3802, -84.2814), (50.0000, 0.0000, -82.7485), 1.0000),
    ((50.0000, -1.1848, -84.8006), (50.0000, 0.0000, -82.7485), 1.0000),
    ((50.0000, -0.9009, -85.5211), (50.0000, 0.0000, -82.7485), 1.0000),
    ((50.0000, 0.0000, 0.0000), (50.0000, -1.0000, 2.0000), 2.3669),
    ((50.0000, -1.0000, 2.0000), (50.0000, 0.0000, 0.0000), 2.3669),
    ((50.0000, 2.4900, -0.0010), (50.0000, -2.4900, 0.0009), 7.1792),
    ((50.0000, 2.4900, -0.0010), (50.0000, -2.4900, 0.0010), 7.1792),
    ((50.0000, 2.4900, -0.0010), (50.0000, -2.4900, 0.0011), 7.2195),
    ((50.0000, 2.4900, -0.0010), (50.0000, -2.4900, 0.0012), 7.2195),
    ((50.0000, -0.0010, 2.4900), (50.0000, 0.0009, -2.4900), 4.8045),
    ((50.0000, -0.0010, 2.4900), (50.0000, 0.0010, -2.4900), 4.8045),
    ((50.0000, -0.0010, 2.4900), (50.0000, 0.0011, -2.4900), 4.7461),
    ((50.0000, 2.5000, 0.0000), (50.0000, 0.0000, -2.5000), 4.3065),
    ((50.0000, 2.5000, 0.0000), (73.0000, 25.0000, -18.0000), 27.1492),
    ((50.0000, 2.5000, 0.0000), (61.0000, -5.0000, 29.0000), 22.8977),
    ((50.0000, 2.5000, 0.0000), (56.0000, -27.0000, -3.0000), 31.9030),
    ((50.0000, 2.5000, 0.0000), (58.0000, 24.0000, 15.0000), 19.4535),
    ((50.0000, 2.5000, 0.0000), (50.0000, 3.1736, 0.5854), 1.0000),
    ((50.0000, 2.5000, 0.0000), (50.0000, 3.2972, 0.0000), 1.0000),
    ((50.0000, 2.5000, 0.0000), (50.0000, 1.8634, 0.5757), 1.0000),
    ((50.0000, 2.5000, 0.0000), (50.0000, 3.2592, 0.3350), 1.0000),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((63.0109, -31.0961, -5.8663), (62.8187, -29.7946, -4.0864), 1.2630),
    ((61.2901, 3.7196, -5.3901), (61.4292, 2.2480, -4.9620), 1.8731),
    ((35.0831, -44.1164, 3.7933), (35.0232, -40.0716, 1.5901), 1.8645),
    ((22.7233, 20.0904, -46.6940), (23.0331, 14.9730, -42.5619), 2.0373),
    ((36.4612, 47.8580, 18.3852), (36.2715, 50.5065, 21.2231), 1.4146),
    ((90.8027, -2.0831, 1.4410), (91.1528, -1.6435, 0.0447), 1.4441),
    ((90.9257, -0.5406, -0.9208), (88.6381, -0.8985, -0.7239), 1.5381),
    ((6.7747, -0.2908, -2.4247), (5.8714, -0.0985, -2.2286), 0.6377),
    ((2.0776, 0.0795, -1.1350), (0.9033, -0.0636, -0.5514), 0.9082),
]


def test_sharma_table_has_34_pairs() -> None:
    assert len(SHARMA) == 34


@pytest.mark.parametrize(("lab1", "lab2", "expected"), SHARMA)
def test_ciede2000_matches_sharma_reference(
    lab1: tuple[float, float, float], lab2: tuple[float, float, float], expected: float
) -> None:
    assert ciede2000(lab1, lab2) == pytest.approx(expected, abs=5e-5)
    assert ciede2000(lab2, lab1) == pytest.approx(expected, abs=5e-5)


def test_vectorised_ciede2000_matches_sharma_reference() -> None:
    a = np.array([p[0] for p in SHARMA])
    b = np.array([p[1] for p in SHARMA])
    expected = np.array([p[2] for p in SHARMA])
    matrix = ciede2000_matrix(a, b)
    assert np.allclose(np.diag(matrix), expected, atol=5e-5)
    assert np.allclose(np.diag(ciede2000_matrix(b, a)), expected, atol=5e-5)


@given(
    st.tuples(st.floats(0, 100), st.floats(-120, 120), st.floats(-120, 120)),
    st.tuples(st.floats(0, 100), st.floats(-120, 120), st.floats(-120, 120)),
)
def test_vectorised_equals_scalar(lab1: tuple[float, float, float], lab2: tuple[float, float, float]) -> None:
    scalar = ciede2000(lab1, lab2)
    vector = ciede2000_matrix(np.array([lab1]), np.array([lab2]))[0, 0]
    assert vector == pytest.approx(scalar, abs=1e-9)
    assert ciede2000(lab1, lab1) == pytest.approx(0.0, abs=1e-9)
    assert ciede2000(lab2, lab1) == pytest.approx(scalar, abs=1e-9)


def test_ciede2000_is_written_once() -> None:
    """Issue 12: the scalar function is the vectorised one on a single pair, not a second copy of the formula."""
    import inspect

    import brandrail.creative.colour as colour

    source = inspect.getsource(colour)
    assert "ciede2000_matrix" in inspect.getsource(colour.ciede2000)
    assert "25.0**7" not in source and "0.17 * math.cos" not in source


# sRGB → CIELAB (D65): primaries and white as published (e.g. Lindbloom's calculator, 2° observer).
SRGB_LAB = [
    ((255, 255, 255), (100.0, 0.0, 0.0)),
    ((0, 0, 0), (0.0, 0.0, 0.0)),
    ((255, 0, 0), (53.2408, 80.0925, 67.2032)),
    ((0, 255, 0), (87.7347, -86.1827, 83.1793)),
    ((0, 0, 255), (32.2970, 79.1875, -107.8602)),
    ((128, 128, 128), (53.5850, 0.0, 0.0)),
]


@pytest.mark.parametrize(("rgb", "lab"), SRGB_LAB)
def test_srgb_to_lab_reference_values(rgb: tuple[int, int, int], lab: tuple[float, float, float]) -> None:
    got = srgb_to_lab(rgb)
    assert got == pytest.approx(lab, abs=0.01)
    arr = srgb_to_lab_array(np.array([rgb], dtype=np.uint8))[0]
    assert tuple(arr) == pytest.approx(lab, abs=0.01)


@given(st.tuples(st.integers(0, 255), st.integers(0, 255), st.integers(0, 255)))
def test_lab_round_trip(rgb: tuple[int, int, int]) -> None:
    back = lab_to_srgb(srgb_to_lab(rgb))
    assert rgb_to_hex(back) == rgb_to_hex(rgb)


def test_wcag_contrast_reference_values() -> None:
    # WCAG: black on white is 21:1; #777777 on white is the classic 4.48:1 failure; same colour is 1:1.
    assert contrast_ratio((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert contrast_ratio((255, 255, 255), (0, 0, 0)) == pytest.approx(21.0)
    assert contrast_ratio((0x77, 0x77, 0x77), (255, 255, 255)) == pytest.approx(4.478, abs=1e-3)
    assert contrast_ratio((0x76, 0x76, 0x76), (255, 255, 255)) == pytest.approx(4.542, abs=1e-3)
    assert contrast_ratio((12, 34, 56), (12, 34, 56)) == pytest.approx(1.0)
    assert contrast_ratio("#777", "white") == pytest.approx(4.478, abs=1e-3)
    with pytest.raises(ValueError, match="not a CSS colour"):
        contrast_ratio("#77", "#fff")
    # relative luminance of pure primaries equals the WCAG coefficients
    assert relative_luminance((255, 0, 0)) == pytest.approx(0.2126)
    assert relative_luminance((0, 255, 0)) == pytest.approx(0.7152)
    assert relative_luminance((0, 0, 255)) == pytest.approx(0.0722)


def test_parse_css_colour() -> None:
    assert parse_css_colour("#fff") == ((255, 255, 255), 1.0)
    assert parse_css_colour("#2F6B3B") == ((47, 107, 59), 1.0)
    assert parse_css_colour("rgb(10, 20, 30)") == ((10, 20, 30), 1.0)
    assert parse_css_colour("rgba(10,20,30,0.5)") == ((10, 20, 30), 0.5)
    assert parse_css_colour("rgb(100% 0% 0% / 50%)") == ((255, 0, 0), 0.5)
    assert parse_css_colour("hsl(120, 100%, 25%)") == ((0, 128, 0), 1.0)
    assert parse_css_colour("DarkSlateGray") == ((47, 79, 79), 1.0)
    assert parse_css_colour("#11223380") == ((17, 34, 51), 128 / 255)
    assert parse_css_colour("#1234") == ((17, 34, 51), 68 / 255)
    for not_colour in ("transparent", "inherit", "url(x.png)", "#12", "#ggg", "notacolour", "rgb(1,2)", ""):
        assert parse_css_colour(not_colour) is None, not_colour


def test_composite_and_hex() -> None:
    assert composite((0, 0, 0), 0.5, (255, 255, 255)) == (128, 128, 128)
    assert hex_to_rgb("#abc") == (170, 187, 204)
    assert rgb_to_hex((300, -4, 127.6)) == "#ff0080"


def test_kmeans_is_seeded_and_finds_separated_clusters() -> None:
    rng = np.random.default_rng(1)
    truth = np.array([[20.0, 0, 0], [60, 40, -20], [80, -30, 50]])
    points = np.concatenate(
        [c + rng.normal(0, 1, (n, 3)) for c, n in zip(truth, (100, 300, 600), strict=True)]
    )
    c1, l1 = kmeans(points, 3, seed=7)
    c2, l2 = kmeans(points, 3, seed=7)
    assert np.array_equal(l1, l2) and np.array_equal(c1, c2)
    counts = sorted(np.bincount(l1).tolist())
    assert counts == [100, 300, 600]
    for centre in truth:
        assert np.min(np.linalg.norm(c1 - centre, axis=1)) < 0.5


def test_merge_close_joins_near_identical_groups_only() -> None:
    centres = np.array([[50.0, 10, 10], [50.5, 10, 10], [80, -40, 40]])
    merged, counts = merge_close(centres, np.array([30, 10, 60]))
    assert counts.tolist() == [40, 60]
    assert merged[0] == pytest.approx([50.125, 10, 10])
    assert math.isclose(float(counts.sum()), 100)


_RGB = st.tuples(st.integers(0, 255), st.integers(0, 255), st.integers(0, 255))


@given(_RGB, _RGB)
def test_contrast_ratio_is_symmetric_and_bounded(a: tuple[int, int, int], b: tuple[int, int, int]) -> None:
    ratio = contrast_ratio(a, b)
    assert 1.0 <= ratio <= 21.0
    assert ratio == pytest.approx(contrast_ratio(b, a))
    # (L + 0.05) / 0.05 times 1.05 / (L + 0.05) is 21 for every colour, so one of black and white
    # always reaches √21 ≈ 4.58:1
    on_black, on_white = contrast_ratio(a, (0, 0, 0)), contrast_ratio(a, (255, 255, 255))
    assert on_black * on_white == pytest.approx(21.0)
    assert max(on_black, on_white) >= 21**0.5 - 1e-9
