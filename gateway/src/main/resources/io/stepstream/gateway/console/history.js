// What an execution's history says about each state: its status and the transitions taken.

/** The events that fail the state they happen in (found by walking previousEventId back to its entry). */
const FAILURES = new Set([
  'TaskFailed', 'TaskTimedOut', 'TaskSubmitFailed', 'TaskStartFailed',
  'ActivityFailed', 'ActivityTimedOut', 'ActivityScheduleFailed',
  'LambdaFunctionFailed', 'LambdaFunctionTimedOut', 'LambdaFunctionScheduleFailed', 'LambdaFunctionStartFailed',
  'MapStateFailed', 'MapRunFailed', 'MapRunAborted', 'MapIterationFailed', 'MapIterationAborted',
  'ParallelStateFailed', 'ParallelStateAborted',
]);

const ENDED = { FAILED: 'failed', TIMED_OUT: 'failed', ABORTED: 'aborted' };

function details(event) {
  for (const [key, value] of Object.entries(event)) {
    if (key.endsWith('EventDetails') && value && typeof value === 'object') {
      return value;
    }
  }
  return {};
}

/** The state name of a *StateEntered or *StateExited event, or undefined. */
export function stateNameOf(event) {
  if (event.type.endsWith('StateEntered')) {
    return event.stateEnteredEventDetails?.name;
  }
  if (event.type.endsWith('StateExited')) {
    return event.stateExitedEventDetails?.name;
  }
  return undefined;
}

/** The details object of an event (its `<type>EventDetails` member). */
export function eventDetails(event) {
  return details(event);
}

/**
 * Folds a history into the status of each state and the transitions taken.
 *
 * @param events the history, oldest first
 * @param executionStatus DescribeExecution's status (RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, ...)
 * @returns {{states: Map<string, {status, entered, input, output, error, cause}>, taken: Set<string>}}
 *     where status is 'running', 'succeeded', 'failed', 'caught' or 'aborted' and taken holds 'from->to'
 *     (with '__start' and '__end' for the execution's start and end)
 */
export function foldHistory(events, executionStatus) {
  const byId = new Map(events.map((e) => [e.id, e]));
  const states = new Map();
  const taken = new Set();

  function entry(name) {
    if (!states.has(name)) {
      states.set(name, { status: 'running', active: 0, entered: 0 });
    }
    return states.get(name);
  }

  /** Walks back from an event to the nearest state entry or exit (excluding the event itself). */
  function previousStateEvent(event) {
    let id = event.previousEventId;
    for (let guard = 0; id && guard < 10000; guard++) {
      const previous = byId.get(id);
      if (!previous) {
        return undefined;
      }
      if (stateNameOf(previous) !== undefined || previous.type === 'ExecutionStarted' || previous.type === 'ExecutionRedriven') {
        return previous;
      }
      id = previous.previousEventId;
    }
    return undefined;
  }

  /**
   * The state an event happened in: the nearest state entry behind it, of the event's own kind for
   * Parallel and Map events (a ParallelStateFailed follows the failed event of a state in its branch).
   */
  function enclosingState(event) {
    const kind = event.type.startsWith('Parallel') ? 'ParallelStateEntered'
        : event.type.startsWith('Map') ? 'MapStateEntered' : undefined;
    let id = event.previousEventId;
    for (let guard = 0; id && guard < 10000; guard++) {
      const previous = byId.get(id);
      if (!previous) {
        return undefined;
      }
      if (kind ? previous.type === kind : previous.type.endsWith('StateEntered')) {
        return stateNameOf(previous);
      }
      id = previous.previousEventId;
    }
    return undefined;
  }

  for (const event of events) {
    const type = event.type;
    if (type.endsWith('StateEntered')) {
      const name = stateNameOf(event);
      const state = entry(name);
      state.status = type === 'FailStateEntered' ? 'failed' : 'running';
      state.active++;
      state.entered++;
      state.input = event.stateEnteredEventDetails?.input;
      const previous = previousStateEvent(event);
      if (previous && (previous.type === 'ExecutionStarted' || previous.type === 'ExecutionRedriven')) {
        taken.add('__start->' + name);
      } else if (previous && stateNameOf(previous) !== name) {
        taken.add(stateNameOf(previous) + '->' + name);
      }
    } else if (type.endsWith('StateExited')) {
      const name = stateNameOf(event);
      const state = entry(name);
      state.active = Math.max(0, state.active - 1);
      state.status = state.status === 'failed' ? 'caught' : 'succeeded';
      state.output = event.stateExitedEventDetails?.output;
    } else if (FAILURES.has(type)) {
      const name = enclosingState(event);
      if (name !== undefined) {
        const state = entry(name);
        state.status = 'failed';
        state.error = details(event).error;
        state.cause = details(event).cause;
      }
    } else if (type === 'ExecutionSucceeded') {
      const previous = previousStateEvent(event);
      if (previous && stateNameOf(previous) !== undefined) {
        taken.add(stateNameOf(previous) + '->__end');
      }
    } else if (type === 'ExecutionFailed' || type === 'ExecutionTimedOut' || type === 'ExecutionAborted') {
      const previous = previousStateEvent(event);
      if (previous && previous.type === 'FailStateEntered') {
        taken.add(stateNameOf(previous) + '->__end');
      }
    }
  }
  // States still entered when the execution ended share its end; while it runs they are running.
  const ended = ENDED[executionStatus];
  for (const state of states.values()) {
    if (state.active > 0 && state.status === 'running' && ended) {
      state.status = ended;
    } else if (state.active > 0 && state.status === 'running' && executionStatus === 'SUCCEEDED') {
      state.status = 'succeeded';
    }
  }
  return { states, taken };
}
