// Sorot's service worker: the app works offline after the first visit.
//
// - The app files of this build are cached on install, in a cache named after the build's version,
//   and served from there; older versions' caches go when this one activates.
// - A new build waits until the page says so: the page shows "a new version is available — reload".
// - Corpus packs (`*.pack`, and a split pack's entry file `*.sorot`) are kept in their own cache,
//   served from it, and checked against the network in the background; when one changed, the page is
//   told, and it offers the same reload.
// - A split pack's pieces (`p-3f2a….sorot`, named by the SHA-256 of their bytes) are kept once their
//   bytes match their name, and from then on served from the cache without asking the network. When a
//   split pack's entry changes, the kept pieces beside it that the new entry no longer names go, once
//   a page has loaded the new entry (a page still open on the old one keeps working offline); its
//   article batches are named by its ranges' lengths pieces, which the entry names.
//
// The build (scripts/postbuild.mjs) fills in the version and the list of files.
const VERSION = '__SOROT_VERSION__';
const SHELL = __SOROT_SHELL__;
const APP = `sorot-app-${VERSION}`;
const PACKS = 'sorot-packs';
const PIECES = 'sorot-pieces';

/** A split pack's piece: a kind letter and the first 16 hex digits of its bytes' SHA-256. */
const PIECE = /\/[a-z]-([0-9a-f]{16})\.sorot$/;
/** A corpus that may change under its address: a pack, or a split pack's entry. */
const isPack = (path) => path.endsWith('.pack') || (path.endsWith('.sorot') && !PIECE.test(path));

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
  if (isPack(url.pathname)) event.respondWith(pack(request, event));
  else if (PIECE.test(url.pathname)) event.respondWith(piece(request.url));
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
  const cached = await cache.match(request.url);
  const fresh = check(request.url);
  if (!cached) return fresh;
  event.waitUntil(fresh.catch(() => undefined));
  return cached;
}

/**
 * A piece: the kept copy, else from the network, kept when its bytes are what its name says (a
 * damaged download is passed on, for the page to report, and not kept).
 */
async function piece(url) {
  const cache = await caches.open(PIECES);
  const cached = await cache.match(url);
  if (cached) return cached;
  const response = await fetch(url);
  if (response.ok && (await named(url, response.clone()))) await cache.put(url, response.clone());
  return response;
}

