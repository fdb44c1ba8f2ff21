// Registers Sorot's service worker (www/sw.js) when the page is served over http(s), and tells the
// app when a new version of it or of its corpus is ready: `window.__sorotUpdateReady` and a
// `sorot-update` event; the app's "Reload" button calls `window.__sorotApplyUpdate()`. Once the worker
// controls the page, `window.__sorotKeeps` is set and a `sorot-keeps` event sent (the explorer then
// offers "Make available offline").
(() => {
  'use strict';
  if (!('serviceWorker' in navigator) || !/^https?:$/.test(location.protocol)) return;
  const container = navigator.serviceWorker;
  const hadController = Boolean(container.controller);
  let reloading = false;

  const announce = () => {
    window.__sorotUpdateReady = true;
    window.dispatchEvent(new Event('sorot-update'));
  };

  window.__sorotApplyUpdate = async () => {
    const registration = await container.getRegistration();
    if (registration && registration.waiting) registration.waiting.postMessage({ type: 'skip-waiting' });
    else location.reload();
  };

  // The new version took over (after "Reload"): load the page from it.
  container.addEventListener('controllerchange', () => {
    if (hadController && !reloading) {
      reloading = true;
      location.reload();
    }
  });
  container.addEventListener('message', (event) => {
    if (event.data && event.data.type === 'pack-updated') announce();
  });

  const keep = (urls) => container.ready.then((r) => r.active && r.active.postMessage({ type: 'keep', urls }));
  // Packs, and a split pack's entry and pieces (the worker tells them apart).
  const isPack = (name) => /\.(pack|sorot)$/.test(new URL(name, location.href).pathname);

  window.addEventListener('load', async () => {
    let registration;
    try {
      registration = await container.register('sw.js');
    } catch (error) {
      console.warn('Sorot works without offline support here:', error);
      return;
    }
    // A browser that blocks service workers may resolve with nothing instead of refusing.
    if (!registration) return;
    const watch = (worker) =>
      worker &&
      worker.addEventListener('statechange', () => {
        if (worker.state === 'installed' && container.controller) announce();
      });
    if (registration.waiting && container.controller) announce();
    // What the page fetches from now on is kept: the explorer offers to keep a whole split pack.
    const keeps = () => {
      window.__sorotKeeps = true;
      window.dispatchEvent(new Event('sorot-keeps'));
    };
    container.ready.then(() => {
      if (container.controller) keeps();
      else container.addEventListener('controllerchange', keeps, { once: true });
    });
    watch(registration.installing);
    registration.addEventListener('updatefound', () => watch(registration.installing));
    // Keep this page and the packs it loads for offline use, also those fetched before the worker ran.
    const loaded = performance.getEntriesByType('resource').map((e) => e.name).filter(isPack);
    keep([location.href, ...loaded]);
    new PerformanceObserver((list) => {
      const packs = list.getEntries().map((e) => e.name).filter(isPack);
      if (packs.length) keep(packs);
    }).observe({ type: 'resource' });
  });
})();
