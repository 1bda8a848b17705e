/**
 * The record that travels on Kinesis: one tracker event wrapped with what the edge knows
 * (rendered by the API Gateway request mapping template, `v` = format version). The source IP
 * travels only this far: enrichment turns it into a visitor hash and never stores it.
 */
import { Type, type Static } from '@sinclair/typebox';
import { EventSchema, SiteIdSchema } from './ingest';

export const EDGE_RECORD_VERSION = 1;

export const EdgeRecordSchema = Type.Object(
  {
    v: Type.Literal(EDGE_RECORD_VERSION),
    siteId: SiteIdSchema,
    /**
     * API Gateway `$context.requestTimeEpoch` (ms): the server clock, trusted for activity.
     * Capped at the largest instant a Date holds, so day keys derived from it cannot overflow.
     */
    receivedAt: Type.Integer({ minimum: 0, maximum: 8_640_000_000_000_000 }),
    requestId: Type.String({ minLength: 1, maxLength: 128 }),
    sourceIp: Type.String({ maxLength: 64 }),
    userAgent: Type.String({ maxLength: 1024 }),
    /** ISO 3166-1 alpha-2 from the CDN's viewer-country header; empty when unknown. */
    country: Type.String({ maxLength: 2 }),
    event: EventSchema,
  },
  { additionalProperties: false },
);

export type EdgeRecord = Static<typeof EdgeRecordSchema>;
