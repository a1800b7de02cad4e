// The till: a store key kept for the browser session, identify by phone, card or e-mail (a scanner types the card
// number and Enter into the same field), the member's view, redeem or choose vouchers, enrol a newcomer.
import { call, requestId } from '../shared/api.js';
import { clear, confirm, describe, el, failure } from '../shared/dom.js';
import { has, loadTexts, money, number, t } from '../shared/i18n.js';
import { sessionKey } from '../shared/key.js';
import * as member from '../shared/member.js';

const key = sessionKey('loyalty.till.key');
const $ = id => document.getElementById(id);
const auth = key.auth;

/** Which identifier was typed: an @ is an e-mail, 13 or more digits a card, anything else a phone number. */
function identifierOf(typed) {
  const text = typed.trim();
  if (text.includes('@')) return { email: text };
  const digits = text.replace(/[\s-]/g, '');
  if (/^\d{13,}$/.test(digits)) return { cardNumber: digits };
  return { phone: text };
}

function showKeyForm(message) {
  key.forget();
  $('identify-form').hidden = true;
  $('forget-key').hidden = true;
  $('key-form').hidden = false;
  clear($('member'));
  clear($('notice'), message ? el('p', { class: 'failure', role: 'alert' }, message) : null);
  $('key').focus();
}

function showIdentify() {
  $('key-form').hidden = true;
  $('identify-form').hidden = false;
  $('forget-key').hidden = false;
  $('identifier').focus();
}

/** A wrong key is said plainly and asked for again; any other failure is shown with a retry. */
function handle(error, retry) {
  if (error.status === 401) return showKeyForm(t('till.keyRefused'));
  if (error.status === 403) return showKeyForm(t('till.keyNotForTill'));
  clear($('notice'), failure(error, retry));
}

async function identify(identifier) {
  clear($('notice'));
  $('member').setAttribute('aria-busy', 'true');
  try {
    show(await call('/members/identify', { method: 'POST', body: identifier, auth: auth() }));
  } catch (error) {
    clear($('member'));
    if (error.status === 404) offerEnrolment(identifier);
    else handle(error, () => identify(identifier));
  } finally {
    $('member').removeAttribute('aria-busy');
  }
}

function show(details, note) {
  const { profile, view } = details;
  const redeemButton = voucher => el('button', {
    type: 'button', class: 'secondary', dataset: { redeem: voucher.id },
    onclick: () => redeem(details, voucher),
  }, t('till.redeem'));
  clear($('member'),
    el('div', { class: 'member-head' },
      el('h2', { id: 'member-name', dataset: { memberId: profile.memberId } }, member.fullName(profile)),
      member.tierBadge(view)),
    note ? el('p', { class: 'success', role: 'status' }, note) : null,
    el('p', { class: 'muted' }, t('till.card', { card: profile.cardNumber })),
    member.tierProgress(view),
    el('section', { 'aria-labelledby': 'points-title' },
      el('h3', { id: 'points-title' }, t('points.title')),
      member.balance(view),
      member.voucherChoices(view, choice => choose(details, choice))),
    el('section', { 'aria-labelledby': 'vouchers-title' },
      el('h3', { id: 'vouchers-title' }, t('voucher.title')),
      member.vouchers(view, redeemButton)),
    el('section', { 'aria-labelledby': 'stamps-title' },
      el('h3', { id: 'stamps-title' }, t('stamps.title')),
      member.stampCards(view) ?? el('p', { class: 'muted' }, t('stamps.none'))),
    offers(view),
    el('section', { id: 'campaign-offers', 'aria-labelledby': 'campaign-offers-title', 'aria-busy': 'true' },
      el('h3', { id: 'campaign-offers-title' }, t('campaignOffers.title'))));
  showCampaignOffers(profile.memberId);
}

/** What campaigns gave the member, named as the marketer named them, for the clerk to sell with; loaded after the member shows. */
async function showCampaignOffers(memberId) {
  const section = $('campaign-offers');
  const title = section.firstElementChild;
  try {
    const { campaigns } = await call(`/members/${encodeURIComponent(memberId)}/offers`, { auth: auth() });
    // The clerk may have moved on to another member while this was on its way.
    if ($('campaign-offers') !== section) return;
    clear(section, title, campaigns.length === 0 ? el('p', { class: 'muted' }, t('campaignOffers.none'))
      : el('ul', { class: 'offers' }, campaigns.map(campaignOffer)));
  } catch (error) {
    if ($('campaign-offers') === section) clear(section, title, failure(error, () => showCampaignOffers(memberId)));
  } finally {
    section.removeAttribute('aria-busy');
  }
}

