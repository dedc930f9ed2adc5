// The Step Functions API of the same origin: POST / with X-Amz-Target, AWS JSON 1.0.

/** An error answered by the API, in AWS's shape ({"__type": ..., "message": ...}). */
export class ApiError extends Error {
  constructor(type, message, status) {
    super(message || type);
    this.type = type;
    this.status = status;
  }
}

/** Calls one action; resolves with the answer's JSON, rejects with an ApiError. */
export async function call(action, body = {}) {
  let response;
  try {
    response = await fetch('/', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.0',
        'X-Amz-Target': 'AWSStepFunctions.' + action,
      },
      body: JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError('NetworkError', 'The server cannot be reached: ' + e.message, 0);
  }
  const text = await response.text();
  let json = {};
  try {
    json = text ? JSON.parse(text) : {};
  } catch (e) {
    throw new ApiError('InvalidResponse', 'The server answered something that is not JSON (HTTP ' + response.status + ')', response.status);
  }
  if (!response.ok) {
    const type = String(json.__type || 'HTTP' + response.status).replace(/^.*#/, '');
    throw new ApiError(type, json.message || json.Message, response.status);
  }
  return json;
}

/** Whether an error says the server does not have this action (an older Stepstream). */
export function isUnknownOperation(error) {
  return error instanceof ApiError && error.type === 'UnknownOperationException';
}

const AUTHENTICATION_ERRORS = new Set(['MissingAuthenticationTokenException', 'MissingAuthenticationToken',
  'UnrecognizedClientException', 'InvalidSignatureException', 'IncompleteSignatureException', 'AccessDeniedException',
  'InvalidClientTokenId', 'SignatureDoesNotMatch']);

/**
 * Whether the server refused a call because it checks request signatures (SigV4): the console sends
 * unsigned requests, so it works only against a server that does not check them.
 */
export function isAuthenticationError(error) {
  return error instanceof ApiError && (AUTHENTICATION_ERRORS.has(error.type) || error.status === 401 || error.status === 403);
}

/** Calls a paginated action until there is no nextToken (at most `maxPages` pages); concatenates `field`. */
export async function all(action, body, field, maxPages = 20) {
  const items = [];
  let nextToken;
  for (let page = 0; page < maxPages; page++) {
    const answer = await call(action, nextToken ? { ...body, nextToken } : body);
    items.push(...(answer[field] || []));
    nextToken = answer.nextToken;
    if (!nextToken) {
      break;
    }
  }
  return items;
}
