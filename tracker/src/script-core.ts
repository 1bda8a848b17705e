/**
 * The core build — page views, SPA, engagement, delivery; no custom events, clicks or path
 * filter —, held to its own size budget (≤ 1.5 KB gzip) and usable by sites that want views only.
 */
import { start } from './core';
import { scriptOptions } from './script-options';

start(scriptOptions());

// An ES module (esbuild would treat an export-less file of this commonjs package as CommonJS).
export {};
