import { Value } from '@sinclair/typebox/value';
import fc from 'fast-check';
import { TrafficSourceSchema } from '../schemas';
import { attribute } from './channel-group';
import { parsePageUrl } from './page-url';
import { referrerHost, sourceFromReferrer } from './traffic-source';
import { classifyUserAgent } from './user-agent';

const CLICK_AND_UTM = fc.constantFrom(
  '',
  '?gclid=x',
  '?MSCLKID=1&utm_campaign=shop',
  '?utm_source=Google&utm_medium=CPC',
  '?utm_medium=e-mail',
  '?utm_source=&utm_medium=%20',
  '?__proto__=1&constructor=2',
);

describe('the classifiers never throw and always give a valid shape', () => {
  it('on arbitrary referrers and landing pages', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.webUrl(), fc.constant('android-app://com.google.android.gm/')),
        fc.oneof(fc.webUrl({ withQueryParameters: true }), fc.webUrl()),
        CLICK_AND_UTM,
        (referrer, url, query) => {
          const page = parsePageUrl(`${url}${query}`);
          if (page === undefined) return;
          const source = attribute(
            sourceFromReferrer(referrerHost(referrer), page.siteHost),
            page.utm,
            page.clickId,
          );
          expect(Value.Check(TrafficSourceSchema, source)).toBe(true);
          expect(source.channel).toBeDefined();
        },
      ),
    );
  });

  it('on arbitrary user agents', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (userAgent) => {
        const info = classifyUserAgent(userAgent);
        expect(info.isBot).toBe(info.botReason !== undefined);
      }),
    );
  });
});
