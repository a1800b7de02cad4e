// One text file per language (i18n/en.json, i18n/sv.json), chosen by the browser's language; numbers, money and dates
// are formatted with Intl for that language and the program's currency.

const languages = { sv: 'sv-SE', en: 'en-GB' };
let texts = {};
let locale = languages.en;

export function chooseLanguage(preferred = navigator.languages ?? [navigator.language]) {
  for (const tag of preferred) {
    const language = String(tag).toLowerCase().split('-')[0];
    if (language in languages) return language;
  }
  return 'en';
}

export async function loadTexts(language = chooseLanguage()) {
  const answer = await fetch(new URL(`../i18n/${language}.json`, import.meta.url));
  texts = await answer.json();
  locale = languages[language];
  document.documentElement.lang = language;
  for (const node of document.querySelectorAll('[data-text]')) node.textContent = t(node.dataset.text);
  for (const node of document.querySelectorAll('[data-text-label]')) node.setAttribute('aria-label', t(node.dataset.textLabel));
  for (const node of document.querySelectorAll('[data-text-placeholder]')) node.placeholder = t(node.dataset.textPlaceholder);
  return language;
}

/** The text for `key` with {name} placeholders filled from `args` (as given: format numbers and dates first). */
export function t(key, args = {}) {
  const text = texts[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in args ? String(args[name]) : whole));
}

/** Whether the language file has `key`: benefit kinds are data, and one nobody worded is shown as it is. */
export function has(key) {
  return key in texts;
}

export function number(value) {
  return new Intl.NumberFormat(locale).format(value);
}

export function money(value, currency) {
  return new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 2, minimumFractionDigits: 0 }).format(value);
}

/** A `yyyy-MM-dd` calendar date as the language writes it (31 Dec 2027, 31 dec. 2027); no time zone shift. */
export function date(isoDate) {
  if (!isoDate) return '';
  const [year, month, day] = isoDate.slice(0, 10).split('-').map(Number);
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })
    .format(Date.UTC(year, month - 1, day));
}

export function dateTime(iso, timeZone) {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(iso));
}

export function percent(fraction) {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(fraction);
}
