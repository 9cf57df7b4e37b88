// Microphone input: N seconds through getUserMedia and MediaRecorder. The
// recording is an ordinary compressed file (WebM/Opus in Chromium and Firefox,
// MP4/AAC in Safari), so it takes the same path as a picked file: the browser
// decodes it, the player plays it, and its container header gives its rate.
import { type Job, UserError } from './job.js';

export async function recordMicrophone(seconds: number, job: Job, onProgress: (elapsed: number) => void): Promise<Blob> {
  if (!navigator.mediaDevices?.getUserMedia || typeof MediaRecorder === 'undefined') {
    throw new UserError('This browser cannot record from a microphone here (it needs getUserMedia and MediaRecorder, on a secure https:// or localhost page).');
  }
  let stream: MediaStream;
  try {
    // Echo cancellation and noise suppression would change the music the model hears.
    stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false } });
  } catch (e) {
    const name = (e as DOMException).name;
    if (name === 'NotAllowedError' || name === 'SecurityError') throw new UserError('The microphone was not allowed. Allow it in the address bar\'s site settings and try again.');
    if (name === 'NotFoundError') throw new UserError('No microphone was found.');
    throw new UserError(`The microphone could not be opened (${(e as Error).message || name}).`);
  }
  const stopTracks = () => stream.getTracks().forEach((t) => t.stop());
  try {
    job.check();
    const recorder = new MediaRecorder(stream);
    const chunks: Blob[] = [];
    recorder.addEventListener('dataavailable', (e) => e.data.size && chunks.push(e.data));
    const stopped = new Promise<void>((ok, fail) => {
      recorder.addEventListener('stop', () => ok());
      recorder.addEventListener('error', (e) => fail(new UserError(`Recording failed (${(e as ErrorEvent).message || 'the recorder stopped'}).`)));
    });
    const started = performance.now();
    recorder.start(250);
    const tick = setInterval(() => {
      const elapsed = (performance.now() - started) / 1000;
      onProgress(Math.min(elapsed, seconds));
      if (elapsed >= seconds && recorder.state === 'recording') recorder.stop();
    }, 100);
    job.whenCancelled(() => recorder.state === 'recording' && recorder.stop());
    try {
      await stopped;
    } finally {
      clearInterval(tick);
    }
    job.check();
    const blob = new Blob(chunks, { type: recorder.mimeType || chunks[0]?.type || 'audio/webm' });
    if (blob.size === 0) throw new UserError('The recording is empty: the microphone gave no sound data.');
    return blob;
  } finally {
    stopTracks();
  }
}

/** A file name for the recording, for the results title and the exports. */
export function recordingName(blob: Blob): string {
  const ext = blob.type.includes('mp4') ? 'm4a' : blob.type.includes('ogg') ? 'ogg' : 'webm';
  const stamp = new Date().toISOString().slice(0, 19).replace('T', ' ').replaceAll(':', '-');
  return `microphone ${stamp}.${ext}`;
}
