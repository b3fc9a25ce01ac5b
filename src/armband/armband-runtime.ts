import { Recorder } from '../recording/recorder';
import { onRecordingEvent } from '../recording/recording-events';
import { ArmbandConnection } from './armband-connection';
import { liveHistory } from './live-history';

/**
 * The armband and recording code, loaded after the first screen (armband-control.ts imports it
 * dynamically): the recorder and the connection owner, one of each per page.
 */
export function createArmbandRuntime(lifetime: AbortSignal): ArmbandConnection {
  const recorder = new Recorder();
  recorder.start(lifetime);
  // The chart learns of gaps once they are stored: opened on a disconnection, closed by the next sample.
  onRecordingEvent((event) => {
    if (event.type === 'GAPS_WRITTEN') for (const gap of event.gaps) liveHistory.gap(gap.sourceId, gap);
  }, lifetime);
  const connection = new ArmbandConnection(recorder, lifetime);
  void connection.restore().catch((error: unknown) => console.error('Steady: could not restore the armband', error));
  return connection;
}
