import { readFile } from 'node:fs/promises';
import { ConfigError } from './ConfigError.ts';
import { formatOf, parseText } from './parseDocument.ts';

/** Returns the ConfigError that says why `file` could not be read. */
export function unreadableFile(file: string, error: unknown): ConfigError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === 'ENOENT'
      ? 'file not found'
      : code === 'EISDIR'
        ? 'is a directory, not a file'
        : code === 'EACCES'
          ? 'permission denied'
          : `cannot be read (${error instanceof Error ? error.message : String(error)})`;
  return new ConfigError(
    [{ path: '', value: file, allowed: 'a readable file', message: reason }],
    file,
  );
}

/** Returns the text of a configuration file; throws ConfigError when it is missing or unreadable. */
export async function readConfigText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw unreadableFile(file, error);
  }
}

/**
 * Returns the parsed document of a JSON or YAML file (YAML for .yaml/.yml), numbers as
 * NumberText; throws ConfigError for a missing file or a syntax error.
 */
export async function readConfigDocument(file: string): Promise<unknown> {
  return parseText(await readConfigText(file), formatOf(file), file);
}
