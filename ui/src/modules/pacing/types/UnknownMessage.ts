/** A message a crash left unknown (GET /email-campaigns/{id}/unknown). */
export type UnknownMessage = {
  id: number;
  contact_id: number;
  email: string;
  step: number;
  /** When it was handed to the relay. */
  claimed_at: string | null;
  error: string | null;
};

/** What an operator decides about unknown messages (POST /email-campaigns/{id}/unknown/resolve). */
export type UnknownAction = 'resend' | 'mark_sent';
