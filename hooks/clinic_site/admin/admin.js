// Starts the editor: registers the two file formats of yaml-keep.js, then the editor's bundle
// (vendor/, loaded before this module) reads config.yml, which the build generated from the schema.
//
// Before it starts, two guards that hold whichever editor the build ships:
// - Photos only through an entry's image field, with the limits the page's meta tag gives
//   (<meta name="clinic-editor-uploads" content='{"max_bytes": ..., "types": [...]}'>): a file of
//   another type (SVG among them) or over the size is refused with a message before the editor sees it.
// - No global media page: its uploads would be committed straight to the published branch, outside
//   any pull request. The page's address leads back to the collections.
import YAML from './vendor/yaml/index.js';
import markdownit from './vendor/markdown-it.js';
import { yamlKeep } from './yaml-keep.js';

const limits = JSON.parse(document.querySelector('meta[name="clinic-editor-uploads"]')?.content || '{}');

export function uploadProblem(file, { max_bytes: maxBytes, types = [] } = {}) {
  const type = (file.type || '').toLowerCase();
  const extension = (file.name.split('.').pop() || '').toLowerCase();
  if (types.length && !types.includes(type)) {
    return `${file.name} is not a photo the site can use (${type || extension || 'unknown type'}). ` +
      'Choose a JPEG, PNG or WebP photo.';
  }
  if (maxBytes && file.size > maxBytes) {
    const mb = (bytes) => (bytes / 1e6).toFixed(1);
    return `${file.name} is ${mb(file.size)} MB, over the ${mb(maxBytes)} MB the editor takes. ` +
      'Save it smaller (for example 2000 pixels wide, as JPEG) and choose it again.';
  }
  return null;
}

function guardUploads(event) {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || input.type !== 'file' || !input.files) return;
  const problems = [...input.files].map((file) => uploadProblem(file, limits)).filter(Boolean);
  if (!problems.length) return;
  event.stopImmediatePropagation();
  event.preventDefault();
  input.value = '';
  window.alert(problems.join('\n'));
}

// Names for Decap's controls that have none (axe: button-name, aria-command-name, frame-title), by what
// they are: the buttons of a list entry's top bar (open or close, remove) and its drag handle, and the
// preview's frame. Upstream: decaporg/decap-cms, icon buttons without an accessible name.
const NAMES = [
  ['[class*="-TopBar"] > button:first-child', 'Open or close this entry'],
  ['[class*="-TopBar"] > button:last-child', 'Remove this entry'],
  ['[class*="-TopBar"] [aria-roledescription="sortable"]', 'Drag to move this entry'],
  ['iframe#preview-pane', 'Preview of the page', 'title'],
];

function nameControls() {
  for (const [selector, name, attribute = 'aria-label'] of NAMES) {
    for (const element of document.querySelectorAll(selector)) {
      if (!element.hasAttribute(attribute) && !element.textContent.trim()) element.setAttribute(attribute, name);
    }
  }
}

// The preview beside a page's form: the page as visitors will see it, with the site's stylesheets and the clinic's
// facts filled in (preview-facts.json, made at build by editor/preview.py from the values pages read). nunjucks reads
// the page's {{ }} and {% %} as the build's Jinja does; a macro only the build can run shows its placeholder, in plain
// words. markdown-it then makes the HTML, with raw HTML off: a page's own tags show as text, never run.
const MARK = ['\uE000', '\uE001']; // around a placeholder, between nunjucks and markdown-it

export function previewRenderer(facts, nunjucks, markdown) {
  const templates = new nunjucks.Environment(null, { autoescape: false });
  const context = { ...facts.variables };
  for (const [name, macro] of Object.entries(facts.macros || {})) {
    context[name] = (...values) => {
      const chosen = macro.by_argument?.[values[0]] || {};
      const text = chosen.text ?? macro.text;
      return text ?? `${MARK[0]}${chosen.placeholder ?? macro.placeholder}${MARK[1]}`;
    };
  }
  const marked = new RegExp(`${MARK[0]}([^${MARK[1]}]*)${MARK[1]}`, 'g');
  return (body) => {
    let filled;
    let problem = null;
    try {
      filled = templates.renderString(body, context);
    } catch (error) {
      filled = body;
      const line = /\[Line (\d+)/.exec(String(error.message || ''));
      problem = line ? `line ${line[1]} of the text` : 'the text'; // nunjucks counts from 1
    }
    const html = markdown.render(filled).replace(marked, '<span class="clinic-preview-placeholder">$1</span>');
    return { html, problem };
  };
}

function registerPreview(facts, styles) {
  const { h } = window;
  const render = previewRenderer(facts, window.nunjucks, markdownit({ html: false, linkify: false, typographer: false }));
  function PagePreview({ entry }) {
    const { html, problem } = render(entry.getIn(['data', 'body']) || '');
    return h('div', { className: 'md-container' }, h('main', { className: 'md-main' }, h('div', { className: 'md-content' },
      h('article', { className: 'md-content__inner md-typeset' },
        problem && h('p', { className: 'clinic-preview-problem', role: 'status' },
          `The preview cannot fill in this page's {{ }} and {% %} yet: one in ${problem} is unfinished or written ` +
          'in a way the site cannot read, so it shows them as typed. The check on the saved change names the fix.'),
        h('div', { dangerouslySetInnerHTML: { __html: html } })))));
  }
  for (const href of styles) window.CMS.registerPreviewStyle(new URL(href, document.baseURI).href);
  window.CMS.registerPreviewStyle(new URL('admin.css', document.baseURI).href);
  for (const collection of ['pages', 'articles']) window.CMS.registerPreviewTemplate(collection, PagePreview);
}

function guardMediaPage() {
  if (/^#\/media\b/.test(window.location.hash)) window.location.hash = '#/';
}

if (!window.CLINIC_EDITOR_FRAMED) {
  if (limits.types) {
    document.addEventListener('change', guardUploads, true); // before the editor's own handler (React, at its root)
    document.addEventListener('drop', (event) => {
      const files = [...(event.dataTransfer?.files || [])];
      const problems = files.map((file) => uploadProblem(file, limits)).filter(Boolean);
      if (problems.length) {
        event.stopImmediatePropagation();
        event.preventDefault();
        window.alert(problems.join('\n'));
      }
    }, true);
  }
  new MutationObserver(nameControls).observe(document.documentElement, { childList: true, subtree: true });
  window.addEventListener('hashchange', guardMediaPage);
  guardMediaPage();
  const orders = await (await fetch('key-order.json')).json(); // the schema's key orders (editor/config.py)
  const formats = yamlKeep(YAML, { orders });
  // The preview beside a page's form uses the site's own stylesheets (editor/files.preview_styles) and facts.
  const styles = JSON.parse(document.querySelector('meta[name="clinic-editor-preview-styles"]')?.content || '[]');
  registerPreview(await (await fetch('preview-facts.json')).json(), styles);
  window.CMS.registerCustomFormat('yaml-keep', 'yml', formats.yaml);
  window.CMS.registerCustomFormat('markdown-keep', 'md', formats.markdown);
  window.CMS.init();
}
