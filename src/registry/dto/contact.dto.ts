import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsIn, IsInt, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { CONTACT_ROLES, type ContactRole } from '../domain/contact.js';

export class ContactRequest {
  @ApiProperty({ example: 'Julien Lefèvre' }) @IsString() @Length(1, 200)
  name: string;

  @ApiProperty({ enum: CONTACT_ROLES }) @IsIn(CONTACT_ROLES)
  role: ContactRole;

  @ApiProperty({ example: '+33612345678', description: 'E.164' })
  @IsString() @Matches(/^\+[1-9][0-9]{6,14}$/, { message: 'phone must be an E.164 number such as +33612345678' })
  phone: string;

  @ApiProperty({ example: 'astreinte@example.fr' }) @IsEmail({}, { message: 'email must be an email address' }) @MaxLength(254)
  email: string;

  @ApiProperty({ minimum: 1, description: 'Order in which contacts are called; unique per member or directorate' })
  @IsInt() @Min(1) @Max(100)
  escalationOrder: number;

  @ApiProperty() @IsBoolean()
  available24x7: boolean;
}

export class UpdateContactRequest extends PartialType(ContactRequest) {}

export class ContactResponse extends ContactRequest {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true }) memberId: string | null;
  @ApiPropertyOptional({ nullable: true }) directorateCode: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}
