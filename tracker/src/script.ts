/** li.js, the default build: `<script defer src=".../li.js" data-site data-key data-api>`. */
import { start } from './core';
import { extras } from './extras';
import { scriptOptions } from './script-options';

start(scriptOptions(), extras);

// An ES module (esbuild would treat an export-less file of this commonjs package as CommonJS).
export {};
