import { maxHeaderSize, type Server } from 'node:http';
import type { Duplex } from 'node:stream';

/** After answering a request the parser refused, what the client still sends is read and dropped this long. */
const DRAIN_MS = 5_000;

function answer(status: number, reason: string, message: string): string {
  const body = JSON.stringify({ error: message, code: 'invalid' });
  return `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

/**
 * A request Node's parser refuses (headers past --max-http-header-size, broken syntax) gets a 4xx
 * with one line of reason like every other refusal, never a bare reset. The rest of what the client
 * sends is read and dropped for a moment before the connection closes: closing a socket with unread
 * data resets it, and the client would see only the reset instead of the 431.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable || error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const reply =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? answer(431, 'Request Header Fields Too Large', `request headers are larger than ${maxHeaderSize} bytes`)
        : answer(400, 'Bad Request', 'malformed HTTP request');
    socket.on('error', () => socket.destroy());
    socket.end(reply);
    socket.resume();
    setTimeout(() => socket.destroy(), DRAIN_MS).unref();
  });
}
