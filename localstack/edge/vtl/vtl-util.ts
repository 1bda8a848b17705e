/**
 * `$util` of API Gateway mapping templates. Semantics follow the AWS documentation, with the
 * quirks LocalStack reproduces from AWS (its implementation is checked against AWS snapshots):
 * escapeJavaScript of an empty or blank string yields `{}`, of null `null`.
 */
import { TemplateRenderError } from './errors';

function hex4(code: number): string {
  return code.toString(16).toUpperCase().padStart(4, '0');
}

/**
 * Apache Commons Lang's StringEscapeUtils.escapeJavaScript: `'` `"` `\` `/` and control
 * characters escaped, everything outside ASCII as \uXXXX (per UTF-16 unit). Note `\'`, which
 * JSON does not allow: templates undo it with `.replaceAll("\\'", "'")` (AWS's advice).
 */
export function escapeJavaScript(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  const text = typeof value === 'string' ? value : String(value);
  if (text.trim() === '') return '{}';
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7f) {
      out += `\\u${hex4(code)}`;
    } else if (code < 0x20) {
      switch (code) {
        case 0x08:
          out += '\\b';
          break;
        case 0x09:
          out += '\\t';
          break;
        case 0x0a:
          out += '\\n';
          break;
        case 0x0c:
          out += '\\f';
          break;
        case 0x0d:
          out += '\\r';
          break;
        default:
          out += `\\u${hex4(code)}`;
      }
    } else {
      const ch = text[i] as string;
      out += ch === "'" || ch === '"' || ch === '\\' || ch === '/' ? `\\${ch}` : ch;
    }
  }
  return out;
}

/** java.net.URLEncoder (UTF-8): letters, digits and `.-*_` stay, space becomes `+`. */
function urlEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()~]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

function requireString(method: string, value: unknown): string {
  if (typeof value !== 'string') {
    throw new TemplateRenderError(
      `$util.${method} expects a string, received ${value === null || value === undefined ? 'null' : typeof value}` +
        (method === 'base64Encode'
          ? ' (encode JSON with $input.json(...), not the parsed object)'
          : ''),
    );
  }
  return value;
}

export class VtlUtil {
  escapeJavaScript(value: unknown): string {
    return escapeJavaScript(value);
  }

  parseJson(value: unknown): unknown {
    const text = requireString('parseJson', value);
    try {
      return JSON.parse(text) as unknown;
    } catch (cause) {
      throw new TemplateRenderError(
        `$util.parseJson received text that is not JSON (${text.length} characters)`,
        {
          cause,
        },
      );
    }
  }

  /** Base64 of the string's UTF-8 bytes. */
  base64Encode(value: unknown): string {
    return Buffer.from(requireString('base64Encode', value), 'utf8').toString('base64');
  }

  base64Decode(value: unknown): string {
    return Buffer.from(requireString('base64Decode', value), 'base64').toString('utf8');
  }

  urlEncode(value: unknown): string {
    return urlEncode(requireString('urlEncode', value));
  }

  urlDecode(value: unknown): string {
    const text = requireString('urlDecode', value);
    try {
      return decodeURIComponent(text.replace(/\+/g, ' '));
    } catch (cause) {
      throw new TemplateRenderError(
        `$util.urlDecode received malformed escapes in ${JSON.stringify(text)}`,
        {
          cause,
        },
      );
    }
  }
}
