"""Everything the site engine (MkDocs, or ProperDocs, its drop-in fork) loads: one plugin.

Owns what the engine must do for the generated pages (escaping, hidden pages, redirects,
shared-template caching) and `verify`, which checks the built site did all of it.
"""
