import { useEffect, useRef, useState } from 'react';
import type { Schemas } from '../api/client';
import { useBoard } from './activation-queries';

export type LiveEvent = Schemas['ActivationEventMessage'];

/** `live`: the stream is open and the board read since; `lost`: no stream, the board may be behind. */
export type LinkState = 'connecting' | 'live' | 'lost';

/** The event types of an activation's stream (each SSE message is named by its type). */
const EVENT_TYPES = [
  'ActivationAuthorized',
  'ActivationInProgress',
  'ActivationRequirementMet',
  'ActivationFulfilled',
  'ActivationCancelled',
  'ActivationClosed',
  'MobilizationRequestNotified',
  'MobilizationRequestDeliveryAttempted',
  'MobilizationRequestDeliveryFailed',
  'MobilizationRequestEscalated',
  'MobilizationRequestChainExhausted',
  'MobilizationRequestAcknowledged',
  'MobilizationRequestAccepted',
  'MobilizationRequestDeclined',
  'MobilizationRequestDeployed',
  'MobilizationRequestDeploymentLate',
  'MobilizationRequestReleased',
  'MobilizationRequestStoodDown',
  'MobilizationRequestAnsweredByMessage',
];

/** How long before opening the stream again once the browser gave up on it (an HTTP error, not a drop). */
const REOPEN_AFTER_MS = 3000;
const FEED_LENGTH = 50;

/**
 * The live board: the board read, then its event stream opened after `asOfSequence`. Each event
 * goes to the feed and has the board read again (reads coalesce: one at a time, one more if events
 * came meanwhile). When the stream drops, the link says so at once; the browser reconnects with
 * Last-Event-ID (nothing missed, nothing twice), and the board is read again before the link says
 * « en direct » again.
 */
export function useLiveBoard(activationId: string) {
  const board = useBoard(activationId);
  const [link, setLink] = useState<LinkState>('connecting');
  const [feed, setFeed] = useState<LiveEvent[]>([]);
  const start = board.data?.asOfSequence;
  const refetch = useRef(board.refetch);
  refetch.current = board.refetch;
  const started = start !== undefined;

  useEffect(() => {
    if (!started) return;
    let closed = false;
    let source: EventSource | null = null;
    let lastSequence = start!;
    let reopenTimer: ReturnType<typeof setTimeout> | undefined;
    let reading = false;
    let readAgain = false;

    // One read of the board at a time; events that come during it ask for one more.
    const reread = async (): Promise<void> => {
      if (reading) {
        readAgain = true;
        return;
      }
      reading = true;
      try {
        do {
          readAgain = false;
          await refetch.current({ cancelRefetch: false });
        } while (readAgain && !closed);
      } finally {
        reading = false;
      }
    };

    const onEvent = (message: MessageEvent<string>) => {
      const event = JSON.parse(message.data) as LiveEvent;
      if (event.sequence <= lastSequence) return;
      lastSequence = event.sequence;
      setFeed((previous) => [event, ...previous].slice(0, FEED_LENGTH));
      void reread();
    };

    const open = (after: number, reconnecting: boolean) => {
      source = new EventSource(`/api/v1/activations/${activationId}/events?lastEventId=${after}`);
      let lost = reconnecting;
      source.onopen = () => {
        if (!lost) {
          setLink('live');
          return;
        }
        // Back after a drop: the board is read again before anything is shown as live.
        lost = false;
        setLink('connecting');
        void reread().then(() => !closed && !lost && setLink('live'));
      };
      source.onerror = () => {
        lost = true;
        setLink('lost');
        // A drop is retried by the browser itself (readyState CONNECTING); a refusal closes the stream.
        if (source?.readyState === EventSource.CLOSED && !closed) {
          reopenTimer = setTimeout(() => !closed && open(lastSequence, true), REOPEN_AFTER_MS);
        }
      };
      for (const type of EVENT_TYPES) source.addEventListener(type, onEvent);
    };
    open(lastSequence, false);

    // The browser knows it lost the network before a silent connection would time out: the stream
    // is closed at once, and opened again after the last event received once the network is back.
    const onOffline = () => {
      clearTimeout(reopenTimer);
      source?.close();
      setLink('lost');
    };
    const onOnline = () => {
      source?.close();
      open(lastSequence, true);
    };
    window.addEventListener('offline', onOffline);
    window.addEventListener('online', onOnline);

    return () => {
      closed = true;
      clearTimeout(reopenTimer);
      source?.close();
      window.removeEventListener('offline', onOffline);
      window.removeEventListener('online', onOnline);
    };
    // The stream opens once, from the first board read; later reads do not move it.
  }, [activationId, started]);

  return { board, link, feed };
}
