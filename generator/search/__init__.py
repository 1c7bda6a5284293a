"""The search index over the built site (Pagefind), run after the site engine.

Owns which pages are searchable and how a large site is indexed within memory.
"""
