import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsIn, IsInt, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { EXAMPLE_ID } from '../../common/http/openapi-examples.js';
import { CONTACT_ROLES, type ContactRole } from '../domain/contact.js';
import { ContactMethodsResponse } from '../../channels/dto/contact-method.dto.js';

export class ContactRequest {
  @ApiProperty({ maxLength: 200, example: 'Julien Lefèvre' }) @IsString() @Length(1, 200)
  name: string;

  @ApiProperty({ enum: CONTACT_ROLES, example: 'DUTY_OFFICER' }) @IsIn(CONTACT_ROLES)
  role: ContactRole;

  @ApiProperty({ example: '+33612345678', description: 'E.164' })
  @IsString() @Matches(/^\+[1-9][0-9]{6,14}$/, { message: 'phone must be an E.164 number such as +33612345678' })
  phone: string;

  @ApiProperty({ format: 'email', maxLength: 254, example: 'astreinte@azur-drones.example.fr' }) @IsEmail({}, { message: 'email must be an email address' }) @MaxLength(254)
  email: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 100, description: 'Order in which contacts are called; unique per member or directorate', example: 1 })
  @IsInt() @Min(1) @Max(100)
  escalationOrder: number;

  @ApiProperty({ description: 'Reachable day and night', example: true }) @IsBoolean()
  available24x7: boolean;
}

export class UpdateContactRequest extends PartialType(ContactRequest) {}

export class ContactResponse extends ContactRequest {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.contact }) id: string;
  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'The member it belongs to, or null', example: EXAMPLE_ID.member }) memberId: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'The directorate it belongs to, or null' }) directorateCode: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ type: ContactMethodsResponse, description: 'Its email and phone as ways to reach it: verified or not, and the last message sent through each' })
  methods: ContactMethodsResponse;
}
