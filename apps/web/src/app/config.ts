declare global {
  interface Window {
    PUPERO_CONFIG?: { apiUrl?: string };
  }
}

/** The gateway's base URL, from /config.js (written by the web server), else the default port. */
export function apiBaseUrl(): string {
  const configured = typeof window !== 'undefined' ? window.PUPERO_CONFIG?.apiUrl : undefined;
  return (configured || 'http://localhost:8000').replace(/\/+$/, '');
}
