/** Password hashing (argon2id, OWASP parameters) and the password policy (MLPS level 3). */
import { hash, verify, Algorithm } from '@node-rs/argon2';
import { commonPasswordReason } from './common-passwords.js';

const options = { algorithm: Algorithm.Argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(plain: string): Promise<string> {
  return hash(plain, options);
}

export async function verifyPassword(stored: string, plain: string): Promise<boolean> {
  try {
    return await verify(stored, plain);
  } catch {
    return false;
  }
}

/** A hash to verify against when the user does not exist, so timing does not reveal valid usernames. */
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
  return (dummy ??= hashPassword('linli-dummy-password-for-timing'));
}

/**
 * ≥ 8 characters, at least three of: upper case, lower case, digit, symbol, and not a common password
 * (common-passwords.ts). Returns a message or null.
 */
export function passwordPolicyViolation(plain: string, username?: string): string | null {
  if (plain.length < 8) return '密码至少 8 位';
  if (plain.length > 128) return '密码不能超过 128 位';
  const classes = [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(plain)).length;
  if (classes < 3) return '密码须包含大写字母、小写字母、数字、符号中的至少三类';
  if (username && plain.toLowerCase().includes(username.toLowerCase())) return '密码不能包含用户名';
  return commonPasswordReason(plain, username);
}
