export type Role =
  | 'admin'
  | 'campaign_manager'
  | 'data_ops'
  | 'qa_analyst'
  | 'agent'
  | 'client_user';

export type User = {
  id: number;
  email: string;
  full_name: string;
  role: Role;
  client_id: number | null;
};

export type Session = {
  accessToken: string;
  refreshToken: string;
  /** Epoch milliseconds at which the access token expires. */
  expiresAt: number;
  user: User;
};

/** What the API answers to sign-in and refresh. */
export type TokenPair = {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
  user: User;
};
