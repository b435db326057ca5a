/** GET /email-templates */
export type EmailTemplate = { id: number; name: string; subject: string; html: string; text: string; campaign_id: number | null };

/** GET /sender-profiles (the password is never sent back). */
export type SenderProfile = { id: number; name: string; from_name: string; from_email: string; postal_address: string };

/** POST /email-campaigns/{id}/preflight */
export type Preflight = {
  ready: boolean;
  problems: { field: string; message: string }[];
  audience: number;
  sendable: number;
  excluded: Record<string, number>;
  items: { contact_id: number; email: string | null; reason: string }[];
};

export type ContactOption = { id: number; full_name: string | null; email: string | null };
