// Sorot's service worker: the app works offline after the first visit.
//
// - The app files of this build are cached on install, in a cache named after the build's version,
//   and served from there; older versions' caches go when this one activates.
// - A new build waits until the page says so: the page shows "a new version is available — reload".
// - Corpus packs (`*.pack`) are kept in their own cache, served from it, and checked against the
//   network in the background; when one changed, the page is told, and it offers the same reload.
//
// The build (scripts/postbuild.mjs) fills in the version and the list of files.
const VERSION = '__SOROT_VERSION__';
const SHELL = __SOROT_SHELL__;
const APP = `sorot-app-${VERSION}`;
const PACKS = 'sorot-packs';

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(APP).then((cache) => cache.addAll(SHELL.map((file) => new Request(file, { cache: 'reload' })))),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key.startsWith('sorot-app-') && key !== APP) await caches.delete(key);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('message', (event) => {
  const data = event.data || {};
  if (data.type === 'skip-waiting') self.skipWaiting();
  if (data.type === 'keep' && Array.isArray(data.urls)) event.waitUntil(keep(data.urls));
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.endsWith('.pack')) event.respondWith(pack(request, event));
  else event.respondWith(app(request));
});

/** App files: from the cache, else from the network (and kept); pages fall back to the cached app. */
async function app(request) {
  const cache = await caches.open(APP);
  const navigate = request.mode === 'navigate';
  const cached = (await cache.match(request)) || (navigate && (await cache.match(request, { ignoreSearch: true })));
  if (cached) return cached;
  try {
    const response = await fetch(request);
    if (response.ok && response.type === 'basic') await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const page = navigate && (await cache.match('index.html'));
    if (page) return page;
    throw error;
  }
}

/** Packs: the kept copy at once, and a check against the network that tells pages about changes. */
async function pack(request, event) {
  const cache = await caches.open(PACKS);
  const cached = await cache.match(request);
  // A copy to compare with: the page reads the body of `cached` itself.
  const kept = cached && cached.clone();
  const fresh = fetch(request).then(async (response) => {
    if (response.ok) {
      const changed = kept && !(await sameBytes(kept, response.clone()));
      if (!cached || changed) await cache.put(request, response.clone());
      if (changed) await tell({ type: 'pack-updated', url: request.url });
    }
    return response;
  });
  if (!cached) return fresh;
  event.waitUntil(fresh.catch(() => undefined));
  return cached;
}

async function sameBytes(a, b) {
  const [x, y] = await Promise.all([a.arrayBuffer(), b.arrayBuffer()]);
  if (x.byteLength !== y.byteLength) return false;
  const p = new Uint8Array(x);
  const q = new Uint8Array(y);
  for (let i = 0; i < p.length; i++) if (p[i] !== q[i]) return false;
  return true;
}

/** Keeps what a page loaded before this worker controlled it (its address, a `?pack=` corpus). */
async function keep(urls) {
  for (const address of urls) {
    const url = new URL(address, self.location.href);
    if (url.origin !== self.location.origin) continue;
    const cache = await caches.open(url.pathname.endsWith('.pack') ? PACKS : APP);
    if (await cache.match(url.href)) continue;
    try {
      const response = await fetch(url.href);
      if (response.ok) await cache.put(url.href, response);
    } catch {
      // Offline already: nothing to keep now.
    }
  }
}

async function tell(message) {
  for (const client of await self.clients.matchAll({ type: 'window' })) client.postMessage(message);
}
