"""`python -m generator.search site`: index the built site (what `make site` runs after MkDocs)."""

import sys

from generator.search.index import main

sys.exit(main())
