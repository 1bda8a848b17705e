// @ts-check
/* global window, sessionStorage, URL, URLSearchParams */
/**
 * Where the dashboard gets its site and read token: `?siteId=…#token=…` (the fragment never
 * reaches a server log), remembered in sessionStorage for this tab, and removed from the address
 * bar so that a screenshot or a shared link does not carry the secret.
 */

const STORAGE_KEY = 'liveinsight.credentials';

/** @typedef {{ siteId: string, token: string }} Credentials */

/** @returns {Credentials | undefined} */
export function readCredentials() {
  const url = new URL(window.location.href);
  const hash = new URLSearchParams(url.hash.replace(/^#/, ''));
  const fromUrl = { siteId: url.searchParams.get('siteId') ?? '', token: hash.get('token') ?? '' };
  if (fromUrl.token !== '') {
    hash.delete('token');
    url.hash = hash.toString();
    window.history.replaceState(null, '', url.toString());
  }
  const stored = loadStored();
  const siteId = fromUrl.siteId || stored?.siteId || '';
  const token = fromUrl.token || (stored?.siteId === siteId ? stored.token : '') || '';
  if (siteId === '' || token === '') return undefined;
  saveCredentials({ siteId, token });
  return { siteId, token };
}

/** The site the address asks for (`?siteId=`), with or without a token; '' when none. */
export function requestedSiteId() {
  return new URL(window.location.href).searchParams.get('siteId') ?? '';
}

/** @param {Credentials} credentials */
export function saveCredentials(credentials) {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(credentials));
  const url = new URL(window.location.href);
  url.searchParams.set('siteId', credentials.siteId);
  window.history.replaceState(null, '', url.toString());
}

/** @returns {Credentials | undefined} */
function loadStored() {
  try {
    /** @type {unknown} */
    const value = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null');
    if (
      typeof value === 'object' &&
      value !== null &&
      'siteId' in value &&
      'token' in value &&
      typeof value.siteId === 'string' &&
      typeof value.token === 'string'
    ) {
      return { siteId: value.siteId, token: value.token };
    }
  } catch {
    // A value that is not ours: ignore it, as if nothing were stored.
  }
  return undefined;
}
