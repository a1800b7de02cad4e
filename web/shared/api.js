// The one way the pages call the HTTP API: every failure becomes an ApiError carrying the RFC 7807 problem, so a page
// can always say what went wrong instead of going blank.

let configured;

/** The API's base URL: same origin by default; a deployment that serves the pages elsewhere names it in config.json. */
async function apiBase() {
  configured ??= fetch(new URL('../config.json', import.meta.url))
    .then(answer => (answer.ok ? answer.json() : {}))
    .then(config => (config.apiBase ?? '').replace(/\/$/, ''))
    .catch(() => '');
  return configured;
}

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem ?? {};
  }

  /** The problem's error codes (violations), e.g. "identity.taken". */
  get codes() {
    return (this.problem.violations ?? []).map(v => v.code);
  }
}

/**
 * Calls `path` under /api/v1. `auth` is { key } (sent as X-Api-Key) or { token } (a member token, sent as Bearer).
 * Answers the parsed JSON body; throws ApiError on any status outside 2xx, and on a network failure (status 0).
 */
export async function call(path, { method = 'GET', body, auth = {} } = {}) {
  const headers = { Accept: 'application/json' };
  if (auth.key) headers['X-Api-Key'] = auth.key;
  if (auth.token) headers.Authorization = `Bearer ${auth.token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let answer;
  try {
    answer = await fetch(`${await apiBase()}/api/v1${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (failure) {
    throw new ApiError(0, { title: failure.message });
  }
  const text = await answer.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = { title: text.slice(0, 200) };
  }
  if (!answer.ok) throw new ApiError(answer.status, json);
  return json;
}

/** A request id for operations the API makes idempotent (choose and redeem vouchers): a retry reuses it. */
export function requestId(prefix) {
  return `${prefix}-${crypto.randomUUID()}`;
}
