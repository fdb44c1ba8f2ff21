// The Sorot JavaScript API under a name that stays the same from build to build:
//
//   import { Sorot } from './sorot.js';
//   const sorot = await Sorot.fromUrl('articles.pack');
//
// The import resolves once the app's wasm is loaded (from next to this file, wherever the build
// folder is put) and started; if it cannot be loaded, the import fails with the reason. The explorer
// is not mounted on the page. The build (scripts/postbuild.mjs) fills in the hashed file names below.
import init, { Sorot } from './__SOROT_JS__';

// Tells the wasm not to mount the full-page explorer on this page's <body>.
globalThis.__SOROT_NO_MOUNT__ = true;
const wasm = new URL('./__SOROT_WASM__', import.meta.url);
const response = await fetch(wasm);
if (!response.ok) throw new Error(`Sorot cannot load ${wasm}: HTTP ${response.status}`);
await init({ module_or_path: response });

export { Sorot };
