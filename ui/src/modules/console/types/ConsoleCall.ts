/** The call the console is working on, from the agent's state and the call events. */
export type ConsoleCall = {
  id: number;
  status: 'dialing' | 'answered' | 'ended';
  campaignId: number | null;
};
