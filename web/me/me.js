// My pages: a member signs in with a one-time code (or the e-mail's magic link) through the key-less sign-in routes,
// and everything after that is the member token's /me routes, so the page can only ever show its own member.
import { call, requestId } from '../shared/api.js';
import { clear, confirm, describe, el, failure } from '../shared/dom.js';
import { date, dateTime, loadTexts, money, number, t } from '../shared/i18n.js';
import * as member from '../shared/member.js';

const tokenName = 'loyalty.me.token';
const channels = ['email', 'sms', 'push'];
const $ = id => document.getElementById(id);
const auth = () => ({ token: sessionStorage.getItem(tokenName) });

/** An @ is an e-mail, anything else a phone number. */
function identifierOf(typed) {
  const text = typed.trim();
  return text.includes('@') ? { email: text } : { phone: text };
}

function say(node, tone = 'failure') {
  clear($('notice'), typeof node === 'string' ? el('p', { class: tone, role: tone === 'failure' ? 'alert' : 'status' }, node) : node);
}

function showSignIn(message) {
  sessionStorage.removeItem(tokenName);
  $('sign-out').hidden = true;
  $('code-form').hidden = true;
  $('identifier-form').hidden = false;
  clear($('member'));
  clear($('notice'));
  if (message) say(message);
  $('identifier').focus();
}

/** A token that no longer works (expired, or its member erased) sends the member back to sign in. */
function handle(error, retry) {
  if (error.status === 401 || (error.status === 404 && !error.codes.length)) return showSignIn(t('me.signedOut'));
  say(failure(error, retry));
}

async function requestCode(identifier) {
  try {
    const sent = await call('/member-auth/pages/codes', { method: 'POST', body: identifier });
    $('identifier-form').hidden = true;
    $('code-form').hidden = false;
    $('code-sent').textContent = t(sent.channel === 'email' ? 'me.codeSentEmail' : 'me.codeSentSms', { minutes: number(Math.round(sent.expiresInSeconds / 60)) });
    clear($('notice'));
    $('code').focus();
  } catch (error) {
    say(describe(error));
  }
}

async function signIn(body) {
  try {
    const issued = await call('/member-auth/pages/tokens', { method: 'POST', body });
    sessionStorage.setItem(tokenName, issued.token);
    $('identifier-form').hidden = true;
    $('code-form').hidden = true;
    $('code').value = '';
    clear($('notice'));
    await load();
  } catch (error) {
    say(describe(error));
  }
}

async function load(note) {
  $('sign-out').hidden = false;
  $('member').setAttribute('aria-busy', 'true');
  try {
    const [details, receipts] = await Promise.all([call('/me', { auth: auth() }), call(`/me/receipts?pageSize=${receiptPageSize}`, { auth: auth() })]);
    show(details, receipts, note);
  } catch (error) {
    handle(error, () => load(note));
  } finally {
    $('member').removeAttribute('aria-busy');
  }
}

function show(details, receipts, note) {
  const { profile, view } = details;
  clear($('member'),
    el('div', { class: 'member-head' }, el('h2', { id: 'member-name' }, member.fullName(profile)), member.tierBadge(view)),
    note ? el('p', { class: 'success', role: 'status' }, note) : null,
    member.tierProgress(view),
    el('section', { 'aria-labelledby': 'points-title' },
      el('h3', { id: 'points-title' }, t('points.title')),
      member.balance(view),
      member.expiring(view),
      member.voucherChoices(view, choice => choose(view, choice))),
    el('section', { 'aria-labelledby': 'vouchers-title' }, el('h3', { id: 'vouchers-title' }, t('voucher.title')), member.vouchers(view)),
    el('section', { 'aria-labelledby': 'stamps-title' },
      el('h3', { id: 'stamps-title' }, t('stamps.title')),
      member.stampCards(view) ?? el('p', { class: 'muted' }, t('stamps.none'))),
    receiptList(receipts),
    consentForm(profile),
    contactForm(profile),
    el('section', { 'aria-labelledby': 'data-title' },
      el('h3', { id: 'data-title' }, t('me.dataTitle')),
      el('div', { class: 'actions' },
        el('button', { type: 'button', id: 'download', class: 'secondary', onclick: download }, t('me.download')),
        el('button', { type: 'button', id: 'erase', class: 'danger', onclick: erase }, t('me.erase')))));
}

const receiptPageSize = 20;

const receiptItem = receipt =>
  el('li', { dataset: { receiptId: receipt.receiptId, points: String(receipt.outcome.pointsEarned) } },
    el('span', {}, dateTime(receipt.purchasedAt)),
    el('span', { class: 'amount' }, money(receipt.total, receipt.currency)),
    el('span', {}, t('me.receiptPoints', { points: number(receipt.outcome.pointsEarned) })));

