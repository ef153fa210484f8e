import { z } from 'zod';
import { type App, idParams, requireServiceToken, TAGS } from '@pupero/http';
import { currentUser, hasRole, type AuthUser } from '@pupero/auth';
import type { OffersContext } from '../context.js';
import { authed, badRequest, conflict, errorSchema, forbidden, offerNotFound } from '../errors.js';
import type { PriceSnapshot } from '../prices/provider.js';
import type { Offer, OfferDraft } from './offer.js';
import { applyPatch, draftFromCreate, nextStatus, type PatchInput } from './rules.js';
import { createOfferBody, offerInput, offerSchema, patchOfferBody } from './schemas.js';
import { countOpenOffers, findOffer, insertOffer, lockOwner, updateOffer } from './offer-store.js';
import { viewOffer, viewOffers } from './offer-view.js';

/** Publish, read, edit, pause/resume and close offers; the internal read. */
export function registerOfferRoutes(app: App, ctx: OffersContext): void {
  const { guards, db } = ctx;

  app.post(
    '/offers',
    authed(guards.user, {
      tags: [TAGS.offers],
      summary: 'Publish an offer',
      description:
        'side: what you do with XMR (sell = you sell XMR). Fixed offers send price; market offers send margin_percent (the currency needs a market price, see GET /price). Amounts are XMR decimal strings.',
      body: createOfferBody,
      response: { 201: offerSchema, 400: errorSchema, 409: errorSchema },
    }),
    async (request, reply) => {
      const user = currentUser(request);
      const body = request.body;
      const draft = draftFromCreate(offerInput(body));
      if (draft.pricing.type === 'market') requireMarketPrice(draft, await ctx.prices.snapshot());
      const offer = await db.transaction(async (tx) => {
        await lockOwner(tx, user.id);
        if ((await countOpenOffers(tx, user.id)) >= ctx.config.MAX_OPEN_OFFERS_PER_USER) {
          throw conflict(
            'too_many_offers',
            `You already have ${ctx.config.MAX_OPEN_OFFERS_PER_USER} active or paused offers; close one before publishing another.`,
          );
        }
        return insertOffer(tx, { ownerId: user.id, ownerUsername: user.username, draft });
      });
      request.log.info({ offer_id: offer.id, side: offer.side, currency: offer.currency }, 'offer published');
      return reply.status(201).send(await viewOffer(ctx, offer, request.id));
    },
  );

  app.get(
    '/offers/:id',
    {
      schema: {
        tags: [TAGS.offers],
        summary: 'One offer (any status, closed ones included)',
        params: idParams,
        response: { 200: offerSchema, 400: errorSchema, 404: errorSchema },
      },
    },
    async (request) => {
      const offer = await findOffer(db, request.params.id);
      if (!offer) throw offerNotFound();
      return viewOffer(ctx, offer, request.id);
    },
  );

  app.patch(
    '/offers/:id',
    authed(guards.user, {
      tags: [TAGS.offers],
      summary: 'Edit my offer, pause or resume it (status)',
      description:
        'Send only the fields to change. side and currency cannot change. status: "paused" hides the offer from the book, "active" shows it again, "closed" closes it for good. Switching price_type drops the other kind of price.',
      params: idParams,
      body: patchOfferBody,
      response: { 200: offerSchema, 400: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema },
    }),
    async (request) => {
      const user = currentUser(request);
      const body = request.body;
      const patch: PatchInput = offerInput(body);
      const touchesPricing = patch.priceType !== undefined || patch.marginBp !== undefined;
      // Fetched before the transaction: a ticker call must never hold a row lock (or PGlite).
      const snapshot = touchesPricing ? await ctx.prices.snapshot() : undefined;
      const offer = await db.transaction(async (tx) => {
        const current = ownOffer(await findOffer(tx, request.params.id, { forUpdate: true }), user);
        const draft = applyPatch(current, patch);
        const status = nextStatus(current.status, patch.status);
        if (snapshot && draft.pricing.type === 'market') requireMarketPrice(draft, snapshot);
        return updateOffer(tx, current.id, draft, status);
      });
      request.log.info({ offer_id: offer.id, status: offer.status }, 'offer edited');
      return viewOffer(ctx, offer, request.id);
    },
  );

  // Declared like the PATCH above (docs/engineering.md, "Route modules"); only the schema and the handler are this route's.
  app.delete(
    '/offers/:id',
    authed(guards.user, {
      tags: [TAGS.offers],
      summary: 'Close my offer (kept for history, never listed again)',
      description: 'Owner only (admins and moderators may close any offer). Closing a closed offer changes nothing.',
      params: idParams,
      response: { 204: z.null().describe('Closed'), 403: errorSchema, 404: errorSchema },
    }),
    async (request, reply) => {
      const user = currentUser(request);
      await db.transaction(async (tx) => {
        const found = await findOffer(tx, request.params.id, { forUpdate: true });
        const current = hasRole(user, 'admin', 'moderator') && found ? found : ownOffer(found, user);
        if (current.status === 'closed') return;
        await updateOffer(tx, current.id, current, 'closed');
      });
      request.log.info({ offer_id: request.params.id, by: user.id }, 'offer closed');
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/internal/offers/:id',
    {
      onRequest: requireServiceToken(ctx.serviceToken),
      schema: { params: idParams, response: { 200: offerSchema } },
    },
    async (request) => {
      const offer = await findOffer(db, request.params.id);
      if (!offer) throw offerNotFound();
      // No reputation here: trade creation must not wait on a call back into the Transactions API.
      return (await viewOffers(ctx, [offer], { withReputation: false }))[0];
    },
  );
}

function ownOffer(offer: Offer | undefined, user: AuthUser): Offer {
  if (!offer) throw offerNotFound();
  if (offer.ownerId !== user.id) throw forbidden('not_offer_owner', 'Only the owner of this offer can change or close it.');
  return offer;
}

function requireMarketPrice(draft: OfferDraft, snapshot: PriceSnapshot): void {
  if (snapshot.prices.has(draft.currency)) return;
  const available = [...snapshot.prices.keys()].sort();
  throw badRequest(
    'no_market_price',
    `There is no market price for ${draft.currency}, so a market-price offer cannot follow it: use price_type "fixed"` +
      (available.length ? `, or one of the currencies with a market price: ${available.join(', ')}.` : '.'),
    { currency: draft.currency, currencies_with_market_price: available },
  );
}
