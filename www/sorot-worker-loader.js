// Starts Sorot's worker that adds articles (crates/worker): its wasm-bindgen script, then its wasm.
// Messages that come before the wasm listens are kept and handed to it once it does, so a page may
// post at once.
const early = [];
self.onmessage = (event) => early.push(event);
importScripts('./sorot-worker.js');
wasm_bindgen({ module_or_path: './sorot-worker_bg.wasm' }).then(
  () => {
    for (const event of early.splice(0)) self.onmessage(event);
  },
  (error) => self.postMessage({ type: 'failed', message: `the worker could not start: ${error}` }),
);
