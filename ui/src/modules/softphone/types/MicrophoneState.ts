export type MicrophoneStatus =
  | 'idle' // not asked yet
  | 'requesting'
  | 'granted'
  | 'denied' // the user or the browser refused
  | 'missing' // no microphone on this machine
  | 'unsupported'; // no mediaDevices (an insecure page) or another failure

export type AudioDevice = { deviceId: string; label: string };
