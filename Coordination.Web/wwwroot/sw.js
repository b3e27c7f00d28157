// The service worker of the map page: what a phone needs when the link drops (README "Offline").
// - The app shell: the page itself (network first, the last copy when offline) and every versioned file (?v=…,
//   immutable: cache first), glyphs included.
// - Map tiles: the last copy at once, refreshed in the background (boundaries change rarely); the page asks for the
//   user's own area plus ring 1, zoom 8 to 14, to be fetched ahead (message 'prefetch-tiles').
// - The API's reads: network first; offline, the last answer, marked with the time it was fetched
//   (X-Offline-Fetched-At), so the page can say how old it is. The live stream and the sign-in calls are never kept.
// Writes are not this worker's: the page queues them in IndexedDB and replays them with their Idempotency-Key.

const SHELL = 'coordination-shell-v1';
const TILES = 'coordination-tiles-v1';
const DATA = 'coordination-data-v1';
const FETCHED_AT = 'x-offline-fetched-at';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const request = event.request;
  // Range requests (the PMTiles basemap) cannot be kept whole; the browser's own cache serves them.
  if (request.method !== 'GET' || request.headers.has('range')) return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') event.respondWith(networkFirst(request, SHELL, url.pathname));
  else if (url.pathname.startsWith('/tiles/')) event.respondWith(staleWhileRevalidate(request, TILES));
  else if (url.pathname.startsWith('/api/')) {
    if (kept(url)) event.respondWith(networkFirst(request, DATA, null, true));
  } else if (url.searchParams.has('v') || url.pathname.startsWith('/_glyphs/')) event.respondWith(cacheFirst(request, SHELL));
});

/** API reads worth keeping: not the antiforgery token, the sign-in calls or the live stream. */
const kept = (url) => url.pathname.startsWith('/api/') && !/^\/api\/auth\/(antiforgery|login|logout)/.test(url.pathname) && !url.pathname.endsWith('/stream');

/** The network's answer (kept), else the last one kept; `stamp`: remember when it was fetched. */
async function networkFirst(request, name, key, stamp = false) {
  const cache = await caches.open(name);
  try {
    const response = await fetch(request);
    if (response.ok) {
      const copy = stamp ? await stamped(response.clone()) : response.clone();
      await cache.put(key ?? request, copy);
    }
    return response;
  } catch (err) {
    const last = await cache.match(key ?? request, { ignoreVary: true });
    if (last) return last;
    throw err;
  }
}

async function stamped(response) {
  const headers = new Headers(response.headers);
  headers.set(FETCHED_AT, new Date().toISOString());
  return new Response(await response.blob(), { status: response.status, statusText: response.statusText, headers });
}

async function cacheFirst(request, name) {
  const cache = await caches.open(name);
  const copy = await cache.match(request, { ignoreVary: true });
  if (copy) return copy;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

async function staleWhileRevalidate(request, name) {
  const cache = await caches.open(name);
  const copy = await cache.match(request, { ignoreVary: true });
  const fresh = fetch(request).then(async (response) => {
    if (response.ok) await cache.put(request, response.clone());
    return response;
  });
  if (copy) { fresh.catch(() => {}); return copy; }
  return fresh;
}

self.addEventListener('message', (event) => {
  const m = event.data;
  if (m?.type === 'prefetch-tiles' && Array.isArray(m.urls)) event.waitUntil(prefetch(m.urls, event.source));
  else if (m?.type === 'forget-data') event.waitUntil(caches.delete(DATA));
  else if (m?.type === 'keep-shell' && Array.isArray(m.urls)) event.waitUntil(keep(SHELL, m.urls));
  else if (m?.type === 'keep-data' && Array.isArray(m.urls)) event.waitUntil(keep(DATA, m.urls.filter((u) => kept(new URL(u))), true));
});

/**
 * What the page loaded before this worker took it over (the first visit is not seen by it), fetched and kept when
 * not kept yet: the shell's files as they are, the API's reads stamped like any other.
 */
async function keep(name, urls, stamp = false) {
  const cache = await caches.open(name);
  for (const u of urls) {
    if (await cache.match(u, { ignoreVary: true })) continue;
    try {
      const response = await fetch(u, stamp ? { headers: { Accept: 'application/json' } } : undefined);
      if (response.ok) await cache.put(u, stamp ? await stamped(response) : response);
    } catch { /* kept next time */ }
  }
}

/** Fetches the tiles not kept yet, four at a time; tells the page how many it has. */
async function prefetch(urls, client) {
  const cache = await caches.open(TILES);
  const missing = [];
  for (const u of urls) if (!(await cache.match(u))) missing.push(u);
  let done = urls.length - missing.length, failed = 0;
  const next = async () => {
    for (let u = missing.shift(); u; u = missing.shift()) {
      try {
        const response = await fetch(u);
        if (response.ok) { await cache.put(u, response); done++; } else failed++;
      } catch { failed++; }
    }
  };
  await Promise.all([next(), next(), next(), next()]);
  client?.postMessage({ type: 'tiles-prefetched', total: urls.length, kept: done, failed });
}
