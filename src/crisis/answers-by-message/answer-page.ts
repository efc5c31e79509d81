import { createHash } from 'node:crypto';
import { DECLINE_REASONS } from '../domain/mobilization-request.js';
import type { LinkAction } from '../../channels/domain/answer-links.js';

/** The page's only style, allowed by its hash: no other style, script or resource may load. */
const STYLE = [
  'body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;padding:1rem;color:#161616;background:#f6f6f6;line-height:1.5}',
  'main{max-width:34rem;margin:0 auto;background:#fff;padding:1.25rem;border-top:4px solid #000091}',
  'h1{font-size:1.3rem;margin:0 0 .75rem}dl{margin:0 0 1rem}dt{font-weight:700}dd{margin:0 0 .5rem}',
  'label{display:block;font-weight:700;margin:.75rem 0 .25rem}select,textarea{width:100%;font:inherit;padding:.4rem;box-sizing:border-box}',
  'button{margin-top:1rem;width:100%;font:inherit;font-weight:700;padding:.75rem;border:0;background:#000091;color:#fff;cursor:pointer}',
  '.alert{padding:.75rem;border-left:4px solid #ce0500;background:#ffe9e9}.ok{border-left-color:#18753c;background:#b8fec9}',
].join('');
const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');

/** Nothing but this page's own style; forms post to this same service only. */
export const ANSWER_PAGE_CSP = `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;

const ACTION_LABELS: Record<LinkAction, { title: string; button: string }> = {
  acknowledge: { title: 'Accuser réception de la demande', button: 'Confirmer l\u2019accusé de réception' },
  accept: { title: 'Accepter la demande', button: 'Confirmer l\u2019acceptation' },
  decline: { title: 'Refuser la demande', button: 'Confirmer le refus' },
};

const REASON_LABELS: Record<(typeof DECLINE_REASONS)[number], string> = {
  NOT_AVAILABLE: 'Moyen indisponible',
  OUT_OF_AREA: 'Hors de la zone couverte',
  CAPACITY_ENGAGED: 'Capacité déjà engagée',
  SAFETY: 'Raison de sécurité',
  OTHER: 'Autre motif',
};

export function escapeHtml(text: unknown): string {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function page(title: string, content: string): string {
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`
    + `<meta name="robots" content="noindex"><title>${escapeHtml(title)} – Renfort</title><style>${STYLE}</style></head>`
    + `<body><main>${content}</main></body></html>`;
}

export interface RequestSummary {
  crisisTitle: string;
  exercise: boolean;
  departements: string[];
  memberName: string;
  assetName: string;
  category: string;
  status: string;
  ackDeadline: string | null;
  contactName: string;
}

function summary(request: RequestSummary): string {
  return `<dl><dt>Crise</dt><dd>${request.exercise ? 'EXERCICE – ' : ''}${escapeHtml(request.crisisTitle)}</dd>`
    + `<dt>Moyen demandé</dt><dd>${escapeHtml(request.assetName)} (${escapeHtml(request.category)}), ${escapeHtml(request.memberName)}</dd>`
    + `<dt>Lieu</dt><dd>Départements ${escapeHtml(request.departements.join(', '))}</dd>`
    + (request.ackDeadline ? `<dt>Accuser réception avant</dt><dd>${escapeHtml(request.ackDeadline)} (heure de Paris)</dd>` : '')
    + `<dt>Alerte adressée à</dt><dd>${escapeHtml(request.contactName)}</dd></dl>`;
}

/** The confirmation asked before anything is recorded: the GET of a link changes nothing. */
export function confirmationPage(action: LinkAction, request: RequestSummary, formAction: string): string {
  const labels = ACTION_LABELS[action];
  const reasons = action === 'decline'
    ? `<label for="reasonCode">Motif du refus</label><select id="reasonCode" name="reasonCode" required>`
      + DECLINE_REASONS.map((code) => `<option value="${code}">${escapeHtml(REASON_LABELS[code])}</option>`).join('')
      + `</select><label for="comment">Précision (facultatif)</label><textarea id="comment" name="comment" rows="3" maxlength="500"></textarea>`
    : '';
  return page(labels.title, `<h1>${labels.title}</h1>${summary(request)}`
    + `<form method="post" action="${escapeHtml(formAction)}">${reasons}<button type="submit">${labels.button}</button></form>`);
}

export function donePage(action: LinkAction, request: RequestSummary): string {
  const done = { acknowledge: 'Accusé de réception enregistré', accept: 'Acceptation enregistrée', decline: 'Refus enregistré' }[action];
  return page(done, `<h1>${done}</h1><p class="alert ok" role="status">Merci. Votre réponse est enregistrée et la cellule de crise la voit dès maintenant.</p>${summary(request)}`);
}

/** A used, expired or forged link: said plainly, with what to do instead. */
export function problemPage(kind: 'invalid' | 'used' | 'expired' | 'refused', detail?: string): string {
  const texts = {
    invalid: ['Lien non valide', 'Ce lien n\u2019est pas valide : il a été modifié ou ne vient pas de Renfort. Aucune réponse n\u2019a été enregistrée.'],
    used: ['Lien déjà utilisé', 'Ce lien a déjà servi : chaque lien ne sert qu\u2019une fois. Votre réponse précédente est enregistrée.'],
    expired: ['Lien expiré', `Ce lien a expiré : la demande ne peut plus recevoir cette réponse${detail ? ` (${detail})` : ''}. Aucune réponse n\u2019a été enregistrée.`],
    refused: ['Réponse non enregistrée', `La réponse n\u2019a pas pu être enregistrée${detail ? ` : ${detail}` : ''}.`],
  }[kind];
  return page(texts[0], `<h1>${texts[0]}</h1><p class="alert" role="alert">${escapeHtml(texts[1])}</p><p>Pour répondre autrement, utilisez l\u2019espace entreprise de Renfort ou le code SMS de l\u2019alerte.</p>`);
}

/** The French words of a request's status, for the expired page. */
export const STATUS_LABELS: Record<string, string> = {
  PENDING: 'en attente', NOTIFIED: 'notifiée', ESCALATED: 'escaladée', ACKNOWLEDGED: 'réception accusée', ACCEPTED: 'acceptée',
  DECLINED: 'refusée', DEPLOYED: 'moyen déployé', RELEASED: 'moyen libéré', STOOD_DOWN: 'levée, le besoin étant couvert ou l\u2019activation terminée',
};
