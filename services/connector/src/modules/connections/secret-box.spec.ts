import { SecretBox } from './secret-box';

describe('SecretBox', () => {
  it('round-trips secrets and hides them', () => {
    const box = new SecretBox('a-long-enough-secret-key');
    const sealed = box.seal({ password: 'hunter2' });
    expect(sealed).not.toContain('hunter2');
    expect(box.open(sealed)).toEqual({ password: 'hunter2' });
  });

  it('refuses a wrong key (tampering or a different installation)', () => {
    const sealed = new SecretBox('a-long-enough-secret-key').seal({ password: 'x' });
    expect(() => new SecretBox('another-long-secret-key').open(sealed)).toThrow();
  });
});
