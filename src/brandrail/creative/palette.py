# ruff: noqa: N806  (L, Lbar, dH … follow the notation of Sharma, Wu & Dalal 2005)
"""Vectorised colour maths and palette analysis of images (NumPy).

* sRGB → CIELAB (D65) for arrays of pixels, through a 256-entry linearisation table;
* CIEDE2000 between every pixel and every brand colour (the project's only implementation of the formula;
  :func:`brandrail.creative.colour.ciede2000` calls it for one pair);
* seeded k-means (k-means++ start, Lloyd iterations, squared Euclidean distance in CIELAB) for the
  dominant colours and for grouping the off-palette pixels into swatches.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from brandrail.creative.colour import WHITE_D65, hex_to_rgb, lab_to_srgb, rgb_to_hex

if TYPE_CHECKING:
    from brandrail.policy.sections.creative import BrandColour, PaletteSettings

__all__ = [
    "ColourShare",
    "PaletteAnalysis",
    "analyse_palette",
    "ciede2000_matrix",
    "kmeans",
    "srgb_to_lab_array",
]

FloatArray = npt.NDArray[np.float64]

_SRGB_TO_XYZ = np.array(
    [
        [0.4124564, 0.3575761, 0.1804375],
        [0.2126729, 0.7151522, 0.0721750],
        [0.0193339, 0.1191920, 0.9503041],
    ]
)
_c = np.arange(256) / 255.0
_LINEAR = np.where(_c <= 0.04045, _c / 12.92, ((_c + 0.055) / 1.055) ** 2.4)
_EPS = 216 / 24389
_KAPPA = 24389 / 27


def srgb_to_lab_array(rgb: npt.NDArray[np.uint8]) -> FloatArray:
    """(N, 3) 8-bit sRGB → (N, 3) CIELAB under D65."""
    lin = _LINEAR[rgb]
    xyz = lin @ _SRGB_TO_XYZ.T / np.asarray(WHITE_D65)
    f = np.where(xyz > _EPS, np.cbrt(xyz), (_KAPPA * xyz + 16) / 116)
    out = np.empty_like(f)
    out[:, 0] = 116 * f[:, 1] - 16
    out[:, 1] = 500 * (f[:, 0] - f[:, 1])
    out[:, 2] = 200 * (f[:, 1] - f[:, 2])
    result: FloatArray = out
    return result


def ciede2000_matrix(lab1: FloatArray, lab2: FloatArray) -> FloatArray:
    """ΔE00 between every row of ``lab1`` (N, 3) and every row of ``lab2`` (M, 3) → (N, M)."""
    L1, a1, b1 = (lab1[:, i][:, None] for i in range(3))
    L2, a2, b2 = (lab2[:, i][None, :] for i in range(3))
    c1 = np.hypot(a1, b1)
    c2 = np.hypot(a2, b2)
    cbar7 = ((c1 + c2) / 2) ** 7
    g = 0.5 * (1 - np.sqrt(cbar7 / (cbar7 + 25.0**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1p = np.where((a1p == 0) & (b1 == 0), 0.0, np.degrees(np.arctan2(b1, a1p)) % 360)
    h2p = np.where((a2p == 0) & (b2 == 0), 0.0, np.degrees(np.arctan2(b2, a2p)) % 360)
    zero = (c1p * c2p) == 0

    dLp = L2 - L1
    dCp = c2p - c1p
    dhp = h2p - h1p
    dhp = np.where(dhp > 180, dhp - 360, np.where(dhp < -180, dhp + 360, dhp))
    dhp = np.where(zero, 0.0, dhp)
    dHp = 2 * np.sqrt(c1p * c2p) * np.sin(np.radians(dhp) / 2)

    Lbarp = (L1 + L2) / 2
    Cbarp = (c1p + c2p) / 2
    hsum = h1p + h2p
    hbarp = np.where(
        zero,
        hsum,
        np.where(
            np.abs(h1p - h2p) <= 180, hsum / 2, np.where(hsum < 360, (hsum + 360) / 2, (hsum - 360) / 2)
        ),
    )
    t = (
        1
        - 0.17 * np.cos(np.radians(hbarp - 30))
        + 0.24 * np.cos(np.radians(2 * hbarp))
        + 0.32 * np.cos(np.radians(3 * hbarp + 6))
        - 0.20 * np.cos(np.radians(4 * hbarp - 63))
    )
    dtheta = 30 * np.exp(-(((hbarp - 275) / 25) ** 2))
    cbarp7 = Cbarp**7
    rc = 2 * np.sqrt(cbarp7 / (cbarp7 + 25.0**7))
    sl = 1 + 0.015 * (Lbarp - 50) ** 2 / np.sqrt(20 + (Lbarp - 50) ** 2)
    sc = 1 + 0.045 * Cbarp
    sh = 1 + 0.015 * Cbarp * t
    rt = -np.sin(np.radians(2 * dtheta)) * rc
    tl, tc, th = dLp / sl, dCp / sc, dHp / sh
    result: FloatArray = np.sqrt(np.maximum(tl * tl + tc * tc + th * th + rt * tc * th, 0.0))
    return result


def kmeans(
    points: FloatArray, k: int, *, seed: int = 0, max_iter: int = 30, fit_size: int = 2048
) -> tuple[FloatArray, npt.NDArray[np.intp]]:
    """Seeded k-means: k-means++ start, Lloyd iterations until no label changes. Returns (centres, labels).

    Centres are fitted on a seeded random subset of at most ``fit_size`` points; every point is then
    labelled with its nearest centre.
    """
    n = len(points)
    if n == 0:
        return np.empty((0, 3)), np.empty(0, dtype=np.intp)
    rng = np.random.default_rng(seed)
    fit = points if n <= fit_size else points[rng.choice(n, fit_size, replace=False)]
    m = len(fit)
    k = max(1, min(k, m))
    centres = np.empty((k, fit.shape[1]))
    centres[0] = fit[rng.integers(m)]
    d2 = ((fit - centres[0]) ** 2).sum(axis=1)
    for i in range(1, k):
        total = d2.sum()
        idx = int(rng.integers(m)) if total <= 0 else int(rng.choice(m, p=d2 / total))
        centres[i] = fit[idx]
        d2 = np.minimum(d2, ((fit - centres[i]) ** 2).sum(axis=1))
    labels = np.full(m, -1, dtype=np.intp)
    for _ in range(max_iter):
        new = _nearest(fit, centres)
        if np.array_equal(new, labels):
            break
        labels = new
        counts = np.bincount(labels, minlength=k)
        nonempty = counts > 0
        for c in range(fit.shape[1]):
            sums = np.bincount(labels, weights=fit[:, c], minlength=k)
            centres[nonempty, c] = sums[nonempty] / counts[nonempty]
    return centres, (labels if fit is points else _nearest(points, centres))


def _nearest(points: FloatArray, centres: FloatArray) -> npt.NDArray[np.intp]:
    dist = (points**2).sum(axis=1)[:, None] - 2 * points @ centres.T + (centres**2).sum(axis=1)[None, :]
    result: npt.NDArray[np.intp] = dist.argmin(axis=1)
    return result


#: k-means groups whose centres are closer than this (ΔE00) are reported as one colour.
MERGE_DELTA_E = 5.0


def merge_close(
    centres: FloatArray, counts: npt.NDArray[np.intp], threshold: float = MERGE_DELTA_E
) -> tuple[FloatArray, npt.NDArray[np.intp]]:
    """Merge, closest pair first, groups whose centres are within ``threshold`` ΔE00 (count-weighted means).

    k-means splits one flat colour with noise or JPEG artefacts into several near-identical groups; a
    person sees one colour, so the evidence shows one.
    """
    cents = [c for c, n in zip(centres, counts, strict=True) if n > 0]
    ns = [int(n) for n in counts if n > 0]
    while len(cents) > 1:
        arr = np.array(cents)
        de = ciede2000_matrix(arr, arr)
        np.fill_diagonal(de, np.inf)
        i, j = np.unravel_index(int(de.argmin()), de.shape)
        if de[i, j] >= threshold:
            break
        total = ns[i] + ns[j]
        cents[i] = (cents[i] * ns[i] + cents[j] * ns[j]) / total
        ns[i] = total
        del cents[j], ns[j]
    return np.array(cents).reshape(-1, 3), np.array(ns, dtype=np.intp)


@dataclass(frozen=True)
class ColourShare:
    """A colour group: its mean colour, share of the counted pixels, nearest brand colour and ΔE00 to it."""

    hex: str
    share: float
    delta_e: float
    nearest: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "hex": self.hex,
            "share": round(self.share, 4),
            "delta_e": round(self.delta_e, 2),
            "nearest": self.nearest,
        }


@dataclass(frozen=True)
class PaletteAnalysis:
    """How an image's colours relate to the brand palette."""

    sampled_pixels: int
    counted_pixels: int
    ignored_share: float
    off_palette_share: float
    dominant: list[ColourShare] = field(default_factory=list)
    off_palette: list[ColourShare] = field(default_factory=list)


