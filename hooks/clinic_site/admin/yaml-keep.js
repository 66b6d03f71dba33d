// Two Decap CMS file formats that save only what the form changed: "yaml-keep" for the data files
// and "markdown-keep" for pages (front matter and Markdown body).
//
// Decap's own YAML format rebuilds a file from the form's data: it drops every comment, reorders
// keys, turns [a, b] lists into block lists, folds long lines at 80 columns, writes 08:00 without
// quotes (YAML 1.1 readers take 17:00 for the number 1020) and cannot edit a file whose top level
// is a list. These formats keep the parsed document of each file they read and, on save, write
// the form's values into it: comments, key order, flow lists, quotes and untouched lines stay.
//
// Reading follows the site's own reader (hooks/clinic_site/yamlfile.py) as far as the form needs:
// YAML 1.2, so 08:00, 2026-11-20 and yes stay text. A new or changed text value that a YAML 1.1
// reader would take for something else (17:30, 02134, yes) is written in double quotes.
// A file whose top level is a list is shown to the form as { items: [...] }.
//
// An ES module with no imports: admin.js hands it the `yaml` package; tests load it in Node.
// `orders` (optional): the schema's key order of each kind of mapping, as lists of keys. A new key goes where
// the schema has it among the keys the file already has, and a new entry's keys are written in the schema's order.
export function yamlKeep(YAML, { orders = [] } = {}) {
  const SOURCE = '_yaml_source'; // hidden key that ties the form's data to its parsed document
  const LIST = 'items'; // the form field holding a top-level list
  const READ = { version: '1.2', schema: 'core' };
  const WRITE = { lineWidth: 0, minContentWidth: 0, indentSeq: true, flowCollectionPadding: false };
  const FRONT_MATTER = /^---[ \t]*\n([\s\S]*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|$)/;
  // A list written level with its key ("hours:" then "- days: ..." at the same indent), as many people write YAML.
  const LEVEL_LIST = /^( *)[^\s#-][^\n]*:[ \t]*(?:#[^\n]*)?\n(?:\1#[^\n]*\n)*\1- /m;
  const documents = new Map(); // source id -> { doc, isList, before } (before: the text before a page's body)
  let counter = 0;

  const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
  const isCollection = (node) => YAML.isMap(node) || YAML.isSeq(node);
  const isEmpty = (v) => v === undefined || v === null || v === '' ||
    (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0);

  // Text that a YAML 1.1 or 1.2 reader would not read back as the same text when written plain.
  // A date stays plain: a reader that makes it a date reads what was meant.
  function ambiguous(text) {
    for (const version of ['1.1', '1.2']) {
      try {
        const read = YAML.parse(text, { version });
        if (read !== text && !(read instanceof Date)) return true;
      } catch (error) {
        return true;
      }
    }
    return false;
  }

  // The schema's order for a mapping with these keys: the order that holds all of them (the best fit), or none.
  function orderFor(keys) {
    let best = null;
    for (const order of orders) {
      if (keys.every((key) => order.includes(key)) && (!best || order.length < best.length)) best = order;
    }
    return best;
  }

  function inSchemaOrder(keys) {
    const order = orderFor(keys);
    return order ? [...keys].sort((a, b) => order.indexOf(a) - order.indexOf(b)) : keys;
  }

  // A new node for a form value; a list of plain values is written [a, b], as in our files.
  function build(doc, value) {
    if (Array.isArray(value)) {
      const node = doc.createNode([]);
      node.items = value.map((v) => build(doc, v));
      node.flow = value.length > 0 && value.every((v) => typeof v !== 'object');
      return node;
    }
    if (isObject(value)) {
      const node = doc.createNode({});
      for (const key of inSchemaOrder(Object.keys(value))) {
        if (!isEmpty(value[key])) node.items.push(doc.createPair(key, build(doc, value[key])));
      }
      return node;
    }
    const node = doc.createNode(value);
    if (typeof value === 'string' && ambiguous(value)) node.type = 'QUOTE_DOUBLE';
    return node;
  }

  function setScalar(node, value) {
    if (node.value === value) return;
    node.value = value; // keeps the node's quote style
    if (typeof value === 'string' && (!node.type || node.type === 'PLAIN') && ambiguous(value)) node.type = 'QUOTE_DOUBLE';
  }

  // Write `value` into `node` (a map or list of `doc`), keeping what did not change.
  function apply(doc, node, value) {
    if (YAML.isMap(node) && isObject(value)) {
      const keys = Object.keys(value);
      for (const item of [...node.items]) {
        const key = YAML.isScalar(item.key) ? item.key.value : item.key;
        const current = node.get(key, true);
        const keptEmpty = isCollection(current) && current.items.length === 0 && isEmpty(value[key]) && value[key] !== null;
        if (!keys.includes(key) || (isEmpty(value[key]) && !keptEmpty)) node.delete(key);
      }
      keys.forEach((key, index) => {
        const v = value[key];
        const current = node.get(key, true);
        if (isEmpty(v)) return;
        if (isCollection(current) && typeof v === 'object') apply(doc, current, v);
        else if (YAML.isScalar(current) && typeof v !== 'object') setScalar(current, v);
        else if (current !== undefined) node.set(key, build(doc, v));
        else {
          // A new key goes before the next key that the file already has: in the schema's order where it is
          // known, else in the form's.
          const pair = doc.createPair(key, build(doc, v));
          const order = orderFor([...new Set([...keys, ...node.items.map((item) => (YAML.isScalar(item.key) ? item.key.value : item.key))])]
            .filter((k) => k !== SOURCE));
          const after = order ? order.slice(order.indexOf(key) + 1) : keys.slice(index + 1);
          const next = after.find((k) => node.has(k));
          const at = next === undefined ? node.items.length
            : node.items.findIndex((item) => (YAML.isScalar(item.key) ? item.key.value : item.key) === next);
          node.items.splice(at, 0, pair);
        }
      });
      return;
    }
    if (YAML.isSeq(node) && Array.isArray(value)) {
      node.items.splice(value.length);
      value.forEach((v, i) => {
        const current = node.items[i];
        if (isCollection(current) && typeof v === 'object' && v !== null) apply(doc, current, v);
        else if (YAML.isScalar(current) && typeof v !== 'object') setScalar(current, v);
        else node.items[i] = build(doc, v);
      });
      return;
    }
    throw new Error('shape changed');
  }

  // The yaml package keeps a comment with the node before it and writes it at that node's indent, so a help
  // comment after a nested block's last line would move into the block. Each comment keeps the indent it had.
  function keepCommentIndents(before, after) {
    const old = before.split('\n');
    let at = 0;
    return after.split('\n').map((line) => {
      const trimmed = line.trim();
      if (!trimmed.startsWith('#')) return line;
      for (let i = at; i < old.length; i++) {
        if (old[i].trim() === trimmed) { at = i + 1; return old[i]; }
      }
      return line;
    }).join('\n');
  }

  function read(text, before = '') {
    const doc = YAML.parseDocument(text, READ);
    if (doc.errors.length) throw doc.errors[0];
    const value = doc.toJS() ?? {};
    const id = 'doc' + ++counter;
    const isList = Array.isArray(value);
    // Lists are written back the way this file writes them: indented under their key, or level with it.
    const style = { ...WRITE, indentSeq: !LEVEL_LIST.test(text) };
    documents.set(id, { doc, isList, before, style, source: text });
    return isList ? { [LIST]: value, [SOURCE]: id } : { ...value, [SOURCE]: id };
  }

  function write(data) {
    const copy = { ...data };
    const id = copy[SOURCE];
    delete copy[SOURCE];
    const kept = documents.get(id);
    const isList = kept ? kept.isList : Object.keys(copy).length === 1 && Array.isArray(copy[LIST]);
    const value = isList ? copy[LIST] || [] : copy;
    if (kept) {
      const doc = kept.doc.clone();
      try {
        if (doc.contents === null) doc.contents = doc.createNode(value);
        else apply(doc, doc.contents, value);
        const text = keepCommentIndents(kept.source, doc.toString(kept.style));
        documents.set(id, { ...kept, doc: YAML.parseDocument(text, READ), source: text });
        return text;
      } catch (error) {
        if (error.message !== 'shape changed') throw error;
      }
    }
    const doc = new YAML.Document(null, READ);
    doc.contents = build(doc, value);
    return doc.toString(WRITE);
  }

  const yaml = {
    fromFile: (content) => read(content),
    toFile: (data) => write(data),
  };

  // A page: the front matter as fields, the rest of the file as `body`, exactly as it was typed.
  const markdown = {
    fromFile(content) {
      const found = FRONT_MATTER.exec(content);
      if (!found) return { body: content };
      const data = read(found[1] || '');
      return { ...data, body: content.slice(found[0].length) };
    },
    toFile(data) {
      const { body = '', ...meta } = data;
      if (meta[SOURCE] === undefined && Object.keys(meta).length === 0) return body;
      return '---\n' + write(meta) + '---\n' + body;
    },
  };

  return { yaml, markdown, SOURCE, LIST };
}
