import type { Page, Response } from '@playwright/test';
import { AUTHORIZATION_MATRIX, CALLERS, type Caller } from '../authorization-matrix.js';
import { type Account, adminToken, createAccount, enrolSecondFactor, type Role, signIn, signInForToken, totpCode } from './support/accounts.js';
import { expect, test } from './support/console.js';
import { apiCall, requestToMember, validSiren, vettedMemberWithUser } from './support/mobilization.js';

/**
 * Each role's pages against the reviewed authorization matrix: every call the console makes for a
 * role is one the matrix lets that role make, every state-changing control a page shows is for a
 * route the matrix allows the role, and the pages of the other roles' workspaces show none.
 */

/** The matrix's column for a user of the role, reaching for the objects of its own member or directorate. */
const COLUMN: Record<Role, Caller> = {
  ADMIN: 'ADMIN',
  MEMBER: 'MEMBER_OWN',
  DIRECTORATE: 'DIRECTORATE_PARTY',
  CRISIS_OPERATOR: 'CRISIS_OPERATOR',
  MINISTER: 'MINISTER',
  AUDITOR: 'AUDITOR',
};

interface Template {
  route: string;
  method: string;
  pattern: RegExp;
  params: number;
  outcomes: Record<Caller, string>;
}

const TEMPLATES: Template[] = Object.entries(AUTHORIZATION_MATRIX)
  .map(([route, row]) => {
    const [method, path] = route.split(' ');
    const cells = row.trim().split(/\s+/);
    const outcomes = Object.fromEntries(CALLERS.map((caller, index) => [caller, cells[index]])) as Record<Caller, string>;
    const source = path
      .split('/')
      .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/');
    return { route, method, pattern: new RegExp(`^${source}$`), params: path.split('/').filter((segment) => segment.startsWith(':')).length, outcomes };
  })
  // The most specific first: `/conventions/calendar` before `/conventions/:id`.
  .sort((a, b) => a.params - b.params);

/** The matrix's route for a call, or undefined when the matrix has none. */
function routeOf(method: string, url: string): Template | undefined {
  const path = new URL(url).pathname;
  return TEMPLATES.find((template) => template.method === method && template.pattern.test(path));
}

/**
 * The controls that change state, by their label as the console shows them, and the routes they
 * call (a label some pages share names each of them: one must be allowed to the role).
 */
