import { KeyIndex, seededHash } from './csv-key-index';

describe('KeyIndex', () => {
  it('returns the first line of a repeated key and records new ones, across growth', () => {
    const index = new KeyIndex();
    for (let i = 0; i < 5000; i++) expect(index.addOrCandidate(`E${i}`, i + 2)).toBeUndefined();
    expect(index.addOrCandidate('E0', 9000)).toBe(2);
    expect(index.addOrCandidate('E4999', 9001)).toBe(5001);
    expect(index.addOrCandidate('E5000', 9002)).toBeUndefined();
  });

  it('keeps keys whose hash collided exactly, so each still finds its own first line', () => {
    const index = new KeyIndex(() => [1, 1]);
    expect(index.addOrCandidate('a', 2)).toBeUndefined();
    expect(index.addOrCandidate('b', 3)).toBe(2); // candidate: the caller finds line 2 holds "a"
    index.addCollided('b', 3);
    expect(index.addOrCandidate('b', 4)).toBe(3);
    expect(index.addOrCandidate('a', 5)).toBe(2);
  });

  it('hashes with a different seed per index', () => {
    expect(seededHash()('E0000001')).not.toEqual(seededHash()('E0000001'));
  });
});
