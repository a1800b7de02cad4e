// The program dashboard for a marketing or admin key: the program, its figures as of the last nightly count (members per
// tier, points liability, vouchers, and per night enrolments, receipts, points and tier moves), campaigns on a calendar (once and recurring, past
// and coming), and per campaign its reach, contacts per channel, redemptions, redemption rate, attributed revenue and
// revenue per contact, as tables (the figures, for everyone and every screen reader) and charts.
import { call } from '../shared/api.js';
import { clear, el, loadInto } from '../shared/dom.js';
import { date, dateTime, loadTexts, money, number, percent, t } from '../shared/i18n.js';
import { sessionKey } from '../shared/key.js';
import { monthGrid, occursOn } from './calendar.js';

const key = sessionKey('loyalty.dashboard.key');
const $ = id => document.getElementById(id);
const auth = key.auth;
const charts = [];
const figureCharts = [];
let shownMonth;
let campaigns = [];

function showKeyForm(message) {
  key.forget();
  $('board').hidden = true;
  $('forget-key').hidden = true;
  $('key-form').hidden = false;
  clear($('notice'), message ? el('p', { class: 'failure', role: 'alert' }, message) : null);
  $('key').focus();
}

/** A refused key goes back to the key form with the reason; anything else fails in place, with a retry. */
async function guarded(container, load) {
  await loadInto(container, async () => {
    try {
      return await load();
    } catch (error) {
      if (error.status === 401) showKeyForm(t('till.keyRefused'));
      else if (error.status === 403) showKeyForm(t('dashboard.keyNotForDashboard'));
      throw error;
    }
  });
}

async function showBoard() {
  $('key-form').hidden = true;
  $('board').hidden = false;
  $('forget-key').hidden = false;
  clear($('notice'));
  let program;
  await guarded($('program'), async () => {
    program = await call('/program', { auth: auth() });
    return programSummary(program);
  });
  if (!program) return;
  await guarded($('figures'), async () => programFigures(await call('/program/figures', { auth: auth() }), program.latest.timeZone));
  await guarded($('campaigns'), async () => {
    const views = await call('/campaigns', { auth: auth() });
    const statistics = await Promise.all(views.map(view =>
      call(`/campaigns/${encodeURIComponent(view.campaign.definition.campaignId)}/statistics`, { auth: auth() })));
    campaigns = views.map((view, i) => ({ ...view, statistics: statistics[i] }));
    renderCalendar(program);
    return campaignFigures(program.latest.currency);
  });
}

function programSummary(program) {
  const definition = program.latest;
  return el('dl', { class: 'cards' },
    el('div', { class: 'card' }, el('dt', {}, t('dashboard.programName')), el('dd', { dataset: { field: 'program-name' } }, program.name)),
    el('div', { class: 'card' }, el('dt', {}, t('dashboard.tiers')),
      el('dd', { dataset: { field: 'tiers' } }, definition.tiers.map(tier => `${tier.name} (${number(tier.threshold)})`).join(' · '))),
    el('div', { class: 'card' }, el('dt', {}, t('dashboard.currency')), el('dd', {}, definition.currency)));
}

const figure = (field, value, text) => el('dd', { dataset: { field, value: String(value) } }, text);

/** The nightly figures: cards and tables hold every number (the charts repeat them). */
function programFigures(figures, timeZone) {
  if (!figures.asOf) return el('p', { class: 'muted', dataset: { field: 'as-of' } }, t('dashboard.figuresNone'));
  const currency = figures.currency;
  const { liability, vouchers } = figures;
  const asOf = el('p', { class: 'muted', dataset: { field: 'as-of', value: figures.asOf } },
    t('dashboard.asOf', { night: date(figures.asOf), counted: dateTime(figures.countedAt, timeZone) }));
  const cards = el('dl', { class: 'cards' },
    el('div', { class: 'card' }, el('dt', {}, t('dashboard.outstandingPoints')), figure('outstanding-points', liability.points, number(liability.points))),
    el('div', { class: 'card' }, el('dt', {}, t('dashboard.liability')),
      liability.value === null || liability.value === undefined
        ? figure('liability-value', '', t('dashboard.noPointValue'))
        : figure('liability-value', liability.value, money(liability.value, currency))),
    el('div', { class: 'card' }, el('dt', {}, t('dashboard.pointsOwed')), figure('points-owed', liability.debt, number(liability.debt))),
    el('div', { class: 'card' }, el('dt', {}, t('dashboard.vouchersOpen')),
      figure('vouchers-open', vouchers.open, `${number(vouchers.open)} (${money(vouchers.openValue, currency)})`)),
    el('div', { class: 'card' }, el('dt', {}, t('dashboard.vouchersIssued')), figure('vouchers-issued', vouchers.issued, number(vouchers.issued))),
    el('div', { class: 'card' }, el('dt', {}, t('dashboard.vouchersRedeemed')), figure('vouchers-redeemed', vouchers.redeemed, number(vouchers.redeemed))));
  const tierTable = el('table', { id: 'tier-table' },
    el('caption', {}, t('dashboard.membersPerTier')),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, t('dashboard.tier')), el('th', { scope: 'col', class: 'number' }, t('dashboard.members')))),
    el('tbody', {}, figures.tiers.map(tier => el('tr', { dataset: { tier: tier.tier } },
      el('th', { scope: 'row' }, tier.tier),
      el('td', { class: 'number', dataset: { field: 'members', value: String(tier.members) } }, number(tier.members))))));
  const columns = ['enrolments', 'receipts', 'pointsEarned', 'upgrades', 'downgrades', 'vouchersIssued', 'vouchersRedeemed'];
  const nightTable = el('table', { id: 'night-table' },
    el('caption', {}, t('dashboard.perNight')),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, t('dashboard.night')),
      columns.map(column => el('th', { scope: 'col', class: 'number' }, t(`dashboard.night.${column}`))))),
    el('tbody', {}, figures.nights.map(night => el('tr', { dataset: { night: night.night } },
      el('th', { scope: 'row' }, date(night.night)),
      columns.map(column => el('td', { class: 'number', dataset: { field: column, value: String(night[column]) } }, number(night[column])))))));
  const canvases = ['tiersChart', 'activityChart', 'movesChart']
    .map(name => [name, el('canvas', { role: 'img', 'aria-label': t(`dashboard.${name}`) })]);
  requestAnimationFrame(() => drawFigureCharts(figures, Object.fromEntries(canvases)));
  return el('div', {}, asOf, cards,
    el('div', { class: 'table-scroll' }, tierTable),
    figures.nights.length ? el('div', { class: 'table-scroll' }, nightTable) : el('p', { class: 'muted' }, t('dashboard.oneNightOnly')),
    el('div', { class: 'cards' }, canvases.map(([name, canvas]) =>
      el('figure', { class: 'card' }, el('figcaption', {}, t(`dashboard.${name}`)), el('div', { class: 'chart' }, canvas)))));
}

