/**
 * A server's small text frame in one socket write.
 *
 * ws's Sender writes a frame as a header it allocates plus the payload, corked, which Node's streams
 * turn into a writev(2) of two chunks. For the ~100-byte answers that make most of a CSMS's traffic,
 * the user-space part of that send was 14 % of the server's CPU (perf; BENCHMARKS.md, sixth round),
 * and the CSMS answered ~15 % fewer Heartbeats than with this. Here the frame header (RFC 6455
 * §5.2: FIN and opcode 1 "text", no mask as a server's frames have none (§5.1), a 7- or 16-bit
 * length) and an ASCII payload become one latin1 string, which Node copies to the stack and writes
 * with one write(2).
 *
 * Only where ws would send exactly these bytes now:
 * - its Sender is idle, so that nothing waits in its queue behind a frame being compressed, and the
 *   frame cannot overtake one;
 * - the frame is below DEFLATE_OPTIONS.threshold, which our server always offers without context
 *   takeover, so ws would not compress it either (or permessage-deflate is off);
 * - the payload is ASCII, so its latin1 bytes are its UTF-8 bytes (OCPP's JSON nearly always is).
 * Anything else goes through `ws.send()`.
 */
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { DEFLATE_OPTIONS } from './deflate.js';

/** ws/lib/sender.js: the Sender's state when it is neither compressing nor reading a Blob. */
const SENDER_IDLE = 0;

/** The largest payload written directly: below the compression threshold, so never compressed. */
export const DIRECT_WRITE_MAX_BYTES = DEFLATE_OPTIONS.threshold - 1;

/** What of ws's own state this reads: its Sender's (not part of ws's API, hence the checks). */
interface WsInternals {
  readonly _sender?: { readonly _state?: unknown } | null;
}

/** Headers of text frames with a 7-bit length, by length (0 to 125). */
const SHORT_HEADERS = Array.from({ length: 126 }, (_, n) => `\x81${String.fromCharCode(n)}`);

/**
 * Writes `text` as one text frame straight to `socket`, the socket under `ws` (open), and says so;
 * false when `ws.send()` must send it instead.
 */
export function writeTextFrame(ws: WebSocket, socket: Socket, text: string): boolean {
  const length = text.length;
  if (length > DIRECT_WRITE_MAX_BYTES) return false;
  if ((ws as unknown as WsInternals)._sender?._state !== SENDER_IDLE) return false;
  // UTF-8 takes more bytes than characters exactly when a character is not ASCII.
  if (Buffer.byteLength(text) !== length) return false;
  const header =
    length < 126 ? SHORT_HEADERS[length] : `\x81\x7e${String.fromCharCode(length >> 8, length & 0xff)}`;
  socket.write(header + text, 'latin1');
  return true;
}
