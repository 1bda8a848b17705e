/**
 * Reads the lines appended to a file since the last read, like `tail -f`: a line is returned
 * only once it ends in a newline (the writer may be mid-append), bytes are split at newlines
 * before decoding (a multi-byte character may straddle two reads), and a file that shrank
 * (truncated or replaced) is read again from the start.
 */
import { open } from 'node:fs/promises';

const NEWLINE = 0x0a;
const CHUNK_BYTES = 1024 * 1024;

export class JsonLinesTail {
  private offset = 0;
  private pending: Buffer = Buffer.alloc(0);

  constructor(readonly path: string) {}

  /** Complete lines appended since the previous call; [] when the file does not exist yet. */
  async readNewLines(): Promise<string[]> {
    let handle;
    try {
      handle = await open(this.path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    try {
      const { size } = await handle.stat();
      if (size < this.offset) {
        this.offset = 0;
        this.pending = Buffer.alloc(0);
      }
      const lines: string[] = [];
      while (this.offset < size) {
        const chunk = Buffer.alloc(Math.min(CHUNK_BYTES, size - this.offset));
        const { bytesRead } = await handle.read(chunk, 0, chunk.length, this.offset);
        if (bytesRead === 0) break;
        this.offset += bytesRead;
        lines.push(...this.split(chunk.subarray(0, bytesRead)));
      }
      return lines;
    } finally {
      await handle.close();
    }
  }

  private split(chunk: Buffer): string[] {
    let buffer = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const lines: string[] = [];
    let newline = buffer.indexOf(NEWLINE);
    while (newline !== -1) {
      const line = buffer.subarray(0, newline).toString('utf8').trim();
      if (line.length > 0) lines.push(line);
      buffer = buffer.subarray(newline + 1);
      newline = buffer.indexOf(NEWLINE);
    }
    this.pending = Buffer.from(buffer);
    return lines;
  }
}
