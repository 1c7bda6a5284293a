"""Stage 1: digest files -> `Digest` values (papers as each digest lists them).

Owns the digest grammar and its errors: a digest it cannot read stops the run with the file
and line; what it reads past but finds unusual is a notice on the digest. Reads files (and
asks git when a digest was first committed); writes nothing.

Modules, in the order a file goes through them: `source` (bytes -> lines), `lines` (what
each line is), `wrap` (hard-wrapped lines), `grammar` (titles, abstracts, metadata),
`dates` (the digest's date), `checks` (errors and notices), `digest` (all of it); `cache`
keeps what a build read, so the next one parses only new and changed digests.
"""

from generator.read.cache import read_digests
from generator.read.dates import record_data, records_from_data
from generator.read.digest import read_digest

__all__ = ["read_digest", "read_digests", "record_data", "records_from_data"]
