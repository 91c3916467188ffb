import { createReadStream } from 'node:fs';
import type { Tick } from '../domain/types.ts';

/** Thrown when a scenario document is not in the plain shape the scanner reads. */
export class NotPlain extends Error {
  constructor(why: string) {
    super(`not a plain scenario: ${why}`);
  }
}

// Text around the ticks array (market, position, policy) is small; a document whose header
// grows past this is left to the token walker.
const MAX_HEADER = 1 << 20;
// An element longer than this (huge whitespace, long literals) is left to the token walker.
const MAX_ELEMENT = 256;
const CHUNK = 1 << 16;

// One `[ts, price]` element and what follows it: ts a plain integer literal of at most 15
// digits (exact as a JS number, no sign of zero kept), price a string of plain characters (no
// escapes) or a JSON number literal kept as written; then `,` or the array's `]`.
const ELEMENT =
  /[ \t\n\r]*\[[ \t\n\r]*(-?(?:0|[1-9]\d{0,14}))[ \t\n\r]*,[ \t\n\r]*(?:"([0-9A-Za-z.+-]*)"|(-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?))[ \t\n\r]*\][ \t\n\r]*([,\]])/y;
const EMPTY = /[ \t\n\r]*\]/y;
const SPACE = /^[ \t\n\r]*$/;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/**
 * Splits a scenario document, fed in chunks, into its top-level `ticks` array — read here, one
 * element at a time, into ticks exactly as the token walker makes them — and the rest (the
 * header), returned with the array emptied for the walker to assemble and validate. Throws
 * NotPlain as soon as the document leaves the shape it reads (candles, an element of another
 * form, escapes in a key, no ticks): the caller then reads the file with the walker.
 */
export class PlainTicksScanner {
  private state: 'head' | 'ticks' | 'tail' = 'head';
  private head = '';
  private tail = '';
  private carry = '';
  // No element read yet: the array may still be empty.
  private first = true;
  // The head's structure: nesting depth, string state, the last key-like string at depth 1.
  private depth = 0;
  private inString = false;
  private escaped = false;
  private stringStart = -1;
  private lastString: string | undefined;
  private colon = false;

  /** Returns the ticks whose elements end in `chunk` (the document's next characters). */
  feed(chunk: string): Tick[] {
    const ticks: Tick[] = [];
    let text = chunk;
    if (this.state === 'head') {
      const at = this.scanHead(text);
      if (at < 0) {
        this.head += text;
        if (this.head.length > MAX_HEADER) throw new NotPlain('no ticks array near the start');
        return ticks;
      }
      this.head += text.slice(0, at + 1);
      text = text.slice(at + 1);
      this.state = 'ticks';
    }
    if (this.state === 'ticks') {
      const buffer = this.carry === '' ? text : this.carry + text;
      let at = 0;
      if (this.first) {
        EMPTY.lastIndex = 0;
        if (EMPTY.exec(buffer) !== null) {
          this.state = 'tail';
          this.tail = buffer.slice(EMPTY.lastIndex);
          this.carry = '';
          return ticks;
        }
      }
      for (;;) {
        ELEMENT.lastIndex = at;
        const m = ELEMENT.exec(buffer);
        if (m === null) break;
        at = ELEMENT.lastIndex;
        this.first = false;
        ticks.push({ ts: Number(m[1]) + 0, price: (m[2] ?? m[3]) as string });
        if (m[4] === ']') {
          this.state = 'tail';
          this.tail = buffer.slice(at);
          this.carry = '';
          return ticks;
        }
      }
      this.carry = buffer.slice(at);
      if (this.carry.length > MAX_ELEMENT) throw new NotPlain('a tick of another form');
      return ticks;
    }
    this.tail += text;
    if (this.tail.length > MAX_HEADER) throw new NotPlain('a long document after the ticks');
    return ticks;
  }

  /** Returns the document with its ticks array emptied; throws NotPlain when it was not whole. */
  end(): string {
    if (this.state === 'head') throw new NotPlain('no top-level ticks array');
    if (this.state === 'ticks') {
      if (SPACE.test(this.carry)) throw new NotPlain('the ticks array is not closed');
      throw new NotPlain('a tick of another form');
    }
    return `${this.head}]${this.tail}`;
  }

  /**
   * Returns the index in `text` of the `[` that opens the top-level `ticks` array, or -1 when
   * `text` ends before it; throws NotPlain for a document that is not an object or has candles.
   */
  private scanHead(text: string): number {
    const offset = this.head.length;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) {
          this.inString = false;
          if (this.depth === 1) {
            const start = this.stringStart - offset;
            this.lastString =
              start >= 0
                ? text.slice(start, i)
                : this.head.slice(this.stringStart) + text.slice(0, i);
            this.colon = false;
          }
        }
        continue;
      }
      if (this.depth === 0) {
        if (c === OPEN_OBJECT) this.depth = 1;
        else if (!isSpace(c)) throw new NotPlain('not an object');
        continue;
      }
      switch (c) {
        case QUOTE:
          this.inString = true;
          this.stringStart = offset + i + 1;
          break;
        case COLON:
          if (this.depth === 1) this.colon = true;
          break;
        case COMMA:
          if (this.depth === 1) this.lastString = undefined;
          break;
        case OPEN_OBJECT:
          this.depth++;
          break;
        case OPEN_ARRAY:
          if (this.depth === 1 && this.colon && this.lastString === 'ticks') return i;
          if (this.depth === 1 && this.colon && this.lastString === 'candles')
            throw new NotPlain('candles');
          this.depth++;
          break;
        case CLOSE_OBJECT:
        case CLOSE_ARRAY:
          this.depth--;
          if (this.depth <= 0) throw new NotPlain('no top-level ticks array');
          break;
      }
    }
    return -1;
  }
}

/**
 * Yields the ticks of a plain scenario file in batches (one per chunk read) and returns its
 * header text (the document with the ticks array emptied). Throws NotPlain when the file is not
 * plain, and the read error of a file that cannot be read.
 */
export async function* plainTickBatches(file: string): AsyncGenerator<Tick[], string, undefined> {
  const scanner = new PlainTicksScanner();
  const source = createReadStream(file, { encoding: 'utf8', highWaterMark: CHUNK });
  try {
    for await (const chunk of source as AsyncIterable<string>) {
      const ticks = scanner.feed(chunk);
      if (ticks.length > 0) yield ticks;
    }
  } finally {
    source.destroy();
  }
  return scanner.end();
}
