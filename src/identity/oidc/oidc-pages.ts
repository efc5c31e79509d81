/**
 * The small pages a browser sees at the end of a sign-in through the provider: server-rendered,
 * no script and nothing fetched from elsewhere, every value escaped. The browser arrives here by a
 * top-level navigation from the provider, so the answer is a page, not the API's JSON.
 */
export interface OidcPage {
  status: number;
  html: string;
}

/** Headers of every such page: never cached, never framed, no referrer carrying the callback's query. */
export const OIDC_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
};

const STYLE =
  'body{font-family:Marianne,Arial,sans-serif;margin:0;background:#f6f6f6;color:#161616}' +
  'main{max-width:36rem;margin:4rem auto;padding:2rem;background:#fff;border-top:4px solid #000091}' +
  'h1{font-size:1.5rem;margin-top:0}a{color:#000091}.code{color:#666;font-size:.875rem}';

/** The page of a successful sign-in: the browser goes on to the console, whose cookie is now set. */
export function signedInPage(target = '/'): OidcPage {
  return {
    status: 200,
    html: page({
      title: 'Connexion réussie',
      head: `<meta http-equiv="refresh" content="0;url=${escapeHtml(target)}">`,
      body: `<p>Vous êtes connecté à Renfort.</p><p><a href="${escapeHtml(target)}">Continuer vers Renfort</a></p>`,
    }),
  };
}

/** The page of a refused sign-in: what happened, in French, and the way back. */
export function refusalPage(status: number, title: string, explanation: string, code: string): OidcPage {
  return {
    status,
    html: page({
      title,
      body:
        `<p>${escapeHtml(explanation)}</p>` +
        '<p><a href="/">Retour à l’accueil de Renfort</a></p>' +
        `<p class="code">Code : ${escapeHtml(code)}</p>`,
    }),
  };
}

function page({ title, head = '', body }: { title: string; head?: string; body: string }): string {
  return (
    '<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${escapeHtml(title)} – Renfort</title>${head}<style>${STYLE}</style></head>` +
    `<body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>\n`
  );
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
