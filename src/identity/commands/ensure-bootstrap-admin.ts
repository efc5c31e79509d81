import { Inject, Logger } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../../../config/app-config.js';
import { AuditLog } from '../../audit/audit-log.js';
import { SYSTEM_ACTOR } from '../../common/auth/role.js';
import { Clock } from '../../common/time/clock.js';
import { User } from '../domain/user.js';
import { PasswordHasher } from '../password-hasher.js';
import { UserSchema } from '../persistence/user.schema.js';

/** Fixed key of the lock that lets one starting process create the first ADMIN. */
const BOOTSTRAP_LOCK = 7_310_742_003;

/** Creates the ADMIN named in the configuration when no ADMIN exists yet. */
export class EnsureBootstrapAdminCommand extends Command<{ created: boolean }> {}

@CommandHandler(EnsureBootstrapAdminCommand)
export class EnsureBootstrapAdminHandler implements ICommandHandler<EnsureBootstrapAdminCommand> {
  private readonly logger = new Logger(EnsureBootstrapAdminHandler.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLog,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async execute(): Promise<{ created: boolean }> {
    return this.db.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [BOOTSTRAP_LOCK]);
      const users = manager.getRepository(UserSchema);
      if (await users.existsBy({ role: 'ADMIN' })) return { created: false };
      const { email, password } = this.config.bootstrapAdmin;
      if (await users.existsBy({ email })) {
        this.logger.error(`EnsureBootstrapAdminHandler: ${email} exists without the ADMIN role; no ADMIN created`);
        return { created: false };
      }
      const admin = User.register({
        id: randomUUID(),
        email,
        passwordHash: await this.hasher.hash(password),
        role: 'ADMIN',
        now: this.clock.now(),
      });
      await users.insert(admin);
      await this.audit.append(manager, SYSTEM_ACTOR, [
        { aggregateType: 'User', aggregateId: admin.id, type: 'UserCreated', payload: { ...admin.toView(), bootstrap: true } },
      ]);
      this.logger.log(`EnsureBootstrapAdminHandler: created the initial ADMIN ${email}`);
      return { created: true };
    });
  }
}
