/**
 * Headers every web host response carries. The page URL holds the access token, so no referrer may
 * ever leave it; the page may not be framed; the CSP allows only our own scripts and our own socket.
 */
export function securityHeaders(port: number): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(`ws://127.0.0.1:${port}`),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

/**
 * The renderer's CSP: only our own scripts, styles and socket. It matches the meta CSP in
 * renderer/index.html (which carries no 'unsafe-inline' either), so both policies agree.
 */
export function contentSecurityPolicy(connectSrc: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    `connect-src 'self' ${connectSrc}`,
    "img-src 'self' data: blob:",
    "style-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
