/** GET /console/today */
export type AgentDay = {
  since: string;
  calls: number;
  connected: number;
  talk_seconds: number;
  leads: number;
};
