import { FAILING_AFTER } from '../persistence/contact-methods.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, Matches } from 'class-validator';
import { CONTACT_METHODS, type ContactMethodKind } from '../domain/contact-method.js';
import { DELIVERY_PURPOSES, DELIVERY_STATUSES } from '../delivery/channel-outbox.js';

export class ContactMethodRequest {
  @ApiProperty({ enum: CONTACT_METHODS, description: "The contact's email (email) or phone (sms)", example: 'sms' })
  @IsIn(CONTACT_METHODS, { message: `method must be one of ${CONTACT_METHODS.join(', ')}` })
  method: ContactMethodKind;
}

export class ConfirmContactMethodRequest extends ContactMethodRequest {
  @ApiProperty({ description: 'The 6-digit code the contact received', example: '482913', pattern: '^[0-9]{6}$' })
  @Matches(/^[0-9]{6}$/, { message: 'code must be the 6 digits received' })
  code: string;
}

export class DeliveryResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: DELIVERY_STATUSES, description: 'queued → sent (the server took it) → delivered (SMS receipt), or failed' }) status: string;
  @ApiProperty({ format: 'date-time' }) queuedAt: string;
}

export class LastDeliveryResponse extends DeliveryResponse {
  @ApiProperty({ enum: DELIVERY_PURPOSES }) purpose: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) sentAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'SMS only: when the SMS centre reported it delivered' }) deliveredAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) failedAt: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why the last attempt or the message failed' }) error: string | null;
}

export class ContactMethodResponse {
  @ApiProperty({ description: 'Where this method goes: the email, or the phone number', example: '+33612345678' }) address: string;
  @ApiProperty({ description: 'Proven to reach the contact at this address (a code sent there was confirmed)' }) verified: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) verifiedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'While a code is pending: when it expires' }) codeExpiresAt: string | null;
  @ApiProperty({ type: LastDeliveryResponse, nullable: true, description: 'The last message sent through this method' }) lastDelivery: LastDeliveryResponse | null;
  @ApiProperty({ type: 'integer', description: 'Messages failed for good through this method since the last one that left', example: 0 }) consecutiveFailures: number;
  @ApiProperty({ description: `The method keeps failing (${FAILING_AFTER} messages or more failed in a row): fix the address or the phone`, example: false }) failing: boolean;
}

export class ContactMethodsResponse {
  @ApiProperty({ type: ContactMethodResponse }) email: ContactMethodResponse;
  @ApiProperty({ type: ContactMethodResponse }) sms: ContactMethodResponse;
}

export class VerificationRequestedResponse {
  @ApiProperty({ format: 'uuid' }) contactId: string;
  @ApiProperty({ enum: CONTACT_METHODS }) method: string;
  @ApiProperty({ description: 'Where the code went' }) address: string;
  @ApiProperty({ format: 'date-time', description: 'The code is accepted until then (15 minutes)' }) codeExpiresAt: string;
  @ApiProperty({ type: DeliveryResponse, description: 'The message carrying the code' }) delivery: DeliveryResponse;
}

export class MethodVerifiedResponse {
  @ApiProperty({ format: 'uuid' }) contactId: string;
  @ApiProperty({ enum: CONTACT_METHODS }) method: string;
  @ApiProperty() address: string;
  @ApiProperty({ enum: [true] }) verified: boolean;
  @ApiProperty({ format: 'date-time' }) verifiedAt: string;
}

export class TestAlertResponse {
  @ApiProperty({ format: 'uuid' }) contactId: string;
  @ApiProperty({ enum: CONTACT_METHODS }) method: string;
  @ApiProperty() address: string;
  @ApiPropertyOptional({ type: DeliveryResponse }) delivery: DeliveryResponse;
}
