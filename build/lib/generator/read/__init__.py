"""Stage 1: digest files -> `Digest` values (papers as each digest lists them).

Owns the digest grammar and its errors: a digest it cannot read stops the run with the file
and line. Reads files; writes nothing.
"""

from generator.read.digest import read_digest, read_digests

__all__ = ["read_digest", "read_digests"]
