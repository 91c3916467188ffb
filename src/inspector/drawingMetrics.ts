/**
 * Text metrics shared by the server-side layout and the page's renderer. The drawing uses a
 * monospace font so that label widths computed on the server (where no font can be measured)
 * match what the browser draws: no label overflows its box or overlaps an arrow.
 */
export const DRAWING_FONT = "'DejaVu Sans Mono', 'Menlo', 'Consolas', ui-monospace, monospace";

/** Advance width of one character per font size, as a fraction of the size (DejaVu Sans Mono: 0.602). */
const ADVANCE = 0.62;

export const TITLE_SIZE = 13;
export const ROW_SIZE = 11;
export const LABEL_SIZE = 11;

export const TITLE_HEIGHT = 24;
export const ROW_HEIGHT = 16;
export const LABEL_LINE_HEIGHT = 14;
export const PAD = 10;

/** Returns the drawn width of `text` at `size` px in the drawing font. */
export function textWidth(text: string, size: number): number {
  return Math.ceil(text.length * size * ADVANCE);
}
