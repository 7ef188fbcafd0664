import { strict as assert } from 'node:assert';
import { mentioning, mentionsOf } from '../../src/teams/mentions';

const SAM = {
  id: 'e6b02483-41ed-473e-83c5-c0dd8f6b5bd3',
  name: 'Sam <b>Rivera</b>',
  channelAccountId: '29:sam',
};

describe('thread messages and @mentions', () => {
  it('makes names chosen by others inert: no live link, no emphasis, one line', () => {
    const message = mentioning(
      SAM,
      'Step failed: Disable device [Sign in](https://evil.example)\n# now **please**',
    );
    const text = String(message.text);
    assert.ok(!/\]\(/.test(text), text);
    assert.ok(!text.includes('**'), text);
    assert.ok(!text.includes('\n'), text);
  });

  it('keeps the mention tag intact and the display name from closing it', () => {
    const message = mentioning(SAM, 'Done.');
    assert.equal(message.text, '<at>Sam bRivera/b</at> Done.');
    assert.deepEqual(message.entities, [
      {
        type: 'mention',
        text: '<at>Sam bRivera/b</at>',
        mentioned: { id: '29:sam', name: SAM.name },
      },
    ]);
  });

  it('mentions by Entra object id when no channel account id is known', () => {
    const { entities } = mentionsOf([{ id: 'abc', name: 'Priya' }]);
    assert.equal((entities[0] as unknown as { mentioned: { id: string } }).mentioned.id, 'abc');
  });
});