const CONTROLS: [RegExp, string[]][] = [
  [/^Ouvrir (une|la) crise$/, ['POST /api/v1/crises']],
  [/^Clôturer/, ['POST /api/v1/crises/:id/close', 'POST /api/v1/activations/:id/close']],
  [/^Préparer (une|l’) ?activation$/, ['POST /api/v1/crises/:id/activations']],
  [/^(Autoriser l’activation|Vérifier et autoriser)$/, ['POST /api/v1/activations/:id/authorize']],
  [/^Annuler l’activation$/, ['POST /api/v1/activations/:id/cancel']],
  [/^Prendre en compte$/, ['POST /api/v1/mobilizations/:id/acknowledge']],
  [/^Accepter$/, ['POST /api/v1/mobilizations/:id/accept', 'POST /api/v1/offers/:id/accept']],
  [/^Décliner$/, ['POST /api/v1/mobilizations/:id/decline']],
  [/^Signaler l’arrivée sur place$/, ['POST /api/v1/mobilizations/:id/deploy']],
  [/^Signaler la libération du moyen$/, ['POST /api/v1/mobilizations/:id/release']],
  [/^(Tout attester|Attester)/, ['POST /api/v1/assets/:id/attest']],
  [/^Déclarer un moyen$/, ['POST /api/v1/assets']],
  [/^Modifier$/, ['PATCH /api/v1/assets/:id', 'PATCH /api/v1/members/:id/contacts/:contactId', 'PATCH /api/v1/conventions/:id']],
  [/^Enregistrer l’adresse$/, ['PATCH /api/v1/members/:id']],
  [/^(Renouveler le secret|Générer un nouveau secret)/, ['POST /api/v1/members/:id/webhook-secret/rotate']],
  [/^Ajouter la période$/, ['POST /api/v1/assets/:id/unavailability']],
  [/^(Ajouter le contact|Ajouter un contact d’astreinte)$/, ['POST /api/v1/members/:id/contacts']],
  [/^Envoyer un code/, ['POST /api/v1/members/:id/contacts/:contactId/verify', 'POST /api/v1/directorates/:code/contacts/:contactId/verify']],
  [/^Signer la convention$/, ['POST /api/v1/conventions/:id/sign']],
  [/^(Rejeter|Refuser)/, ['POST /api/v1/conventions/:id/reject', 'POST /api/v1/offers/:id/reject']],
  [/^Rédiger une convention$/, ['POST /api/v1/conventions']],
  [/^Enregistrer le brouillon$/, ['POST /api/v1/conventions']],
  [/^Enregistrer les modifications$/, ['PATCH /api/v1/conventions/:id']],
  [/^Proposer au membre$/, ['POST /api/v1/conventions/:id/propose']],
  [/^Contresigner$/, ['POST /api/v1/conventions/:id/countersign']],
  [/^Préparer un avenant$/, ['POST /api/v1/conventions/:id/amend']],
  [/^Renouveler$/, ['POST /api/v1/conventions/:id/renew']],
  [/^Reprendre$/, ['POST /api/v1/conventions/:id/resume']],
  [/^Résilier$/, ['POST /api/v1/conventions/:id/terminate']],
  [/^Suspendre$/, ['POST /api/v1/conventions/:id/suspend', 'POST /api/v1/members/:id/suspend']],
  [/^Enregistrer un membre$/, ['POST /api/v1/members']],
  [/^Valider$/, ['POST /api/v1/members/:id/vet']],
  [/^Réintégrer$/, ['POST /api/v1/members/:id/reinstate']],
  [/^Retirer de la charte/, ['POST /api/v1/members/:id/withdraw']],
  [/^Créer un utilisateur$/, ['POST /api/v1/users']],
  [/^Désactiver /, ['POST /api/v1/users/:id/disable']],
  [/^Réactiver /, ['POST /api/v1/users/:id/enable']],
  [/^Réinitialiser la double authentification/, ['DELETE /api/v1/users/:id/mfa']],
  [/^(Enregistrer le rôle|Changer le rôle de )/, ['PATCH /api/v1/users/:id']],
  [/^(Ajouter une catégorie|Ajouter)$/, ['POST /api/v1/categories']],
];

/**
 * The buttons that change nothing on the service: a form's own rows, tabs, a fresh read. A button
 * neither here nor in CONTROLS fails the test, so that a new action is classified when it appears.
 */
const NEUTRAL_BUTTONS = /^(Ajouter ce département|Ajouter un besoin|Retirer \d.*|Retirer le besoin|Vérifier de nouveau|Actualiser les livraisons|Tableau de bord|Exercices|Activations réelles|Annuler|Fermer|Menu|)$/;

/** What one role's visit found: the calls the console made and the controls it showed. */
class Visit {
  readonly calls: string[] = [];
  readonly refused: string[] = [];
  readonly unknown: string[] = [];
  readonly controls = new Set<string>();
  readonly forbiddenControls: string[] = [];
  readonly unclassified: string[] = [];
  private recording = false;

  constructor(
    private readonly page: Page,
    private readonly role: Role,
  ) {
    page.on('response', (response) => this.record(response));
  }

  start(): void {
    this.recording = true;
  }

  private record(response: Response): void {
    const url = response.url();
    if (!this.recording || !new URL(url).pathname.startsWith('/api/v1/')) return;
    const method = response.request().method();
    const template = routeOf(method, url);
    const call = `${method} ${new URL(url).pathname}`;
    if (!template) {
      this.unknown.push(call);
      return;
    }
    this.calls.push(template.route);
    const outcome = template.outcomes[COLUMN[this.role]];
    if (outcome !== 'ok' || [401, 403, 404].includes(response.status())) this.refused.push(`${call} (${template.route}: matrix ${outcome}, answered ${response.status()})`);
  }

