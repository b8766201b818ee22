/**
 * The second factor: TOTP (RFC 6238: HMAC-SHA1, 6 digits, 30-second steps — what every authenticator app reads
 * from an otpauth:// QR code) and one-time recovery codes. Which users must have one is derived from their
 * permissions (`requiresSecondFactor`), never from role names.
 *
 * Secrets are stored encrypted with AES-256-GCM under a key kept outside the database: LINLI_TOTP_KEY, or the
 * file LINLI_TOTP_KEY_FILE (created with a random key, mode 0600, on first use). A copy of the database alone
 * therefore does not let anyone compute a user's codes.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, randomInt } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import type { Config } from '../../config.js';

/** Holding any of these makes an account privileged: second factor required, shorter sessions. */
export const PRIVILEGED_PERMISSIONS = ['people:unmask', 'user:write'] as const;

export function isPrivileged(permissions: ReadonlySet<string> | readonly string[]): boolean {
  const has = (p: string) => ('has' in permissions ? permissions.has(p) : permissions.includes(p));
  return PRIVILEGED_PERMISSIONS.some(has);
}

const ISSUER = '邻里';
const PERIOD = 30;

const keys = new Map<string, Buffer>();
function parseKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) throw new Error('LINLI_TOTP_KEY must be 32 bytes, hex or base64');
  return key;
}

function encryptionKey(config: Config): Buffer {
  if (config.totpKey) return parseKey(config.totpKey);
  const cached = keys.get(config.totpKeyFile);
  if (cached) return cached;
  let text: string;
  try {
    text = readFileSync(config.totpKeyFile, 'utf8');
  } catch {
    mkdirSync(dirname(config.totpKeyFile), { recursive: true, mode: 0o700 });
    try {
      // 'wx': of several processes starting at once, one writes the key and the others read it
      writeFileSync(config.totpKeyFile, randomBytes(32).toString('hex') + '\n', { flag: 'wx', mode: 0o600 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    text = readFileSync(config.totpKeyFile, 'utf8');
  }
  const key = parseKey(text);
  keys.set(config.totpKeyFile, key);
  return key;
}

export function encryptSecret(config: Config, base32: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', encryptionKey(config), iv);
  const data = Buffer.concat([cipher.update(base32, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), data.toString('base64')].join('.');
}

export function decryptSecret(config: Config, stored: string): string {
  const [version, iv, tag, data] = stored.split('.');
  if (version !== 'v1' || !iv || !tag || !data) throw new Error('unknown TOTP secret format');
  const decipher = createDecipheriv('aes-256-gcm', encryptionKey(config), Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8');
}

function totpOf(base32: string, label: string): TOTP {
  return new TOTP({ issuer: ISSUER, label, algorithm: 'SHA1', digits: 6, period: PERIOD, secret: Secret.fromBase32(base32) });
}

/** A new secret (160 bits) with what an authenticator app needs: the otpauth URI, and a QR code of it as an SVG data URL. */
export async function newTotpSecret(username: string): Promise<{ secret: string; otpauthUri: string; qrCode: string }> {
  const secret = new Secret({ size: 20 }).base32;
  const otpauthUri = totpOf(secret, username).toString();
  const svg = await QRCode.toString(otpauthUri, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
  return { secret, otpauthUri, qrCode: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` };
}

/**
 * The time step a 6-digit `code` is valid for (the current step or one either side, for clock drift), or null.
 * The caller accepts a step only once (user_totp.last_step), so a code seen over a shoulder cannot be replayed.
 */
export function totpStep(base32: string, code: string, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totpOf(base32, 'x').validate({ token: code, timestamp: now, window: 1 });
  return delta === null ? null : Math.floor(now / 1000 / PERIOD) + delta;
}

// No 0/O, 1/I/L: recovery codes are read off paper.
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** Ten recovery codes like `k7mq-x2hp-4rtn` (≈ 59 bits each), shown once. */
export function newRecoveryCodes(count = 10): string[] {
  return Array.from({ length: count }, () => {
    const chars = Array.from({ length: 12 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]!).join('');
    return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
  });
}

/** How a recovery code is stored: SHA-256 of its normalised form (random codes need no slow hash). */
export function recoveryCodeHash(code: string): string {
  return createHash('sha256').update(code.toLowerCase().replace(/[^a-z0-9]/g, '')).digest('hex');
}

export function looksLikeRecoveryCode(code: string): boolean {
  return /^[a-z0-9]{4}-?[a-z0-9]{4}-?[a-z0-9]{4}$/i.test(code.trim());
}
