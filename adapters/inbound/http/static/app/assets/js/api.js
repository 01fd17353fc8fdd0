// The page's only door to the server: the /v1 API with the access token (kept in memory only) and the
// chosen cabinet. The refresh token never reaches this code: it lives in an HttpOnly cookie that only
// /v1/auth/* receives. A refresh rotates it, so refreshes are serialized, within this tab by one shared
// promise and across tabs by a Web Lock: two tabs refreshing with one cookie would look like a reused
// token and end the session.

let accessToken = null;
let refreshing = null;
let cabinetId = null;

export class ApiError extends Error {
  constructor(status, body) {
    const error = (body && body.error) || {};
    super(error.message || `HTTP ${status}`);
    this.status = status;
    this.code = error.code;
    this.details = error.details || [];
  }
}

export const session = {
  get signedIn() { return accessToken !== null; },
  get cabinet() { return cabinetId; },
  set cabinet(id) { cabinetId = id; if (id) localStorage.setItem("wbpulse.cabinet", id); },
  rememberedCabinet() { return localStorage.getItem("wbpulse.cabinet"); },
};

async function post(path, body) {
  const init = { method: "POST", credentials: "same-origin", headers: {} };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const data = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

// Whether this browser has signed in (not a secret: the cookie itself is out of reach), so a visit with no
// session goes straight to the sign-in page instead of asking the server for a refresh it would refuse.
const MARK = "wbpulse.signedIn";

function keep(tokens) {
  accessToken = tokens.access_token;
  localStorage.setItem(MARK, "1");
  return tokens;
}

function forget() {
  accessToken = null;
  localStorage.removeItem(MARK);
}

/** Sign in with the bot's one-time code. */
export async function signInWithCode(code) {
  return keep(await post("/v1/auth/code?refresh=cookie", { code }));
}

/** Sign in with what the Telegram Login Widget sent back (every field, as Telegram signed them). */
export async function signInWithTelegram(fields) {
  return keep(await post("/v1/auth/telegram?refresh=cookie", fields));
}

/** New tokens from the refresh cookie; false when there is no session (sign in again). */
export async function refresh() {
  if (!localStorage.getItem(MARK)) return false;
  if (!refreshing) {
    const run = async () => {
      try {
        keep(await post("/v1/auth/refresh?refresh=cookie"));
        return true;
      } catch (error) {
        if (error.status === 401) { forget(); return false; }
        throw error;
      }
    };
    const locked = navigator.locks ? navigator.locks.request("wbpulse-refresh", run) : run();
    refreshing = locked.finally(() => { refreshing = null; });
  }
  return refreshing;
}

export async function signOut() {
  forget();
  try { await post("/v1/auth/logout"); } catch { /* the cookie is cleared or was gone: signed out either way */ }
}

function url(path, query) {
  const u = new URL(path, location.origin);
  for (const [k, v] of Object.entries(query || {})) {
    if (v === null || v === undefined || v === "") continue;
    u.searchParams.set(k, v);
  }
  return u.pathname + u.search;
}

/**
 * Call the API. `cabinet: false` for the routes without X-Cabinet-Id (/v1/me, notifications). A 401 with
 * a token refreshes once and retries; a 401 without a session throws `ApiError` with status 401.
 */
export async function api(path, { method = "GET", query, body, raw, contentType, cabinet = true } = {}) {
  for (let attempt = 0; ; attempt++) {
    if (!accessToken && !(await refresh())) throw new ApiError(401, null);
    const headers = { Authorization: `Bearer ${accessToken}` };
    if (cabinet) headers["X-Cabinet-Id"] = cabinetId;
    let payload;
    if (raw !== undefined) { payload = raw; headers["Content-Type"] = contentType; }
    else if (body !== undefined) { payload = JSON.stringify(body); headers["Content-Type"] = "application/json"; }
    const response = await fetch(url(path, query), { method, headers, body: payload, credentials: "same-origin" });
    const data = response.status === 204 ? null : await response.json().catch(() => null);
    if (response.status === 401 && attempt === 0) {
      accessToken = null;
      continue;
    }
    if (!response.ok) throw new ApiError(response.status, data);
    return data;
  }
}
