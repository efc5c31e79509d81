import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, IsUUID, Length, Matches, MaxLength } from 'class-validator';
import { PageOf, PageQuery } from '../../common/pagination/page.js';
import { OFFER_STATUSES, type OfferStatus } from '../domain/unsolicited-offer.js';

export class RecordOfferRequest {
  @ApiProperty({ example: 'Société Exemple SARL' }) @IsString() @Length(1, 300)
  offeredBy: string;

  @ApiProperty({ example: 'Twenty satellite phones for the duration of the floods' }) @IsString() @Length(1, 4000)
  description: string;

  @ApiPropertyOptional({ example: 'SECURE_TELECOM' }) @IsOptional() @Matches(/^[A-Z][A-Z0-9_]{1,39}$/)
  category?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200)
  contactName?: string;

  @ApiPropertyOptional() @IsOptional() @IsEmail({}, { message: 'contactEmail must be an email address' }) @MaxLength(254)
  contactEmail?: string;

  @ApiPropertyOptional({ example: '+33612345678' })
  @IsOptional() @Matches(/^\+[1-9][0-9]{6,14}$/, { message: 'contactPhone must be an E.164 number such as +33612345678' })
  contactPhone?: string;
}

export class AcceptOfferRequest {
  @ApiProperty({ format: 'uuid', description: 'The member registered through the normal path' }) @IsUUID()
  memberId: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The asset that member declared for this offer' }) @IsOptional() @IsUUID()
  assetId?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1000)
  reason?: string;
}

export class RejectOfferRequest {
  @ApiProperty({ example: 'Outside the charter: a paid service' }) @IsString() @Length(1, 1000)
  reason: string;
}

export class OffersFilter extends PageQuery {
  @ApiPropertyOptional({ enum: OFFER_STATUSES }) @IsOptional() @IsIn(OFFER_STATUSES)
  status?: OfferStatus;
}

export class OfferResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() offeredBy: string;
  @ApiProperty() description: string;
  @ApiProperty({ nullable: true }) category: string | null;
  @ApiProperty({ nullable: true }) contactName: string | null;
  @ApiProperty({ nullable: true }) contactEmail: string | null;
  @ApiProperty({ nullable: true }) contactPhone: string | null;
  @ApiProperty({ enum: OFFER_STATUSES }) status: OfferStatus;
  @ApiProperty({ type: [String] }) allowedActions: string[];
  @ApiProperty({ format: 'uuid' }) recordedBy: string;
  @ApiProperty({ nullable: true }) triagedBy: string | null;
  @ApiProperty({ nullable: true }) triagedAt: string | null;
  @ApiProperty({ nullable: true }) triageReason: string | null;
  @ApiProperty({ nullable: true }) memberId: string | null;
  @ApiProperty({ nullable: true }) assetId: string | null;
  @ApiProperty() createdAt: string;
}

export class OfferPage extends PageOf(OfferResponse) {}
