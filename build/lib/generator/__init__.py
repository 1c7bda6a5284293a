"""Static site generator for a curated research-paper digest.

The pipeline, one module per stage (see README, "Architecture"):
read digests -> catalogue unique papers -> assign topics -> render pages -> write files.
"""

__version__ = "0.1.0"
