/**
 * The configuration layer: zod schemas for scenarios, policies and positions, exact JSON/YAML
 * loading, and {@link ConfigError}, whose message names the key, the value and what is allowed.
 */
export { ConfigError, formatIssues, type ConfigIssue } from './ConfigError.ts';
export { NumberText } from './numberText.ts';
export { closestKey, levenshtein } from './didYouMean.ts';
export { normalizeDecimal, parseDecimal } from './decimals.ts';
export {
  formatOf,
  parseJsonText,
  parseText,
  parseYamlText,
  type DocumentFormat,
} from './parseDocument.ts';
export { marketSchema } from './marketSchema.ts';
export { positionSchema } from './positionSchema.ts';
export {
  activationSchema,
  breakevenSchema,
  elasticSchema,
  initialStopSchema,
  momentumSchema,
  policySchema,
  trailingSchema,
} from './policySchema.ts';
export {
  candlesSchema,
  expandCandle,
  expandCandles,
  ticksSchema,
  type Candle,
  type CandlePath,
} from './ticksSchema.ts';
export { scenarioSchema } from './scenarioSchema.ts';
export { checkPolicyForPosition } from './checkPolicyForPosition.ts';
export { loadScenarioFile, parseScenario, parseScenarioText } from './loadScenarioFile.ts';
export { loadPolicyFile, parsePolicy } from './loadPolicyFile.ts';
export { loadPositionFile, parsePosition, type PositionFile } from './loadPositionFile.ts';
export { loadTicksCsv, parseTicksCsv } from './loadTicksCsv.ts';
export { assembleScenario, loadReplayInputs, type ScenarioParts } from './assembleScenario.ts';
export { type EngineConfig } from './engineConfigSchema.ts';
export {
  loadEngineConfig,
  parseEngineConfig,
  type EngineConfigSource,
} from './loadEngineConfig.ts';
export { type Environment } from './expandEnv.ts';
export { type ExchangeId, type VenueConfig } from './venueSchema.ts';
export { type ProtectionConfig, type StopWorkingType } from './protectionSchema.ts';
export { type BackoffConfig, type FastWhenProfitConfig, type LanesConfig } from './lanesSchema.ts';
export { type InspectorConfig } from './inspectorSchema.ts';
