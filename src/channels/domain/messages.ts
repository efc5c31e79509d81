import type { ContactMethodKind } from './contact-method.js';

/** What a message says, in French. `{code}` stands for a secret filled in only when sending. */
export interface MessageText {
  subject: string | null;
  body: string;
}

export const CODE_PLACEHOLDER = '{code}';

export function verificationMessage(method: ContactMethodKind, name: string): MessageText {
  if (method === 'sms') {
    return { subject: null, body: `Renfort : votre code de vérification est ${CODE_PLACEHOLDER}. Il expire dans 15 minutes. Ne le communiquez à personne.` };
  }
  return {
    subject: 'Renfort : votre code de vérification',
    body: [
      `Bonjour ${name},`,
      '',
      `Votre code de vérification Renfort est : ${CODE_PLACEHOLDER}`,
      '',
      'Il expire dans 15 minutes. Saisissez-le dans Renfort pour confirmer que les alertes de mobilisation peuvent vous parvenir à cette adresse.',
      "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message.",
      '',
      'Renfort, registre des moyens de la charte de solidarité en cas de crise',
    ].join('\n'),
  };
}

export function testAlertMessage(method: ContactMethodKind, name: string): MessageText {
  if (method === 'sms') {
    return { subject: null, body: 'Renfort : alerte de test. Les alertes de mobilisation vous parviendront sur ce numéro. Aucune action attendue.' };
  }
  return {
    subject: 'Renfort : alerte de test',
    body: [
      `Bonjour ${name},`,
      '',
      'Ceci est une alerte de test envoyée par Renfort. Les alertes de mobilisation vous parviendront à cette adresse.',
      "Aucune action n'est attendue de votre part.",
      '',
      'Renfort, registre des moyens de la charte de solidarité en cas de crise',
    ].join('\n'),
  };
}

/** The text actually sent: the secret in place of its placeholder. */
export function renderBody(body: string, secret: string | null): string {
  return secret === null ? body : body.split(CODE_PLACEHOLDER).join(secret);
}
