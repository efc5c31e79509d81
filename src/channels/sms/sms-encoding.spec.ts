import { DATA_CODING, decodeSmsPayload, encodeSms, fitsGsm7, GSM_ALPHABET_SIZE, readConcatenation } from './sms-encoding.js';

const whole = (text: string) => {
  const sms = encodeSms(text, 42);
  return sms.parts.map((part) => decodeSmsPayload(sms.dataCoding, part.payload)).join('');
};

describe('SMS encoding', () => {
  it('has the 128 septets of the GSM default alphabet', () => {
    expect(GSM_ALPHABET_SIZE).toBe(128);
  });

  it('keeps French text with the accents of the GSM alphabet (é, è, à, ù) in GSM-7, one octet per character', () => {
    const text = 'Renfort : votre code de vérification est 123456. Il expire à 15 h, après vérification où vous êtes';
    expect(fitsGsm7('Vérification à 15 h où')).toBe(true);
    const sms = encodeSms('Vérification à 15 h où');
    expect(sms).toMatchObject({ encoding: 'GSM', dataCoding: DATA_CODING.GSM });
    expect(sms.parts).toHaveLength(1);
    expect(sms.parts[0].payload).toHaveLength('Vérification à 15 h où'.length);
    // ê has no GSM form: the whole text goes UCS-2 rather than losing it.
    expect(encodeSms(text).encoding).toBe('UCS2');
    expect(whole(text)).toBe(text);
  });

  it('goes UCS-2 for a character with no GSM form (ç, ê, œ, î), losing none', () => {
    for (const text of ['Leçon', 'Fenêtre', 'Cœur', 'Île-de-France']) {
      expect(fitsGsm7(text)).toBe(false);
      const sms = encodeSms(text);
      expect(sms).toMatchObject({ encoding: 'UCS2', dataCoding: DATA_CODING.UCS2 });
      expect(sms.parts[0].payload).toHaveLength(text.length * 2);
      expect(whole(text)).toBe(text);
    }
  });

  it('counts extension characters (€, [, ], {, }, ~, |, ^, \\) as two septets', () => {
    const sms = encodeSms('Prix : 0 € [gratuit]');
    expect(sms.encoding).toBe('GSM');
    expect(sms.parts[0].payload).toHaveLength('Prix : 0 € [gratuit]'.length + 3);
    expect(whole('a{b}c~d|e^f\\g€')).toBe('a{b}c~d|e^f\\g€');
  });

  it('sends 160 GSM characters in one message and 161 in two parts of at most 153, with a concatenation header', () => {
    expect(encodeSms('a'.repeat(160)).parts).toHaveLength(1);
    const sms = encodeSms('a'.repeat(161), 7);
    expect(sms.parts.map((part) => part.payload.length)).toEqual([153, 8]);
    expect(sms.parts.map((part) => readConcatenation(part.udh!))).toEqual([
      { reference: 7, total: 2, sequence: 1 },
      { reference: 7, total: 2, sequence: 2 },
    ]);
    expect([...sms.parts[0].udh!]).toEqual([0x05, 0x00, 0x03, 7, 2, 1]);
  });

  it('sends 70 UCS-2 characters in one message and 71 in parts of at most 67', () => {
    expect(encodeSms('ç'.repeat(70)).parts).toHaveLength(1);
    expect(encodeSms('ç'.repeat(71)).parts.map((part) => part.payload.length / 2)).toEqual([67, 4]);
  });

  it('never splits an escape sequence: a euro sign that would straddle a part boundary moves whole to the next part', () => {
    const text = `${'a'.repeat(152)}€${'b'.repeat(10)}`;
    const sms = encodeSms(text);
    expect(sms.parts.map((part) => part.payload.length)).toEqual([152, 12]);
    expect(whole(text)).toBe(text);
  });

  it('never splits a surrogate pair', () => {
    const text = `${'é'.repeat(66)}😀${'x'.repeat(5)}`;
    const sms = encodeSms(text);
    expect(sms.encoding).toBe('UCS2');
    expect(sms.parts.map((part) => part.payload.length / 2)).toEqual([66, 7]);
    expect(whole(text)).toBe(text);
  });

  it('reassembles a long French text with accents exactly', () => {
    const text = 'Mobilisation : la préfecture des Alpes-Maritimes demande deux drones à caméra thermique pour la crue de la Vésubie. Répondez avant 18 h 30 ; à défaut, l’alerte passe au correspondant suivant.';
    const sms = encodeSms(text);
    expect(sms.parts.length).toBeGreaterThan(1);
    expect(whole(text)).toBe(text);
  });
});
