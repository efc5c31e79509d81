import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditLog } from '../../audit/audit-log.js';
import type { ActorRef, Role } from '../../common/auth/role.js';
import { TokenRevocation } from '../../common/auth/token-revocation.js';
import { InvalidInputError } from '../../common/errors/domain-error.js';
import { Clock } from '../../common/time/clock.js';
import { assertStrongPassword } from '../domain/password-policy.js';
import type { User, UserView } from '../domain/user.js';
import { CannotDisableSelfError, LastAdminError, UserNotFoundError, WrongCurrentPasswordError } from '../domain/user.errors.js';
import { PasswordHasher } from '../password-hasher.js';
import { UserSchema } from '../persistence/user.schema.js';

export interface ReassignUserInput {
  role?: Role;
  memberId?: string | null;
  directorateCode?: string | null;
}

export class DisableUserCommand extends Command<UserView> {
  constructor(
    readonly actor: ActorRef,
    readonly userId: string,
  ) {
    super();
  }
}

export class EnableUserCommand extends Command<UserView> {
  constructor(
    readonly actor: ActorRef,
    readonly userId: string,
  ) {
    super();
  }
}

export class ReassignUserCommand extends Command<UserView> {
  constructor(
    readonly actor: ActorRef,
    readonly userId: string,
    readonly input: ReassignUserInput,
  ) {
    super();
  }
}

export class ChangeOwnPasswordCommand extends Command<void> {
  constructor(
    readonly actor: ActorRef,
    readonly currentPassword: string,
    readonly newPassword: string,
  ) {
    super();
  }
}

export class LogOutCommand extends Command<void> {
  constructor(readonly actor: ActorRef) {
    super();
  }
}

/**
 * The shared path of every change to an account: the user read and locked in one transaction,
 * changed, saved with its audit event, and its cached session state dropped once committed.
 * When the change may take away an enabled ADMIN, the enabled ADMINs are locked first, so that two
 * ADMINs disabling each other at once cannot leave none.
 */
export abstract class AccountChange {
  constructor(
    protected readonly db: DataSource,
    protected readonly audit: AuditLog,
    protected readonly revocation: TokenRevocation,
    protected readonly clock: Clock,
  ) {}

  protected async change(
    actor: ActorRef,
    userId: string,
    apply: (user: User, now: Date, manager: EntityManager) => Promise<{ type: string; payload: Record<string, unknown> }>,
  ): Promise<UserView> {
    const view = await this.db.transaction(async (manager) => {
      const enabledAdmins: { id: string }[] = await manager.query(
        `SELECT id FROM users WHERE role = 'ADMIN' AND disabled_at IS NULL ORDER BY id FOR UPDATE`,
      );
      const users = manager.getRepository(UserSchema);
      const user = await users.findOne({ where: { id: userId }, lock: { mode: 'pessimistic_write' } });
      if (!user) throw new UserNotFoundError(userId);
      const wasEnabledAdmin = user.isEnabledAdmin;
      const now = this.clock.now();
      const event = await apply(user, now, manager);
      if (wasEnabledAdmin && !user.isEnabledAdmin && enabledAdmins.length <= 1) throw new LastAdminError();
      await users.save(user);
      await this.audit.append(manager, actor, [{ aggregateType: 'User', aggregateId: user.id, ...event }]);
      return user.toView();
    });
    this.revocation.forget(userId);
    return view;
  }
}

@CommandHandler(DisableUserCommand)
export class DisableUserHandler extends AccountChange implements ICommandHandler<DisableUserCommand> {
  constructor(@InjectDataSource() db: DataSource, audit: AuditLog, revocation: TokenRevocation, clock: Clock) {
    super(db, audit, revocation, clock);
  }

  execute({ actor, userId }: DisableUserCommand): Promise<UserView> {
    if (actor.id === userId) throw new CannotDisableSelfError();
    return this.change(actor, userId, async (user, now) => {
      user.disable(now);
      return { type: 'UserDisabled', payload: { email: user.email } };
    });
  }
}

