/**
 * Returns a function that removes credentials from text meant for logs and errors: the query of
 * every URL (a signed Binance request carries its signature, timestamp and listen key there),
 * any `signature=` left elsewhere, and the literal key and secret.
 */
export function redactCredentials(secrets: readonly string[]): (text: string) => string {
  // A credential of a few characters would blank out ordinary words; real ones are long.
  const literals = secrets.filter((s) => s.length >= 8);
  return (text) => {
    let out = text
      .replace(/\b((?:https?|wss?):\/\/[^\s?#"']*)[?#][^\s"']*/gi, '$1')
      .replace(/signature=[^&\s"']*/gi, 'signature=[redacted]');
    for (const literal of literals) out = out.split(literal).join('[redacted]');
    return out;
  };
}
