import type { Pricing } from './pricing.js';

export const SIDES = ['sell', 'buy'] as const;
export type Side = (typeof SIDES)[number];

export const OFFER_STATUSES = ['active', 'paused', 'closed'] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];

/** Everything an owner decides about an offer (validated: see rules.ts). */
export interface OfferDraft {
  side: Side;
  currency: string;
  paymentMethod: string;
  paymentMethodDetail: string | null;
  pricing: Pricing;
  /** piconero */
  minAmount: bigint;
  /** piconero */
  maxAmount: bigint;
  terms: string;
  paymentWindowMinutes: number;
}

/** A stored offer. */
export interface Offer extends OfferDraft {
  id: string;
  /** Insertion order: the keyset of "my offers", newest first. */
  seq: bigint;
  ownerId: string;
  ownerUsername: string;
  status: OfferStatus;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
}
