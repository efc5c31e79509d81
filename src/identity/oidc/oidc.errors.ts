import { DomainError, type ErrorKind, NotFoundError } from '../../common/errors/domain-error.js';

export class OidcNotConfiguredError extends NotFoundError {
  constructor() {
    super('OIDC.NOT_CONFIGURED', 'Sign-in through an OpenID Connect provider is not configured on this service');
  }
}

/**
 * Why a sign-in through the provider is refused. Each reason has a stable code (`OIDC.UNKNOWN_IDENTITY`),
 * the kind of failure (hence its status) and what the person reading the refusal page is told, in French.
 */
export const OIDC_REFUSALS = {
  BROWSER_MISMATCH: {
    kind: 'INVALID',
    title: 'Connexion interrompue',
    explanation: 'Cette connexion n’a pas été commencée dans ce navigateur, ou ses cookies ont été effacés. Recommencez la connexion depuis la page d’accueil.',
  },
  UNKNOWN_STATE: {
    kind: 'INVALID',
    title: 'Connexion inconnue',
    explanation: 'Cette réponse du fournisseur d’identité ne correspond à aucune connexion en cours. Recommencez la connexion depuis la page d’accueil.',
  },
  STATE_USED: {
    kind: 'INVALID',
    title: 'Connexion déjà utilisée',
    explanation: 'Cette réponse du fournisseur d’identité a déjà servi : une connexion ne s’utilise qu’une fois. Recommencez la connexion depuis la page d’accueil.',
  },
  STATE_EXPIRED: {
    kind: 'INVALID',
    title: 'Connexion expirée',
    explanation: 'La connexion a pris trop de temps et a expiré. Recommencez la connexion depuis la page d’accueil.',
  },
  PROVIDER_ERROR: {
    kind: 'INVALID',
    title: 'Connexion refusée par le fournisseur d’identité',
    explanation: 'Le fournisseur d’identité n’a pas confirmé votre identité (connexion annulée ou réponse invalide). Recommencez la connexion depuis la page d’accueil.',
  },
  PROVIDER_UNAVAILABLE: {
    kind: 'SERVICE_UNAVAILABLE',
    title: 'Fournisseur d’identité indisponible',
    explanation: 'Le fournisseur d’identité ne répond pas pour le moment. Réessayez dans quelques minutes, ou connectez-vous avec votre mot de passe.',
  },
  NO_EMAIL: {
    kind: 'FORBIDDEN',
    title: 'Adresse électronique manquante',
    explanation: 'Le fournisseur d’identité n’a pas transmis d’adresse électronique vérifiée : votre compte Renfort ne peut pas être retrouvé.',
  },
  UNKNOWN_IDENTITY: {
    kind: 'FORBIDDEN',
    title: 'Aucun compte Renfort pour cette identité',
    explanation:
      'Votre identité est confirmée, mais aucun compte Renfort ne porte cette adresse électronique. Un administrateur de Renfort doit créer votre compte avec la même adresse.',
  },
  ACCOUNT_DISABLED: {
    kind: 'FORBIDDEN',
    title: 'Compte désactivé',
    explanation: 'Votre compte Renfort est désactivé, ou l’organisation pour laquelle il agit s’est retirée. Adressez-vous à un administrateur de Renfort.',
  },
  SECOND_FACTOR_REQUIRED: {
    kind: 'FORBIDDEN',
    title: 'Double authentification exigée',
    explanation:
      'Votre compte exige une double authentification, et le fournisseur d’identité n’en a pas signalé. Connectez-vous avec un second facteur auprès du fournisseur, ou avec votre mot de passe et votre code.',
  },
} as const satisfies Record<string, { kind: ErrorKind; title: string; explanation: string }>;

export type OidcRefusalReason = keyof typeof OIDC_REFUSALS;

export class OidcSignInRefusedError extends DomainError {
  constructor(
    readonly reason: OidcRefusalReason,
    detail?: string,
  ) {
    super(OIDC_REFUSALS[reason].kind, `OIDC.${reason}`, detail ? `${OIDC_REFUSALS[reason].title}: ${detail}` : OIDC_REFUSALS[reason].title);
  }

  get title(): string {
    return OIDC_REFUSALS[this.reason].title;
  }

  get explanation(): string {
    return OIDC_REFUSALS[this.reason].explanation;
  }
}
