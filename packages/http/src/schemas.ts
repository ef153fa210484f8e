import { z } from 'zod';

/**
 * THE id of a public resource in a path (an offer, a trade, a session, a withdrawal, a user): opaque
 * to clients, so any text up to 200 characters is accepted, and one the API never gave out names
 * nothing (404), never a 400. Stores check the shape before a uuid cast.
 */
export const resourceId = z.string().min(1).max(200).describe('An id as the API gave it out');

/** `params` of a route with one `{id}` in its path. */
export const idParams = z.object({ id: resourceId });
