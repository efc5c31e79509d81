import { BadRequestException, ServiceUnavailableException } from '@nestjs/common';
import { ConflictError, InvalidInputError, NotFoundError } from './domain-error.js';
import { toErrorResponse } from './error-response.js';

describe('toErrorResponse', () => {
  it('maps domain errors by kind, keeping their code and message', () => {
    expect(toErrorResponse(new ConflictError('MEMBER.ILLEGAL_TRANSITION', 'Member is WITHDRAWN'))).toEqual({
      statusCode: 409,
      error: 'Conflict',
      code: 'MEMBER.ILLEGAL_TRANSITION',
      message: 'Member is WITHDRAWN',
    });
    expect(toErrorResponse(new NotFoundError('ASSET.NOT_FOUND', 'No asset')).statusCode).toBe(404);
  });

  it('carries the fields of a validation error as details', () => {
    const response = toErrorResponse(InvalidInputError.field('siren', 'must be 9 digits'));
    expect(response).toMatchObject({ statusCode: 400, details: [{ field: 'siren', problems: ['must be 9 digits'] }] });
  });

  it('maps framework HTTP exceptions, keeping structured details', () => {
    expect(toErrorResponse(new BadRequestException('Body is not valid JSON'))).toMatchObject({ statusCode: 400, message: 'Body is not valid JSON' });
    const health = toErrorResponse(new ServiceUnavailableException({ status: 'error', error: { redis: { status: 'down' } } }));
    expect(health).toMatchObject({ statusCode: 503, details: { status: 'error', error: { redis: { status: 'down' } } } });
  });

  it('turns unique violations and serialization failures into 409, not 500', () => {
    expect(toErrorResponse(Object.assign(new Error('duplicate key'), { code: '23505' })).statusCode).toBe(409);
    expect(toErrorResponse(Object.assign(new Error('could not serialize'), { code: '40001' })).statusCode).toBe(409);
  });

  it('hides anything unexpected behind a 500 without internals', () => {
    const response = toErrorResponse(new Error('relation "users" does not exist at character 15'));
    expect(response).toEqual({ statusCode: 500, error: 'Internal Server Error', code: 'INTERNAL', message: expect.not.stringMatching(/relation/) });
  });
});
