"""Open images safely (Pillow) and sample their pixels for the palette check.

Only PNG, JPEG and WebP are accepted. The header is read first and an image with more than
:data:`MAX_PIXELS` pixels is refused *before* it is decoded (decompression-bomb guard); Pillow's own
bomb check stays on as a second line. Pixels are sampled, not all analysed: a JPEG is decoded at a reduced
scale (DCT scaling, ``draft``), then every image is resized with nearest-neighbour sampling to about
``sample_pixels`` pixels, so no new (blended) colours are invented. Pixels less than half opaque are dropped.
"""

from __future__ import annotations

import io
import math
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from brandrail.errors import InputError, Location

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    from PIL import Image

__all__ = ["DEFAULT_SAMPLE_PIXELS", "FORMATS", "MAX_PIXELS", "ImageSubject", "open_image"]

#: Images with more pixels than this (about 8000 × 6000) are refused before decoding.
MAX_PIXELS = 50_000_000
#: Formats brandrail reads (Pillow format names).
FORMATS = ("PNG", "JPEG", "WEBP")
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


def _open(name: str, data: bytes) -> Image.Image:
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
    except UnidentifiedImageError:
        raise InputError(
            "is not an image Pillow can read (corrupt or unsupported format)",
            location=Location(name),
            hint="brandrail checks PNG, JPEG and WebP images",
        ) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InputError(
            f"has too many pixels (over {MAX_PIXELS:,}); refused as a possible decompression bomb",
            location=Location(name),
            hint="resize the image; creative checks accept images up to 50 megapixels",
        ) from None
    except (OSError, ValueError, SyntaxError) as exc:
        raise InputError(f"cannot be read as an image: {exc}", location=Location(name)) from None
    if img.format not in FORMATS:
        raise InputError(
            f"is a {img.format or 'unknown'} image; only PNG, JPEG and WebP are checked",
            location=Location(name),
            hint="convert it to PNG, JPEG or WebP",
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


def _sample(name: str, data: bytes, target: int) -> npt.NDArray[np.uint8]:
    import numpy as np
    from PIL import Image

    img = _open(name, data)
    width, height = img.size
    scale = min(1.0, math.sqrt(target / (width * height)))
    tw, th = max(1, round(width * scale)), max(1, round(height * scale))
    try:
        if img.format == "JPEG" and scale < 0.5:
            # decode at 1/2, 1/4 or 1/8 scale, staying at least twice the sample size
            img.draft("RGB", (tw * 2, th * 2))
        img.load()
        if img.mode in ("I", "F") or img.mode.startswith("I;16"):
            # 16/32-bit greyscale: scale to 8 bits instead of letting convert() clip at 255
            wide = np.asarray(img, dtype=np.float64)
            top = 65535.0 if img.mode != "F" else max(1.0, float(wide.max()))
            img = Image.fromarray(np.clip(wide / top * 255.0, 0, 255).astype(np.uint8), "L")
        has_alpha = img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info)
        img = img.convert("RGBA" if has_alpha else "RGB")
        if img.size != (tw, th):
            img = img.resize((tw, th), Image.Resampling.NEAREST)
        arr = np.asarray(img, dtype=np.uint8).reshape(-1, 4 if has_alpha else 3)
    except (OSError, ValueError, SyntaxError) as exc:
        raise InputError(
            f"cannot be decoded: {exc}", location=Location(name), hint="re-export the image"
        ) from None
    if has_alpha:
        arr = arr[arr[:, 3] >= 128, :3]
    return np.ascontiguousarray(arr)


def open_image(name: str, data: bytes) -> ImageSubject:
    """Open ``data`` (the bytes of file ``name``) as an image to check.

    Raises :class:`~brandrail.errors.InputError` naming the file when the data is not a PNG, JPEG or WebP
    image, is corrupt or truncated, or has more than :data:`MAX_PIXELS` pixels.
    """
    img = _open(name, data)
    width, height = img.size
    try:
        orientation = img.getexif().get(_ORIENTATION, 1)
    except (OSError, ValueError, SyntaxError):  # a broken EXIF block does not make the image unusable
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
