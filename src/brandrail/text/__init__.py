"""Text handling: the Document (original + normalised view + offset map) and Markdown/HTML extraction."""

from brandrail.text.document import Document, Suppression
from brandrail.text.normalize import fold_term, normalize

__all__ = ["Document", "Suppression", "fold_term", "normalize"]
