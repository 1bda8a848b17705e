import { PipelineArgumentError } from './errors';
import { parseTrackerManifest, scriptTag, scriptTagWithQueue } from './script-tag';

const input = {
  scriptUrl: 'https://d1.cloudfront.net/tracker/0123456789ab/li.js',
  siteId: 'shop',
  ingestKey: 'li_shop_abcdefghijklmnopqrstuvwxyz012345',
  apiUrl: 'https://api.example.com/prod/',
};

describe('scriptTag', () => {
  it('formats the tag a site owner pastes, with SRI and crossorigin when given an integrity', () => {
    expect(scriptTag({ ...input, integrity: 'sha384-abc+/=' })).toBe(
      '<script defer src="https://d1.cloudfront.net/tracker/0123456789ab/li.js" integrity="sha384-abc+/=" ' +
        'crossorigin="anonymous" data-site="shop" data-key="li_shop_abcdefghijklmnopqrstuvwxyz012345" ' +
        'data-api="https://api.example.com/prod"></script>',
    );
  });

  it('leaves integrity out without one, adds boolean options, and escapes attribute values', () => {
    expect(scriptTag({ ...input, siteId: 'a"b<c&', flags: ['local', 'hash'] })).toBe(
      '<script defer src="https://d1.cloudfront.net/tracker/0123456789ab/li.js" data-site="a&quot;b&lt;c&amp;" ' +
        'data-key="li_shop_abcdefghijklmnopqrstuvwxyz012345" data-api="https://api.example.com/prod" data-local data-hash></script>',
    );
  });

  it('puts the queue snippet before the tag', () => {
    expect(scriptTagWithQueue(input).split('\n')[0]).toMatch(/^<script>window\.li=window\.li\|\|/);
  });
});

describe('parseTrackerManifest', () => {
  it('reads a build manifest', () => {
    const manifest = { file: 'li.js', version: '0123456789ab', integrity: 'sha384-AbC/+=' };
    expect(parseTrackerManifest(JSON.stringify(manifest), 'manifest.json')).toEqual(manifest);
  });

  it('names the file and what was expected when the manifest is wrong', () => {
    expect(() => parseTrackerManifest('{"file":"li.js"}', 'tracker/dist/manifest.json')).toThrow(
      PipelineArgumentError,
    );
    expect(() => parseTrackerManifest('not json', 'tracker/dist/manifest.json')).toThrow(
      /tracker\/dist\/manifest.json is "not json" \(expected the JSON of a tracker build manifest\)/,
    );
  });
});
