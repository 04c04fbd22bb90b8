import type { WireError } from '../../../shared/ipc/wireError';

/**
 * Characters a terminal acts on instead of printing: C0 controls (ESC starts CSI/OSC sequences that can
 * retitle the window, move the cursor, hide text; CR and LF can forge whole lines), DEL, C1 controls
 * (U+009B is a one-character CSI), and the Unicode bidi controls that reorder what is shown
 * (`Invoice\u202Efdp.exe` reads as `Invoiceexe.pdf`).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const TERMINAL_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Makes a string safe to print on a terminal: every control character becomes visible text (`\x1b`,
 * `\u202e`), everything else is left as is. For human-readable output only; JSON lines escape by
 * themselves (JSON.stringify), and there `\u2028`/bidi characters are data for the reading program.
 */
export function terminalSafe(text: string): string {
  return text.replace(TERMINAL_UNSAFE, (char) => {
    const code = char.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Where the CLI writes: process.stdout/stderr in real use, string sinks in tests. */
export interface TextSink {
  write(text: string): unknown;
}

/**
 * Prints for people or, with `--json`, one JSON object per line on stdout. Errors always go to stderr
 * as a sentence; in JSON mode they also go to stdout as `{"event":"error",...}`. Everything meant for
 * people passes through `terminalSafe`: file names, JIDs and reasons come from peers.
 */
export class Output {
  constructor(
    private readonly stdout: TextSink,
    private readonly stderr: TextSink,
    readonly isJson: boolean,
  ) {}

  /** One result: the object in JSON mode, the lines otherwise. */
  result(object: Record<string, unknown>, lines: () => string[]): void {
    if (this.isJson) this.stdout.write(`${JSON.stringify(object)}\n`);
    else this.stdout.write(`${lines().map(terminalSafe).join('\n')}\n`);
  }

  /** A progress note: stderr for people, nothing in JSON mode. */
  note(text: string): void {
    if (!this.isJson) this.stderr.write(`${terminalSafe(text)}\n`);
  }

  /** A failure with its exit code. */
  error(error: WireError, exitCode: number): void {
    this.stderr.write(`ferry: ${terminalSafe(error.message)}\n`);
    if (this.isJson) this.stdout.write(`${JSON.stringify({ event: 'error', code: error.code, message: error.message, exitCode })}\n`);
  }
}
