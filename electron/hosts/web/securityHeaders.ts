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
 * The renderer's CSP. `style-src 'unsafe-inline'` is there because React components set inline
 * `style` attributes (progress bar widths); scripts stay strictly 'self'.
 */
export function contentSecurityPolicy(connectSrc: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    `connect-src 'self' ${connectSrc}`,
    "img-src 'self' data: blob:",
    "style-src 'self' 'unsafe-inline'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
