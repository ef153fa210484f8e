import { z } from 'zod';
import { notFound } from '@pupero/http';

/** The error model, for the OpenAPI document of each route. */
export const errorSchema = z
  .object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) })
  .meta({ id: 'Error' });

export const offerNotFound = () => notFound('offer_not_found', 'There is no offer with this id.');
