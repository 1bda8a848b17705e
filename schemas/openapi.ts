/**
 * The OpenAPI document of both public APIs (ingest and query), generated from the TypeBox
 * schemas so it cannot drift from the code: `openapi.json` at the repository root is this
 * document, a unit test fails when the file is stale (`npm run openapi` rewrites it), and an
 * integration test checks real answers of the running local edge against the file.
 *
 * OpenAPI 3.1: its schemas are JSON Schema 2020-12, which takes our schemas as they are
 * (`const`, `patternProperties`); 3.0's subset would need lossy rewriting.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { ingestRequestModel } from './draft04';
import { INGEST_KEY_PARAMETER } from './ingest-request-form';
import { LIMITS } from './limits';
import {
  ActiveSessionsPageSchema,
  ErrorBodySchema,
  HealthAnswerSchema,
  RealtimeAnswerSchema,
  SESSIONS_PAGE,
} from './query';

export const OPENAPI_FILE = 'openapi.json';

/** Answers of `POST /events` (DESIGN.md section 3a). */
export const IngestAcceptedSchema = Type.Object(
  { accepted: Type.Integer({ minimum: 0 }) },
  { additionalProperties: false },
);

export const IngestPartialSchema = Type.Object(
  {
    accepted: Type.Integer({ minimum: 0 }),
    failed: Type.Array(
      Type.Object(
        {
          // The position, not the eventId: API Gateway's response template sees Kinesis'
          // answer, never the request body (infra/api/templates/events-response-ok.vtl).
          index: Type.Integer({ minimum: 0, description: 'position in the request’s `events`' }),
          errorCode: Type.String({
            description: 'Kinesis’ code, e.g. ProvisionedThroughputExceededException',
          }),
        },
        { additionalProperties: false },
      ),
      {
        minItems: 1,
        description: 'events Kinesis refused; retry exactly these events, with the same eventIds',
      },
    ),
  },
  { additionalProperties: false },
);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A plain-JSON copy (drops TypeBox's symbol-keyed metadata). */
function plain(schema: TSchema | object): { [key: string]: Json } {
  return JSON.parse(JSON.stringify(schema)) as { [key: string]: Json };
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function jsonContent(schema: Json) {
  return { 'application/json': { schema } };
}

function errorResponse(description: string, headers?: { [key: string]: Json }) {
  return {
    description,
    ...(headers === undefined ? {} : { headers }),
    content: jsonContent(ref('Error')),
  };
}

const retryAfter = {
  description: 'Seconds to wait before retrying.',
  schema: { type: 'integer' },
};

const siteIdParameter = {
  name: 'siteId',
  in: 'query',
  required: true,
  description: 'The site to read; the read token must be this site’s.',
  schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{1,62}$' },
};

/** Errors every authorized query route can answer. */
const queryErrors = {
  '400': errorResponse('A query parameter is missing or malformed; `details` names it.'),
  '401': errorResponse(
    'No read token (missing or malformed `Authorization: Bearer …`) or no siteId.',
  ),
  '403': errorResponse(
    'The read token does not grant this site (wrong token, another site’s token, or unknown site).',
  ),
  '503': errorResponse('Active sessions could not be read; retry shortly.'),
};

export function openApiDocument(): { [key: string]: Json } {
  const ingestModel = ingestRequestModel();
  // `$schema` and `title` belong to the API Gateway model, not to an OpenAPI 3.1 component.
  delete ingestModel['$schema'];
  delete ingestModel['title'];
  return {
    openapi: '3.1.0',
    info: {
      title: 'LiveInsight',
      version: '1.0.0',
      description:
        'Ingest (`POST /events`, authenticated by the site’s public ingest key) and realtime query ' +
        '(`GET /realtime`, `GET /sessions/active`, authenticated by the site’s secret read token) APIs. ' +
        'Every error body is `{"error": {"code", "message", "details"?}}`, also for requests ' +
        'that are not valid HTTP/1.1 (the local edge answers 400 `bad_request`, 405 ' +
        '`method_not_allowed` with `Allow`, 408, 431 `headers_too_large` or 505, then closes ' +
        'the connection).',
    },
    servers: [{ url: 'http://localhost:3000', description: 'local edge (`npm start`)' }],
    tags: [{ name: 'ingest' }, { name: 'query' }],
    paths: {
      '/events': {
        post: {
          tags: ['ingest'],
          operationId: 'ingestEvents',
          summary: 'Send a batch of 1–500 tracker events',
          description:
            'Browsers send `POST /events?key=<ingest key>` with the batch as ' +
            '`text/plain;charset=UTF-8` (what sendBeacon and a header-less fetch send: a ' +
            'CORS-simple request, never preflighted); server-side senders use the same URL with ' +
            '`application/json`. Same body, validation and answers for both.',
          security: [{ ingestKey: [] }],
          requestBody: {
            required: true,
            description: `At most ${LIMITS.maxBodyBytes} bytes; each event at most ${LIMITS.maxEventBytes} bytes serialised. The same JSON as \`text/plain\` or \`application/json\`.`,
            content: {
              ...jsonContent(ref('IngestRequest')),
              'text/plain': { schema: ref('IngestRequest') },
            },
          },
          responses: {
            '200': {
              description: 'Every event is durably accepted.',
              content: jsonContent(ref('IngestAccepted')),
            },
            '207': {
              description: 'Some events were refused by the stream; retry exactly the listed ones.',
              content: jsonContent(ref('IngestPartial')),
            },
            '400': errorResponse(
              'The body breaks the contract (`invalid_request`; `details` names every bad field ' +
                'and what was expected, at most 20 and then how many more), or is not UTF-8 (`invalid_utf8`; `details.offset` is the ' +
                'byte where it stops being UTF-8; local edge only — API Gateway stores such ' +
                'bytes as U+FFFD).',
            ),
            '401': errorResponse(
              'No `?key=` (`unauthorized`); the `x-api-key` header is not read.',
            ),
            '403': errorResponse(
              'Unknown, revoked or malformed ingest key, or its site disabled (`forbidden`); a key ' +
                'of another site (`site_mismatch`); a browser Origin off the site’s list ' +
                '(`origin_not_allowed`).',
            ),
            '413': errorResponse(
              `The body is over ${LIMITS.maxBodyBytes} bytes (UTF-8 bytes, not characters).`,
            ),
            '415': errorResponse(
              'The body is sent neither as Content-Type: text/plain nor as application/json.',
            ),
            '429': errorResponse('Throttled (usage plan or stage) or daily quota used up.', {
              'Retry-After': retryAfter,
            }),
            '503': errorResponse(
              'The event stream (`stream_unavailable`) or the key registry (`key_check_unavailable`) could not be reached; nothing was stored.',
              { 'Retry-After': retryAfter },
            ),
            '504': errorResponse(
              'The event stream did not answer in time; retry the whole batch.',
              {
                'Retry-After': retryAfter,
              },
            ),
          },
        },
      },
      '/realtime': {
        get: {
          tags: ['query'],
          operationId: 'getRealtime',
          summary:
            'Active sessions (30 min), current visitors (5 min), page views per minute and breakdowns',
          description: 'Cached for 3 s per site and token.',
          security: [{ readToken: [] }],
          parameters: [siteIdParameter],
          responses: {
            '200': {
              description: 'The realtime figures of the site.',
              content: jsonContent(ref('RealtimeAnswer')),
            },
            ...queryErrors,
          },
        },
      },
      '/sessions/active': {
        get: {
          tags: ['query'],
          operationId: 'listActiveSessions',
          summary: 'The site’s active sessions, in sessionId order, page by page',
          security: [{ readToken: [] }],
          parameters: [
            siteIdParameter,
            {
              name: 'limit',
              in: 'query',
              required: false,
              schema: {
                type: 'integer',
                minimum: 1,
                maximum: SESSIONS_PAGE.maxLimit,
                default: SESSIONS_PAGE.defaultLimit,
              },
            },
            {
              name: 'cursor',
              in: 'query',
              required: false,
              description: 'The `nextCursor` of the previous page (opaque).',
              schema: { type: 'string' },
            },
          ],
          responses: {
            '200': {
              description: 'One page of active sessions.',
              content: jsonContent(ref('ActiveSessionsPage')),
            },
            ...queryErrors,
          },
        },
      },
      '/health': {
        get: {
          tags: ['query'],
          operationId: 'getHealth',
          summary: 'Whether the query API can read its table (no token needed)',
          security: [],
          responses: {
            '200': { description: 'Healthy.', content: jsonContent(ref('HealthAnswer')) },
            '503': {
              description: 'The table cannot be read.',
              content: jsonContent(ref('HealthAnswer')),
            },
          },
        },
      },
    },
    components: {
      securitySchemes: {
        ingestKey: {
          type: 'apiKey',
          in: 'query',
          name: INGEST_KEY_PARAMETER,
          description:
            'The site’s ingest key. Public (it ships in web pages): it identifies, it does not authenticate.',
        },
        readToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'The site’s read token (`lirt_…`): a secret, distinct from the ingest key.',
        },
      },
      schemas: {
        IngestRequest: ingestModel,
        IngestAccepted: plain(IngestAcceptedSchema),
        IngestPartial: plain(IngestPartialSchema),
        RealtimeAnswer: plain(RealtimeAnswerSchema),
        ActiveSessionsPage: plain(ActiveSessionsPageSchema),
        HealthAnswer: plain(HealthAnswerSchema),
        Error: plain(ErrorBodySchema),
      },
    },
  };
}

/** The file's exact text (stable key order, trailing newline) so that staleness is a diff. */
export function renderOpenApi(): string {
  return `${JSON.stringify(openApiDocument(), null, 2)}\n`;
}
