// Elements are built with text nodes and properties only, never from markup: whatever a member's name or an API answer
// holds is shown as text.
import { t } from './i18n.js';

/** el('p', { class: 'x', dataset: { field: 'tier' } }, 'text', child…) */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'dataset') Object.assign(node.dataset, value);
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (name in node && typeof value !== 'string') node[name] = value;
    else node.setAttribute(name, value === true ? '' : value);
  }
  node.append(...children.flat().filter(child => child !== undefined && child !== null && child !== false));
  return node;
}

export function clear(node, ...children) {
  node.replaceChildren(...children.flat().filter(Boolean));
  return node;
}

/** Plain words for an ApiError: what the problem says, and for a few statuses what to do about it. */
export function describe(error) {
  const status = error?.status;
  if (status === 0) return t('error.network');
  if (status === 401) return t('error.unauthenticated');
  if (status === 403) return t('error.forbidden');
  if (status === 429) return t('error.rateLimited');
  if (status >= 500) return t('error.server');
  const problem = error?.problem ?? {};
  const details = (problem.violations ?? []).map(v => v.message).filter(Boolean);
  return [problem.title, ...details].filter(Boolean).join(' ') || String(error?.message ?? error);
}

/** A failure shown in place: the problem in words and, when given, a retry button that runs `retry`. */
export function failure(error, retry) {
  const box = el('div', { class: 'failure', role: 'alert', dataset: { status: String(error?.status ?? '') } },
    el('p', {}, describe(error)));
  if (retry) box.append(el('button', { type: 'button', class: 'secondary', onclick: retry }, t('action.retry')));
  return box;
}

/** Runs `load` into `container`: a busy note first, then whatever `load` renders, or the failure with a retry. */
export async function loadInto(container, load) {
  clear(container, el('p', { class: 'busy', role: 'status' }, t('state.loading')));
  try {
    clear(container, await load());
  } catch (error) {
    clear(container, failure(error, () => loadInto(container, load)));
  }
}

/** A yes/no confirmation in a modal <dialog>; resolves true when confirmed. Escape and "Cancel" answer false. */
export function confirm(message, confirmLabel) {
  return new Promise(resolve => {
    const dialog = el('dialog', { class: 'confirm', 'aria-labelledby': 'confirm-text' });
    const done = answer => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    const ok = el('button', { type: 'button', onclick: () => done(true) }, confirmLabel);
    dialog.append(
      el('p', { id: 'confirm-text' }, message),
      el('div', { class: 'actions' },
        el('button', { type: 'button', class: 'secondary', onclick: () => done(false) }, t('action.cancel')),
        ok));
    dialog.addEventListener('cancel', event => {
      event.preventDefault();
      done(false);
    });
    document.body.append(dialog);
    dialog.showModal();
    ok.focus();
  });
}
