// The one way a value enters a Graph $filter. The SDK's .filter() passes its text through to the
// URL untouched, so the literal must arrive already percent-encoded: a `#` would otherwise end the
// URL, a `&` start a new parameter, and a lone `'` end the OData string early.

/** An OData string literal for `value` (quotes doubled), percent-encoded for the query string. */
export function odataString(value: string): string {
  return encodeURIComponent(`'${value.replace(/'/g, "''")}'`);
}

/** `property eq 'value'`, ready for GraphRequest.filter(). */
export function odataEq(property: string, value: string): string {
  return `${property}%20eq%20${odataString(value)}`;
}
