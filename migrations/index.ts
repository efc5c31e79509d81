import { Foundation1795300000000 } from './1795300000000-foundation.js';
import { Registry1795300100000 } from './1795300100000-registry.js';
import { Conventions1795300200000 } from './1795300200000-conventions.js';
import { Crisis1795300300000 } from './1795300300000-crisis.js';
import { AfterAction1795300400000 } from './1795300400000-after-action.js';
import { SealInDatabase1795300500000 } from './1795300500000-seal-in-database.js';
import { RequirementsMet1795300600000 } from './1795300600000-requirements-met.js';
import { SealInBatches1795300700000 } from './1795300700000-seal-in-batches.js';
import { SummarizedDeliveryErrors1795300800000 } from './1795300800000-summarized-delivery-errors.js';
import { CapacityLedger1795300900000 } from './1795300900000-capacity-ledger.js';
import { EscalationChain1795301000000 } from './1795301000000-escalation-chain.js';
import { ReplayText1795301100000 } from './1795301100000-replay-text.js';
import { AccountSessions1795301200000 } from './1795301200000-account-sessions.js';
import { SecondFactor1795301300000 } from './1795301300000-second-factor.js';
import { OidcSignIn1795301400000 } from './1795301400000-oidc-sign-in.js';
import { WebhookSecretGrace1795301500000 } from './1795301500000-webhook-secret-grace.js';
import { AuditCheckpoints1795301600000 } from './1795301600000-audit-checkpoints.js';
import { ContactChannels1795301700000 } from './1795301700000-contact-channels.js';
import { ContactAlerts1795301800000 } from './1795301800000-contact-alerts.js';
import { AnnounceSealedEvents1795301880000 } from './1795301880000-announce-sealed-events.js';
import { WebhookDeliveryAttempts1795301919000 } from './1795301919000-webhook-delivery-attempts.js';
import { UndeliveredRequestsIndex1795302000000 } from './1795302000000-undelivered-requests-index.js';

/** Every migration, in order. A new migration file is added here by hand, after review. */
export const MIGRATIONS = [
  Foundation1795300000000,
  Registry1795300100000,
  Conventions1795300200000,
  Crisis1795300300000,
  AfterAction1795300400000,
  SealInDatabase1795300500000,
  RequirementsMet1795300600000,
  SealInBatches1795300700000,
  SummarizedDeliveryErrors1795300800000,
  CapacityLedger1795300900000,
  EscalationChain1795301000000,
  ReplayText1795301100000,
  AccountSessions1795301200000,
  SecondFactor1795301300000,
  OidcSignIn1795301400000,
  WebhookSecretGrace1795301500000,
  AuditCheckpoints1795301600000,
  ContactChannels1795301700000,
  ContactAlerts1795301800000,
  AnnounceSealedEvents1795301880000,
  WebhookDeliveryAttempts1795301919000,
  UndeliveredRequestsIndex1795302000000,
];
