"""The digest pages (docs/digests/), the digest archive and the home page (the latest digest).

A digest page is the daily read: its papers as cards (`listing.paper_cards`) in the digest's
own order, and links to the digests before and after it by date. Its front matter lists its
papers' slugs (`papers:`), from which the paper pages link their neighbours in the digest
(generator/site/related.py). A new digest therefore changes its own page, the page of the
digest before it (which gains a "next" link), the archive and the home page; no paper page of
an older digest.
"""

from __future__ import annotations

from collections import Counter

from jinja2 import Environment

from generator.curate.facets import is_code_url
from generator.front_matter import front_matter
from generator.model import Digest, Site, nth_digest
from generator.render.base import human_date
from generator.render.listing import Card, chronological, digest_papers, paper_cards
from generator.render.memo import PageMemo

HOME_CARDS = 10  # the home page shows the latest digest's first papers as cards, then links to it
# A card folds the rest of its abstract into the page (a <details>), unless the digest is so long
# that its page would pass ~300 KB of HTML: then each card links to its paper for the rest. The
# estimate counts a card's characters and ~700 bytes of markup (the 104-paper real digest: 248 K).
PAGE_ESTIMATE_LIMIT = 270_000


def folds_abstracts(cards: list[Card]) -> bool:
    """Whether a digest page can hold every card's whole abstract (see PAGE_ESTIMATE_LIMIT)."""
    return sum(len(c.title) + len(c.summary) + len(c.rest) + 700 for c in cards) <= PAGE_ESTIMATE_LIMIT


def digest_labels(digests: list[Digest]) -> dict[str, str]:
    """Each digest's name: its date, and "2nd digest", "3rd digest" for later digests of a day
    (as their page slugs count them: `model.digest_slugs`)."""
    seen: Counter[object] = Counter()
    labels = {}
    for digest in digests:
        seen[digest.date] += 1
        n = seen[digest.date]
        labels[digest.id] = human_date(digest.date) + nth_digest(n)
    return labels


def render_digests(
    site: Site, env: Environment, share: int = 0, shares: int = 1, memo: PageMemo | None = None
) -> dict[str, str]:
    """The digest pages, and the digests' index page; with `shares`, only every `shares`-th
    digest page from the `share`-th (the index with share 0): at 30,000 papers the 600 digest
    pages are the longest part of a run's rendering, split over the workers."""
    memo = memo or PageMemo()
    pages: dict[str, str] = {}
    template = env.get_template("digest.md.j2")
    labels = digest_labels(list(site.digests))
    ordered = chronological(site)
    counts, openers = {}, {}
    for i, digest in enumerate(ordered):
        papers = digest_papers(site, digest)
        counts[digest.id], openers[digest.id] = len(papers), papers[0].title if papers else ""
        if i % shares != share:
            continue
        title = f"Digest of {labels[digest.id]}"
        meta = {"title": title, "papers": [p.slug for p in papers]}
        cards = paper_cards(papers, site.topic_names)
        path = f"digests/{site.digest_slugs[digest.id]}.md"
        previous = ordered[i - 1] if i > 0 else None
        following = ordered[i + 1] if i + 1 < len(ordered) else None
        # What the template reads: the cards (every value ready to print), the count, and the
        # neighbours' slugs and labels; not whole papers, whose related lists move every day.
        near = {d.id: (site.digest_slugs[d.id], labels[d.id]) for d in (previous, following) if d is not None}
        pages[path] = memo.page(
            path, meta, template,
            cards=cards,
            count=len(papers),
            fold=folds_abstracts(cards),
            with_code=sum(1 for p in papers if any(is_code_url(link) for link in p.links)),
            previous=previous.id if previous else None,
            following=following.id if following else None,
            near=near,
        )
    if share:
        return pages
    pages["digests/index.md"] = front_matter({"title": "Digests"}) + env.get_template("digests.md.j2").render(
        digests=list(reversed(ordered)), slugs=site.digest_slugs, labels=labels, counts=counts, openers=openers
    )
    return pages


def render_home(site: Site, env: Environment) -> dict[str, str]:
    ordered = chronological(site)
    latest = ordered[-1]
    papers = digest_papers(site, latest)
    counts = {slug: len(papers) for slug, papers in site.by_topic.items()}
    home = env.get_template("home.md.j2").render(
        settings=site.settings,
        latest=latest,
        label=digest_labels(list(site.digests))[latest.id],
        latest_slug=site.digest_slugs[latest.id],
        latest_count=len(papers),
        cards=paper_cards(papers[:HOME_CARDS], site.topic_names),
        previous_slug=site.digest_slugs[ordered[-2].id] if len(ordered) > 1 else None,
        papers=len(site.papers),
        digests=len(site.digests),
        taxonomy=site.taxonomy,
        counts=counts,
    )
    return {"index.md": front_matter({"hide": ["toc"]}) + home}
