/**
 * permessage-deflate (RFC 7692) as our server and client offer it: without context takeover. ws only
 * honours `threshold` (small frames such as Heartbeats go uncompressed) when no context is kept, and
 * a kept zlib context costs every idle connection tens of kilobytes. Measured in BENCHMARKS.md:
 * compressing every Heartbeat took 44 % of the server's CPU.
 */
export const DEFLATE_OPTIONS = {
  threshold: 1024,
  serverNoContextTakeover: true,
  clientNoContextTakeover: true,
} as const;
