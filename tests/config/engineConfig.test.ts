import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  loadEngineConfig,
  parseEngineConfig,
  parseJsonText,
  type EngineConfig,
} from '../../src/config/index.ts';
import { configErrorOf, configErrorOfAsync, withChange } from './helpers.ts';

const ENV = { RATCHET_API_KEY: 'key-123', RATCHET_API_SECRET: 'secret-456' };

/** A valid config using every key, so that each row can break one. */
function baseConfig(): Record<string, unknown> {
  return {
    venue: {
      exchange: 'binanceusdm',
      url: 'http://127.0.0.1:8787',
      sandbox: false,
      apiKey: '${RATCHET_API_KEY}',
      secret: '${RATCHET_API_SECRET}',
    },
    policy: { initialStop: { percent: 2 }, trailing: { percent: 1 } },
    policies: { ETHUSDT: { initialStop: { percent: 3 }, trailing: { percent: 1.5 } } },
    symbols: ['BTCUSDT', 'ETHUSDT'],
    protection: {
      minIntervalSeconds: 60,
      minImprovementPercent: 0.1,
      emergencyPercent: 1,
      workingType: 'MARK_PRICE',
    },
    lanes: {
      fastMs: 300,
      normalMs: 3000,
      fastWhenProfit: { quote: '0.10' },
      downgradeAfterCycles: 3,
    },
    dataDir: 'snapshots',
    inspector: { port: 7357, host: '127.0.0.1', token: 'a-long-token' },
    clientIdPrefix: 'rt1',
  };
}

/** Parses through JSON text, so numbers take the exact path a file takes. */
const parse = (doc: unknown, env: Record<string, string> = ENV): EngineConfig =>
  parseEngineConfig(parseJsonText(JSON.stringify(doc)), {
    env,
    baseDir: '/etc/ratchet',
    file: 'engine.json',
  });

const changed = (changes: Record<string, unknown>): Record<string, unknown> =>
  Object.entries(changes).reduce<Record<string, unknown>>(
    (doc, [path, value]) => withChange(doc, path, value),
    baseConfig(),
  );

