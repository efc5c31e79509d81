import type { Pdu } from 'smpp';
import { parseReceipt } from './smpp-link.js';

const pdu = (fields: Record<string, unknown>) => fields as unknown as Pdu;

describe('SMPP delivery receipts', () => {
  it('reads the message id and state from the receipt text (SMPP 3.4 Appendix B)', () => {
    const text = 'id:0123456789 sub:001 dlvr:001 submit date:2611241200 done date:2611241201 stat:DELIVRD err:000 text:Renfort';
    expect(parseReceipt(pdu({ short_message: { message: text } }))).toEqual({ messageId: '0123456789', state: 'DELIVRD', errorCode: '000' });
  });

  it('prefers the receipted_message_id and message_state TLVs when the SMS centre sends them', () => {
    const receipt = parseReceipt(pdu({ short_message: { message: 'id:ignored stat:DELIVRD err:000' }, receipted_message_id: 'A1B2', message_state: 5 }));
    expect(receipt).toEqual({ messageId: 'A1B2', state: 'UNDELIV', errorCode: '000' });
  });

  it('ignores a receipt that names no message', () => {
    expect(parseReceipt(pdu({ short_message: { message: 'stat:DELIVRD' } }))).toBeNull();
  });
});
