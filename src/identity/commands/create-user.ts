import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AuditLog } from '../../audit/audit-log.js';
import { type ActorRef } from '../../common/auth/role.js';
import type { Role } from '../../common/auth/role.js';
import { InvalidInputError } from '../../common/errors/domain-error.js';
import { Clock } from '../../common/time/clock.js';
import { assertStrongPassword } from '../domain/password-policy.js';
import { User, type UserView } from '../domain/user.js';
import { EmailAlreadyRegisteredError } from '../domain/user.errors.js';
import { PasswordHasher } from '../password-hasher.js';
import { UserSchema } from '../persistence/user.schema.js';

export interface CreateUserInput {
  email: string;
  password: string;
  role: Role;
  memberId?: string;
  directorateCode?: string;
}

export class CreateUserCommand extends Command<UserView> {
  constructor(
    readonly actor: ActorRef,
    readonly input: CreateUserInput,
  ) {
    super();
  }
}

@CommandHandler(CreateUserCommand)
export class CreateUserHandler implements ICommandHandler<CreateUserCommand> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLog,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
  ) {}

  async execute({ actor, input }: CreateUserCommand): Promise<UserView> {
    assertStrongPassword(input.password, input.email);
    const user = User.register({
      ...input,
      id: randomUUID(),
      passwordHash: await this.hasher.hash(input.password),
      now: this.clock.now(),
    });
    return this.db.transaction(async (manager) => {
      const users = manager.getRepository(UserSchema);
      if (await users.existsBy({ email: user.email })) throw new EmailAlreadyRegisteredError(user.email);
      if (user.memberId && (await manager.query(`SELECT 1 FROM member WHERE id = $1`, [user.memberId])).length === 0) {
        throw InvalidInputError.field('memberId', 'does not name a registered member');
      }
      if (user.directorateCode && (await manager.query(`SELECT 1 FROM directorate WHERE code = $1`, [user.directorateCode])).length === 0) {
        throw InvalidInputError.field('directorateCode', 'does not name a known directorate (see GET /directorates)');
      }
      try {
        await users.insert(user);
      } catch (error) {
        if ((error as { constraint?: string }).constraint === 'users_email_key') throw new EmailAlreadyRegisteredError(user.email);
        throw error;
      }
      const view = user.toView();
      await this.audit.append(manager, actor, [
        { aggregateType: 'User', aggregateId: user.id, type: 'UserCreated', payload: { ...view } },
      ]);
      return view;
    });
  }
}
