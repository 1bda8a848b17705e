/**
 * User agent → device (ua-parser-js 1.x) and bot flag (isbot plus automation markers). Both
 * libraries cost tens of microseconds per call, so the enricher memoises this per user agent.
 */
import { isbot } from 'isbot';
import UAParser from 'ua-parser-js';
import type { BotReason, Device, DeviceType } from '../schemas';

export interface UserAgentInfo {
  readonly device: Device;
  readonly isBot: boolean;
  /** Why the user agent is a bot's (see BOT_REASONS); undefined for a browser. */
  readonly botReason: BotReason | undefined;
}

/**
 * Headless browsers and automation that isbot's list (crawlers, HTTP clients, HeadlessChrome,
 * PhantomJS, Selenium, Cypress) lets through: Lighthouse audits, Puppeteer/Playwright set-ups
 * that name themselves, WebDriver, and older headless engines.
 */
const AUTOMATION =
  /headless|lighthouse|puppeteer|playwright|webdriver|slimerjs|nightmare|htmlunit/i;

/** Operating systems whose devices ua-parser leaves untyped although they are phones. */
const MOBILE_OS = new Set(['Android', 'iOS']);

export function classifyUserAgent(userAgent: string): UserAgentInfo {
  const result = new UAParser(userAgent).getResult();
  const device: Device = {
    type: deviceType(result),
    browser: result.browser.name ?? 'unknown',
    os: result.os.name ?? 'unknown',
  };
  if (result.browser.major !== undefined) device.browserVersion = result.browser.major;
  if (result.os.version !== undefined) device.osVersion = result.os.version;
  const botReason = botReasonOf(userAgent);
  return Object.freeze({
    device: Object.freeze(device),
    isBot: botReason !== undefined,
    botReason,
  });
}

/**
 * Real browsers always send a user agent, so an empty one is a script. isbot flags crawlers and
 * tools that say so; AUTOMATION adds the headless set-ups it does not.
 */
export function isBotUserAgent(userAgent: string): boolean {
  return botReasonOf(userAgent) !== undefined;
}

/** Why a user agent is a bot's, or undefined for a browser. */
export function botReasonOf(userAgent: string): BotReason | undefined {
  if (userAgent.trim() === '') return 'empty-user-agent';
  if (isbot(userAgent)) return 'bot-user-agent';
  if (AUTOMATION.test(userAgent)) return 'automation-user-agent';
  return undefined;
}

function deviceType(result: UAParser.IResult): DeviceType {
  const type = result.device.type;
  if (type === 'mobile') return 'mobile';
  if (type === 'tablet') return 'tablet';
  // Consoles, TVs, wearables, embedded and XR devices.
  if (type !== undefined) return 'other';
  if (result.os.name !== undefined && MOBILE_OS.has(result.os.name)) return 'mobile';
  // ua-parser types phones and tablets but leaves desktops untyped.
  if (result.browser.name !== undefined || result.os.name !== undefined) return 'desktop';
  return 'other';
}
