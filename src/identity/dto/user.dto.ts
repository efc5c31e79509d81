import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { type Role, ROLES } from '../../common/auth/role.js';
import { PageOf, PageQuery } from '../../common/pagination/page.js';

export class CreateUserRequest {
  @ApiProperty({ example: 'duty.officer@example.fr' })
  @IsEmail({}, { message: 'email must be an email address' }) @MaxLength(254)
  email: string;

  @ApiProperty({ minLength: 12, maxLength: 128, example: 'a long passphrase of words' })
  @IsString() @MinLength(12) @MaxLength(128)
  password: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;

  @ApiPropertyOptional({ format: 'uuid', description: 'Required for, and only for, a MEMBER user' })
  @IsOptional() @IsUUID()
  memberId?: string;

  @ApiPropertyOptional({ example: 'DGSCGC', description: 'Required for, and only for, a DIRECTORATE user' })
  @IsOptional() @IsString() @Matches(/^[A-Z][A-Z0-9_]{1,15}$/, { message: 'directorateCode must be an upper-case code such as DGPN' })
  directorateCode?: string;
}

export class UsersFilter extends PageQuery {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional() @IsIn(ROLES)
  role?: Role;
}

export class UserResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ format: 'uuid', nullable: true }) memberId: string | null;
  @ApiProperty({ nullable: true }) directorateCode: string | null;
  @ApiProperty() createdAt: string;
}

export class UserPage extends PageOf(UserResponse) {}

export class LoginRequest {
  @ApiProperty({ example: 'admin@renfort.local' })
  @IsEmail({}, { message: 'email must be an email address' }) @MaxLength(254)
  email: string;

  @ApiProperty()
  @IsString() @MinLength(1) @MaxLength(128)
  password: string;
}

export class TokenResponse {
  @ApiProperty() accessToken: string;
  @ApiProperty({ example: 'Bearer' }) tokenType: 'Bearer';
  @ApiProperty({ description: 'Lifetime of the token in seconds' }) expiresIn: number;
}
