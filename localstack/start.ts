/**
 * `npm start`: brings the local product up, prints the endpoint and what runs, and stops
 * everything cleanly on Ctrl-C (SIGINT), SIGTERM or SIGHUP. A second Ctrl-C kills at once.
 * The work lives in startLocalProduct so other entry points can compose it.
 */
import { readLocalConfig } from './local-config';
import { type LocalProduct, startLocalProduct } from './local-product';
import { nodeSupportNotice, silenceSdkNodeWarning } from './node-support';
import { type ProductParts, startProductParts } from './product-parts';

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

export async function main(): Promise<void> {
  // Before the first SDK client: the SDK's nine-line Node warning would split the banner; the
  // banner's last line says it once instead.
  silenceSdkNodeWarning();
  const config = readLocalConfig();
  // Set once started; the signal handler may run before that.
  const current: { product?: LocalProduct } = {};
  let signalled: NodeJS.Signals | undefined;

  const stop = (signal: NodeJS.Signals, running: LocalProduct): void => {
    print(`${signal}: stopping…`);
    const began = Date.now();
    running.stop().then(
      () => {
        print(`stopped in ${Date.now() - began} ms`);
        process.exit(0);
      },
      (error: unknown) => {
        process.stderr.write(`stop failed: ${String(error)}\n`);
        running.killNow();
        process.exit(1);
      },
    );
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    if (signalled !== undefined) {
      print(`${signal} again: killing everything now`);
      current.product?.killNow();
      process.exit(1);
    }
    signalled = signal;
    // Still starting: stop as soon as it is up (the guards clean up if we exit before).
    if (current.product !== undefined) stop(signal, current.product);
  };
  SIGNALS.forEach((signal) => process.on(signal, onSignal));

  print(
    `LiveInsight local stack (${config.mode}${config.mode === 'emulators' ? `, Kinesis: ${config.kinesisEngine}` : ''})`,
  );
  const product = await startLocalProduct({ config, log: (line) => print(`  · ${line}`) });
  current.product = product;
  // An emulator that cannot come back (product-guard.ts says which and why): stop, exit 1.
  void product.lost.then((reason) => {
    if (signalled !== undefined) return;
    signalled = 'SIGTERM'; // a Ctrl-C from here on kills at once
    process.stderr.write(`npm start stops: ${reason}\n`);
    product.stop().then(
      () => process.exit(1),
      () => {
        product.killNow();
        process.exit(1);
      },
    );
  });
  let parts: ProductParts;
  try {
    parts = await startProductParts(product, config, print);
  } catch (error) {
    await product.stop();
    throw error;
  }
  print(`ready in ${product.startupMs} ms`);
  for (const line of product.describe()) print(`  ${line}`);
  for (const line of parts.banner) print(line);
  const nodeNotice = nodeSupportNotice();
  if (nodeNotice !== undefined) print(nodeNotice);
  print('Ctrl-C stops everything.');
  if (signalled !== undefined) stop(signalled, product);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    // One clear line first; the cause chain after it for whoever needs it.
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`npm start failed: ${message}\n`);
    if (error instanceof Error && error.cause !== undefined) {
      process.stderr.write(`cause: ${String(error.cause)}\n`);
    }
    process.exit(1);
  });
}
