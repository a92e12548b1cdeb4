/**
 * Strings as JSON text for the decision line, without `JSON.stringify`'s cost when nothing needs
 * escaping (the request id, nearly every request path): the benchmark measured a test and two quotes
 * cheaper than the call.
 */

// The characters JSON.stringify escapes in a string: `"`, `\`, controls, and surrogates (of which it
// escapes only lone ones; sending pairs to JSON.stringify as well is correct, only slower).
// eslint-disable-next-line no-control-regex -- the control characters are what it looks for
export const NEEDS_ESCAPING = /["\\\x00-\x1f\ud800-\udfff]/;

/** `JSON.stringify(text)`. */
export function jsonString(text: string): string {
  return NEEDS_ESCAPING.test(text) ? JSON.stringify(text) : `"${text}"`;
}
