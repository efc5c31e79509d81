import { reportsSecondFactor, sessionMethods } from './second-factor-methods.js';

describe('Methods a provider reports', () => {
  it.each([[['pwd', 'mfa']], [['pwd', 'otp']], [['pwd', 'totp']], [['hwk']], [['pwd', 'sms']], [['fpt']], [['face']]])('count %j as a second factor', (amr) => {
    expect(reportsSecondFactor(amr)).toBe(true);
  });

  it.each([[[]], [['pwd']], [['mail']], [['pwd', 'kba']]])('do not count %j as a second factor', (amr) => {
    expect(reportsSecondFactor(amr)).toBe(false);
  });

  it('make the session federated, each method once', () => {
    expect(sessionMethods(['pwd', 'otp', 'pwd'])).toEqual(['fed', 'pwd', 'otp']);
    expect(sessionMethods(['fed'])).toEqual(['fed']);
  });
});
