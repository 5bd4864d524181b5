/**
 * JSON with comments and trailing commas, as tsconfig files are written: `//` and `/* *\/` comments and a comma
 * before `}` or `]` are removed (outside strings), then the text is parsed as JSON.
 */

/** Removes comments and trailing commas from JSONC text, keeping strings intact; the result is plain JSON text. */
export function stripJsonc(text: string): string {
  let out = '';
  let i = 0;
  const n = text.length;
  // Index in `out` of a comma that may turn out to be trailing, or -1.
  let pendingComma = -1;
  while (i < n) {
    const ch = text[i];
    if (ch === '"') {
      let j = i + 1;
      while (j < n && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      pendingComma = -1;
      i = j + 1;
    } else if (ch === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') i++;
    } else if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? n : end + 2;
    } else if (ch === ',') {
      pendingComma = out.length;
      out += ch;
      i++;
    } else if (ch === '}' || ch === ']') {
      if (pendingComma !== -1) out = `${out.slice(0, pendingComma)} ${out.slice(pendingComma + 1)}`;
      pendingComma = -1;
      out += ch;
      i++;
    } else {
      if (ch !== undefined && !/\s/.test(ch)) pendingComma = -1;
      out += ch;
      i++;
    }
  }
  return out;
}

/**
 * Parses JSONC text (see {@link stripJsonc}); an empty or whitespace-only text is an empty object, as for tsc.
 * @throws SyntaxError when the text is not valid JSONC.
 */
export function parseJsonc(text: string): unknown {
  const stripped = stripJsonc(text.replace(/^\uFEFF/, ''));
  return stripped.trim() === '' ? {} : JSON.parse(stripped);
}
