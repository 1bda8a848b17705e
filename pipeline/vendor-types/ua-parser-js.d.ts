/**
 * The part of ua-parser-js 1.x (MIT; 2.x is AGPL — never upgrade) that the pipeline uses. The
 * 1.x package ships no type declarations; these follow its README's `getResult()` shape.
 */
declare module 'ua-parser-js' {
  namespace UAParser {
    interface IBrowser {
      name?: string;
      version?: string;
      major?: string;
    }
    interface IOS {
      name?: string;
      version?: string;
    }
    interface IDevice {
      vendor?: string;
      model?: string;
      /** console, mobile, tablet, smarttv, wearable, embedded, xr; undefined for desktops. */
      type?: string;
    }
    interface IResult {
      ua: string;
      browser: IBrowser;
      os: IOS;
      device: IDevice;
    }
  }
  class UAParser {
    constructor(userAgent?: string);
    getResult(): UAParser.IResult;
  }
  export = UAParser;
}
