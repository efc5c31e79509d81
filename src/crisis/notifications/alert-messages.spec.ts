import { encodeSms } from '../../channels/sms/sms-encoding.js';
import { type AlertContent, alertEmail, alertSms } from './alert-messages.js';

const content = (overrides: Partial<AlertContent> = {}): AlertContent => ({
  crisisTitle: 'Crues du Var', exercise: false, departements: ['06', '83'], decisionReference: 'DM-2026-041', memberName: 'Azur Drones SAS',
  contactName: 'Julien Lefèvre', level: 0, replyCode: '4821', ackDeadline: new Date('2026-11-24T13:32:00Z'),
  requests: [{ id: 'r1', assetName: 'Drone thermique', category: 'DRONE' }, { id: 'r2', assetName: 'Drone filaire', category: 'DRONE' }],
  ...overrides,
});

describe('alert messages', () => {
  it('says in one GSM SMS the crisis, what is asked, where, the deadline in Paris time and how to answer', () => {
    const sms = alertSms(content());
    expect(sms).toBe('Renfort: crise Crues du Var (06,83). Demandé: 2 moyens. Accusez réception avant 14h32: OK 4821. Accepter: OUI 4821. Refuser: NON 4821 motif');
    expect(encodeSms(sms)).toMatchObject({ encoding: 'GSM', parts: [expect.anything()] });
  });

  it('shortens a long crisis title to keep the SMS in one message, the answer codes whole', () => {
    const sms = alertSms(content({ crisisTitle: 'Inondations majeures dans les vallées de la Roya, de la Vésubie et de la Tinée après le passage de la dépression Alex', exercise: true }));
    expect(sms.length).toBeLessThanOrEqual(160);
    expect(encodeSms(sms).parts).toHaveLength(1);
    expect(sms).toMatch(/^EXERCICE Renfort: crise Inondations majeures.*\. Refuser: NON 4821 motif$/);
  });

  it('keeps every accent of a title outside the GSM alphabet, in UCS-2 parts', () => {
    const sms = alertSms(content({ crisisTitle: 'Crue de la Têt à Perpignan' }));
    expect(sms).toContain('Crue de la Têt à Perpignan');
    expect(encodeSms(sms).encoding).toBe('UCS2');
  });

  it('lists each request of the email with its three links, and the SMS code answering them all', () => {
    const links = { acknowledge: 'https://r/1', accept: 'https://r/2', decline: 'https://r/3' };
    const email = alertEmail(content({ requests: content().requests.map((request) => ({ ...request, links })) }));
    expect(email.subject).toBe('Renfort : mobilisation, crise Crues du Var (2 demandes)');
    expect(email.body).toContain('1. Drone thermique (DRONE)\n   Accuser réception : https://r/1\n   Accepter : https://r/2\n   Refuser : https://r/3');
    expect(email.body).toContain('le code répond pour toutes les demandes de cette alerte');
    expect(email.body).toContain('Accusez réception avant le 24/11 à 14h32 (heure de Paris)');
  });
});
