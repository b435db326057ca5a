export type BridgeStatus =
  | 'off' // no microphone yet, or a browser without WebRTC
  | 'connecting'
  | 'connected'
  | 'reconnecting' // the network dropped; a new session is being opened
  | 'unavailable'; // the server runs without the media bridge

export type MediaSetup = {
  enabled: boolean;
  ice_servers: RTCIceServer[];
  line: { connection: string; call_ref: string | null; muted: boolean; held: boolean } | null;
};
