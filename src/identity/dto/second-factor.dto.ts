import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { TokenResponse } from './user.dto.js';

export class TotpEnrolmentResponse {
  @ApiProperty({ description: 'The TOTP secret in base32, to type into an authenticator app by hand; shown once', example: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' })
  secret: string;

  @ApiProperty({
    description: 'The same secret as an otpauth:// URI (issuer Renfort, the email as label), to show as a QR code',
    example: 'otpauth://totp/Renfort:ministre%40interieur.example.fr?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Renfort',
  })
  otpauthUri: string;
}

export class ConfirmTotpRequest {
  @ApiProperty({ pattern: '^\\d{6}$', example: '492039', description: 'The current 6-digit code of the authenticator app' })
  @IsString() @Matches(/^\d{6}$/, { message: 'code must be the 6 digits the authenticator app shows' })
  code: string;
}

export class StepUpRequest {
  @ApiProperty({ minLength: 6, maxLength: 32, example: '492039', description: 'The current 6-digit code of the authenticator app, or one of the recovery codes' })
  @IsString() @MinLength(6) @MaxLength(32)
  otp: string;
}

export class SecondFactorCheckedResponse {
  @ApiProperty({
    type: TokenResponse,
    nullable: true,
    description: 'The new bearer token, which replaces the one sent; null when the caller came with the browser session, whose cookie is set again instead',
  })
  token: TokenResponse | null;

  @ApiProperty({ type: [String], description: 'How the user signed in (RFC 8176), otp included', example: ['pwd', 'otp'] })
  amr: string[];

  @ApiProperty({ format: 'date-time', description: 'When the second factor was checked: now', example: '2026-11-24T03:12:00.000Z' })
  mfaAt: string;
}

export class ConfirmedTotpResponse extends SecondFactorCheckedResponse {
  @ApiProperty({
    type: [String],
    description: 'Ten recovery codes, shown this once (only their hashes are kept): each signs in once in place of a code, for a lost device',
    example: ['k7mqz-2hx9p', 'w3tnc-8fdr4', 'p9vbe-5jyqa', 'h2sgu-7kmwn', 'z4rct-3nhpe', 'a8qyf-6wjdu', 'm5ekp-9trzb', 'x3gwv-2ncsh', 'd7pjr-4yqma', 'u6hzn-8bkfe'],
  })
  recoveryCodes: string[];
}
