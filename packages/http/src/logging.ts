import { pino, type Logger, type DestinationStream } from 'pino';

/** Never log these, wherever they appear. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-service-token"]',
  'headers.authorization',
  'headers["x-service-token"]',
  '*.password',
  '*.new_password',
  '*.current_password',
  '*.totp_code',
  '*.recovery_code',
  '*.refresh_token',
  '*.access_token',
  '*.secret',
  '*.token',
];

const SECRET_QUERY = /([?&](?:access_token|token|refresh_token)=)[^&]*/gi;

export function redactUrl(url: string): string {
  return url.replace(SECRET_QUERY, '$1[redacted]');
}

export function createLogger(options: { name: string; level: string; destination?: DestinationStream }): Logger {
  return pino(
    {
      name: options.name,
      level: options.level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: {
        req(req: { method: string; url: string; id?: string; ip?: string }) {
          return { method: req.method, url: redactUrl(req.url), id: req.id, remoteAddress: req.ip };
        },
      },
    },
    options.destination,
  );
}