function drawFigureCharts(figures, canvases) {
  if (!window.Chart) return;
  for (const chart of figureCharts.splice(0)) chart.destroy();
  const nights = figures.nights.map(night => date(night.night));
  const series = (key, colour, axis) => ({
    label: t(`dashboard.night.${key}`), data: figures.nights.map(night => night[key]), backgroundColor: colour, borderColor: colour, yAxisID: axis,
  });
  const bar = (canvas, labels, datasets, scales) => figureCharts.push(new window.Chart(canvas, {
    type: 'bar', data: { labels, datasets }, options: { maintainAspectRatio: false, animation: false, scales },
  }));
  bar(canvases.tiersChart, figures.tiers.map(tier => tier.tier),
    [{ label: t('dashboard.members'), data: figures.tiers.map(tier => tier.members), backgroundColor: '#0b5cad' }]);
  bar(canvases.activityChart, nights,
    [series('enrolments', '#7a5c00', 'y'), series('receipts', '#0b5cad', 'y'), { ...series('pointsEarned', '#1b6b2a', 'points'), type: 'line' }],
    { y: { position: 'left' }, points: { position: 'right', grid: { drawOnChartArea: false } } });
  bar(canvases.movesChart, nights, [series('upgrades', '#1b6b2a'), series('downgrades', '#a32020'),
    series('vouchersIssued', '#4d8fd6'), series('vouchersRedeemed', '#8c8c8c')]);
}

function renderCalendar(program) {
  const today = new Date().toISOString().slice(0, 10);
  shownMonth ??= { year: Number(today.slice(0, 4)), month: Number(today.slice(5, 7)) };
  const { year, month } = shownMonth;
  const days = monthGrid(year, month);
  const monthName = new Intl.DateTimeFormat(document.documentElement.lang, { month: 'long', year: 'numeric', timeZone: 'UTC' })
    .format(Date.UTC(year, month - 1, 1));
  const weekdayNames = days.slice(0, 7).map(day => new Intl.DateTimeFormat(document.documentElement.lang, { weekday: 'short', timeZone: 'UTC' })
    .format(new Date(`${day}T00:00:00Z`)));
  const rows = [];
  for (let week = 0; week < days.length; week += 7) {
    rows.push(el('tr', {}, days.slice(week, week + 7).map(day => {
      const inMonth = Number(day.slice(5, 7)) === month;
      const events = campaigns.filter(view => view.campaign.status !== 'draft' && occursOn(view.campaign.definition.schedule, day));
      return el('td', { class: `day${inMonth ? '' : ' other'}${day < today ? ' past' : ''}`, dataset: { date: day } },
        el('span', { class: 'muted' }, String(Number(day.slice(8)))),
        events.map(view => el('span', { class: 'event', dataset: { campaignId: view.campaign.definition.campaignId } },
          view.campaign.definition.name)));
    })));
  }
  clear($('calendar'),
    el('table', { class: 'calendar-table', dataset: { month: `${year}-${String(month).padStart(2, '0')}` } },
      el('caption', {}, monthName),
      el('thead', {}, el('tr', {}, weekdayNames.map(name => el('th', { scope: 'col' }, name)))),
      el('tbody', {}, rows)),
    el('p', { class: 'muted' }, t('dashboard.calendarNote', { zone: program.latest.timeZone })));
}

