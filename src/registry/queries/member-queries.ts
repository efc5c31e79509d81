import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Actor } from '../../common/auth/role.js';
import { offsetOf, type Page } from '../../common/pagination/page.js';
import { assertMayRead, memberScope } from '../access.js';
import type { ContactView } from '../domain/contact.js';
import type { MemberView } from '../domain/member.js';
import { DirectorateNotFoundError, MemberNotFoundError } from '../domain/registry.errors.js';
import type { MembersFilter } from '../dto/member.dto.js';
import { ContactSchema, MemberSchema } from '../persistence/registry.schemas.js';
import type { ContactOwner } from '../commands/contact-commands.js';
import { withMethods } from '../../channels/persistence/contact-methods.js';
import { Clock } from '../../common/time/clock.js';

export class ListMembersQuery extends Query<Page<MemberView>> {
  constructor(
    readonly actor: Actor,
    readonly filter: MembersFilter,
  ) {
    super();
  }
}

@QueryHandler(ListMembersQuery)
export class ListMembersHandler implements IQueryHandler<ListMembersQuery> {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute({ actor, filter }: ListMembersQuery): Promise<Page<MemberView>> {
    const own = memberScope(actor);
    const [members, total] = await this.db.getRepository(MemberSchema).findAndCount({
      where: { ...(own ? { id: own } : {}), ...(filter.status ? { status: filter.status } : {}) },
      order: { legalName: 'ASC', id: 'ASC' },
      skip: offsetOf(filter),
      take: filter.pageSize,
    });
    return { items: members.map((member) => member.toView()), total, page: filter.page, pageSize: filter.pageSize };
  }
}

export class GetMemberQuery extends Query<MemberView> {
  constructor(
    readonly actor: Actor,
    readonly memberId: string,
  ) {
    super();
  }
}

@QueryHandler(GetMemberQuery)
export class GetMemberHandler implements IQueryHandler<GetMemberQuery> {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute({ actor, memberId }: GetMemberQuery): Promise<MemberView> {
    assertMayRead(actor, memberId);
    const member = await this.db.getRepository(MemberSchema).findOneBy({ id: memberId });
    if (!member) throw new MemberNotFoundError(memberId);
    return member.toView();
  }
}

export class ListContactsQuery extends Query<ContactView[]> {
  constructor(
    readonly actor: Actor,
    readonly owner: ContactOwner,
  ) {
    super();
  }
}

/** Contacts in escalation order, each with its methods (email, sms) and whether they are verified. */
@QueryHandler(ListContactsQuery)
export class ListContactsHandler implements IQueryHandler<ListContactsQuery> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  async execute({ actor, owner }: ListContactsQuery): Promise<ContactView[]> {
    if ('memberId' in owner) {
      assertMayRead(actor, owner.memberId);
      if (!(await this.db.getRepository(MemberSchema).existsBy({ id: owner.memberId }))) throw new MemberNotFoundError(owner.memberId);
    } else {
      const [row] = await this.db.query(`SELECT 1 FROM directorate WHERE code = $1`, [owner.directorateCode]);
      if (!row) throw new DirectorateNotFoundError(owner.directorateCode);
    }
    const contacts = await this.db.getRepository(ContactSchema).find({ where: owner, order: { escalationOrder: 'ASC' } });
    return withMethods(this.db, contacts.map((contact) => contact.toView()), this.clock.now());
  }
}
