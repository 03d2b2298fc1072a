import type { Socket } from 'node:net';
import { MAX_LINE_CHARS } from './coordinationProtocol';

/**
 * Calls `onLine` for each newline-ended line arriving on `socket`; a line longer than
 * {@link MAX_LINE_CHARS} calls `onTooLong` once and nothing more is read.
 *
 * Why by hand: `node:readline` buffers a line of any length, and a peer that never sends a newline
 * would grow the coordinator's memory without bound.
 */
export function readLines(socket: Socket, onLine: (line: string) => void, onTooLong: () => void): void {
  socket.setEncoding('utf8');
  let pending = '';
  let isOver = false;
  socket.on('data', (chunk: string) => {
    if (isOver) return;
    pending += chunk;
    let end = pending.indexOf('\n');
    while (end >= 0) {
      const line = pending.slice(0, end);
      pending = pending.slice(end + 1);
      if (line.length > MAX_LINE_CHARS) break;
      if (line.trim() !== '') onLine(line);
      end = pending.indexOf('\n');
    }
    if (pending.length > MAX_LINE_CHARS || end >= 0) {
      isOver = true;
      pending = '';
      onTooLong();
    }
  });
}

/** Writes `value` as one JSON line, unless the socket is closed already. */
export function writeLine(socket: Socket, value: unknown): void {
  if (!socket.destroyed && socket.writable) socket.write(`${JSON.stringify(value)}\n`);
}
