import { randomInt } from 'node:crypto';

/**
 * Text to SMS: the GSM 03.38 default alphabet (3GPP TS 23.038) when every character has a form
 * there, UCS-2 (UTF-16 big-endian) otherwise, so that no accent is lost; split into parts joined
 * by a concatenation header (UDH, 8-bit reference) when the text does not fit in one message.
 * GSM text travels unpacked, one septet per octet, as SMPP 3.4 carries the SMSC default alphabet.
 */

/** The default alphabet, by septet value; 0x1B is the escape to the extension table. */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** The extension table: character → septet after the escape. */
const GSM_EXTENSION: ReadonlyMap<string, number> = new Map([
  ['\f', 0x0a], ['^', 0x14], ['{', 0x28], ['}', 0x29], ['\\', 0x2f], ['[', 0x3c], ['~', 0x3d], [']', 0x3e], ['|', 0x40], ['€', 0x65],
]);
const ESCAPE = 0x1b;

const BASIC_SEPTETS = new Map([...GSM_BASIC].map((character, septet) => [character, septet]));
BASIC_SEPTETS.delete('\x1b');
const EXTENSION_BY_SEPTET = new Map([...GSM_EXTENSION].map(([character, septet]) => [septet, character]));

export const DATA_CODING = { GSM: 0x00, UCS2: 0x08 } as const;
export type SmsEncoding = keyof typeof DATA_CODING;

/** Characters per part: one message alone, or one of several (the 6-octet header takes the room of 7 septets or 3 UCS-2 characters). */
const CAPACITY = { GSM: { single: 160, part: 153 }, UCS2: { single: 70, part: 67 } } as const;

export interface SmsPart {
  /** The user data header (concatenation) or null for a message in one part. */
  udh: Buffer | null;
  /** The encoded text of this part, without the header. */
  payload: Buffer;
}

export interface EncodedSms {
  encoding: SmsEncoding;
  dataCoding: number;
  parts: SmsPart[];
}

/** Whether every character of the text has a form in the GSM default alphabet (or its extension). */
export function fitsGsm7(text: string): boolean {
  for (const character of text) if (!BASIC_SEPTETS.has(character) && !GSM_EXTENSION.has(character)) return false;
  return true;
}

/** The septets of one character: one, or the escape and one for the extension table. */
function gsmSeptets(character: string): number[] {
  const basic = BASIC_SEPTETS.get(character);
  if (basic !== undefined) return [basic];
  return [ESCAPE, GSM_EXTENSION.get(character)!];
}

/** The UTF-16 code units of one character (a character outside the BMP takes two, never split). */
function ucs2Units(character: string): Buffer {
  const units = Buffer.alloc(character.length * 2);
  for (let i = 0; i < character.length; i += 1) units.writeUInt16BE(character.charCodeAt(i), i * 2);
  return units;
}

/**
 * Encodes a text into as few parts as it needs. Parts break between characters, never inside an
 * escape sequence or a surrogate pair. `reference` (0-255) ties the parts together; random by default.
 */
export function encodeSms(text: string, reference: number = randomInt(256)): EncodedSms {
  const encoding: SmsEncoding = fitsGsm7(text) ? 'GSM' : 'UCS2';
  // Units: septets for GSM, UTF-16 code units for UCS-2.
  const characters = [...text].map((character) => (encoding === 'GSM' ? Buffer.from(gsmSeptets(character)) : ucs2Units(character)));
  const unitsOf = (chunk: Buffer) => (encoding === 'GSM' ? chunk.length : chunk.length / 2);
  const total = characters.reduce((sum, chunk) => sum + unitsOf(chunk), 0);
  const capacity = CAPACITY[encoding];
  if (total <= capacity.single) {
    return { encoding, dataCoding: DATA_CODING[encoding], parts: [{ udh: null, payload: Buffer.concat(characters) }] };
  }
  const payloads: Buffer[] = [];
  let current: Buffer[] = [];
  let used = 0;
  for (const chunk of characters) {
    if (used + unitsOf(chunk) > capacity.part) {
      payloads.push(Buffer.concat(current));
      current = [];
      used = 0;
    }
    current.push(chunk);
    used += unitsOf(chunk);
  }
  if (current.length > 0) payloads.push(Buffer.concat(current));
  if (payloads.length > 255) throw new RangeError(`A text of ${total} characters needs ${payloads.length} parts; an SMS has at most 255`);
  const ref = reference & 0xff;
  return {
    encoding,
    dataCoding: DATA_CODING[encoding],
    parts: payloads.map((payload, index) => ({ udh: Buffer.from([0x05, 0x00, 0x03, ref, payloads.length, index + 1]), payload })),
  };
}

/** The text of an encoded payload (the header removed). */
export function decodeSmsPayload(dataCoding: number, payload: Buffer): string {
  if ((dataCoding & 0x0f) === DATA_CODING.UCS2) {
    let text = '';
    for (let i = 0; i + 1 < payload.length; i += 2) text += String.fromCharCode(payload.readUInt16BE(i));
    return text;
  }
  let text = '';
  for (let i = 0; i < payload.length; i += 1) {
    const septet = payload[i] & 0x7f;
    if (septet === ESCAPE && i + 1 < payload.length) {
      i += 1;
      text += EXTENSION_BY_SEPTET.get(payload[i] & 0x7f) ?? ' ';
    } else {
      text += GSM_BASIC[septet];
    }
  }
  return text;
}

/** The concatenation header of a short message carrying one (UDHI set), or null. */
export function readConcatenation(udh: Buffer): { reference: number; total: number; sequence: number } | null {
  let offset = 1;
  while (offset + 1 < udh.length) {
    const [iei, length] = [udh[offset], udh[offset + 1]];
    if (iei === 0x00 && length === 3) return { reference: udh[offset + 2], total: udh[offset + 3], sequence: udh[offset + 4] };
    if (iei === 0x08 && length === 4) return { reference: udh.readUInt16BE(offset + 2), total: udh[offset + 4], sequence: udh[offset + 5] };
    offset += 2 + length;
  }
  return null;
}

export const GSM_ALPHABET_SIZE = GSM_BASIC.length;
