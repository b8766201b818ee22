/** Test factory for the second factor: enrols a user through the API and computes codes as an authenticator app would. */
import { Secret, TOTP } from 'otpauth';
import type { TestContext } from './helpers.js';

/** The 6-digit code of `secret` at now + `stepsAhead` × 30 s. */
export function totpCode(secret: string, stepsAhead = 0): string {
  return new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' })
    .generate({ timestamp: Date.now() + stepsAhead * 30_000 });
}

/** Enrols and confirms TOTP for the holder of `token`; the secret and the recovery codes shown once. */
export async function enrolTotp(t: TestContext, token: string): Promise<{ secret: string; recoveryCodes: string[] }> {
  const enrol = await t.call(token, 'POST', '/api/v1/auth/totp/enroll');
  if (enrol.statusCode !== 200) throw new Error(`enrol failed: ${enrol.statusCode} ${enrol.body}`);
  const { secret } = enrol.json() as { secret: string };
  const confirm = await t.call(token, 'POST', '/api/v1/auth/totp/confirm', { code: totpCode(secret) });
  if (confirm.statusCode !== 200) throw new Error(`confirm failed: ${confirm.statusCode} ${confirm.body}`);
  return { secret, recoveryCodes: (confirm.json() as { recoveryCodes: string[] }).recoveryCodes };
}
