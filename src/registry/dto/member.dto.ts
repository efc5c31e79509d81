import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Length, MaxLength, Min, ValidateIf } from 'class-validator';
import { PageOf, PageQuery } from '../../common/pagination/page.js';
import { MEMBER_STATUSES, type MemberAction, type MemberStatus } from '../domain/member.js';
import { IsCalendarDate, IsSiren, IsWebhookUrl } from './validators.js';

export class RegisterMemberRequest {
  @ApiProperty({ example: 'Vigilis Drones SAS' })
  @IsString() @Length(1, 300)
  legalName: string;

  @ApiProperty({ example: '732829320', description: '9 digits, Luhn-valid' })
  @IsSiren()
  siren: string;

  @ApiProperty({ example: '2017-03-21', description: 'Date the charter was signed; not in the future' })
  @IsCalendarDate()
  charterSignedAt: string;

  @ApiProperty({ example: 'Claire Martin, présidente' })
  @IsString() @Length(1, 300)
  charterSignatory: string;

  @ApiPropertyOptional({ example: 'https://alerts.example.fr/renfort', description: 'https, or http on the loopback address' })
  @IsOptional() @IsWebhookUrl()
  webhookUrl?: string;
}

export class UpdateMemberRequest {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 300)
  legalName?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 300)
  charterSignatory?: string;

  @ApiPropertyOptional({ nullable: true, description: 'null removes the webhook (the member then polls)' })
  @IsOptional() @ValidateIf((_, value) => value !== null) @IsWebhookUrl()
  webhookUrl?: string | null;

  @ApiPropertyOptional({ description: 'The version read; a stale one is refused with 409' })
  @IsOptional() @IsInt() @Min(1)
  version?: number;
}

export class MemberTransitionRequest {
  @ApiPropertyOptional({ maxLength: 1000 }) @IsOptional() @IsString() @MaxLength(1000)
  reason?: string;
}

export class MembersFilter extends PageQuery {
  @ApiPropertyOptional({ enum: MEMBER_STATUSES }) @IsOptional() @IsIn(MEMBER_STATUSES)
  status?: MemberStatus;
}

export class MemberResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() legalName: string;
  @ApiProperty() siren: string;
  @ApiProperty() charterSignedAt: string;
  @ApiProperty() charterSignatory: string;
  @ApiProperty({ nullable: true }) webhookUrl: string | null;
  @ApiProperty({ enum: MEMBER_STATUSES }) status: MemberStatus;
  @ApiProperty({ nullable: true }) statusReason: string | null;
  @ApiProperty({ type: [String], example: ['suspend', 'withdraw'] }) allowedActions: MemberAction[];
  @ApiProperty() version: number;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
  @ApiPropertyOptional({ description: 'Webhook signing secret: shown once, when created or rotated' })
  webhookSecret?: string;
}

export class MemberPage extends PageOf(MemberResponse) {}
