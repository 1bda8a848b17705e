import { normalisePath, parsePageUrl } from './page-url';

describe('page URL', () => {
  it.each([
    ['https://shop.example.com/products/1?color=red#reviews', '/products/1'],
    ['https://shop.example.com//products///1/', '/products/1'],
    ['https://shop.example.com/', '/'],
    ['https://shop.example.com', '/'],
    ['https://shop.example.com/a/./b/../c', '/a/c'],
    ['https://shop.example.com/Caf%C3%A9/', '/Caf%C3%A9'],
    ['https://shop.example.com/café', '/caf%C3%A9'],
  ])('%s → path %s', (url, path) => {
    // Act
    const page = parsePageUrl(url);

    // Assess
    expect(page?.path).toBe(path);
  });

  it('lower-cases the host, drops the port, and knows the site host without www', () => {
    const page = parsePageUrl('https://WWW.Shop.Example.COM:8443/x');

    expect(page).toMatchObject({ host: 'www.shop.example.com', siteHost: 'shop.example.com' });
  });

  it('reads the five UTM parameters, trimmed, source and medium lower-cased', () => {
    const page = parsePageUrl(
      'https://a.example/?utm_source=%20Newsletter%20&utm_medium=EMAIL&utm_campaign=Spring%20Sale' +
        '&utm_term=shoes&utm_content=hero&utm_unknown=x',
    );

    expect(page?.utm).toEqual({
      source: 'newsletter',
      medium: 'email',
      campaign: 'Spring Sale',
      term: 'shoes',
      content: 'hero',
    });
  });

  it('ignores empty UTM parameters and caps long ones at 100 characters', () => {
    const page = parsePageUrl(`https://a.example/?utm_source=&utm_campaign=${'c'.repeat(300)}`);

    expect(page?.utm).toEqual({ campaign: 'c'.repeat(100) });
  });

  it.each(['https://exa mple.com/', 'http://', 'https://[::1/x'])(
    'refuses %s (undefined, never a throw)',
    (url) => {
      expect(parsePageUrl(url)).toBeUndefined();
    },
  );

  it('keeps the root path and collapses a path of slashes to it', () => {
    expect(normalisePath('/')).toBe('/');
    expect(normalisePath('///')).toBe('/');
  });
});
