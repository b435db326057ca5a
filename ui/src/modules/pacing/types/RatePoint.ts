/** One sample of an email campaign's pace: epoch seconds, the set and the actual rate per minute. */
export type RatePoint = { t: number; set: number; actual: number };
