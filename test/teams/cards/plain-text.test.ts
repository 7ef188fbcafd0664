import { strict as assert } from 'node:assert';
import { inlinePlain, plainRun } from '../../../src/teams/cards/plain-text';

const WJ = '\u2060';
const visible = (s: string) => s.split(WJ).join('');

describe('inlinePlain', () => {
  it('leaves ordinary names, UPNs and departments alone', () => {
    for (const text of ['Alice Johnson', 'first_last@contoso.com', 'R&D (EMEA)', 'Zoë O’Brien']) {
      assert.equal(inlinePlain(text), text);
    }
  });

  it('breaks inline links, reference links and autolinks without visible change', () => {
    const out = inlinePlain('[a](https://x) [b][c] [d]: https://y <https://z>');
    assert.ok(!/\]\(|\]\[|\]:|<h/.test(out), out);
    assert.equal(visible(out), '[a](https://x) [b][c] [d]: https://y <https://z>');
  });

  it('turns asterisks into a look-alike so nothing becomes bold', () => {
    assert.equal(inlinePlain('**bold**'), '\u2217\u2217bold\u2217\u2217');
  });

  it('puts everything on one line and stops it starting a list or heading', () => {
    assert.equal(inlinePlain('  a\r\n\n- b\tc\u2028d  '), 'a - b c d');
    for (const start of ['- x', '+ x', '# x', '> x', '12. x', '3) x']) {
      const out = inlinePlain(start);
      assert.ok(out.startsWith(WJ), start);
      assert.equal(visible(out), start);
    }
  });
});

describe('plainRun', () => {
  it('keeps Markdown and template syntax as typed', () => {
    const text = '${x} [a](b) **c**\nsecond line';
    assert.equal(plainRun(text, 100), text);
  });

  it('normalises line endings and drops other control characters', () => {
    assert.equal(plainRun('a\r\nb\rc\u0007d', 100), 'a\nb\nc d');
  });

  it('cuts long text at a character boundary with an ellipsis', () => {
    assert.equal(plainRun('abcdef', 4), 'abc…');
    assert.equal(plainRun('😀😀😀😀😀', 3), '😀😀…');
    assert.equal(plainRun('abcd', 4), 'abcd');
  });
});
