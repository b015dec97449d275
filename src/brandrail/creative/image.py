"""Open images safely (Pillow) and sample their pixels for the palette check.

PNG, JPEG, WebP and GIF are accepted. The header is read first and an image with more than
:data:`MAX_PIXELS` pixels is refused *before* it is decoded (decompression-bomb guard); Pillow's own
bomb check stays on as a second line. Every image, JPEG included, is decoded at full size: a reduced-scale
decode (libjpeg's DCT scaling) averages blocks of pixels into colours that are not in the image.
Then about ``sample_pixels`` pixels are sampled, deterministically: the image is cut into a grid of that many
cells and one pixel is taken at a seeded random position inside each cell (stratified sampling), so thin
lines and fine noise are counted in proportion and a periodic pattern cannot alias with a regular grid.
No colour is invented; pixels less than half opaque are dropped. An animated image (GIF, APNG, WebP) is
sampled across up to :data:`MAX_FRAMES` frames spread evenly over the animation, each frame weighted by how
long it is shown.

Any file that cannot be opened or decoded raises :class:`~brandrail.errors.InputError` naming the file, so a
caller can report it for that file and go on.
"""

from __future__ import annotations

import io
import math
import struct
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from brandrail.errors import InputError, Location

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    from PIL import Image

__all__ = ["DEFAULT_SAMPLE_PIXELS", "FORMATS", "MAX_FRAMES", "MAX_PIXELS", "ImageSubject", "open_image"]

#: Images with more pixels than this (about 8000 × 6000) are refused before decoding.
MAX_PIXELS = 50_000_000
#: Formats brandrail reads (Pillow format names).
FORMATS = ("PNG", "JPEG", "WEBP", "GIF")
#: An animated image is sampled on at most this many frames, spread evenly over the animation.
MAX_FRAMES = 8
#: An animation is sampled over at most its first frames holding this many pixels in total (decoding cost).
MAX_ANIMATION_PIXELS = 100_000_000
#: Seed of the sampling positions: the same file always gives the same sample.
SAMPLE_SEED = 20_240_611
_ORIENTATION = 0x0112  # EXIF tag
#: Pixels sampled for the palette check unless the policy says otherwise.
DEFAULT_SAMPLE_PIXELS = 4_096


@dataclass
class ImageSubject:
    """What an image rule sees: file name, format, dimensions, byte size and a pixel sample.

    ``width`` and ``height`` are as the image is shown: swapped when its EXIF orientation rotates it by 90°.
    """

    name: str
    format: str
    width: int
    height: int
    size_bytes: int
    mode: str
    data: bytes = field(repr=False)
    cache: dict[Any, Any] = field(default_factory=dict, repr=False)

    @property
    def aspect_ratio(self) -> float:
        return self.width / self.height

    @property
    def pixels(self) -> int:
        return self.width * self.height

    def sample(self, target: int = DEFAULT_SAMPLE_PIXELS) -> npt.NDArray[np.uint8]:
        """About ``target`` opaque pixels as an (N, 3) uint8 sRGB array (cached per target)."""
        cached = self.cache.get(target)
        if cached is None:
            cached = _sample(self.name, self.data, target)
            self.cache[target] = cached
        result: npt.NDArray[np.uint8] = cached
        return result


#: What Pillow raises on corrupt, truncated or hostile files; each becomes an InputError naming the file.
_DECODE_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    ValueError,
    SyntaxError,
    EOFError,
    IndexError,
    KeyError,
    TypeError,
    ZeroDivisionError,
    struct.error,
)


def _sniff(data: bytes) -> str | None:
    """Name of an image format Pillow does not read, recognised by its first bytes (SVG, AVIF, HEIC)."""
    head = data[:512].lstrip().lower()
    if head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in head):
        return "SVG"
    if data[4:8] == b"ftyp":
        brand = data[8:12]
        if brand in (b"avif", b"avis"):
            return "AVIF"
        if brand in (b"heic", b"heix", b"hevc", b"mif1", b"msf1"):
            return "HEIC"
    return None


def _open(name: str, data: bytes) -> Image.Image:
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
    except UnidentifiedImageError:
        kind = _sniff(data)
        if kind is not None:
            raise InputError(
                f"is an {kind} image; {kind} is not supported (brandrail checks PNG, JPEG, WebP and GIF)",
                location=Location(name),
                hint="convert it to PNG, JPEG, WebP or GIF",
            ) from None
        raise InputError(
            "is not an image Pillow can read (corrupt or unsupported format)",
            location=Location(name),
            hint="brandrail checks PNG, JPEG, WebP and GIF images",
        ) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InputError(
            f"has too many pixels (over {MAX_PIXELS:,}); refused as a possible decompression bomb",
            location=Location(name),
            hint="resize the image; creative checks accept images up to 50 megapixels",
        ) from None
    except _DECODE_ERRORS as exc:
        raise InputError(f"cannot be read as an image: {exc}", location=Location(name)) from None
    if img.format not in FORMATS:
        raise InputError(
            f"is a {img.format or 'unknown'} image; {img.format or 'this format'} is not supported "
            "(brandrail checks PNG, JPEG, WebP and GIF)",
            location=Location(name),
            hint="convert it to PNG, JPEG, WebP or GIF",
        )
    width, height = img.size
    if width <= 0 or height <= 0:
        raise InputError("has no pixels (zero width or height)", location=Location(name))
    if width * height > MAX_PIXELS:
        raise InputError(
            f"is {width}×{height} = {width * height:,} pixels, over the {MAX_PIXELS:,}-pixel limit; "
            "refused as a possible decompression bomb",
            location=Location(name),
            hint="resize the image; creative checks accept images up to 50 megapixels",
        )
    return img


