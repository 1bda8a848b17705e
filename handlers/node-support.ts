/**
 * The AWS SDK for JavaScript v3 prints a nine-line warning on Node < 22 the first time a client
 * is made — in the middle of `npm start`'s banner. `npm start` turns the SDK's own warning off
 * (with the SDK's switch, so the SDK's code is untouched) and says the same thing once, in one
 * line, at the end of the banner: Node 22 is coming, and nobody should miss it.
 */

/** The SDK's switch for its warning (@aws-sdk/core, `emitWarningIfUnsupportedVersion`). */
export const SDK_NODE_WARNING_SWITCH = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';

/** The Node major version SDK releases after the first week of January 2027 require. */
export const SDK_NEXT_NODE_MAJOR = 22;

/**
 * Turns the SDK's warning off for this process and the processes it starts (they inherit the
 * environment), unless the user set the switch themselves. Call before the first SDK client.
 */
export function silenceSdkNodeWarning(env: NodeJS.ProcessEnv = process.env): void {
  env[SDK_NODE_WARNING_SWITCH] ??= 'true';
}

/** One line for the banner on a Node older than the SDK's next requirement; none on 22+. */
export function nodeSupportNotice(version: string = process.version): string | undefined {
  const major = Number(/^v?(\d+)\./.exec(version)?.[1]);
  if (!Number.isInteger(major) || major >= SDK_NEXT_NODE_MAJOR) return undefined;
  return (
    `Node ${version}: AWS SDK releases after the first week of January 2027 need Node ` +
    `>= ${SDK_NEXT_NODE_MAJOR}; the lockfile pins SDK versions that run on ${major} — upgrade Node before updating them.`
  );
}
