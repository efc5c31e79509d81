import { sirenProblem } from '../src/registry/domain/siren.js';

/**
 * The demo's registry: clearly fictional companies ("Démo ..."), people, phone numbers from
 * the range ARCEP sets aside for fiction (06 39 98 xx xx) and addresses under the reserved
 * `.invalid` domain. Everything derives from the member's index through a fixed pseudo-random
 * sequence, so every run plans the same data set and seeding can find what it already made.
 */

export const DEMO_EMAIL_DOMAIN = 'demo.renfort.invalid';
/** Fictional accounts of a demo data set; a trial installation only. */
export const DEMO_PASSWORD = 'renfort-demo-password';

export const CATEGORIES = ['DRONE', 'SECURE_TELECOM', 'URBAN_SECURITY', 'SOFTWARE', 'CYBER_EXPERT', 'OTHER_EXPERTISE'] as const;
export type Category = (typeof CATEGORIES)[number];

export const DIRECTORATES = ['DGSCGC', 'DGGN', 'DGPN', 'DNUM', 'DGSI'] as const;
export type DirectorateCode = (typeof DIRECTORATES)[number];

/** What each directorate contracts for: the crisis types of its conventions. */
export const DIRECTORATE_CRISIS_TYPES: Record<DirectorateCode, string[]> = {
  DGSCGC: ['NATURAL_DISASTER', 'INDUSTRIAL_ACCIDENT', 'HEALTH'],
  DGGN: ['NATURAL_DISASTER', 'PUBLIC_ORDER', 'TERRORIST_ATTACK'],
  DGPN: ['TERRORIST_ATTACK', 'PUBLIC_ORDER', 'NATURAL_DISASTER'],
  DNUM: ['CYBER_ATTACK', 'NATURAL_DISASTER', 'INDUSTRIAL_ACCIDENT'],
  DGSI: ['CYBER_ATTACK', 'TERRORIST_ATTACK'],
};

/**
 * The committed times of the demo's conventions: one minute, the shortest the API takes, so
 * that an exercise's whole cycle (a missed acknowledgement escalated to the second contact
 * included) fits in two minutes. Real conventions commit to tens of minutes and hours.
 */
export const DEMO_ACK_WITHIN_MINUTES = 1;
export const DEMO_DEPLOY_WITHIN_MINUTES = 1;

const ACTIVITIES: Record<Category, string[]> = {
  DRONE: ['Drones', 'Aéro-Vigie', 'Vol Tactique'],
  SECURE_TELECOM: ['Télécom Sécurisées', 'Réseaux Résilients', 'Radio Crise'],
  URBAN_SECURITY: ['Vidéoprotection', 'Sûreté Urbaine', 'Périmètres'],
  SOFTWARE: ['Logiciels de Crise', 'Cartographie Opérationnelle', 'Plateformes'],
  CYBER_EXPERT: ['Cyberdéfense', 'Réponse à Incident', 'Cyber Vigilance'],
  OTHER_EXPERTISE: ['Ingénierie de Crise', 'Hydrologie Conseil', "Logistique d'Urgence"],
};

const PLACES = [
  'Azur', 'Estérel', 'Mercantour', 'Riviera', 'Maures', 'Verdon', 'Sainte-Baume', 'Lérins', 'Paillon', 'Argens',
  'Provence', 'Calanques', 'Camargue', 'Ventoux', 'Luberon', 'Durance', 'Cévennes', 'Garonne', 'Vercors', 'Léman',
  'Seine', 'Loire', 'Armor', 'Vosges', 'Morvan', 'Aubrac', 'Causses', 'Chartreuse', 'Belledonne', 'Queyras',
  'Ubaye', 'Vésubie', 'Roya', 'Tinée', 'Siagne', 'Gapeau', 'Huveaune', 'Caramy', 'Issole', 'Loup',
];
const LEGAL_FORMS = ['SAS', 'SA', 'SARL', 'SASU'];
const FIRST_NAMES = ['Camille', 'Julien', 'Sophie', 'Nicolas', 'Claire', 'Thomas', 'Élodie', 'Mathieu', 'Inès', 'Hugo', 'Léa', 'Karim', 'Manon', 'Yann', 'Chloé', 'Samir'];
const LAST_NAMES = ['Durand', 'Lefèvre', 'Martin', 'Bernard', 'Giraud', 'Roux', 'Fabre', 'Moreau', 'Garnier', 'Chevalier', 'Mercier', 'Blanc', 'Guérin', 'Faure', 'Rolland', 'Benali'];