@CommandHandler(EnableUserCommand)
export class EnableUserHandler extends AccountChange implements ICommandHandler<EnableUserCommand> {
  constructor(@InjectDataSource() db: DataSource, audit: AuditLog, revocation: TokenRevocation, clock: Clock) {
    super(db, audit, revocation, clock);
  }

  execute({ actor, userId }: EnableUserCommand): Promise<UserView> {
    return this.change(actor, userId, async (user, now) => {
      user.enable(now);
      return { type: 'UserEnabled', payload: { email: user.email } };
    });
  }
}

@CommandHandler(ReassignUserCommand)
export class ReassignUserHandler extends AccountChange implements ICommandHandler<ReassignUserCommand> {
  constructor(@InjectDataSource() db: DataSource, audit: AuditLog, revocation: TokenRevocation, clock: Clock) {
    super(db, audit, revocation, clock);
  }

  execute({ actor, userId, input }: ReassignUserCommand): Promise<UserView> {
    return this.change(actor, userId, async (user, now, manager) => {
      const before = { role: user.role, memberId: user.memberId, directorateCode: user.directorateCode };
      // A new role brings its own binding: one left out is cleared, not carried over from the old role.
      const keep = input.role === undefined;
      const role = input.role ?? user.role;
      const memberId = input.memberId !== undefined ? input.memberId : keep ? user.memberId : null;
      const directorateCode = input.directorateCode !== undefined ? input.directorateCode : keep ? user.directorateCode : null;
      user.reassign(role, memberId, directorateCode, now);
      if (user.memberId && (await manager.query(`SELECT 1 FROM member WHERE id = $1`, [user.memberId])).length === 0) {
        throw InvalidInputError.field('memberId', 'does not name a registered member');
      }
      if (user.directorateCode && (await manager.query(`SELECT 1 FROM directorate WHERE code = $1`, [user.directorateCode])).length === 0) {
        throw InvalidInputError.field('directorateCode', 'does not name a known directorate (see GET /directorates)');
      }
      return { type: 'UserReassigned', payload: { before, after: { role: user.role, memberId: user.memberId, directorateCode: user.directorateCode } } };
    });
  }
}

@CommandHandler(ChangeOwnPasswordCommand)
export class ChangeOwnPasswordHandler extends AccountChange implements ICommandHandler<ChangeOwnPasswordCommand> {
  constructor(
    @InjectDataSource() db: DataSource,
    audit: AuditLog,
    revocation: TokenRevocation,
    clock: Clock,
    private readonly hasher: PasswordHasher,
  ) {
    super(db, audit, revocation, clock);
  }

  async execute({ actor, currentPassword, newPassword }: ChangeOwnPasswordCommand): Promise<void> {
    const user = await this.db.getRepository(UserSchema).findOneBy({ id: actor.id! });
    if (!user) throw new UserNotFoundError(actor.id!);
    if (!(await this.hasher.verify(currentPassword, user.passwordHash))) throw new WrongCurrentPasswordError();
    assertStrongPassword(newPassword, user.email);
    const passwordHash = await this.hasher.hash(newPassword);
    await this.change(actor, user.id, async (locked, now) => {
      locked.changePassword(passwordHash, now);
      return { type: 'UserPasswordChanged', payload: {} };
    });
  }
}

@CommandHandler(LogOutCommand)
export class LogOutHandler extends AccountChange implements ICommandHandler<LogOutCommand> {
  constructor(@InjectDataSource() db: DataSource, audit: AuditLog, revocation: TokenRevocation, clock: Clock) {
    super(db, audit, revocation, clock);
  }

  async execute({ actor }: LogOutCommand): Promise<void> {
    await this.change(actor, actor.id!, async (user, now) => {
      user.endSessions(now);
      return { type: 'UserLoggedOut', payload: {} };
    });
  }
}

export const ACCOUNT_COMMAND_HANDLERS = [DisableUserHandler, EnableUserHandler, ReassignUserHandler, ChangeOwnPasswordHandler, LogOutHandler];
