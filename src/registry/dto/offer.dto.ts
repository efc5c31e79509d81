import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, IsUUID, Length, Matches, MaxLength } from 'class-validator';
import { EXAMPLE_ID } from '../../common/http/openapi-examples.js';
import { PageOf, PageQuery } from '../../common/pagination/page.js';
import { OFFER_STATUSES, type OfferStatus } from '../domain/unsolicited-offer.js';

export class RecordOfferRequest {
  @ApiProperty({ maxLength: 300, example: 'Riviera Satcom SARL', description: 'Who offers: a company not (yet) a member, or a member' })
  @IsString() @Length(1, 300)
  offeredBy: string;

  @ApiProperty({ maxLength: 4000, example: 'Vingt téléphones satellitaires et deux valises VSAT, prêtés pour la durée des crues de la Roya' })
  @IsString() @Length(1, 4000)
  description: string;

  @ApiPropertyOptional({ example: 'SECURE_TELECOM', description: 'A category code, when it fits one' }) @IsOptional() @Matches(/^[A-Z][A-Z0-9_]{1,39}$/)
  category?: string;

  @ApiPropertyOptional({ maxLength: 200, example: 'Sophie Giraud' }) @IsOptional() @IsString() @Length(1, 200)
  contactName?: string;

  @ApiPropertyOptional({ format: 'email', maxLength: 254, example: 'sophie.giraud@riviera-satcom.example.fr' })
  @IsOptional() @IsEmail({}, { message: 'contactEmail must be an email address' }) @MaxLength(254)
  contactEmail?: string;

  @ApiPropertyOptional({ example: '+33493000000', description: 'E.164' })
  @IsOptional() @Matches(/^\+[1-9][0-9]{6,14}$/, { message: 'contactPhone must be an E.164 number such as +33612345678' })
  contactPhone?: string;
}

export class AcceptOfferRequest {
  @ApiProperty({ format: 'uuid', description: 'The member registered through the normal path', example: EXAMPLE_ID.otherMember }) @IsUUID()
  memberId: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The asset that member declared for this offer', example: EXAMPLE_ID.otherAsset })
  @IsOptional() @IsUUID()
  assetId?: string;

  @ApiPropertyOptional({ maxLength: 1000, example: 'Société vérifiée, charte signée le 14 novembre' }) @IsOptional() @IsString() @MaxLength(1000)
  reason?: string;
}

export class RejectOfferRequest {
  @ApiProperty({ maxLength: 1000, example: 'Hors charte : prestation facturée à la journée' }) @IsString() @Length(1, 1000)
  reason: string;
}

export class OffersFilter extends PageQuery {
  @ApiPropertyOptional({ enum: OFFER_STATUSES, description: 'Only offers in this status' }) @IsOptional() @IsIn(OFFER_STATUSES)
  status?: OfferStatus;
}

export class OfferResponse {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.offer }) id: string;
  @ApiProperty({ example: 'Riviera Satcom SARL' }) offeredBy: string;
  @ApiProperty({ example: 'Vingt téléphones satellitaires et deux valises VSAT, prêtés pour la durée des crues de la Roya' }) description: string;
  @ApiProperty({ type: String, nullable: true, example: 'SECURE_TELECOM' }) category: string | null;
  @ApiProperty({ type: String, nullable: true }) contactName: string | null;
  @ApiProperty({ type: String, nullable: true }) contactEmail: string | null;
  @ApiProperty({ type: String, nullable: true }) contactPhone: string | null;
  @ApiProperty({ enum: OFFER_STATUSES, example: 'QUARANTINED', description: 'QUARANTINED until an ADMIN triages it; never eligible' }) status: OfferStatus;
  @ApiProperty({ type: [String], example: ['accept', 'reject'] }) allowedActions: string[];
  @ApiProperty({ format: 'uuid', description: 'The user who recorded it' }) recordedBy: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) triagedBy: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) triagedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) triageReason: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Once accepted: the member registered for it' }) memberId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Once accepted: the asset declared for it' }) assetId: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class OfferPage extends PageOf(OfferResponse) {}