def _lab_to_hex(lab: FloatArray) -> str:
    return rgb_to_hex(lab_to_srgb((float(lab[0]), float(lab[1]), float(lab[2]))))


def _groups(
    lab: FloatArray,
    *,
    total: int,
    k: int,
    palette_lab: FloatArray,
    names: list[str],
    min_share: float,
    seed: int,
) -> list[ColourShare]:
    if len(lab) == 0 or total == 0:
        return []
    centres, labels = kmeans(lab, k, seed=seed)
    centres, counts = merge_close(centres, np.bincount(labels, minlength=len(centres)))
    de = ciede2000_matrix(centres, palette_lab) if len(palette_lab) else np.full((len(centres), 1), np.nan)
    out = []
    for i in np.argsort(-counts, kind="stable"):
        share = counts[i] / total
        if counts[i] == 0 or share < min_share:
            continue
        j = int(np.nanargmin(de[i])) if len(palette_lab) else -1
        out.append(
            ColourShare(
                hex=_lab_to_hex(centres[i]),
                share=float(share),
                delta_e=float(de[i, j]) if j >= 0 else float("nan"),
                nearest=names[j] if j >= 0 else None,
            )
        )
    return out


def analyse_palette(
    rgb: npt.NDArray[np.uint8], palette: list[BrandColour], settings: PaletteSettings, *, seed: int = 0
) -> PaletteAnalysis:
    """Analyse sampled pixels ``rgb`` (N, 3) against ``palette`` under ``settings``."""
    lab = srgb_to_lab_array(rgb)
    sampled = len(lab)
    if settings.ignore_near_white_black and sampled:
        chroma = np.hypot(lab[:, 1], lab[:, 2])
        neutral = chroma <= settings.near_neutral_chroma
        ignored = neutral & ((lab[:, 0] >= settings.near_white_l) | (lab[:, 0] <= settings.near_black_l))
        lab = lab[~ignored]
    counted = len(lab)
    names = [c.name for c in palette]
    palette_lab = (
        srgb_to_lab_array(np.array([hex_to_rgb(c.hex) for c in palette], dtype=np.uint8))
        if palette
        else np.empty((0, 3))
    )
    if counted and len(palette_lab):
        # ΔE00 once per distinct colour (flat graphics have few), then spread back to the pixels
        distinct, inverse = np.unique(lab, axis=0, return_inverse=True)
        nearest = ciede2000_matrix(distinct, palette_lab).min(axis=1)[inverse.reshape(-1)]
        off = nearest > settings.max_delta_e
        off_share = float(off.mean())
    else:
        off = np.zeros(counted, dtype=bool)
        off_share = 0.0
    dominant = _groups(
        lab,
        total=counted,
        k=settings.clusters,
        palette_lab=palette_lab,
        names=names,
        min_share=0.0,
        seed=seed,
    )
    off_groups = _groups(
        lab[off],
        total=counted,
        k=settings.clusters,
        palette_lab=palette_lab,
        names=names,
        min_share=settings.min_swatch_share,
        seed=seed,
    )
    return PaletteAnalysis(
        sampled_pixels=sampled,
        counted_pixels=counted,
        ignored_share=(sampled - counted) / sampled if sampled else 0.0,
        off_palette_share=off_share,
        dominant=dominant,
        off_palette=off_groups,
    )
