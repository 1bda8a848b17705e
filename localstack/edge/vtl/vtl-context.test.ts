import { CompiledTemplate } from './render-template';
import { clfTime, createVtlContext } from './vtl-context';
import { VtlInput } from './vtl-input';
import { contextFields } from '../test-support/template-fixtures';

function renderWith(template: string) {
  const context = createVtlContext(contextFields());
  const body = CompiledTemplate.compile('test', template).render({
    context,
    input: new VtlInput('{}'),
    stageVariables: {},
  });
  return { body, override: context.responseOverride() };
}

describe('$context', () => {
  it('exposes the identity and request fields', () => {
    const { body } = renderWith(
      '$context.requestId $context.identity.sourceIp $context.identity.apiKey $context.requestTimeEpoch',
    );

    expect(body).toBe(
      `6f1c2b9e-4a57-4c1e-9d3a-2f0e8c7b5a41 203.0.113.7 li_demo-shop_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6 1763000000123`,
    );
  });

  it('collects response overrides', () => {
    const { override } = renderWith(
      '#set($context.responseOverride.status = 207)#set($context.responseOverride.header.Retry-After = "1")',
    );

    expect(override).toEqual({ status: 207, headers: { 'Retry-After': '1' } });
  });

  it('fails a second override of the same parameter (AWS: overrides are final)', () => {
    expect(() =>
      renderWith(
        '#set($context.responseOverride.status = 207)#set($context.responseOverride.status = 200)',
      ),
    ).toThrow(/already set/);
    expect(() =>
      renderWith(
        "#set($context.responseOverride.header.X = 'a')#set($context.responseOverride.header.X = 'b')",
      ),
    ).toThrow(/already set/);
  });

  it('ignores a status override outside 100–599', () => {
    expect(
      renderWith('#set($context.responseOverride.status = 700)').override.status,
    ).toBeUndefined();
  });

  it('formats requestTime in Common Log Format', () => {
    expect(clfTime(Date.UTC(2026, 10, 21, 3, 4, 5))).toBe('21/Nov/2026:03:04:05 +0000');
  });
});
