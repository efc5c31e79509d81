import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Length, MaxLength, Min, ValidateIf } from 'class-validator';
import { EXAMPLE_ID } from '../../common/http/openapi-examples.js';
import { PageOf, PageQuery } from '../../common/pagination/page.js';
import { MEMBER_STATUSES, type MemberAction, type MemberStatus } from '../domain/member.js';
import { IsCalendarDate, IsSiren, IsWebhookUrl } from './validators.js';

export class RegisterMemberRequest {
  @ApiProperty({ maxLength: 300, example: 'Azur Drones Intervention SAS' })
  @IsString() @Length(1, 300)
  legalName: string;

  @ApiProperty({ example: '912345675', pattern: '^[0-9]{9}$', description: 'SIREN: 9 digits, the last a Luhn check digit' })
  @IsSiren()
  siren: string;

  @ApiProperty({ format: 'date', example: '2025-06-12', description: 'Date the charter was signed; not in the future' })
  @IsCalendarDate()
  charterSignedAt: string;

  @ApiProperty({ maxLength: 300, example: 'Claire Martin, présidente' })
  @IsString() @Length(1, 300)
  charterSignatory: string;

  @ApiPropertyOptional({
    format: 'uri',
    example: 'https://alertes.azur-drones.example.fr/renfort',
    description:
      'Where mobilization requests are POSTed, signed. Every address it resolves to must be public (or its host named in WEBHOOK_ALLOWED_HOSTS), ' +
      'else 400 WEBHOOK.URL_NOT_ALLOWED; https in production (outside production, http to the loopback is accepted). Without it, the member polls',
  })
  @IsOptional() @IsWebhookUrl()
  webhookUrl?: string;
}

export class UpdateMemberRequest {
  @ApiPropertyOptional({ maxLength: 300, example: 'Azur Drones Intervention SAS' }) @IsOptional() @IsString() @Length(1, 300)
  legalName?: string;

  @ApiPropertyOptional({ maxLength: 300, example: 'Karim Benali, directeur général' }) @IsOptional() @IsString() @Length(1, 300)
  charterSignatory?: string;

  @ApiPropertyOptional({ type: String, format: 'uri',
    nullable: true,
    description: 'null removes the webhook (the member then polls); the same address rules as at registration',
    example: 'https://alertes.azur-drones.example.fr/renfort/v2',
  })
  @IsOptional() @ValidateIf((_, value) => value !== null) @IsWebhookUrl()
  webhookUrl?: string | null;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'The version read; a stale one is refused with 409', example: 2 })
  @IsOptional() @IsInt() @Min(1)
  version?: number;
}

export class MemberTransitionRequest {
  @ApiPropertyOptional({ maxLength: 1000, description: 'Recorded with the status', example: 'Attestation d\'assurance expirée le 30 septembre' })
  @IsOptional() @IsString() @MaxLength(1000)
  reason?: string;
}

export class MembersFilter extends PageQuery {
  @ApiPropertyOptional({ enum: MEMBER_STATUSES, description: 'Only members in this status' }) @IsOptional() @IsIn(MEMBER_STATUSES)
  status?: MemberStatus;
}

export class MemberResponse {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.member }) id: string;
  @ApiProperty({ example: 'Azur Drones Intervention SAS' }) legalName: string;
  @ApiProperty({ example: '912345675' }) siren: string;
  @ApiProperty({ format: 'date', example: '2025-06-12' }) charterSignedAt: string;
  @ApiProperty({ example: 'Claire Martin, présidente' }) charterSignatory: string;
  @ApiProperty({ type: String, format: 'uri', nullable: true, example: 'https://alertes.azur-drones.example.fr/renfort' }) webhookUrl: string | null;
  @ApiProperty({ enum: MEMBER_STATUSES, example: 'ACTIVE' }) status: MemberStatus;
  @ApiProperty({ type: String, nullable: true, description: 'Reason given for the last status change' }) statusReason: string | null;
  @ApiProperty({ type: [String], description: 'What the ADMIN may do next', example: ['suspend', 'withdraw'] }) allowedActions: MemberAction[];
  @ApiProperty({ type: 'integer', description: 'Send it back when editing', example: 2 }) version: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiPropertyOptional({
    description: 'Webhook signing secret, shown once, when created or rotated: a Standard Webhooks secret (`whsec_` and 32 bytes in base64), to give as it is to a standard library',
    example: 'whsec_Ic039Y8DP3Vgt2LEFxbVG8zvaMZub2Y966ZJ5piHnC8=',
  })
  webhookSecret?: string;
}

export class MemberPage extends PageOf(MemberResponse) {}
