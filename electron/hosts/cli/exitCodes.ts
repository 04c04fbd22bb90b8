import type { WireError } from '../../../shared/ipc/wireError';

/** Process exit codes of `ferry` (README: CLI). */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  cannotLogIn: 3,
  timeout: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The exit code for a failure the core reported. */
export function exitCodeFor(error: WireError): ExitCode {
  switch (error.code) {
    case 'cannot-connect':
    case 'not-authorized':
    case 'tls-required':
      return EXIT.cannotLogIn;
    case 'timeout':
      return EXIT.timeout;
    case 'bad-request':
      return EXIT.usage;
    default:
      return EXIT.failed;
  }
}
