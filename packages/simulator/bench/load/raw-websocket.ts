/**
 * The least a WebSocket client can be (RFC 6455), for the boot storm's load processes: a TCP socket,
 * an upgrade request written as one fixed string, and frames of ASCII text written with a zero mask
 * key. Against the bare echo, `ws`'s client (an http.ClientRequest per connection, its response
 * parser, a key and its SHA-1 check, a Sender and Receiver) took the two load processes ~1.2 of the
 * machine's 2 cores through the storm, more than the server it measured (load/storm-stations.ts).
 *
 * What it leaves out is what a server cannot tell: the key is fixed, the answer's
 * Sec-WebSocket-Accept is not checked, and the mask key is zero (RFC 6455 §5.3 asks for an
 * unpredictable one, to protect proxies; a server unmasks whatever key it gets). It offers the same
 * permessage-deflate as `ws`'s client with the bench's options, so the server holds the same state
 * per connection, and refuses a compressed frame (the storm's frames are far below the threshold).
 * Answers pings; no fragmented messages.
 */
import { connect, type Socket } from 'node:net';

export interface RawWebSocketOptions {
  /** ws://host:port/path */
  readonly url: string;
  readonly protocol: string;
  readonly localAddress?: string;
  readonly onOpen: () => void;
  readonly onText: (text: string) => void;
  /** Once, for a refused upgrade, a socket error, a protocol error or a close before the upgrade. */
  readonly onError: (message: string) => void;
}

const FIN_TEXT = 0x81;
const OP_TEXT = 1;
const OP_CLOSE = 8;
const OP_PING = 9;
const OP_PONG = 10;
const HEADER_END = '\r\n\r\n';

/** A masked client frame of latin1 text (mask key 0: the payload goes as it is), as a latin1 string. */
export function clientFrame(text: string, first = FIN_TEXT): string {
  const n = text.length;
  if (n > 0xffff) throw new RangeError('raw frames stop at 65,535 bytes');
  const head =
    n < 126 ? String.fromCharCode(first, 0x80 | n) : String.fromCharCode(first, 0x80 | 126, n >> 8, n & 0xff);
  return `${head}\0\0\0\0${text}`;
}

export class RawWebSocket {
  readonly #socket: Socket;
  readonly #options: RawWebSocketOptions;
  #open = false;
  #failed = false;
  #closed = false;
  /** Bytes read and not yet parsed (the upgrade response, or part of a frame). */
  #pending: Buffer | undefined;

  constructor(options: RawWebSocketOptions) {
    this.#options = options;
    const url = new URL(options.url);
    const request =
      `GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n' +
      `Sec-WebSocket-Protocol: ${options.protocol}\r\n` +
      'Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; client_no_context_takeover; client_max_window_bits\r\n\r\n';
    this.#socket = connect({
      host: url.hostname,
      port: Number(url.port),
      localAddress: options.localAddress,
      noDelay: true,
    });
    this.#socket.once('connect', () => this.#socket.write(request, 'latin1'));
    this.#socket.on('data', (chunk: Buffer) => this.#read(chunk));
    this.#socket.on('error', (error) => this.#fail(error.message));
    this.#socket.on('close', () => {
      this.#closed = true;
      if (!this.#open) this.#fail('closed before the upgrade');
    });
  }

  get isOpen(): boolean {
    return this.#open && !this.#closed;
  }

  get isClosed(): boolean {
    return this.#closed;
  }

  send(text: string): void {
    if (this.isOpen) this.#socket.write(clientFrame(text), 'latin1');
  }

  /** Sends several frames in one write, as a station's TCP stack would coalesce frames sent at once. */
  sendAll(texts: readonly string[]): void {
    if (this.isOpen) this.#socket.write(texts.map((text) => clientFrame(text)).join(''), 'latin1');
  }

  /** Sends a close frame (1000) and resolves when the socket is closed. */
  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.#socket.once('close', () => resolve());
      if (this.#open) this.#socket.end(clientFrame('\x03\xe8', 0x80 | OP_CLOSE), 'latin1');
      else this.#socket.destroy();
    });
  }

  #fail(message: string): void {
    if (this.#failed) return;
    this.#failed = true;
    this.#options.onError(message);
    this.#socket.destroy();
  }

  #read(chunk: Buffer): void {
    let data = this.#pending ? Buffer.concat([this.#pending, chunk]) : chunk;
    this.#pending = undefined;
    if (!this.#open) {
      const end = data.indexOf(HEADER_END, 0, 'latin1');
      if (end < 0) {
        this.#pending = data;
        return;
      }
      const status = data.toString('latin1', 0, data.indexOf('\r\n', 0, 'latin1'));
      if (!status.startsWith('HTTP/1.1 101')) return this.#fail(status);
      this.#open = true;
      this.#options.onOpen();
      data = data.subarray(end + HEADER_END.length);
    }
    let at = 0;
    while (data.length - at >= 2) {
      const b0 = data[at]!;
      let length = data[at + 1]! & 0x7f;
      let start = at + 2;
      if (length === 126) {
        if (data.length - at < 4) break;
        length = data.readUInt16BE(at + 2);
        start = at + 4;
      } else if (length === 127) {
        return this.#fail('a frame of more than 65,535 bytes');
      }
      if (data.length < start + length) break;
      if ((b0 & 0x70) !== 0) return this.#fail('a compressed frame (RSV1)');
      if ((b0 & 0x80) === 0) return this.#fail('a fragmented message');
      const opcode = b0 & 0x0f;
      if (opcode === OP_TEXT) this.#options.onText(data.toString('utf8', start, start + length));
      else if (opcode === OP_PING)
        this.#socket.write(
          clientFrame(data.toString('latin1', start, start + length), 0x80 | OP_PONG),
          'latin1',
        );
      else if (opcode === OP_CLOSE) {
        // RFC 6455 §5.5.1: answer with a close frame, echoing the status code.
        const code = data.toString('latin1', start, start + Math.min(length, 2));
        this.#socket.end(clientFrame(code, 0x80 | OP_CLOSE), 'latin1');
        return;
      }
      at = start + length;
    }
    if (at < data.length) this.#pending = data.subarray(at);
  }
}
