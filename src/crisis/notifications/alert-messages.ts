import { encodeSms } from '../../channels/sms/sms-encoding.js';

/** What an alert says of one request. */
export interface AlertedRequest {
  id: string;
  assetName: string;
  category: string;
  /** The answer links of this request (email only). */
  links?: { acknowledge: string; accept: string; decline: string };
}

export interface AlertContent {
  crisisTitle: string;
  exercise: boolean;
  departements: string[];
  decisionReference: string;
  memberName: string;
  contactName: string;
  level: number;
  replyCode: string;
  /** When the person must acknowledge, at the latest (the earliest deadline of its requests). */
  ackDeadline: Date;
  requests: AlertedRequest[];
}

/** Times as a person in France reads them (the service may run in UTC). */
// Made once: building a formatter costs far more than formatting (thousands of alerts in a fan-out).
const PARIS_TIME = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' });
const PARIS_DAY = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: '2-digit', month: '2-digit' });

export function parisTime(at: Date): string {
  return PARIS_TIME.format(at).replace(':', 'h');
}

export function parisDateTime(at: Date): string {
  const day = PARIS_DAY.format(at);
  return `${day} à ${parisTime(at)}`;
}

function assetsLine(requests: AlertedRequest[]): string {
  if (requests.length === 1) return requests[0].assetName;
  return `${requests.length} moyens`;
}

const SMS_LIMIT = 160;

/**
 * The SMS: crisis, what is asked, where, the deadline, how to answer, in one GSM 7-bit message
 * when it can (160 characters): the crisis title is shortened first, then the asset's name.
 * A title with a character outside the GSM alphabet goes in UCS-2 and is split into parts by
 * the encoder, accents kept.
 */
export function alertSms(content: AlertContent): string {
  const where = content.departements.join(',');
  const prefix = content.exercise ? 'EXERCICE ' : '';
  const build = (title: string, asked: string) =>
    `${prefix}Renfort: crise ${title} (${where}). Demandé: ${asked}. Accusez réception avant ${parisTime(content.ackDeadline)}: OK ${content.replyCode}. Accepter: OUI ${content.replyCode}. Refuser: NON ${content.replyCode} motif`;
  let title = content.crisisTitle;
  let asked = assetsLine(content.requests);
  let text = build(title, asked);
  // A character outside the GSM alphabet (ê, ç...): UCS-2, split cleanly into parts, nothing cut.
  if (encodeSms(text, 0).encoding !== 'GSM') return text;
  const overflow = () => (encodeSms(text, 0).parts.length === 1 ? 0 : Math.max(1, text.length - SMS_LIMIT));
  while (overflow() > 0 && title.length > 12) {
    title = `${title.slice(0, Math.max(10, title.length - overflow() - 1)).trimEnd()}.`;
    text = build(title, asked);
  }
  while (overflow() > 0 && asked.length > 12) {
    asked = `${asked.slice(0, Math.max(10, asked.length - overflow() - 1)).trimEnd()}.`;
    text = build(title, asked);
  }
  return text;
}

/** The email: the same facts, each request with its own answer links, and the SMS code. */
export function alertEmail(content: AlertContent): { subject: string; body: string } {
  const count = content.requests.length;
  const prefix = content.exercise ? '[EXERCICE] ' : '';
  const subject = `${prefix}Renfort : mobilisation, crise ${content.crisisTitle} (${count} demande${count > 1 ? 's' : ''})`;
  const lines = [
    `Bonjour ${content.contactName},`,
    '',
    `${content.exercise ? 'EXERCICE. ' : ''}Le ministre de l'Intérieur a décidé de mobiliser des moyens de ${content.memberName} pour la crise « ${content.crisisTitle} » (décision ${content.decisionReference}).`,
    `Lieu : départements ${content.departements.join(', ')}.`,
    `Accusez réception avant le ${parisDateTime(content.ackDeadline)} (heure de Paris) ; sans réponse, la personne suivante de la chaîne d'alerte sera prévenue.`,
    '',
    count > 1 ? `Moyens demandés (${count}) :` : 'Moyen demandé :',
  ];
  content.requests.forEach((request, index) => {
    lines.push('', `${index + 1}. ${request.assetName} (${request.category})`);
    if (request.links) {
      lines.push(`   Accuser réception : ${request.links.acknowledge}`);
      lines.push(`   Accepter : ${request.links.accept}`);
      lines.push(`   Refuser : ${request.links.decline}`);
    }
  });
  lines.push(
    '',
    `Par SMS, répondez OK ${content.replyCode} (accusé de réception), OUI ${content.replyCode} (accepter) ou NON ${content.replyCode} suivi du motif (refuser)${count > 1 ? ' : le code répond pour toutes les demandes de cette alerte' : ''}.`,
    'Chaque lien ne sert qu\'une fois et demande une confirmation avant d\'enregistrer la réponse.',
    '',
    'Renfort, registre des moyens de la charte de solidarité en cas de crise',
  );
  return { subject, body: lines.join('\n') };
}
