// kinesalite ships no type declarations: only the part of its API that test/support/aws-emulators.ts uses.
declare module 'kinesalite' {
  import type { Server } from 'node:http';

  interface KinesaliteOptions {
    /** LevelDB directory (needs the native leveldown); omitted: memdown, in memory. */
    path?: string;
    ssl?: boolean;
    /** How long a new stream stays CREATING (default 500). */
    createStreamMs?: number;
    /** How long a deleted stream stays DELETING (default 500). */
    deleteStreamMs?: number;
    /** How long a stream stays UPDATING after a shard or retention change (default 500). */
    updateStreamMs?: number;
    /** Shards across all streams before CreateStream fails with LimitExceededException (default 10). */
    shardLimit?: number;
  }

  /** A plain node:http Server whose close() also closes the store. */
  function kinesalite(options?: KinesaliteOptions): Server;
  export default kinesalite;
}
