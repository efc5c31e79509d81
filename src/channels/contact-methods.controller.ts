import { applyDecorators, Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../common/auth/access.decorators.js';
import type { Actor } from '../common/auth/role.js';
import { ApiErrorResponse } from '../common/http/openapi.js';
import { UuidPipe } from '../common/http/uuid.pipe.js';
import type { ContactOwner } from '../registry/commands/contact-commands.js';
import { DirectorateCodePipe } from '../registry/directorate-code.pipe.js';
import { ConfirmContactMethodCommand } from './commands/confirm-contact-method.js';
import { RequestContactVerificationCommand } from './commands/request-contact-verification.js';
import { SendTestAlertCommand } from './commands/send-test-alert.js';
import {
  ConfirmContactMethodRequest, ContactMethodRequest, MethodVerifiedResponse, TestAlertResponse, VerificationRequestedResponse,
} from './dto/contact-method.dto.js';

const id = UuidPipe;

const NOT_CONFIGURED = {
  code: 'CHANNEL.NOT_CONFIGURED',
  message: 'The sms channel is not configured on this service (SMPP_URL, SMPP_SYSTEM_ID, SMPP_PASSWORD, SMPP_SOURCE_ADDRESS): it cannot send',
};
const DIRECTORATE_CODE = ApiParam({ name: 'code', description: 'Code of the directorate (GET /directorates)', schema: { type: 'string', pattern: '^[A-Z][A-Z0-9_]{1,15}$' }, example: 'DGSCGC' });

const VERIFY_DOCS = applyDecorators(
  HttpCode(200),
  ApiOkResponse({ type: VerificationRequestedResponse, description: 'The code is on its way; the message is queued' }),
  ApiErrorResponse(409, 'The channel of this method is not configured on this service.', NOT_CONFIGURED),
  ApiErrorResponse(429, 'A code was sent to this method less than a minute ago.', {
    code: 'CONTACT.TOO_MANY_ATTEMPTS',
    message: 'Too many attempts on the sms verification: a code was sent less than a minute ago; wait a minute before asking for another',
  }),
);
const CONFIRM_DOCS = applyDecorators(
  HttpCode(200),
  ApiOkResponse({ type: MethodVerifiedResponse, description: 'The method is verified' }),
  ApiErrorResponse(
    400,
    'The code is wrong (the attempts left are named), none is pending for the current address, or it has expired.',
    { code: 'CONTACT.CODE_INVALID', message: 'The sms verification code is wrong; 4 attempts left' },
    { code: 'CONTACT.CODE_EXPIRED', message: 'The sms verification code has expired: ask for a new code' },
  ),
  ApiErrorResponse(429, 'Five wrong codes: only a new code can verify the method.', {
    code: 'CONTACT.TOO_MANY_ATTEMPTS',
    message: 'Too many attempts on the sms verification: 5 wrong codes; ask for a new code',
  }),
);
const TEST_DOCS = applyDecorators(
  HttpCode(200),
  ApiOkResponse({ type: TestAlertResponse, description: 'The test alert is queued' }),
  ApiErrorResponse(
    409,
    'The method is not verified for the contact’s current address, or its channel is not configured.',
    { code: 'CONTACT.METHOD_NOT_VERIFIED', message: "The contact's sms is not verified: verify it before sending to it" },
    NOT_CONFIGURED,
  ),
);

/**
 * A contact's email and phone as ways to reach it: proven by a code sent through each, then
 * tested. Whoever keeps the contact does this: a member's own users or the ADMIN; the ADMIN for
 * a directorate's contacts.
 */
@ApiTags('contact methods')
@ApiBearerAuth()
@Controller()
export class ContactMethodsController {
  constructor(private readonly commands: CommandBus) {}

  @Post('members/:id/contacts/:contactId/verify')
  @Roles('ADMIN', 'MEMBER')
  @ApiOperation({ summary: "Send a verification code to a member contact's email or phone (ADMIN, or the member itself)", description: 'A 6-digit code, in French, valid 15 minutes.' })
  @VERIFY_DOCS
  verifyMemberContact(@CurrentActor() actor: Actor, @Param('id', id) memberId: string, @Param('contactId', id) contactId: string, @Body() body: ContactMethodRequest) {
    return this.request(actor, { memberId }, contactId, body);
  }

  @Post('members/:id/contacts/:contactId/verify/confirm')
  @Roles('ADMIN', 'MEMBER')
  @ApiOperation({ summary: "Confirm a member contact's method with the code it received (ADMIN, or the member itself)" })
  @CONFIRM_DOCS
  confirmMemberContact(@CurrentActor() actor: Actor, @Param('id', id) memberId: string, @Param('contactId', id) contactId: string, @Body() body: ConfirmContactMethodRequest) {
    return this.confirm(actor, { memberId }, contactId, body);
  }

  @Post('members/:id/contacts/:contactId/test')
  @Roles('ADMIN', 'MEMBER')
  @ApiOperation({ summary: 'Send a test alert through a verified method of a member contact (ADMIN, or the member itself)' })
  @TEST_DOCS
  testMemberContact(@CurrentActor() actor: Actor, @Param('id', id) memberId: string, @Param('contactId', id) contactId: string, @Body() body: ContactMethodRequest) {
    return this.test(actor, { memberId }, contactId, body);
  }

  @Post('directorates/:code/contacts/:contactId/verify')
  @Roles('ADMIN')
  @DIRECTORATE_CODE
  @ApiOperation({ summary: "Send a verification code to a directorate contact's email or phone (ADMIN)", description: 'A 6-digit code, in French, valid 15 minutes.' })
  @VERIFY_DOCS
  verifyDirectorateContact(@CurrentActor() actor: Actor, @Param('code', DirectorateCodePipe) code: string, @Param('contactId', id) contactId: string, @Body() body: ContactMethodRequest) {
    return this.request(actor, { directorateCode: code }, contactId, body);
  }

  @Post('directorates/:code/contacts/:contactId/verify/confirm')
  @Roles('ADMIN')
  @DIRECTORATE_CODE
  @ApiOperation({ summary: "Confirm a directorate contact's method with the code it received (ADMIN)" })
  @CONFIRM_DOCS
  confirmDirectorateContact(
    @CurrentActor() actor: Actor,
    @Param('code', DirectorateCodePipe) code: string,
    @Param('contactId', id) contactId: string,
    @Body() body: ConfirmContactMethodRequest,
  ) {
    return this.confirm(actor, { directorateCode: code }, contactId, body);
  }

  @Post('directorates/:code/contacts/:contactId/test')
  @Roles('ADMIN')
  @DIRECTORATE_CODE
  @ApiOperation({ summary: 'Send a test alert through a verified method of a directorate contact (ADMIN)' })
  @TEST_DOCS
  testDirectorateContact(@CurrentActor() actor: Actor, @Param('code', DirectorateCodePipe) code: string, @Param('contactId', id) contactId: string, @Body() body: ContactMethodRequest) {
    return this.test(actor, { directorateCode: code }, contactId, body);
  }

  private request(actor: Actor, owner: ContactOwner, contactId: string, body: ContactMethodRequest) {
    return this.commands.execute(new RequestContactVerificationCommand(actor, owner, contactId, body.method));
  }

  private confirm(actor: Actor, owner: ContactOwner, contactId: string, body: ConfirmContactMethodRequest) {
    return this.commands.execute(new ConfirmContactMethodCommand(actor, owner, contactId, body.method, body.code));
  }

  private test(actor: Actor, owner: ContactOwner, contactId: string, body: ContactMethodRequest) {
    return this.commands.execute(new SendTestAlertCommand(actor, owner, contactId, body.method));
  }
}