function campaignOffer(offer) {
  const gave = [
    offer.pointsEarned !== 0 ? t('campaignOffers.points', { points: number(offer.pointsEarned) }) : null,
    ...offer.vouchersIssued.map(voucher => t('campaignOffers.voucher', { value: money(voucher.value, voucher.currency) })),
  ].filter(Boolean);
  return el('li', { dataset: { operationId: offer.operationId } },
    el('strong', {}, offer.campaignName ?? offer.campaignId),
    gave.length > 0 ? ` · ${gave.join(', ')}` : null);
}

/** Campaign offers the member holds now: the campaign vouchers among the open ones, and the benefits of the tier. */
function offers(view) {
  const campaign = view.openVouchers.filter(voucher => voucher.source === 'campaign');
  return el('section', { 'aria-labelledby': 'offers-title' },
    el('h3', { id: 'offers-title' }, t('offers.title')),
    el('ul', { class: 'offers' },
      campaign.map(voucher => el('li', {}, t('offers.campaignVoucher', { value: money(voucher.value, voucher.currency) }))),
      view.benefits.map(benefit => el('li', { dataset: { benefit: benefit.kind } },
        has(`benefit.${benefit.kind}`) ? t(`benefit.${benefit.kind}`, { value: benefit.value ?? '' }) : benefit.kind))));
}

async function redeem(details, voucher) {
  const value = money(voucher.value, voucher.currency);
  if (!(await confirm(t('till.redeemConfirm', { value, name: member.fullName(details.profile) }), t('till.redeem')))) return;
  const id = requestId('till');
  const attempt = async () => {
    try {
      await call(`/members/${encodeURIComponent(details.profile.memberId)}/vouchers/${encodeURIComponent(voucher.id)}/redemptions`,
        { method: 'POST', body: { requestId: id }, auth: auth() });
      await refresh(details, t('till.redeemed', { value }));
    } catch (error) {
      handle(error, attempt);
    }
  };
  await attempt();
}

async function choose(details, choice) {
  const value = money(choice.value, details.view.currency);
  if (!(await confirm(t('till.chooseConfirm', { value, points: choice.points }), t('voucher.chooseAction')))) return;
  const id = requestId('till');
  const attempt = async () => {
    try {
      await call(`/members/${encodeURIComponent(details.profile.memberId)}/vouchers`,
        { method: 'POST', body: { requestId: id, value: choice.value }, auth: auth() });
      await refresh(details, t('till.chosen', { value }));
    } catch (error) {
      handle(error, attempt);
    }
  };
  await attempt();
}

async function refresh(details, note) {
  show(await call(`/members/${encodeURIComponent(details.profile.memberId)}`, { auth: auth() }), note);
  $('member-name').focus?.();
}

/** Unknown identifier: first name, phone and e-mail (the typed one filled in), and nothing more. */
function offerEnrolment(identifier) {
  const form = el('form', { id: 'enrol-form', class: 'enrol' },
    el('h2', { id: 'enrol-title' }, t('enrol.title')),
    el('p', {}, t('enrol.unknown')),
    el('label', { for: 'enrol-first-name' }, t('enrol.firstName')),
    el('input', { id: 'enrol-first-name', name: 'firstName', autocomplete: 'off', required: true }),
    el('label', { for: 'enrol-phone' }, t('enrol.phone')),
    el('input', { id: 'enrol-phone', name: 'phone', type: 'tel', autocomplete: 'off', value: identifier.phone ?? '' }),
    el('label', { for: 'enrol-email' }, t('enrol.email')),
    el('input', { id: 'enrol-email', name: 'email', type: 'email', autocomplete: 'off', value: identifier.email ?? '' }),
    el('div', { class: 'actions' }, el('button', { type: 'submit' }, t('enrol.submit'))));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const fields = Object.fromEntries([...new FormData(form)].filter(([, value]) => value.trim() !== ''));
    if (identifier.cardNumber) fields.cardNumber = identifier.cardNumber;
    try {
      const enrolled = await call('/members', { method: 'POST', body: fields, auth: auth() });
      show(enrolled, t('enrol.done'));
    } catch (error) {
      if (error.status === 401 || error.status === 403) handle(error);
      else clear($('notice'), el('p', { class: 'failure', role: 'alert' }, describe(error)));
    }
  });
  clear($('member'), form);
  $('enrol-first-name').focus();
}

async function start() {
  await loadTexts();
  key.onSaved(() => {
    clear($('notice'));
    showIdentify();
  });
  $('identify-form').addEventListener('submit', event => {
    event.preventDefault();
    const typed = $('identifier').value;
    $('identifier').select();
    identify(identifierOf(typed));
  });
  $('forget-key').addEventListener('click', () => showKeyForm());
  if (key.present()) showIdentify();
  else showKeyForm();
}

start();