def _frames(img: Image.Image) -> list[int]:
    """Indexes of the frames to sample: every frame up to :data:`MAX_FRAMES`, else evenly spread over the
    frames that fit in :data:`MAX_ANIMATION_PIXELS` (reaching a frame decodes every frame before it)."""
    n = max(1, int(getattr(img, "n_frames", 1) or 1))
    width, height = img.size
    n = min(n, max(1, MAX_ANIMATION_PIXELS // max(1, width * height)))
    if n <= MAX_FRAMES:
        return list(range(n))
    return sorted({round(i * (n - 1) / (MAX_FRAMES - 1)) for i in range(MAX_FRAMES)})


def _to_8bit(img: Image.Image) -> tuple[Image.Image, bool]:
    import numpy as np
    from PIL import Image

    if img.mode in ("I", "F") or img.mode.startswith("I;16"):
        # 16/32-bit greyscale: scale to 8 bits instead of letting convert() clip at 255
        wide = np.asarray(img, dtype=np.float64)
        top = 65535.0 if img.mode != "F" else max(1.0, float(wide.max()))
        img = Image.fromarray(np.clip(wide / top * 255.0, 0, 255).astype(np.uint8), "L")
    has_alpha = img.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
        img.mode == "P" and "transparency" in img.info
    )
    return img.convert("RGBA" if has_alpha else "RGB"), has_alpha


def _grid_positions(
    width: int, height: int, target: int, seed: int
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """(rows, cols) of one seeded random pixel inside each cell of a grid of about ``target`` cells."""
    import numpy as np

    scale = min(1.0, math.sqrt(target / (width * height)))
    tw, th = max(1, round(width * scale)), max(1, round(height * scale))
    rng = np.random.default_rng(seed)
    cols = np.floor((np.arange(tw)[None, :] + rng.random((th, tw))) * (width / tw)).astype(np.intp)
    rows = np.floor((np.arange(th)[:, None] + rng.random((th, tw))) * (height / th)).astype(np.intp)
    return np.minimum(rows, height - 1).reshape(-1), np.minimum(cols, width - 1).reshape(-1)


def _sample(name: str, data: bytes, target: int) -> npt.NDArray[np.uint8]:
    import numpy as np

    img = _open(name, data)
    width, height = img.size
    parts: list[npt.NDArray[np.uint8]] = []
    durations: list[float] = []
    try:
        frames = _frames(img)
        for k, frame in enumerate(frames):
            if frame:
                img.seek(frame)
            img.load()
            durations.append(float(img.info.get("duration") or 100) if len(frames) > 1 else 1.0)
            rgb, has_alpha = _to_8bit(img)
            if rgb.size != (width, height):  # a frame of another size: sample it on its own grid
                width, height = rgb.size
            rows, cols = _grid_positions(width, height, target, SAMPLE_SEED + k)
            arr = np.asarray(rgb, dtype=np.uint8)[rows, cols]
            if has_alpha:
                arr = arr[arr[:, 3] >= 128]
            parts.append(np.ascontiguousarray(arr[:, :3]))
    except _DECODE_ERRORS as exc:
        raise InputError(
            f"cannot be decoded: {exc}", location=Location(name), hint="re-export the image"
        ) from None
    if len(parts) == 1:
        return parts[0]
    # an animation: each frame counts for the time it is shown (a frame held three times as long weighs 3×)
    total = sum(durations)
    rng = np.random.default_rng(SAMPLE_SEED)
    kept = []
    for part, duration in zip(parts, durations, strict=True):
        n = min(len(part), round(target * duration / total))
        kept.append(part[np.sort(rng.permutation(len(part))[:n])])
    return np.ascontiguousarray(np.concatenate(kept))


def open_image(name: str, data: bytes) -> ImageSubject:
    """Open ``data`` (the bytes of file ``name``) as an image to check.

    Raises :class:`~brandrail.errors.InputError` naming the file when the data is not a PNG, JPEG, WebP or
    GIF image, is corrupt or truncated, or has more than :data:`MAX_PIXELS` pixels.
    """
    img = _open(name, data)
    width, height = img.size
    try:
        orientation = img.getexif().get(_ORIENTATION, 1)
    except _DECODE_ERRORS:  # a broken EXIF block does not make the image unusable
        orientation = 1
    if orientation in (5, 6, 7, 8):  # shown rotated by 90°: viewers swap width and height
        width, height = height, width
    subject = ImageSubject(
        name=name,
        format=str(img.format),
        width=width,
        height=height,
        size_bytes=len(data),
        mode=img.mode,
        data=data,
    )
    subject.sample()  # decode now, so a corrupt or truncated file fails here with its name
    return subject
