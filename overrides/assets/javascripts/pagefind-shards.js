// The search index comes in shards (generator/search/shards.py): one Pagefind index per block of
// papers, so a new digest re-indexes only the small tail block it lands in. pagefind/shards.json
// lists their folders, the first one first. The first is loaded as Pagefind's own index and the
// others are merged into it with Pagefind's documented mergeIndex: a search asks every shard and
// gets one list of results, ranked together. A result's date and topics are not in the index (a
// new date or a curator's retag of an older paper would re-index its whole shard): `facts(url)`
// reads the line shown under the result's title from pagefind-facts/<bucket>.json, the bucket
// being FNV-1a of the page's URL (relative to the site) modulo shards.json's `fact_buckets`.
export async function loadShards(base) {
  const first = new URL("pagefind/", base);
  const pagefind = await import(new URL("pagefind.js", first).href);
  await pagefind.options({ baseUrl: base.pathname });
  pagefind.init();
  let shards = [];
  let buckets = 0;
  try {
    const listing = await (await fetch(new URL("shards.json", first))).json();
    shards = listing.shards || [];
    buckets = listing.fact_buckets || 0;
  } catch {
    // an index without a list (one shard) is searched alone
  }
  const others = shards.slice(1).map((path) => new URL(path, base).pathname);
  await Promise.all(others.map((path) => pagefind.mergeIndex(path, { baseUrl: base.pathname })));
  // Pagefind's own debouncedSearch fetches, at every key, the index chunks of what is typed so
  // far ("m", "mu", "mul", ...) in every shard: ~170 KB more a query at 30,000 papers in four
  // shards. This one waits the same way but fetches only for the words the reader stopped on.
  let latest = 0;
  const debouncedSearch = async (term, options, wait) => {
    const mine = ++latest;
    await new Promise((resolve) => setTimeout(resolve, wait));
    return mine === latest ? pagefind.search(term, options) : null;
  };
  const fetched = new Map(); // bucket -> promise of its {url: facts}
  const facts = async (url) => {
    const path = new URL(url, base).pathname;
    if (!buckets || !path.startsWith(base.pathname)) return "";
    const key = path.slice(base.pathname.length);
    let hash = 0x811c9dc5;
    for (const byte of new TextEncoder().encode(key)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
    const bucket = hash % buckets;
    if (!fetched.has(bucket)) {
      const url = new URL(`pagefind-facts/${bucket}.json`, base);
      fetched.set(bucket, fetch(url).then((r) => (r.ok ? r.json() : {})).catch(() => ({})));
    }
    return (await fetched.get(bucket))[key] || "";
  };
  return { ...pagefind, debouncedSearch, facts };
}
