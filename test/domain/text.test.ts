import { expect } from 'chai';
import fc from 'fast-check';
import { normalizeFreeText } from '../../src/domain/text.js';

const hex = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

describe('free text rule', () => {
  it('trims surrounding whitespace and stores the NFC form', () => {
    expect(normalizeFreeText('  lunch \t\n')).to.equal('lunch');
    expect(normalizeFreeText('cafe\u0301')).to.equal('caf\u00e9');
    expect(normalizeFreeText('\u1100\u1161')).to.equal('\uac00');
    expect(normalizeFreeText('   ')).to.equal('');
  });

  it('keeps ordinary text of any script, emoji included', () => {
    for (const text of ['Lunch with Ana', 'Café crème', 'שלום עולם', 'مرحبا', '漢字かな', 'Привет', '😀 🇫🇷 👍🏽', 'a\u00a0b', '50% off — $3.99']) {
      expect(normalizeFreeText(text), text).to.equal(text.normalize('NFC'));
    }
  });

  it('rejects every control character (Cc), tab and line breaks included, and line or paragraph separators', () => {
    const controls = [...Array.from({ length: 32 }, (_, c) => String.fromCharCode(c)), ...Array.from({ length: 33 }, (_, c) => String.fromCharCode(0x7f + c)), '\u2028', '\u2029'];
    for (const c of controls) expect(normalizeFreeText(`a${c}b`), hex(c)).to.equal(null);
  });

  it('rejects bidi controls, zero-width and other invisible format characters (Cf), wherever they are', () => {
    const format = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c',
      '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u2061', '\u180e', '\u{e0001}', '\u{e0041}'];
    for (const c of format) {
      for (const text of [`a${c}b`, `${c}ab`, `ab${c}`, ` ${c} ab`]) expect(normalizeFreeText(text), `${hex(c)} in ${JSON.stringify(text)}`).to.equal(null);
    }
  });

  it('rejects lone surrogates', () => {
    for (const text of ['a\ud800b', 'a\udfffb', '\ud83d']) expect(normalizeFreeText(text), JSON.stringify(text)).to.equal(null);
  });

  it('is idempotent, and what it returns holds no control, format or surrogate character', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
      const normalized = normalizeFreeText(text);
      if (normalized === null) return;
      expect(normalizeFreeText(normalized)).to.equal(normalized);
      expect(normalized).to.not.match(/[\p{Cc}\p{Cf}\p{Cs}]/u);
      expect(normalized).to.equal(normalized.normalize('NFC'));
    }), { seed: 2026, numRuns: 1000 });
  });
});
