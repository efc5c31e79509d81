import { ApiProperty } from '@nestjs/swagger';

export class SignInProvidersResponse {
  @ApiProperty({ example: true, description: 'Sign-in through the OpenID provider (ProConnect) is configured: `GET /auth/oidc/login` leads there' })
  oidc: boolean;
}
