/**
 * The source text of a number literal found in a configuration file. Parsers produce it
 * instead of a JS number so that `0.1234567890123456789` reaches the schemas exactly as
 * written: a binary float would already have rounded it.
 */
export class NumberText {
  /**
   * Wraps the literal's text.
   * @param text the characters of the literal, e.g. "1.77E+3"
   */
  constructor(readonly text: string) {}

  /** Returns the literal's text, so that object keys and messages show what the file said. */
  toString(): string {
    return this.text;
  }
}

/**
 * Returns the text of a number-like configuration value: a {@link NumberText}'s literal, a
 * string as is, a finite JS number in its shortest round-trip form; undefined for anything else.
 */
export function numericText(value: unknown): string | undefined {
  if (value instanceof NumberText) return value.text;
  if (typeof value === 'string') return value;
  // Callers that build scenarios in code pass plain numbers; their shortest form is what they typed.
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}