  /** The page's visible buttons and links that change state, each checked against the matrix. */
  async controlsOn(where: string): Promise<string[]> {
    // In the page (the test's own code knows no DOM): each visible button or link of the main content.
    const controls = (await this.page.evaluate(`Array.from(document.querySelectorAll('main button, main a, main input[type=submit]'))
      .filter((element) => element.offsetParent !== null)
      .map((element) => ({
        tag: element.tagName === 'INPUT' ? 'BUTTON' : element.tagName,
        name: (element.getAttribute('aria-label') ?? element.getAttribute('title') ?? element.textContent ?? '').replace(/\\s+/g, ' ').trim(),
      }))`)) as { tag: string; name: string }[];
    const found: string[] = [];
    for (const { tag, name } of controls) {
      const control = CONTROLS.find(([label]) => label.test(name));
      if (!control) {
        if (tag === 'BUTTON' && !NEUTRAL_BUTTONS.test(name)) this.unclassified.push(`« ${name} » on ${where}`);
        continue;
      }
      found.push(name);
      this.controls.add(name);
      const allowed = control[1].some((route) => routeOutcome(route, this.role) === 'ok');
      if (!allowed) this.forbiddenControls.push(`« ${name} » on ${where} (${control[1].join(' | ')})`);
    }
    return found;
  }
}

function routeOutcome(route: string, role: Role): string {
  const row = TEMPLATES.find((template) => template.route === route);
  if (!row) throw new Error(`${route} is not in the authorization matrix`);
  return row.outcomes[COLUMN[role]];
}

interface World {
  memberUser: Account;
  directorate: Account;
  crisisId: string;
  activationId: string;
  requestId: string;
  conventionId: string;
}

let world: Promise<World> | undefined;

/**
 * A member with an asset under a convention with the DGSCGC, a crisis with an activation
 * authorized by a minister, the member's request acknowledged and accepted: made once per worker.
 */
function theWorld(): Promise<World> {
  world ??= (async () => {
    const member = await vettedMemberWithUser(`Alpes Secours ${validSiren()}`);
    const { requestId } = await requestToMember(member, { name: 'Groupe électrogène', quantity: 2 });
    const memberToken = await signInForToken(member.user.email, member.user.password);
    await apiCall(memberToken, 'POST', `/mobilizations/${requestId}/acknowledge`, {});
    await apiCall(memberToken, 'POST', `/mobilizations/${requestId}/accept`, { quantity: 1 });
    const { activationId } = await apiCall<{ activationId: string }>(memberToken, 'GET', `/mobilizations/${requestId}`);
    const { crisisId } = await apiCall<{ crisisId: string }>(await adminToken(), 'GET', `/activations/${activationId}`);
    const email = `dgscgc.${validSiren()}@interieur.test`;
    const password = 'un mot de passe assez long';
    const created = await apiCall<{ id: string }>(await adminToken(), 'POST', '/users', { email, password, role: 'DIRECTORATE', directorateCode: 'DGSCGC' });
    const directorate: Account = { id: created.id, email, password, role: 'DIRECTORATE' };
    const conventions = await apiCall<{ items: { id: string; memberId: string }[] }>(memberToken, 'GET', `/conventions?memberId=${member.memberId}`);
    const conventionId = conventions.items.find((convention) => convention.memberId === member.memberId)?.id;
    if (!conventionId) throw new Error('The member has no convention');
    return { memberUser: member.user, directorate, crisisId, activationId, requestId, conventionId };
  })();
  return world;
}

