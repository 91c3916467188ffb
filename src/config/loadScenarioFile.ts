import type { Scenario } from '../domain/types.ts';
import { formatOf, parseText, type DocumentFormat } from './parseDocument.ts';
import { readConfigDocument } from './readConfigFile.ts';
import { scenarioSchema } from './scenarioSchema.ts';
import { validate } from './validate.ts';

/**
 * Returns the validated Scenario of a parsed document (numbers as NumberText, JS numbers or
 * decimal strings); throws ConfigError listing every problem, naming `file` if given.
 */
export function parseScenario(document: unknown, file?: string): Scenario {
  return validate(scenarioSchema, document, file);
}

/**
 * Returns the validated Scenario written in `text` (JSON unless `format` says yaml, or `file`
 * ends in .yaml/.yml); throws ConfigError for syntax errors and invalid values.
 */
export function parseScenarioText(
  text: string,
  options: { format?: DocumentFormat; file?: string } = {},
): Scenario {
  const format = options.format ?? (options.file !== undefined ? formatOf(options.file) : 'json');
  return parseScenario(parseText(text, format, options.file), options.file);
}

/**
 * Returns the validated Scenario of a JSON or YAML scenario file (YAML for .yaml/.yml); throws
 * ConfigError if the file is missing, malformed or invalid.
 */
export async function loadScenarioFile(file: string): Promise<Scenario> {
  return parseScenario(await readConfigDocument(file), file);
}
