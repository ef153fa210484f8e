import { ApiClient } from '../api/client';
import { endpoints } from '../api/endpoints';
import { SESSION_KEY, SessionStore } from '../session/store';
import { apiBaseUrl } from './config';

/** The app's single API client and session store (module singletons: one per tab). */
export const sessionStore = new SessionStore(window.localStorage);
export const apiClient = new ApiClient(apiBaseUrl(), sessionStore);
export const api = endpoints(apiClient);

// Another tab logged in, refreshed or logged out: follow it.
window.addEventListener('storage', (event) => {
  if (event.key === SESSION_KEY || event.key === null) sessionStore.externalChange();
});
