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
  // The preview beside a page's form uses the site's own stylesheets (editor/files.preview_styles).
  const styles = JSON.parse(document.querySelector('meta[name="clinic-editor-preview-styles"]')?.content || '[]');
  for (const href of styles) window.CMS.registerPreviewStyle(new URL(href, document.baseURI).href);
  window.CMS.registerCustomFormat('yaml-keep', 'yml', formats.yaml);
  window.CMS.registerCustomFormat('markdown-keep', 'md', formats.markdown);
  window.CMS.init();
}
