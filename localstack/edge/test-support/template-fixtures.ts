/** Typed factories for rendering the ingest templates in unit tests (no I/O but reading .vtl). */
import { readTemplate, type TemplateName } from '../../../infra/api/ingest-api-spec';
import type { IngestRequest, TrackerEvent } from '../../../schemas/ingest';
import { CompiledTemplate } from '../vtl/render-template';
import {
  createVtlContext,
  type ContextIdentity,
  type RequestContextFields,
  type VtlContext,
} from '../vtl/vtl-context';
import { type RequestParameters, VtlInput } from '../vtl/vtl-input';

export const SECRET = 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6';

/** `$context.authorizer` of the demo site's key, as the ingest authorizer hands it over. */
export const AUTHORIZER = {
  siteId: 'demo-shop',
  keyId: 'k_0123abcd',
  tier: 'standard',
  origins: 'https://shop.example.com,http://localhost:3000',
} as const;

export function contextFields(
  identity: Partial<ContextIdentity> = {},
  authorizer: Readonly<Record<string, string>> = AUTHORIZER,
): RequestContextFields {
  return {
    requestId: '6f1c2b9e-4a57-4c1e-9d3a-2f0e8c7b5a41',
    extendedRequestId: 'ext-1',
    requestTimeEpoch: 1_763_000_000_123,
    httpMethod: 'POST',
    resourcePath: '/events',
    path: '/local/events',
    stage: 'local',
    protocol: 'HTTP/1.1',
    domainName: 'localhost',
    apiId: 'local',
    accountId: '000000000000',
    identity: {
      sourceIp: '203.0.113.7',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
      apiKey: `li_demo-shop_${SECRET}`,
      apiKeyId: 'key-1',
      ...identity,
    },
    authorizer,
  };
}

export function event(overrides: Partial<TrackerEvent> = {}, i = 0): TrackerEvent {
  return {
    eventId: `evt_${String(i).padStart(16, '0')}`,
    sessionId: `sess_${String(i % 3).padStart(8, '0')}`,
    seq: i,
    type: 'pageview',
    ts: 1_763_000_000_000 + i,
    url: `https://shop.example.com/p/${i}`,
    ...overrides,
  } as TrackerEvent;
}

export function ingestBody(events: readonly TrackerEvent[], siteId = 'demo-shop'): IngestRequest {
  return { siteId, events: [...events] };
}

export function params(header: Record<string, string> = {}): RequestParameters {
  return { path: {}, querystring: {}, header };
}

export const STAGE = { eventsStream: 'liveinsight-test-events' } as const;

export interface Rendered {
  readonly body: string;
  readonly context: VtlContext;
}

const compiled = new Map<TemplateName, CompiledTemplate>();

export function render(
  name: TemplateName,
  input: { body: string; params?: RequestParameters },
  options: {
    identity?: Partial<ContextIdentity>;
    authorizer?: Readonly<Record<string, string>>;
    stageVariables?: Record<string, string>;
  } = {},
): Rendered {
  let template = compiled.get(name);
  if (template === undefined) {
    template = CompiledTemplate.compile(name, readTemplate(name));
    compiled.set(name, template);
  }
  const context = createVtlContext(contextFields(options.identity, options.authorizer));
  const body = template.render({
    context,
    input: new VtlInput(input.body, input.params ?? params()),
    stageVariables: options.stageVariables ?? STAGE,
  });
  return { body, context };
}
