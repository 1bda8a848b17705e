/**
 * The contract's limits the tracker checks before sending: copies of schemas/limits.ts and
 * schemas/ingest.ts (browser code takes only types from schemas/, so nothing of the server
 * lands in li.js); tracker/test/contract-copies.test.ts holds them equal to their homes.
 */
/** WINDOWS.sessionGapMs: 30 minutes without an event ends a session. */
export const SESSION_GAP_MS = 18e5;
/** LIMITS.maxUrlLength (url, referrer). */
export const MAX_URL = 2048;
/** LIMITS.maxTitleLength. */
export const MAX_TITLE = 512;
/** LIMITS.maxNameLength. */
export const MAX_NAME = 128;
/** LIMITS.maxProps. */
export const MAX_PROPS = 30;
/** LIMITS.maxPropStringLength. */
export const MAX_PROP_STRING = 500;
/** LIMITS.maxPropNumberMagnitude and minPropNumberMagnitude. */
export const MAX_MAGNITUDE = 1e125;
export const MIN_MAGNITUDE = 1e-130;
/** PROP_KEY_PATTERN. */
export const PROP_KEY = /^[\w.:-]{1,64}$/;
/** LIMITS.maxEventBytes less 1 KB for the fields the tracker adds around a custom event's name and props. */
export const CUSTOM_BYTES = 8192 - 1024;
