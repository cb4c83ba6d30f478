/**
 * What text from outside (HTTP bodies, queries and paths, join options, room messages, CSV cells)
 * may contain, checked before anything else reads it. PostgreSQL refuses NUL in `text` (a query
 * fails, which used to be a 500), lone surrogates are silently turned into U+FFFD on the way to the
 * database, and control characters spoof logs and terminals: none of them has a use in any field
 * this server reads, so they are refused at the edge, naming the field.
 */

/** C0 controls, DEL and C1 controls. Tab and line breaks are allowed only where a caller says so. */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS_BUT_LINE_BREAKS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** Keys that reach `Object.prototype` through naive merges; no field of ours is called so. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Nesting deeper than any request of ours (they are flat); deeper input is refused, not walked. */
const MAX_DEPTH = 8;

export type UnsafeInput = { field: string; message: string };

/** Why a string may not be used as given, or undefined when it may. */
export function unsafeTextProblem(text: string, options: { lineBreaks?: boolean } = {}): string | undefined {
  if ((options.lineBreaks ? CONTROL_CHARACTERS_BUT_LINE_BREAKS : CONTROL_CHARACTERS).test(text)) {
    return 'must not contain control characters';
  }
  if (!text.isWellFormed()) return 'must not contain lone surrogates (invalid UTF-16)';
  return undefined;
}

/**
 * The first unsafe thing in a parsed JSON value (or query object), with the path to it: a string
 * with control characters or lone surrogates, a prototype key, a key that is itself unsafe text,
 * or nesting deeper than MAX_DEPTH. `prefix` names where the value came from (e.g. `options`).
 */
export function findUnsafeInput(value: unknown, prefix: string[] = []): UnsafeInput | undefined {
  return walk(value, prefix, 0);
}

function walk(value: unknown, path: string[], depth: number): UnsafeInput | undefined {
  const field = path.join('.') || 'body';
  if (typeof value === 'string') {
    const problem = unsafeTextProblem(value);
    return problem ? { field, message: `${field}: ${problem}` } : undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth >= MAX_DEPTH) return { field, message: `${field}: nested too deeply` };
  const entries = Array.isArray(value) ? value.map((item, index) => [String(index), item] as const) : Object.entries(value);
  for (const [key, item] of entries) {
    if (PROTOTYPE_KEYS.has(key)) {
      const named = [...path, key].join('.');
      return { field: named, message: `${named}: not a field this server reads` };
    }
    const keyProblem = unsafeTextProblem(key);
    if (keyProblem) {
      const named = [...path, JSON.stringify(key)].join('.');
      return { field: named, message: `${named}: a field name ${keyProblem}` };
    }
    const found = walk(item, [...path, key], depth + 1);
    if (found) return found;
  }
  return undefined;
}