/** The pages of each role's workspace, its navigation's and the detail pages reached from them. */
function ownPages(role: Role, w: World): string[] {
  const crisisPages = ['/crises', `/crises/${w.crisisId}`, `/activations/${w.activationId}`, `/activations/${w.activationId}/bilan`];
  switch (role) {
    case 'CRISIS_OPERATOR':
      return [...crisisPages, '/crises/ouvrir', `/crises/${w.crisisId}/activations/preparer`];
    case 'MINISTER':
      return crisisPages;
    case 'MEMBER':
      return ['/demandes', `/demandes/${w.requestId}`, '/mes-moyens', '/mes-conventions', '/notre-bilan'];
    case 'DIRECTORATE':
      return ['/conventions', `/conventions/${w.conventionId}`, '/conventions/echeancier', '/conventions/bilan', '/conventions/rediger'];
    case 'AUDITOR':
      return [...crisisPages, '/controle/activations', `/controle/activations/${w.activationId}/chronologie`, '/controle/bilans', '/controle/journal'];
    case 'ADMIN':
      return [...crisisPages, '/administration/membres', '/administration/utilisateurs', '/administration/categories', '/administration/offres'];
  }
}

/** One page of every workspace, with the roles its route guard lets in (web/src/router.tsx). */
function workspacePages(w: World): [string, Role[]][] {
  const readers: Role[] = ['CRISIS_OPERATOR', 'MINISTER', 'AUDITOR', 'ADMIN'];
  return [
    ['/crises', readers],
    [`/activations/${w.activationId}`, readers],
    ['/crises/ouvrir', ['CRISIS_OPERATOR']],
    [`/crises/${w.crisisId}/activations/preparer`, ['CRISIS_OPERATOR']],
    ['/demandes', ['MEMBER']],
    [`/demandes/${w.requestId}`, ['MEMBER']],
    ['/mes-moyens', ['MEMBER']],
    ['/conventions', ['DIRECTORATE']],
    ['/conventions/rediger', ['DIRECTORATE']],
    ['/controle/journal', ['AUDITOR']],
    ['/administration/membres', ['ADMIN']],
    ['/administration/utilisateurs', ['ADMIN']],
  ];
}


async function accountFor(role: Role, w: World): Promise<{ account: Account; secret?: string }> {
  if (role === 'MEMBER') return { account: w.memberUser };
  if (role === 'DIRECTORATE') return { account: w.directorate };
  const account = await createAccount(role);
  // A MINISTER enrols its second factor first; the previous step's code leaves the current one for the sign-in.
  if (role === 'MINISTER') return { account, secret: await enrolSecondFactor(account, -1) };
  return { account };
}

const ROLES: Role[] = ['CRISIS_OPERATOR', 'MINISTER', 'MEMBER', 'DIRECTORATE', 'AUDITOR', 'ADMIN'];

for (const role of ROLES) {
  test(`the pages of the ${role} role ask and offer only what the matrix allows it`, async ({ console: { page, check } }) => {
    const w = await theWorld();
    const { account, secret } = await accountFor(role, w);
    const visit = new Visit(page, role);
    await signIn(page, account, secret);
    visit.start();

    for (const path of ownPages(role, w)) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await expect(page.getByRole('heading', { level: 1, name: 'Accès non autorisé' })).toHaveCount(0);
      await check(`${role} ${path}`);
      await visit.controlsOn(path);
    }

    for (const [path, roles] of workspacePages(w)) {
      if (roles.includes(role)) continue;
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1, name: 'Accès non autorisé' })).toBeVisible();
      expect(await visit.controlsOn(path), `state-changing controls a ${role} sees on ${path}`).toEqual([]);
    }

    expect(visit.unknown, 'calls the matrix does not know').toEqual([]);
    expect(visit.refused, `calls the matrix refuses a ${role}`).toEqual([]);
    expect(visit.unclassified, 'buttons neither classified as state-changing nor as neutral').toEqual([]);
    expect(visit.forbiddenControls, `controls for routes the matrix refuses a ${role}`).toEqual([]);
    // What the visit went through, for the record of the run.
    test.info().annotations.push({ type: 'calls', description: [...new Set(visit.calls)].sort().join(', ') }, { type: 'controls', description: [...visit.controls].sort().join(', ') });
  });
}
