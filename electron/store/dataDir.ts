import { isAbsolute, join } from 'node:path';

/**
 * The default data folder of the CLI and web hosts (the Electron host uses app.getPath('userData')), read
 * from the environment the host was given: `$XDG_DATA_HOME/ferry`, else `$HOME/.local/share/ferry` on
 * Linux and other Unix; `$HOME/Library/Application Support/Ferry` on macOS; `%APPDATA%\Ferry` on Windows.
 * Null when the environment names no such folder (then the host keeps no history unless given --data-dir).
 */
export function defaultDataDir(env: Readonly<Record<string, string | undefined>>, platform: NodeJS.Platform = process.platform): string | null {
  const home = env.HOME && isAbsolute(env.HOME) ? env.HOME : null;
  if (platform === 'win32') return env.APPDATA && isAbsolute(env.APPDATA) ? join(env.APPDATA, 'Ferry') : null;
  if (platform === 'darwin') return home ? join(home, 'Library', 'Application Support', 'Ferry') : null;
  // XDG Base Directory: a relative $XDG_DATA_HOME is invalid and is ignored.
  const xdg = env.XDG_DATA_HOME && isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : null;
  if (xdg) return join(xdg, 'ferry');
  return home ? join(home, '.local', 'share', 'ferry') : null;
}