/** Home départements by region; the first two regions hold the exercise's area (06, 83). */
const REGIONS: string[][] = [
  ['06', '83', '04', '13'],
  ['83', '06', '84', '05'],
  ['13', '84', '30', '34'],
  ['69', '38', '73', '74'],
  ['75', '92', '93', '94'],
  ['33', '31', '64', '40'],
];

const MODELS: Record<Category, { names: string[]; quantity: [number, number]; clearance?: string[] }> = {
  DRONE: { names: ['Drone quadrirotor à caméra thermique', 'Drone à voilure fixe longue endurance', "Drone filaire d'observation"], quantity: [1, 4] },
  SECURE_TELECOM: { names: ['Valise satellitaire chiffrée', 'Relais radio tactique', 'Bulle 4G autonome'], quantity: [1, 3] },
  URBAN_SECURITY: { names: ['Kit de vidéoprotection mobile', 'Barrière de périmètre déployable', "Contrôle d'accès nomade"], quantity: [2, 6] },
  SOFTWARE: { names: ['Plateforme de cartographie de crise', 'Logiciel de main courante', "Portail d'information des populations"], quantity: [1, 1] },
  CYBER_EXPERT: { names: ['Équipe de réponse à incident', 'Analyste forensique', 'Expert en durcissement des SI'], quantity: [1, 3], clearance: ['DIFFUSION RESTREINTE', 'SECRET'] },
  OTHER_EXPERTISE: { names: ['Hydrologue de crise', 'Ingénieur structures', "Logisticien d'urgence"], quantity: [1, 2] },
};

/** A small, fast pseudo-random generator (mulberry32): the same seed gives the same sequence. */
export function randomSequence(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const between = (random: () => number, low: number, high: number) => low + Math.floor(random() * (high - low + 1));
const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)];

/** A SIREN that passes the Luhn check, from a range of its own. */
export function demoSiren(index: number): string {
  const body = String(93_100_000 + index);
  for (let check = 0; check < 10; check += 1) if (sirenProblem(`${body}${check}`) === null) return `${body}${check}`;
  throw new Error(`no Luhn check digit for ${body}`);
}

function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

export interface PlannedContact {
  name: string;
  role: 'NATIONAL_CORRESPONDENT' | 'REGIONAL_CORRESPONDENT' | 'DUTY_OFFICER';
  phone: string;
  email: string;
  escalationOrder: number;
  available24x7: boolean;
}

export interface PlannedAsset {
  category: Category;
  name: string;
  quantity: number;
  leadTimeMinutes: number;
  coverage: { national: true } | { departements: string[] };
  capabilityTier: number;
  clearance?: string;
  description: string;
}

export interface PlannedMember {
  index: number;
  legalName: string;
  siren: string;
  charterSignedAt: string;
  charterSignatory: string;
  userEmail: string;
  contacts: PlannedContact[];
  assets: PlannedAsset[];
}

const CHARTER_SIGNED = Date.UTC(2017, 2, 21);

function fictionalPhone(n: number): string {
  return `+33639980${String(n % 1000).padStart(3, '0')}`;
}

function person(random: () => number): string {
  return `${pick(random, FIRST_NAMES)} ${pick(random, LAST_NAMES)}`;
}

