import { describe, expect, it } from 'vitest';
import { parseEngineConfig, parseJsonText, parseYamlText } from '../../src/config/index.ts';
import type { EngineConfig } from '../../src/config/engineConfigSchema.ts';
import { configErrorOf } from './helpers.ts';

const ENV = {
  RATCHET_API_KEY: 'key-123',
  RATCHET_API_SECRET: 'secret-456',
  RATCHET_TELEGRAM_TOKEN: '123456:AAE-telegram-secret_part',
  RATCHET_METRICS_TOKEN: 'metrics-token-1',
};

/** A valid config with the operations blocks left out, for each row to add one. */
const base = () => ({
  venue: {
    exchange: 'binanceusdm',
    url: 'http://127.0.0.1:8787',
    apiKey: '${RATCHET_API_KEY}',
    secret: '${RATCHET_API_SECRET}',
  },
  policy: { initialStop: { percent: 2 }, trailing: { percent: 1 } },
});

const parse = (blocks: Record<string, unknown>): EngineConfig =>
  parseEngineConfig(parseJsonText(JSON.stringify({ ...base(), ...blocks })), {
    env: ENV,
    baseDir: '/etc/ratchet',
    file: 'engine.json',
  });

describe('the operations blocks of the engine config', () => {
  it('are all optional and absent by default', () => {
    const config = parse({});
    expect([config.metrics, config.alerts, config.logs, config.risk]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('read from YAML as the operations runbook writes them', () => {
    const doc = parseYamlText(
      `
metrics: { port: 9464, host: 127.0.0.1 }
alerts:
  webhook: { url: https://hooks.example.com/ratchet }
  telegram:
    botToken: \${RATCHET_TELEGRAM_TOKEN}
    chatId: -1001234567890
  minIntervalSeconds: 600
logs: { dir: /var/log/ratchet, level: debug, maxSizeMB: 20, maxAgeDays: 7, pretty: false }
risk: { maxDrawdownPercent: 5, window: 24h, action: flatten }
`,
      'engine.yaml',
    ) as Record<string, unknown>;
    // YAML numbers arrive as exact number texts: parsed as they are, not through JSON.
    const config = parseEngineConfig(
      { ...base(), ...doc },
      { env: ENV, baseDir: '/etc/ratchet', file: 'engine.yaml' },
    );
    expect(config.metrics).toEqual({ port: 9464, host: '127.0.0.1', token: undefined });
    expect(config.alerts).toEqual({
      webhook: { url: 'https://hooks.example.com/ratchet' },
      telegram: {
        botToken: '123456:AAE-telegram-secret_part',
        chatId: '-1001234567890',
        apiBaseUrl: 'https://api.telegram.org',
      },
      minIntervalSeconds: 600,
      thresholds: {
        unprotectedSeconds: 30,
        feedFallbackSeconds: 60,
        decisionSeconds: 1,
        missedExitSeconds: 10,
      },
    });
    expect(config.logs).toEqual({
      dir: '/var/log/ratchet',
      level: 'debug',
      maxSizeMB: 20,
      maxAgeDays: 7,
      pretty: false,
    });
    expect(config.risk).toEqual({
      maxDrawdownPercent: '5',
      windowMs: 86_400_000,
      action: 'flatten',
    });
  });

  it.each([
    // [what, blocks, the part of the result it must produce]
    [
      'an empty metrics block serves on the defaults',
      { metrics: {} },
      { metrics: { port: 9464, host: '127.0.0.1', token: undefined } },
    ],
    [
      'a non-loopback metrics host with a token',
      { metrics: { host: '0.0.0.0', port: 0, token: '${RATCHET_METRICS_TOKEN}' } },
      { metrics: { host: '0.0.0.0', port: 0, token: 'metrics-token-1' } },
    ],
    [
      'a webhook alone, with the default interval and thresholds',
      { alerts: { webhook: { url: 'http://127.0.0.1:9000/hook' } } },
      {
        alerts: expect.objectContaining({
          webhook: { url: 'http://127.0.0.1:9000/hook' },
          telegram: undefined,
          minIntervalSeconds: 300,
        }) as unknown,
      },
    ],
    [
      'a Telegram receiver of our own and a channel name',
      {
        alerts: {
          telegram: {
            botToken: '${RATCHET_TELEGRAM_TOKEN}',
            chatId: '@ratchet_alerts',
            apiBaseUrl: 'http://127.0.0.1:8081',
          },
        },
      },
      {
        alerts: expect.objectContaining({
          telegram: {
            botToken: '123456:AAE-telegram-secret_part',
            chatId: '@ratchet_alerts',
            apiBaseUrl: 'http://127.0.0.1:8081',
          },
        }) as unknown,
      },
    ],
    [
      'some thresholds, the others defaulted',
      {
        alerts: {
          webhook: { url: 'http://h/x' },
          thresholds: { unprotectedSeconds: 5, decisionSeconds: 0.5 },
        },
      },
      {
        alerts: expect.objectContaining({
          thresholds: {
            unprotectedSeconds: 5,
            feedFallbackSeconds: 60,
            decisionSeconds: 0.5,
            missedExitSeconds: 10,
          },
        }) as unknown,
      },
    ],
    [
      'an empty logs block is every default',
      { logs: {} },
      { logs: { dir: undefined, level: 'info', maxSizeMB: 50, maxAgeDays: 14, pretty: undefined } },
    ],
    [
      'a relative logs dir is resolved against the config directory',
      { logs: { dir: '../log/ratchet', maxSizeMB: 0.5 } },
      { logs: expect.objectContaining({ dir: '/etc/log/ratchet', maxSizeMB: 0.5 }) as unknown },
    ],
    [
      'a risk block with only the limit pauses over 24 h',
      { risk: { maxDrawdownPercent: '2.5' } },
      { risk: { maxDrawdownPercent: '2.5', windowMs: 86_400_000, action: 'pause' } },
    ],
    [
      'a risk window in minutes and in days',
      { risk: { maxDrawdownPercent: 10, window: '90m' } },
      { risk: expect.objectContaining({ windowMs: 5_400_000 }) as unknown },
    ],
  ] as const)('accepts %s', (_what, blocks, expected) => {
    expect(parse(blocks)).toMatchObject(expected);
  });
});

// Each row breaks one rule and gives the exact paragraph the CLI prints (exit 2).
const refused: readonly (readonly [
  what: string,
  blocks: Record<string, unknown>,
  message: string,
])[] = [
  // metrics
  [
    'a non-loopback metrics host without a token',
    { metrics: { host: '0.0.0.0' } },
    'engine.json: metrics.host: "0.0.0.0" would let other machines read the engine\'s metrics without a token; allowed: a loopback host (127.0.0.1, localhost, ::1), or set metrics.token as well (Prometheus sends it with authorization: { credentials: … })',
  ],
  [
    'a short metrics token',
    { metrics: { token: 'short' } },
    'engine.json: metrics.token: "short" is 5 characters long; allowed: a string of at least 8 characters, e.g. ${RATCHET_METRICS_TOKEN}',
  ],
  [
    'a metrics port out of range',
    { metrics: { port: 70000 } },
    'engine.json: metrics.port: 70000 is not an integer in [0, 65535]',
  ],
  [
    'an unknown metrics key',
    { metrics: { prot: 9464 } },
    'engine.json: metrics.prot: unknown key (did you mean "port"?); the keys allowed in metrics are port, host, token',
  ],
  // alerts
  [
    'an alerts block without a channel',
    { alerts: { minIntervalSeconds: 60 } },
    'engine.json: alerts: { } names no channel, so no alert would reach anyone; allowed: webhook: { url } and/or telegram: { botToken, chatId } (or remove alerts)',
  ],
  [
    'a webhook url that is not http',
    { alerts: { webhook: { url: 'hooks.example.com/x' } } },
    'engine.json: alerts.webhook.url: "hooks.example.com/x" is not an http:// or https:// URL, e.g. https://hooks.example.com/ratchet',
  ],
  [
    'a Telegram bot token of the wrong shape, not echoed',
    { alerts: { telegram: { botToken: 'AAE-only-the-secret-part', chatId: 1 } } },
    'engine.json: alerts.telegram.botToken: (hidden) is not a Telegram bot token as BotFather gives it (digits, a colon, then letters, digits, _ or -), e.g. ${RATCHET_TELEGRAM_TOKEN}',
  ],
  [
    'a Telegram chat without an id',
    { alerts: { telegram: { botToken: '${RATCHET_TELEGRAM_TOKEN}' } } },
    'engine.json: alerts.telegram.chatId: missing; required: a numeric chat id (e.g. -1001234567890) or a channel name (e.g. "@ratchet_alerts")',
  ],
  [
    'a Telegram chat id that is neither',
    { alerts: { telegram: { botToken: '${RATCHET_TELEGRAM_TOKEN}', chatId: 'ratchet' } } },
    'engine.json: alerts.telegram.chatId: "ratchet" is not a numeric chat id (e.g. -1001234567890) or a channel name (e.g. "@ratchet_alerts")',
  ],
  [
    'an interval of zero, which would let a storm through',
    { alerts: { webhook: { url: 'http://h/x' }, minIntervalSeconds: 0 } },
    'engine.json: alerts.minIntervalSeconds: 0 is not in [1, 86400]',
  ],
  [
    'a misspelt channel',
    { alerts: { telegramm: {} } },
    'engine.json: alerts.telegramm: unknown key (did you mean "telegram"?); the keys allowed in alerts are webhook, telegram, minIntervalSeconds, thresholds',
  ],
  [
    'a threshold of zero seconds',
    { alerts: { webhook: { url: 'http://h/x' }, thresholds: { unprotectedSeconds: 0 } } },
    'engine.json: alerts.thresholds.unprotectedSeconds: 0 is not in [1, 86400]',
  ],
  // logs
  [
    'a log level pino does not know',
    { logs: { level: 'verbose' } },
    'engine.json: logs.level: "verbose" is not one of trace, debug, info, warn, error, fatal, silent',
  ],
  [
    'a logs dir under ~',
    { logs: { dir: '~/logs' } },
    'engine.json: logs.dir: "~/logs" starts with "~", which is not expanded; allowed: a directory path, relative to the config file\'s directory (/etc/ratchet) or absolute, e.g. ${HOME}/ratchet/logs',
  ],
  [
    'a file size of zero',
    { logs: { maxSizeMB: 0 } },
    'engine.json: logs.maxSizeMB: 0 is not in (0, 10240]',
  ],
  [
    'an age in fractions of a day',
    { logs: { maxAgeDays: 1.5 } },
    'engine.json: logs.maxAgeDays: 1.5 is not an integer in [1, 3650]',
  ],
  [
    'pretty as a word',
    { logs: { pretty: 'yes' } },
    'engine.json: logs.pretty: "yes" is not true or false',
  ],
  // risk
  [
    'a risk block without its limit',
    { risk: { action: 'pause' } },
    'engine.json: risk.maxDrawdownPercent: missing; required: in (0, 100]',
  ],
  [
    'a drawdown limit above 100 %',
    { risk: { maxDrawdownPercent: 150 } },
    'engine.json: risk.maxDrawdownPercent: 150 is not in (0, 100]',
  ],
  [
    'a window without a unit',
    { risk: { maxDrawdownPercent: 5, window: 24 } },
    'engine.json: risk.window: 24 is not a duration from 1m to 30d: a whole number followed by m, h or d, e.g. 24h',
  ],
  [
    'a window longer than 30 days',
    { risk: { maxDrawdownPercent: 5, window: '31d' } },
    'engine.json: risk.window: "31d" is not a duration from 1m to 30d: a whole number followed by m, h or d, e.g. 24h',
  ],
  [
    'an action the breaker does not have',
    { risk: { maxDrawdownPercent: 5, action: 'close' } },
    'engine.json: risk.action: "close" is not one of pause, flatten',
  ],
];

describe('an invalid operations block', () => {
  it.each(refused)('refuses %s', (_what, blocks, message) => {
    expect(configErrorOf(() => parse(blocks)).message).toBe(message);
  });

  it('never prints a secret that came from the environment', () => {
    const error = configErrorOf(() =>
      parse({
        alerts: { telegram: { botToken: '${RATCHET_TELEGRAM_TOKEN}', chatId: 'x' } },
        metrics: { host: '0.0.0.0' },
      }),
    );
    expect(error.message).not.toContain('telegram-secret');
  });
});