function moveMonth(by, program) {
  const zeroBased = shownMonth.month - 1 + by;
  shownMonth = { year: shownMonth.year + Math.floor(zeroBased / 12), month: ((zeroBased % 12) + 12) % 12 + 1 };
  renderCalendar(program);
}

function campaignFigures(currency) {
  if (!campaigns.length) return el('p', { class: 'muted' }, t('dashboard.noCampaigns'));
  const cell = (value, text) => el('td', { class: 'number', dataset: { value: String(value) } }, text);
  const table = el('table', { id: 'campaign-table' },
    el('caption', {}, t('dashboard.campaignFigures')),
    el('thead', {}, el('tr', {},
      el('th', { scope: 'col' }, t('dashboard.campaign')),
      el('th', { scope: 'col' }, t('dashboard.status')),
      ['reach', 'email', 'sms', 'push', 'redemptions', 'redemptionRate', 'attributedRevenue', 'revenuePerContact']
        .map(column => el('th', { scope: 'col', class: 'number' }, t(`dashboard.${column}`))))),
    el('tbody', {}, campaigns.map(view => {
      const figures = view.statistics.statistics;
      const contacts = figures.email + figures.sms + figures.push;
      const rate = figures.reach ? figures.redemptions / figures.reach : 0;
      const perContact = contacts ? figures.attributedRevenue / contacts : 0;
      return el('tr', { dataset: { campaignId: view.campaign.definition.campaignId } },
        el('th', { scope: 'row' }, view.campaign.definition.name),
        el('td', {}, t(`dashboard.status.${view.campaign.status}`)),
        el('td', { class: 'number', dataset: { field: 'reach', value: String(figures.reach) } }, number(figures.reach)),
        el('td', { class: 'number', dataset: { field: 'email', value: String(figures.email) } }, number(figures.email)),
        el('td', { class: 'number', dataset: { field: 'sms', value: String(figures.sms) } }, number(figures.sms)),
        el('td', { class: 'number', dataset: { field: 'push', value: String(figures.push) } }, number(figures.push)),
        el('td', { class: 'number', dataset: { field: 'redemptions', value: String(figures.redemptions) } }, number(figures.redemptions)),
        cell(rate, percent(rate)),
        el('td', { class: 'number', dataset: { field: 'attributed-revenue', value: String(figures.attributedRevenue) } }, money(figures.attributedRevenue, currency)),
        cell(perContact, money(perContact, currency)));
    })));
  const reachChart = el('canvas', { role: 'img', 'aria-label': t('dashboard.reachChart') });
  const revenueChart = el('canvas', { role: 'img', 'aria-label': t('dashboard.revenueChart') });
  const wrapper = el('div', {}, el('div', { class: 'table-scroll' }, table),
    el('div', { class: 'cards' },
      el('figure', { class: 'card' }, el('figcaption', {}, t('dashboard.reachChart')), el('div', { class: 'chart' }, reachChart)),
      el('figure', { class: 'card' }, el('figcaption', {}, t('dashboard.revenueChart')), el('div', { class: 'chart' }, revenueChart))));
  requestAnimationFrame(() => drawCharts(reachChart, revenueChart, currency));
  return wrapper;
}

/** The charts repeat the table; without Chart.js (web/vendor not copied) the table alone still says everything. */
function drawCharts(reachCanvas, revenueCanvas, currency) {
  if (!window.Chart) return;
  for (const chart of charts.splice(0)) chart.destroy();
  const labels = campaigns.map(view => view.campaign.definition.name);
  const series = (key, label, colour) => ({ label, data: campaigns.map(view => view.statistics.statistics[key]), backgroundColor: colour });
  charts.push(new window.Chart(reachCanvas, {
    type: 'bar',
    data: {
      labels,
      datasets: [
        series('reach', t('dashboard.reach'), '#0b5cad'),
        series('email', t('dashboard.email'), '#4d8fd6'),
        series('sms', t('dashboard.sms'), '#7a5c00'),
        series('push', t('dashboard.push'), '#8c8c8c'),
        series('redemptions', t('dashboard.redemptions'), '#1b6b2a'),
      ],
    },
    options: { maintainAspectRatio: false, animation: false },
  }));
  charts.push(new window.Chart(revenueCanvas, {
    type: 'bar',
    data: { labels, datasets: [series('attributedRevenue', t('dashboard.attributedRevenue'), '#1b6b2a')] },
    options: {
      maintainAspectRatio: false,
      animation: false,
      scales: { y: { ticks: { callback: value => money(value, currency) } } },
    },
  }));
}

async function start() {
  await loadTexts();
  key.onSaved(showBoard);
  $('forget-key').addEventListener('click', () => showKeyForm());
  let program;
  const withProgram = async by => {
    program ??= await call('/program', { auth: auth() });
    moveMonth(by, program);
  };
  $('previous-month').addEventListener('click', () => withProgram(-1));
  $('next-month').addEventListener('click', () => withProgram(1));
  if (key.present()) showBoard();
  else showKeyForm();
}

start();
