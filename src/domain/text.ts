/**
 * The rule for every free-text field a person types (an expense's description now; category
 * names and notes later): one line of visible text, stored in one Unicode form.
 *
 * Rejected, anywhere in the text:
 * - control characters (Cc: NUL, tab, line feed, DEL, ...) and line or paragraph separators (Zl, Zp);
 * - format characters (Cf): bidi embeddings, overrides, isolates and marks, which can make text
 *   read differently from what it holds, and zero-width or invisible ones (U+200B, U+2060, U+FEFF, ...);
 * - lone surrogates (Cs), which are no character at all and cannot be stored as UTF-8.
 */
const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;

/** Unlike String.prototype.trim, leaves U+FEFF in place, to be rejected like any other invisible character. */
const SURROUNDING_WHITESPACE = /^\p{White_Space}+|\p{White_Space}+$/gu;

/**
 * The text as stored: surrounding whitespace trimmed, then in Unicode NFC (so "é" typed as e plus a
 * combining accent equals the precomposed "é"); null when it holds a character the rule rejects.
 * Length limits apply to the result.
 */
export function normalizeFreeText(value: string): string | null {
  const normalized = value.replace(SURROUNDING_WHITESPACE, '').normalize('NFC');
  return FORBIDDEN.test(normalized) ? null : normalized;
}
