// JSON logs on stdout with winston; controllers log through children carrying `controller` and `key`.
import winston from 'winston';

export type { Logger } from 'winston';

export function createLogger(level = process.env['LOG_LEVEL'] ?? 'info', component = 'ambit'): winston.Logger {
  return winston.createLogger({
    level,
    defaultMeta: { component },
    format: winston.format.combine(
      winston.format.timestamp(),
      winston.format.errors({ stack: true }),
      winston.format.json(),
    ),
    // winston's Console is a TransportStream; the rule trips over the two copies of its type declarations.
    // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment
    transports: [new winston.transports.Console()],
  });
}
