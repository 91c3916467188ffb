import { dirname, resolve } from 'node:path';
import { ConfigError } from './ConfigError.ts';
import { engineConfigSchema, type EngineConfig } from './engineConfigSchema.ts';
import { expandEnv, type Environment } from './expandEnv.ts';
import { readConfigDocument } from './readConfigFile.ts';
import { toConfigIssues } from './strictObject.ts';

/** Where an engine configuration document comes from. */
export interface EngineConfigSource {
  /** What `${NAME}` references read. */
  readonly env: Environment;
  /** The directory a relative `dataDir` is resolved against: the config file's. */
  readonly baseDir: string;
  /** The file name messages are prefixed with. */
  readonly file?: string | undefined;
}

/**
 * Returns the validated EngineConfig of a parsed document (numbers as NumberText, as the
 * parsers give them): `${NAME}` references are expanded from `source.env` first; throws
 * ConfigError naming every key that is wrong, its value and what is allowed.
 */
export function parseEngineConfig(document: unknown, source: EngineConfigSource): EngineConfig {
  const expanded = expandEnv(document, source.env, source.file);
  const result = engineConfigSchema(source.baseDir).safeParse(expanded);
  if (result.success) return result.data;
  // Values are shown as the file wrote them: an expanded secret would otherwise reach the terminal.
  throw new ConfigError(toConfigIssues(result.error, document), source.file);
}

/**
 * Returns the validated configuration of `ratchet run` from a YAML (.yaml/.yml) or JSON file,
 * `${NAME}` read from `env`, a relative `dataDir` resolved against the file's directory; throws
 * ConfigError for a missing or malformed file, an unset variable or any invalid key.
 */
export async function loadEngineConfig(
  path: string,
  env: Environment = process.env,
): Promise<EngineConfig> {
  const document = await readConfigDocument(path);
  return parseEngineConfig(document, { env, baseDir: dirname(resolve(path)), file: path });
}
