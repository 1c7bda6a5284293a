"""Stage 2: listings -> unique `Paper` values, each with a stable slug (its URL).

Owns what "the same paper" means (the title key) and how merged listings resolve.
"""

from generator.catalogue.papers import Catalogue, catalogue, paper_texts

__all__ = ["Catalogue", "catalogue", "paper_texts"]
