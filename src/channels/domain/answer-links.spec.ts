import { linkKey, signLink, verifyLink } from './answer-links.js';

describe('answer links', () => {
  const key = linkKey('a service secret long enough for tests');
  const link = { alertId: '6f1d3c1e-8a4b-4c7e-9d2f-0a1b2c3d4e5f', requestId: '0b7e7c8d-1a2b-4c3d-8e9f-123456789abc', action: 'accept' as const };

  it('gives back what a signed link is bound to', () => {
    expect(verifyLink(key, signLink(key, link))).toEqual(link);
  });

  it('refuses a link whose action, request or signature was altered, or signed with another key', () => {
    const token = signLink(key, link);
    expect(token).toHaveLength(67);
    expect(verifyLink(key, `${token.slice(0, 44)}d${token.slice(45)}`)).toBeNull();
    expect(verifyLink(key, `${token.slice(0, 30)}${token[30] === 'A' ? 'B' : 'A'}${token.slice(31)}`)).toBeNull();
    expect(verifyLink(key, `${token.slice(0, -2)}xx`)).toBeNull();
    expect(verifyLink(linkKey('another secret'), token)).toBeNull();
    expect(verifyLink(key, 'nonsense')).toBeNull();
  });
});
