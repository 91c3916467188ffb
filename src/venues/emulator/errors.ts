/**
 * Binance answers every refusal with an HTTP status and a body `{ code, msg }`; ccxt maps the
 * numeric code to its error classes, so the emulator must reproduce both exactly.
 */
export class BinanceError extends Error {
  /** Returns an error that the REST layer serialises as Binance's `{ code, msg }` body. */
  constructor(
    readonly code: number,
    msg: string,
    readonly status = 400,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(msg);
    this.name = 'BinanceError';
  }

  /** Returns the wire body Binance sends for this error. */
  body(): { code: number; msg: string } {
    return { code: this.code, msg: this.message };
  }
}

/** The codes the emulator answers, named so call sites read like Binance's documentation. */
export const errors = {
  unknown: () => new BinanceError(-1000, 'An unknown error occured while processing the request.'),
  internal: () =>
    new BinanceError(
      -1001,
      'Internal error; unable to process your request. Please try again.',
      503,
    ),
  tooManyRequests: (retryAfterSec: number, limit: number) =>
    new BinanceError(
      -1003,
      `Too many requests; current limit is ${limit} request weight per 1 MINUTE. Please use the websocket for live updates to avoid polling the API.`,
      429,
      { 'Retry-After': String(retryAfterSec) },
    ),
  timestampOutside: () =>
    new BinanceError(-1021, 'Timestamp for this request is outside of the recvWindow.'),
  badSignature: () => new BinanceError(-1022, 'Signature for this request is not valid.'),
  mandatoryMissing: (name: string) =>
    new BinanceError(
      -1102,
      `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`,
    ),
  badParam: (name: string) =>
    new BinanceError(-1130, `Data sent for parameter '${name}' is not valid.`),
  badSymbol: () => new BinanceError(-1121, 'Invalid symbol.'),
  unknownOrder: () => new BinanceError(-2011, 'Unknown order sent.'),
  noSuchOrder: () => new BinanceError(-2013, 'Order does not exist.'),
  badApiKey: () => new BinanceError(-2015, 'Invalid API-key, IP, or permissions for action.', 401),
  badApiKeyFormat: () => new BinanceError(-2014, 'API-key format invalid.', 401),
  wouldTrigger: () => new BinanceError(-2021, 'Order would immediately trigger.'),
  reduceOnlyRejected: () => new BinanceError(-2022, 'ReduceOnly Order is rejected.'),
  tooManyStops: () => new BinanceError(-4045, 'Reach max stop order limit.'),
  badTick: () => new BinanceError(-4014, 'Price not increased by tick size.'),
  badStep: () => new BinanceError(-4003, 'Quantity less than or equal to zero.'),
  badCallbackRate: () =>
    new BinanceError(-2007, 'Invalid callBackRate, callBackRate must be in range of [0.1, 10].'),
  conditionalOnOrderEndpoint: () =>
    new BinanceError(
      -4120,
      'Order type not supported for this endpoint. Please use the Algo Order API endpoints instead.',
    ),
  closePositionWithQty: () =>
    new BinanceError(-4136, 'Target strategy invalid for orderType MARKET,closePosition true'),
  illegalClientId: (name: string) =>
    new BinanceError(
      -1100,
      `Illegal characters found in parameter '${name}'; legal range is '^[\\.A-Z\\:/a-z0-9_-]{1,36}$'.`,
    ),
  duplicateClientId: () => new BinanceError(-4116, 'ClientOrderId is duplicated.'),
  notRequired: (name: string) =>
    new BinanceError(-1106, `Parameter '${name}' sent when not required.`),
  closePositionExists: () =>
    new BinanceError(
      -4130,
      'An open stop or take profit order with GTE and closePosition in the direction is existing.',
    ),
  gteWithoutPosition: () =>
    new BinanceError(
      -4509,
      'Time in Force (TIF) GTE can only be used with open positions or open orders. Please ensure that positions or open orders are available.',
    ),
  listenKeyMissing: () => new BinanceError(-1125, 'This listenKey does not exist.'),
} as const;
