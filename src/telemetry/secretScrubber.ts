/** The keys whose values never reach a log, at any depth pino's redaction reaches. */
export const SECRET_KEYS = [
  'apiKey',
  'secret',
  'signature',
  'listenKey',
  'token',
  'botToken',
  'password',
  'authorization',
  'Authorization',
  'X-MBX-APIKEY',
] as const;

// pino's wildcards match one level each; four levels cover the engine's own log objects
// (`{ err: { request: { headers: { … } } } }`), and the scrubber covers whatever is deeper.
const DEPTH = 4;

/** Returns pino `redact.paths` hiding every {@link SECRET_KEYS} key at the top and up to four levels down. */
export function redactPaths(): string[] {
  const paths: string[] = [];
  for (const key of SECRET_KEYS) {
    const step = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`;
    for (let depth = 0; depth <= DEPTH; depth += 1) {
      const prefix = '*.'.repeat(depth);
      paths.push(step.startsWith('[') ? `${prefix.slice(0, -1)}${step}` : `${prefix}${step}`);
    }
  }
  // A bracketed key at the top has no parent to hang from.
  return paths.filter((p) => !p.startsWith('['));
}

/** What a scrubbed secret is replaced with. */
export const REDACTED = '[REDACTED]';

// Secrets travel in query strings and headers of the exchange's requests, which error messages quote.
const PATTERNS: readonly RegExp[] = [
  /((?:signature|listenKey|apiKey|api_key|secret|token|botToken)=)[^&\s"',)]+/gi,
  /(X-MBX-APIKEY["']?\s*[:=]\s*["']?)[^"'\s,}]+/gi,
  /(Bearer\s+)[^\s"',}]+/gi,
  /(\/bot)\d+:[\w-]+/g,
];

// A shorter "secret" would match ordinary words and make every log unreadable.
const MIN_SECRET_LENGTH = 4;

// Listen keys are renewed every hour or so: only the latest ones can still be in flight.
const MAX_ADDED = 16;

/**
 * Replaces secrets in text; `add` teaches it a secret learnt later (a listen key), keeping the
 * 16 latest such secrets besides those it was created with.
 */
export interface SecretScrubber {
  (text: string): string;
  add(secret: string | undefined): void;
}

/**
 * Returns a scrubber that replaces every known secret value (as written, JSON-escaped and
 * URL-encoded) and every query-string, header or Telegram-token shaped secret with
 * `[REDACTED]`; values shorter than 4 characters are not treated as secrets.
 */
export function createScrubber(secrets: readonly (string | undefined)[] = []): SecretScrubber {
  const usable = (s: string | undefined): s is string =>
    s !== undefined && s.length >= MIN_SECRET_LENGTH;
  const permanent = secrets.filter(usable);
  let added: string[] = [];
  let forms: string[] = [];
  const learn = () => {
    const all = new Set(
      [...permanent, ...added].flatMap((s) => [
        s,
        JSON.stringify(s).slice(1, -1),
        encodeURIComponent(s),
      ]),
    );
    // Longest first, so a secret that contains another is replaced whole.
    forms = [...all].sort((a, b) => b.length - a.length);
  };
  const scrub = ((text: string): string => {
    let out = text;
    for (const form of forms) if (out.includes(form)) out = out.split(form).join(REDACTED);
    for (const pattern of PATTERNS) out = out.replace(pattern, `$1${REDACTED}`);
    return out;
  }) as SecretScrubber;
  scrub.add = (secret) => {
    if (!usable(secret) || permanent.includes(secret) || added.includes(secret)) return;
    added = [...added, secret].slice(-MAX_ADDED);
    learn();
  };
  learn();
  return scrub;
}
