import { escapeHtml, refusalPage, signedInPage } from './oidc-pages.js';

describe('OpenID sign-in pages', () => {
  it('send a signed-in browser on without a script: a meta refresh and a link', () => {
    const page = signedInPage('/');
    expect(page.status).toBe(200);
    expect(page.html).toContain('<html lang="fr">');
    expect(page.html).toContain('<meta http-equiv="refresh" content="0;url=/">');
    expect(page.html).toContain('<a href="/">');
    expect(page.html).not.toMatch(/<script|src=|https?:\/\//);
  });

  it('escape everything they show', () => {
    const page = refusalPage(403, '<b>titre</b>', 'l\'"explication" & <script>alert(1)</script>', 'OIDC.<X>');
    expect(page.html).not.toContain('<script>');
    expect(page.html).not.toContain('<b>');
    expect(page.html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(page.html).toContain('OIDC.&#60;X&#62;');
    expect(escapeHtml(`&<>"'`)).toBe('&#38;&#60;&#62;&#34;&#39;');
  });
});