/** Member `index` of the data set, with `assetCount` assets. */
export function plannedMember(index: number, assetCount: number): PlannedMember {
  const random = randomSequence(0x5eed0000 + index);
  const specialty = CATEGORIES[index % CATEGORIES.length];
  const round = Math.floor(index / PLACES.length);
  const place = `${PLACES[index % PLACES.length]}${round > 0 ? ` ${round + 1}` : ''}`;
  const activity = ACTIVITIES[specialty][Math.floor(index / CATEGORIES.length) % ACTIVITIES[specialty].length];
  const legalName = `Démo ${activity} ${place} ${LEGAL_FORMS[index % LEGAL_FORMS.length]}`;
  const mail = slug(`${activity} ${place}`);
  // Shifted every round of specialties, so that every specialty has members in every region.
  const region = REGIONS[(index + Math.floor(index / CATEGORIES.length)) % REGIONS.length];
  // The first members signed the charter in March 2017; the others joined over the years since.
  const signedAt = new Date(Math.min(CHARTER_SIGNED + index * 61 * 86_400_000, Date.now() - 30 * 86_400_000)).toISOString().slice(0, 10);

  const contactRoles: PlannedContact['role'][] = ['NATIONAL_CORRESPONDENT', 'DUTY_OFFICER', 'REGIONAL_CORRESPONDENT'];
  const contacts = contactRoles.slice(0, index % 5 === 4 ? 3 : 2).map((role, i) => ({
    name: person(random),
    role,
    phone: fictionalPhone(index * 3 + i),
    email: `${['correspondant', 'astreinte', 'region'][i]}.${mail}@${DEMO_EMAIL_DOMAIN}`,
    escalationOrder: i + 1,
    available24x7: i !== 2,
  }));

  const assets: PlannedAsset[] = [];
  const inSpecialty = Math.ceil(assetCount * 0.6);
  for (let j = 0; j < assetCount; j += 1) {
    const category = j < inSpecialty ? specialty : CATEGORIES[(CATEGORIES.indexOf(specialty) + 1 + j) % CATEGORIES.length];
    const model = MODELS[category];
    const national = random() < 0.18;
    const departements = region.slice(0, between(random, 1, region.length));
    assets.push({
      category,
      name: `${pick(random, model.names)} n°${j + 1}`,
      quantity: between(random, ...model.quantity),
      leadTimeMinutes: 30 * between(random, 1, 12),
      coverage: national ? { national: true } : { departements },
      capabilityTier: between(random, 1, 4),
      ...(model.clearance ? { clearance: pick(random, model.clearance) } : {}),
      description: 'Moyen fictif du jeu de données de démonstration de Renfort.',
    });
  }

  return {
    index,
    legalName,
    siren: demoSiren(index),
    charterSignedAt: signedAt,
    charterSignatory: `${person(random)}, ${pick(random, ['président', 'présidente', 'directeur général', 'directrice générale'])}`,
    userEmail: `${mail}@${DEMO_EMAIL_DOMAIN}`,
    contacts,
    assets,
  };
}

/** `members` members sharing `assets` assets as evenly as possible. */
export function plannedDataSet(members: number, assets: number): PlannedMember[] {
  return Array.from({ length: members }, (_, index) => plannedMember(index, Math.floor(assets / members) + (index < assets % members ? 1 : 0)));
}

/** The directorate a member contracts an asset with, by category (drones alternate between civil protection and gendarmerie). */
export function directorateOf(category: Category, memberIndex: number): DirectorateCode {
  switch (category) {
    case 'DRONE':
      return memberIndex % 2 === 0 ? 'DGSCGC' : 'DGGN';
    case 'SECURE_TELECOM':
      return memberIndex % 3 === 0 ? 'DGSCGC' : 'DNUM';
    case 'URBAN_SECURITY':
      return 'DGPN';
    case 'SOFTWARE':
      return 'DNUM';
    case 'CYBER_EXPERT':
      return 'DGSI';
    case 'OTHER_EXPERTISE':
      return 'DGSCGC';
  }
}

export function directorateUserEmail(code: DirectorateCode): string {
  return `${code.toLowerCase()}@${DEMO_EMAIL_DOMAIN}`;
}

export const OPERATOR_EMAIL = `operateur.cic@${DEMO_EMAIL_DOMAIN}`;
export const MINISTER_EMAIL = `cabinet.ministre@${DEMO_EMAIL_DOMAIN}`;

export function directorateContact(code: DirectorateCode): PlannedContact {
  return {
    name: `Officier de permanence ${code} (démo)`,
    role: 'DUTY_OFFICER',
    phone: fictionalPhone(900 + DIRECTORATES.indexOf(code)),
    email: `permanence.${code.toLowerCase()}@${DEMO_EMAIL_DOMAIN}`,
    escalationOrder: 1,
    available24x7: true,
  };
}
