/** A mail the embedded SMTP sink received (GET /api/v1/email/sink/messages). */
export type SinkMessage = {
  id: string;
  received_at: string;
  from: string;
  to: string[];
  subject: string;
  message_id: string | null;
  email_message_id: number | null;
  campaign_id: number | null;
  contact_id: number | null;
};

/** One mail in full (GET /api/v1/email/sink/messages/{id}). */
export type SinkMail = SinkMessage & {
  headers: [string, string][];
  text: string | null;
  html: string | null;
  raw: string;
};
