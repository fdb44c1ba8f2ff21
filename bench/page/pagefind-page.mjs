// Pagefind's side of the cold-start phase (bench/cold-start.mjs): a page that loads Pagefind's bundle
// from /pagefind/ as a site would, and on each input searches and renders the titles of the first 10
// results. Times are ms since navigation start (performance.now()).
//
// Ready: pagefind.init() only creates Pagefind's instance and starts its web worker; pagefind.filters()
// then waits until the worker has loaded the entry file, the index's meta file and the wasm (the index
// has no filters, so it loads nothing more). `readyAt` is the paint after that.
const box = document.getElementById('search');
const list = document.querySelector('.results');
const status = document.querySelector('.status');
const state = { readyAt: null, initAt: null, error: null, pending: null };
window.__pf = state;

/** Resolves after the next frame was painted. */
const frame = () => new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 0)));

let pagefind;
let latest = 0;

/** One search, its first 10 results' data, and their titles in the list; null when a newer one started. */
async function run(text, n) {
  const search = await pagefind.search(text);
  const data = await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
  if (n !== latest) return null;
  list.replaceChildren(...data.map((d) => {
    const li = document.createElement('li');
    li.textContent = d.meta?.title || d.url;
    return li;
  }));
  status.textContent = `${search.results.length} found`;
  await frame();
  return { end: performance.now(), total: search.results.length, shown: data.length, urls: data.map((d) => d.url) };
}

box.addEventListener('input', () => {
  const n = ++latest;
  state.pending = run(box.value, n);
});

/** The whole query put into the box at once (one input event), until its results are painted. */
state.enter = async (text) => {
  const t0 = performance.now();
  box.value = text;
  box.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: text }));
  const r = await state.pending;
  return { ms: r.end - t0, total: r.total, shown: r.shown, urls: r.urls };
};

try {
  pagefind = await import('/pagefind/pagefind.js');
  await pagefind.init();
  state.initAt = performance.now();
  await pagefind.filters();
  status.textContent = 'ready';
  await frame();
  state.readyAt = performance.now();
} catch (e) {
  state.error = String(e?.message ?? e);
}
