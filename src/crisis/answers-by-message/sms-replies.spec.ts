import { parseReply } from './sms-replies.js';

describe('SMS reply codes', () => {
  it('reads OK, OUI and NON with the code, in any case, and the reason of a decline', () => {
    expect(parseReply('OK 4821')).toEqual({ response: 'acknowledge', code: '4821', reason: null });
    expect(parseReply(' oui 4821 ')).toEqual({ response: 'accept', code: '4821', reason: null });
    expect(parseReply('Non 4821 drone en maintenance')).toEqual({ response: 'decline', code: '4821', reason: 'drone en maintenance' });
  });

  it('reads nothing else', () => {
    expect(parseReply('OK')).toBeNull();
    expect(parseReply('PEUT-ETRE 4821')).toBeNull();
    expect(parseReply('OK 48210')).toBeNull();
  });
});