const dir = mkdtempSync(join(tmpdir(), 'ratchet-engine-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeConfig(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

const EXPECTED_FULL: EngineConfig = {
  venue: {
    exchange: 'binanceusdm',
    url: 'http://127.0.0.1:8787',
    sandbox: false,
    apiKey: 'key-123',
    secret: 'secret-456',
  },
  policy: { initialStop: { percent: '2' }, trailing: { percent: '1' } },
  policies: { ETHUSDT: { initialStop: { percent: '3' }, trailing: { percent: '1.5' } } },
  symbols: ['BTCUSDT', 'ETHUSDT'],
  protection: {
    minIntervalSeconds: 60,
    minImprovementPercent: '0.1',
    emergencyPercent: '1',
    workingType: 'MARK_PRICE',
  },
  lanes: {
    fastMs: 300,
    normalMs: 3000,
    fastWhenProfit: { quote: '0.10' },
    downgradeAfterCycles: 3,
    maxPriceAgeMs: 5000,
    backoff: { initialMs: 500, maxMs: 30000, factor: 2 },
    priceSource: 'trades',
    pollIntervalMs: 1000,
    clockPeriodMs: 1000,
  },
  dataDir: join(dir, 'snapshots'),
  inspector: { port: 7357, host: '127.0.0.1', token: 'a-long-token' },
  clientIdPrefix: 'rt1',
};

describe('a valid engine config', () => {
  it('loads from YAML, the issue example as written', async () => {
    const file = writeConfig(
      'engine.yaml',
      `venue:
  exchange: binanceusdm
  url: http://127.0.0.1:8787
  sandbox: false
  apiKey: \${RATCHET_API_KEY}
  secret: \${RATCHET_API_SECRET}
policy:
  initialStop: { percent: 2 }
  trailing: { percent: 1 }
policies:
  ETHUSDT: { initialStop: { percent: 3 }, trailing: { percent: 1.5 } }
symbols: [BTCUSDT, ETHUSDT]
protection:
  minIntervalSeconds: 60
  minImprovementPercent: 0.1
  emergencyPercent: 1
  workingType: MARK_PRICE
lanes: { fastMs: 300, normalMs: 3000, fastWhenProfit: { quote: "0.10" }, downgradeAfterCycles: 3 }
dataDir: snapshots
inspector: { port: 7357, host: 127.0.0.1, token: a-long-token }
clientIdPrefix: rt1
`,
    );
    expect(await loadEngineConfig(file, ENV)).toEqual(EXPECTED_FULL);
  });

  it('loads from JSON, the same config', async () => {
    const file = writeConfig('engine.json', JSON.stringify(baseConfig()));
    expect(await loadEngineConfig(file, ENV)).toEqual(EXPECTED_FULL);
  });

  it('keeps percents exactly as written, as decimal strings', () => {
    const config = parse(
      changed({
        'protection.minImprovementPercent': '0.1234567890123456789',
        'protection.emergencyPercent': '1.77E+1',
      }),
    );
    expect(config.protection.minImprovementPercent).toBe('0.1234567890123456789');
    expect(config.protection.emergencyPercent).toBe('17.7');
  });

  it('keeps JSON number literals exact (no binary float on the way)', async () => {
    const file = writeConfig(
      'exact.json',
      JSON.stringify(baseConfig()).replace(
        '"minImprovementPercent":0.1',
        '"minImprovementPercent":0.1234567890123456789',
      ),
    );
    const config = await loadEngineConfig(file, ENV);
    expect(config.protection.minImprovementPercent).toBe('0.1234567890123456789');
  });

  it('fills every default when only venue and policy are given', () => {
    const doc = baseConfig();
    const minimal = { venue: { ...(doc.venue as object) }, policy: doc.policy };
    delete (minimal.venue as Record<string, unknown>).url;
    delete (minimal.venue as Record<string, unknown>).sandbox;
    expect(parse(minimal)).toEqual({
      venue: {
        exchange: 'binanceusdm',
        url: undefined,
        sandbox: false,
        apiKey: 'key-123',
        secret: 'secret-456',
      },
      policy: { initialStop: { percent: '2' }, trailing: { percent: '1' } },
      policies: {},
      symbols: undefined,
      protection: {
        minIntervalSeconds: 60,
        minImprovementPercent: '0.1',
        emergencyPercent: '1',
        workingType: 'MARK_PRICE',
      },
      lanes: {
        fastMs: 300,
        normalMs: 3000,
        fastWhenProfit: { percent: '0' },
        downgradeAfterCycles: 3,
        maxPriceAgeMs: 5000,
        backoff: { initialMs: 500, maxMs: 30000, factor: 2 },
        priceSource: 'trades',
        pollIntervalMs: 1000,
        clockPeriodMs: 1000,
      },
      dataDir: '/etc/ratchet/snapshots',
      inspector: undefined,
      clientIdPrefix: 'rtch',
    } satisfies EngineConfig);
  });

  it.each([
    // [what, changes, the part of the result it must produce]
    [
      'a partial protection block keeps the other defaults',
      { protection: { minIntervalSeconds: 0.25 } },
      {
        protection: {
          minIntervalSeconds: 0.25,
          minImprovementPercent: '0.1',
          emergencyPercent: '1',
          workingType: 'MARK_PRICE',
        },
      },
    ],
    [
      'an empty inspector block serves on the default port and host',
      { inspector: {} },
      { inspector: { port: 7357, host: '127.0.0.1', token: undefined } },
    ],
    [
      'a non-loopback inspector host with a token',
      { inspector: { host: '0.0.0.0', token: '12345678' } },
      { inspector: { port: 7357, host: '0.0.0.0', token: '12345678' } },
    ],
    [
      'an absolute dataDir is kept',
      { dataDir: '/var/lib/ratchet' },
      { dataDir: '/var/lib/ratchet' },
    ],
    [
      'a relative dataDir is resolved against the config directory',
      { dataDir: '../data/live' },
      { dataDir: '/etc/data/live' },
    ],
    [
      'sandbox without url',
      { 'venue.url': undefined, 'venue.sandbox': true },
      {
        venue: {
          exchange: 'binanceusdm',
          url: undefined,
          sandbox: true,
          apiKey: 'key-123',
          secret: 'secret-456',
        },
      },
    ],
    [
      'a fastWhenProfit in percent',
      { 'lanes.fastWhenProfit': { percent: 0.5 } },
      { lanes: expect.objectContaining({ fastWhenProfit: { percent: '0.5' } }) as unknown },
    ],
    [
      'an https url',
      { 'venue.url': 'https://fapi.example.com' },
      { venue: expect.objectContaining({ url: 'https://fapi.example.com' }) as unknown },
    ],
    [
      'equal emergency and minimum improvement',
      { 'protection.emergencyPercent': '0.1' },
      { protection: expect.objectContaining({ emergencyPercent: '0.1' }) as unknown },
    ],
    ['a numeric clientIdPrefix', { clientIdPrefix: 42 }, { clientIdPrefix: '42' }],
    [
      'symbols with a delivery contract id',
      { symbols: ['BTCUSDT', 'ETHUSDT', 'BTCUSDT_250328'] },
      { symbols: ['BTCUSDT', 'ETHUSDT', 'BTCUSDT_250328'] },
    ],
  ] as const)('accepts %s', (_what, changes, expected) => {
    expect(parse(changed(changes))).toMatchObject(expected);
  });
});

// Each row breaks one rule and gives the exact paragraph the CLI prints (exit 2).
const refused: readonly (readonly [
  what: string,
  changes: Record<string, unknown>,
  message: string,
])[] = [
  [
    'an unknown top-level key',
    { protecton: { minIntervalSeconds: 5 } },
    'engine.json: protecton: unknown key (did you mean "protection"?); the keys allowed in the document are venue, policy, policies, symbols, protection, lanes, dataDir, inspector, clientIdPrefix, metrics, alerts, logs, risk',
  ],
  [
    'an unknown venue key',
    { 'venue.secert': 'x' },
    'engine.json: venue.secert: unknown key (did you mean "secret"?); the keys allowed in venue are exchange, url, sandbox, apiKey, secret',
  ],
  [
    'an unknown lanes key',
    { 'lanes.fastMS': 100 },
    'engine.json: lanes.fastMS: unknown key (did you mean "fastMs"?); the keys allowed in lanes are fastMs, normalMs, fastWhenProfit, downgradeAfterCycles, maxPriceAgeMs, backoff, priceSource, pollIntervalMs, clockPeriodMs',
  ],
  ['no venue', { venue: undefined }, 'engine.json: venue: missing; required: an object ({ … })'],
  ['no policy', { policy: undefined }, 'engine.json: policy: missing; required: an object ({ … })'],
  // venue
  [
    'an exchange not supported',
    { 'venue.exchange': 'kraken' },
    'engine.json: venue.exchange: "kraken" is not a supported exchange; allowed: one of binanceusdm, bybit (the ccxt id: Binance USDⓈ-M futures or Bybit\'s linear contracts)',
  ],
  [
    'a url that is not http',
    { 'venue.url': 'ftp://127.0.0.1:8787' },
    'engine.json: venue.url: "ftp://127.0.0.1:8787" is not an http:// or https:// URL, e.g. http://127.0.0.1:8787',
  ],
  [
    'a url without a scheme',
    { 'venue.url': '127.0.0.1:8787' },
    'engine.json: venue.url: "127.0.0.1:8787" is not an http:// or https:// URL, e.g. http://127.0.0.1:8787',
  ],
  [
    'both url and sandbox',
    { 'venue.sandbox': true },
    'engine.json: venue.sandbox: true points at the testnet while url points at http://127.0.0.1:8787; allowed: url or sandbox: true, not both',
  ],
  [
    'a missing api key',
    { 'venue.apiKey': undefined },
    'engine.json: venue.apiKey: missing; required: a non-empty string, e.g. ${RATCHET_API_KEY} to read it from the environment',
  ],
  // policy: the SPEC's policy schema, plus what any long position requires
  [
    'a trailing percent of 0',
    { 'policy.trailing.percent': 0 },
    'engine.json: policy.trailing.percent: 0 is not > 0',
  ],
  [
    'an unknown policy key',
    { 'policy.trailing.percnt': 1 },
    'engine.json: policy.trailing.percnt: unknown key (did you mean "percent"?); the keys allowed in policy.trailing are percent, price, ticks, tiers, momentum',
  ],
  [
    'an initial stop a long could not use',
    { 'policy.initialStop.percent': 100 },
    "engine.json: policy.initialStop.percent: 100 is not in (0, 100) (a long's stop would be at or below zero)",
  ],
  [
    'a bad per-symbol policy',
    { 'policies.ETHUSDT.trailing.percent': '-1' },
    'engine.json: policies.ETHUSDT.trailing.percent: "-1" is not > 0',
  ],
  [
    'a per-symbol policy for a symbol outside symbols',
    { 'policies.ETHUSDC': { initialStop: { percent: 3 } } },
    'engine.json: policies.ETHUSDC: "ETHUSDC" is not in symbols (BTCUSDT, ETHUSDT), so this policy would never be used (did you mean "ETHUSDT"?); allowed: a symbol listed in symbols (add it there, or remove this policy)',
  ],
  [
    'a per-symbol policy keyed by a ccxt unified symbol',
    { policies: { 'ETH/USDT:USDT': { initialStop: { percent: 3 } } }, symbols: undefined },
    'engine.json: policies.ETH/USDT:USDT: "ETH/USDT:USDT" is not an exchange symbol id (did you mean "ETHUSDT"?); allowed: the exchange\'s own market id in capitals, e.g. BTCUSDT',
  ],
  // symbols
  [
    'a lower-case symbol',
    { symbols: ['BTCUSDT', 'ethusdt'] },
    'engine.json: symbols[1]: "ethusdt" is not an exchange symbol id (did you mean "ETHUSDT"?); allowed: the exchange\'s own market id in capitals, e.g. BTCUSDT',
  ],
  [
    'a symbol listed twice',
    { symbols: ['BTCUSDT', 'ETHUSDT', 'BTCUSDT'] },
    'engine.json: symbols[2]: "BTCUSDT" is listed twice (also at symbols[0]); allowed: each symbol once',
  ],
  [
    'an empty symbols list',
    { symbols: [], policies: undefined },
    'engine.json: symbols: [] lists no symbol, so no position would be protected; list at least one, or leave symbols out to protect every position on the account',
  ],
  // protection
  [
    'a bad workingType',
    { 'protection.workingType': 'LAST_PRICE' },
    'engine.json: protection.workingType: "LAST_PRICE" is not one of MARK_PRICE, CONTRACT_PRICE',
  ],
  [
    'a negative minimum improvement',
    { 'protection.minImprovementPercent': '-0.1' },
    'engine.json: protection.minImprovementPercent: "-0.1" is not >= 0',
  ],
  [
    'an emergency below the minimum improvement',
    { 'protection.minImprovementPercent': 2, 'protection.emergencyPercent': 1.5 },
    'engine.json: protection.emergencyPercent: 1.5 is below minImprovementPercent (2), so an emergency move would be smaller than an ordinary one; allowed: >= 2',
  ],
  [
    'a minimum improvement above the default emergency',
    { protection: { minImprovementPercent: 2 } },
    'engine.json: protection.emergencyPercent: 1 (the default) is below minImprovementPercent (2), so an emergency move would be smaller than an ordinary one; allowed: >= 2',
  ],
  [
    'an interval finer than a millisecond',
    { 'protection.minIntervalSeconds': 0.0005 },
    'engine.json: protection.minIntervalSeconds: 0.0005 is finer than a millisecond; allowed: seconds with at most 3 decimals',
  ],
  [
    'a percent written as a word',
    { 'protection.emergencyPercent': 'one' },
    'engine.json: protection.emergencyPercent: "one" is not a decimal number, e.g. 0.5 or "0.5"',
  ],
  // lanes
  [
    'a fast lane slower than the normal one',
    { 'lanes.fastMs': 5000 },
    'engine.json: lanes.fastMs: 5000 is above normalMs (3000), which would make the fast lane the slower one; allowed: <= normalMs',
  ],
  [
    'a window that is not whole milliseconds',
    { 'lanes.normalMs': 1.5 },
    'engine.json: lanes.normalMs: 1.5 is not an integer in [0, 2147483647]',
  ],
  [
    'a fastWhenProfit with both units',
    { 'lanes.fastWhenProfit': { quote: 1, percent: 1 } },
    'engine.json: lanes.fastWhenProfit: { quote, percent } has both of quote, percent; allowed: exactly one, e.g. { quote: "0.10" } or { percent: 0.5 }',
  ],
  // dataDir, inspector, clientIdPrefix
  [
    'a dataDir under ~',
    { dataDir: '~/ratchet' },
    'engine.json: dataDir: "~/ratchet" starts with "~", which is not expanded; allowed: a directory path, relative to the config file\'s directory (/etc/ratchet) or absolute, e.g. ${HOME}/ratchet',
  ],
  [
    'an inspector open to the network without a token',
    { inspector: { host: '0.0.0.0' } },
    'engine.json: inspector.host: "0.0.0.0" would let other machines read your positions without a token; allowed: a loopback host (127.0.0.1, localhost, ::1), or set inspector.token as well',
  ],
  [
    'a short inspector token',
    { 'inspector.token': 'abc' },
    'engine.json: inspector.token: "abc" is 3 characters long; allowed: a string of at least 8 characters, e.g. ${RATCHET_INSPECTOR_TOKEN}',
  ],
  [
    'an inspector port out of range',
    { 'inspector.port': 70000 },
    'engine.json: inspector.port: 70000 is not an integer in [0, 65535]',
  ],
  [
    'a clientIdPrefix with a dash',
    { clientIdPrefix: 'rt-1' },
    'engine.json: clientIdPrefix: "rt-1" is not 1 to 8 letters or digits ([A-Za-z0-9]{1,8}), e.g. rt1',
  ],
  [
    'a clientIdPrefix that is too long',
    { clientIdPrefix: 'ratchet01' },
    'engine.json: clientIdPrefix: "ratchet01" is not 1 to 8 letters or digits ([A-Za-z0-9]{1,8}), e.g. rt1',
  ],
];

describe('an invalid engine config', () => {
  it.each(refused)('refuses %s', (_what, changes, message) => {
    const error = configErrorOf(() => parse(changed(changes)));
    expect(error.message).toBe(message);
    expect(error.issues).toHaveLength(1);
  });

  it('lists every problem, one line each', () => {
    const error = configErrorOf(() =>
      parse(
        changed({
          'protection.workingType': 'LAST',
          'venue.url': 'ws://x',
          'policy.trailing.percent': 0,
        }),
      ),
    );
    expect(error.message).toBe(
      [
        'engine.json: 3 configuration errors:',
        '  venue.url: "ws://x" is not an http:// or https:// URL, e.g. http://127.0.0.1:8787',
        '  policy.trailing.percent: 0 is not > 0',
        '  protection.workingType: "LAST" is not one of MARK_PRICE, CONTRACT_PRICE',
      ].join('\n'),
    );
  });

  it('names the file of a YAML syntax error', async () => {
    const file = writeConfig('broken.yaml', 'venue: [\n');
    const error = await configErrorOfAsync(() => loadEngineConfig(file, ENV));
    expect(error.message).toMatch(/^.*broken\.yaml: line \d+, column \d+: YAML syntax error/);
  });

  it('names a missing file', async () => {
    const file = join(dir, 'absent.yaml');
    const error = await configErrorOfAsync(() => loadEngineConfig(file, ENV));
    expect(error.message).toBe(`${file}: file not found`);
  });
});

describe('${NAME} references', () => {
  it('refuses an unset variable, naming it and the key it appears in', () => {
    const error = configErrorOf(() => parse(baseConfig(), { RATCHET_API_SECRET: 's' }));
    expect(error.message).toBe(
      'engine.json: venue.apiKey: "${RATCHET_API_KEY}" names the environment variable RATCHET_API_KEY, which is not set; set RATCHET_API_KEY, or write the value itself (a literal "${" is written "$${")',
    );
  });

  it('reports every unset variable at once', () => {
    const error = configErrorOf(() => parse(baseConfig(), {}));
    expect(error.issues.map((i) => i.path)).toEqual(['venue.apiKey', 'venue.secret']);
  });

  it.each([
    ['${RATCHET API KEY}'],
    ['${}'],
    ['${1KEY}'],
    ['${RATCHET_API_KEY'],
    ['${RATCHET_API_KEY:-default}'],
  ])('refuses the malformed reference %s', (written) => {
    const error = configErrorOf(() => parse(changed({ 'venue.apiKey': written })));
    expect(error.message).toBe(
      `engine.json: venue.apiKey: ${JSON.stringify(written)} has a "\${" that does not start a reference \${NAME} (NAME: letters, digits and _, not starting with a digit, then "}"); a literal "\${" is written "$\${"`,
    );
  });

  it.each([
    // [written, environment, the value it becomes]
    ['$${RATCHET_API_KEY}', {}, '${RATCHET_API_KEY}'],
    ['pre-${A}-${B}-post', { A: 'x', B: 'y' }, 'pre-x-y-post'],
    ['$$ and $ alone stay', {}, '$$ and $ alone stay'],
    ['${A}', { A: '$${B}' }, '$${B}'],
  ])('expands %s', (written, env, value) => {
    const config = parse(changed({ 'venue.apiKey': written }), { ...ENV, ...env });
    expect(config.venue.apiKey).toBe(value);
  });

  it('expands inside numbers written as strings and validates the result', () => {
    const config = parse(changed({ 'protection.minIntervalSeconds': '${INTERVAL}' }), {
      ...ENV,
      INTERVAL: '5',
    });
    expect(config.protection.minIntervalSeconds).toBe(5);
  });

  it('shows the reference, never the secret, when an expanded value is refused', () => {
    const error = configErrorOf(() =>
      parse(changed({ 'inspector.token': '${TOKEN}' }), { ...ENV, TOKEN: 'hunter2' }),
    );
    expect(error.message).toBe(
      'engine.json: inspector.token: "${TOKEN}" is 7 characters long; allowed: a string of at least 8 characters, e.g. ${RATCHET_INSPECTOR_TOKEN}',
    );
    expect(error.message).not.toContain('hunter2');
  });

  it('refuses a variable that is set but empty where a value is required', () => {
    const error = configErrorOf(() => parse(baseConfig(), { ...ENV, RATCHET_API_KEY: '' }));
    expect(error.message).toBe(
      'engine.json: venue.apiKey: "${RATCHET_API_KEY}" is not a non-empty string, e.g. ${RATCHET_API_KEY} to read it from the environment (an empty environment variable counts as empty)',
    );
  });

  it('leaves keys alone', () => {
    const error = configErrorOf(() => parse(changed({ '${RATCHET_API_KEY}': 1 })));
    expect(error.issues[0]?.path).toBe('${RATCHET_API_KEY}');
  });
});
