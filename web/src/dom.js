// Small DOM helpers. Text from the API is always set as text (never parsed as HTML); URLs inside it become
// links that open in a new tab.

// h('p', {class: 'note'}, 'text', child, ...): an element with attributes and children (strings are text;
// null, undefined and false are skipped; arrays are flattened). Attributes starting with `on` are listeners.
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

// Replace an element's children.
export function replace(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

const URL_PATTERN = /(https?:\/\/[^\s;,)]+[^\s;,.)])/g;

// Text with each http(s) URL as a link labelled by its host: "ORC 4501.01; https://codes.ohio.gov/x" ->
// ["ORC 4501.01; ", <a>codes.ohio.gov</a>].
export function linkify(text) {
  const parts = String(text ?? '').split(URL_PATTERN);
  return parts.map((part, i) => (i % 2 === 1 ? sourceLink(part) : part)).filter((p) => p !== '');
}

// A link to a source, labelled by its host name.
export function sourceLink(url) {
  let label = url;
  try {
    label = new URL(url).hostname.replace(/^www\./, '');
  } catch {
    // not a URL after all: show it as it is
  }
  return h('a', { href: url, target: '_blank', rel: 'noopener noreferrer', title: url }, label);
}

// A result section's states: asking (a note above its content, aria-busy), failed (the error in place of
// its content, which is kept hidden so a view built once, like the map, survives) and ready.
export function contentOf(section) {
  return section.querySelector('.content');
}

function statusOf(section) {
  let status = section.querySelector(':scope > .section-status');
  if (!status) {
    status = h('div', { class: 'section-status' });
    contentOf(section).before(status);
  }
  return status;
}

export function showSectionLoading(section) {
  section.hidden = false;
  section.setAttribute('aria-busy', 'true');
  section.classList.add('busy');
  replace(statusOf(section), h('p', { class: 'loading' }, 'Asking…'));
}

export function showSectionError(section, sentence) {
  section.hidden = false;
  section.setAttribute('aria-busy', 'false');
  section.classList.remove('busy');
  replace(statusOf(section), h('p', { class: 'error-box', role: 'alert' }, sentence));
  contentOf(section).hidden = true;
}

export function showSectionReady(section) {
  section.hidden = false;
  section.setAttribute('aria-busy', 'false');
  section.classList.remove('busy');
  replace(statusOf(section));
  contentOf(section).hidden = false;
}
