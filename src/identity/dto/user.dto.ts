import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { type Role, ROLES } from '../../common/auth/role.js';
import { EXAMPLE_ID } from '../../common/http/openapi-examples.js';
import { PageOf, PageQuery } from '../../common/pagination/page.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../domain/password-policy.js';

const PASSWORD_RULES =
  '12 to 128 characters, not among the most common passwords (even with digits or signs around it), not containing the part of the email before @; ' +
  'stored as a scrypt hash. Refused with 400 PASSWORD.TOO_WEAK saying why.';

export class CreateUserRequest {
  @ApiProperty({ format: 'email', maxLength: 254, example: 'astreinte@azur-drones.example.fr', description: 'Unique; the sign-in name' })
  @IsEmail({}, { message: 'email must be an email address' }) @MaxLength(254)
  email: string;

  @ApiProperty({ minLength: 12, maxLength: 128, example: 'vesubie-roya-crue-2026', description: PASSWORD_RULES })
  @IsString() @MinLength(PASSWORD_MIN_LENGTH) @MaxLength(PASSWORD_MAX_LENGTH)
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

export class ReassignUserRequest {
  @ApiPropertyOptional({ enum: ROLES, example: 'DIRECTORATE', description: 'The new role; a binding left out is then cleared' })
  @IsOptional() @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'Required for, and only for, a MEMBER user', example: EXAMPLE_ID.member })
  @IsOptional() @IsUUID()
  memberId?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'DGSCGC', description: 'Required for, and only for, a DIRECTORATE user' })
  @IsOptional() @IsString() @Matches(/^[A-Z][A-Z0-9_]{1,15}$/, { message: 'directorateCode must be an upper-case code such as DGPN' })
  directorateCode?: string | null;
}

export class ChangePasswordRequest {
  @ApiProperty({ format: 'password', maxLength: 128, example: 'vesubie-roya-crue-2026' })
  @IsString() @MinLength(1) @MaxLength(PASSWORD_MAX_LENGTH)
  currentPassword: string;

  @ApiProperty({ format: 'password', minLength: 12, maxLength: 128, example: 'tempete-alex-vesubie-2027', description: PASSWORD_RULES })
  @IsString() @MinLength(PASSWORD_MIN_LENGTH) @MaxLength(PASSWORD_MAX_LENGTH)
  newPassword: string;
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
  @ApiProperty({ description: 'A disabled user cannot sign in, and its tokens are refused', example: false }) disabled: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

/** A user as the ADMIN reviews accounts (and as a user reads itself). Sign-ins by password are not recorded: no last sign-in is given. */
export class UserAccountResponse extends UserResponse {
  @ApiProperty({ description: 'A second factor (TOTP) is enrolled and confirmed', example: true }) mfaEnrolled: boolean;
}

export class UserPage extends PageOf(UserAccountResponse) {}

export class LoginRequest {
  @ApiProperty({ format: 'email', maxLength: 254, example: 'cellule.crise@interieur.example.fr' })
  @IsEmail({}, { message: 'email must be an email address' }) @MaxLength(254)
  email: string;

  @ApiProperty({ format: 'password', maxLength: 128, example: 'vesubie-roya-crue-2026' })
  @IsString() @MinLength(1) @MaxLength(128)
  password: string;

  @ApiPropertyOptional({
    example: '492039',
    description: 'Required once the user has enrolled a second factor: the 6-digit code of its authenticator app, or one of its recovery codes',
  })
  @IsOptional() @IsString() @MinLength(6) @MaxLength(32)
  otp?: string;
}

export class SessionResponse {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.user }) userId: string;
  @ApiProperty({ format: 'email', example: 'cellule.crise@interieur.example.fr' }) email: string;
  @ApiProperty({ enum: ROLES, example: 'CRISIS_OPERATOR' }) role: Role;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, example: null }) memberId: string | null;
  @ApiProperty({ type: String, nullable: true, example: null }) directorateCode: string | null;
  @ApiProperty({ type: [String], description: 'How the user signed in (RFC 8176): pwd, otp, or what the OpenID provider reported', example: ['pwd', 'otp'] })
  amr: string[];
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When a second factor was last checked for this session', example: '2026-11-24T03:12:00.000Z' })
  mfaAt: string | null;
  @ApiProperty({ description: 'The user must enrol a second factor before anything else', example: false }) enrolmentPending: boolean;
  @ApiProperty({ enum: ['bearer', 'session'], description: 'A bearer token (machines) or the browser session cookie', example: 'session' }) via: 'bearer' | 'session';
}

export class TokenResponse {
  @ApiProperty({ description: 'A JWT (HS256) to send as Authorization: Bearer <token>', example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI1YTdjOWUxYiIsInJvbGUiOiJDUklTSVNfT1BFUkFUT1IifQ.c2lnbmF0dXJl' })
  accessToken: string;
  @ApiProperty({ enum: ['Bearer'], example: 'Bearer' }) tokenType: 'Bearer';
  @ApiProperty({ type: 'integer', description: 'Lifetime of the token in seconds (JWT_TTL)', example: 3600 }) expiresIn: number;
}