/** Whether `response`'s bytes have the SHA-256 that piece address `url` names. */
async function named(url, response) {
  const want = new URL(url).pathname.match(PIECE)[1];
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await response.arrayBuffer()));
  const got = [...digest.slice(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return got === want;
}

/** Work on one pack address, one task at a time (a page's fetch and a `keep` may come together). */
const queues = new Map();
function serially(url, task) {
  const run = (queues.get(url) || Promise.resolve()).then(task);
  const settled = run.catch(() => undefined);
  queues.set(url, settled);
  settled.then(() => queues.get(url) === settled && queues.delete(url));
  return run;
}

/**
 * Fetches the pack at `url` and keeps it (with `unlessKept`, only when no copy is kept yet). When the
 * kept copy was a different one, every page is told. The one way a pack enters or changes in the
 * cache, one check at a time: no change is taken in silently, whether a page's fetch or a `keep`
 * meets it first.
 */
function check(url, { unlessKept = false } = {}) {
  return serially(url, async () => {
    const cache = await caches.open(PACKS);
    if (unlessKept && (await cache.match(url))) return undefined;
    const response = await fetch(url, { cache: 'no-cache' });
    if (!response.ok) return response;
    const kept = await cache.match(url);
    const changed = kept && !(await sameBytes(kept, response.clone()));
    if (!kept || changed) await cache.put(url, response.clone());
    const split = !url.endsWith('.pack');
    if (split && changed) await cache.put(pruneMark(url), new Response(''));
    // The kept entry was served to the page and is the site's: pieces only the old one named can go.
    if (split && kept && !changed && (await cache.match(pruneMark(url)))) {
      await prune(url, response.clone());
      await cache.delete(pruneMark(url));
    }
    if (changed) await tell({ type: 'pack-updated', url });
    return response;
  });
}

/** Where the packs' cache notes that split pack entry `url` changed since its pieces were pruned. */
const pruneMark = (url) => `${url}${url.includes('?') ? '&' : '?'}sorot-prune`;

/**
 * Removes the kept pieces beside split pack entry `url` that its new bytes (`entry`) do not name. The
 * entry holds each piece's 8-byte hash, the piece's name in hex: a piece is named when its hash's bytes
 * occur in the entry (by chance, another run of 8 bytes matches one in 2^64). Article batches are
 * named by their ranges' lengths pieces instead, and the postings chunks of a large archive by its
 * dictionary chunks: the entry lists those naming pieces first. Each is read (kept, or fetched and
 * kept now) and looked through too; if one cannot be had, the pieces of the kind it names stay.
 */
async function prune(url, entry) {
  const bytes = new Uint8Array(await entry.arrayBuffer());
  const listed = new Set();
  note(listed, bytes);
  const folder = url.slice(0, url.lastIndexOf('/') + 1);
  const cache = await caches.open(PIECES);
  // The kinds of piece named by a piece that could not be had (`a` by `l`, `p` by `d`).
  const unsure = new Set();
  for (const name of namingPieces(bytes)) {
    if (unsure.has(NAMES[name[0]])) continue;
    const address = `${folder}${name}`;
    let response = await cache.match(address);
    if (!response) {
      try {
        response = await piece(address);
      } catch {
        response = null;
      }
    }
    if (!response || !response.ok) {
      unsure.add(NAMES[name[0]]);
      continue;
    }
    const inflated = new Response(response.body.pipeThrough(new DecompressionStream('gzip')));
    note(listed, new Uint8Array(await inflated.arrayBuffer()));
  }
  for (const request of await cache.keys()) {
    const rest = request.url.startsWith(folder) ? request.url.slice(folder.length) : '/';
    const hash = rest.includes('/') ? null : new URL(request.url).pathname.match(PIECE)?.[1];
    if (hash && !listed.has(hash) && !unsure.has(rest[0])) await cache.delete(request);
  }
}

/** The kind of piece each kind of naming piece names: a range's lengths its article batches, a
 * dictionary chunk postings chunks. */
const NAMES = { l: 'a', d: 'p' };

/** Notes every run of 8 bytes of `bytes`, in hex. */
function note(listed, bytes) {
  for (let at = 0; at + 8 <= bytes.length; at++) {
    listed.add([...bytes.subarray(at, at + 8)].map((b) => b.toString(16).padStart(2, '0')).join(''));
  }
}

/**
 * The file names of the pieces a split pack's entry lists as naming others (its lengths pieces, and the
 * dictionary chunks of an archive whose entry does not name its postings chunks): its payload (after
 * the 24-byte container header) begins with them, each as its kind's letter and its 8-byte hash, after
 * their number of bytes (a LEB128 varint, as postcard writes it).
 */
function namingPieces(bytes) {
  let at = 24;
  let n = 0;
  for (let shift = 0; at < bytes.length && shift < 35; shift += 7) {
    const b = bytes[at++];
    n += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) break;
  }
  const out = [];
  for (let i = 0; i < n / 9 && at + 9 <= bytes.length; i++, at += 9) {
    const hash = [...bytes.subarray(at + 1, at + 9)].map((b) => b.toString(16).padStart(2, '0')).join('');
    out.push(`${String.fromCharCode(bytes[at])}-${hash}.sorot`);
  }
  return out;
}

async function sameBytes(a, b) {
  const [x, y] = await Promise.all([a.arrayBuffer(), b.arrayBuffer()]);
  if (x.byteLength !== y.byteLength) return false;
  const p = new Uint8Array(x);
  const q = new Uint8Array(y);
  for (let i = 0; i < p.length; i++) if (p[i] !== q[i]) return false;
  return true;
}

/**
 * Keeps what a page loaded before this worker controlled it (its address, a `?pack=` corpus, a split
 * pack's pieces).
 */
async function keep(urls) {
  for (const address of urls) {
    const url = new URL(address, self.location.href);
    if (url.origin !== self.location.origin) continue;
    try {
      if (isPack(url.pathname)) {
        await check(url.href, { unlessKept: true });
        continue;
      }
      if (PIECE.test(url.pathname)) {
        await piece(url.href);
        continue;
      }
      const cache = await caches.open(APP);
      if (await cache.match(url.href)) continue;
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
