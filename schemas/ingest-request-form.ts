/**
 * The request form of `POST /events` that the tracker, the deployed API, its authorizer and the
 * local edge share (issue 13): the ingest key travels in the query string, so a browser's POST
 * needs no custom header and stays a CORS-simple request.
 */

/** `POST /events?key=<ingest key>`; also the authorizer's identity source (its cache key). */
export const INGEST_KEY_PARAMETER = 'key';
