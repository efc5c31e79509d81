import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { type Role, ROLES } from '../../common/auth/role.js';
import { EXAMPLE_ID } from '../../common/http/openapi-examples.js';
import { PageOf, PageQuery } from '../../common/pagination/page.js';

export class CreateUserRequest {
  @ApiProperty({ format: 'email', maxLength: 254, example: 'astreinte@azur-drones.example.fr', description: 'Unique; the sign-in name' })
  @IsEmail({}, { message: 'email must be an email address' }) @MaxLength(254)
  email: string;

  @ApiProperty({ minLength: 12, maxLength: 128, example: 'vesubie-roya-crue-2026', description: 'At least 12 characters; stored as a scrypt hash' })
  @IsString() @MinLength(12) @MaxLength(128)
  password: string;

  @ApiProperty({ enum: ROLES, example: 'MEMBER' })
  @IsIn(ROLES)
  role: Role;

  @ApiPropertyOptional({ format: 'uuid', description: 'Required for, and only for, a MEMBER user', example: EXAMPLE_ID.member })
  @IsOptional() @IsUUID()
  memberId?: string;

  @ApiPropertyOptional({ example: 'DGSCGC', description: 'Required for, and only for, a DIRECTORATE user' })
  @IsOptional() @IsString() @Matches(/^[A-Z][A-Z0-9_]{1,15}$/, { message: 'directorateCode must be an upper-case code such as DGPN' })
  directorateCode?: string;
}

export class UsersFilter extends PageQuery {
  @ApiPropertyOptional({ enum: ROLES, description: 'Only users with this role' })
  @IsOptional() @IsIn(ROLES)
  role?: Role;
}

export class UserResponse {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.user }) id: string;
  @ApiProperty({ format: 'email', example: 'astreinte@azur-drones.example.fr' }) email: string;
  @ApiProperty({ enum: ROLES, example: 'MEMBER' }) role: Role;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The member a MEMBER user acts for', example: EXAMPLE_ID.member }) memberId: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The directorate a DIRECTORATE user acts for', example: null }) directorateCode: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class UserPage extends PageOf(UserResponse) {}

export class LoginRequest {
  @ApiProperty({ format: 'email', maxLength: 254, example: 'cellule.crise@interieur.example.fr' })
  @IsEmail({}, { message: 'email must be an email address' }) @MaxLength(254)
  email: string;

  @ApiProperty({ format: 'password', maxLength: 128, example: 'vesubie-roya-crue-2026' })
  @IsString() @MinLength(1) @MaxLength(128)
  password: string;
}

export class TokenResponse {
  @ApiProperty({ description: 'A JWT (HS256) to send as Authorization: Bearer <token>', example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI1YTdjOWUxYiIsInJvbGUiOiJDUklTSVNfT1BFUkFUT1IifQ.c2lnbmF0dXJl' })
  accessToken: string;
  @ApiProperty({ enum: ['Bearer'], example: 'Bearer' }) tokenType: 'Bearer';
  @ApiProperty({ type: 'integer', description: 'Lifetime of the token in seconds (JWT_TTL)', example: 3600 }) expiresIn: number;
}
