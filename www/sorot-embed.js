// <sorot-explorer>: the Sorot explorer as an element for any page, with one script tag:
//
//   <script src="https://example.org/sorot/sorot-embed.js"></script>
//   <sorot-explorer pack="/articles.pack" lang="id" query="kazakhstan"
//                   filters='person:"Vladimir Putin"' locked-filters height="600px"></sorot-explorer>
//
// The app files (wasm, its JS glue, the stylesheet) are found next to this script; `pack` is relative
// to the page. Each element renders in its own shadow root, styled by a constructed stylesheet (no
// inline styles or scripts, so it works under `style-src 'self'; script-src 'self' 'wasm-unsafe-eval'`).
// The build (scripts/postbuild.mjs) fills in the hashed file names below.
(() => {
  'use strict';
  const FILES = { js: '__SOROT_JS__', wasm: '__SOROT_WASM__', css: '__SOROT_CSS__' };
  const script = document.currentScript;
  const base = new URL('.', script && script.src ? script.src : document.baseURI);
  const ATTRIBUTES = ['pack', 'lang', 'query', 'filters', 'locked-filters', 'height'];
  let ready = null;

  /** Loads the wasm app and the widget stylesheet once for every element on the page. */
  function load() {
    if (!ready) {
      // Tells the wasm not to mount the full-page explorer on this page's <body>.
      globalThis.__SOROT_NO_MOUNT__ = true;
      ready = (async () => {
        const css = fetch(new URL(FILES.css, base)).then((response) => {
          if (!response.ok) throw new Error(`${FILES.css}: HTTP ${response.status}`);
          return response.text();
        });
        const module = await import(new URL(FILES.js, base).href);
        await module.default({ module_or_path: new URL(FILES.wasm, base) });
        const sheet = new CSSStyleSheet();
        sheet.replaceSync(await css);
        return { Explorer: module.EmbeddedExplorer, sheet };
      })();
    }
    return ready;
  }

  class SorotExplorer extends HTMLElement {
    static get observedAttributes() {
      return ATTRIBUTES;
    }

    constructor() {
      super();
      this.attachShadow({ mode: 'open' });
      this.explorer = null;
    }

    connectedCallback() {
      this.applyHeight();
      if (this.explorer || this.mounting) return;
      this.mounting = true;
      load().then(
        ({ Explorer, sheet }) => {
          this.mounting = false;
          if (!this.isConnected || this.explorer) return;
          this.shadowRoot.adoptedStyleSheets = [sheet];
          const root = document.createElement('div');
          root.className = 'sorot-embed';
          // Focusable, so that a click inside the widget lets its keyboard shortcuts work.
          root.tabIndex = -1;
          this.shadowRoot.replaceChildren(root);
          this.explorer = new Explorer(this, root, this.options());
        },
        (error) => {
          this.mounting = false;
          this.showError(error);
        },
      );
    }

    disconnectedCallback() {
      // Moving the element fires disconnect then connect: only a removal unmounts it.
      queueMicrotask(() => {
        if (!this.isConnected && this.explorer) {
          this.explorer.destroy();
          this.explorer.free();
          this.explorer = null;
          this.shadowRoot.replaceChildren();
        }
      });
    }

    attributeChangedCallback(name, before, after) {
      if (before === after) return;
      if (name === 'height') this.applyHeight();
      else if (this.explorer) this.explorer.update(this.options());
    }

    /** The attributes as the wasm reads them; `pack` resolved against the page. */
    options() {
      const pack = this.getAttribute('pack');
      return {
        pack: pack ? new URL(pack, document.baseURI).href : null,
        lang: this.getAttribute('lang'),
        query: this.getAttribute('query') ?? '',
        filters: this.getAttribute('filters') ?? '',
        locked: this.hasAttribute('locked-filters'),
      };
    }

    applyHeight() {
      const height = this.getAttribute('height');
      if (height) this.style.setProperty('--sorot-height', height);
      else this.style.removeProperty('--sorot-height');
    }

    showError(error) {
      const box = document.createElement('p');
      box.setAttribute('role', 'alert');
      box.textContent = `Sorot could not start: ${error && error.message ? error.message : error}`;
      this.shadowRoot.replaceChildren(box);
    }
  }

  if (!customElements.get('sorot-explorer')) customElements.define('sorot-explorer', SorotExplorer);
})();
