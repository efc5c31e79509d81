import { ConflictError, DomainError } from './domain-error.js';

describe('DomainError', () => {
  it('is made without a stack trace, and leaves the capture of other errors as it was', () => {
    const before = Error.stackTraceLimit;
    const refusal = new ConflictError('REQUEST.STOOD_DOWN', 'Request stood down');
    expect(refusal).toBeInstanceOf(DomainError);
    expect(refusal.name).toBe('ConflictError');
    expect(refusal.stack).toBe('ConflictError: Request stood down');
    expect(Error.stackTraceLimit).toBe(before);
    expect(new Error('fault').stack).toMatch(/\n\s+at /);
  });
});
