// Installed in the real explorer page before its own scripts (page.addInitScript), to time what a person
// sees. `probeWord` is a word of the benchmark corpus that the bundled seed corpus does not have.
//
// Navigation → searchable: as soon as the search box exists, the probe word is put into it (an `input`
// event, as typing would); the page counts as searchable at the first paint after the status line shows
// at least one article found and no corpus is loading. Times are ms since navigation start. The page
// counts as ready (`readyAt`) at the first look that finds the search box and the results pane: the
// corpus is in (while a corpus by URL loads, the explorer shows no results pane), though the probe
// word's own pieces may still be on their way.
//
// Keystroke → results painted: a capture-phase keydown listener on window notes the event's timeStamp
// (when the key was pressed, including any wait for the main thread). The explorer then searches and
// renders in the same task or in tasks right after it (Yew may yield between render steps). A
// MutationObserver counts DOM changes; we wait frame by frame (requestAnimationFrame, then setTimeout 0
// = after that frame was painted) until a frame passes with no new DOM change. The end is the paint of
// the last frame that brought changes (or the first frame when the keystroke changed nothing).
// bench/run.mjs presses the next key only after this settles, so each keystroke is timed on its own.
//
// Long tasks (> 50 ms, PerformanceObserver 'longtask') and Event Timing entries of key events are
// collected too.
(probeWord) => {
  const probe = {
    keys: [],
    pending: 0,
    recording: false,
    mutations: 0,
    searchableAt: null,
    readyAt: null,
    loadedAt: null,
    filledAt: null,
    longTasks: [],
    events: [],
  };
  window.__probe = probe;

  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) probe.longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (e.name === 'keydown' || e.name === 'input' || e.name === 'keyup') {
          probe.events.push({ name: e.name, start: e.startTime, duration: e.duration, processing: e.processingEnd - e.processingStart });
        }
      }
    }).observe({ type: 'event', durationThreshold: 16, buffered: true });
  } catch {
    // Event Timing is optional: the keystroke numbers do not depend on it.
  }

  /** Resolves after the next frame was painted, with the DOM change count at that frame. */
  const frame = () =>
    new Promise((ok) => {
      requestAnimationFrame(() => {
        const count = probe.mutations;
        setTimeout(() => ok({ count, at: performance.now() }), 0);
      });
    });

  /** Waits until a frame passes with no DOM change; returns the paint that showed the last change. */
  async function settle(since) {
    let last = await frame();
    for (let i = 0; i < 120; i++) {
      const next = await frame();
      if (next.count === last.count) break;
      last = next;
    }
    return { at: last.at, changed: last.count !== since };
  }
  probe.quiet = async () => (await settle(probe.mutations)).at;
  /** When the last DOM change was painted, once it was (else null). */
  probe.lastChangePainted = () => (probe.painted?.count === probe.mutations ? probe.painted.at : null);

  const status = () => document.querySelector('.search .status')?.textContent ?? '';
  let checking = false;
  async function check() {
    if (probe.searchableAt !== null || checking) return;
    const input = document.getElementById('search-input');
    if (input && probe.readyAt === null && document.querySelector('.results')) probe.readyAt = performance.now();
    if (input && probe.filledAt === null) {
      probe.filledAt = performance.now();
      input.value = probeWord;
      input.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: probeWord }));
    }
    if (/^\s*[1-9]/.test(status()) && !document.querySelector('.loading')) {
      checking = true;
      probe.loadedAt = performance.now();
      probe.searchableAt = (await settle(probe.mutations)).at;
      probe.searchStatus = status();
    }
  }

  // The paint after the latest DOM change: each change asks for a frame unless one is asked for
  // already; `probe.painted` is the count of changes that frame showed and when it was painted.
  let frameAsked = false;
  probe.painted = null;
  new MutationObserver(() => {
    probe.mutations++;
    if (!frameAsked) {
      frameAsked = true;
      requestAnimationFrame(() => {
        frameAsked = false;
        const count = probe.mutations;
        setTimeout(() => (probe.painted = { count, at: performance.now() }), 0);
      });
    }
    check();
  }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });

  window.addEventListener(
    'keydown',
    (e) => {
      if (!probe.recording || e.key.length !== 1 || e.ctrlKey || e.metaKey || e.altKey) return;
      const rec = { key: e.key, start: e.timeStamp };
      const since = probe.mutations;
      probe.pending++;
      settle(since).then(({ at, changed }) => {
        rec.ms = at - rec.start;
        rec.changed = changed;
        rec.status = status();
        probe.keys.push(rec);
        probe.pending--;
      });
    },
    { capture: true },
  );
};
