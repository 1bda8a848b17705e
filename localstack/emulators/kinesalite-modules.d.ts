// Minimal types for the parts of kinesalite (npm, no bundled types) that kinesalite-main.ts uses.
declare module 'kinesalite' {
  import type { Server } from 'node:http';
  interface KinesaliteOptions {
    createStreamMs?: number | undefined;
    deleteStreamMs?: number | undefined;
    updateStreamMs?: number | undefined;
    shardLimit?: number | undefined;
    /** LevelDB folder (leveldown); memdown when absent. */
    path?: string | undefined;
  }
  function kinesalite(options: KinesaliteOptions): Server;
  export = kinesalite;
}
