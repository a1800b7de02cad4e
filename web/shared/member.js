// The member view (the API's `view`) as the till and My pages both show it: tier, progress to the next tier with its
// date, balance and its money value, vouchers, stamp cards. Raw figures ride along in data-value for the tests.
import { el } from './dom.js';
import { date, money, number, t } from './i18n.js';

export function fullName(profile) {
  return [profile.firstName, profile.lastName].filter(Boolean).join(' ') || t('member.noName');
}

export function tierBadge(view) {
  return el('span', { class: `tier tier-${view.tier.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`, dataset: { field: 'tier' } }, view.tier);
}

/** "1,240 points more before 31 Dec 2027 for Gold" and a progress bar towards the next tier's threshold. */
export function tierProgress(view) {
  const section = el('section', { class: 'progress', 'aria-labelledby': 'progress-title' },
    el('h3', { id: 'progress-title' }, t('tier.progressTitle')));
  if (view.holdsUntil) section.append(el('p', { dataset: { field: 'holds-until', value: view.holdsUntil } }, t('tier.holdsUntil', { tier: view.tier, date: date(view.holdsUntil) })));
  if (!view.nextTier) {
    section.append(el('p', { dataset: { field: 'tier-top' } }, t('tier.top', { tier: view.tier })));
    return section;
  }
  const left = view.pointsToNextTier;
  const text = view.nextTierDeadline
    ? t('tier.progress', { points: number(left), date: date(view.nextTierDeadline), tier: view.nextTier })
    : t('tier.progressRolling', { points: number(left), tier: view.nextTier });
  const target = view.qualifyingPoints + left;
  section.append(
    el('p', { id: 'tier-progress-text', dataset: { field: 'points-to-next-tier', value: String(left), deadline: view.nextTierDeadline ?? '' } }, text),
    el('progress', { max: target, value: Math.max(0, view.qualifyingPoints), 'aria-labelledby': 'tier-progress-text' }));
  if (view.pointsToKeepTier) {
    section.append(el('p', { dataset: { field: 'points-to-keep', value: String(view.pointsToKeepTier) } },
      t('tier.keep', { points: number(view.pointsToKeepTier), tier: view.tier, date: date(view.windowEnd) })));
  }
  return section;
}

export function balance(view) {
  return el('p', { class: 'balance' },
    el('strong', { dataset: { field: 'balance', value: String(view.balance) } }, t('points.balance', { points: number(view.balance) })),
    ' ',
    el('span', { dataset: { field: 'balance-value', value: String(view.balanceValue) } }, t('points.value', { value: money(view.balanceValue, view.currency) })));
}

/** The open vouchers; `action(voucher)` adds a control to each (redeem at the till, nothing in My pages). */
export function vouchers(view, action) {
  const list = el('ul', { class: 'vouchers', dataset: { field: 'vouchers' } });
  for (const voucher of view.openVouchers) {
    list.append(el('li', { dataset: { voucherId: voucher.id, value: String(voucher.value) } },
      el('span', { class: 'amount' }, money(voucher.value, voucher.currency)),
      ' ',
      el('span', {}, t(`voucher.source.${voucher.source}`)),
      ' ',
      el('span', { class: 'muted' }, t('voucher.expires', { date: date(voucher.expiresOn) })),
      action ? action(voucher) : null));
  }
  if (!view.openVouchers.length) list.append(el('li', { class: 'muted' }, t('voucher.none')));
  return list;
}

/** The denominations the balance covers now, each a button: `choose(denomination)` is called on a press. */
export function voucherChoices(view, choose) {
  if (!view.voucherChoices?.length) return null;
  return el('div', { class: 'choices', role: 'group', 'aria-label': t('voucher.choose') },
    el('p', {}, t('voucher.choose')),
    ...view.voucherChoices.map(choice => el('button', {
      type: 'button', class: 'secondary', dataset: { choicePoints: String(choice.points), choiceValue: String(choice.value) },
      onclick: () => choose(choice),
    }, t('voucher.choice', { value: money(choice.value, view.currency), points: number(choice.points) }))));
}

export function stampCards(view) {
  if (!view.stampCards.length) return null;
  return el('ul', { class: 'stamp-cards' }, view.stampCards.map(card =>
    el('li', { dataset: { cardId: card.cardId, stamps: String(card.stamps) } },
      el('span', {}, card.name),
      ' ',
      el('span', { class: 'stamps', 'aria-hidden': 'true' }, '●'.repeat(card.stamps) + '○'.repeat(Math.max(0, card.stampsLeft))),
      ' ',
      el('span', {}, t('stamps.count', { stamps: number(card.stamps), of: number(card.stampsForReward) })))));
}

export function expiring(view) {
  if (!view.expiringSoon.length) return el('p', { class: 'muted' }, t('points.noneExpiring'));
  return el('ul', { class: 'expiring', dataset: { field: 'expiring' } }, view.expiringSoon.map(lot =>
    el('li', { dataset: { value: String(lot.points), lastDay: lot.lastDay } },
      t('points.expiring', { points: number(lot.points), date: date(lot.lastDay) }))));
}
