import { EndOidcSessionHandler } from './commands/end-oidc-session.js';
import { FinishOidcSignInHandler } from './commands/finish-oidc-sign-in.js';
import { StartOidcSignInHandler } from './commands/start-oidc-sign-in.js';
import { OidcIssuer } from './oidc-issuer.js';

export { OidcController } from './oidc.controller.js';

/** What sign-in through an OpenID provider adds to the identity module. */
export const OIDC_PROVIDERS = [OidcIssuer, StartOidcSignInHandler, FinishOidcSignInHandler, EndOidcSessionHandler];