/** The newest receipts, and a button that appends the next page for as long as the API hands out a continuation. */
function receiptList(page) {
  const list = el('ul', { class: 'receipts', dataset: { field: 'receipts' } }, page.items.map(receiptItem));
  if (!page.items.length) list.append(el('li', { class: 'muted' }, t('me.noReceipts')));
  const more = el('button', { type: 'button', id: 'more-receipts', class: 'secondary' }, t('me.moreReceipts'));
  let continuation = page.continuation;
  more.hidden = !continuation;
  more.addEventListener('click', async function next() {
    more.disabled = true;
    try {
      const answer = await call(`/me/receipts?pageSize=${receiptPageSize}&continuation=${encodeURIComponent(continuation)}`, { auth: auth() });
      list.append(...answer.items.map(receiptItem));
      continuation = answer.continuation;
      more.hidden = !continuation;
    } catch (error) {
      handle(error, next);
    } finally {
      more.disabled = false;
    }
  });
  return el('section', { 'aria-labelledby': 'receipts-title' }, el('h3', { id: 'receipts-title' }, t('me.receipts')), list, more);
}

function consentForm(profile) {
  const form = el('form', { id: 'consents', 'aria-labelledby': 'consents-title' },
    el('h3', { id: 'consents-title' }, t('me.consents')),
    channels.map(channel => el('label', { class: 'check' },
      el('input', { type: 'checkbox', name: channel, checked: profile.consents?.[channel]?.granted === true }),
      ' ', t(`me.consent.${channel}`))),
    el('button', { type: 'submit' }, t('action.save')));
  form.addEventListener('submit', event => {
    event.preventDefault();
    update({ consents: Object.fromEntries(channels.map(channel => [channel, form.elements[channel].checked])) });
  });
  return form;
}

function contactForm(profile) {
  const field = (name, type, autocomplete) => [
    el('label', { for: `contact-${name}` }, t(`me.field.${name}`)),
    el('input', { id: `contact-${name}`, name, type, autocomplete, value: profile[name] ?? '' }),
  ];
  const form = el('form', { id: 'contact', 'aria-labelledby': 'contact-title' },
    el('h3', { id: 'contact-title' }, t('me.contact')),
    field('firstName', 'text', 'given-name'), field('lastName', 'text', 'family-name'),
    field('phone', 'tel', 'tel'), field('email', 'email', 'email'),
    el('button', { type: 'submit' }, t('action.save')));
  form.addEventListener('submit', event => {
    event.preventDefault();
    const changed = Object.fromEntries(['firstName', 'lastName', 'phone', 'email']
      .map(name => [name, form.elements[name].value.trim()])
      .filter(([name, value]) => value !== (profile[name] ?? '')));
    if (Object.keys(changed).length) update(changed);
  });
  return form;
}

/** 202 means a new phone or e-mail waits for the code sent to it; each is asked for in turn. */
async function update(body) {
  try {
    const answer = await call('/me', { method: 'PATCH', body, auth: auth() });
    if (answer.pending?.length) return confirmContact(answer.pending[0]);
    await load(t('me.saved'));
  } catch (error) {
    handle(error);
  }
}

function confirmContact(pending) {
  const form = el('form', { id: 'confirm-contact' },
    el('p', { role: 'status' }, t('me.confirmContact', { value: pending.value })),
    el('label', { for: 'confirm-code' }, t('me.codeLabel')),
    el('input', { id: 'confirm-code', name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', required: true }),
    el('button', { type: 'submit' }, t('me.confirm')));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    try {
      await call('/me/contact-confirmations', { method: 'POST', body: { [pending.field]: pending.value, code: form.elements.code.value.trim() }, auth: auth() });
      await load(t('me.saved'));
    } catch (error) {
      handle(error);
    }
  });
  say(form);
  $('confirm-code').focus();
}

async function choose(view, choice) {
  const value = money(choice.value, view.currency);
  if (!(await confirm(t('till.chooseConfirm', { value, points: number(choice.points) }), t('voucher.chooseAction')))) return;
  const id = requestId('me');
  const attempt = async () => {
    try {
      await call('/me/vouchers', { method: 'POST', body: { requestId: id, value: choice.value }, auth: auth() });
      await load(t('till.chosen', { value }));
    } catch (error) {
      handle(error, attempt);
    }
  };
  await attempt();
}

async function download() {
  try {
    const document_ = await call('/me/export', { auth: auth() });
    const link = el('a', { href: URL.createObjectURL(new Blob([JSON.stringify(document_, null, 2)], { type: 'application/json' })), download: 'my-data.json' });
    document.body.append(link);
    link.click();
    link.remove();
    URL.revokeObjectURL(link.href);
  } catch (error) {
    handle(error, download);
  }
}

async function erase() {
  if (!(await confirm(t('me.eraseConfirm'), t('me.eraseAction')))) return;
  try {
    await call('/me/erasure', { method: 'POST', body: { confirm: true }, auth: auth() });
    showSignIn();
    say(t('me.erased'), 'success');
  } catch (error) {
    handle(error, erase);
  }
}

async function start() {
  await loadTexts();
  $('identifier-form').addEventListener('submit', event => {
    event.preventDefault();
    requestCode(identifierOf($('identifier').value));
  });
  $('code-form').addEventListener('submit', event => {
    event.preventDefault();
    signIn({ ...identifierOf($('identifier').value), code: $('code').value.trim() });
  });
  $('other-identifier').addEventListener('click', () => showSignIn());
  $('sign-out').addEventListener('click', () => showSignIn());
  // A magic link opens this page with ?token=…: exchanged once, then taken out of the address bar and history.
  const link = new URLSearchParams(location.search).get('token');
  if (link) {
    history.replaceState(null, '', location.pathname);
    return signIn({ link });
  }
  if (sessionStorage.getItem(tokenName)) return load();
  showSignIn();
}

start();
